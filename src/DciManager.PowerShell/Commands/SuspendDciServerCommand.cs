using System.Management.Automation;
using DciManager.Client;

namespace DciManager.Commands;

/// <summary>Blocks servers by deactivating their switch ports (POST server/{id}/suspend).</summary>
[Cmdlet(VerbsLifecycle.Suspend, "DciServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ServerObjectSet)]
[OutputType(typeof(DciTask))]
public sealed class SuspendDciServerCommand : DciServerTaskCmdlet
{
    protected override void ProcessRecord() =>
        StartTask("Suspend (deactivate switch ports)", (connection, serverId, ct) => connection.Servers.SuspendAsync(serverId, ct));
}
