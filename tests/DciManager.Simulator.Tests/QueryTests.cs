using System.Net;
using System.Text.Json;

namespace DciManager.Simulator.Tests;

/// <summary>Read-only tests against one shared simulator: envelopes, routing, where/orderby/limit.</summary>
public sealed class QueryTests : IClassFixture<SharedSim>
{
    private readonly SharedSim _f;
    private Sim Sim => _f.Sim;
    public QueryTests(SharedSim f) { _f = f; }

    private async Task AssertWhere(string where, Func<JsonElement, bool> expected)
    {
        var got = (await Sim.FindAsync(where)).Select(s => s.I("id")).ToArray();
        var want = _f.AllServers.Where(expected).Select(s => s.I("id")).ToArray();
        Assert.True(want.SequenceEqual(got), $"where {where}: expected [{string.Join(",", want)}] got [{string.Join(",", got)}]");
    }

    private async Task AssertBadWhere(string where, string? msgPart = null)
    {
        var r = await Sim.GetAsync("dci/v3/server?where=" + Uri.EscapeDataString(where));
        Assert.Equal(400, r.StatusCode);
        Assert.Equal(4000, r.ErrorCode);
        Assert.Equal("where", r.ErrorField);
        Assert.StartsWith("where:", r.ErrorMsg);
        if (msgPart is not null) Assert.Contains(msgPart, r.ErrorMsg);
    }

    [Fact]
    public async Task ServerList_HasListSizeAndAllDocumentedFields()
    {
        var r = await Sim.GetAsync("api/dci/v3/server");
        Assert.Equal(200, r.StatusCode);
        Assert.Equal("application/json", r.ContentType);
        Assert.Equal(48, r.Size);
        Assert.Equal(48, r.List.Length);
        var fields = new[] { "id", "name", "domain", "configuration", "state", "state_info", "power_status", "owner_email", "is_new",
            "location_id", "rack", "unit", "barcode", "ip", "operation", "os_template", "hardware_info", "perform_info", "settings",
            "switch_connection", "pdu_connection" };
        foreach (var s in r.List) foreach (var f in fields) Assert.True(s.TryGetProperty(f, out _), $"missing {f}");
        Assert.Equal(Enumerable.Range(1, 48), r.List.Select(s => s.I("id")));
        var owned = r.List.Count(s => !s.IsNull("owner_email"));
        Assert.InRange(owned, 14, 18);
        Assert.Contains(r.List, s => s.S("state") == "suspended");
        Assert.Contains(r.List, s => s.GetProperty("is_new").GetBoolean());
        foreach (var s in r.List.Where(s => !s.IsNull("owner_email")))
        {
            var ip = Assert.Single(s.GetProperty("ip").EnumerateArray());
            Assert.Equal("active", ip.S("status"));
            Assert.Equal("ipv4", ip.S("family"));
        }
        Assert.Contains(r.List, s => s.S("name")!.StartsWith("web-"));
        Assert.Contains(r.List, s => s.S("name")!.StartsWith("node-"));
        Assert.Contains(r.List, s => s.S("configuration") == "i9-9900K-64Gb-2x1024NVMe");
        var conn = r.List[0].GetProperty("switch_connection")[0];
        Assert.StartsWith("GigabitEthernet1/0/", conn.S("description"));
        Assert.Equal(JsonValueKind.String, r.List[0].GetProperty("hardware_info").GetProperty("motherboard").GetProperty("model").ValueKind);
    }

    [Fact]
    public async Task BothPrefixes_ServeTheSameData()
    {
        var a = await Sim.GetAsync("api/dci/v3/server/5");
        var b = await Sim.GetAsync("dci/v3/server/5");
        Assert.Equal(200, a.StatusCode);
        Assert.Equal(a.Body, b.Body);
        var c = await Sim.GetAsync("api/ip/v3/ipnet");
        var d = await Sim.GetAsync("ip/v3/ipnet");
        Assert.Equal(c.Body, d.Body);
        Assert.Equal(200, (await Sim.GetAsync("api/auth/v4/whoami")).StatusCode);
    }

