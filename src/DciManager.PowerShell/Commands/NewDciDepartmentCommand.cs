using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Adds a department to openDCIM (PUT /department/{name}) and emits it.</summary>
[DciPlatforms(DciPlatform.OpenDcim)]
[Cmdlet(VerbsCommon.New, "DciDepartment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DciDepartment))]
public sealed class NewDciDepartmentCommand : OpenDcimCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    public string Name { get; set; } = "";

    /// <summary>The executive sponsor.</summary>
    [Parameter]
    public string? ExecSponsor { get; set; }

    /// <summary>The service delivery manager.</summary>
    [Parameter]
    public string? SDM { get; set; }

    [Parameter]
    public string? Classification { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (!ShouldProcess($"{Name} on {connection.PanelAddress}", "Create department")) return;
        try { WriteObject(Call(ct => Od(connection).CreateDepartmentAsync(Name, ExecSponsor, SDM, Classification, ct))); }
        catch (DciException ex) { WriteEngineError(ex, Name); }
    }
}
