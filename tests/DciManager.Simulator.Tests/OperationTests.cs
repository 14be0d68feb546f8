using System.Text.Json;

namespace DciManager.Simulator.Tests;

/// <summary>
/// Operations change state over time; each test has its own simulator. Tests that look at a task while it
/// runs give it 1.5 s, so a loaded machine (three test assemblies share two cores) cannot finish it first.
/// </summary>
public sealed class OperationTests
{
    private static readonly TimeSpan InFlightWindow = TimeSpan.FromMilliseconds(1500);

    private static async Task<int> FindServer(Sim sim, string where) => (await sim.FindAsync(where)).First().I("id");

    [Fact]
    public async Task PowerOff_GoesCreatedRunningComplete_AndMirrorsOperation()
    {
        await using var sim = await Sim.StartAsync(o => o.OperationDuration = InFlightWindow);
        int id = await FindServer(sim, "power_status EQ 'on' AND state EQ 'active'");
        var task = await sim.ActionAsync(id, "power_off");
        var s = await sim.ServerAsync(id);
        var op = s.GetProperty("operation");
        Assert.Equal(task, op.GetProperty("id").GetInt64());
        Assert.Equal("power_off", op.S("name"));
        Assert.Contains(op.S("status"), new[] { "created", "running" });
        Assert.Equal("on", s.S("power_status"));
        var busy = await sim.PostAsync($"dci/v3/server/{id}/power_on");
        Assert.Equal(409, busy.StatusCode);
        Assert.Equal(4009, busy.ErrorCode);
        await Task.Delay(400); // past the "created" tenth of the duration
        Assert.Equal("running", (await sim.GetAsync($"dci/v3/task/{task}")).Json.S("status"));
        var done = await sim.WaitTaskAsync(task);
        Assert.Equal("complete", done.S("status"));
        Assert.Equal(id, done.I("server_id"));
        Assert.False(done.IsNull("finished_at"));
        s = await sim.ServerAsync(id);
        Assert.Equal("off", s.S("power_status"));
        Assert.Equal("complete", s.GetProperty("operation").S("status"));
        var on = await sim.ActionAsync(id, "power_on");
        await sim.WaitTaskAsync(on);
        Assert.Equal("on", (await sim.ServerAsync(id)).S("power_status"));
        var reset = await sim.ActionAsync(id, "power_reset");
        await sim.WaitTaskAsync(reset);
        Assert.Equal("on", (await sim.ServerAsync(id)).S("power_status"));
        var ledger = sim.State.Ledger;
        Assert.Equal(new[] { "power_off", "power_on", "power_reset" }, ledger.Select(e => e.Operation));
        Assert.Equal(new[] { task, on, reset }, ledger.Select(e => e.TaskId));
        Assert.All(ledger, e => Assert.Equal(id, e.ServerId));
        Assert.Equal(404, (await sim.PostAsync("dci/v3/server/999/power_on")).StatusCode);
    }

    [Fact]
    public async Task SuspendAndResume_ChangeStateAndPorts()
    {
        await using var sim = await Sim.StartAsync(o => o.OperationDuration = InFlightWindow);
        int id = await FindServer(sim, "state EQ 'active' AND owner_email IS NOT null");
        var t = await sim.ActionAsync(id, "suspend");
        Assert.Equal("suspending", (await sim.ServerAsync(id)).S("state"));
        await sim.WaitTaskAsync(t);
        var s = await sim.ServerAsync(id);
        Assert.Equal("suspended", s.S("state"));
        foreach (var c in s.GetProperty("switch_connection").EnumerateArray())
            Assert.Equal(c.GetProperty("is_ipmi_connection").GetBoolean() ? "up" : "down", c.S("admin_status"));
        var again = await sim.PostAsync($"dci/v3/server/{id}/suspend");
        Assert.Equal(409, again.StatusCode);
        t = await sim.ActionAsync(id, "resume");
        Assert.Equal("resuming", (await sim.ServerAsync(id)).S("state"));
        await sim.WaitTaskAsync(t);
        s = await sim.ServerAsync(id);
        Assert.Equal("active", s.S("state"));
        Assert.All(s.GetProperty("switch_connection").EnumerateArray(), c => Assert.Equal("up", c.S("admin_status")));
        Assert.Equal(409, (await sim.PostAsync($"dci/v3/server/{id}/resume")).StatusCode);
    }

