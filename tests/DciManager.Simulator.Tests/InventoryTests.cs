using System.Text.Json;

namespace DciManager.Simulator.Tests;

/// <summary>
/// Inventory lists driven the way third-party DCImanager 6 clients drive them (a performance-test suite calls
/// rack and warehouse lists with where/orderby/limit): raw HTTP only, nothing from the module.
/// </summary>
public sealed class InventoryCompatibilityTests : IClassFixture<SharedSim>
{
    private readonly SharedSim _f;
    private Sim Sim => _f.Sim;
    public InventoryCompatibilityTests(SharedSim f) { _f = f; }

    private static void AssertListEnvelope(Resp r, int? limit, string what)
    {
        Assert.True(r.StatusCode == 200, $"{what}: {r.StatusCode} {r.Body}");
        Assert.Equal(JsonValueKind.Array, r.Json.GetProperty("list").ValueKind);
        Assert.Equal(JsonValueKind.Number, r.Json.GetProperty("size").ValueKind);
        Assert.True(r.Json.GetProperty("size").TryGetInt32(out _), $"{what}: size is not an int");
        if (limit is { } n) Assert.True(r.List.Length <= n, $"{what}: {r.List.Length} rows for limit {n}");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(50)]
    [InlineData(100)]
    [InlineData(250)]
    [InlineData(2000)]
    public async Task RackList_NameCp_OrderByDeviceCountDesc_Limit(int limit)
    {
        var where = Uri.EscapeDataString("name CP '%Rack0001%'");
        var orderby = Uri.EscapeDataString("device_count desc");
        var r = await Sim.GetAsync($"dci/v3/rack?where={where}&orderby={orderby}&limit={limit}");
        AssertListEnvelope(r, limit, $"rack limit={limit}");
        Assert.All(r.List, x => Assert.Contains("Rack0001", x.S("name")));

        var all = await Sim.GetAsync($"dci/v3/rack?orderby={orderby}&limit={limit}");
        AssertListEnvelope(all, limit, $"rack (no where) limit={limit}");
        var counts = all.List.Select(x => x.I("device_count")).ToArray();
        Assert.Equal(counts.OrderByDescending(c => c), counts);
    }

