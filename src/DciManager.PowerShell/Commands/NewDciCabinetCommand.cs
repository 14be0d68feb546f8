using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Adds a cabinet to an openDCIM data center (PUT /cabinet) and emits it.</summary>
[DciPlatforms(DciPlatform.OpenDcim)]
[Cmdlet(VerbsCommon.New, "DciCabinet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DciCabinet))]
public sealed class NewDciCabinetCommand : OpenDcimCmdlet
{
    /// <summary>The cabinet's location name (e.g. A04).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    public string Location { get; set; } = "";

    /// <summary>The data center: a DciDataCenter (from the pipeline), a name or an id.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public DciDataCenter? DataCenter { get; set; }

    /// <summary>Height in rack units (CabinetHeight).</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public long Height { get; set; } = 42;

    /// <summary>The department the cabinet is assigned to: a DciDepartment, a name or an id.</summary>
    [Parameter]
    [ValidateNotNull]
    public DciDepartment? AssignedTo { get; set; }

    [Parameter]
    public string? Model { get; set; }

    [Parameter]
    public string? Notes { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection(DataCenter?.Connection is null ? null : DataCenter);
        var center = One(ResolveDataCenters(connection, DataCenter!), DataCenter!, "data center");
        var department = AssignedTo is null ? null : One(ResolveDepartments(connection, AssignedTo), AssignedTo, "department");
        if (!ShouldProcess($"{Location} in {center.Name} on {connection.PanelAddress}", "Create cabinet")) return;
        try { WriteObject(Call(ct => Od(connection).CreateCabinetAsync(center.Id, Location, Height, department?.Id, Model, Notes, ct))); }
        catch (DciException ex) { WriteEngineError(ex, Location); }
    }
}
