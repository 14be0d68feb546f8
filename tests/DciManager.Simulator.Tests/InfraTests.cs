using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace DciManager.Simulator.Tests;

public sealed class SuspensionTests
{
    [Fact]
    public async Task IdlePlatformSleeps_Answers503_ThenWakes()
    {
        var clock = new ManualClock();
        await using var sim = await Sim.StartAsync(o =>
        {
            o.Clock = clock;
            o.SuspendAfterIdle = TimeSpan.FromMilliseconds(1000);
            o.WakeUpTime = TimeSpan.FromMilliseconds(1500);
        });
        Assert.Equal(200, (await sim.GetAsync("dci/v3/server/1")).StatusCode);
        clock.Advance(TimeSpan.FromMilliseconds(1300));
        var r = await sim.GetAsync("dci/v3/server/1");
        Assert.Equal(503, r.StatusCode);
        Assert.Equal(5003, r.ErrorCode);
        var login = await sim.PostAsync("auth/v4/public/token", new { email = "admin@example.com", password = "secret" }, token: null);
        Assert.Equal(503, login.StatusCode);
        var act = await sim.PostAsync("dci/v3/server/1/power_on");
        Assert.Equal(503, act.StatusCode);
        Assert.Empty(sim.State.Ledger); // not executed
        // Still waking 1.4 s into the 1.5 s wake-up, awake after it.
        clock.Advance(TimeSpan.FromMilliseconds(1400));
        Assert.Equal(503, (await sim.GetAsync("dci/v3/server/1")).StatusCode);
        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(200, (await sim.GetAsync("dci/v3/server/1")).StatusCode);
        Assert.Equal(200, (await sim.GetAsync("dci/v3/server/2")).StatusCode);
    }

    [Fact]
    public async Task SuspendNow_ForcesSleep()
    {
        var clock = new ManualClock();
        await using var sim = await Sim.StartAsync(o => { o.Clock = clock; o.WakeUpTime = TimeSpan.FromMilliseconds(300); });
        sim.State.SuspendNow();
        Assert.True(sim.State.IsSuspended);
        Assert.Equal(503, (await sim.GetAsync("auth/v4/whoami")).StatusCode);
        clock.Advance(TimeSpan.FromMilliseconds(350));
        Assert.Equal(200, (await sim.GetAsync("auth/v4/whoami")).StatusCode);
        Assert.False(sim.State.IsSuspended);
    }
}

public sealed class FaultTests
{
    private static FaultRule Rule(FaultKind kind, string? path = null, string? method = null, int count = 1, int delayMs = 0) =>
        new() { Kind = kind, PathContains = path, Method = method, Count = count, Delay = TimeSpan.FromMilliseconds(delayMs) };

