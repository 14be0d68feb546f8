using DciManager.Client;
using DciManager.Client.Query;

namespace DciManager.Client.Tests;

/// <summary>Many ids are fetched with few list requests, answered in the order given, with one not-found per missing id.</summary>
public sealed class IdLookupTests
{
    [Fact]
    public async Task Two_hundred_dense_ids_are_one_request_answered_in_the_order_given()
    {
        await using var sim = await Sim.StartAsync(o => o.Servers = 300);
        using var connection = await Sim.AdminAsync(sim);
        var ids = Enumerable.Range(1, 200).Select(i => (long)i).Reverse().ToArray();

        var before = sim.State.RequestCount;
        var results = await connection.Servers.GetManyAsync(ids).ToListAsync();
        Assert.Equal(1, sim.State.RequestCount - before);
        Assert.Equal(ids, results.Select(r => r.Item!.Id));
        Assert.All(results, r => Assert.Same(connection, r.Item!.Connection));
        Assert.Equal(sim.State.GetServer(17)!.Name, results.Single(r => r.Id == 17).Item!.Name);
    }

    [Fact]
    public async Task Five_hundred_scattered_ids_take_at_most_two_requests_within_the_request_line_limit()
    {
        await using var sim = await Sim.StartAsync(o => o.Servers = 5000);
        using var connection = await Sim.AdminAsync(sim);
        var ids = Enumerable.Range(1, 5000).Select(i => (long)i).OrderBy(i => (i * 7919) % 5003).Take(500).ToArray(); // shuffled, 1 in 10

        var batches = new DciIdLookup().Batches(ids, 500).ToArray();
        Assert.InRange(batches.Length, 1, 2);
        Assert.All(batches, b => Assert.True(Uri.EscapeDataString(b.Filter.ToString()).Length <= DciIdLookup.MaxEncodedFilterLength));
        Assert.Equal(ids.Distinct().Count(), batches.Sum(b => b.Ids.Count));

        var before = sim.State.RequestCount;
        var results = await connection.Servers.GetManyAsync(ids).ToListAsync();
        Assert.InRange(sim.State.RequestCount - before, 1, 2);
        Assert.Equal(ids, results.Select(r => r.Item!.Id));
    }

    [Fact]
    public async Task A_missing_id_gets_a_not_found_error_of_its_own_and_a_repeated_id_is_answered_each_time()
    {
        await using var sim = await Sim.StartAsync();
        using var connection = await Sim.AdminAsync(sim);

        var results = await connection.Servers.GetManyAsync(new long[] { 5, 99_999, 3, 5 }).ToListAsync();
        Assert.Equal(new long[] { 5, 99_999, 3, 5 }, results.Select(r => r.Id));
        Assert.Equal(new[] { true, false, true, true }, results.Select(r => r.Found));
        var missing = results[1].Error!;
        Assert.Equal(404, missing.HttpStatus);
        Assert.Contains("99999", missing.Message);

        var users = await connection.Users.GetManyAsync(new long[] { 3, 2, 777 }).ToListAsync();
        Assert.Equal(new long[] { 3, 2 }, users.Where(u => u.Found).Select(u => u.Item!.Id));
        Assert.Equal(404, users[2].Error!.HttpStatus);
        var pools = await connection.Ip.GetPoolsAsync(new long[] { 2, 1 }).ToListAsync();
        Assert.Equal(new[] { "private", "public" }, pools.Select(p => p.Item!.Name));
        var networks = await connection.Ip.GetNetworksAsync(new long[] { 1 }).ToListAsync();
        Assert.True(networks.Single().Found);
    }

    [Fact]
    public async Task A_server_that_refuses_id_ranges_is_asked_again_by_id_lists_and_then_only_by_lists()
    {
        await using var sim = await Sim.StartAsync(o => o.Servers = 300);
        using var connection = await Sim.AdminAsync(sim);
        // The first list request (the id range) is refused as a bad filter, the way a server without GE/LE would.
        sim.State.Faults.Add(new DciManager.Simulator.FaultRule
        {
            Kind = DciManager.Simulator.FaultKind.Status500, StatusCode = 400, Method = "GET", PathContains = "dci/v3/server", Count = 1,
        });
        var ids = Enumerable.Range(1, 200).Select(i => (long)i).ToArray();

        var before = sim.State.RequestCount;
        var results = await connection.Servers.GetManyAsync(ids).ToListAsync();
        Assert.Equal(ids, results.Select(r => r.Item!.Id));
        Assert.Equal(2, sim.State.RequestCount - before); // the refused range, then one OR-list

        before = sim.State.RequestCount;
        Assert.Equal(200, (await connection.Servers.GetManyAsync(ids).ToListAsync()).Count(r => r.Found));
        Assert.Equal(1, sim.State.RequestCount - before);
    }

    [Fact]
    public async Task A_user_sees_only_their_own_servers_by_id()
    {
        await using var sim = await Sim.StartAsync();
        using var admin = await Sim.AdminAsync(sim);
        var owned = sim.State.GetServers().First(s => s.OwnerEmail == "user01@example.com").Id;
        var other = sim.State.GetServers().First(s => s.OwnerEmail != "user01@example.com").Id;
        using var user = await Sim.UserAsync(sim);

        var results = await user.Servers.GetManyAsync(new long[] { other, owned }).ToListAsync();
        Assert.False(results[0].Found);
        Assert.Equal(owned, results[1].Item!.Id);
    }
}
