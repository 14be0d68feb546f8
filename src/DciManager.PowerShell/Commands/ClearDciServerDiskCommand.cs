using System.Management.Automation;
using DciManager.Client;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Wipes the disks of servers (POST server/{id}/operation_clear_hdd). Destroys all data on them.</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.Clear, "DciServerDisk", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ServerObjectSet)]
[OutputType(typeof(DciTask))]
public sealed class ClearDciServerDiskCommand : DciDisruptiveServerTaskCmdlet
{
    /// <summary>Fast (metadata and partition tables) or Full (every block).</summary>
    [Parameter(Mandatory = true)]
    [ValidateSet(nameof(DciClearDiskMode.Fast), nameof(DciClearDiskMode.Full))]
    public DciClearDiskMode Mode { get; set; }

    protected override void ProcessRecord() =>
        StartTask($"Erase all disks ({Mode})", (connection, serverId, ct) => connection.ServerOps.ClearDiskAsync(serverId, Mode, ct));
}
