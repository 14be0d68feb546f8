using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DciManager.Client;
using DciManager.Client.Concurrency;
using DciManager.Simulator;
using Xunit.Abstractions;

namespace DciManager.Client.Tests;

/// <summary>
/// Fault-tolerance scenarios of architecture rules 6-7, end to end: bulk work through the same
/// <see cref="DciWorkPump"/> the cmdlets use, against the simulator over real loopback HTTP, with the
/// simulator's ledger as the ground truth of what was executed. Each scenario prints and asserts
/// "attempted / completed / unknown / duplicated / lost".
/// </summary>
public sealed class FaultScenarioTests
{
    private readonly ITestOutputHelper _out;

    public FaultScenarioTests(ITestOutputHelper output) => _out = output;

    private static DciConnectionOptions FastOptions(SimulatorHost sim, TimeSpan? timeout = null, int maxTransient = 4, TimeSpan? suspendedMaxWait = null) => new()
    {
        BaseUri = sim.BaseAddress,
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        Retry = new DciRetryOptions
        {
            BaseDelay = TimeSpan.FromMilliseconds(5),
            MaxDelay = TimeSpan.FromMilliseconds(50),
            MaxTransientAttempts = maxTransient,
            SuspendedMaxWait = suspendedMaxWait ?? TimeSpan.FromSeconds(60),
        },
    };

    /// <summary>What a bulk run delivered, per server id (on the pump's owner thread).</summary>
    private sealed class BulkResult
    {
        public Dictionary<long, DciTask> Completed { get; } = new();
        public Dictionary<long, Exception> Failed { get; } = new();
        public int Attempted { get; set; }
        public TimeSpan Elapsed { get; set; }
    }

    /// <summary>power_reset on every id through a pump at <paramref name="throttle"/>, like Invoke-DciPower -Action Reset.</summary>
    private static BulkResult BulkReset(DciConnection c, IReadOnlyList<long> ids, int throttle = 16, Action<BulkResult>? afterEachDelivery = null)
    {
        var result = new BulkResult();
        var watch = Stopwatch.StartNew();
        using (var pump = new DciWorkPump(throttle))
        {
            foreach (var id in ids)
            {
                var serverId = id;
                result.Attempted++;
                pump.Start($"server {serverId}", ct => c.Servers.PowerAsync(serverId, DciPowerAction.Reset, ct),
                    task => { result.Completed.Add(serverId, task); afterEachDelivery?.Invoke(result); },
                    error => { result.Failed.Add(serverId, error); afterEachDelivery?.Invoke(result); });
            }
            pump.Drain();
        }
        result.Elapsed = watch.Elapsed;
        return result;
    }

    /// <summary>Ledger counts of one operation: executed-once ids, duplicates, and the ids never executed.</summary>
    private static (Dictionary<int, int> PerServer, int Duplicated) Ledger(SimulatorHost sim, string operation)
    {
        var perServer = sim.State.Ledger.Where(e => e.Operation == operation)
            .GroupBy(e => e.ServerId).ToDictionary(g => g.Key, g => g.Count());
        return (perServer, perServer.Values.Sum(n => Math.Max(0, n - 1)));
    }

    private void Report(string scenario, int attempted, int completed, int unknown, int duplicated, int lost, string extra = "") =>
        _out.WriteLine($"{scenario}: attempted={attempted} completed={completed} unknown={unknown} duplicated={duplicated} lost={lost}{(extra.Length > 0 ? " " + extra : "")}");

    // ------------------------------------------------------------------ 1. 503 storm

