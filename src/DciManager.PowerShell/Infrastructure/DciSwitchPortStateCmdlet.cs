using System.Management.Automation;
using DciManager.Client;

namespace DciManager.Commands;

/// <summary>
/// Base of Enable-/Disable-DciSwitchPort: ports arrive as DciSwitchPort objects (from Get-DciSwitchPort),
/// each change is confirmed, and the port is written back as the panel now reports it.
/// </summary>
public abstract class DciSwitchPortStateCmdlet : DciCmdlet
{
    /// <summary>The port to change (from the pipeline).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    public DciSwitchPort? Port { get; set; }

    protected abstract bool Enable { get; }

    protected override void ProcessRecord()
    {
        var port = Port!;
        if (port.SwitchId is not { } switchId)
        {
            WriteError(new ErrorRecord(new ArgumentException($"Port {port.Id} does not say which switch it belongs to."),
                "Dci.InvalidParameter", ErrorCategory.InvalidArgument, port));
            return;
        }
        var connection = ResolveConnection(port);
        var server = port.ServerName is null ? "no server" : $"server {port.ServerName}";
        var action = Enable ? "Enable switch port" : $"Disable switch port (cuts {server} off this network)";
        if (!ShouldProcess($"{port} (port {port.Id}, {server})", action)) return;
        try
        {
            WriteObject(Call(ct => connection.InventoryOps.SetPortEnabledAsync(switchId, port.Id, Enable, ct)));
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, port);
        }
    }
}
