using System.Management.Automation;
using DciManager.Client;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Unblocks servers by activating their switch ports (POST server/{id}/resume).</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsLifecycle.Resume, "DciServer", SupportsShouldProcess = true, DefaultParameterSetName = ServerObjectSet)]
[OutputType(typeof(DciTask))]
public sealed class ResumeDciServerCommand : DciServerTaskCmdlet
{
    protected override void ProcessRecord() =>
        StartTask("Resume (activate switch ports)", (connection, serverId, ct) => connection.ServerOps.ResumeAsync(serverId, ct));
}
