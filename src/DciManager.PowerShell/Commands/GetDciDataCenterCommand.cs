using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists openDCIM data centers (GET /datacenter).</summary>
[DciPlatforms(DciPlatform.OpenDcim)]
[Cmdlet(VerbsCommon.Get, "DciDataCenter", DefaultParameterSetName = "List")]
[OutputType(typeof(DciDataCenter))]
public sealed class GetDciDataCenterCommand : OpenDcimCmdlet
{
    /// <summary>Data center names; wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Data center ids (DataCenterID).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var names = DciNameMatch.For(Name);
        var ids = ParameterSetName == "Id" ? Id.ToHashSet() : null;
        var seen = new HashSet<long>();
        WriteList(ct => Od(connection).ListDataCentersAsync(ct),
            d => (ids is null || (ids.Contains(d.Id) && seen.Add(d.Id))) && (names?.Matches(d.Name) ?? true));
        foreach (var missing in names?.NamesNotFound() ?? Enumerable.Empty<string>())
            WriteError(DciErrors.NotFound($"a data center named '{missing}' on {connection.PanelAddress}", missing));
        foreach (var id in ids?.Where(i => !seen.Contains(i)) ?? Enumerable.Empty<long>())
            WriteError(DciErrors.NotFound($"data center {id} on {connection.PanelAddress}", id));
    }
}