    [Fact]
    public async Task UnknownPath_Is404WithEnvelope()
    {
        foreach (var p in new[] { "dci/v3/nothing", "api/dci/v3/server/1/nothing", "foo/v1/bar", "dci/v9/server", "" })
        {
            var r = await Sim.GetAsync(p);
            Assert.Equal(404, r.StatusCode);
            Assert.Equal("application/json", r.ContentType);
            Assert.Equal(4004, r.ErrorCode);
            Assert.Equal(JsonValueKind.Null, r.Json.GetProperty("error").GetProperty("value").ValueKind);
        }
        var unknown = await Sim.GetAsync("dci/v3/server/999");
        Assert.Equal(404, unknown.StatusCode);
        Assert.Equal(4004, unknown.ErrorCode);
        Assert.Equal(404, (await Sim.GetAsync("dci/v3/server/abc")).StatusCode);
        Assert.Equal(404, (await Sim.GetAsync("dci/v3/task/99999")).StatusCode);
    }

    [Fact]
    public async Task OtherMethods_Are405()
    {
        foreach (var m in new[] { HttpMethod.Put, HttpMethod.Patch, HttpMethod.Options, new HttpMethod("PROPFIND") })
        {
            var r = await Sim.SendAsync(m, "api/dci/v3/server", "{}");
            Assert.Equal(405, r.StatusCode);
            Assert.Equal(4005, r.ErrorCode);
        }
        var wrong = await Sim.DeleteAsync("dci/v3/server");
        Assert.Equal(405, wrong.StatusCode);
        Assert.Equal(4005, wrong.ErrorCode);
        Assert.Equal(405, (await Sim.GetAsync("dci/v3/server/1/power_on")).StatusCode);
    }

    [Fact]
    public async Task Auth_MissingOrUnknownToken_Is401_3001_ButCookieAndHeaderWork()
    {
        var none = await Sim.GetAsync("dci/v3/server", token: null);
        Assert.Equal(401, none.StatusCode);
        Assert.Equal(3001, none.ErrorCode);
        var bogus = await Sim.GetAsync("dci/v3/server", token: "1-00000000-0000-0000-0000-000000000000");
        Assert.Equal(401, bogus.StatusCode);
        Assert.Equal(3001, bogus.ErrorCode);
        Assert.Equal(200, (await Sim.GetAsync("dci/v3/server/1", cookie: true)).StatusCode);
        Assert.Equal(200, (await Sim.GetAsync("dci/v3/server/1", cookie: false)).StatusCode);
        var bad = await Sim.PostAsync("auth/v4/public/token", new { email = "admin@example.com", password = "wrong" }, token: null);
        Assert.Equal(401, bad.StatusCode);
        Assert.Equal(3001, bad.ErrorCode);
        var unknown = await Sim.PostAsync("auth/v4/public/token", new { email = "nobody@example.com", password = "secret" }, token: null);
        Assert.Equal(401, unknown.StatusCode);
        var missing = await Sim.PostAsync("auth/v4/public/token", new { password = "secret" }, token: null);
        Assert.Equal(400, missing.StatusCode);
        Assert.Equal("email", missing.ErrorField);
    }

    [Fact]
    public async Task Login_Returns201_WithStringIdAndConfirmed_AndWhoAmI()
    {
        var r = await Sim.PostAsync("api/auth/v4/public/token", new { email = "ADMIN@example.com", password = "secret" }, token: null);
        Assert.Equal(201, r.StatusCode);
        Assert.Equal("1", r.Json.S("id"));
        Assert.True(r.Json.GetProperty("confirmed").GetBoolean());
        var token = r.Json.S("token")!;
        Assert.StartsWith("1-", token);
        var who = await Sim.GetAsync("auth/v4/whoami", token);
        Assert.Equal(1, who.Json.I("id"));
        Assert.Equal("admin@example.com", who.Json.S("email"));
        Assert.Equal("@admin", who.Json.GetProperty("roles")[0].GetString());
        Assert.Equal("active", who.Json.S("state"));
    }