    [Fact]
    public async Task Storm_of_503_during_1000_bulk_resets_loses_nothing_and_repeats_nothing()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.Servers = 1000;
            o.OperationDuration = TimeSpan.FromMilliseconds(20);
            o.WakeUpTime = TimeSpan.FromMilliseconds(150);
        });
        using var c = await DciConnection.ConnectAsync(FastOptions(sim), new NetworkCredential(sim.AdminEmail, sim.AdminPassword));
        var ids = Enumerable.Range(1, 1000).Select(i => (long)i).ToList();

        // 1,500 injected 503s on the action itself (1.5 per operation on average), plus two real
        // "platform asleep" periods in the middle of the run.
        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.Suspended503, Method = "POST", PathContains = "power_reset", Count = 1500 });
        var requestsBefore = sim.State.RequestCount;
        var suspensions = 0;
        var result = BulkReset(c, ids, 16, r =>
        {
            var delivered = r.Completed.Count + r.Failed.Count;
            if (delivered is 300 or 700) { sim.State.SuspendNow(); suspensions++; }
        });

        var (perServer, duplicated) = Ledger(sim, "power_reset");
        var lost = ids.Count(id => !perServer.ContainsKey((int)id));
        var unknown = result.Failed.Values.Count(e => e is DciOutcomeUnknownException);
        Report("503-storm", result.Attempted, result.Completed.Count, unknown, duplicated, lost,
            $"failed={result.Failed.Count} requests={sim.State.RequestCount - requestsBefore} injected503={1500 - (sim.State.Faults.Rules.FirstOrDefault()?.Count ?? 0)} suspensions={suspensions} elapsed={result.Elapsed.TotalSeconds:0.0}s");

        Assert.Empty(result.Failed.Select(f => $"{f.Key}: {f.Value.GetType().Name} {f.Value.Message}"));
        Assert.Equal(1000, result.Attempted);
        Assert.Equal(1000, result.Completed.Count);
        Assert.Equal(0, unknown);
        Assert.Equal(0, duplicated);
        Assert.Equal(0, lost);
        Assert.Equal(1000, perServer.Count);
        Assert.Equal(1000, perServer.Values.Sum());
        Assert.Equal(2, suspensions);
        Assert.Empty(sim.State.Faults.Rules);                                       // every injected 503 fired ...
        Assert.True(sim.State.RequestCount - requestsBefore >= 2500);                // ... and was answered by a retry
        // Each task the engine returned is the one the simulator started for that server.
        var ledgerTasks = sim.State.Ledger.Where(e => e.Operation == "power_reset").ToDictionary(e => (long)e.ServerId, e => e.TaskId);
        Assert.All(result.Completed, kv => Assert.Equal(ledgerTasks[kv.Key], kv.Value.Id));
    }

    // ------------------------------------------------------------------ 2. reset after the POST was executed

    [Fact]
    public async Task Connection_reset_after_execution_is_outcome_unknown_for_exactly_those_items()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.Servers = 200;
            o.OperationDuration = TimeSpan.FromMilliseconds(20);
        });
        using var c = await DciConnection.ConnectAsync(FastOptions(sim), new NetworkCredential(sim.AdminEmail, sim.AdminPassword));
        var ids = Enumerable.Range(1, 200).Select(i => (long)i).ToList();
        long[] victims = { 13, 57, 101, 150, 199 };
        foreach (var v in victims)
            sim.State.Faults.Add(new FaultRule { Kind = FaultKind.ResetAfterProcessing, Method = "POST", PathContains = $"/{v}/power_reset", Count = 1 });
        var requestsBefore = sim.State.RequestCount;

        var result = BulkReset(c, ids);

        var (perServer, duplicated) = Ledger(sim, "power_reset");
        var lost = ids.Count(id => !perServer.ContainsKey((int)id));
        var unknown = result.Failed.Values.OfType<DciOutcomeUnknownException>().ToList();
        Report("reset-after-processing", result.Attempted, result.Completed.Count, unknown.Count, duplicated, lost,
            $"requests={sim.State.RequestCount - requestsBefore}");

        Assert.Equal(200, result.Attempted);
        Assert.Equal(195, result.Completed.Count);
        Assert.Equal(5, unknown.Count);
        Assert.Equal(5, result.Failed.Count);
        Assert.Equal(0, duplicated);
        Assert.Equal(0, lost);
        // No blind retry: exactly one request per item.
        Assert.Equal(200, sim.State.RequestCount - requestsBefore);
        Assert.Equal(victims, result.Failed.Keys.Order());
        foreach (var v in victims)
        {
            var ex = Assert.IsType<DciOutcomeUnknownException>(result.Failed[v]);
            Assert.Equal("POST", ex.Method);
            Assert.Equal($"dci/v3/server/{v}/power_reset", ex.Path);
            Assert.Contains($"dci/v3/server/{v}/power_reset", ex.Message);
            Assert.Contains("Check the object's state before retrying", ex.Message);
            Assert.False(string.IsNullOrWhiteSpace(ex.WhatHappened));
            // It was in fact executed, once: that is what the user is told to check.
            Assert.Equal(1, perServer[(int)v]);
        }
        Assert.Empty(sim.State.Faults.Rules);
    }

    // ------------------------------------------------------------------ 3. token revocation mid-bulk

    [Fact]
    public async Task Revocation_mid_bulk_with_a_password_connection_signs_in_again_and_loses_nothing()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.Servers = 500;
            o.OperationDuration = TimeSpan.FromMilliseconds(20);
        });
        using var c = await DciConnection.ConnectAsync(FastOptions(sim), new NetworkCredential(sim.AdminEmail, sim.AdminPassword));
        var ids = Enumerable.Range(1, 500).Select(i => (long)i).ToList();
        var revocations = 0;

        var result = BulkReset(c, ids, 16, r =>
        {
            var delivered = r.Completed.Count + r.Failed.Count;
            if (delivered is 100 or 350) { sim.State.RevokeAllTokens(); revocations++; }
        });

        var (perServer, duplicated) = Ledger(sim, "power_reset");
        var lost = ids.Count(id => !perServer.ContainsKey((int)id));
        var unknown = result.Failed.Values.Count(e => e is DciOutcomeUnknownException);
        Report("revoked-password", result.Attempted, result.Completed.Count, unknown, duplicated, lost,
            $"failed={result.Failed.Count} relogins={c.ReloginCount} revocations={revocations}");

        Assert.Empty(result.Failed.Select(f => $"{f.Key}: {f.Value.GetType().Name} {f.Value.Message}"));
        Assert.Equal(500, result.Attempted);
        Assert.Equal(500, result.Completed.Count);
        Assert.Equal(0, unknown);
        Assert.Equal(0, duplicated);
        Assert.Equal(0, lost);
        Assert.Equal(500, perServer.Values.Sum());
        Assert.Equal(2, revocations);
        // One re-login per revocation, however many requests saw the 401 at once.
        Assert.InRange(c.ReloginCount, 1, 2);
    }

    [Fact]
    public async Task Revocation_mid_bulk_with_a_token_connection_fails_the_rest_with_connect_again_and_repeats_nothing()
    {
        await using var sim = await Sim.StartAsync(o =>
        {
            o.Servers = 500;
            o.OperationDuration = TimeSpan.FromMilliseconds(20);
        });
        // A session token from a plain password login, as a runbook would get it from a vault.
        string token;
        using (var http = new HttpClient { BaseAddress = sim.BaseAddress })
        {
            using var login = await http.PostAsJsonAsync("api/auth/v4/public/token", new { email = sim.AdminEmail, password = sim.AdminPassword });
            Assert.Equal(HttpStatusCode.Created, login.StatusCode);
            using var doc = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
            token = doc.RootElement.GetProperty("token").GetString()!;
        }
        using var c = await DciConnection.ConnectWithTokenAsync(FastOptions(sim), token);
        Assert.Equal(DciAuthMethod.Token, c.AuthMethod);
        var ids = Enumerable.Range(1, 500).Select(i => (long)i).ToList();
        var deliveredAtRevocation = -1;
        var startedAtRevocation = -1;

        var result = BulkReset(c, ids, 16, r =>
        {
            var delivered = r.Completed.Count + r.Failed.Count;
            if (delivered == 200) { sim.State.RevokeAllTokens(); deliveredAtRevocation = delivered; startedAtRevocation = r.Attempted; }
        });

        var (perServer, duplicated) = Ledger(sim, "power_reset");
        var expired = result.Failed.Where(f => f.Value is DciSessionExpiredException).Select(f => f.Key).ToHashSet();
        // An item is lost when it was neither executed nor reported as failed.
        var lost = ids.Count(id => !perServer.ContainsKey((int)id) && !result.Failed.ContainsKey(id));
        var unknown = result.Failed.Values.Count(e => e is DciOutcomeUnknownException);
        Report("revoked-token", result.Attempted, result.Completed.Count, unknown, duplicated, lost,
            $"session-expired={expired.Count} relogins={c.ReloginCount}");

        Assert.Equal(200, deliveredAtRevocation);
        Assert.Equal(500, result.Attempted);
        Assert.Equal(500, result.Completed.Count + result.Failed.Count);
        Assert.Equal(result.Failed.Count, expired.Count);                     // every failure is "session expired"
        // Only what had started by then can have got through: the ones still running, and finished ones whose
        // results were still queued for the owner thread (each freed its slot, so more than 16 may be started).
        Assert.InRange(result.Completed.Count, 200, startedAtRevocation);
        Assert.InRange(expired.Count, 500 - startedAtRevocation, 300);
        Assert.True(startedAtRevocation < 500, "the revocation came too late to test anything");
        Assert.Equal(0, unknown);
        Assert.Equal(0, duplicated);
        Assert.Equal(0, lost);
        Assert.Equal(0, c.ReloginCount);
        // Executed = completed, exactly: no failed item was executed, no completed item twice.
        Assert.Equal(result.Completed.Keys.Order(), perServer.Keys.Select(k => (long)k).Order());
        Assert.All(expired, id => Assert.False(perServer.ContainsKey((int)id)));
        Assert.All(result.Failed.Values, e =>
        {
            Assert.Equal(DciSessionExpiredException.DefaultMessage, e.Message);
            Assert.Contains("Run Connect-Dci again", e.Message);
            Assert.Equal(401, Assert.IsType<DciApiException>(e.InnerException).HttpStatus);
            Assert.DoesNotContain(token, e.ToString());
        });
    }

    // ------------------------------------------------------------------ 4. stalled server

    [Fact]
    public async Task Stalled_server_never_holds_a_call_beyond_the_timeout_and_its_bounded_retries()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await DciConnection.ConnectAsync(FastOptions(sim, timeout: TimeSpan.FromSeconds(1), maxTransient: 3),
            new NetworkCredential(sim.AdminEmail, sim.AdminPassword));
        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.Stall, Count = -1, Delay = TimeSpan.FromMinutes(5) });

        // GET: three attempts of 1 s each, then a transport error that says what happened.
        var before = sim.State.RequestCount;
        var watch = Stopwatch.StartNew();
        var get = await Assert.ThrowsAsync<DciTransportException>(() => c.Servers.GetAsync(3));
        var getTime = watch.Elapsed;
        Assert.Equal(3, get.Attempts);
        Assert.Equal(3, sim.State.RequestCount - before);
        Assert.Contains("no answer within 1 s", get.Message);
        Assert.IsType<TimeoutException>(get.InnerException);
        Assert.InRange(getTime, TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(6));

        // POST: one attempt, then "outcome unknown" (never repeated).
        before = sim.State.RequestCount;
        watch.Restart();
        var post = await Assert.ThrowsAsync<DciOutcomeUnknownException>(() => c.Servers.PowerAsync(3, DciPowerAction.Reset));
        var postTime = watch.Elapsed;
        Assert.Equal(1, sim.State.RequestCount - before);
        Assert.Equal("dci/v3/server/3/power_reset", post.Path);
        Assert.Contains("no answer within 1 s", post.WhatHappened);
        Assert.InRange(postTime, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3));

        // A bulk run against the stalled server: every item ends, none later than its own timeout.
        before = sim.State.RequestCount;
        var bulk = BulkReset(c, Enumerable.Range(1, 32).Select(i => (long)i).ToList());
        var (perServer, duplicated) = Ledger(sim, "power_reset");
        Report("stalled", bulk.Attempted, bulk.Completed.Count, bulk.Failed.Values.Count(e => e is DciOutcomeUnknownException), duplicated,
            bulk.Attempted - bulk.Completed.Count - bulk.Failed.Count,
            $"get={getTime.TotalSeconds:0.00}s post={postTime.TotalSeconds:0.00}s bulk32={bulk.Elapsed.TotalSeconds:0.00}s");
        Assert.Equal(32, bulk.Failed.Count);
        Assert.All(bulk.Failed.Values, e => Assert.IsType<DciOutcomeUnknownException>(e));
        Assert.Equal(32, sim.State.RequestCount - before);
        Assert.Empty(perServer);                                             // the stall held every request before processing
        Assert.Equal(0, duplicated);
        Assert.InRange(bulk.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(6)); // 2 waves of 16 at 1 s each
    }

    [Fact]
    public async Task User_cancellation_ends_a_stalled_call_or_a_suspended_wait_promptly()
    {
        await using var sim = await Sim.StartAsync();
        // A long timeout and a long suspension budget: only the user's cancellation can end these calls.
        using var c = await DciConnection.ConnectAsync(FastOptions(sim, timeout: TimeSpan.FromSeconds(60), suspendedMaxWait: TimeSpan.FromMinutes(5)),
            new NetworkCredential(sim.AdminEmail, sim.AdminPassword));
        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.Stall, Method = "GET", PathContains = "dci/v3/server/5", Count = -1, Delay = TimeSpan.FromMinutes(5) });
        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.Stall, Method = "POST", PathContains = "power_off", Count = -1, Delay = TimeSpan.FromMinutes(5) });
        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.Suspended503, PathContains = "dci/v3/server/6", Count = -1 });

        async Task<TimeSpan> CancelledAfter(Func<CancellationToken, Task> call)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call(cts.Token));
            return watch.Elapsed;
        }

        var stalledGet = await CancelledAfter(ct => c.Servers.GetAsync(5, ct));
        var stalledPost = await CancelledAfter(ct => c.Servers.PowerAsync(5, DciPowerAction.Off, ct));
        var suspendedGet = await CancelledAfter(ct => c.Servers.GetAsync(6, ct));
        var suspendedPost = await CancelledAfter(ct => c.Servers.PowerAsync(6, DciPowerAction.Reset, ct));

        // A pump cancelled mid-bulk (Ctrl+C): every in-flight item ends promptly, nothing is executed twice.
        var bulkWatch = Stopwatch.StartNew();
        var errors = new ConcurrentBag<Exception>();
        using (var pump = new DciWorkPump(8))
        {
            for (var i = 0; i < 8; i++)
                pump.Start("stalled", ct => c.Servers.PowerAsync(5, DciPowerAction.Off, ct), _ => { }, errors.Add);
            Thread.Sleep(200);
            pump.Cancel();
            pump.Drain();
        }
        var bulkTime = bulkWatch.Elapsed;
        var (perServer, duplicated) = Ledger(sim, "power_off");
        Report("cancelled", 8, 0, errors.Count(e => e is DciOutcomeUnknownException), duplicated, 8 - errors.Count,
            $"get={stalledGet.TotalMilliseconds:0}ms post={stalledPost.TotalMilliseconds:0}ms suspended-get={suspendedGet.TotalMilliseconds:0}ms suspended-post={suspendedPost.TotalMilliseconds:0}ms bulk={bulkTime.TotalMilliseconds:0}ms");

        foreach (var t in new[] { stalledGet, stalledPost, suspendedGet, suspendedPost })
            Assert.InRange(t, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2));
        Assert.Equal(8, errors.Count);
        Assert.All(errors, e => Assert.IsAssignableFrom<OperationCanceledException>(e));
        Assert.InRange(bulkTime, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Equal(0, duplicated);
        Assert.Empty(perServer);
        Assert.Equal(0, Sim.LedgerCount(sim, 6, "power_reset"));
    }

    // ------------------------------------------------------------------ 6. every status the simulator sends

    [Fact]
    public async Task Every_error_status_maps_to_an_api_exception_with_its_status_and_code()
    {
        await using var sim = await Sim.StartAsync(o => o.OperationDuration = TimeSpan.FromSeconds(30));
        using var admin = await DciConnection.ConnectAsync(FastOptions(sim, maxTransient: 3, suspendedMaxWait: TimeSpan.FromMilliseconds(300)),
            new NetworkCredential(sim.AdminEmail, sim.AdminPassword));
        using var user = await DciConnection.ConnectAsync(FastOptions(sim), new NetworkCredential("user01@example.com", Sim.UserPassword));
        var owned = (await admin.Servers.ListAsync(new DciQuery { Where = DciFilter.IsNotNull("owner_email") }).ToListAsync()).First();
        var someone = (await admin.Users.ListAsync().ToListAsync()).First(u => !u.IsAdmin);
        await admin.Servers.PowerAsync(8, DciPowerAction.Reset); // runs for 30 s: a second action on server 8 conflicts

        var cases = new List<(string Name, int Status, int? Code, Func<Task> Call)>
        {
            ("400 bad filter", 400, 4000, () => admin.InvokeAsync(HttpMethod.Get, "dci/v3/server", new Dictionary<string, string?> { ["where"] = "((nonsense" })),
            ("400 bad address", 400, 4000, () => admin.Servers.AddIpAsync(2, new DciAddIpRequest { Address = "not-an-ip" })),
            ("401 wrong password", 401, 3001, () => DciConnection.ConnectAsync(FastOptions(sim), new NetworkCredential(sim.AdminEmail, "wrong-password"))),
            ("403 not admin", 403, 3002, async () => await user.Users.ListAsync().ToListAsync()),
            ("404 unknown server", 404, 4004, () => admin.Servers.GetAsync(999_999)),
            ("404 unknown path", 404, 4004, () => admin.InvokeAsync(HttpMethod.Get, "dci/v3/no_such_thing")),
            ("405 method", 405, 4005, () => admin.InvokeAsync(HttpMethod.Put, "dci/v3/server")),
            ("409 owned server", 409, 4009, () => admin.Servers.SetOwnerAsync(owned.Id, someone.Id)),
            ("409 operation running", 409, 4009, () => admin.Servers.PowerAsync(8, DciPowerAction.Off)),
            ("500 internal", 500, 5000, () => Fault(FaultKind.Status500, "GET", () => admin.Servers.GetAsync(1))),
            ("500 internal on POST", 500, 5000, () => Fault(FaultKind.Status500, "POST", () => admin.Servers.PowerAsync(1, DciPowerAction.On))),
            ("502 gateway (GET, retries exhausted)", 502, null, () => Fault(FaultKind.Html502, "GET", () => admin.Servers.GetAsync(1))),
            ("504 gateway (GET, retries exhausted)", 504, null, () => Fault(FaultKind.Html502, "GET", () => admin.Servers.GetAsync(1), status: 504)),
            ("503 suspended (GET, retries exhausted)", 503, 5003, () => Fault(FaultKind.Suspended503, "GET", () => admin.Servers.GetAsync(1))),
            ("503 suspended (POST, retries exhausted)", 503, 5003, () => Fault(FaultKind.Suspended503, "POST", () => admin.Servers.PowerAsync(1, DciPowerAction.On))),
        };

        async Task Fault(FaultKind kind, string method, Func<Task> call, int status = 0)
        {
            sim.State.Faults.Add(new FaultRule { Kind = kind, Method = method, Count = -1, StatusCode = status });
            try { await call(); }
            finally { sim.State.Faults.Clear(); }
        }

        foreach (var (name, status, code, call) in cases)
        {
            var thrown = await Record.ExceptionAsync(call);
            Assert.True(thrown is DciApiException, $"{name}: expected DciApiException, got {thrown?.GetType().Name ?? "success"}: {thrown?.Message}");
            var ex = (DciApiException)thrown!;
            _out.WriteLine($"{name}: {ex.HttpStatus} code={ex.Code?.ToString() ?? "-"} {ex.Message}");
            Assert.Equal(status, ex.HttpStatus);
            Assert.Equal(code, ex.Code);
            Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
            Assert.False(string.IsNullOrWhiteSpace(ex.ServerMessage));
            Assert.False(string.IsNullOrWhiteSpace(ex.Path));
        }
        Report("status-mapping", cases.Count, 0, 0, 0, 0);

        // The same 401 on a connection that cannot sign in again is "session expired", with the 401 inside.
        var token = await admin.Auth.CreateApiTokenAsync(DateTimeOffset.UtcNow.AddDays(1), null);
        using var byToken = await DciConnection.ConnectWithTokenAsync(FastOptions(sim), new NetworkCredential("", token.Token).Password);
        sim.State.RevokeAllTokens();
        var expired = await Assert.ThrowsAsync<DciSessionExpiredException>(() => byToken.Servers.GetAsync(1));
        var inner = Assert.IsType<DciApiException>(expired.InnerException);
        Assert.Equal(401, inner.HttpStatus);
        Assert.Equal(3001, inner.Code);
    }
}
