using DciManager.Client;

namespace DciManager.Client.Tests;

/// <summary>The inventory engine calls against the simulator over loopback.</summary>
public sealed class InventoryApiTests
{
    [Fact]
    public async Task Racks_and_warehouse_items_come_typed_with_their_connection_and_list()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim, pageSize: 3);
        var racks = await c.Inventory.ListRacksAsync(new DciQuery { OrderBy = "device_count desc" }).ToListAsync();
        Assert.Equal(sim.State.GetRacks().Count, racks.Count); // paged by 3
        Assert.All(racks, r => Assert.Same(c, r.Connection));
        Assert.Equal(racks.Select(r => r.DeviceCount).OrderByDescending(n => n), racks.Select(r => r.DeviceCount));
        Assert.Equal(sim.State.ServerCount, racks.Sum(r => r.DeviceCount));
        Assert.NotNull(racks[0].Location?.Name);
        Assert.Equal("Rack0002", (await c.Inventory.GetRackAsync(2)).Name);

        foreach (var type in Enum.GetValues<DciWarehouseType>())
        {
            var items = await c.Inventory.ListWarehouseAsync(type).ToListAsync();
            Assert.NotEmpty(items);
            Assert.All(items, i => Assert.Equal(type, i.Type));
        }
        var parts = await c.Inventory.ListWarehouseAsync(DciWarehouseType.SparePart).ToListAsync();
        Assert.All(parts, p => Assert.False(string.IsNullOrEmpty(p.PartType)));
    }

    [Fact]
    public async Task A_servers_ports_are_the_ones_its_switch_connection_names_and_turning_one_off_shows_on_the_server()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        var server = await c.Servers.GetAsync(5);
        var before = sim.State.RequestCount;
        var ports = await c.Inventory.ListServerPortsAsync(server).ToListAsync();
        Assert.Equal(server.SwitchConnection.Count, sim.State.RequestCount - before); // one request per switch
        Assert.Equal(server.SwitchConnection.Select(s => s.Id), ports.Select(p => p.Id));
        Assert.All(ports, p => Assert.Equal(server.Name, p.ServerName));
        Assert.All(ports, p => Assert.Equal(server.Id, p.ServerId));

        var data = ports.First(p => p.IsIpmiConnection != true);
        var off = await c.Inventory.SetPortEnabledAsync(data.SwitchId!.Value, data.Id, enabled: false);
        Assert.False(off.IsEnabled);
        Assert.Equal("down", (await c.Servers.GetAsync(5)).SwitchConnection.Single(s => s.Id == data.Id).AdminStatus);
        var on = await c.Inventory.SetPortEnabledAsync(data.SwitchId!.Value, data.Id, enabled: true);
        Assert.True(on.IsEnabled);
        Assert.Equal("up", (await c.Servers.GetAsync(5)).SwitchConnection.Single(s => s.Id == data.Id).AdminStatus);

        var missing = await Assert.ThrowsAsync<DciApiException>(() => c.Inventory.SetPortEnabledAsync(data.SwitchId!.Value, 999999, enabled: false));
        Assert.Equal(404, missing.HttpStatus);
    }
}
