using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Completers;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Starts hardware diagnostics on servers (POST server/{id}/operation_diag).</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsLifecycle.Start, "DciServerDiagnostic", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ServerObjectSet)]
[OutputType(typeof(DciTask))]
public sealed class StartDciServerDiagnosticCommand : DciDisruptiveServerTaskCmdlet
{
    /// <summary>Configure the server's IPMI during diagnostics.</summary>
    [Parameter]
    public SwitchParameter SetupIpmi { get; set; }

    /// <summary>The pool the IPMI address comes from (with -SetupIpmi).</summary>
    [Parameter]
    [ValidateNotNull]
    public DciIpPool? IpmiPool { get; set; }

    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(DciPoolIdCompleter))]
    public long IpmiPoolId { get; set; }

    /// <summary>OS template to install after diagnostics.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(DciOsTemplateIdCompleter))]
    public long OsTemplateId { get; set; }

    /// <summary>Wipe the disks during diagnostics.</summary>
    [Parameter]
    public DciClearDiskMode ClearDisk { get; set; } = DciClearDiskMode.None;

    private DciDiagnosticRequest? _request;

    protected override void BeginProcessing()
    {
        if (IpmiPool is not null && IpmiPoolId > 0) ThrowParameterError("Give the IPMI pool with -IpmiPool or -IpmiPoolId, not both.", nameof(IpmiPoolId), IpmiPoolId);
        var poolId = IpmiPool?.Id ?? (IpmiPoolId > 0 ? IpmiPoolId : (long?)null);
        if (poolId is not null && !SetupIpmi) ThrowParameterError("An IPMI pool is used only with -SetupIpmi.", nameof(IpmiPool), poolId);
        _request = new DciDiagnosticRequest
        {
            SetupIpmi = SetupIpmi,
            IpmiPoolId = poolId,
            OsTemplateId = OsTemplateId > 0 ? OsTemplateId : null,
            ClearDisk = ClearDisk,
        };
        base.BeginProcessing();
    }

    protected override void ProcessRecord() =>
        StartTask(ClearDisk == DciClearDiskMode.None ? "Start diagnostics" : $"Start diagnostics and clear disks ({ClearDisk})",
            (connection, serverId, ct) => connection.ServerOps.StartDiagnosticAsync(serverId, _request!, ct));
}
