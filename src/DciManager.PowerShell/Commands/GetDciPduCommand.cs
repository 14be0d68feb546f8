using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists power distribution units (dci/v3/pdu); racks piped in bind to -Rack by value.</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.Get, "DciPdu", DefaultParameterSetName = ListSet)]
[OutputType(typeof(DciPdu))]
public sealed class GetDciPduCommand : DciCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [Alias("PduId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    /// <summary>PDU name; wildcards allowed.</summary>
    [Parameter(ParameterSetName = ListSet, Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    public string? Name { get; set; }

    /// <summary>Only the PDUs of this rack: a DciRack (from the pipeline) or a rack name (wildcards allowed).</summary>
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
            LookUpIds<DciPdu>(connection, Id, connection.InventoryOps.GetPdusAsync);
            return;
        }
        var query = new DciListQuery
        {
            Names = DciNameMatch.For(Name),
            Rack = Rack is null ? null : DciPlaceMatch.For(Rack.Id, Rack.Name, "rack"),
        };
        WriteList(ct => connection.InventoryOps.ListPdusAsync(query, ct), target: query.IsEmpty ? null : query.ToString());
    }
}