    [Fact]
    public async Task InvalidJsonBody_Is400_4000()
    {
        foreach (var body in new[] { "{not json", "[1,2]", "\"str\"" })
        {
            var r = await Sim.SendAsync(HttpMethod.Post, "dci/v3/server/1/power_on", body);
            Assert.Equal(400, r.StatusCode);
            Assert.Equal(4000, r.ErrorCode);
        }
        // an empty body equals {} (refused here only because admin's power_on would mutate: use a validation error instead)
        var empty = await Sim.SendAsync(HttpMethod.Post, "dci/v3/server/1/operation_os", "");
        Assert.Equal(400, empty.StatusCode);
        Assert.Equal("os_template_id", empty.ErrorField);
    }

    [Fact]
    public async Task Configuration_CountsFreeServers()
    {
        var r = await Sim.GetAsync("dci/v3/server/configuration");
        Assert.Equal(200, r.StatusCode);
        Assert.Equal(r.List.Length, r.Size);
        foreach (var row in r.List)
        {
            var cfg = row.S("configuration");
            var free = _f.AllServers.Count(s => s.S("configuration") == cfg && s.IsNull("owner_email"));
            Assert.Equal(free, row.I("free_server_count"));
        }
        Assert.Contains(r.List, x => x.S("configuration") == "i9-9900K-64Gb-2x1024NVMe");
        var filtered = await Sim.GetAsync("dci/v3/server/configuration?where=" + Uri.EscapeDataString("free_server_count GT 0 AND configuration CP '%NVMe'"));
        Assert.All(filtered.List, x => Assert.EndsWith("NVMe", x.S("configuration")));
    }

    [Fact]
    public async Task IpManagerLists_HaveSeedShapes()
    {
        var nets = await Sim.GetAsync("ip/v3/ipnet");
        Assert.Equal(200, nets.StatusCode);
        var v4 = nets.List.First(n => n.S("name") == "203.0.113.0/24");
        Assert.Equal(2, v4.I("family"));
        Assert.Equal(24, v4.I("mask"));
        Assert.Equal("256", v4.S("size"));
        Assert.Equal(JsonValueKind.String, v4.GetProperty("using_ip").ValueKind);
        Assert.Equal(10, nets.List.First(n => n.S("name")!.StartsWith("2001:db8")).I("family"));
        var pools = await Sim.GetAsync("ip/v3/ippool");
        var names = pools.List.Select(p => p.S("name")).ToArray();
        Assert.Contains("public", names);
        Assert.Contains("private", names);
        Assert.Contains("ipmi", names);
        Assert.Contains("tiny", names);
        var tiny = pools.List.First(p => p.S("name") == "tiny");
        Assert.Equal("2", tiny.S("total_ip"));
        var pub = pools.List.First(p => p.S("name") == "public");
        Assert.Equal("16", pub.S("using_ipv4"));
        foreach (var f in new[] { "using_ip", "using_ipv4", "using_ipv6", "total_ip", "total_ipv4", "total_ipv6", "is_public", "note" })
            Assert.Equal(JsonValueKind.String, pub.GetProperty(f).ValueKind);
        var one = await Sim.GetAsync($"ip/v3/ippool/{tiny.I("id")}");
        Assert.Equal("tiny", one.Json.S("name"));
        Assert.Equal(404, (await Sim.GetAsync("ip/v3/ippool/999")).StatusCode);
        Assert.Equal("203.0.113.0/24", (await Sim.GetAsync($"ip/v3/ipnet/{v4.I("id")}")).Json.S("name"));
        var ips = await Sim.GetAsync("dci/v3/ip?where=" + Uri.EscapeDataString("server IS NOT null"));
        Assert.Equal(16, ips.Size);
        Assert.All(ips.List, a => Assert.Equal("203.0.113.0/24", a.S("network")));
    }