    public static IEnumerable<object[]> WarehouseLists() =>
        new[] { "switch", "pdu", "ups", "chassis", "spare_part" }.Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(WarehouseLists))]
    public async Task WarehouseList_OrderByWarehouseStatusDesc_WithAndWithoutLimit(string type)
    {
        var orderby = Uri.EscapeDataString("warehouse_status desc");
        var full = await Sim.GetAsync($"dci/v3/warehouse/{type}?orderby={orderby}");
        AssertListEnvelope(full, null, $"warehouse/{type}");
        Assert.NotEmpty(full.List);
        var statuses = full.List.Select(x => x.S("warehouse_status")!).ToArray();
        Assert.Equal(statuses.OrderByDescending(s => s, StringComparer.Ordinal), statuses);
        Assert.Equal(full.Size, full.List.Length);

        for (int n = 1; n <= 100; n++)
        {
            var r = await Sim.GetAsync($"api/dci/v3/warehouse/{type}?orderby={orderby}&limit={n}");
            AssertListEnvelope(r, n, $"warehouse/{type} limit={n}");
            Assert.Equal(full.Size, r.Size);
            Assert.Equal(Math.Min(n, full.Size), r.List.Length);
        }
    }

    [Fact]
    public async Task SwitchPorts_OrderByIdDesc_Limit_NameTheirServer()
    {
        var r = await Sim.GetAsync("dci/v3/switch/1/port?orderby=" + Uri.EscapeDataString("id desc") + "&limit=20");
        AssertListEnvelope(r, 20, "switch/1/port");
        var ids = r.List.Select(p => p.I("id")).ToArray();
        Assert.Equal(ids.OrderByDescending(i => i), ids);
        foreach (var p in r.List)
        {
            Assert.StartsWith("GigabitEthernet", p.S("description"));
            var server = p.GetProperty("server");
            Assert.True(server.ValueKind is JsonValueKind.Null || server.GetProperty("name").ValueKind == JsonValueKind.String);
        }
    }

    [Theory]
    [InlineData("dci/v3/rack")]
    [InlineData("dci/v3/location")]
    [InlineData("dci/v3/switch")]
    [InlineData("dci/v3/switch/1/port")]
    [InlineData("dci/v3/pdu")]
    [InlineData("dci/v3/pdu/1/port")]
    [InlineData("dci/v3/warehouse/switch")]
    [InlineData("dci/v3/warehouse/spare_part")]
    public async Task EveryInventoryList_RefusesAnUnknownOrderByField_AndAnonymousCallers(string path)
    {
        var bad = await Sim.GetAsync(path + "?orderby=" + Uri.EscapeDataString("no_such_field desc"));
        Assert.Equal(400, bad.StatusCode);
        Assert.Equal(4000, bad.ErrorCode);
        Assert.Equal("orderby", bad.ErrorField);
        Assert.Equal(401, (await Sim.GetAsync(path, token: null)).StatusCode);
        foreach (var n in new[] { 1, 2000 }) AssertListEnvelope(await Sim.GetAsync($"{path}?limit={n}"), n, $"{path} limit={n}");
    }

    [Fact]
    public async Task InventoryLists_AreForAdmins()
    {
        var user = await Sim.LoginUserAsync();
        Assert.Equal(403, (await Sim.GetAsync("dci/v3/rack", user)).StatusCode);
        Assert.Equal(403, (await Sim.GetAsync("dci/v3/warehouse/ups", user)).StatusCode);
        Assert.Equal(200, (await Sim.GetAsync("dci/v3/location", user)).StatusCode);
        Assert.Equal(404, (await Sim.GetAsync("dci/v3/rack/99999")).StatusCode);
        Assert.Equal(404, (await Sim.GetAsync("dci/v3/switch/99999/port")).StatusCode);
    }

    [Fact]
    public async Task Inventory_IsConsistent_ServersSitInRacksAndPortsNameThem()
    {
        var servers = _f.AllServers;
        var racks = (await Sim.GetAsync("dci/v3/rack")).List;
        var locations = (await Sim.GetAsync("dci/v3/location")).List.Select(l => l.I("id")).ToHashSet();
        Assert.Equal(servers.Length, racks.Sum(r => r.I("device_count")));
        foreach (var rack in racks)
        {
            Assert.Contains(rack.I("location_id"), locations);
            var inRack = servers.Where(s => s.GetProperty("rack").I("id") == rack.I("id")).ToArray();
            Assert.Equal(rack.I("device_count"), inRack.Length);
            Assert.All(inRack, s => Assert.Equal(rack.I("location_id"), s.I("location_id")));
            Assert.All(inRack, s => Assert.InRange(s.I("unit"), 1, rack.I("units")));
            Assert.Equal(inRack.Length, inRack.Select(s => s.I("unit")).Distinct().Count());
        }

        var ports = new Dictionary<int, JsonElement[]>();
        foreach (var s in servers)
        {
            Assert.Equal(s.I("location_id"), s.GetProperty("location").I("id"));
            foreach (var c in s.GetProperty("switch_connection").EnumerateArray())
            {
                int sw = c.I("switch");
                if (!ports.TryGetValue(sw, out var list))
                    ports[sw] = list = (await Sim.GetAsync($"dci/v3/switch/{sw}/port")).List;
                var port = Assert.Single(list, p => p.I("id") == c.I("id"));
                Assert.Equal(c.S("description"), port.S("description"));
                Assert.Equal(s.S("name"), port.GetProperty("server").S("name"));
                Assert.Equal(c.S("admin_status"), port.S("admin_status"));
            }
        }
        // No port claims a server whose connections do not list it.
        foreach (var (sw, list) in ports)
            foreach (var p in list.Where(p => p.GetProperty("server").ValueKind == JsonValueKind.Object))
            {
                var s = servers.Single(x => x.I("id") == p.GetProperty("server").I("id"));
                Assert.Contains(s.GetProperty("switch_connection").EnumerateArray(), c => c.I("id") == p.I("id") && c.I("switch") == sw);
            }

        var rackNames = racks.Select(r => r.S("name")!).ToHashSet();
        foreach (var type in new[] { "switch", "pdu", "ups", "chassis", "spare_part" })
            foreach (var item in (await Sim.GetAsync($"dci/v3/warehouse/{type}")).List)
            {
                Assert.False(item.TryGetProperty("rack", out _), $"warehouse {type} {item.I("id")} is in a rack");
                Assert.Contains(item.I("location_id"), locations);
            }
        Assert.All(racks, r => Assert.Matches("^Rack[0-9]{4}$", r.S("name")));
        Assert.NotEmpty(rackNames);
    }
}

