using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using DciManager.Simulator;

namespace DciManager.Simulator.Tests;

/// <summary>A DCImanager 5 mode simulator and a raw HttpClient speaking its func= protocol.</summary>
public sealed class D5 : IAsyncDisposable
{
    public SimulatorHost Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public SimulatorState State => Host.State;
    public Dci5.Dci5Control Control => Host.State.Dci5!;
    public const string AdminAuth = "admin:secret";

    /// <summary>Operations last ten minutes of the mode's clock unless configured otherwise, so tests move the clock instead of waiting.</summary>
    public static async Task<D5> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var o = new SimulatorOptions { Platform = SimulatedPlatform.DCImanager5, AdminPassword = "secret", OperationDuration = TimeSpan.FromMinutes(10) };
        configure?.Invoke(o);
        var d = new D5 { Host = await SimulatorHost.StartAsync(o) };
        d.Http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = d.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return d;
    }

    /// <summary>POSTs the parameters as a form to /dcimgr (authinfo=admin unless an auth parameter is given).</summary>
    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> CallAsync(IEnumerable<KeyValuePair<string, string>> form, string path = "dcimgr", string query = "")
    {
        using var content = new FormUrlEncodedContent(form);
        var resp = await Http.PostAsync(path + query, content);
        var body = await resp.Content.ReadAsStringAsync();
        return (resp.StatusCode, body, resp);
    }

    public async Task<JsonElement> JsonAsync(string func, params (string Key, string Value)[] ps)
    {
        var form = new List<KeyValuePair<string, string>> { new("func", func), new("out", "json") };
        if (!ps.Any(p => p.Key is "auth" or "authinfo" or "noauth")) form.Add(new("authinfo", AdminAuth));
        form.AddRange(ps.Where(p => p.Key != "noauth").Select(p => new KeyValuePair<string, string>(p.Key, p.Value)));
        var (status, body, _) = await CallAsync(form);
        Assert.True(status == HttpStatusCode.OK, $"{func}: HTTP {(int)status} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("doc");
    }

    /// <summary>The doc of a call that must succeed (no error element).</summary>
    public async Task<JsonElement> OkAsync(string func, params (string Key, string Value)[] ps)
    {
        var doc = await JsonAsync(func, ps);
        Assert.False(doc.TryGetProperty("error", out var e), $"{func}: {e}");
        return doc;
    }

    public async Task<JsonElement> ErrorAsync(string func, params (string Key, string Value)[] ps)
    {
        var doc = await JsonAsync(func, ps);
        Assert.True(doc.TryGetProperty("error", out var e), $"{func} did not fail: {doc}");
        return e;
    }

    public async Task<JsonElement[]> RowsAsync(string func, params (string Key, string Value)[] ps)
    {
        var doc = await OkAsync(func, ps);
        return doc.TryGetProperty("elem", out var e) ? e.EnumerateArray().ToArray() : Array.Empty<JsonElement>();
    }

    public async Task<JsonElement> ServerRowAsync(int id) => (await RowsAsync("server")).Single(r => r.T("id") == id.ToString());

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}

internal static class D5J
{
    /// <summary>The text of a field ("$"), or null when the field is absent.</summary>
    public static string? T(this JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetProperty("$").GetString() : null;
    public static bool Has(this JsonElement e, string name) => e.TryGetProperty(name, out _);
}

public sealed class Dci5Tests
{
    // ------------------------------------------------------------------ auth

    [Fact]
    public async Task Session_FromFuncAuth_CarriesTheIdInTextAndAttribute_AndServesLaterCalls()
    {
        await using var d = await D5.StartAsync();
        var doc = await d.OkAsync("auth", ("noauth", ""), ("username", "admin"), ("password", "secret"));
        var auth = doc.GetProperty("auth");
        var id = auth.GetProperty("$").GetString()!;
        Assert.Equal(id, auth.GetProperty("$id").GetString());
        Assert.Equal("28", auth.GetProperty("$level").GetString());
        Assert.Matches("^[0-9a-f]{24}$", id);

        var users = await d.RowsAsync("user", ("auth", id));
        Assert.Contains(users, u => u.T("name") == "user01" && u.T("level") == "16");

        var bad = await d.ErrorAsync("auth", ("noauth", ""), ("username", "admin"), ("password", "wrong"));
        Assert.Equal("auth", bad.GetProperty("$type").GetString());
        var unknown = await d.ErrorAsync("user", ("auth", "0123456789abcdef01234567"));
        Assert.Equal("auth", unknown.GetProperty("$type").GetString());
    }