    [Fact]
    public async Task OsInstall_SetsTemplateOnCompletion_AndValidates()
    {
        await using var sim = await Sim.StartAsync();
        int id = await FindServer(sim, "os_template IS null AND is_new EQ false");
        var bad = await sim.PostAsync($"dci/v3/server/{id}/operation_os", new { os_template_id = 999 });
        Assert.Equal(400, bad.StatusCode);
        Assert.Equal("os_template_id", bad.ErrorField);
        var raid = await sim.PostAsync($"dci/v3/server/{id}/operation_os", new { os_template_id = 12, hdd_raid = "raid7" });
        Assert.Equal("hdd_raid", raid.ErrorField);
        var keys = await sim.PostAsync($"dci/v3/server/{id}/operation_os", new { os_template_id = 12, ssh_pub_keys = "single" });
        Assert.Equal("ssh_pub_keys", keys.ErrorField);
        var t = await sim.ActionAsync(id, "operation_os", new { hdd_raid = "raid1", os_template_id = 12, password = "pw", ssh_pub_keys = new[] { "ssh-rsa AAA" } });
        Assert.True((await sim.ServerAsync(id)).IsNull("os_template"));
        await sim.WaitTaskAsync(t);
        var tpl = (await sim.ServerAsync(id)).GetProperty("os_template");
        Assert.Equal(12, tpl.I("id"));
        Assert.Contains("Ubuntu", tpl.S("name"));
        Assert.Single(sim.State.Ledger, e => e.Operation == "operation_os");
    }

    [Fact]
    public async Task DiagAndClearDisk()
    {
        await using var sim = await Sim.StartAsync(o => o.OperationDuration = InFlightWindow);
        int fresh = await FindServer(sim, "is_new EQ true");
        var t = await sim.ActionAsync(fresh, "operation_diag", new { setup_ipmi = false, ipmi_pool = 0, os_template_id = 0, clear_hdd = "none" });
        Assert.True((await sim.ServerAsync(fresh)).GetProperty("is_new").GetBoolean());
        await sim.WaitTaskAsync(t);
        Assert.False((await sim.ServerAsync(fresh)).GetProperty("is_new").GetBoolean());
        Assert.Equal("ipmi_pool", (await sim.PostAsync($"dci/v3/server/{fresh}/operation_diag", new { ipmi_pool = 77 })).ErrorField);

        int withOs = await FindServer(sim, "os_template IS NOT null AND owner_email IS null");
        Assert.Equal("clear_hdd", (await sim.PostAsync($"dci/v3/server/{withOs}/operation_clear_hdd", new { clear_hdd = "shred" })).ErrorField);
        Assert.Equal("clear_hdd", (await sim.PostAsync($"dci/v3/server/{withOs}/operation_clear_hdd", new { })).ErrorField);
        t = await sim.ActionAsync(withOs, "operation_clear_hdd", new { clear_hdd = "fast" });
        await sim.WaitTaskAsync(t);
        Assert.True((await sim.ServerAsync(withOs)).IsNull("os_template"));
    }

