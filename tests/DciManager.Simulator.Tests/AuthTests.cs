using System.Globalization;

namespace DciManager.Simulator.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task IdleTokenExpires_Then401_3001()
    {
        var clock = new ManualClock();
        await using var sim = await Sim.StartAsync(o => { o.Clock = clock; o.TokenLifetime = TimeSpan.FromMilliseconds(700); });
        Assert.Equal(200, (await sim.GetAsync("dci/v3/server/1")).StatusCode);
        clock.Advance(TimeSpan.FromMilliseconds(1000));
        var r = await sim.GetAsync("dci/v3/server/1");
        Assert.Equal(401, r.StatusCode);
        Assert.Equal(3001, r.ErrorCode);
        // a fresh login works again
        var t = await sim.LoginAsync("admin@example.com", "secret");
        Assert.Equal(200, (await sim.GetAsync("dci/v3/server/1", t)).StatusCode);
    }

    [Fact]
    public async Task IdleLifetime_Slides()
    {
        // Five uses 1.5 s apart outlive a 2 s lifetime only because each use restarts it.
        var clock = new ManualClock();
        await using var sim = await Sim.StartAsync(o => { o.Clock = clock; o.TokenLifetime = TimeSpan.FromSeconds(2); });
        for (int i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1500));
            Assert.Equal(200, (await sim.GetAsync("auth/v4/whoami")).StatusCode);
        }
        clock.Advance(TimeSpan.FromMilliseconds(2001));
        Assert.Equal(401, (await sim.GetAsync("auth/v4/whoami")).StatusCode);
    }

    [Fact]
    public async Task RevokeAllTokens_Gives401()
    {
        await using var sim = await Sim.StartAsync();
        var user = await sim.LoginUserAsync();
        Assert.Equal(new[] { sim.AdminToken, user }.Order(), sim.State.ActiveTokens().Order());
        sim.State.RevokeAllTokens();
        Assert.Empty(sim.State.ActiveTokens());
        Assert.Equal(401, (await sim.GetAsync("dci/v3/server")).StatusCode);
        Assert.Equal(401, (await sim.GetAsync("dci/v3/server", user)).StatusCode);
    }

    [Fact]
    public async Task OneTimeKey_WorksOnce()
    {
        await using var sim = await Sim.StartAsync();
        var k = await sim.PostAsync("api/auth/v4/user/user01@example.com/key", new { });
        Assert.Equal(201, k.StatusCode);
        Assert.Equal("2", k.Json.S("id"));
        var key = k.Json.S("key")!;
        Assert.StartsWith("2-", key);
        var login = await sim.PostAsync("auth/v4/public/key", new { key }, token: null);
        Assert.Equal(201, login.StatusCode);
        Assert.Equal("2", login.Json.S("id"));
        var token = login.Json.S("token")!;
        Assert.Equal("user01@example.com", (await sim.GetAsync("auth/v4/whoami", token)).Json.S("email"));
        var again = await sim.PostAsync("auth/v4/public/key", new { key }, token: null);
        Assert.Equal(401, again.StatusCode);
        Assert.Equal(3001, again.ErrorCode);
        Assert.Equal(401, (await sim.PostAsync("auth/v4/public/key", new { key = "2-nope" }, token: null)).StatusCode);
        var byId = await sim.PostAsync("auth/v4/user/3/key", new { });
        Assert.Equal("3", byId.Json.S("id"));
        Assert.Equal(404, (await sim.PostAsync("auth/v4/user/nobody@example.com/key", new { })).StatusCode);
        Assert.Equal(403, (await sim.PostAsync("auth/v4/user/3/key", new { }, token)).StatusCode);
    }

    [Fact]
    public async Task LongLivedToken_IgnoresIdleLifetime_AndValidatesDate()
    {
        var clock = new ManualClock();
        await using var sim = await Sim.StartAsync(o => { o.Clock = clock; o.TokenLifetime = TimeSpan.FromMilliseconds(500); });
        var expires = clock.GetUtcNow().UtcDateTime.AddHours(1).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var r = await sim.PostAsync("auth/v4/token", new { expires_at = expires, description = "integration" });
        Assert.Equal(201, r.StatusCode);
        Assert.Equal(expires, r.Json.S("expires_at"));
        Assert.Equal("integration", r.Json.S("description"));
        Assert.False(string.IsNullOrEmpty(r.Json.S("id")));
        var token = r.Json.S("token")!;
        clock.Advance(TimeSpan.FromMilliseconds(800));
        Assert.Equal(200, (await sim.GetAsync("dci/v3/server/1", token)).StatusCode);
        Assert.Equal(401, (await sim.GetAsync("dci/v3/server/1")).StatusCode); // the session token idled out

        var t2 = await sim.LoginAsync("admin@example.com", "secret");
        var past = await sim.PostAsync("auth/v4/token", new { expires_at = "2001-01-01 00:00:00", description = "x" }, t2);
        Assert.Equal(400, past.StatusCode);
        Assert.Equal("expires_at", past.ErrorField);
        var malformed = await sim.PostAsync("auth/v4/token", new { expires_at = "tomorrow", description = "x" }, t2);
        Assert.Equal(400, malformed.StatusCode);
        Assert.Equal("expires_at", malformed.ErrorField);

        // a long-lived token that reached expires_at stops working
        var soon = await sim.PostAsync("auth/v4/token", new { expires_at = clock.GetUtcNow().UtcDateTime.AddSeconds(2).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) }, t2);
        Assert.Equal(201, soon.StatusCode);
        Assert.Equal(200, (await sim.GetAsync("auth/v4/whoami", soon.Json.S("token"))).StatusCode);
        clock.Advance(TimeSpan.FromMilliseconds(2100));
        Assert.Equal(401, (await sim.GetAsync("auth/v4/whoami", soon.Json.S("token"))).StatusCode);
    }

    [Fact]
    public async Task TokenTtl_SettingChangesLifetime()
    {
        await using var sim = await Sim.StartAsync();
        var r = await sim.PostAsync("auth/v4/setting/token_ttl", new { value = "5" });
        Assert.Equal(200, r.StatusCode);
        Assert.Equal("{}", r.Body);
        Assert.Equal(TimeSpan.FromMinutes(5), sim.State.TokenLifetime);
        Assert.Equal("5", (await sim.GetAsync("auth/v4/setting/token_ttl")).Json.S("value"));
        foreach (var bad in new object[] { new { value = "0" }, new { value = "600001" }, new { value = "abc" }, new { } })
        {
            var b = await sim.PostAsync("auth/v4/setting/token_ttl", bad);
            Assert.Equal(400, b.StatusCode);
            Assert.Equal("value", b.ErrorField);
        }
        var user = await sim.LoginUserAsync();
        Assert.Equal(403, (await sim.PostAsync("auth/v4/setting/token_ttl", new { value = "10" }, user)).StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(5), sim.State.TokenLifetime);
    }

    [Fact]
    public async Task NonAdmin_SeesOnlyOwnServers_AndIsRefusedAdminFunctions()
    {
        await using var sim = await Sim.StartAsync();
        var token = await sim.LoginUserAsync(1);
        var mine = await sim.GetAsync("dci/v3/server", token);
        Assert.Equal(200, mine.StatusCode);
        Assert.True(mine.Size >= 1);
        Assert.All(mine.List, s => Assert.Equal("user01@example.com", s.S("owner_email")));
        var all = (await sim.GetAsync("dci/v3/server")).List;
        Assert.Equal(all.Count(s => s.S("owner_email") == "user01@example.com"), mine.Size);
        var other = all.First(s => s.S("owner_email") != "user01@example.com");
        var own = mine.List.First(s => s.S("state") == "active");
        int oid = other.I("id"), id = own.I("id");
        Assert.Equal(404, (await sim.GetAsync($"dci/v3/server/{oid}", token)).StatusCode);
        Assert.Equal(404, (await sim.PostAsync($"dci/v3/server/{oid}/power_off", new { }, token)).StatusCode);
        Assert.Equal(200, (await sim.GetAsync($"dci/v3/server/{id}", token)).StatusCode);
        Assert.All((await sim.GetAsync("dci/v3/ip", token)).List, a => Assert.Contains(mine.List, s => s.I("id") == a.I("server_id")));

        void Forbidden(Resp r) { Assert.Equal(403, r.StatusCode); Assert.Equal(3002, r.ErrorCode); }
        Forbidden(await sim.GetAsync("dci/v3/user", token));
        Forbidden(await sim.PostAsync("dci/v3/user", new { email = "x@example.com", password = "p" }, token));
        Forbidden(await sim.DeleteAsync("dci/v3/user/3", token));
        Forbidden(await sim.PostAsync($"dci/v3/server/{id}/owner", new { owner = 2 }, token));
        Forbidden(await sim.DeleteAsync($"dci/v3/server/{id}/owner", token));
        Forbidden(await sim.PostAsync("dci/v3/setting/operation_change_boot_order", new { value = "true" }, token));
        Forbidden(await sim.PostAsync($"dci/v3/server/{id}/operation_diag", new { clear_hdd = "none" }, token));
        Forbidden(await sim.PostAsync($"dci/v3/server/{id}/operation_clear_hdd", new { clear_hdd = "fast" }, token));
        Forbidden(await sim.PostAsync("auth/v4/user/2/key", new { }, token));

        // allowed on own server: power, OS install, IP
        var t1 = await sim.ActionAsync(id, "power_reset", null, token);
        Assert.Equal("complete", (await sim.WaitTaskAsync(t1, token)).S("status"));
        var t2 = await sim.ActionAsync(id, "operation_os", new { os_template_id = 12, hdd_raid = "raid1", password = "pw", ssh_pub_keys = new[] { "ssh-ed25519 AAAA test" } }, token);
        await sim.WaitTaskAsync(t2, token);
        var t3 = await sim.ActionAsync(id, "ip", new { ip_pool = 2, family = "ipv4" }, token);
        await sim.WaitTaskAsync(t3, token);
        Assert.Equal(404, (await sim.GetAsync($"dci/v3/task/{t3 - 10000}", token)).StatusCode);
        var tasks = await sim.GetAsync("dci/v3/task", token);
        Assert.All(tasks.List, t => Assert.Contains(mine.List, s => s.I("id") == t.I("server_id")));
    }
}
