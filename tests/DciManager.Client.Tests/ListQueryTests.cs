using DciManager.Client;
using DciManager.Client.Query;
using DciManager.Simulator;

namespace DciManager.Client.Tests;

/// <summary>The neutral list query: its DCImanager 6 translation, the shared matcher and the client-side evaluator (pure, no wire).</summary>
public class ListQueryTests
{
    private static string? Where(DciListQuery query, Dci6ListFields? fields = null) => Dci6ListQuery.WhereText(query, fields ?? Dci6ListFields.Servers);

    [Fact]
    public void Names_become_CP_narrowing_of_the_DCImanager6_name_field()
    {
        Assert.Equal("name CP '%web01%'", Where(new DciListQuery { Names = DciNameMatch.For("web01") }));
        Assert.Equal("name CP 'web%'", Where(new DciListQuery { Names = DciNameMatch.For("web*") }));
        Assert.Equal("name CP '%b%'", Where(new DciListQuery { Names = DciNameMatch.For("*b?") }));
        // A [set] has no CP form: the part before it narrows, the exact pattern decides.
        Assert.Equal("name CP 'db-%'", Where(new DciListQuery { Names = DciNameMatch.For("db-[a-c]1") }));
        Assert.Equal("name CP '%a%' OR name CP 'b%'", Where(new DciListQuery { Names = DciNameMatch.For(new[] { "a", "b*" }) }));
        Assert.Equal("email CP '%ann@x.test%'", Where(new DciListQuery { Names = DciNameMatch.For("ann@x.test") }, Dci6ListFields.Users));
    }

    [Fact]
    public void An_escaped_bracket_is_literal_and_narrows_past_it()
    {
        // The backtick-escaped '[' is part of the name, so the narrowing keeps it (and the '*' after it).
        Assert.Equal("name CP 'a[b%'", Where(new DciListQuery { Names = DciNameMatch.For("a`[b*") }));
        Assert.Equal("name CP '%a[b]%'", Where(new DciListQuery { Names = DciNameMatch.For("a`[b`]") }));
    }