    [Fact]
    public async Task AuthInfo_IsAcceptedInQueryOrBody_AndChecked()
    {
        await using var d = await D5.StartAsync();
        var (status, body, _) = await d.CallAsync(new Dictionary<string, string> { ["func"] = "rack", ["out"] = "json" }, query: "?authinfo=admin:secret");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("doc").GetProperty("elem").GetArrayLength() > 0);

        // GET with everything in the query works too.
        var get = await d.Http.GetStringAsync("dcimgr?func=rack&out=json&authinfo=admin:secret");
        Assert.True(JsonDocument.Parse(get).RootElement.GetProperty("doc").GetProperty("elem").GetArrayLength() > 0);

        await d.OkAsync("server", ("authinfo", "user01:user-password"));
        var wrong = await d.ErrorAsync("server", ("authinfo", "admin:nope"));
        Assert.Equal("auth", wrong.GetProperty("$type").GetString());
        var none = await d.ErrorAsync("server", ("noauth", ""));
        Assert.Equal("auth", none.GetProperty("$type").GetString());

        // su= runs an admin call as another user (their servers only); a user may not su.
        var asUser = await d.RowsAsync("server", ("su", "user01"));
        var all = await d.RowsAsync("server");
        Assert.True(asUser.Length > 0 && asUser.Length < all.Length);
        Assert.All(asUser, r => Assert.Equal("user01", r.T("owner")));
        Assert.Equal("access", (await d.ErrorAsync("server", ("authinfo", "user01:user-password"), ("su", "admin"))).GetProperty("$type").GetString());
    }

    [Fact]
    public async Task OneTimeKey_LogsInOnce()
    {
        await using var d = await D5.StartAsync();
        const string key = "k3y-0123456789abcdef";
        var ok = await d.OkAsync("session.newkey", ("username", "user02"), ("key", key));
        Assert.True(ok.Has("ok"));

        var doc = await d.OkAsync("auth", ("noauth", ""), ("username", "user02"), ("key", key));
        var session = doc.GetProperty("auth").GetProperty("$id").GetString()!;
        Assert.Equal("16", doc.GetProperty("auth").GetProperty("$level").GetString());
        await d.OkAsync("server", ("auth", session));

        var again = await d.ErrorAsync("auth", ("noauth", ""), ("username", "user02"), ("key", key));
        Assert.Equal("auth", again.GetProperty("$type").GetString());

        var shortKey = await d.ErrorAsync("session.newkey", ("username", "user02"), ("key", "short"));
        Assert.Equal("value", shortKey.GetProperty("$type").GetString());
        Assert.Equal("key", shortKey.GetProperty("$object").GetString());
        var notAdmin = await d.ErrorAsync("session.newkey", ("authinfo", "user01:user-password"), ("username", "user02"), ("key", key + "x"));
        Assert.Equal("access", notAdmin.GetProperty("$type").GetString());
    }

    [Fact]
    public async Task Session_ExpiresAfterIdleLifetime_AndActivitySlidesIt()
    {
        await using var d = await D5.StartAsync(o => o.TokenLifetime = TimeSpan.FromMinutes(60));
        var id = (await d.OkAsync("auth", ("noauth", ""), ("username", "admin"), ("password", "secret"))).GetProperty("auth").GetProperty("$").GetString()!;

        d.Control.AdvanceClock(TimeSpan.FromMinutes(40));
        await d.OkAsync("rack", ("auth", id));
        d.Control.AdvanceClock(TimeSpan.FromMinutes(40));
        await d.OkAsync("rack", ("auth", id)); // 80 minutes old, but never idle for an hour
        Assert.Contains(id, d.Control.ActiveSessions());

        d.Control.AdvanceClock(TimeSpan.FromMinutes(61));
        var expired = await d.ErrorAsync("rack", ("auth", id));
        Assert.Equal("auth", expired.GetProperty("$type").GetString());
        Assert.DoesNotContain(id, d.Control.ActiveSessions());
    }

    [Fact]
    public async Task Session_IdleLifetimeFollowsTokenLifetimeOption()
    {
        await using var d = await D5.StartAsync(o => o.TokenLifetime = TimeSpan.FromMinutes(5));
        var id = (await d.OkAsync("auth", ("noauth", ""), ("username", "admin"), ("password", "secret"))).GetProperty("auth").GetProperty("$").GetString()!;
        d.Control.AdvanceClock(TimeSpan.FromMinutes(4));
        await d.OkAsync("rack", ("auth", id));
        d.Control.AdvanceClock(TimeSpan.FromMinutes(6));
        Assert.Equal("auth", (await d.ErrorAsync("rack", ("auth", id))).GetProperty("$type").GetString());
    }

    // ------------------------------------------------------------------ envelopes

