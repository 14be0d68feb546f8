using System.Management.Automation;
using DciManager.Client;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Blocks servers by deactivating their switch ports (POST server/{id}/suspend).</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsLifecycle.Suspend, "DciServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ServerObjectSet)]
[OutputType(typeof(DciTask))]
public sealed class SuspendDciServerCommand : DciServerTaskCmdlet
{
    protected override void ProcessRecord() =>
        StartTask("Suspend (deactivate switch ports)", (connection, serverId, ct) => connection.ServerOps.SuspendAsync(serverId, ct));
}