    [Fact]
    public void Hostile_names_stay_literals()
    {
        Assert.Equal(@"name CP '%x\' OR 1 EQ 1 OR name EQ \'%'", Where(new DciListQuery { Names = DciNameMatch.For("x' OR 1 EQ 1 OR name EQ '") }));
        Assert.Equal(@"name CP '%50\% off\\%'", Where(new DciListQuery { Names = DciNameMatch.For(@"50% off\") }));
        Assert.Equal(@"owner_email CP '%o\'brien@x.test%'", Where(new DciListQuery { Owner = DciNamePattern.Exactly("o'brien@x.test") }));
        Assert.Equal(@"owner_email CP '%a*b[c]@x.test%'", Where(new DciListQuery { Owner = DciNamePattern.Exactly("a*b[c]@x.test") }));
    }

    [Fact]
    public void Server_conditions_translate_to_their_fields_and_combine_by_AND()
    {
        var query = new DciListQuery
        {
            Names = DciNameMatch.For("web*"),
            Owner = DciNamePattern.Parse("*@corp.test"),
            Configuration = DciNamePattern.Parse("i9*"),
            Free = true,
            NativeFilter = "location_id EQ 2",
        };
        Assert.Equal("name CP 'web%' AND owner_email CP '%@corp.test' AND configuration CP 'i9%' AND owner_email IS null AND (location_id EQ 2)", Where(query));
    }

    [Fact]
    public void Places_narrow_by_id_when_known_else_by_name()
    {
        Assert.Equal("rack.id EQ 7", Where(new DciListQuery { Rack = DciPlaceMatch.For(7, "R1", "rack") }));
        Assert.Equal("rack.name CP 'R%'", Where(new DciListQuery { Rack = DciPlaceMatch.For(null, "R*", "rack") }));
        Assert.Equal("location_id EQ 3", Where(new DciListQuery { Location = DciPlaceMatch.For(3, null, "location") }));
        Assert.Equal("switch_connection.switch_name CP '%sw1%'", Where(new DciListQuery { Switch = DciPlaceMatch.For(0, "sw1", "switch") }));
        Assert.Equal("pdu_connection.pdu_id EQ 4", Where(new DciListQuery { Pdu = DciPlaceMatch.For(4, null, "PDU") }));
        Assert.Throws<ArgumentException>(() => DciPlaceMatch.For(null, " ", "rack"));
        // A list without that relation refuses it instead of dropping it.
        Assert.Throws<ArgumentException>(() => Where(new DciListQuery { Rack = DciPlaceMatch.For(1, null, "rack") }, Dci6ListFields.Users));
    }

    [Theory]
    [InlineData("id", "id asc")]
    [InlineData("Id desc", "id desc")]
    [InlineData("-OwnerEmail", "owner_email desc")]
    [InlineData("device_count desc", "device_count desc")]
    [InlineData("name, PowerStatus desc", "name asc, power_status desc")]
    public void Sort_keys_become_orderby_on_DCImanager6_fields(string sort, string orderBy) =>
        Assert.Equal(orderBy, Dci6ListQuery.ToWhere(new DciListQuery { Sort = DciSortKey.Parse(sort) }, Dci6ListFields.Servers)!.OrderBy);

    [Fact]
    public void An_empty_query_sends_no_where_text() => Assert.Null(Dci6ListQuery.ToWhere(new DciListQuery(), Dci6ListFields.Servers));

    [Theory]
    [InlineData("web*", "WEB01", true)]
    [InlineData("web?", "web12", false)]
    [InlineData("db-[a-c]1", "DB-B1", true)]
    [InlineData("db-[a-c]1", "db-d1", false)]
    [InlineData("a`*b", "a*b", true)]
    [InlineData("a`*b", "axb", false)]
    [InlineData("x[`]]", "x]", true)]
    [InlineData("*", "", true)]
    [InlineData("a*b*c", "aXbYbc", true)]
    [InlineData("a*b*c", "aXbYbd", false)]
    public void The_shared_matcher_follows_PowerShell_wildcards(string pattern, string value, bool expected) =>
        Assert.Equal(expected, DciNamePattern.Parse(pattern).IsMatch(value));

    [Theory]
    [InlineData("web[")]
    [InlineData("web[]")]
    public void A_broken_set_is_refused_before_anything_is_sent(string pattern) =>
        Assert.Throws<ArgumentException>(() => DciNamePattern.Parse(pattern));

    [Fact]
    public void Exactly_matches_only_the_name_itself()
    {
        var exact = DciNamePattern.Exactly("a*[b]?`c");
        Assert.False(exact.HasWildcards);
        Assert.Equal("a*[b]?`c", exact.Literal);
        Assert.True(exact.IsMatch("A*[B]?`C"));
        Assert.False(exact.IsMatch("aX[b]?`c"));
    }

    private static DciServer Server(long id, string name, string? owner = null, string? rack = null) =>
        new() { Id = id, Name = name, OwnerEmail = owner, Rack = rack is null ? null : new DciRack { Id = id * 10, Name = rack } };

    private static readonly DciServer[] s_servers =
    {
        Server(1, "web01", null, "R1"), Server(2, "web02", "ann@x.test", "R1"), Server(3, "db-b1", null, "R2"), Server(4, "WEB10", "bob@x.test", "R2"),
    };

    private static async Task<List<long>> Evaluate(DciListQuery query)
    {
        var kept = new List<long>();
        await foreach (var s in DciListFilter.ApplyUnfiltered(s_servers.ToAsyncEnumerable(), query, DciListFieldsOf.Servers, DciPlatform.DCImanager5, "servers"))
            kept.Add(s.Id);
        return kept;
    }

    [Fact]
    public async Task The_client_side_evaluator_applies_every_condition_and_reports_plain_names_not_found()
    {
        Assert.Equal(new long[] { 1, 2, 4 }, await Evaluate(new DciListQuery { Names = DciNameMatch.For("web*") }));
        Assert.Equal(new long[] { 1 }, await Evaluate(new DciListQuery { Names = DciNameMatch.For("web*"), Free = true, Rack = DciPlaceMatch.For(null, "r1", "rack") }));
        Assert.Equal(new long[] { 4 }, await Evaluate(new DciListQuery { Owner = DciNamePattern.Parse("bob@*") }));
        Assert.Equal(new long[] { 3 }, await Evaluate(new DciListQuery { Rack = DciPlaceMatch.For(30, null, "rack") }));

        // web02 is owned, so with -Free it counts as not found; the wildcard stays silent.
        var names = DciNameMatch.For(new[] { "web02", "db-[a-c]1", "nothing*" })!;
        Assert.Equal(new long[] { 3 }, await Evaluate(new DciListQuery { Names = names, Free = true }));
        Assert.Equal(new[] { "web02" }, names.NamesNotFound());
    }

    [Fact]
    public void Platforms_without_a_native_filter_or_server_sort_refuse_them()
    {
        var source = s_servers.ToAsyncEnumerable();
        var native = Assert.Throws<DciNotSupportedException>(() =>
            DciListFilter.ApplyUnfiltered(source, new DciListQuery { NativeFilter = "id EQ 1" }, DciListFieldsOf.Servers, DciPlatform.OpenDcim, "servers"));
        Assert.Contains("openDCIM", native.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<DciNotSupportedException>(() =>
            DciListFilter.ApplyUnfiltered(source, new DciListQuery { Sort = DciSortKey.Parse("name") }, DciListFieldsOf.Servers, DciPlatform.DCImanager5, "servers"));
    }

    [Fact]
    public void Without_conditions_the_source_is_passed_through_unwrapped()
    {
        var source = s_servers.ToAsyncEnumerable();
        Assert.Same(source, DciListFilter.ApplyUnfiltered(source, null, DciListFieldsOf.Servers, DciPlatform.DCImanager5, "servers"));
        Assert.Same(source, DciListFilter.ApplyUnfiltered(source, new DciListQuery(), DciListFieldsOf.Servers, DciPlatform.DCImanager5, "servers"));
        Assert.Same(source, DciListFilter.Apply(source, new DciListQuery { Rack = DciPlaceMatch.For(1, null, "rack") }, DciListFieldsOf.Servers));
    }
}

/// <summary>
/// The same wildcard -Name over loopback on each platform: DCImanager 6 narrows on the server (fewer pages), DCImanager 5
/// and openDCIM stream their one list and the shared evaluator narrows; every platform returns exactly the servers the
/// pattern matches.
/// </summary>
public class ListQueryWireTests
{
    private static async Task<(List<string> All, List<string> Kept, long AllRequests, long KeptRequests)> ListBoth(
        SimulatorHost sim, DciConnection connection, Func<List<string>, string> choosePattern)
    {
        var before = sim.State.RequestCount;
        var all = (await connection.ServerOps.ListAsync(null).ToListAsync()).Select(s => s.Name!).ToList();
        var allRequests = sim.State.RequestCount - before;
        var pattern = choosePattern(all);
        before = sim.State.RequestCount;
        var kept = (await connection.ServerOps.ListAsync(new DciListQuery { Names = DciNameMatch.For(pattern) }).ToListAsync()).Select(s => s.Name!).ToList();
        var keptRequests = sim.State.RequestCount - before;
        var expected = all.Where(DciNamePattern.Parse(pattern).IsMatch).ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < all.Count, $"'{pattern}' should match some servers, not all");
        Assert.Equal(expected.OrderBy(n => n, StringComparer.Ordinal), kept.OrderBy(n => n, StringComparer.Ordinal));
        return (all, kept, allRequests, keptRequests);
    }

    // The first server's name with its last character as a one-of set: a [set] (no CP form) and a case change.
    private static string SetPattern(List<string> names)
    {
        var name = names[0];
        var last = name[^1];
        return name[..^1].ToUpperInvariant() + "[" + last + "]";
    }

    [Fact]
    public async Task DCImanager6_narrows_a_wildcard_name_on_the_server()
    {
        await using var sim = await Sim.StartAsync(o => o.Servers = 60);
        using var connection = await Sim.AdminAsync(sim, pageSize: 5);
        var (_, kept, allRequests, keptRequests) = await ListBoth(sim, connection, SetPattern);
        // 60 servers are 12 pages; the narrowed list (the name's prefix, CP) is a page or two.
        Assert.True(allRequests >= 12, $"{allRequests} requests for the whole list");
        Assert.True(keptRequests < allRequests / 2, $"{keptRequests} requests for {kept.Count} servers vs {allRequests} for all");
    }

    [Fact]
    public async Task DCImanager5_narrows_the_same_wildcard_client_side()
    {
        await using var sim = await Sim.StartAsync(o => { o.Platform = SimulatedPlatform.DCImanager5; o.AdminPassword = "d5-Adm1n-secret"; o.Servers = 30; });
        using var connection = await DciConnection.ConnectDci5Async(Sim.Options(sim), new System.Net.NetworkCredential("admin", "d5-Adm1n-secret"));
        var (_, _, allRequests, keptRequests) = await ListBoth(sim, connection, SetPattern);
        // One unpaged list either way: the evaluator, not the server, narrows.
        Assert.Equal(allRequests, keptRequests);
    }

    [Fact]
    public async Task OpenDcim_narrows_the_same_wildcard_client_side()
    {
        await using var sim = await Sim.StartAsync(o => { o.Platform = SimulatedPlatform.OpenDcim; });
        var options = new DciConnectionOptions
        {
            BaseUri = new Uri(sim.BaseAddress, "api/v1"),
            Timeout = TimeSpan.FromSeconds(20),
            Retry = new DciRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
        };
        using var connection = await DciConnection.ConnectOpenDcimAsync(options, "dcadmin", "dcadmin-key-7f3a9c", null);
        var (_, _, allRequests, keptRequests) = await ListBoth(sim, connection, SetPattern);
        Assert.Equal(allRequests, keptRequests);
    }
}

public class ServerPortsQueryTests
{
    [Fact]
    public async Task A_servers_ports_narrowed_by_description_keep_only_the_matching_port()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        var server = await c.Servers.GetAsync(5);
        var all = await c.Inventory.ListServerPortsAsync(server).ToListAsync();
        Assert.True(all.Select(p => p.Description).Distinct().Count() > 1, "the server should be cabled to ports with different descriptions");
        var wanted = all[0].Description!;
        var kept = await c.Inventory.ListServerPortsAsync(server, new DciListQuery { Description = DciNamePattern.Exactly(wanted.ToUpperInvariant()) }).ToListAsync();
        Assert.Equal(all.Where(p => string.Equals(p.Description, wanted, StringComparison.OrdinalIgnoreCase)).Select(p => p.Id), kept.Select(p => p.Id));
    }
}
