using DciManager.Client;

namespace DciManager.PowerShell.Tests;

/// <summary>Inventory cmdlets in a hosted engine: how inventory objects bind, and what a pipeline costs in requests.</summary>
public sealed class InventoryTests
{
    [Fact]
    public async Task Rack_to_servers_over_ten_thousand_servers_makes_one_request_per_rack_plus_the_rack_list()
    {
        await using var session = await ModuleSession.StartAsync(new DciManager.Simulator.SimulatorOptions { Servers = 10000 });
        var racks = session.Simulator.State.GetRacks().Count;
        Assert.Equal(400, racks);
        var before = session.Simulator.State.RequestCount;
        var servers = session.Run("Get-DciRack | Get-DciServer").ThrowOnError().Objects<DciServer>();
        var requests = session.Simulator.State.RequestCount - before;
        Assert.Equal(10000, servers.Length);
        Assert.Equal(10000, servers.Select(s => s.Id).Distinct().Count());
        // One rack list (400 racks fit one page) and one filtered server list per rack (at most 42 servers each).
        Assert.Equal(1 + racks, requests);
    }

    [Fact]
    public async Task Racks_locations_and_switches_piped_into_Get_DciServer_are_never_read_as_server_ids()
    {
        await using var session = await ModuleSession.StartAsync();
        var byRack = session.Run("Get-DciRack -Name Rack0004 | Get-DciServer").ThrowOnError().Objects<DciServer>();
        var rack = session.Simulator.State.GetRacks().Single(r => r.Name == "Rack0004");
        Assert.Equal(rack.ServerIds.OrderBy(i => i), byRack.Select(s => (int)s.Id).OrderBy(i => i));

        var byLocation = session.Run("Get-DciLocation -Name 'DC1*' | Get-DciServer").ThrowOnError().Objects<DciServer>();
        Assert.True(byLocation.Length > 1);
        Assert.All(byLocation, s => Assert.Equal(1, s.LocationId));

        var bySwitch = session.Run("Get-DciSwitch -Id 3 | Get-DciServer").ThrowOnError().Objects<DciServer>();
        Assert.True(bySwitch.Length > 1);
        Assert.All(bySwitch, s => Assert.Contains(s.SwitchConnection, c => c.Switch == 3));

        var byPdu = session.Run("Get-DciPdu -Id 2 | Get-DciServer").ThrowOnError().Objects<DciServer>();
        Assert.Equal(session.Simulator.State.GetRacks()[1].ServerIds.OrderBy(i => i), byPdu.Select(s => (int)s.Id).OrderBy(i => i));
        Assert.All(byPdu, s => Assert.Equal(2L, ((DciData)s.PduConnection!)["pdu_id"]));

        // A switch port names its server: piping it in gets that server.
        var byPort = session.Run("$port = @(Get-DciServer -Name web-001 | Get-DciSwitchPort)[0]; $port | Get-DciServer").ThrowOnError().Objects<DciServer>();
        Assert.Equal("web-001", Assert.Single(byPort).Name);
    }

    [Fact]
    public async Task Disable_asks_first_and_a_refused_port_is_a_non_terminating_error()
    {
        await using var session = await ModuleSession.StartAsync();
        var requests = session.Simulator.State.RequestCount;
        var whatIf = session.Run("Get-DciSwitchPort -Switch sw-rack0001 -Description 'GigabitEthernet1/0/1' | Disable-DciSwitchPort -WhatIf").ThrowOnError();
        Assert.Empty(whatIf.Objects<DciSwitchPort>());
        Assert.DoesNotContain(session.Simulator.State.Ledger, e => e.Operation.StartsWith("port_", StringComparison.Ordinal));

        var result = session.Run(
            "$good = Get-DciSwitchPort -Switch sw-rack0001 -Description 'GigabitEthernet1/0/2';" +
            "$bad = [DciManager.Client.DciSwitchPort]@{ Id = 999999; SwitchId = 1; Connection = $good.Connection };" +
            "$bad, $good | Disable-DciSwitchPort -Confirm:$false");
        var error = Assert.Single(result.Errors);
        Assert.Equal("Dci.Api.404,DciManager.Commands.DisableDciSwitchPortCommand", error.FullyQualifiedErrorId);
        Assert.Equal("down", Assert.Single(result.Objects<DciSwitchPort>()).AdminStatus);
        Assert.True(session.Simulator.State.RequestCount > requests);
    }
}
