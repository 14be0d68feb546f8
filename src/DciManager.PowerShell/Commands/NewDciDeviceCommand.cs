using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Adds a device to openDCIM (PUT /device/{label}) and emits it as openDCIM stored it (labels are upper-cased there).</summary>
[DciPlatforms(DciPlatform.OpenDcim)]
[Cmdlet(VerbsCommon.New, "DciDevice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DciDevice))]
public sealed class NewDciDeviceCommand : OpenDcimCmdlet
{
    /// <summary>The device's label (openDCIM stores it upper-case by default).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    public string Label { get; set; } = "";

    /// <summary>The cabinet: a DciCabinet, a location (A01) or an id.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public DciCabinet? Cabinet { get; set; }

    /// <summary>The lowest rack unit the device occupies.</summary>
    [Parameter(Mandatory = true)]
    [ValidateRange(0, 1000)]
    public long Position { get; set; }

    /// <summary>Height in rack units.</summary>
    [Parameter(Mandatory = true)]
    [ValidateRange(0, 100)]
    public long Height { get; set; }

    /// <summary>Server, Appliance, Storage Array, Switch, Chassis, Patch Panel, Physical Infrastructure, CDU or Sensor.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string DeviceType { get; set; } = "";

    /// <summary>The device template (TemplateID).</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long TemplateId { get; set; }

    /// <summary>The owning department: a DciDepartment, a name or an id.</summary>
    [Parameter]
    [ValidateNotNull]
    public DciDepartment? Owner { get; set; }

    /// <summary>The primary contact (PersonID, as Get-DciUser shows it).</summary>
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

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var cabinet = One(ResolveCabinets(connection, Cabinet!), Cabinet!, "cabinet");
        var owner = Owner is null ? null : One(ResolveDepartments(connection, Owner), Owner, "department");
        if (!ShouldProcess($"{Label} in cabinet {cabinet.Location} (U{Position}, {Height}U) on {connection.PanelAddress}", "Create device")) return;
        var device = new DciNewDevice
        {
            Label = Label,
            Cabinet = cabinet.Id,
            Position = Position,
            Height = Height,
            DeviceType = DeviceType,
            TemplateId = Bound(nameof(TemplateId)) ? TemplateId : null,
            Owner = owner?.Id,
            PrimaryContact = Bound(nameof(PrimaryContact)) ? PrimaryContact : null,
            SerialNo = SerialNo,
            AssetTag = AssetTag,
            PrimaryIP = PrimaryIP,
            Notes = Notes,
        };
        try { WriteObject(Call(ct => Od(connection).CreateDeviceAsync(device, ct))); }
        catch (DciException ex) { WriteEngineError(ex, Label); }
    }
}