/// <summary>Inventory that changes state, or needs its own size: each test starts its own simulator.</summary>
public sealed class InventoryStateTests
{
    [Fact]
    public async Task TenThousandServers_FillFourHundredRacks_WithPortsForEveryServer()
    {
        await using var sim = await Sim.StartAsync(o => o.Servers = 10000);
        var racks = sim.State.GetRacks();
        Assert.Equal(400, racks.Count);
        Assert.Equal(10000, racks.Sum(r => r.DeviceCount));
        Assert.All(racks, r => Assert.InRange(r.DeviceCount, 1, 42));
        var page = await sim.GetAsync("dci/v3/rack?where=" + Uri.EscapeDataString("name CP '%Rack000%'") + "&orderby=" + Uri.EscapeDataString("name asc"));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"Rack{i:D4}"), page.List.Select(r => r.S("name")));
        Assert.Equal(800, (await sim.GetAsync("dci/v3/switch?limit=1")).Size);
        var last = await sim.ServerAsync(10000);
        int sw = last.GetProperty("switch_connection")[0].I("switch");
        var ports = (await sim.GetAsync($"dci/v3/switch/{sw}/port?where=" + Uri.EscapeDataString($"server.id EQ 10000"))).List;
        Assert.Equal("GigabitEthernet1/0/" + last.I("unit"), Assert.Single(ports).S("description"));
    }

    [Fact]
    public async Task TurningAPortOffAndOn_ShowsInTheServersSwitchConnection()
    {
        await using var sim = await Sim.StartAsync();
        var server = (await sim.FindAsync("state EQ 'active'"))[0];
        int id = server.I("id");
        var conn = server.GetProperty("switch_connection").EnumerateArray().First(c => !c.GetProperty("is_ipmi_connection").GetBoolean());
        Assert.Equal("up", conn.S("admin_status"));
        string path = $"dci/v3/switch/{conn.I("switch")}/port/{conn.I("id")}";

        var off = await sim.PostAsync(path, new { admin_status = "down" });
        Assert.Equal(200, off.StatusCode);
        Assert.Equal("down", off.Json.S("admin_status"));
        Assert.Equal("down", off.Json.S("oper_status"));
        var after = (await sim.ServerAsync(id)).GetProperty("switch_connection").EnumerateArray().Single(c => c.I("id") == conn.I("id"));
        Assert.Equal("down", after.S("admin_status"));
        Assert.Equal("down", (await sim.GetAsync(path)).Json.S("admin_status"));

        var on = await sim.PostAsync(path, new { admin_status = "up" });
        Assert.Equal("up", on.Json.S("admin_status"));
        Assert.Equal("up", (await sim.ServerAsync(id)).GetProperty("switch_connection").EnumerateArray().Single(c => c.I("id") == conn.I("id")).S("admin_status"));

        Assert.Equal(400, (await sim.PostAsync(path, new { admin_status = "sideways" })).StatusCode);
        Assert.Equal(403, (await sim.PostAsync(path, new { admin_status = "down" }, await sim.LoginUserAsync())).StatusCode);
        Assert.Equal(404, (await sim.PostAsync($"dci/v3/switch/{conn.I("switch")}/port/999999", new { admin_status = "down" })).StatusCode);
    }

    [Fact]
    public async Task Suspend_DisablesTheSamePortsTheSwitchListShows()
    {
        await using var sim = await Sim.StartAsync();
        var server = (await sim.FindAsync("state EQ 'active'"))[0];
        int id = server.I("id");
        await sim.WaitTaskAsync(await sim.ActionAsync(id, "suspend"));
        var conn = (await sim.ServerAsync(id)).GetProperty("switch_connection").EnumerateArray().First(c => !c.GetProperty("is_ipmi_connection").GetBoolean());
        var port = (await sim.GetAsync($"dci/v3/switch/{conn.I("switch")}/port?where=" + Uri.EscapeDataString($"id EQ {conn.I("id")}"))).List.Single();
        Assert.Equal("down", port.S("admin_status"));
    }
}