    [Fact]
    public async Task IpAllocation_FromPool_ThenRemoval_UpdatesCounters()
    {
        await using var sim = await Sim.StartAsync(o => o.OperationDuration = InFlightWindow);
        int id = await FindServer(sim, "owner_email IS NOT null AND state EQ 'active'");
        string Using(Resp pools) => pools.List.First(p => p.S("name") == "public").S("using_ipv4")!;
        var before = int.Parse(Using(await sim.GetAsync("ip/v3/ippool")));
        var t = await sim.ActionAsync(id, "ip", new { domain = "extra.example.net", family = "ipv4", ip_pool = 1, set_as_main_ipv4 = false, userspace = 0 });
        var ips = (await sim.GetAsync($"dci/v3/server/{id}/ip")).List;
        Assert.Equal(2, ips.Length);
        var added = ips.Single(a => a.S("domain") == "extra.example.net");
        Assert.Equal("allocating", added.S("status"));
        Assert.Equal(before + 1, int.Parse(Using(await sim.GetAsync("ip/v3/ippool"))));
        await sim.WaitTaskAsync(t);
        added = (await sim.GetAsync($"dci/v3/server/{id}/ip")).List.Single(a => a.I("id") == added.I("id"));
        Assert.Equal("active", added.S("status"));
        Assert.Equal(id, added.I("server_id"));
        Assert.Equal("203.0.113.0/24", added.S("network"));
        var v6 = await sim.ActionAsync(id, "ip", new { family = "ipv6", ip_pool = 1 });
        await sim.WaitTaskAsync(v6);
        var six = (await sim.GetAsync($"dci/v3/server/{id}/ip?where=" + Uri.EscapeDataString("family EQ 'ipv6'"))).List.Single();
        Assert.StartsWith("2001:db8:100::", six.S("name"));

        var del = await sim.PostAsync($"dci/v3/server/{id}/ip/{added.I("id")}");
        Assert.Equal(200, del.StatusCode);
        Assert.Equal("deleting", (await sim.GetAsync($"dci/v3/server/{id}/ip")).List.Single(a => a.I("id") == added.I("id")).S("status"));
        await sim.WaitTaskAsync(del.Json.GetProperty("task").GetInt64());
        Assert.DoesNotContain((await sim.GetAsync($"dci/v3/server/{id}/ip")).List, a => a.I("id") == added.I("id"));
        Assert.Equal(before, int.Parse(Using(await sim.GetAsync("ip/v3/ippool"))));
        var del6 = await sim.DeleteAsync($"dci/v3/server/{id}/ip/{six.I("id")}");
        Assert.Equal(200, del6.StatusCode);
        await sim.WaitTaskAsync(del6.Json.GetProperty("task").GetInt64());
        Assert.Equal(404, (await sim.DeleteAsync($"dci/v3/server/{id}/ip/{six.I("id")}")).StatusCode);
        Assert.Equal(new[] { "ip_add", "ip_add", "ip_remove", "ip_remove" }, sim.State.Ledger.Select(e => e.Operation));
    }

    [Fact]
    public async Task IpAllocation_Refusals()
    {
        await using var sim = await Sim.StartAsync();
        var free = (await sim.FindAsync("owner_email IS null")).Select(s => s.I("id")).ToArray();
        async Task<Resp> Add(int id, object body) => await sim.PostAsync($"dci/v3/server/{id}/ip", body);

        var outside = await Add(free[0], new { ip_name = "8.8.8.8", ip_net = 1 });
        Assert.Equal(400, outside.StatusCode);
        Assert.Equal("ip_name", outside.ErrorField);
        Assert.Equal("ip_name", (await Add(free[0], new { ip_name = "8.8.8.8" })).ErrorField);
        Assert.Equal("ip_name", (await Add(free[0], new { ip_name = "203.0.113.300" })).ErrorField);
        Assert.Equal("ip_name", (await Add(free[0], new { ip_name = "not-an-ip" })).ErrorField);
        Assert.Equal("ip_name", (await Add(free[0], new { ip_name = "203.0.113.1" })).ErrorField); // gateway
        var taken = await Add(free[0], new { ip_name = "203.0.113.2" });
        Assert.Equal(409, taken.StatusCode);
        Assert.Equal(4009, taken.ErrorCode);
        var unknownPool = await Add(free[0], new { ip_pool = 99 });
        Assert.Equal(404, unknownPool.StatusCode);
        Assert.Equal("ip_pool", unknownPool.ErrorField);
        Assert.Equal("ip_net", (await Add(free[0], new { ip_net = 99 })).ErrorField);
        Assert.Equal(400, (await Add(free[0], new { })).StatusCode);
        Assert.Equal(400, (await Add(free[0], new { ip_pool = 4, family = "ipv6" })).StatusCode);
        Assert.Equal(404, (await Add(999, new { ip_pool = 1 })).StatusCode);

        // a specific free address works
        var specific = await Add(free[1], new { ip_name = "198.51.100.77", ip_pool = 1 });
        Assert.Equal(200, specific.StatusCode);

        // the tiny pool holds two addresses
        Assert.Equal(200, (await Add(free[2], new { ip_pool = 4 })).StatusCode);
        Assert.Equal(200, (await Add(free[3], new { ip_pool = 4 })).StatusCode);
        var exhausted = await Add(free[4], new { ip_pool = 4 });
        Assert.Equal(409, exhausted.StatusCode);
        Assert.Equal("ip_pool", exhausted.ErrorField);
        var tiny = (await sim.GetAsync("ip/v3/ippool?where=" + Uri.EscapeDataString("name EQ 'tiny'"))).List.Single();
        Assert.Equal("2", tiny.S("using_ip"));
        Assert.Equal(3, sim.State.Ledger.Count);
    }