    [Fact]
    public async Task JsonList_ValuesUnderDollar_FlagsPresentOnlyWhenTrue()
    {
        await using var d = await D5.StartAsync();
        var rows = await d.RowsAsync("server");
        Assert.Equal(48, rows.Length);
        foreach (var r in rows)
        {
            Assert.Equal(JsonValueKind.String, r.GetProperty("id").GetProperty("$").ValueKind);
            Assert.NotEqual(r.Has("poweron"), r.Has("poweroff"));
            if (r.TryGetProperty("poweron", out var flag)) Assert.Equal("{}", flag.GetRawText());
            Assert.False(r.Has("install_in_progress"));
        }
        Assert.Contains(rows, r => r.Has("disabled"));
        Assert.Contains(rows, r => !r.Has("disabled"));
        Assert.Contains(rows, r => !r.Has("owner"));
        Assert.Contains(rows, r => r.T("owner") == "user01");
    }

    [Fact]
    public async Task XmlList_IsTheDefault_FlagsAreEmptyElements()
    {
        await using var d = await D5.StartAsync();
        var resp = await d.Http.GetAsync("dcimgr?func=server&authinfo=admin:secret");
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Equal("text/xml", resp.Content.Headers.ContentType?.MediaType);
        var x = XDocument.Parse(await resp.Content.ReadAsStringAsync());
        Assert.Equal("doc", x.Root!.Name.LocalName);
        var elems = x.Root.Elements("elem").ToList();
        Assert.Equal(48, elems.Count);
        var on = elems.First(e => e.Element("poweron") is not null);
        Assert.True(on.Element("poweron")!.IsEmpty);
        Assert.Null(on.Element("poweroff"));
        Assert.False(string.IsNullOrEmpty(on.Element("hostname")!.Value));
    }

    [Fact]
    public async Task Form_InJsonAndXml_HasFieldsAndSlists()
    {
        await using var d = await D5.StartAsync();
        var form = await d.OkAsync("server.edit", ("elid", "1"));
        Assert.Equal("1", form.T("elid"));
        Assert.False(string.IsNullOrEmpty(form.T("name")));
        Assert.Equal("", form.T("notes"));
        Assert.Contains(form.T("disabled"), new[] { "on", "off" });
        var slist = form.GetProperty("slist").EnumerateArray().Single(s => s.GetProperty("$name").GetString() == "owner");
        Assert.Contains(slist.GetProperty("val").EnumerateArray(), v => v.GetProperty("$key").GetString() == "no_owner");

        var xml = XDocument.Parse(await d.Http.GetStringAsync("dcimgr?func=server.operations&elid=1&out=xml&authinfo=admin:secret"));
        var templates = xml.Root!.Elements("slist").Single(s => (string?)s.Attribute("name") == "ostemplate").Elements("val").ToList();
        Assert.Contains(templates, v => (string?)v.Attribute("key") == "Debian-12" && v.Value == "Debian 12");
    }

