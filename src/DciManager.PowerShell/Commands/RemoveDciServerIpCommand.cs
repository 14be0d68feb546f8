using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Completers;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Removes IP addresses from servers (POST dci/v3/server/{id}/ip/{ip_id}, as the API documents).</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.Remove, "DciServerIp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "IpAddress")]
[OutputType(typeof(DciTask))]
public sealed class RemoveDciServerIpCommand : DciCmdlet
{
    /// <summary>The address, as a DciIpAddress from Get-DciIpAddress -Server.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "IpAddress", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    public DciIpAddress? IpAddress { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Id", ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(DciServerIdCompleter))]
    public long ServerId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateRange(1, long.MaxValue)]
    public long IpId { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [Alias("TimeoutSeconds")]
    [ValidateRange(1, 7 * 24 * 3600)]
    public int TimeoutSec { get; set; } = 3600;

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection(IpAddress);
        var serverId = IpAddress?.ServerId ?? ServerId;
        var ipId = IpAddress?.Id ?? IpId;
        if (serverId <= 0)
        {
            WriteError(new ErrorRecord(new ArgumentException($"The address {IpAddress?.Name} does not say which server it belongs to; use -ServerId and -IpId."),
                "Dci.IpWithoutServer", ErrorCategory.InvalidArgument, IpAddress));
            return;
        }
        var label = IpAddress?.Name is { } name ? $"{name} on server {serverId}" : $"address {ipId} on server {serverId}";
        if (!ShouldProcess(label, "Remove IP address")) return;
        try
        {
            EmitOrKeepTask(Call(ct => connection.ServerOps.RemoveIpAsync(serverId, ipId, ct)), Wait);
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, (object?)IpAddress ?? ipId);
        }
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        if (Wait) WaitForKeptTasks(TimeSpan.FromSeconds(TimeoutSec));
    }
}