    [Fact]
    public async Task TemplatesAndLocations()
    {
        var t = await Sim.GetAsync("dci/v3/os_template");
        Assert.Contains(t.List, x => x.I("id") == 12);
        Assert.True(t.List.Length >= 6);
        Assert.Contains(t.List, x => x.S("name")!.Contains("Windows"));
        Assert.Equal(12, (await Sim.GetAsync("dci/v3/os_template/12")).Json.I("id"));
        var l = await Sim.GetAsync("dci/v3/location");
        Assert.Equal(2, l.Size);
        var users = await Sim.GetAsync("dci/v3/user?where=" + Uri.EscapeDataString("roles EQ '@admin'"));
        Assert.Equal("admin@example.com", Assert.Single(users.List).S("email"));
        var all = await Sim.GetAsync("dci/v3/user");
        Assert.Equal(9, all.Size);
        foreach (var u in all.List.Where(u => u.I("id") > 1))
            Assert.Equal(_f.AllServers.Count(s => s.S("owner_email") == u.S("email")), u.I("server_count"));
    }

    [Fact]
    public async Task Where_Comparisons()
    {
        await AssertWhere("name EQ 'web-001'", s => s.S("name") == "web-001");
        await AssertWhere("id EQ 7", s => s.I("id") == 7);
        await AssertWhere("id EQ '7'", s => s.I("id") == 7);
        await AssertWhere("location_id EQ 2", s => s.I("location_id") == 2);
        await AssertWhere("is_new EQ false", s => !s.GetProperty("is_new").GetBoolean());
        await AssertWhere("is_new EQ true", s => s.GetProperty("is_new").GetBoolean());
        await AssertWhere("name NE 'web-001'", s => s.S("name") != "web-001");
        await AssertWhere("owner_email IS null", s => s.IsNull("owner_email"));
        await AssertWhere("owner_email IS NOT null", s => !s.IsNull("owner_email"));
        await AssertWhere("os_template IS null", s => s.IsNull("os_template"));
        await AssertWhere("id GT 40", s => s.I("id") > 40);
        await AssertWhere("id GE 40", s => s.I("id") >= 40);
        await AssertWhere("id LT 3", s => s.I("id") < 3);
        await AssertWhere("id LE 3", s => s.I("id") <= 3);
        await AssertWhere("id GT '45'", s => s.I("id") > 45);
        await AssertWhere("name EQ 'WEB-001'", _ => false); // EQ is exact
        await AssertWhere("owner_email EQ null", s => s.IsNull("owner_email"));
    }

    [Fact]
    public async Task Where_CpPatterns()
    {
        await AssertWhere("name CP 'web%'", s => s.S("name")!.StartsWith("web-"));
        await AssertWhere("name CP '%-001'", s => s.S("name")!.EndsWith("-001"));
        await AssertWhere("name CP '%EB%'", s => s.S("name")!.Contains("eb"));
        await AssertWhere("configuration CP '%NVMe%'", s => s.S("configuration")!.Contains("NVMe"));
        await AssertWhere("domain CP '%.dc2.example.net'", s => s.S("domain")!.EndsWith(".dc2.example.net"));
        await AssertWhere("name CP 'node-00_'", _ => false); // '_' is literal
        await AssertWhere("name CP '%'", _ => true);
        await AssertWhere("name CP 'web%1'", s => s.S("name")!.StartsWith("web-") && s.S("name")!.EndsWith("1"));
    }

