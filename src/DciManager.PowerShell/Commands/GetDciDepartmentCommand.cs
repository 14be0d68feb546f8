using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists openDCIM departments (GET /department), the owners of devices and cabinets.</summary>
[DciPlatforms(DciPlatform.OpenDcim)]
[Cmdlet(VerbsCommon.Get, "DciDepartment", DefaultParameterSetName = "List")]
[OutputType(typeof(DciDepartment))]
public sealed class GetDciDepartmentCommand : OpenDcimCmdlet
{
    /// <summary>Department names; wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Department ids (DeptID).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        WritePicked(connection, "department", ParameterSetName == "Id" ? Id : null, Name, ct => Od(connection).ListDepartmentsAsync(ct), x => x.Id, x => x.Name);
    }
}
