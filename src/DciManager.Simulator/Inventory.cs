using System.Globalization;
using System.Text.Json;

namespace DciManager.Simulator;

// The physical plant around the servers: racks in locations, a data and an IPMI switch and a PDU per rack,
// and warehouse stock. Field names beyond the confirmed ones are decided in Inferred (inventory section).

internal sealed class Rack
{
    public int Id;
    public string Name = "";
    public Location Location = null!;
    public int Units = Inferred.RackUnits;
    public readonly List<Server> Servers = new();
    public NetSwitch Data = null!, Ipmi = null!;
    public Pdu Pdu = null!;
    public int FreeUnits => Units - Servers.Count;
}

internal sealed class NetSwitch
{
    public int Id;
    public string Name = "";
    public string Model = "";
    public string Ip = "";
    public bool IsIpmi;
    public Rack Rack = null!;
    public readonly List<SwitchPort> Ports = new();
}

internal sealed class SwitchPort
{
    public int Id;
    public NetSwitch Switch = null!;
    public int Number;
    public string Description = "";
    public string AdminStatus = "up";
    public string OperStatus = "down";
    public Server? Server;
    public int? ConnectionId;
}

internal sealed class Pdu
{
    public int Id;
    public string Name = "";
    public string Model = "";
    public string Ip = "";
    public Rack Rack = null!;
    public readonly List<PduPort> Ports = new();
}

internal sealed class PduPort
{
    public int Id;
    public Pdu Pdu = null!;
    public int Number;
    public string Identity = "";
    public Server? Server;
    public int? ConnectionId;
    public string PowerStatus = "on";
}

internal sealed class WarehouseItem
{
    public int Id;
    public string Name = "";
    public string Model = "";
    public string SerialNumber = "";
    public string Status = "";
    public Location Location = null!;
    public string? PartType;
}

public sealed partial class SimulatorState
{
    internal readonly List<Rack> Racks = new();
    internal readonly List<NetSwitch> Switches = new();
    internal readonly List<Pdu> Pdus = new();
    internal readonly Dictionary<string, List<WarehouseItem>> Warehouse = new(StringComparer.Ordinal);

    /// <summary>Racks as (name, location id, device count, server ids) for in-process tests.</summary>
    public IReadOnlyList<(int Id, string Name, int LocationId, int DeviceCount, IReadOnlyList<int> ServerIds)> GetRacks()
    {
        lock (Sync) return Racks.Select(r => (r.Id, r.Name, r.Location.Id, r.Servers.Count, (IReadOnlyList<int>)r.Servers.Select(s => s.Id).ToList())).ToList();
    }

    internal static void WriteRef(Utf8JsonWriter w, string name, int id, string text)
    {
        w.WriteStartObject(name);
        w.WriteNumber("id", id);
        w.WriteString("name", text);
        w.WriteEndObject();
    }

    internal static void WriteRack(Utf8JsonWriter w, Rack r)
    {
        w.WriteStartObject();
        w.WriteNumber("id", r.Id);
        w.WriteString("name", r.Name);
        w.WriteNumber("location_id", r.Location.Id);
        WriteRef(w, "location", r.Location.Id, r.Location.Name);
        w.WriteNumber("units", r.Units);
        w.WriteNumber("device_count", r.Servers.Count);
        w.WriteNumber("free_units", r.FreeUnits);
        w.WriteEndObject();
    }

    internal static void WriteSwitch(Utf8JsonWriter w, NetSwitch s)
    {
        w.WriteStartObject();
        w.WriteNumber("id", s.Id);
        w.WriteString("name", s.Name);
        w.WriteString("model", s.Model);
        w.WriteString("ip", s.Ip);
        w.WriteString("purpose", s.IsIpmi ? "ipmi" : "data");
        WriteRef(w, "rack", s.Rack.Id, s.Rack.Name);
        w.WriteNumber("location_id", s.Rack.Location.Id);
        w.WriteNumber("port_count", s.Ports.Count);
        w.WriteEndObject();
    }

    internal static void WriteSwitchPort(Utf8JsonWriter w, SwitchPort p)
    {
        w.WriteStartObject();
        w.WriteNumber("id", p.Id);
        w.WriteNumber("switch_id", p.Switch.Id);
        w.WriteString("switch_name", p.Switch.Name);
        w.WriteNumber("number", p.Number);
        w.WriteString("description", p.Description);
        w.WriteString("admin_status", p.AdminStatus);
        w.WriteString("oper_status", p.OperStatus);
        w.WriteNumber("speed", Inferred.PortSpeedMbps);
        if (p.Server is null) w.WriteNull("server"); else WriteRef(w, "server", p.Server.Id, p.Server.Name);
        if (p.ConnectionId is { } cid) w.WriteNumber("connection_id", cid); else w.WriteNull("connection_id");
        w.WriteBoolean("is_ipmi_connection", p.Switch.IsIpmi);
        w.WriteEndObject();
    }

