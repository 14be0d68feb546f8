using System.Text.Json;
using System.Text.Json.Nodes;
using DciManager.Client;
using DciManager.Simulator;

namespace DciManager.Client.Tests;

public class ApiTests
{
    private static readonly DciWaitOptions FastWait = new() { InitialPollInterval = TimeSpan.FromMilliseconds(50), MaxPollInterval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromSeconds(20) };

    private static async Task<DciTaskWaitResult> WaitOne(DciConnection c, DciTask task)
    {
        var results = await c.Tasks.WaitAsync(new[] { task }, FastWait).ToListAsync();
        return Assert.Single(results);
    }

    [Fact]
    public async Task Servers_get_list_and_configurations()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        var s = await c.Servers.GetAsync(6);
        Assert.Equal(6, s.Id);
        Assert.Same(c, s.Connection);
        Assert.False(string.IsNullOrEmpty(s.Name));
        Assert.NotNull(s.HardwareInfo);
        Assert.All(s.Ip, ip => { Assert.Same(c, ip.Connection); Assert.Equal(6, ip.ServerId); });
        if (s.Ip.Count > 0) Assert.Equal(s.Ip.FirstOrDefault(i => i.Family == "ipv4")?.Name ?? s.Ip[0].Name, s.MainIp);
        // Fields the model does not know are kept.
        Assert.NotNull(s.AdditionalProperties);
        Assert.True(s.AdditionalProperties!.ContainsKey("owner"));