    [Fact]
    public async Task Owner_SetAndRelease_WithRefusals()
    {
        await using var sim = await Sim.StartAsync();
        int free = await FindServer(sim, "owner_email IS null");
        int owned = await FindServer(sim, "owner_email IS NOT null");
        var set = await sim.PostAsync($"dci/v3/server/{free}/owner", new { owner = 3 });
        Assert.Equal(200, set.StatusCode);
        Assert.Equal(free, set.Json.I("id"));
        Assert.Equal("user02@example.com", (await sim.ServerAsync(free)).S("owner_email"));
        var again = await sim.PostAsync($"dci/v3/server/{free}/owner", new { owner = 4 });
        Assert.Equal(409, again.StatusCode);
        Assert.Equal(4009, again.ErrorCode);
        var unknown = await sim.PostAsync($"dci/v3/server/{owned}/owner", new { owner = 999 });
        Assert.Equal(404, unknown.StatusCode);
        Assert.Equal("owner", unknown.ErrorField);
        Assert.Equal("owner", (await sim.PostAsync($"dci/v3/server/{owned}/owner", new { })).ErrorField);
        var release = await sim.DeleteAsync($"dci/v3/server/{free}/owner");
        Assert.Equal(200, release.StatusCode);
        Assert.True((await sim.ServerAsync(free)).IsNull("owner_email"));
        var releaseFree = await sim.DeleteAsync($"dci/v3/server/{free}/owner");
        Assert.Equal(409, releaseFree.StatusCode);
        Assert.Equal(404, (await sim.DeleteAsync("dci/v3/server/999/owner")).StatusCode);
        Assert.Equal(new[] { "owner_set", "owner_delete" }, sim.State.Ledger.Select(e => e.Operation));
        // user02 now sees nothing extra
        var u2 = await sim.LoginUserAsync(2);
        Assert.Equal(404, (await sim.GetAsync($"dci/v3/server/{free}", u2)).StatusCode);
    }

    [Fact]
    public async Task Users_CreateDeleteAndRefusals()
    {
        await using var sim = await Sim.StartAsync();
        var r = await sim.PostAsync("dci/v3/user", new { email = "new@example.com", full_name = "New Person", password = "pw1", phone_number = "+1", role = "@user" });
        Assert.Equal(200, r.StatusCode);
        int id = r.Json.I("id");
        var dup = await sim.PostAsync("dci/v3/user", new { email = "NEW@example.com", password = "x" });
        Assert.Equal(409, dup.StatusCode);
        Assert.Equal("email", dup.ErrorField);
        var bad = await sim.PostAsync("dci/v3/user", new { email = "not-an-email", password = "x" });
        Assert.Equal(400, bad.StatusCode);
        Assert.Equal("email", bad.ErrorField);
        Assert.Equal("role", (await sim.PostAsync("dci/v3/user", new { email = "r@example.com", password = "x", role = "root" })).ErrorField);
        Assert.Equal("password", (await sim.PostAsync("dci/v3/user", new { email = "p@example.com" })).ErrorField);
        var token = await sim.LoginAsync("new@example.com", "pw1");
        Assert.Equal(0, (await sim.GetAsync("dci/v3/server", token)).Size);
        var admin2 = await sim.PostAsync("dci/v3/user", new { email = "boss@example.com", password = "pw", role = "admin" });
        var adminToken = await sim.LoginAsync("boss@example.com", "pw");
        Assert.Equal("@admin", (await sim.GetAsync("auth/v4/whoami", adminToken)).Json.GetProperty("roles")[0].GetString());

        Assert.Equal(409, (await sim.DeleteAsync("dci/v3/user/2")).StatusCode); // owns servers
        Assert.Equal(409, (await sim.DeleteAsync("dci/v3/user/1")).StatusCode); // yourself
        Assert.Equal(200, (await sim.DeleteAsync($"dci/v3/user/{id}")).StatusCode);
        Assert.Equal(404, (await sim.DeleteAsync($"dci/v3/user/{id}")).StatusCode);
        Assert.Equal(401, (await sim.GetAsync("auth/v4/whoami", token)).StatusCode);
        Assert.Equal(new[] { "user_create", "user_create", "user_delete" }, sim.State.Ledger.Select(e => e.Operation));
        Assert.Equal(admin2.Json.I("id"), sim.State.GetUsers().Single(u => u.Email == "boss@example.com").Id);
    }