    [Fact]
    public async Task Where_LogicNestingAndKeywordsCaseInsensitive()
    {
        await AssertWhere("name CP 'web%' AND owner_email IS null", s => s.S("name")!.StartsWith("web") && s.IsNull("owner_email"));
        await AssertWhere("id EQ 1 OR id EQ 2", s => s.I("id") is 1 or 2);
        await AssertWhere("NOT name CP 'node%'", s => !s.S("name")!.StartsWith("node"));
        await AssertWhere("NOT (id LT 10 OR id GT 20) AND location_id EQ 1", s => s.I("id") is >= 10 and <= 20 && s.I("location_id") == 1);
        await AssertWhere("((id EQ 3) AND (name NE 'x')) OR ((id EQ 4) AND NOT (is_new EQ true AND is_new EQ false))", s => s.I("id") is 3 or 4);
        await AssertWhere("id eq 5 or id eq 6", s => s.I("id") is 5 or 6);
        await AssertWhere("owner_email is not null and not power_status eq 'on'", s => !s.IsNull("owner_email") && s.S("power_status") != "on");
        await AssertWhere("id EQ 1 OR id EQ 2 AND id EQ 3", s => s.I("id") == 1); // AND binds tighter
    }

    [Fact]
    public async Task Where_NestedPathsAndArrays()
    {
        await AssertWhere("rack.name EQ 'Rack0001'", s => s.GetProperty("rack").S("name") == "Rack0001");
        await AssertWhere("os_template.id EQ 12", s => s.GetProperty("os_template") is { ValueKind: JsonValueKind.Object } t && t.I("id") == 12);
        await AssertWhere("hardware_info.motherboard.model CP '%X11%'", s => s.GetProperty("hardware_info").GetProperty("motherboard").S("model")!.Contains("X11"));
        await AssertWhere("ip.name EQ '203.0.113.5'", s => s.GetProperty("ip").EnumerateArray().Any(a => a.S("name") == "203.0.113.5"));
        await AssertWhere("ip IS null", s => s.GetProperty("ip").GetArrayLength() == 0);
        await AssertWhere("switch_connection.admin_status EQ 'down'", s => s.S("state") == "suspended");
        await AssertWhere("operation.status EQ 'complete'", s => s.GetProperty("operation") is { ValueKind: JsonValueKind.Object } o && o.S("status") == "complete");
    }

    [Fact]
    public async Task Where_HostileValuesCannotBreakOut()
    {
        await AssertWhere(@"name EQ 'x\' OR id GT 0 OR name EQ \'y'", _ => false);
        await AssertWhere(@"name EQ 'web-001\\'", _ => false);
        await AssertWhere(@"name CP '\%%'", _ => false); // literal percent first
        await AssertWhere("name EQ '; DROP TABLE server; --'", _ => false);
        await AssertBadWhere("name EQ 'x'' OR 1 EQ 1");
        await AssertBadWhere("name EQ 'x' OR '1' EQ '1'");
    }

    [Fact]
    public async Task Where_Malformed_Is400()
    {
        await AssertBadWhere("name EQ 'abc", "unterminated string");
        await AssertBadWhere("nosuchfield EQ 1", "unknown field 'nosuchfield'");
        await AssertBadWhere("name EQ", "expected a value");
        await AssertBadWhere("name", "expected an operator");
        await AssertBadWhere("name LIKE 'x'", "unknown operator 'LIKE'");
        await AssertBadWhere("(name EQ 'x'", "missing ')'");
        await AssertBadWhere("name EQ 'x')", "unexpected token ')'");
        await AssertBadWhere("name EQ 'x' FOO", "unexpected token 'FOO' at position 13");
        await AssertBadWhere("name EQ 'x' AND", "unexpected end");
        await AssertBadWhere("name EQ \"x\"", "unexpected character");
        await AssertBadWhere("name IS 'x'");
        await AssertBadWhere("rack.nosuch EQ 1", "unknown field");
        await AssertBadWhere("AND EQ 1");
        var nonBlank = await Sim.GetAsync("dci/v3/server?where=" + Uri.EscapeDataString("   "));
        Assert.Equal(48, nonBlank.Size);
    }