    internal static void WritePdu(Utf8JsonWriter w, Pdu p)
    {
        w.WriteStartObject();
        w.WriteNumber("id", p.Id);
        w.WriteString("name", p.Name);
        w.WriteString("model", p.Model);
        w.WriteString("ip", p.Ip);
        WriteRef(w, "rack", p.Rack.Id, p.Rack.Name);
        w.WriteNumber("location_id", p.Rack.Location.Id);
        w.WriteNumber("port_count", p.Ports.Count);
        w.WriteEndObject();
    }

    internal static void WritePduPort(Utf8JsonWriter w, PduPort p)
    {
        w.WriteStartObject();
        w.WriteNumber("id", p.Id);
        w.WriteNumber("pdu_id", p.Pdu.Id);
        w.WriteString("pdu_name", p.Pdu.Name);
        w.WriteNumber("number", p.Number);
        w.WriteString("identity", p.Identity);
        w.WriteString("power_status", p.PowerStatus);
        if (p.Server is null) w.WriteNull("server"); else WriteRef(w, "server", p.Server.Id, p.Server.Name);
        if (p.ConnectionId is { } cid) w.WriteNumber("connection_id", cid); else w.WriteNull("connection_id");
        w.WriteEndObject();
    }

    internal static void WriteWarehouseItem(Utf8JsonWriter w, WarehouseItem i)
    {
        w.WriteStartObject();
        w.WriteNumber("id", i.Id);
        w.WriteString("name", i.Name);
        w.WriteString("model", i.Model);
        w.WriteString("serial_number", i.SerialNumber);
        w.WriteString("warehouse_status", i.Status);
        w.WriteNumber("location_id", i.Location.Id);
        WriteRef(w, "location", i.Location.Id, i.Location.Name);
        if (i.PartType is not null) w.WriteString("part_type", i.PartType);
        w.WriteEndObject();
    }
}

/// <summary>
/// Builds the racks, switches, PDUs and warehouse stock while the servers are seeded. It draws from its own
/// random stream, so the servers' own data (names, owners, configurations) stays what it was before racks existed.
/// </summary>
internal sealed class InventorySeeder
{
    private readonly SimulatorState _s;
    private readonly Random _rng;
    private readonly int _serverCount;

    public InventorySeeder(SimulatorState s, int serverCount, int seed)
    {
        _s = s;
        _serverCount = serverCount;
        _rng = new Random(unchecked(seed * 7919 + 17));
        int racks = Math.Max(Inferred.MinRacks, (serverCount + Inferred.ServersPerRack - 1) / Inferred.ServersPerRack);
        for (int i = 0; i < racks; i++) AddRack(s.Locations[i % s.Locations.Count]);
    }

    private Rack AddRack(Location location)
    {
        int id = _s.Racks.Count + 1;
        var rack = new Rack { Id = id, Name = $"Rack{id:D4}", Location = location };
        rack.Data = AddSwitch(rack, ipmi: false);
        rack.Ipmi = AddSwitch(rack, ipmi: true);
        var pdu = new Pdu
        {
            Id = id, Name = $"pdu-rack{id:D4}", Model = "APC AP8959EU3", Rack = rack,
            Ip = $"10.31.{id / 250}.{id % 250 + 1}",
        };
        for (int n = 1; n <= Inferred.PduOutlets; n++)
            pdu.Ports.Add(new PduPort { Id = (id - 1) * Inferred.PduOutlets + n, Pdu = pdu, Number = n, Identity = $"outlet-{n}" });
        rack.Pdu = pdu;
        _s.Pdus.Add(pdu);
        _s.Racks.Add(rack);
        return rack;
    }

    private NetSwitch AddSwitch(Rack rack, bool ipmi)
    {
        int id = _s.Switches.Count + 1;
        var sw = new NetSwitch
        {
            Id = id, Rack = rack, IsIpmi = ipmi,
            Name = ipmi ? $"mgmt-rack{rack.Id:D4}" : $"sw-rack{rack.Id:D4}",
            Model = ipmi ? "Cisco Catalyst 2960X-48TS-L" : "Cisco Catalyst 9300-48T",
            Ip = $"10.30.{id / 250}.{id % 250 + 1}",
        };
        // Data switches name ports as stack member 1, IPMI switches as member 2, as the seeded servers always did.
        int member = ipmi ? 2 : 1;
        for (int n = 1; n <= Inferred.SwitchPorts; n++)
            sw.Ports.Add(new SwitchPort { Id = (id - 1) * Inferred.SwitchPorts + n, Switch = sw, Number = n, Description = $"GigabitEthernet{member}/0/{n}" });
        _s.Switches.Add(sw);
        return sw;
    }

