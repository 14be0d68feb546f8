using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
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
        var names = DciNameMatch.For(Name);
        var ids = ParameterSetName == "Id" ? Id.ToHashSet() : null;
        var seen = new HashSet<long>();
        WriteList(ct => Od(connection).ListDepartmentsAsync(ct),
            d => (ids is null || (ids.Contains(d.Id) && seen.Add(d.Id))) && (names?.Matches(d.Name) ?? true));
        foreach (var missing in names?.NamesNotFound() ?? Enumerable.Empty<string>())
            WriteError(DciErrors.NotFound($"a department named '{missing}' on {connection.PanelAddress}", missing));
        foreach (var id in ids?.Where(i => !seen.Contains(i)) ?? Enumerable.Empty<long>())
            WriteError(DciErrors.NotFound($"department {id} on {connection.PanelAddress}", id));
    }
}
