using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists data center locations (dci/v3/location).</summary>
[Cmdlet(VerbsCommon.Get, "DciLocation", DefaultParameterSetName = ListSet)]
[OutputType(typeof(DciLocation))]
public sealed class GetDciLocationCommand : DciCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [Alias("LocationId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    /// <summary>Location name; wildcards allowed.</summary>
    [Parameter(ParameterSetName = ListSet, Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    [ArgumentCompleter(typeof(DciLocationNameCompleter))]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (ParameterSetName == IdSet)
        {
            LookUpIds<DciLocation>(connection, Id, connection.Inventory.GetLocationsAsync);
            return;
        }
        var query = new DciListQuery { Names = DciNameMatch.For(Name) };
        WriteList(ct => connection.Inventory.ListLocationsAsync(query, ct));
    }
}