        var configurations = await c.Servers.ListConfigurationsAsync().ToListAsync();
        Assert.NotEmpty(configurations);
        Assert.All(configurations, x => { Assert.False(string.IsNullOrEmpty(x.Configuration)); Assert.Same(c, x.Connection); });
        var all = await c.Servers.ListAsync().ToListAsync();
        foreach (var cfg in configurations)
            Assert.Equal(all.Count(x => x.Configuration == cfg.Configuration && x.IsFree), cfg.FreeServerCount);
    }

    [Fact]
    public async Task Power_actions_return_tasks_that_complete()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        var task = await c.Servers.PowerAsync(8, DciPowerAction.Off);
        Assert.Equal("power_off", task.Name);
        Assert.Equal(8, task.ServerId);
        Assert.Equal("created", task.Status);
        Assert.Same(c, task.Connection);
        Assert.NotNull(task.CreatedAt);
        var done = await WaitOne(c, task);
        Assert.Equal(DciWaitOutcome.Completed, done.Outcome);
        Assert.True(done.Task.IsFinished);
        Assert.NotNull(done.Task.FinishedAt);
        Assert.Equal("off", (await c.Servers.GetAsync(8)).PowerStatus);

        var on = await WaitOne(c, await c.Servers.PowerAsync(8, DciPowerAction.On));
        Assert.True(on.IsSuccessful);
        Assert.Equal("on", (await c.Servers.GetAsync(8)).PowerStatus);
        var fetched = await c.Tasks.GetAsync(on.Task.Id);
        Assert.Equal("power_on", fetched.Name);
        Assert.Equal("complete", fetched.Status);
        var listed = await c.Tasks.ListAsync(new DciQuery { Where = DciFilter.Eq("server_id", 8) }).ToListAsync();
        Assert.Contains(listed, t => t.Id == task.Id);
        Assert.Contains(listed, t => t.Id == on.Task.Id);
        Assert.All(listed, t => Assert.Equal(8, t.ServerId));
    }

    [Fact]
    public async Task Suspend_and_resume()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        Assert.True((await WaitOne(c, await c.Servers.SuspendAsync(10))).IsSuccessful);
        Assert.Equal("suspended", (await c.Servers.GetAsync(10)).State);
        Assert.True((await WaitOne(c, await c.Servers.ResumeAsync(10))).IsSuccessful);
        Assert.Equal("active", (await c.Servers.GetAsync(10)).State);
    }

    [Fact]
    public async Task Owner_set_and_release_and_conflicts()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        var free = (await c.Servers.ListAsync(new DciQuery { Where = DciFilter.IsNull("owner_email"), PageSize = 1 }).ToListAsync()).First();
        var user = (await c.Users.ListAsync(new DciQuery { Where = DciFilter.Eq("email", "user03@example.com") }).ToListAsync()).Single();
        var owned = await c.Servers.SetOwnerAsync(free.Id, user.Id);
        Assert.Equal("user03@example.com", owned.OwnerEmail);
        Assert.False(owned.IsFree);
        var conflict = await Assert.ThrowsAsync<DciApiException>(() => c.Servers.SetOwnerAsync(free.Id, user.Id));
        Assert.Equal(409, conflict.HttpStatus);
        Assert.Equal(4009, conflict.Code);
        var released = await c.Servers.RemoveOwnerAsync(free.Id);
        Assert.True(released.IsFree);
        var again = await Assert.ThrowsAsync<DciApiException>(() => c.Servers.RemoveOwnerAsync(free.Id));
        Assert.Equal(409, again.HttpStatus);
        Assert.Equal(1, sim.State.Ledger.Count(e => e.ServerId == free.Id && e.Operation == "owner_set"));
    }

    [Fact]
    public async Task Ip_add_list_remove_and_validation_errors()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        var before = await c.Servers.ListIpAsync(11).ToListAsync();
        var add = await c.Servers.AddIpAsync(11, new DciAddIpRequest { Family = "ipv4", PoolId = 1, Domain = "extra.example.com" });
        Assert.Equal("ip_add", add.Name);
        Assert.True((await WaitOne(c, add)).IsSuccessful);
        var after = await c.Servers.ListIpAsync(11).ToListAsync();
        Assert.Equal(before.Count + 1, after.Count);
        Assert.All(after, ip => { Assert.Equal(11, ip.ServerId); Assert.Same(c, ip.Connection); });
        var added = after.Single(ip => before.All(b => b.Id != ip.Id));
        Assert.Equal("ipv4", added.Family);

        var all = await c.Ip.ListAddressesAsync(new DciQuery { Where = DciFilter.Eq("name", added.Name) }).ToListAsync();
        Assert.Equal(added.Id, Assert.Single(all).Id);

        var remove = await c.Servers.RemoveIpAsync(11, added.Id);
        Assert.Equal("ip_remove", remove.Name);
        Assert.True((await WaitOne(c, remove)).IsSuccessful);
        Assert.Equal(before.Count, (await c.Servers.ListIpAsync(11).ToListAsync()).Count);

        var bad = await Assert.ThrowsAsync<DciApiException>(() => c.Servers.AddIpAsync(11, new DciAddIpRequest { Address = "not-an-ip", PoolId = 1 }));
        Assert.Equal(400, bad.HttpStatus);
        Assert.Equal(4000, bad.Code);
        Assert.Equal("ip_name", bad.Value!.Value.GetProperty("field").GetString());
        Assert.Contains("ip_name", bad.Message);
        var noPool = await Assert.ThrowsAsync<DciApiException>(() => c.Servers.AddIpAsync(11, new DciAddIpRequest { PoolId = 999 }));
        Assert.Equal(404, noPool.HttpStatus);
    }

    [Fact]
    public async Task Diagnostics_clear_disk_and_os_install()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        var sink = new CapturingSink();
        using var _ = DciTrace.Push(sink);
        var diag = await c.Servers.StartDiagnosticAsync(13, new DciDiagnosticRequest { ClearDisk = DciClearDiskMode.None });
        Assert.Equal("operation_diag", diag.Name);
        Assert.True((await WaitOne(c, diag)).IsSuccessful);
        var clear = await c.Servers.ClearDiskAsync(13, DciClearDiskMode.Fast);
        Assert.Equal("operation_clear_hdd", clear.Name);
        Assert.True((await WaitOne(c, clear)).IsSuccessful);
        var templates = await c.OsTemplates.ListAsync().ToListAsync();
        var ubuntu = templates.First(t => t.Name!.StartsWith("Ubuntu"));
        Assert.Contains("linux", ubuntu.Tags!);
        var os = await c.Servers.InstallOsAsync(13, new DciOsInstallRequest
        {
            OsTemplateId = ubuntu.Id, RootPassword = ListTests.SecureOf("R00t-Secret-Pw!"), SshPublicKeys = new[] { "ssh-ed25519 AAAAC3 test" }, Raid = DciRaidLevel.Raid1,
        });
        Assert.Equal("operation_os", os.Name);
        Assert.True((await WaitOne(c, os)).IsSuccessful);
        var server = await c.Servers.GetAsync(13);
        Assert.Equal(ubuntu.Id, server.OsTemplate!.Id);
        Assert.DoesNotContain(sink.All, l => l.Contains("R00t-Secret-Pw!"));
        Assert.Contains(sink.DebugLines, l => l.Contains("\"password\":\"***\""));

        var badTemplate = await Assert.ThrowsAsync<DciApiException>(() => c.Servers.InstallOsAsync(14, new DciOsInstallRequest { OsTemplateId = 9999 }));
        Assert.Equal(400, badTemplate.HttpStatus);
    }

    [Fact]
    public async Task Users_create_get_delete_and_errors()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        var created = await c.Users.CreateAsync(new DciNewUser
        {
            Email = "new.admin@example.com", FullName = "New Admin", Password = ListTests.SecureOf("N3w-Pass-word"), PhoneNumber = "+1-555-0199", Role = DciUserRole.Admin,
        });
        Assert.Equal("new.admin@example.com", created.Email);
        Assert.True(created.IsAdmin);
        Assert.Equal("Admin", created.Role);
        Assert.Same(c, created.Connection);
        var got = await c.Users.GetAsync(created.Id);
        Assert.Equal("New Admin", got.FullName);

        using (var asNew = await DciConnection.ConnectAsync(Sim.Options(sim), new System.Net.NetworkCredential("new.admin@example.com", "N3w-Pass-word")))
            Assert.True(asNew.IsAdmin);

        var dup = await Assert.ThrowsAsync<DciApiException>(() => c.Users.CreateAsync(new DciNewUser
        {
            Email = "new.admin@example.com", Password = ListTests.SecureOf("x-Pass-word-1"),
        }));
        Assert.Equal(409, dup.HttpStatus);

        await c.Users.DeleteAsync(created.Id);
        var missing = await Assert.ThrowsAsync<DciApiException>(() => c.Users.GetAsync(created.Id));
        Assert.Equal(404, missing.HttpStatus);
        var users = await c.Users.ListAsync().ToListAsync();
        Assert.Equal(9, users.Count);
        Assert.Equal("User", users.Single(u => u.Email == "user01@example.com").Role);
    }

    [Fact]
    public async Task Errors_map_status_code_and_message()
    {
        await using var sim = await Sim.StartAsync();
        using var admin = await Sim.AdminAsync(sim);
        var notFound = await Assert.ThrowsAsync<DciApiException>(() => admin.Servers.GetAsync(9999));
        Assert.Equal(404, notFound.HttpStatus);
        Assert.Equal(4004, notFound.Code);
        Assert.Equal("GET", notFound.Method);
        Assert.Equal("dci/v3/server/9999", notFound.Path);
        Assert.False(string.IsNullOrEmpty(notFound.ServerMessage));
        Assert.Contains("404", notFound.Message);

        using var user = await Sim.UserAsync(sim);
        var forbidden = await Assert.ThrowsAsync<DciApiException>(async () => await user.Users.ListAsync().ToListAsync());
        Assert.Equal(403, forbidden.HttpStatus);
        Assert.Equal(3002, forbidden.Code);
        // A user sees only his own servers.
        var mine = await user.Servers.ListAsync().ToListAsync();
        Assert.All(mine, s => Assert.Equal("user01@example.com", s.OwnerEmail));
    }

    [Fact]
    public async Task Networks_pools_and_addresses()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        var networks = await c.Ip.ListNetworksAsync().ToListAsync();
        Assert.Contains(networks, n => n.FamilyName == "IPv6");
        var net = networks.First(n => n.Name == "203.0.113.0/24");
        Assert.Equal("IPv4", net.FamilyName);
        Assert.Equal(24, net.Mask);
        Assert.Equal(256, net.Size);
        Assert.Equal(254, net.TotalIp);
        Assert.True(net.UsingIp > 0);
        Assert.Equal(net.Id, (await c.Ip.GetNetworkAsync(net.Id)).Id);
        await Assert.ThrowsAsync<DciApiException>(() => c.Ip.GetNetworkAsync(999));

        var pools = await c.Ip.ListPoolsAsync().ToListAsync();
        var pub = pools.Single(p => p.Name == "public");
        Assert.True(pub.IsPublic);
        Assert.True(pub.TotalIp > pub.UsingIp);
        Assert.True(pub.TotalIpv4 > 0);
        Assert.Equal(long.MaxValue, pub.TotalIpv6); // 2^64+ addresses: clamped
        Assert.Equal("private", (await c.Ip.GetPoolAsync(2)).Name);

        var addresses = await c.Ip.ListAddressesAsync(new DciQuery { PageSize = 50 }).ToListAsync();
        Assert.NotEmpty(addresses);
        Assert.Equal(addresses.Count, addresses.Select(a => a.Id).Distinct().Count());
        Assert.Contains(addresses, a => a.AdditionalProperties?.ContainsKey("ipnet") == true);
    }

    [Fact]
    public async Task Settings_session_lifetime_and_raw_invoke()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        await c.Settings.SetAsync("operation_change_boot_order", "true");
        await c.Auth.SetSessionLifetimeAsync(TimeSpan.FromHours(2));
        Assert.Equal(TimeSpan.FromHours(2), sim.State.TokenLifetime);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => c.Auth.SetSessionLifetimeAsync(TimeSpan.FromSeconds(10)));

        var ttl = await c.InvokeAsync(HttpMethod.Get, "auth/v4/setting/token_ttl");
        Assert.Equal("120", ttl.GetProperty("value").GetString());
        var list = await c.InvokeAsync(HttpMethod.Get, "/dci/v3/server", new Dictionary<string, string?> { ["where"] = "id EQ 3", ["limit"] = "0,5", ["orderby"] = null });
        Assert.Equal(1, list.GetProperty("size").GetInt32());
        var task = await c.InvokeAsync(HttpMethod.Post, "dci/v3/server/3/power_reset");
        Assert.True(task.GetProperty("task").GetInt64() > 0);
        var owner = await c.InvokeAsync(HttpMethod.Post, "dci/v3/server/3/owner", body: new JsonObject { ["owner"] = 4 });
        Assert.Equal(JsonValueKind.Object, owner.ValueKind);
        var ex = await Assert.ThrowsAsync<DciApiException>(() => c.InvokeAsync(HttpMethod.Put, "dci/v3/server/3"));
        Assert.Equal(405, ex.HttpStatus);
    }

    [Fact]
    public async Task Waiting_polls_in_batches_and_reports_failures()
    {
        await using var sim = await Sim.StartAsync(o => o.OperationDuration = TimeSpan.FromMilliseconds(300));
        using var c = await Sim.AdminAsync(sim, pageSize: 8);
        sim.State.FailNextOperations(2, "power_reset");
        var tasks = new List<DciTask>();
        for (var id = 1; id <= 20; id++) tasks.Add(await c.Servers.PowerAsync(id, DciPowerAction.Reset));
        var sink = new CapturingSink();
        var progress = new List<DciWaitProgress>();
        var reporter = new SyncProgress<DciWaitProgress>(progress.Add);
        List<DciTaskWaitResult> results;
        using (DciTrace.Push(sink))
            results = await c.Tasks.WaitAsync(tasks, FastWait, reporter).ToListAsync();

        Assert.Equal(20, results.Count);
        Assert.Equal(tasks.Select(t => t.Id).OrderBy(i => i), results.Select(r => r.Task.Id).OrderBy(i => i));
        Assert.Equal(2, results.Count(r => r.Outcome == DciWaitOutcome.Failed));
        Assert.Equal(18, results.Count(r => r.Outcome == DciWaitOutcome.Completed));
        Assert.All(results, r => { Assert.Same(c, r.Task.Connection); Assert.Equal("power_reset", r.Task.Name); });

        var polls = sink.VerboseLines.Where(l => l.StartsWith("GET /api/dci/v3/task")).ToList();
        Assert.NotEmpty(polls);
        // Never more than PageSize ids per request; never one request per task.
        Assert.All(polls, l => Assert.True(CountOccurrences(l, "id EQ") <= 8, l));
        Assert.True(polls.Count < 20 * 2, $"{polls.Count} poll requests");
        var last = progress.Last();
        Assert.Equal(20, last.Total);
        Assert.Equal(20, last.Finished);
        Assert.Equal(2, last.Failed);
    }

    [Fact]
    public async Task Waiting_times_out_with_every_unfinished_task()
    {
        await using var sim = await Sim.StartAsync(o => o.OperationDuration = TimeSpan.FromSeconds(30));
        using var c = await Sim.AdminAsync(sim);
        var tasks = new[] { await c.Servers.PowerAsync(1, DciPowerAction.Reset), await c.Servers.PowerAsync(2, DciPowerAction.Reset) };
        var results = await c.Tasks.WaitAsync(tasks, new DciWaitOptions { InitialPollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromMilliseconds(400) }).ToListAsync();
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(DciWaitOutcome.TimedOut, r.Outcome));
    }

    [Fact]
    public async Task Waiting_groups_tasks_by_connection()
    {
        await using var sim1 = await Sim.StartAsync();
        await using var sim2 = await Sim.StartAsync();
        using var c1 = await Sim.AdminAsync(sim1);
        using var c2 = await Sim.AdminAsync(sim2);
        var tasks = new[] { await c1.Servers.PowerAsync(1, DciPowerAction.Off), await c2.Servers.PowerAsync(1, DciPowerAction.Off) };
        var results = await c1.Tasks.WaitAsync(tasks, FastWait).ToListAsync();
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.IsSuccessful));
        Assert.Contains(results, r => r.Task.Connection == c2);
        Assert.Equal("off", sim2.State.GetServer(1)!.PowerStatus);
    }

    private static int CountOccurrences(string text, string part)
    {
        var n = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
