using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Changes an openDCIM device (POST /device/{id} with only the given properties), then reads it again and emits it.</summary>
[DciPlatforms(DciPlatform.OpenDcim)]
[Cmdlet(VerbsCommon.Set, "DciDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Device")]
[OutputType(typeof(DciDevice))]
public sealed class SetDciDeviceCommand : OpenDcimCmdlet
{
    /// <summary>The device, from the pipeline (Get-DciDevice); changed on the connection it came from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Device", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    public DciDevice? Device { get; set; }

    /// <summary>The device's id (DeviceID).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateRange(1, long.MaxValue)]
    public long Id { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Label { get; set; }

    /// <summary>Move to this cabinet: a DciCabinet, a location or an id.</summary>
    [Parameter]
    [ValidateNotNull]
    public DciCabinet? Cabinet { get; set; }

    [Parameter]
    [ValidateRange(0, 1000)]
    public long Position { get; set; }

    [Parameter]
    [ValidateRange(0, 100)]
    public long Height { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DeviceType { get; set; }

    /// <summary>The owning department: a DciDepartment, a name or an id.</summary>
    [Parameter]
    [ValidateNotNull]
    public DciDepartment? Owner { get; set; }

    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long PrimaryContact { get; set; }

    [Parameter]
    public string? SerialNo { get; set; }

    [Parameter]
    public string? AssetTag { get; set; }

    [Parameter]
    public string? PrimaryIP { get; set; }

    [Parameter]
    public string? Notes { get; set; }

    /// <summary>Production, Reserved, Disposed ... as openDCIM names them.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Status { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection(Device);
        var id = Device?.Id ?? Id;
        var changes = new Dictionary<string, object>(StringComparer.Ordinal);
        if (Label is not null) changes["Label"] = Label;
        if (Cabinet is not null) changes["Cabinet"] = One(ResolveCabinets(connection, Cabinet), Cabinet, "cabinet").Id;
        if (Bound(nameof(Position))) changes["Position"] = Position;
        if (Bound(nameof(Height))) changes["Height"] = Height;
        if (DeviceType is not null) changes["DeviceType"] = DeviceType;
        if (Owner is not null) changes["Owner"] = One(ResolveDepartments(connection, Owner), Owner, "department").Id;
        if (Bound(nameof(PrimaryContact))) changes["PrimaryContact"] = PrimaryContact;
        if (SerialNo is not null) changes["SerialNo"] = SerialNo;
        if (AssetTag is not null) changes["AssetTag"] = AssetTag;
        if (PrimaryIP is not null) changes["PrimaryIP"] = PrimaryIP;
        if (Notes is not null) changes["Notes"] = Notes;
        if (Status is not null) changes["Status"] = Status;
        if (changes.Count == 0)
            ThrowParameterError("Give at least one property to change (-Label, -Cabinet, -Position, -Notes ...).", "Notes", null);
        var label = Device?.Label is { } l ? $"device {id} ({l})" : $"device {id}";
        if (!ShouldProcess(label, $"Set {string.Join(", ", changes.Keys)}")) return;
        try { WriteObject(Call(ct => Od(connection).UpdateDeviceAsync(id, changes, ct))); }
        catch (DciException ex) { WriteEngineError(ex, (object?)Device ?? id); }
    }
}
