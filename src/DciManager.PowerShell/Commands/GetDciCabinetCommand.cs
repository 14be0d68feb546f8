using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists openDCIM cabinets (GET /cabinet), of one data center when one is given or piped in.</summary>
[DciPlatforms(DciPlatform.OpenDcim)]
[Cmdlet(VerbsCommon.Get, "DciCabinet", DefaultParameterSetName = "List")]
[OutputType(typeof(DciCabinet))]
public sealed class GetDciCabinetCommand : OpenDcimCmdlet
{
    /// <summary>Cabinet locations (names such as A01); wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Location { get; set; }

    /// <summary>Only the cabinets of this data center: a DciDataCenter (from the pipeline), a name (wildcards allowed) or an id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "DataCenter", ValueFromPipeline = true)]
    [ValidateNotNull]
    public DciDataCenter? DataCenter { get; set; }

    /// <summary>Cabinet ids (CabinetID).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection(DataCenter?.Connection is null ? null : DataCenter);
        var locations = DciNameMatch.For(Location);
        var ids = ParameterSetName == "Id" ? Id.ToHashSet() : null;
        var seen = new HashSet<long>();
        var centers = DataCenter is null ? new List<DciDataCenter> { null! } : ResolveDataCenters(connection, DataCenter);
        foreach (var center in centers)
        {
            WriteList(ct => Od(connection).ListCabinetsAsync(center?.Id, ct),
                c => (ids is null || (ids.Contains(c.Id) && seen.Add(c.Id))) && (locations?.Matches(c.Location) ?? true));
        }
        foreach (var missing in locations?.NamesNotFound() ?? Enumerable.Empty<string>())
            WriteError(DciErrors.NotFound($"a cabinet '{missing}'{(DataCenter is null ? "" : $" in {DataCenter}")} on {connection.PanelAddress}", missing));
        foreach (var id in ids?.Where(i => !seen.Contains(i)) ?? Enumerable.Empty<long>())
            WriteError(DciErrors.NotFound($"cabinet {id} on {connection.PanelAddress}", id));
    }
}