    [Fact]
    public async Task NotExecutedFaults_EnvelopesAndBodies()
    {
        await using var sim = await Sim.StartAsync();
        sim.State.Faults.Add(Rule(FaultKind.Suspended503, "power_on"));
        var r = await sim.PostAsync("dci/v3/server/1/power_on");
        Assert.Equal(503, r.StatusCode);
        Assert.Equal(5003, r.ErrorCode);

        sim.State.Faults.Add(Rule(FaultKind.Status500, "power_on"));
        r = await sim.PostAsync("dci/v3/server/1/power_on");
        Assert.Equal(500, r.StatusCode);
        Assert.Equal("application/json", r.ContentType);
        Assert.Equal(5000, r.ErrorCode);

        sim.State.Faults.Add(Rule(FaultKind.Html502, "power_on"));
        r = await sim.PostAsync("dci/v3/server/1/power_on");
        Assert.Equal(502, r.StatusCode);
        Assert.Equal("text/html", r.ContentType);
        Assert.Contains("502 Bad Gateway", r.Body);

        sim.State.Faults.Add(Rule(FaultKind.NonJsonBody, "power_on"));
        r = await sim.PostAsync("dci/v3/server/1/power_on");
        Assert.Equal(200, r.StatusCode);
        Assert.Equal("text/plain", r.ContentType);
        Assert.ThrowsAny<JsonException>(() => r.Json);

        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.Html502, StatusCode = 504 });
        Assert.Equal(504, (await sim.GetAsync("auth/v4/whoami")).StatusCode);

        Assert.Empty(sim.State.Ledger);
        Assert.Equal(200, (await sim.PostAsync("dci/v3/server/1/power_on")).StatusCode);
        Assert.Single(sim.State.Ledger);
        Assert.Equal(5, sim.State.Faults.FiredCount);
    }

    [Fact]
    public async Task MangledBodies_AfterExecution()
    {
        await using var sim = await Sim.StartAsync();
        var good = (await sim.GetAsync("dci/v3/server/3")).Body;

        sim.State.Faults.Add(Rule(FaultKind.TruncatedJson, "server/3"));
        var r = await sim.GetAsync("dci/v3/server/3");
        Assert.Equal(200, r.StatusCode);
        Assert.Equal(good.Length / 2, r.Body.Length);
        Assert.ThrowsAny<JsonException>(() => r.Json);

        sim.State.Faults.Add(Rule(FaultKind.MalformedJson, "server/3"));
        r = await sim.GetAsync("dci/v3/server/3");
        Assert.Equal(200, r.StatusCode);
        Assert.Contains("@@garbage@@", r.Body);
        Assert.ThrowsAny<JsonException>(() => r.Json);

        sim.State.Faults.Add(Rule(FaultKind.WrongContentType, "server/3"));
        r = await sim.GetAsync("dci/v3/server/3");
        Assert.Equal("text/html", r.ContentType);
        Assert.Equal(good, r.Body);

        sim.State.Faults.Add(Rule(FaultKind.TruncatedJson, "power_off", "POST"));
        r = await sim.PostAsync("dci/v3/server/3/power_off");
        Assert.Equal(200, r.StatusCode);
        Assert.Single(sim.State.Ledger); // executed although the answer was broken
    }

    [Fact]
    public async Task Resets_BeforeAndAfterProcessing()
    {
        await using var sim = await Sim.StartAsync();
        sim.State.Faults.Add(Rule(FaultKind.ResetBeforeProcessing, "power_on", "POST"));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sim.PostAsync("dci/v3/server/4/power_on"));
        Assert.Empty(sim.State.Ledger);

        sim.State.Faults.Add(Rule(FaultKind.ResetAfterProcessing, "power_on", "POST"));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sim.PostAsync("dci/v3/server/4/power_on"));
        var e = Assert.Single(sim.State.Ledger);
        Assert.Equal("power_on", e.Operation);
        Assert.Equal(4, e.ServerId);
        // the retry is refused because the operation is running: the client must check, not blindly repeat
        Assert.Equal(409, (await sim.PostAsync("dci/v3/server/4/power_on")).StatusCode);
    }

    [Fact]
    public async Task LatencyStallAndCounts()
    {
        await using var sim = await Sim.StartAsync();
        sim.State.Faults.Add(Rule(FaultKind.Latency, "whoami", delayMs: 300));
        var sw = Stopwatch.StartNew();
        Assert.Equal(200, (await sim.GetAsync("auth/v4/whoami")).StatusCode);
        Assert.True(sw.ElapsedMilliseconds >= 280);

        sim.State.Faults.Add(Rule(FaultKind.Stall, "whoami"));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sim.SendAsync(HttpMethod.Get, "auth/v4/whoami", ct: cts.Token));
        Assert.Equal(200, (await sim.GetAsync("auth/v4/whoami")).StatusCode);

        // Method / path filters and Count = -1
        sim.State.Faults.Add(Rule(FaultKind.Status500, "server/2", "GET", count: -1));
        for (int i = 0; i < 3; i++) Assert.Equal(500, (await sim.GetAsync("dci/v3/server/2")).StatusCode);
        Assert.Equal(200, (await sim.GetAsync("dci/v3/server/1")).StatusCode);
        Assert.NotEqual(500, (await sim.DeleteAsync("dci/v3/server/2/owner")).StatusCode); // method filter
        Assert.Single(sim.State.Faults.Rules);
        sim.State.Faults.Clear();
        Assert.Equal(200, (await sim.GetAsync("dci/v3/server/2")).StatusCode);
        Assert.True(sim.State.RequestCount >= 9);
    }

    [Fact]
    public async Task ControlEndpoints_WhenEnabled()
    {
        await using var sim = await Sim.StartAsync(o => o.EnableControl = true);
        var before = sim.State.RequestCount;
        var add = await sim.SendAsync(HttpMethod.Post, "_sim/faults", """{"kind":"status_500","path_contains":"whoami","count":2}""", token: null);
        Assert.Equal(200, add.StatusCode);
        Assert.Equal(500, (await sim.GetAsync("auth/v4/whoami")).StatusCode);
        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Post, "_sim/faults", """{"Kind":"Latency","PathContains":"nothing","DelayMs":5}""", token: null)).StatusCode);
        Assert.Equal(2, (await sim.GetAsync("_sim/faults", token: null)).List.Length);
        Assert.Equal(200, (await sim.DeleteAsync("_sim/faults", token: null)).StatusCode);
        Assert.Equal(200, (await sim.GetAsync("auth/v4/whoami")).StatusCode);
        Assert.Equal(400, (await sim.SendAsync(HttpMethod.Post, "_sim/faults", """{"kind":"nope"}""", token: null)).StatusCode);

        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Post, "_sim/fail-operations", """{"count":1,"operation":"power_on"}""", token: null)).StatusCode);
        var t = await sim.ActionAsync(1, "power_on");
        Assert.Equal("fail", (await sim.WaitTaskAsync(t)).S("status"));
        var ledger = await sim.GetAsync("_sim/ledger", token: null);
        Assert.Equal("power_on", ledger.List.Single().S("operation"));
        Assert.Equal(t, ledger.List.Single().GetProperty("task_id").GetInt64());

        var stats = await sim.GetAsync("_sim/stats", token: null);
        Assert.Equal(sim.State.RequestCount, stats.Json.GetProperty("requests").GetInt64());
        Assert.True(sim.State.RequestCount > before);

        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Post, "_sim/revoke-tokens", "{}", token: null)).StatusCode);
        Assert.Equal(401, (await sim.GetAsync("auth/v4/whoami")).StatusCode);
        Assert.Equal(200, (await sim.SendAsync(HttpMethod.Post, "_sim/suspend", "{}", token: null)).StatusCode);
        Assert.Equal(503, (await sim.GetAsync("auth/v4/whoami")).StatusCode);
    }

    [Fact]
    public async Task ControlEndpoints_404WhenDisabled()
    {
        await using var sim = await Sim.StartAsync();
        var r = await sim.GetAsync("_sim/stats", token: null);
        Assert.Equal(404, r.StatusCode);
        Assert.Equal(4004, r.ErrorCode);
        Assert.Equal(404, (await sim.SendAsync(HttpMethod.Post, "_sim/suspend", "{}", token: null)).StatusCode);
        Assert.False(sim.State.IsSuspended);
    }
}

