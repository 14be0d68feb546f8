using System.Management.Automation;
using DciManager.Client;

namespace DciManager.Commands;

/// <summary>Unblocks servers by activating their switch ports (POST server/{id}/resume).</summary>
[Cmdlet(VerbsLifecycle.Resume, "DciServer", SupportsShouldProcess = true, DefaultParameterSetName = ServerObjectSet)]
[OutputType(typeof(DciTask))]
public sealed class ResumeDciServerCommand : DciServerTaskCmdlet
{
    protected override void ProcessRecord() =>
        StartTask("Resume (activate switch ports)", (connection, serverId, ct) => connection.Servers.ResumeAsync(serverId, ct));
}
