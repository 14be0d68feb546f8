using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Lists racks (dci/v3/rack). Locations piped in (Get-DciLocation | Get-DciRack) bind to -Location by value,
/// so a location's Id is never read as a rack id.
/// </summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.Get, "DciRack", DefaultParameterSetName = ListSet)]
[OutputType(typeof(DciRack))]
public sealed class GetDciRackCommand : DciCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [Alias("RackId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    /// <summary>Rack name; wildcards allowed (Rack00*).</summary>
    [Parameter(ParameterSetName = ListSet, Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    [ArgumentCompleter(typeof(DciRackNameCompleter))]
    public string? Name { get; set; }

    /// <summary>Only racks in this location: a DciLocation (from the pipeline) or a location name (wildcards allowed).</summary>
    [Parameter(ParameterSetName = ListSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(DciLocationNameCompleter))]
    public DciLocation? Location { get; set; }

    /// <summary>Sort field and direction, e.g. 'device_count desc', 'name'.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ValidateDciSort]
    public string? Sort { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection(Location);
        if (ParameterSetName == IdSet)
        {
            // Batched like every Get- by ids: few list requests, in the order given, ObjectNotFound per missing id.
            LookUpIds<DciRack>(connection, Id, connection.InventoryOps.GetRacksAsync);
            return;
        }
        if (Sort is not null) RequirePlatform(connection, "Get-DciRack -Sort");
        var query = new DciListQuery
        {
            Names = DciNameMatch.For(Name),
            Location = Location is null ? null : DciPlaceMatch.For(Location.Id, Location.Name, "location"),
            Sort = Sort is null ? null : DciSortKey.Parse(Sort),
        };
        WriteList(ct => connection.InventoryOps.ListRacksAsync(query, ct), target: query.IsEmpty ? null : query.ToString());
    }
}
