using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Deletes openDCIM devices (DELETE /device/{id}).</summary>
[DciPlatforms(DciPlatform.OpenDcim)]
[Cmdlet(VerbsCommon.Remove, "DciDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Device")]
[OutputType(typeof(void))]
public sealed class RemoveDciDeviceCommand : OpenDcimCmdlet
{
    /// <summary>The device, from the pipeline (Get-DciDevice); deleted on the connection it came from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Device", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    public DciDevice? Device { get; set; }

    /// <summary>The device's id (DeviceID).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateRange(1, long.MaxValue)]
    public long Id { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection(Device);
        var id = Device?.Id ?? Id;
        var label = Device?.Label is { } l ? $"device {id} ({l})" : $"device {id}";
        if (!ShouldProcess($"{label} on {connection.PanelAddress}", "Delete device")) return;
        try { Call(ct => Od(connection).DeleteDeviceAsync(id, ct)); }
        catch (DciException ex) { WriteEngineError(ex, (object?)Device ?? id); }
    }
}
