using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists rack-mounted switches (dci/v3/switch); racks piped in bind to -Rack by value.</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.Get, "DciSwitch", DefaultParameterSetName = ListSet)]
[OutputType(typeof(DciSwitch))]
public sealed class GetDciSwitchCommand : DciCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [Alias("SwitchId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    /// <summary>Switch name; wildcards allowed.</summary>
    [Parameter(ParameterSetName = ListSet, Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    [ArgumentCompleter(typeof(DciSwitchNameCompleter))]
    public string? Name { get; set; }

    /// <summary>Only the switches of this rack: a DciRack (from the pipeline) or a rack name (wildcards allowed).</summary>
    [Parameter(ParameterSetName = ListSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(DciRackNameCompleter))]
    public DciRack? Rack { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection(Rack);
        if (ParameterSetName == IdSet)
        {
            // Batched like every Get- by ids: few list requests, in the order given, ObjectNotFound per missing id.
            LookUpIds<DciSwitch>(connection, Id, connection.InventoryOps.GetSwitchesAsync);
            return;
        }
        var query = new DciListQuery
        {
            Names = DciNameMatch.For(Name),
            Rack = Rack is null ? null : DciPlaceMatch.For(Rack.Id, Rack.Name, "rack"),
        };
        WriteList(ct => connection.InventoryOps.ListSwitchesAsync(query, ct), target: query.IsEmpty ? null : query.ToString());
    }
}
