using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Completers;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Assigns servers to a user (POST dci/v3/server/{id}/owner) and emits the updated servers.</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.Set, "DciServerOwner", SupportsShouldProcess = true, DefaultParameterSetName = ServerObjectSet)]
[OutputType(typeof(DciServer))]
public sealed class SetDciServerOwnerCommand : DciServerCmdlet
{
    /// <summary>The new owner, as a DciUser from Get-DciUser or New-DciUser.</summary>
    [Parameter]
    [ValidateNotNull]
    public DciUser? User { get; set; }

    /// <summary>The new owner's user id.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(DciUserIdCompleter))]
    public long UserId { get; set; }

    protected override void BeginProcessing()
    {
        if ((User is null) == (UserId == 0))
            ThrowParameterError("Give the new owner with either -User or -UserId.", nameof(User), null);
        base.BeginProcessing();
    }

    protected override void ProcessRecord()
    {
        var userId = User?.Id ?? UserId;
        var owner = User?.Email ?? $"user {userId}";
        StartForCurrentServer($"Set owner to {owner}",
            (connection, serverId, ct) => connection.ServerOps.SetOwnerAsync(serverId, userId, ct),
            server => WriteObject(server));
    }
}
