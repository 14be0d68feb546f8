using System.Security;
using DciManager.Client;
using DciManager.Simulator;

namespace DciManager.Client.Tests;

/// <summary>Filters and paging against the simulator.</summary>
public class ListTests
{
    private static async Task<List<DciServer>> Servers(DciConnection c, DciFilter? where, string? orderBy = null) =>
        await c.Servers.ListAsync(new DciQuery { Where = where, OrderBy = orderBy }).ToListAsync();

    [Fact]
    public async Task Every_filter_operator_selects_what_linq_selects()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        var all = await Servers(c, null);
        Assert.Equal(48, all.Count);
        var first = all[0];

        Assert.Equal(new[] { first.Id }, (await Servers(c, DciFilter.Eq("name", first.Name))).Select(s => s.Id));
        Assert.Equal(new long[] { 5 }, (await Servers(c, DciFilter.Eq("id", 5))).Select(s => s.Id));
        Assert.Equal(47, (await Servers(c, DciFilter.Ne("id", 5))).Count);

        var prefix = first.Name![..3];
        Assert.Equal(all.Where(s => s.Name!.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Select(s => s.Id),
            (await Servers(c, DciFilter.Wildcard("name", prefix + "*"))).Select(s => s.Id));
        var middle = first.Name!.Substring(1, 2);
        Assert.Equal(all.Where(s => s.Name!.Contains(middle, StringComparison.OrdinalIgnoreCase)).Select(s => s.Id),
            (await Servers(c, DciFilter.Like("name", middle))).Select(s => s.Id));

        var free = await Servers(c, DciFilter.IsNull("owner_email"));
        var owned = await Servers(c, DciFilter.IsNotNull("owner_email"));
        Assert.Equal(all.Where(s => s.IsFree).Select(s => s.Id), free.Select(s => s.Id));
        Assert.Equal(all.Where(s => !s.IsFree).Select(s => s.Id), owned.Select(s => s.Id));
        Assert.NotEmpty(free);
        Assert.NotEmpty(owned);

        Assert.Equal(new long[] { 2, 9, 30 }, (await Servers(c, DciFilter.AnyOf("id", new object[] { 30L, 2, 9 }))).Select(s => s.Id));
        var cfg = first.Configuration!;
        Assert.Equal(all.Where(s => s.Configuration == cfg && s.IsFree).Select(s => s.Id),
            (await Servers(c, DciFilter.Eq("configuration", cfg).And(DciFilter.IsNull("owner_email")))).Select(s => s.Id));
        Assert.Equal(all.Where(s => s.Id is 1 or 2 || s.Configuration == cfg).Select(s => s.Id),
            (await Servers(c, DciFilter.AnyOf("id", new object[] { 1, 2 }).Or(DciFilter.Eq("configuration", cfg)))).Select(s => s.Id));
        Assert.Equal(all.Where(s => !(s.Id < 3 || s.Configuration == cfg)).Select(s => s.Id),
            (await Servers(c, DciFilter.AnyOf("id", new object[] { 1, 2 }).Or(DciFilter.Eq("configuration", cfg)).Not())).Select(s => s.Id));
        Assert.Equal(all.Where(s => s.IsNew == false).Select(s => s.Id), (await Servers(c, DciFilter.Eq("is_new", false))).Select(s => s.Id));
        Assert.Equal(new long[] { 3, 4 }, (await Servers(c, DciFilter.Raw("id EQ 3 OR id EQ 4"))).Select(s => s.Id));

        Assert.Equal(all.Select(s => s.Id).OrderByDescending(i => i), (await Servers(c, null, "-id")).Select(s => s.Id));
        Assert.Equal(all.OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Id).Select(s => s.Id),
            (await Servers(c, null, "name asc, id")).Select(s => s.Id));
    }

    [Fact]
    public async Task Hostile_values_match_only_the_literal()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        var hostile = new[]
        {
            "O'Brien", @"back\slash", @"ends with \", "x' OR 1 EQ 1 OR name EQ '", "100% sure", "NOT AND OR EQ", "(paren", "it's %'%",
        };
        var created = new List<DciUser>();
        foreach (var (name, i) in hostile.Select((n, i) => (n, i)))
        {
            created.Add(await c.Users.CreateAsync(new DciNewUser
            {
                Email = $"hostile{i}@example.com", FullName = name, Password = Secure("Pa55word-" + i), Role = DciUserRole.User,
            }));
        }
        var users = await c.Users.ListAsync().ToListAsync();
        foreach (var u in created)
        {
            var byEq = await c.Users.ListAsync(new DciQuery { Where = DciFilter.Eq("full_name", u.FullName) }).ToListAsync();
            Assert.Equal(new[] { u.Id }, byEq.Select(x => x.Id));
            var byLike = await c.Users.ListAsync(new DciQuery { Where = DciFilter.Like("full_name", u.FullName!) }).ToListAsync();
            Assert.Equal(users.Where(x => x.FullName!.Contains(u.FullName!, StringComparison.OrdinalIgnoreCase)).Select(x => x.Id), byLike.Select(x => x.Id));
        }
        var percent = await c.Users.ListAsync(new DciQuery { Where = DciFilter.Like("full_name", "%") }).ToListAsync();
        Assert.Equal(users.Where(x => x.FullName!.Contains('%')).Select(x => x.Id), percent.Select(x => x.Id));
        Assert.Equal(2, percent.Count);
        var wildcard = await c.Users.ListAsync(new DciQuery { Where = DciFilter.Wildcard("full_name", "*'*") }).ToListAsync();
        Assert.Equal(users.Where(x => x.FullName!.Contains('\'')).Select(x => x.Id), wildcard.Select(x => x.Id));
        Assert.Empty(await c.Users.ListAsync(new DciQuery { Where = DciFilter.Eq("email", "x' OR email CP '%") }).ToListAsync());
        Assert.Empty(await Servers(c, DciFilter.Eq("name", "' OR 1 EQ 1")));
        Assert.Empty(await Servers(c, DciFilter.Eq("id", "1 OR id NE 1")));
    }

    [Fact]
    public async Task Malformed_raw_filter_is_a_400_with_the_where_field()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        var ex = await Assert.ThrowsAsync<DciApiException>(() => Servers(c, DciFilter.Raw("name EQ")));
        Assert.Equal(400, ex.HttpStatus);
        Assert.Equal(4000, ex.Code);
        Assert.Equal("where", ex.Value!.Value.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData(7, 7)]
    [InlineData(8, 6)]
    [InlineData(48, 1)]
    [InlineData(100, 1)]
    public async Task Paging_returns_every_server_once_in_order(int pageSize, int expectedRequests)
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim, pageSize: pageSize);
        var before = sim.State.RequestCount;
        var ids = new List<long>();
        await foreach (var s in c.Servers.ListAsync(new DciQuery { OrderBy = "id" }))
        {
            Assert.Same(c, s.Connection);
            ids.Add(s.Id);
        }
        Assert.Equal(Enumerable.Range(1, 48).Select(i => (long)i), ids);
        Assert.Equal(expectedRequests, sim.State.RequestCount - before);
    }

    [Fact]
    public async Task Breaking_after_the_first_item_requests_one_page_only()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim, pageSize: 5);
        var before = sim.State.RequestCount;
        await foreach (var s in c.Servers.ListAsync())
        {
            Assert.Equal(1, s.Id);
            break;
        }
        Assert.Equal(1, sim.State.RequestCount - before);

        before = sim.State.RequestCount;
        var taken = 0;
        await foreach (var s in c.Servers.ListAsync(new DciQuery { PageSize = 10 }))
            if (++taken == 10) break;
        Assert.Equal(1, sim.State.RequestCount - before);
    }

    [Fact]
    public async Task Paging_honours_cancellation()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim, pageSize: 4);
        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var s in c.Servers.ListAsync(ct: cts.Token))
                if (++seen == 4) cts.Cancel();
        });
        Assert.Equal(4, seen);
    }

    private static SecureString Secure(string s)
    {
        var ss = new SecureString();
        foreach (var ch in s) ss.AppendChar(ch);
        return ss;
    }

    internal static SecureString SecureOf(string s) => Secure(s);
}
