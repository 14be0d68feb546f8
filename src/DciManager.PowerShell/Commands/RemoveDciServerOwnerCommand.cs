using System.Management.Automation;
using DciManager.Client;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Releases servers: removes their owner (DELETE dci/v3/server/{id}/owner) and emits the updated servers.</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.Remove, "DciServerOwner", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ServerObjectSet)]
[OutputType(typeof(DciServer))]
public sealed class RemoveDciServerOwnerCommand : DciServerCmdlet
{
    protected override void ProcessRecord() =>
        StartForCurrentServer("Release (remove the owner)",
            (connection, serverId, ct) => connection.ServerOps.RemoveOwnerAsync(serverId, ct),
            server => WriteObject(server));
}
