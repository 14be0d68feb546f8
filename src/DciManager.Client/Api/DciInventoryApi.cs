using DciManager.Client.Http;
using DciManager.Client.Models;
using DciManager.Client.Query;

namespace DciManager.Client;

/// <summary>The physical plant: locations, racks, switches and their ports, PDUs and warehouse stock.</summary>
public sealed class DciInventoryApi : Platforms.IDciInventoryOperations
{
    private readonly DciConnection _c;

    // One batcher per list: each remembers whether its endpoint refused id ranges.
    private readonly DciIdLookup _locationsByIds = new();
    private readonly DciIdLookup _racksByIds = new();
    private readonly DciIdLookup _switchesByIds = new();
    private readonly DciIdLookup _pdusByIds = new();

    internal DciInventoryApi(DciConnection connection) => _c = connection;

    /// <summary>The locations with these ids in few list requests: one result per id, in the order given.</summary>
    public IAsyncEnumerable<DciLookupResult<DciLocation>> GetLocationsAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        _locationsByIds.GetManyAsync(ids, _c.Options.PageSize, ListLocationsAsync, l => l.Id ?? 0, "dci/v3/location", "Location", ct);

    /// <summary>The racks with these ids in few list requests: one result per id, in the order given.</summary>
    public IAsyncEnumerable<DciLookupResult<DciRack>> GetRacksAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        _racksByIds.GetManyAsync(ids, _c.Options.PageSize, ListRacksAsync, r => r.Id ?? 0, "dci/v3/rack", "Rack", ct);

    /// <summary>The switches with these ids in few list requests: one result per id, in the order given.</summary>
    public IAsyncEnumerable<DciLookupResult<DciSwitch>> GetSwitchesAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        _switchesByIds.GetManyAsync(ids, _c.Options.PageSize, ListSwitchesAsync, s => s.Id, "dci/v3/switch", "Switch", ct);

    /// <summary>The PDUs with these ids in few list requests: one result per id, in the order given.</summary>
    public IAsyncEnumerable<DciLookupResult<DciPdu>> GetPdusAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        _pdusByIds.GetManyAsync(ids, _c.Options.PageSize, ListPdusAsync, p => p.Id, "dci/v3/pdu", "Pdu", ct);

    public IAsyncEnumerable<DciLocation> ListLocationsAsync(DciListQuery query, CancellationToken ct = default) =>
        DciListFilter.Apply(ListLocationsAsync(Dci6ListQuery.ToWhere(query, Dci6ListFields.Named), ct), query, DciListFieldsOf.Locations);

    /// <summary>Warehouse items by the neutral query (State: the warehouse status).</summary>
    public IAsyncEnumerable<DciWarehouseItem> ListWarehouseAsync(DciWarehouseType type, DciListQuery query, CancellationToken ct = default) =>
        DciListFilter.Apply(ListWarehouseAsync(type, Dci6ListQuery.ToWhere(query, Dci6ListFields.Warehouse), ct), query, DciListFieldsOf.WarehouseItems);

    public IAsyncEnumerable<DciLocation> ListLocationsAsync(DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "dci/v3/location", query, DciJsonContext.Default.DciListDciLocation, null, ct);

    public IAsyncEnumerable<DciRack> ListRacksAsync(DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "dci/v3/rack", query, DciJsonContext.Default.DciListDciRack, null, ct);

    IAsyncEnumerable<DciRack> Platforms.IDciInventoryOperations.ListRacksAsync(DciListQuery? query, CancellationToken ct) =>
        DciListFilter.Apply(ListRacksAsync(Dci6ListQuery.ToWhere(query, Dci6ListFields.Racks), ct), query, DciListFieldsOf.Racks);

    public Task<DciRack> GetRackAsync(long id, CancellationToken ct = default) =>
        DciPager.GetByIdAsync(_c, "dci/v3/rack", id, "Rack", DciJsonContext.Default.DciListDciRack, null, ct);

    public IAsyncEnumerable<DciSwitch> ListSwitchesAsync(DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "dci/v3/switch", query, DciJsonContext.Default.DciListDciSwitch, null, ct);

    IAsyncEnumerable<DciSwitch> Platforms.IDciInventoryOperations.ListSwitchesAsync(DciListQuery? query, CancellationToken ct) =>
        DciListFilter.Apply(ListSwitchesAsync(Dci6ListQuery.ToWhere(query, Dci6ListFields.InRack), ct), query, DciListFieldsOf.Switches);

