using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Lists openDCIM devices (GET /device). Exact filters run on openDCIM; a -Label wildcard asks openDCIM's substring
/// search (wildcards) for its longest literal part and the exact pattern decides. The list streams as it arrives.
/// </summary>
[DciPlatforms(DciPlatform.OpenDcim)]
[Cmdlet(VerbsCommon.Get, "DciDevice", DefaultParameterSetName = ListSet)]
[OutputType(typeof(DciDevice))]
public sealed class GetDciDeviceCommand : OpenDcimCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";
    private const string CabinetSet = "Cabinet";
    private const string DataCenterSet = "DataCenter";
    private const string DepartmentSet = "Department";

    /// <summary>Device labels; wildcards allowed (SRV-A01-*). A plain label that matches nothing is an error.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateCount(1, 100)]
    public string[]? Label { get; set; }

    /// <summary>Device ids (DeviceID).</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    /// <summary>Only this type: Server, Switch, CDU, Chassis, Appliance, Patch Panel, Storage Array, Sensor ...</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DeviceType { get; set; }

    /// <summary>Only the devices in this cabinet: a DciCabinet (from the pipeline), a location (wildcards allowed) or an id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CabinetSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public DciCabinet? Cabinet { get; set; }

    /// <summary>Only the devices in this data center's cabinets: a DciDataCenter (from the pipeline), a name or an id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DataCenterSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public DciDataCenter? DataCenter { get; set; }

    /// <summary>Only the devices this department owns: a DciDepartment (from the pipeline), a name or an id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DepartmentSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public DciDepartment? Department { get; set; }

    /// <summary>Only the device with this serial number (exact).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SerialNo { get; set; }

    /// <summary>Only the device with this asset tag (exact).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AssetTag { get; set; }

    /// <summary>Only these fields (openDCIM attributes=); DeviceID and the fields the filters need are always read.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Property { get; set; }

    protected override void ProcessRecord()
    {
        DciObject? source = (DciObject?)Cabinet ?? (DciObject?)DataCenter ?? Department;
        var connection = ResolveConnection(source?.Connection is null ? null : source);
        var labels = DciNameMatch.For(Label);

        IReadOnlyCollection<long>? cabinets = null;
        long? owner = null;
        switch (ParameterSetName)
        {
            case CabinetSet:
                cabinets = ResolveCabinets(connection, Cabinet!).Select(c => c.Id).ToList();
                break;
            case DataCenterSet:
                var centers = ResolveDataCenters(connection, DataCenter!).Select(d => d.Id).ToHashSet();
                cabinets = Call(ct => Od(connection).ListCabinetsAsync(null, ct).ToListAsync(ct))
                    .Where(c => c.DataCenterId is { } dc && centers.Contains(dc)).Select(c => c.Id).ToList();
                break;
            case DepartmentSet:
                owner = One(ResolveDepartments(connection, Department!), Department!, "department").Id;
                break;
        }
        if (cabinets is { Count: 0 }) return;

        // One request per label (none: one for all), narrowed on the server, decided here.
        var patterns = Label ?? new string?[] { null };
        var ids = ParameterSetName == IdSet ? Id.ToHashSet() : null;
        var seen = new HashSet<long>();
        foreach (var pattern in patterns)
        {
            var wildcard = pattern is not null && DciNamePattern.ContainsWildcards(pattern);
            var serverLabel = pattern is null ? null : wildcard ? LongestLiteral(pattern) : DciNamePattern.Unescape(pattern);
            var substring = wildcard && serverLabel is not null;
            var oneCabinet = cabinets is { Count: 1 } ? cabinets.First() : (long?)null;
            var query = new DciDeviceQuery
            {
                Id = ids is { Count: 1 } ? ids.First() : null,
                Label = serverLabel,
                Substring = substring,
                // Under 'wildcards' every filter is a substring match: the exact ones are checked here as well.
                DeviceType = DeviceType,
                Cabinet = oneCabinet,
                Owner = owner,
                SerialNo = SerialNo,
                AssetTag = AssetTag,
                Attributes = Property is null ? null : Property.Concat(new[] { "Label", "DeviceType", "Cabinet", "Owner", "SerialNo", "AssetTag" }).ToList(),
            };
            WriteList(ct => Od(connection).ListDevicesAsync(query, ct), d =>
                (ids is null || ids.Contains(d.Id))
                && (pattern is null || (labels?.Matches(d.Label) ?? true))
                && (DeviceType is null || string.Equals(d.DeviceType, DeviceType, StringComparison.OrdinalIgnoreCase))
                && (cabinets is null || (d.Cabinet is { } c && cabinets.Contains(c)))
                && (owner is null || d.Owner == owner)
                && (SerialNo is null || string.Equals(d.SerialNo, SerialNo, StringComparison.OrdinalIgnoreCase))
                && (AssetTag is null || string.Equals(d.AssetTag, AssetTag, StringComparison.OrdinalIgnoreCase))
                && seen.Add(d.Id));
        }
        foreach (var missing in labels?.NamesNotFound() ?? Enumerable.Empty<string>())
            WriteError(DciErrors.NotFound($"a device labelled '{missing}' on {connection.PanelAddress}", missing));
        foreach (var id in ids?.Where(i => !seen.Contains(i)) ?? Enumerable.Empty<long>())
            WriteError(DciErrors.NotFound($"device {id} on {connection.PanelAddress}", id));
    }
}