public sealed class HostingTests
{
    [Fact]
    public async Task Https_ServesWithSelfSignedCertificate()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { Https = true, AdminPassword = "pw" });
        Assert.Equal("https", host.BaseAddress.Scheme);
        X509Certificate2? seen = null;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => { seen = new X509Certificate2(cert!); return true; };
        using var http = new HttpClient(handler) { BaseAddress = host.BaseAddress };
        var resp = await http.PostAsync("api/auth/v4/public/token", new StringContent("""{"email":"admin@example.com","password":"pw"}"""));
        Assert.Equal(HttpStatusCode.Created, resp.StatusCode);
        Assert.NotNull(seen);
        Assert.Equal("CN=localhost", seen!.Subject);
        Assert.Equal(seen.Subject, seen.Issuer);
        var san = seen.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());

        // without the callback the certificate is rejected (it is self-signed)
        using var strict = new HttpClient { BaseAddress = host.BaseAddress };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => strict.GetAsync("api/auth/v4/whoami"));
    }

    [Fact]
    public async Task TenThousandServers_PageQuickly()
    {
        await using var sim = await Sim.StartAsync(o => o.Servers = 10000);
        var sw = Stopwatch.StartNew();
        var last = await sim.GetAsync("dci/v3/server?limit=9500,500");
        Assert.Equal(10000, last.Size);
        Assert.Equal(Enumerable.Range(9501, 500), last.List.Select(s => s.I("id")));
        for (int off = 0; off < 10000; off += 500)
        {
            var page = await sim.GetAsync($"dci/v3/server?limit={off},500");
            Assert.Equal(500, page.List.Length);
            Assert.Equal(off + 1, page.List[0].I("id"));
        }
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"21 pages took {sw.Elapsed}");
        var gpu = await sim.GetAsync("dci/v3/server?where=" + Uri.EscapeDataString("name CP 'gpu-%'") + "&orderby=name+desc&limit=0,10");
        Assert.InRange(gpu.Size, 700, 1300);
        Assert.All(gpu.List, s => Assert.StartsWith("gpu-", s.S("name")));
        var owned = await sim.GetAsync("dci/v3/server?where=" + Uri.EscapeDataString("owner_email IS NOT null") + "&limit=1");
        Assert.Equal(3333, owned.Size);
        var names = (await sim.GetAsync("dci/v3/server?limit=0,10000")).List.Select(s => s.S("name")).ToArray();
        Assert.Equal(10000, names.Distinct().Count());
        var sw2 = Stopwatch.StartNew();
        for (int i = 0; i < 200; i++) Assert.Equal(200, (await sim.GetAsync($"dci/v3/server/{i * 50 + 1}")).StatusCode);
        Assert.True(sw2.Elapsed < TimeSpan.FromSeconds(5), $"200 GETs took {sw2.Elapsed}");
    }

    [Fact]
    public async Task SameSeed_SameData_OtherSeed_OtherData()
    {
        await using var a = await Sim.StartAsync();
        await using var b = await Sim.StartAsync();
        await using var c = await Sim.StartAsync(o => o.Seed = 2);
        var la = (await a.GetAsync("dci/v3/server")).Body;
        Assert.Equal(la, (await b.GetAsync("dci/v3/server")).Body);
        Assert.NotEqual(la, (await c.GetAsync("dci/v3/server")).Body);
        Assert.Equal((await a.GetAsync("dci/v3/ip")).Body, (await b.GetAsync("dci/v3/ip")).Body);
    }

    [Fact]
    public async Task LatencyOption_DelaysEveryRequest_AndRandomAdminPassword()
    {
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { Latency = TimeSpan.FromMilliseconds(200) });
        Assert.False(string.IsNullOrEmpty(host.AdminPassword));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var sw = Stopwatch.StartNew();
        var resp = await http.PostAsync("auth/v4/public/token", new StringContent($$"""{"email":"admin@example.com","password":"{{host.AdminPassword}}"}"""));
        Assert.Equal(HttpStatusCode.Created, resp.StatusCode);
        Assert.True(sw.ElapsedMilliseconds >= 190);
        Assert.Equal(1, host.State.RequestCount);
        Assert.Equal(9, host.State.SeededUsers.Count);
        Assert.Contains(host.State.SeededUsers, u => u.Email == "user01@example.com" && u.Password == "user-password" && !u.IsAdmin);
    }

    [Fact]
    public async Task BusyPort_OneClearLine_AndNonZeroExit()
    {
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var dll = Path.Combine(AppContext.BaseDirectory, "DciManager.Simulator.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--admin-password", "pw" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.Contains($"127.0.0.1:{port}", line);
        Assert.Contains("in use", line);
        Assert.DoesNotContain("   at ", await stdout);
    }

    [Fact]
    public void CommandLine_ParsesSwitches()
    {
        var o = SimulatorCommandLine.Parse(new[]
        {
            "--urls", "http://127.0.0.1:5080", "--admin-password", "secret", "--servers", "100", "--seed=7", "--token-ttl", "2",
            "--suspend-after", "30", "--wake-up", "1.5", "--latency-ms", "20", "--operation-ms", "250", "--enable-control", "--https",
            "--admin-email", "root@example.com",
        });
        Assert.Equal("http://127.0.0.1:5080", o.Urls);
        Assert.Equal("secret", o.AdminPassword);
        Assert.Equal(100, o.Servers);
        Assert.Equal(7, o.Seed);
        Assert.Equal(TimeSpan.FromMinutes(2), o.TokenLifetime);
        Assert.Equal(TimeSpan.FromSeconds(30), o.SuspendAfterIdle);
        Assert.Equal(TimeSpan.FromSeconds(1.5), o.WakeUpTime);
        Assert.Equal(TimeSpan.FromMilliseconds(20), o.Latency);
        Assert.Equal(TimeSpan.FromMilliseconds(250), o.OperationDuration);
        Assert.True(o.EnableControl);
        Assert.True(o.Https);
        Assert.Equal("root@example.com", o.AdminEmail);
        Assert.Equal(TimeSpan.FromSeconds(90), SimulatorCommandLine.Parse(new[] { "--token-ttl-seconds", "90" }).TokenLifetime);
        Assert.Throws<ArgumentException>(() => SimulatorCommandLine.Parse(new[] { "--bogus" }));
        Assert.Throws<ArgumentException>(() => SimulatorCommandLine.Parse(new[] { "--servers" }));
        Assert.Null(new SimulatorOptions().OperationDuration);
        Assert.Equal(SimulatedPlatform.DCImanager6, new SimulatorOptions().Platform);
        Assert.Equal(SimulatedPlatform.OpenDcim, SimulatorCommandLine.Parse(new[] { "--platform", "opendcim" }).Platform);
        Assert.Equal(SimulatedPlatform.DCImanager5, SimulatorCommandLine.Parse(new[] { "--platform=DCImanager5" }).Platform);
        Assert.Throws<ArgumentException>(() => SimulatorCommandLine.Parse(new[] { "--platform", "netbox" }));
        Assert.Throws<ArgumentException>(() => SimulatorCommandLine.Parse(new[] { "--platform", "7" }));
    }
}