    public Task<DciSwitch> GetSwitchAsync(long id, CancellationToken ct = default) =>
        DciPager.GetByIdAsync(_c, "dci/v3/switch", id, "Switch", DciJsonContext.Default.DciListDciSwitch, null, ct);

    /// <summary>The ports of one switch; each carries <see cref="DciSwitchPort.SwitchId"/>.</summary>
    public IAsyncEnumerable<DciSwitchPort> ListSwitchPortsAsync(long switchId, DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, PortsPath(switchId), query, DciJsonContext.Default.DciListDciSwitchPort, p => p.SwitchId ??= switchId, ct);

    IAsyncEnumerable<DciSwitchPort> Platforms.IDciInventoryOperations.ListSwitchPortsAsync(long switchId, DciListQuery? query, CancellationToken ct) =>
        DciListFilter.Apply(ListSwitchPortsAsync(switchId, Dci6ListQuery.ToWhere(query, Dci6ListFields.SwitchPorts), ct), query, DciListFieldsOf.SwitchPorts);

    /// <summary>
    /// The ports a server is cabled to, as its <c>switch_connection[]</c> names them: one filtered port list per
    /// switch it is connected to (a server has one or two), in the order of its connections. The ports are looked up
    /// by id; <paramref name="query"/> (a description) is matched on what comes back.
    /// </summary>
    public async IAsyncEnumerable<DciSwitchPort> ListServerPortsAsync(DciServer server, DciListQuery? query = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        foreach (var perSwitch in server.SwitchConnection.Where(c => c?.Switch is not null).GroupBy(c => c.Switch!.Value))
        {
            var byIds = new DciQuery { Where = DciFilter.AnyOf("id", perSwitch.Select(c => (object)c.Id).Distinct()) };
            await foreach (var port in ListSwitchPortsAsync(perSwitch.Key, byIds, ct).ConfigureAwait(false))
                if (query is null || DciListFilter.Matches(port, query, DciListFieldsOf.SwitchPorts)) yield return port;
        }
    }

    /// <summary>
    /// Turns a port on or off (POST switch/{id}/port/{port_id} {"admin_status"}, decided) and returns the port as
    /// the panel now reports it. Turning off cuts the cabled server off that network.
    /// </summary>
    public async Task<DciSwitchPort> SetPortEnabledAsync(long switchId, long portId, bool enabled, CancellationToken ct = default)
    {
        var request = new DciRequest(HttpMethod.Post, $"{PortsPath(switchId)}/{DciRequest.Id(portId)}")
            .WithJson(w => { w.WriteStartObject(); w.WriteString("admin_status", enabled ? "up" : "down"); w.WriteEndObject(); });
        await _c.Transport.SendAsync(request, DciJsonContext.Default.JsonElement, ct).ConfigureAwait(false);
        // Read back through the list, so a panel that answers {} or a task still yields the port's real state.
        return await DciPager.GetByIdAsync(_c, PortsPath(switchId), portId, "Port", DciJsonContext.Default.DciListDciSwitchPort,
            p => p.SwitchId ??= switchId, ct).ConfigureAwait(false);
    }

    public IAsyncEnumerable<DciPdu> ListPdusAsync(DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "dci/v3/pdu", query, DciJsonContext.Default.DciListDciPdu, null, ct);

    IAsyncEnumerable<DciPdu> Platforms.IDciInventoryOperations.ListPdusAsync(DciListQuery? query, CancellationToken ct) =>
        DciListFilter.Apply(ListPdusAsync(Dci6ListQuery.ToWhere(query, Dci6ListFields.InRack), ct), query, DciListFieldsOf.Pdus);

    public IAsyncEnumerable<DciWarehouseItem> ListWarehouseAsync(DciWarehouseType type, DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "dci/v3/warehouse/" + WarehousePath(type), query, DciJsonContext.Default.DciListDciWarehouseItem, i => i.Type = type, ct);

    internal static string WarehousePath(DciWarehouseType type) => type switch
    {
        DciWarehouseType.Switch => "switch",
        DciWarehouseType.Pdu => "pdu",
        DciWarehouseType.Ups => "ups",
        DciWarehouseType.Chassis => "chassis",
        DciWarehouseType.SparePart => "spare_part",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static string PortsPath(long switchId) => $"dci/v3/switch/{DciRequest.Id(switchId)}/port";
}