    /// <summary>Puts a server into a rack of its location (next free unit) and cables it to that rack's switches and PDU.</summary>
    public void Mount(Server srv)
    {
        var location = srv.Location!;
        var candidates = _s.Racks.Where(r => r.Location == location && r.FreeUnits > 0).ToList();
        var rack = candidates.Count == 0 ? AddRack(location) : candidates[_rng.Next(candidates.Count)];
        rack.Servers.Add(srv);
        int unit = rack.Servers.Count;
        srv.RackId = rack.Id;
        srv.RackName = rack.Name;
        srv.Unit = unit;
        srv.Switches.Add(Cable(srv, rack.Data.Ports[unit - 1], 200000 + srv.Id));
        srv.Switches.Add(Cable(srv, rack.Ipmi.Ports[unit - 1], 300000 + srv.Id));
        var outlet = rack.Pdu.Ports[unit - 1];
        outlet.Server = srv;
        outlet.ConnectionId = 100000 + srv.Id;
        srv.PduId = rack.Pdu.Id;
        srv.PduName = rack.Pdu.Name;
        srv.PduPort = outlet.Id;
        srv.PduPortIdentity = outlet.Identity;
        srv.PduConnectionId = 100000 + srv.Id;
    }

    private static SwitchConnection Cable(Server srv, SwitchPort port, int connectionId)
    {
        port.Server = srv;
        port.ConnectionId = connectionId;
        port.OperStatus = "up";
        return new SwitchConnection
        {
            Id = port.Id, SwitchId = port.Switch.Id, SwitchName = port.Switch.Name, ConnectionId = connectionId,
            Description = port.Description, Port = port, IsIpmi = port.Switch.IsIpmi, DoNotCollectTraffic = port.Switch.IsIpmi,
        };
    }

    private static readonly (string Type, string[] Models)[] Stock =
    {
        ("switch", new[] { "Cisco Catalyst 9300-48T", "Cisco Catalyst 2960X-48TS-L", "Juniper EX3400-48T" }),
        ("pdu", new[] { "APC AP8959EU3", "Raritan PX3-5145R" }),
        ("ups", new[] { "APC Smart-UPS SRT 6000", "Eaton 9PX 6000" }),
        ("chassis", new[] { "Supermicro SuperBlade SBE-820H", "Dell PowerEdge M1000e" }),
        ("spare_part", new[] { "Samsung PM983 1TB", "Micron 5300 PRO 1.92TB", "Samsung 32GB DDR4-3200 RDIMM", "Supermicro PWS-1K28P-SQ", "Intel X710-DA2" }),
    };

    private static readonly string[] PartTypes = { "disk", "disk", "ram", "psu", "nic" };

    /// <summary>Warehouse stock is in a location but in no rack; the amount grows with the installation.</summary>
    public void StockWarehouse()
    {
        int racks = _s.Racks.Count;
        foreach (var (type, models) in Stock)
        {
            int count = type switch
            {
                "switch" or "pdu" => Math.Max(4, racks / 10),
                "ups" or "chassis" => Math.Max(3, racks / 40),
                _ => Math.Max(12, _serverCount / 25),
            };
            var list = new List<WarehouseItem>(count);
            for (int i = 1; i <= count; i++)
            {
                int m = _rng.Next(models.Length);
                list.Add(new WarehouseItem
                {
                    Id = i, Model = models[m], Name = $"{type.Replace('_', '-')}-{i:D4}",
                    SerialNumber = $"SN{type[0..2].ToUpperInvariant()}{_rng.Next(1000000):D6}",
                    Status = Inferred.WarehouseStatuses[_rng.Next(Inferred.WarehouseStatuses.Length)],
                    Location = _s.Locations[_rng.Next(_s.Locations.Count)],
                    PartType = type == "spare_part" ? PartTypes[m] : null,
                });
            }
            _s.Warehouse[type] = list;
        }
    }
}

internal sealed partial class Api
{
    private FieldSet _rackFields = null!, _switchFields = null!, _switchPortFields = null!, _pduFields = null!, _pduPortFields = null!, _warehouseFields = null!;

