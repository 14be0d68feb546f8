using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Deletes IMCO volumes (DELETE storage/volumes/{id}).</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Remove, "DciVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Volume")]
[OutputType(typeof(void))]
public sealed class RemoveDciVolumeCommand : ImcoCmdlet
{
    /// <summary>The volumes to delete (from the pipeline); each on the connection it came from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Volume", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public DciVolume[]? Volume { get; set; }

    /// <summary>The ids of the volumes to delete.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("volume")]
    public string[]? Id { get; set; }

    /// <summary>Delete without asking for confirmation (-WhatIf still only tells).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (connection, id, target, label) in ResourceTargets(Volume, Id, "volume"))
        {
            if (!ConfirmUnlessForced($"{label} on {connection.PanelAddress}", "Delete volume", Force)) continue;
            try { Call(ct => Imco(connection).DeleteVolumeAsync(id, ct)); }
            catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, target); }
        }
    }
}