    [Fact]
    public async Task OrderBy_AscDescAndMultipleKeys()
    {
        var desc = (await Sim.GetAsync("dci/v3/server?orderby=id+desc")).List.Select(s => s.I("id")).ToArray();
        Assert.Equal(Enumerable.Range(1, 48).Reverse(), desc);
        var byName = (await Sim.GetAsync("dci/v3/server?orderby=name%20asc")).List.Select(s => s.S("name")!).ToArray();
        Assert.Equal(byName.OrderBy(n => n, StringComparer.Ordinal), byName);
        var multi = (await Sim.GetAsync("dci/v3/server?orderby=" + Uri.EscapeDataString("location_id desc, name asc"))).List;
        var expected = _f.AllServers.OrderByDescending(s => s.I("location_id")).ThenBy(s => s.S("name"), StringComparer.Ordinal).Select(s => s.I("id"));
        Assert.Equal(expected, multi.Select(s => s.I("id")));
        var owners = (await Sim.GetAsync("dci/v3/server?orderby=owner_email+asc")).List;
        Assert.True(owners.First().IsNull("owner_email"));
        var nested = (await Sim.GetAsync("dci/v3/server?orderby=rack.name+desc")).List.Select(s => s.GetProperty("rack").S("name")!).ToArray();
        Assert.Equal(nested.OrderByDescending(n => n, StringComparer.Ordinal), nested);
        foreach (var bad in new[] { "nosuch asc", "id sideways", "id asc desc" })
        {
            var r = await Sim.GetAsync("dci/v3/server?orderby=" + Uri.EscapeDataString(bad));
            Assert.Equal(400, r.StatusCode);
            Assert.Equal(4000, r.ErrorCode);
            Assert.Equal("orderby", r.ErrorField);
        }
    }

    [Fact]
    public async Task Limit_FormsAndSize()
    {
        var a = await Sim.GetAsync("dci/v3/server?limit=5");
        Assert.Equal(48, a.Size);
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, a.List.Select(s => s.I("id")));
        var b = await Sim.GetAsync("dci/v3/server?orderby=id+asc&limit=10,5");
        Assert.Equal(new[] { 11, 12, 13, 14, 15 }, b.List.Select(s => s.I("id")));
        Assert.Equal(48, b.Size);
        var c = await Sim.GetAsync("dci/v3/server?limit=46,10");
        Assert.Equal(2, c.List.Length);
        var d = await Sim.GetAsync("dci/v3/server?limit=100,10");
        Assert.Empty(d.List);
        Assert.Equal(48, d.Size);
        var e = await Sim.GetAsync("dci/v3/server?where=" + Uri.EscapeDataString("owner_email IS NOT null") + "&orderby=id+desc&limit=0,3");
        Assert.Equal(_f.AllServers.Count(s => !s.IsNull("owner_email")), e.Size);
        Assert.Equal(3, e.List.Length);
        Assert.Empty((await Sim.GetAsync("dci/v3/server?limit=0")).List);
        foreach (var bad in new[] { "a", "-1", "1,2,3", "5,", ",5", "1.5" })
        {
            var r = await Sim.GetAsync("dci/v3/server?limit=" + Uri.EscapeDataString(bad));
            Assert.Equal(400, r.StatusCode);
            Assert.Equal("limit", r.ErrorField);
            Assert.StartsWith("limit:", r.ErrorMsg);
        }
    }

    [Fact]
    public async Task Tasks_ListAndFilterByConsulId()
    {
        var all = await Sim.GetAsync("dci/v3/task");
        Assert.True(all.Size > 0);
        var first = all.List[0];
        var byConsul = await Sim.GetAsync($"dci/v3/task?where=" + Uri.EscapeDataString($"(consul_id EQ '{first.I("consul_id")}') AND (name EQ '{first.S("name")}')"));
        Assert.Equal(first.I("id"), Assert.Single(byConsul.List).I("id"));
        Assert.Equal("complete", first.S("status"));
        var one = await Sim.GetAsync($"dci/v3/task/{first.I("id")}");
        Assert.Equal(first.GetRawText(), one.Json.GetRawText());
    }
}