    private void AddInventoryRoutes()
    {
        var loc = new Location(1, "x");
        var rack = new Rack { Id = 1, Name = "x", Location = loc };
        var sw = new NetSwitch { Id = 1, Name = "x", Rack = rack };
        var pdu = new Pdu { Id = 1, Name = "x", Rack = rack };
        var srv = new Server { Id = 1, Name = "x" };
        FieldSet Of(Action<Utf8JsonWriter> write) => FieldSet.FromPrototype(Json.Build(write).WrittenSpan);
        _rackFields = Of(w => SimulatorState.WriteRack(w, rack));
        _switchFields = Of(w => SimulatorState.WriteSwitch(w, sw));
        _switchPortFields = Of(w => SimulatorState.WriteSwitchPort(w, new SwitchPort { Switch = sw, Server = srv, ConnectionId = 1 }));
        _pduFields = Of(w => SimulatorState.WritePdu(w, pdu));
        _pduPortFields = Of(w => SimulatorState.WritePduPort(w, new PduPort { Pdu = pdu, Server = srv, ConnectionId = 1 }));
        _warehouseFields = Of(w => SimulatorState.WriteWarehouseItem(w, new WarehouseItem { Location = loc, PartType = "x" }));

        Add("dci/v3", "rack", "GET", c => Admin(c, () => SmallList(S.Racks, SimulatorState.WriteRack, _rackFields, c)));
        Add("dci/v3", "rack/{}", "GET", c => Admin(c, () => One(ById(S.Racks, c.P[0], r => r.Id), SimulatorState.WriteRack, "Rack", c.P[0])));
        Add("dci/v3", "switch", "GET", c => Admin(c, () => SmallList(S.Switches, SimulatorState.WriteSwitch, _switchFields, c)));
        Add("dci/v3", "switch/{}", "GET", c => Admin(c, () => One(ById(S.Switches, c.P[0], s => s.Id), SimulatorState.WriteSwitch, "Switch", c.P[0])));
        Add("dci/v3", "switch/{}/port", "GET", c => Admin(c, () => SmallList(FindSwitch(c.P[0]).Ports, SimulatorState.WriteSwitchPort, _switchPortFields, c)));
        Add("dci/v3", "switch/{}/port/{}", "GET", c => Admin(c, () => Ok(w => SimulatorState.WriteSwitchPort(w, FindPort(c.P[0], c.P[1])))));
        Add("dci/v3", "switch/{}/port/{}", "POST", c => Admin(c, () => EditPort(c)));
        Add("dci/v3", "pdu", "GET", c => Admin(c, () => SmallList(S.Pdus, SimulatorState.WritePdu, _pduFields, c)));
        Add("dci/v3", "pdu/{}", "GET", c => Admin(c, () => One(ById(S.Pdus, c.P[0], p => p.Id), SimulatorState.WritePdu, "PDU", c.P[0])));
        Add("dci/v3", "pdu/{}/port", "GET", c => Admin(c, () =>
            SmallList((ById(S.Pdus, c.P[0], p => p.Id) ?? throw ApiException.NotFound($"PDU {c.P[0]} not found")).Ports,
                SimulatorState.WritePduPort, _pduPortFields, c)));
        foreach (var type in Inferred.WarehouseTypes)
        {
            var t = type;
            Add("dci/v3", "warehouse/" + t, "GET", c => Admin(c, () => SmallList(S.Warehouse[t], SimulatorState.WriteWarehouseItem, _warehouseFields, c)));
        }
    }

    private static ApiResult Admin(Ctx c, Func<ApiResult> handler)
    {
        c.RequireAdmin();
        return handler();
    }

    /// <summary>Inventory ids are positions in their list (1-based), like server ids.</summary>
    private static T? ById<T>(List<T> list, string idText, Func<T, int> idOf) where T : class
    {
        int id = Id(idText);
        return id >= 1 && id <= list.Count && idOf(list[id - 1]) == id ? list[id - 1] : null;
    }

    private NetSwitch FindSwitch(string idText) => ById(S.Switches, idText, s => s.Id) ?? throw ApiException.NotFound($"Switch {idText} not found");

    private SwitchPort FindPort(string switchText, string portText)
    {
        var sw = FindSwitch(switchText);
        int id = Id(portText);
        return sw.Ports.FirstOrDefault(p => p.Id == id) ?? throw ApiException.NotFound($"Port {portText} not found on switch {switchText}");
    }

    /// <summary>POST switch/{id}/port/{port_id} {"admin_status": "up"|"down"} turns a port on or off at once and answers the port row.</summary>
    private ApiResult EditPort(Ctx c)
    {
        var port = FindPort(c.P[0], c.P[1]);
        var status = Require(Str(c.Body, "admin_status"), "admin_status").ToLowerInvariant();
        if (status is not ("up" or "down")) throw ApiException.BadRequest("admin_status", "admin_status must be 'up' or 'down'");
        port.AdminStatus = status;
        // A cabled port is linked exactly when it is enabled; an empty port has no link either way.
        port.OperStatus = status == "up" && port.Server is not null ? "up" : "down";
        port.Server?.Touch();
        S.AddLedger(0, port.Server?.Id ?? 0, status == "up" ? "port_enable" : "port_disable", c.Now, $"switch {port.Switch.Id} port {port.Id}");
        return Ok(w => SimulatorState.WriteSwitchPort(w, port));
    }
}
