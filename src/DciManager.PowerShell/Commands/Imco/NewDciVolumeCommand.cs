using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Creates an IMCO block-storage volume (POST storage/volumes) and emits it (detached).</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.New, "DciVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DciVolume))]
public sealed class NewDciVolumeCommand : ImcoCmdlet
{
    /// <summary>The volume's name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Size in GB, within the storage plan's minimum and maximum.</summary>
    [Parameter(Mandatory = true)]
    [ValidateRange(1, int.MaxValue)]
    public long Size { get; set; }

    /// <summary>The cloud account (Get-DciCloudAccount) the volume is created in.</summary>
    [Parameter(Mandatory = true)]
    [ValidateImcoId("cloud account")]
    public string CloudAccountId { get; set; } = "";

    /// <summary>The storage plan, of the cloud account's provider (a volume's StoragePlanId names one).</summary>
    [Parameter(Mandatory = true)]
    [ValidateImcoId("storage plan")]
    public string StoragePlanId { get; set; } = "";

    /// <summary>Labels to put on the volume.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("label")]
    public string[]? LabelId { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (!ShouldProcess($"{Name} ({Size} GB) on {connection.PanelAddress}", "Create volume")) return;
        var volume = new ImcoNewVolume { Name = Name, Size = Size, CloudAccountId = CloudAccountId, StoragePlanId = StoragePlanId, LabelIds = LabelId };
        try { WriteObject(Call(ct => Imco(connection).CreateVolumeAsync(volume, ct))); }
        catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, Name); }
    }
}
