using DciManager.Client;
using DciManager.Simulator;

namespace DciManager.Client.Tests;

/// <summary>Tab completion asks the server only for what matches, and its cache saves every request it can.</summary>
public sealed class CompletionLookupTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch.AddYears(56);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_cold_lookup_is_one_request_for_the_matching_names_only_and_a_repeat_is_none()
    {
        await using var sim = await Sim.StartAsync(o => o.Servers = 2000);
        using var connection = await Sim.AdminAsync(sim);
        var cache = new DciCompletionCache(connection, new ManualClock());
        var expected = sim.State.GetServers().Where(s => s.Name.StartsWith("db-01", StringComparison.OrdinalIgnoreCase)).Select(s => s.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(expected);

        var before = sim.State.RequestCount;
        var names = cache.Complete(DciCompletionKind.ServerName, "db-01", Patient).Select(i => i.Value).ToArray();
        Assert.Equal(1, sim.State.RequestCount - before);
        Assert.Equal(expected, names);

        before = sim.State.RequestCount;
        Assert.Equal(expected, cache.Complete(DciCompletionKind.ServerName, "db-01", Patient).Select(i => i.Value));
        Assert.Equal(0, sim.State.RequestCount - before);
    }

    [Fact]
    public async Task A_lookup_cut_at_the_limit_asks_again_for_a_narrower_text_and_a_complete_one_does_not()
    {
        await using var sim = await Sim.StartAsync(o => o.Servers = 2000);
        using var connection = await Sim.AdminAsync(sim);
        var cache = new DciCompletionCache(connection, new ManualClock());
        var servers = sim.State.GetServers();
        Assert.True(servers.Count(s => s.Name.StartsWith("web", StringComparison.OrdinalIgnoreCase)) > DciCompletionKind.FilteredLimit);

        var before = sim.State.RequestCount;
        var wide = cache.Complete(DciCompletionKind.ServerName, "web", Patient);
        Assert.Equal(DciCompletionKind.FilteredLimit, wide.Count); // cut at the limit
        var narrower = cache.Complete(DciCompletionKind.ServerName, "web-1", Patient);
        Assert.Equal(2, sim.State.RequestCount - before); // the cut list cannot answer "web-1"
        var expected = servers.Where(s => s.Name.StartsWith("web-1", StringComparison.OrdinalIgnoreCase)).ToArray();
        Assert.Equal(Math.Min(expected.Length, DciCompletionKind.FilteredLimit), narrower.Count);

        var smallPrefix = servers.Select(s => s.Name[..(s.Name.Length - 1)]).GroupBy(p => p).First(g => g.Count() > 2).Key;
        before = sim.State.RequestCount;
        var complete = cache.Complete(DciCompletionKind.ServerName, smallPrefix, Patient);
        Assert.InRange(complete.Count, 3, DciCompletionKind.FilteredLimit - 1);
        var last = complete[^1].Value;
        var narrowed = cache.Complete(DciCompletionKind.ServerName, last, Patient);
        Assert.Equal(1, sim.State.RequestCount - before); // the narrower text is served from the complete wider list
        Assert.Equal(new[] { last }, narrowed.Select(i => i.Value));
        Assert.Empty(cache.Complete(DciCompletionKind.ServerName, smallPrefix + "zz", Patient));
        Assert.Equal(1, sim.State.RequestCount - before);
    }

    [Fact]
    public async Task A_failed_lookup_is_remembered_briefly_and_then_tried_again()
    {
        await using var sim = await Sim.StartAsync();
        using var connection = await Sim.AdminAsync(sim);
        var clock = new ManualClock();
        var cache = new DciCompletionCache(connection, clock);
        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.Status500, StatusCode = 400, Method = "GET", PathContains = "dci/v3/user", Count = -1 });

        var before = sim.State.RequestCount;
        Assert.Empty(cache.Complete(DciCompletionKind.UserEmail, "user", Patient));
        var afterFirst = sim.State.RequestCount;
        Assert.Equal(1, afterFirst - before);
        Assert.Empty(cache.Complete(DciCompletionKind.UserEmail, "user", Patient));
        Assert.Empty(cache.Complete(DciCompletionKind.UserEmail, "user0", Patient)); // a failure answers nothing narrower either way
        Assert.Equal(afterFirst + 1, sim.State.RequestCount); // "user0" is a new text; "user" was not asked again

        sim.State.Faults.Clear();
        clock.Now += DciCompletionCache.FailureLifetime + TimeSpan.FromSeconds(1);
        Assert.Contains("user01@example.com", cache.Complete(DciCompletionKind.UserEmail, "user", Patient).Select(i => i.Value));
    }

    [Fact]
    public async Task A_tab_gives_up_at_its_budget_and_the_late_answer_serves_the_next_tab()
    {
        await using var sim = await Sim.StartAsync();
        using var connection = await Sim.AdminAsync(sim);
        var cache = new DciCompletionCache(connection, new ManualClock());
        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.Latency, Delay = TimeSpan.FromSeconds(2), Method = "GET", PathContains = "ip/v3/ippool", Count = 1 });

        var before = sim.State.RequestCount;
        Assert.Empty(cache.Complete(DciCompletionKind.PoolName, "pu", TimeSpan.FromMilliseconds(50)));
        // The next Tab joins the lookup still under way instead of sending another request.
        Assert.Equal(new[] { "public" }, cache.Complete(DciCompletionKind.PoolName, "pu", Patient).Select(i => i.Value));
        Assert.Equal(1, sim.State.RequestCount - before);
    }

    [Fact]
    public async Task Every_kind_completes_from_the_simulator()
    {
        await using var sim = await Sim.StartAsync();
        using var connection = await Sim.AdminAsync(sim);
        var cache = new DciCompletionCache(connection, new ManualClock());
        string[] Values(DciCompletionKind kind, string typed) => cache.Complete(kind, typed, Patient).Select(i => i.Value).ToArray();

        Assert.Contains("user01@example.com", Values(DciCompletionKind.UserEmail, "user0"));
        Assert.Contains("2", Values(DciCompletionKind.UserId, "user01")); // an id found by its e-mail
        Assert.Contains("public", Values(DciCompletionKind.PoolName, "pu"));
        Assert.Contains("1", Values(DciCompletionKind.PoolId, "publ"));
        Assert.Contains("12", Values(DciCompletionKind.OsTemplateId, "1"));
        Assert.Contains(Values(DciCompletionKind.Configuration, "i9"), c => c.StartsWith("i9-9900K", StringComparison.Ordinal));
        Assert.Contains("7", Values(DciCompletionKind.ServerId, "7"));
        var network = sim.State.GetServers().Count > 0 ? Values(DciCompletionKind.NetworkName, "") : Array.Empty<string>();
        Assert.NotEmpty(network);
        Assert.Contains(network[0], Values(DciCompletionKind.NetworkName, network[0][..3]));
        var named = sim.State.GetServer(7)!.Name;
        Assert.Contains("7", Values(DciCompletionKind.ServerId, named));
    }
}