    [Fact]
    public async Task Sjson_MakesRowFieldsArrays_JsonData_IsFlatStrings()
    {
        await using var d = await D5.StartAsync();
        var sjson = JsonDocument.Parse(await d.Http.GetStringAsync("dcimgr?func=user&out=sjson&authinfo=admin:secret")).RootElement.GetProperty("doc");
        Assert.Equal("admin", sjson.GetProperty("elem")[0].GetProperty("name")[0].GetProperty("$").GetString());
        var auth = JsonDocument.Parse(await d.Http.GetStringAsync("dcimgr?func=auth&username=admin&password=secret&out=sjson")).RootElement;
        Assert.Matches("^[0-9a-f]{24}$", auth.GetProperty("doc").GetProperty("auth").GetProperty("$").GetString());

        var flat = JsonDocument.Parse(await d.Http.GetStringAsync("dcimgr?func=server&out=JSONdata&authinfo=admin:secret")).RootElement;
        Assert.Equal(JsonValueKind.Array, flat.ValueKind);
        Assert.Equal(48, flat.GetArrayLength());
        Assert.Equal("1", flat[0].GetProperty("id").GetString());
        Assert.True(flat.EnumerateArray().All(r => r.TryGetProperty("poweron", out var p) ? p.GetString() == "on" : r.GetProperty("poweroff").GetString() == "on"));
        var err = JsonDocument.Parse(await d.Http.GetStringAsync("dcimgr?func=server.edit&elid=999999&out=JSONdata&authinfo=admin:secret")).RootElement;
        Assert.Equal("value", err.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task OneRowList_IsAnArray_OrAnObjectWhenSwitched()
    {
        await using var d = await D5.StartAsync();
        var id = (await d.OkAsync("user.edit", ("sok", "ok"), ("name", "solo"), ("passwd", "solo-pass-1"), ("level", "lvUser"))).T("id")!;
        await d.OkAsync("server.edit", ("elid", "2"), ("sok", "ok"), ("name", "node-001"), ("owner", id));

        var rows = await d.OkAsync("server", ("authinfo", "solo:solo-pass-1"));
        Assert.Equal(JsonValueKind.Array, rows.GetProperty("elem").ValueKind);
        Assert.Equal("2", rows.GetProperty("elem")[0].T("id"));

        d.Control.SingleRowAsObject = true;
        var single = await d.OkAsync("server", ("authinfo", "solo:solo-pass-1"));
        Assert.Equal(JsonValueKind.Object, single.GetProperty("elem").ValueKind);
        Assert.Equal("2", single.GetProperty("elem").T("id"));
    }

    // ------------------------------------------------------------------ errors

    [Fact]
    public async Task Errors_AreDocsInHttp200_ForEveryType()
    {
        await using var d = await D5.StartAsync();
        var value = await d.ErrorAsync("server.edit", ("elid", "999999"));
        Assert.Equal("value", value.GetProperty("$type").GetString());
        Assert.Equal("elid", value.GetProperty("$object").GetString());
        Assert.False(string.IsNullOrEmpty(value.GetProperty("msg").GetProperty("$").GetString()));

        var exists = await d.ErrorAsync("user.edit", ("sok", "ok"), ("name", "user01"), ("passwd", "x-password"));
        Assert.Equal(("exists", "user"), (exists.GetProperty("$type").GetString(), exists.GetProperty("$object").GetString()));

        var missed = await d.ErrorAsync("user.delete", ("elid", "9999"));
        Assert.Equal(("missed", "user"), (missed.GetProperty("$type").GetString(), missed.GetProperty("$object").GetString()));
        var unknownFunc = await d.ErrorAsync("server.ip", ("elid", "1"));
        Assert.Equal("missed", unknownFunc.GetProperty("$type").GetString());

        var access = await d.ErrorAsync("user", ("authinfo", "user01:user-password"));
        Assert.Equal("access", access.GetProperty("$type").GetString());
        var foreign = await d.ErrorAsync("server.poweroff", ("authinfo", "user01:user-password"), ("elid", "2"));
        Assert.Equal("access", foreign.GetProperty("$type").GetString());

        var auth = await d.ErrorAsync("server", ("noauth", ""));
        Assert.Equal("auth", auth.GetProperty("$type").GetString());

        // The same error in XML.
        var resp = await d.Http.GetAsync("dcimgr?func=server.edit&elid=999999&authinfo=admin:secret");
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        var error = XDocument.Parse(await resp.Content.ReadAsStringAsync()).Root!.Element("error")!;
        Assert.Equal("value", (string?)error.Attribute("type"));
        Assert.Equal("elid", (string?)error.Attribute("object"));
        Assert.False(string.IsNullOrEmpty(error.Element("msg")!.Value));
    }

    // ------------------------------------------------------------------ forms

    [Fact]
    public async Task ServerEditSubmit_ClearsEveryFieldNotSent()
    {
        await using var d = await D5.StartAsync();
        var before = await d.OkAsync("server.edit", ("elid", "3"));
        Assert.False(string.IsNullOrEmpty(before.T("name")));
        await d.OkAsync("server.edit", ("elid", "3"), ("sok", "ok"), ("name", before.T("name")!), ("mac", before.T("mac")!),
            ("notes", "rack A, keep"), ("type", before.T("type")!), ("owner", before.T("owner")!));

        // Changing only the owner blanks the name, the notes and the rest.
        await d.OkAsync("server.edit", ("elid", "3"), ("sok", "ok"), ("owner", "4"));
        var after = await d.OkAsync("server.edit", ("elid", "3"));
        Assert.Equal("", after.T("name"));
        Assert.Equal("", after.T("notes"));
        Assert.Equal("", after.T("mac"));
        Assert.Equal("4", after.T("owner"));

        // Sending the whole form back with the change keeps everything.
        await d.OkAsync("server.edit", ("elid", "3"), ("sok", "ok"), ("name", before.T("name")!), ("mac", before.T("mac")!),
            ("notes", "rack A, keep"), ("type", before.T("type")!), ("owner", "5"));
        var kept = await d.OkAsync("server.edit", ("elid", "3"));
        Assert.Equal(before.T("name"), kept.T("name"));
        Assert.Equal("rack A, keep", kept.T("notes"));
        Assert.Equal("5", kept.T("owner"));

        // A submit without owner frees the server.
        await d.OkAsync("server.edit", ("elid", "3"), ("sok", "ok"), ("name", before.T("name")!));
        Assert.False((await d.ServerRowAsync(3)).Has("owner"));
        var ledger = d.State.Ledger.Where(e => e.ServerId == 3).Select(e => e.Operation).ToList();
        Assert.Contains("owner_set", ledger);
        Assert.Contains("owner_delete", ledger);
    }

    // ------------------------------------------------------------------ operations and flags

    [Fact]
    public async Task OsInstall_ShowsInstallInProgress_ThenFinishes()
    {
        await using var d = await D5.StartAsync();
        await d.OkAsync("server.operations", ("elid", "4"), ("sok", "ok"), ("operation", "ostemplate"), ("ostemplate", "Debian-12"),
            ("passwd", "Secret-1"), ("confirm", "Secret-1"), ("checkpasswd", "Secret-1"));
        var running = await d.ServerRowAsync(4);
        Assert.True(running.Has("install_in_progress"));
        Assert.Equal("value", (await d.ErrorAsync("server.reboot", ("elid", "4"))).GetProperty("$type").GetString());
        var hint = await d.OkAsync("server", ("elid", "4"), ("clickstat", "title"), ("hint_field", "install_in_progress"));
        Assert.Contains("installation", hint.T("value"));

        d.Control.AdvanceClock(TimeSpan.FromMinutes(11));
        var done = await d.ServerRowAsync(4);
        Assert.False(done.Has("install_in_progress"));
        Assert.False(done.Has("operation_failed"));
        Assert.True(done.Has("poweron"));
        Assert.Equal("Debian-12", done.T("ostemplate"));
        Assert.Single(d.State.Ledger, e => e.ServerId == 4 && e.Operation == "operation_os");
    }

    [Fact]
    public async Task FailedOperation_LeavesOperationFailed_UntilTheNextOne()
    {
        await using var d = await D5.StartAsync();
        d.State.FailNextOperations(1, "operation_diag");
        await d.OkAsync("server.operations", ("elid", "5"), ("sok", "ok"), ("operation", "diag"));
        Assert.True((await d.ServerRowAsync(5)).Has("diag_in_progress"));
        d.Control.AdvanceClock(TimeSpan.FromMinutes(11));
        var failed = await d.ServerRowAsync(5);
        Assert.False(failed.Has("diag_in_progress"));
        Assert.True(failed.Has("operation_failed"));

        await d.OkAsync("server.operations", ("elid", "5"), ("sok", "ok"), ("diag", "on"));
        Assert.False((await d.ServerRowAsync(5)).Has("operation_failed"));
    }

    [Fact]
    public async Task Power_FlagsFlipWhenTheOperationFinishes()
    {
        await using var d = await D5.StartAsync();
        var on = (await d.RowsAsync("server")).First(r => r.Has("poweron") && !r.Has("disabled"));
        var id = on.T("id")!;
        await d.OkAsync("server.poweroff", ("elid", id));
        Assert.True((await d.ServerRowAsync(int.Parse(id))).Has("poweron"));
        d.Control.AdvanceClock(TimeSpan.FromMinutes(11));
        var off = await d.ServerRowAsync(int.Parse(id));
        Assert.True(off.Has("poweroff"));
        Assert.False(off.Has("poweron"));

        await d.OkAsync("server.reboot", ("elid", id));
        var rebooting = await d.ServerRowAsync(int.Parse(id));
        Assert.False(rebooting.Has("poweron") || rebooting.Has("poweroff"));
        d.Control.AdvanceClock(TimeSpan.FromMinutes(11));
        Assert.True((await d.ServerRowAsync(int.Parse(id))).Has("poweron"));

        await d.OkAsync("server.disable", ("elid", id));
        Assert.True((await d.ServerRowAsync(int.Parse(id))).Has("disabled"));
        await d.OkAsync("server.enable", ("elid", id));
        Assert.False((await d.ServerRowAsync(int.Parse(id))).Has("disabled"));
        var ops = d.State.Ledger.Where(e => e.ServerId == int.Parse(id)).Select(e => e.Operation).ToList();
        Assert.Equal(new[] { "power_off", "power_reset", "suspend", "resume" }, ops);
    }

    [Fact]
    public async Task OperCancel_StopsAnInstall()
    {
        await using var d = await D5.StartAsync();
        var template = (await d.OkAsync("server.edit", ("elid", "6"))).T("name");
        var before = (await d.ServerRowAsync(6)).T("ostemplate");
        await d.OkAsync("server.operations", ("elid", "6"), ("sok", "ok"), ("operation", "ostemplate"), ("ostemplate", "AlmaLinux-9"), ("passwd", "Secret-1"));
        Assert.True((await d.ServerRowAsync(6)).Has("install_in_progress"));
        await d.OkAsync("server.opercancel", ("elid", "6"));
        var cancelled = await d.ServerRowAsync(6);
        Assert.False(cancelled.Has("install_in_progress"));
        d.Control.AdvanceClock(TimeSpan.FromMinutes(11));
        Assert.Equal(before, (await d.ServerRowAsync(6)).T("ostemplate"));
        Assert.Equal("value", (await d.ErrorAsync("server.opercancel", ("elid", "6"))).GetProperty("$type").GetString());
        Assert.Equal(new[] { "operation_os", "operation_cancel" }, d.State.Ledger.Where(e => e.ServerId == 6).Select(e => e.Operation));
        Assert.NotNull(template);
    }

    // ------------------------------------------------------------------ inventory links

    [Fact]
    public async Task Inventory_LinksServersRacksSwitchPortsAndPduPorts()
    {
        await using var d = await D5.StartAsync();
        var servers = await d.RowsAsync("server");
        var racks = (await d.RowsAsync("rack")).Select(r => r.T("name")!).ToList();
        var byHost = servers.ToDictionary(s => s.T("hostname")!);
        foreach (var s in servers) Assert.Contains(racks, r => s.T("rack")!.StartsWith(r + " ", StringComparison.Ordinal));

        var switches = await d.RowsAsync("switch");
        int linkedPorts = 0;
        foreach (var sw in switches.Take(4))
        {
            Assert.Contains(sw.T("rack"), racks);
            foreach (var port in await d.RowsAsync("switch.port", ("elid", sw.T("id")!)))
            {
                if (port.T("serverhname") is not { } host) continue;
                Assert.True(byHost.TryGetValue(host, out var server), host);
                Assert.StartsWith(sw.T("rack") + " ", server.T("rack"));
                linkedPorts++;
            }
        }
        Assert.True(linkedPorts > 0);

        var pdus = await d.RowsAsync("pdu");
        int linkedOutlets = 0;
        foreach (var pdu in pdus.Take(4))
        {
            foreach (var port in await d.RowsAsync("pdu.port", ("elid", pdu.T("id")!)))
            {
                Assert.Contains(port.T("power"), new[] { "0", "1" });
                if (port.T("serverhname") is not { } host) continue;
                Assert.StartsWith(pdu.T("rack") + " ", byHost[host].T("rack"));
                linkedOutlets++;
            }
        }
        Assert.True(linkedOutlets > 0);
    }

    [Fact]
    public async Task Addresses_AddEditDelete()
    {
        await using var d = await D5.StartAsync();
        var added = await d.OkAsync("iplist.edit", ("plid", "2"), ("sok", "ok"), ("family", "ipv4"), ("iptype", "public"), ("ip", ""), ("domain", "a.example.net"));
        var ip = added.T("ip")!;
        Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", ip);
        var rows = await d.RowsAsync("iplist", ("elid", "2"));
        Assert.Contains(rows, r => r.T("type") == "group");
        var row = rows.Single(r => r.T("ip") == ip);
        Assert.Equal("a.example.net", row.T("domain"));
        Assert.Equal(ip, (await d.ServerRowAsync(2)).T("ip"));

        Assert.Equal("exists", (await d.ErrorAsync("iplist.edit", ("plid", "3"), ("sok", "ok"), ("family", "ipv4"), ("iptype", "public"), ("ip", ip))).GetProperty("$type").GetString());
        await d.OkAsync("iplist.edit", ("plid", "2"), ("elid", row.T("id")!), ("sok", "ok"));
        Assert.False((await d.RowsAsync("iplist", ("elid", "2"))).Single(r => r.T("ip") == ip).Has("domain"));
        await d.OkAsync("iplist.delete", ("plid", "2"), ("elid", row.T("id")!));
        Assert.DoesNotContain(await d.RowsAsync("iplist", ("elid", "2")), r => r.T("ip") == ip);
        Assert.Equal(new[] { "ip_add", "ip_remove" }, d.State.Ledger.Where(e => e.ServerId == 2).Select(e => e.Operation));
    }

    // ------------------------------------------------------------------ catalogue

    [Fact]
    public async Task EveryCatalogueFunction_AnswersSomethingSensible()
    {
        await using var d = await D5.StartAsync();
        var connections = await d.RowsAsync("server.connection", ("elid", "1"));
        Assert.Equal(new[] { "Switch", "IPMI", "PDU" }, connections.Select(c => c.T("type")).OrderBy(t => t == "Switch" ? 0 : t == "IPMI" ? 1 : 2));
        var switchConn = connections.Single(c => c.T("type") == "Switch").T("id")!;
        var ipmi = connections.Single(c => c.T("type") == "IPMI");
        var sw = (await d.RowsAsync("switch"))[0];
        var port = (await d.RowsAsync("switch.port", ("elid", sw.T("id")!)))[0];
        var pdu = (await d.RowsAsync("pdu"))[0];
        var outlet = (await d.RowsAsync("pdu.port", ("elid", pdu.T("id")!)))[0];

        // (func, parameters, an element the answer must have)
        var calls = new (string Func, (string, string)[] Ps, string Expect)[]
        {
            ("server", Array.Empty<(string, string)>(), "elem"),
            ("server", new[] { ("elid", "1"), ("clickstat", "title"), ("hint_field", "poweron") }, "value"),
            ("server.edit", new[] { ("elid", "1") }, "name"),
            ("server.operations", new[] { ("elid", "1") }, "slist"),
            ("server.connection", new[] { ("elid", "1") }, "elem"),
            ("server.connection.edit", new[] { ("plid", "1"), ("elid", switchConn) }, "port"),
            ("server.connection.edit", new[] { ("plid", "1"), ("elid", ipmi.T("id")!) }, "ipmiip"),
            ("server.connection.off", new[] { ("plid", "1"), ("elid", switchConn) }, "ok"),
            ("server.connection.on", new[] { ("plid", "1"), ("elid", switchConn) }, "ok"),
            ("ipmiredirect", new[] { ("elid", "1"), ("value", ipmi.T("name")!), ("newwindow", "yes") }, "ok"),
            ("iplist", new[] { ("elid", "1") }, "elem"),
            ("iplist.edit", new[] { ("plid", "1") }, "slist"),
            ("osmgr", Array.Empty<(string, string)>(), "elem"),
            ("user", Array.Empty<(string, string)>(), "elem"),
            ("user.edit", new[] { ("elid", "2") }, "name"),
            ("rack", Array.Empty<(string, string)>(), "elem"),
            ("switch", Array.Empty<(string, string)>(), "elem"),
            ("switch.port", new[] { ("elid", sw.T("id")!) }, "elem"),
            ("switch.port.off", new[] { ("elid", port.T("id")!) }, "ok"),
            ("switch.port.on", new[] { ("elid", port.T("id")!) }, "ok"),
            ("switch.port.refresh", new[] { ("elid", port.T("identity")!), ("plid", sw.T("id")!) }, "identity"),
            ("pdu", Array.Empty<(string, string)>(), "elem"),
            ("pdu.port", new[] { ("elid", pdu.T("id")!) }, "elem"),
            ("pdu.off", new[] { ("elid", outlet.T("id")!) }, "ok"),
            ("pdu.on", new[] { ("elid", outlet.T("id")!) }, "ok"),
            ("chassistempl", Array.Empty<(string, string)>(), "elem"),
            ("traffic", new[] { ("sok", "ok"), ("period", "currentmonth") }, "reportdata"),
            ("trafficpie", new[] { ("period", "day") }, "reportdata"),
            ("trafficburstable", Array.Empty<(string, string)>(), "reportdata"),
            ("trafficburstable_pie", Array.Empty<(string, string)>(), "reportdata"),
            ("currentdetails", new[] { ("elid", "1"), ("period", "currentmonth") }, "reportdata"),
            ("server.poweroff", new[] { ("elid", "2") }, "ok"),
            ("longtask", Array.Empty<(string, string)>(), "elem"),
            ("server.connection.autocreateipmi", new[] { ("plid", "1"), ("sok", "ok") }, "error"), // server 1 already has one
        };
        foreach (var (func, ps, expect) in calls)
        {
            var doc = await d.JsonAsync(func, ps);
            Assert.True(doc.Has(expect), $"{func} {string.Join("&", ps.Select(p => p.Item1 + "=" + p.Item2))}: {doc}");
        }

        var url = (await d.OkAsync("ipmiredirect", ("elid", "1"))).T("ok")!;
        Assert.StartsWith("https://", url);
        var traffic = (await d.OkAsync("traffic", ("sok", "ok"), ("period", "currentmonth"))).GetProperty("reportdata").GetProperty("traff").GetProperty("elem");
        Assert.Equal(48, traffic.GetArrayLength());
        Assert.True(long.Parse(traffic[0].GetProperty("rx").GetProperty("$orig").GetString()!) >= 0);

        // pdu.off on a server's outlet powers it off; autocreateipmi works once a server has no IPMI connection.
        var powered = (await d.RowsAsync("pdu.port", ("elid", pdu.T("id")!))).First(o => o.Has("serverhname"));
        await d.OkAsync("pdu.off", ("elid", powered.T("id")!));
        var host = powered.T("serverhname");
        Assert.True((await d.RowsAsync("server")).Single(s => s.T("hostname") == host).Has("poweroff"));

        await d.OkAsync("server.poweron", ("elid", "1"));
        Assert.Equal("value", (await d.ErrorAsync("server.poweron", ("elid", "1"))).GetProperty("$type").GetString());
        var created = await d.OkAsync("user.edit", ("sok", "ok"), ("name", "newbie"), ("passwd", "pw-123456"), ("level", "lvUser"));
        await d.OkAsync("user.delete", ("elid", created.T("id")!));
        Assert.DoesNotContain(await d.RowsAsync("user"), u => u.T("name") == "newbie");
    }

    [Fact]
    public async Task Transport_PathsMethodsMixedParametersAndBoundedBodies()
    {
        await using var d = await D5.StartAsync();
        var manager = await d.CallAsync(new Dictionary<string, string> { ["func"] = "rack", ["out"] = "json", ["authinfo"] = D5.AdminAuth }, path: "manager/dcimgr");
        Assert.Equal(HttpStatusCode.OK, manager.Status);
        Assert.Contains("\"elem\"", manager.Body);

        // out and authinfo in the query, func in the body.
        var mixed = await d.CallAsync(new Dictionary<string, string> { ["func"] = "user" }, query: "?out=json&authinfo=admin:secret");
        Assert.Contains("\"user01\"", mixed.Body);

        Assert.Equal(HttpStatusCode.NotFound, (await d.Http.GetAsync("ispmgr?func=user")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await d.Http.DeleteAsync("dcimgr?func=user")).StatusCode);

        var huge = new string('a', Dci5.Dci5Inferred.MaxBodyBytes + 10);
        using var content = new StringContent("func=user&notes=" + huge, Encoding.UTF8, "application/x-www-form-urlencoded");
        var resp = await d.Http.PostAsync("dcimgr", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, resp.StatusCode);
    }

    // ------------------------------------------------------------------ shared switches

    [Fact]
    public async Task FaultsLatencyAndCounting_AreSharedWithTheHost()
    {
        await using var d = await D5.StartAsync(o => o.Latency = TimeSpan.FromMilliseconds(150));
        d.State.Faults.Add(new FaultRule { Kind = FaultKind.Suspended503, PathContains = "dcimgr" });
        var (status, body, _) = await d.CallAsync(new Dictionary<string, string> { ["func"] = "user", ["out"] = "json", ["authinfo"] = D5.AdminAuth });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("doc").GetProperty("error");
        Assert.Equal("sys", error.GetProperty("$type").GetString());

        d.State.Faults.Add(new FaultRule { Kind = FaultKind.Status500, PathContains = "dcimgr" });
        var xml = await d.Http.GetAsync("dcimgr?func=user&authinfo=admin:secret");
        Assert.Equal(HttpStatusCode.InternalServerError, xml.StatusCode);
        Assert.NotNull(XDocument.Parse(await xml.Content.ReadAsStringAsync()).Root!.Element("error"));

        var sw = Stopwatch.StartNew();
        await d.OkAsync("rack");
        Assert.True(sw.ElapsedMilliseconds >= 140, $"{sw.ElapsedMilliseconds} ms");
        Assert.Equal(3, d.State.RequestCount);
    }

    [Fact]
    public async Task Scale_20000Servers_ListedInOneStreamedDocument()
    {
        await using var d = await D5.StartAsync(o => o.Servers = 20000);
        using var resp = await d.Http.GetAsync("dcimgr?func=server&out=json&authinfo=admin:secret", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Null(resp.Content.Headers.ContentLength); // streamed (chunked), not buffered whole
        using var doc = await JsonDocument.ParseAsync(await resp.Content.ReadAsStreamAsync());
        var elems = doc.RootElement.GetProperty("doc").GetProperty("elem");
        Assert.Equal(20000, elems.GetArrayLength());
        Assert.Equal("20000", elems[19999].T("id"));
    }

    [Fact]
    public async Task Banner_SaysDcimanager5_AndHowToConnect()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DciManager.Simulator.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--platform", "dcimanager5", "--urls", "http://127.0.0.1:0", "--admin-password", "secret" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        try
        {
            var lines = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal)) break;
            }
            var banner = string.Join('\n', lines);
            Assert.Contains("DCImanager 5 simulator listening on http://127.0.0.1:", banner);
            Assert.Contains("authinfo=", banner);
            Assert.Contains("-Platform DCImanager5", banner);
            var url = System.Text.RegularExpressions.Regex.Match(banner, @"listening on (http://127\.0\.0\.1:\d+/dcimgr)").Groups[1].Value;
            using var http = new HttpClient();
            var doc = JsonDocument.Parse(await http.GetStringAsync(url + "?func=auth&username=admin&password=secret&out=json")).RootElement;
            Assert.False(string.IsNullOrEmpty(doc.GetProperty("doc").GetProperty("auth").GetProperty("$").GetString()));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
