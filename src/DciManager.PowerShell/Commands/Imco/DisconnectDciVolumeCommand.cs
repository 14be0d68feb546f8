using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Detaches IMCO volumes from their server (DELETE storage/volumes/{id}/attached_server) and emits each as it now is.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommunications.Disconnect, "DciVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Volume")]
[OutputType(typeof(DciVolume))]
public sealed class DisconnectDciVolumeCommand : ImcoCmdlet
{
    /// <summary>The volumes to detach (from the pipeline); each on the connection it came from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Volume", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public DciVolume[]? Volume { get; set; }

    /// <summary>The ids of the volumes to detach.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("volume")]
    public string[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (connection, id, target, label) in ResourceTargets(Volume, Id, "volume"))
        {
            if (!ShouldProcess($"{label} on {connection.PanelAddress}", "Detach from its server")) continue;
            try { WriteObject(Call(ct => Imco(connection).DetachVolumeAsync(id, ct))); }
            catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, target); }
        }
    }
}