    [Fact]
    public async Task Where_EscapesQuotesPercentAndBackslash()
    {
        await using var sim = await Sim.StartAsync();
        var name = @"O'Brien 100% \ Co";
        Assert.Equal(200, (await sim.PostAsync("dci/v3/user", new { email = "ob@example.com", full_name = name, password = "x" })).StatusCode);
        Assert.Equal(200, (await sim.PostAsync("dci/v3/user", new { email = "ob2@example.com", full_name = "O'Brien 1000 Co", password = "x" })).StatusCode);
        async Task<string[]> Q(string where) =>
            (await sim.GetAsync("dci/v3/user?where=" + Uri.EscapeDataString(where))).List.Select(u => u.S("email")!).ToArray();
        Assert.Equal(new[] { "ob@example.com" }, await Q(@"full_name EQ 'O\'Brien 100% \\ Co'"));
        Assert.Equal(new[] { "ob@example.com" }, await Q(@"full_name CP '%100\% %'"));
        Assert.Equal(new[] { "ob@example.com", "ob2@example.com" }, await Q(@"full_name CP 'o\'brien 100%'"));
        Assert.Equal(new[] { "ob@example.com" }, await Q(@"full_name CP '%\\%'"));
    }

    [Fact]
    public async Task FailNextOperations_EndsWithFailAndLeavesState()
    {
        await using var sim = await Sim.StartAsync();
        int id = await FindServer(sim, "power_status EQ 'on' AND state EQ 'active'");
        sim.State.FailNextOperations(1, "power_off");
        var other = await sim.ActionAsync(id, "power_reset"); // not matching the filter
        Assert.Equal("complete", (await sim.WaitTaskAsync(other)).S("status"));
        var t = await sim.ActionAsync(id, "power_off");
        var done = await sim.WaitTaskAsync(t);
        Assert.Equal("fail", done.S("status"));
        Assert.False(string.IsNullOrEmpty(done.GetProperty("status_info").S("msg")));
        var s = await sim.ServerAsync(id);
        Assert.Equal("on", s.S("power_status"));
        Assert.Equal("fail", s.GetProperty("operation").S("status"));
        var ok = await sim.ActionAsync(id, "power_off");
        Assert.Equal("complete", (await sim.WaitTaskAsync(ok)).S("status"));

        sim.State.FailNextOperations(1);
        int suspendable = await FindServer(sim, "state EQ 'active' AND id NE " + id);
        var st = await sim.ActionAsync(suspendable, "suspend");
        Assert.Equal("fail", (await sim.WaitTaskAsync(st)).S("status"));
        Assert.Equal("active", (await sim.ServerAsync(suspendable)).S("state"));
        Assert.Equal(4, sim.State.Ledger.Count);
    }

    [Fact]
    public async Task Settings_Dci()
    {
        await using var sim = await Sim.StartAsync();
        var r = await sim.PostAsync("api/dci/v3/setting/operation_change_boot_order", new { value = "true" });
        Assert.Equal(200, r.StatusCode);
        Assert.Equal("{}", r.Body);
        Assert.Equal("value", (await sim.PostAsync("dci/v3/setting/x", new { })).ErrorField);
    }
}
