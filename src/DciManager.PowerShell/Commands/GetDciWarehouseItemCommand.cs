using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists equipment and components in stock (dci/v3/warehouse/switch|pdu|ups|chassis|spare_part).</summary>
[Cmdlet(VerbsCommon.Get, "DciWarehouseItem")]
[OutputType(typeof(DciWarehouseItem))]
public sealed class GetDciWarehouseItemCommand : DciCmdlet
{
    /// <summary>Which warehouse lists to read; all five when omitted.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public DciWarehouseType[] Type { get; set; } = Enum.GetValues<DciWarehouseType>();

    /// <summary>Item name; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    public string? Name { get; set; }

    /// <summary>Only items with this warehouse status (e.g. in_stock); wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 64)]
    public string? Status { get; set; }

    /// <summary>Sort field and direction, e.g. 'warehouse_status desc'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateDciSort]
    public string? Sort { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var query = new DciListQuery
        {
            Names = DciNameMatch.For(Name),
            State = Status is null ? null : DciNamePattern.Parse(Status),
            Sort = Sort is null ? null : DciSortKey.Parse(Sort),
        };
        foreach (var type in Type.Distinct())
        {
            WriteList(ct => connection.Inventory.ListWarehouseAsync(type, query, ct), target: type);
        }
    }
}
