using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using DciManager.Client;
using DciManager.Client.Concurrency;
using DciManager.Simulator;

namespace DciManager.Bench;

/// <summary>
/// Benchmark harness: starts the simulator in-process on loopback and measures the engine against in-process
/// baselines. Not part of the test suite. Usage: dotnet run -c Release --project bench/DciManager.Bench -- --out bench-results.json
/// </summary>
internal static partial class Program
{
    private const string Password = "bench-password";
    private const int PageSize = 500;

    private static readonly JsonObject Raw = new();
    private static readonly JsonArray Notes = new();
    private static readonly List<Row> Rows = new();

    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "--serve-sim") return await ServeSim(args);
        var outPath = "bench-results.json";
        var quick = false;
        HashSet<string>? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length: outPath = args[++i]; break;
                case "--quick": quick = true; break;
                case "--only" when i + 1 < args.Length: only = new HashSet<string>(args[++i].Split(','), StringComparer.OrdinalIgnoreCase); break;
                case "-h" or "--help" or "-?":
                    Console.WriteLine("DciManager.Bench [--out bench-results.json] [--quick] [--only step,step]");
                    return 0;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: DciManager.Bench [--out bench-results.json] [--quick] [--only step,step]");
                    return 2;
            }
        }

        var total = Stopwatch.StartNew();
        Console.WriteLine($"DciManager benchmark — {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, " +
                          $"{Environment.ProcessorCount} logical CPUs, GC {(GCSettings.IsServerGC ? "server" : "workstation")}" +
                          $"{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? " concurrent" : "")}");
        Console.WriteLine("Simulator and client run in this one process and share the CPUs: every number includes the simulator's own work.");
        Console.WriteLine();

        var results = new JsonObject();
        var failed = new List<string>();
        async Task Step(string name, Func<Task> body)
        {
            if (only is not null && !only.Contains(name)) return;
            Console.Write($"[{total.Elapsed.TotalSeconds,6:0.0}s] {name} ... ");
            var w = Stopwatch.StartNew();
            var loadBefore = LoadAverage();
            try
            {
                await body();
                var loadAfter = LoadAverage();
                // Other work on the machine is the weather the verdicts must survive: say how heavy it was.
                if (loadBefore is not null && loadAfter is not null)
                    ((JsonObject)(Raw["load_average_1min"] ??= new JsonObject()))[name] = new JsonArray(loadBefore.Value, loadAfter.Value);
                Console.WriteLine($"done in {w.Elapsed.TotalSeconds:0.0}s{(loadAfter is { } la ? $" (load average {la:0.0} on {Environment.ProcessorCount} CPUs)" : "")}");
            }
            catch (Exception ex)
            {
                Console.WriteLine($"FAILED after {w.Elapsed.TotalSeconds:0.0}s: {ex.GetType().Name}: {ex.Message}");
                Console.Error.WriteLine(ex);
                failed.Add(name);
                Raw[name + "_error"] = ex.ToString();
            }
        }

        await Step("list_10k", () => ListBench(results, quick));
        await Step("list_10k_20ms", () => LatencyListBench(results, quick));
        await Step("bulk_reset_1k", () => BulkBench(results, quick));
        await Step("wait_1k", () => WaitBench(results));
        await Step("memory", () => MemoryBench(results, quick));
        await Step("sim_rps", () => RpsBench(results, quick));
        await Step("rack_servers", () => RackServersBench(results));
        await Step("completion", () => CompletionBench(results, quick));
        await Step("ids_200", () => IdsBench(results, quick));
        await Step("cold_start", () => ColdStartBench(results, quick));
        await Step("dci5", () => Dci5Bench(results, quick));
        await Step("opendcim", () => OpenDcimBench(results, quick));
        await Step("imco", () => ImcoBench(results, quick));

        Console.WriteLine();
        PrintTable();

        var doc = new JsonObject
        {
            ["generated_at"] = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["machine"] = new JsonObject
            {
                ["processor_count"] = Environment.ProcessorCount,
                ["os"] = RuntimeInformation.OSDescription,
                ["architecture"] = RuntimeInformation.OSArchitecture.ToString(),
                ["machine_name_hash"] = Environment.MachineName.GetHashCode(StringComparison.Ordinal).ToString("x8", CultureInfo.InvariantCulture),
            },
            ["runtime"] = new JsonObject
            {
                ["framework"] = RuntimeInformation.FrameworkDescription,
                ["server_gc"] = GCSettings.IsServerGC,
                ["gc_latency_mode"] = GCSettings.LatencyMode.ToString(),
                ["tiered_pgo"] = AppContext.TryGetSwitch("System.Runtime.TieredPGO", out var pgo) ? pgo : null,
            },
            ["page_size"] = PageSize,
            ["quick"] = quick,
            ["in_process_note"] = "The simulator (ASP.NET Core Kestrel on 127.0.0.1) runs in the same process as the measured client and shares the CPUs with it.",
        };
        foreach (var (k, v) in results) doc[k] = v?.DeepClone();
        doc["targets"] = new JsonArray(Rows.Select(r => (JsonNode)new JsonObject
        {
            ["metric"] = r.Metric,
            ["value"] = r.Value is double d && double.IsFinite(d) ? d : null,
            ["target"] = r.Target,
            ["met"] = r.Met,
            ["marginal"] = r.Marginal,
            ["spread"] = r.Spread?.ToJson(),
        }).ToArray());
        doc["raw"] = Raw.DeepClone();
        doc["notes"] = Notes.DeepClone();
        doc["failed_steps"] = new JsonArray(failed.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray());
        doc["total_seconds"] = Math.Round(total.Elapsed.TotalSeconds, 1);

        var full = Path.GetFullPath(outPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        Console.WriteLine();
        Console.WriteLine($"Wrote {full} ({total.Elapsed.TotalSeconds:0.0}s total).");
        // A measurement, not a test: missed targets are reported, not turned into a failing exit code.
        return 0;
    }

    // ============================================================== 1. list_10k

    private static async Task ListBench(JsonObject results, bool quick)
    {
        const int servers = 10_000;
        // Many short rounds: the median of the per-round ratios then moves by a few hundredths between runs, not by tenths.
        var rounds = quick ? 7 : 41;
        await using var sim = await StartSim(new SimulatorOptions { Servers = servers, AdminPassword = Password }, "list");
        using var engine = await Connect(sim);
        using var raw = await RawClient.LoginAsync(sim.BaseAddress, sim.AdminEmail, Password, engine.Options.MaxConnectionsPerServer);
        long expected = (long)servers * (servers + 1) / 2;

        async Task<double> Engine()
        {
            var w = Stopwatch.StartNew();
            int n = 0; long sum = 0;
            await foreach (var s in engine.Servers.ListAsync()) { n++; sum += s.Id; }
            return Checked(w, n, sum, servers, expected, "engine");
        }
        async Task<double> Baseline()
        {
            var w = Stopwatch.StartNew();
            var (n, sum) = await raw.ListServersAsync(PageSize);
            return Checked(w, n, sum, servers, expected, "baseline");
        }
        // The cmdlet path: Get-DciServer enumerates through the pump on the pipeline thread.
        Task<double> Pump()
        {
            return Task.FromResult(OnOwnerThread(() =>
            {
                using var pump = new DciWorkPump(1);
                var w = Stopwatch.StartNew();
                int n = 0; long sum = 0;
                foreach (var s in pump.Enumerate(ct => engine.Servers.ListAsync(null, ct))) { n++; sum += s.Id; }
                return Checked(w, n, sum, servers, expected, "engine via DciWorkPump.Enumerate");
            }));
        }

        var paired = await Paired.MeasureAsync(Baseline, [("engine", Engine), ("pump_enumerate", Pump)], rounds);
        var ratio = paired.Ratio("engine");
        var pumpRatio = paired.Ratio("pump_enumerate");
        results["list_ratio"] = Round(ratio, 3);
        results["list_ratio_pump_enumerate"] = Round(pumpRatio, 3);
        var json = paired.ToJson("baseline");
        json["servers"] = servers;
        json["page_size"] = PageSize;
        json["baseline"] = "HttpClient (SocketsHttpHandler, same MaxConnectionsPerServer) + System.Text.Json source-generated DeserializeAsync from the response stream into a DTO mirroring DciServer (same fields, extension data), same auth headers and limit=offset,500 paging, one page after the other.";
        Raw["list_10k"] = json;
        Rows.Add(new("list_ratio", ratio, "<= 1.15", ratio <= 1.15,
            $"engine {Median(paired.Ms("engine")):0} ms vs baseline {Median(paired.BaselineMs):0} ms; {Warmups(paired)}", paired.RatioSpread("engine")));
        Rows.Add(new("list_ratio_pump_enumerate (info)", pumpRatio, "(info)", null,
            $"cmdlet path (DciWorkPump.Enumerate): {Median(paired.Ms("pump_enumerate")):0} ms", paired.RatioSpread("pump_enumerate")));

        // Info: the same engine-vs-baseline comparison with the simulator in a child process, so that the
        // simulator's own work (common to both sides) neither dilutes nor disturbs the client-side difference.
        try
        {
            await using var child = await ChildSimulator.StartAsync(servers, Password);
            using var engine2 = await DciConnection.ConnectAsync(new DciConnectionOptions { BaseUri = child.BaseAddress, PageSize = PageSize },
                new NetworkCredential(child.AdminEmail, Password));
            using var raw2 = await RawClient.LoginAsync(child.BaseAddress, child.AdminEmail, Password, engine2.Options.MaxConnectionsPerServer);
            async Task<double> E2()
            {
                var w = Stopwatch.StartNew(); int n = 0; long sum = 0;
                await foreach (var s in engine2.Servers.ListAsync()) { n++; sum += s.Id; }
                return Checked(w, n, sum, servers, expected, "engine");
            }
            async Task<double> B2()
            {
                var w = Stopwatch.StartNew();
                var (n, sum) = await raw2.ListServersAsync(PageSize);
                return Checked(w, n, sum, servers, expected, "baseline");
            }
            var paired2 = await Paired.MeasureAsync(B2, [("engine", E2)], quick ? 5 : 15);
            var ratio2 = paired2.Ratio("engine");
            results["list_ratio_out_of_process"] = Round(ratio2, 3);
            json["out_of_process"] = paired2.ToJson("baseline");
            Rows.Add(new("list_ratio_out_of_process (info)", ratio2, "(info)", null,
                $"sim in child process: engine {Median(paired2.Ms("engine")):0} ms vs baseline {Median(paired2.BaselineMs):0} ms", paired2.RatioSpread("engine")));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Notes.Add($"list_10k: the out-of-process comparison failed: {ex.Message}");
        }
    }

    /// <summary>The sample's milliseconds, after checking that it listed every server exactly once.</summary>
    private static double Checked(Stopwatch w, int count, long checksum, int expectedCount, long expectedChecksum, string what)
    {
        var ms = w.Elapsed.TotalMilliseconds;
        if (count != expectedCount || checksum != expectedChecksum)
            throw new InvalidOperationException($"{what} listed {count} servers (checksum {checksum}), expected {expectedCount} ({expectedChecksum}).");
        return ms;
    }

    private static string Warmups(Paired p) =>
        $"median of {p.Rounds} paired ratios after {p.WarmupRounds} warm-up rounds{(p.Settled ? "" : " (not settled)")}";

    // ============================================================== 1b. list_10k at 20 ms latency

    /// <summary>Read-ahead paging: the engine against the serial raw-HttpClient loop on a network with 20 ms per request.</summary>
    private static async Task LatencyListBench(JsonObject results, bool quick)
    {
        const int servers = 10_000;
        var latency = TimeSpan.FromMilliseconds(20);
        var rounds = quick ? 5 : 21;
        await using var sim = await StartSim(new SimulatorOptions { Servers = servers, AdminPassword = Password, Latency = latency }, "list_20ms");
        using var engine = await Connect(sim);
        using var raw = await RawClient.LoginAsync(sim.BaseAddress, sim.AdminEmail, Password, engine.Options.MaxConnectionsPerServer);
        long expected = (long)servers * (servers + 1) / 2;

        async Task<double> Engine()
        {
            var w = Stopwatch.StartNew();
            int n = 0; long sum = 0;
            await foreach (var s in engine.Servers.ListAsync()) { n++; sum += s.Id; }
            return Checked(w, n, sum, servers, expected, "engine");
        }
        async Task<double> Serial()
        {
            var w = Stopwatch.StartNew();
            var (n, sum) = await raw.ListServersAsync(PageSize);
            return Checked(w, n, sum, servers, expected, "serial baseline");
        }

        var paired = await Paired.MeasureAsync(Serial, [("engine", Engine)], rounds);
        var ratio = paired.Ratio("engine");
        var pages = (servers + PageSize - 1) / PageSize;
        results["list_20ms_ratio_to_serial"] = Round(ratio, 3);
        var json = paired.ToJson("serial_baseline");
        json["servers"] = servers;
        json["latency_ms"] = latency.TotalMilliseconds;
        json["serial_latency_floor_ms"] = pages * latency.TotalMilliseconds;
        Raw["list_10k_20ms"] = json;
        Rows.Add(new("list_20ms_ratio_to_serial", ratio, "<= 0.5", ratio <= 0.5,
            $"engine {Median(paired.Ms("engine")):0} ms vs serial raw loop {Median(paired.BaselineMs):0} ms (floor {pages}×20 ms); {Warmups(paired)}",
            paired.RatioSpread("engine")));
    }

    // ============================================================== 2. bulk_reset_1k

    private static async Task BulkBench(JsonObject results, bool quick)
    {
        const int n = 1000, throttle = 16, sample = 100, warm = 32;
        var latency = TimeSpan.FromMilliseconds(20);
        var reps = quick ? 1 : 7;
        // Servers 1..1000: the bulk runs; 1001..1100: the sequential sample; 1101..1132: warm-up. Operations finish
        // after 100 ms, so a server is idle again long before the next repetition resets it (no 409).
        await using var sim = await StartSim(new SimulatorOptions
        {
            Servers = n + sample + warm,
            AdminPassword = Password,
            Latency = latency,
            OperationDuration = TimeSpan.FromMilliseconds(100),
        }, "bulk");
        using var engine = await Connect(sim);

        var ideal = n * latency.TotalMilliseconds / throttle;
        // Warm-up through the same path.
        OnOwnerThread(() => RunBulk(engine, Enumerable.Range(n + sample + 1, warm), throttle));

        var runs = new List<double>();
        var perRunErrors = new JsonArray();
        for (var r = 0; r < reps; r++)
        {
            if (r > 0) await Task.Delay(300);
            var requestsBefore = sim.State.RequestCount;
            var (ms, ok, errors, firstError) = OnOwnerThread(() => RunBulk(engine, Enumerable.Range(1, n), throttle));
            var requests = sim.State.RequestCount - requestsBefore;
            if (ok != n) throw new InvalidOperationException($"bulk run {r + 1}: {ok} of {n} resets succeeded, {errors} failed; first error: {firstError}");
            if (requests != n) Notes.Add($"bulk run {r + 1} made {requests} requests for {n} resets.");
            runs.Add(ms);
        }

        // Sequential loop: one await after the other, on a sample, extrapolated to 1,000.
        var seq = Stopwatch.StartNew();
        for (var id = n + 1; id <= n + sample; id++)
            await engine.Servers.PowerAsync(id, DciPowerAction.Reset);
        var seqMs = seq.Elapsed.TotalMilliseconds;
        var seqExtrapolated = seqMs * n / sample;

        var bulk = Median(runs);
        var ratio = bulk / ideal;
        var speedup = seqExtrapolated / bulk;
        results["bulk_ratio_to_ideal"] = Round(ratio, 3);
        results["bulk_speedup_vs_sequential"] = Round(speedup, 2);
        results["sequential_sample"] = new JsonObject
        {
            ["resets_measured"] = sample,
            ["measured_ms"] = Round(seqMs, 1),
            ["per_reset_ms"] = Round(seqMs / sample, 2),
            ["extrapolated_1000_ms"] = Round(seqExtrapolated, 1),
            ["method"] = $"{sample} sequential awaited PowerAsync(Reset) calls on their own servers, time × {n / sample}.",
        };
        Raw["bulk_reset_1k"] = new JsonObject
        {
            ["resets"] = n,
            ["throttle"] = throttle,
            ["latency_ms"] = latency.TotalMilliseconds,
            ["max_connections_per_server"] = engine.Options.MaxConnectionsPerServer,
            ["ideal_ms"] = ideal,
            ["bulk_ms"] = Arr(runs),
            ["bulk_median_ms"] = Round(bulk, 1),
            ["sequential_sample_ms"] = Round(seqMs, 1),
            ["path"] = "new DciWorkPump(16); pump.Start(label, ct => Servers.PowerAsync(id, Reset, ct), onSuccess, onError) × 1000; pump.Drain(), on a dedicated owner thread (like a cmdlet's pipeline thread).",
        };
        Rows.Add(new("bulk_ratio_to_ideal", ratio, "<= 1.25", ratio <= 1.25, $"bulk {bulk:0} ms vs ideal {ideal:0} ms (1000×20 ms÷16; median of {reps})",
            Spread.Of(runs.Select(r => r / ideal).ToList())));
        Rows.Add(new("bulk_speedup_vs_sequential", speedup, ">= 10", speedup >= 10, $"sequential ≈ {seqExtrapolated:0} ms (extrapolated from {sample})"));
    }

    private static (double Ms, int Ok, int Errors, string? FirstError) RunBulk(DciConnection engine, IEnumerable<int> ids, int throttle)
    {
        using var pump = new DciWorkPump(throttle);
        var ok = 0; var errors = 0; string? first = null;
        var w = Stopwatch.StartNew();
        foreach (var id in ids)
        {
            var serverId = id;
            pump.Start($"reset {serverId}", ct => engine.Servers.PowerAsync(serverId, DciPowerAction.Reset, ct),
                _ => ok++,
                ex => { errors++; first ??= ex.Message; });
        }
        pump.Drain();
        return (w.Elapsed.TotalMilliseconds, ok, errors, first);
    }

    // ============================================================== 3. wait_1k

    private static async Task WaitBench(JsonObject results)
    {
        const int n = 1000;
        var raw = new JsonObject();
        Raw["wait_1k"] = raw;
        // First with the engine's default page size (500), as Wait-DciTask runs it.
        var primary = await WaitOnce(n, PageSize);
        raw["page_" + PageSize] = primary.Json;
        if (primary.Error is null)
        {
            Report(primary, results, "wait_requests", headline: true);
            return;
        }

        Rows.Add(new("wait_requests", double.NaN, $"<= wait_polls × {Ceil(n, PageSize)}", false, $"WaitAsync failed: {primary.Error}"));
        results["wait_error"] = primary.Error;
    }

    private static int Ceil(int n, int size) => (n + size - 1) / size;

    private sealed record WaitRun(int PageSize, long Requests, int Polls, int Completed, double WaitMs, string? Error, JsonObject Json);

    private static void Report(WaitRun run, JsonObject results, string label, bool headline)
    {
        var perPoll = Ceil(1000, run.PageSize);
        var bound = (long)run.Polls * perPoll;
        if (headline)
        {
            results["wait_requests"] = run.Requests;
            results["wait_polls"] = run.Polls;
            results["wait_page_size"] = run.PageSize;
        }
        Rows.Add(new(label, run.Requests, $"<= wait_polls × {perPoll} = {bound}", run.Requests <= bound,
            $"{run.Polls} polls in {run.WaitMs:0} ms, {run.Completed}/1000 completed, page size {run.PageSize}"));
        Rows.Add(new("wait_polls (info)", run.Polls, "(info)", null, "default DciWaitOptions: 250 ms, ×1.5, max 5 s"));
    }

    private static async Task<WaitRun> WaitOnce(int n, int pageSize)
    {
        var duration = TimeSpan.FromSeconds(2);
        await using var sim = await StartSim(new SimulatorOptions { Servers = n, AdminPassword = Password, OperationDuration = duration }, "wait_page_" + pageSize);
        using var engine = await DciConnection.ConnectAsync(new DciConnectionOptions { BaseUri = sim.BaseAddress, PageSize = pageSize },
            new NetworkCredential(sim.AdminEmail, Password));

        var started = Stopwatch.StartNew();
        var tasks = OnOwnerThread(() =>
        {
            using var pump = new DciWorkPump(16);
            var list = new List<DciTask>(n);
            string? first = null;
            for (var id = 1; id <= n; id++)
            {
                var serverId = id;
                pump.Start($"reset {serverId}", ct => engine.Servers.PowerAsync(serverId, DciPowerAction.Reset, ct), list.Add, ex => first ??= ex.Message);
            }
            pump.Drain();
            if (list.Count != n) throw new InvalidOperationException($"only {list.Count} of {n} operations started; first error: {first}");
            return list;
        });
        var startMs = started.Elapsed.TotalMilliseconds;

        var progress = new CountingProgress();
        var before = sim.State.RequestCount;
        var w = Stopwatch.StartNew();
        var outcomes = new Dictionary<DciWaitOutcome, int>();
        string? error = null;
        try
        {
            await foreach (var r in engine.Tasks.WaitAsync(tasks, new DciWaitOptions(), progress))
                outcomes[r.Outcome] = outcomes.GetValueOrDefault(r.Outcome) + 1;
        }
        catch (DciException ex)
        {
            error = ex.Message;
        }
        var waitMs = w.Elapsed.TotalMilliseconds;
        var requests = sim.State.RequestCount - before;
        // WaitAsync reports once before its first poll and once after each completed polling round.
        var polls = Math.Max(0, progress.Reports - 1);
        var completed = outcomes.GetValueOrDefault(DciWaitOutcome.Completed);
        if (error is null && completed != n)
            Notes.Add($"wait_1k (page {pageSize}): {completed} of {n} tasks completed ({string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}).");

        var json = new JsonObject
        {
            ["tasks"] = n,
            ["page_size"] = pageSize,
            ["operation_duration_ms"] = duration.TotalMilliseconds,
            ["start_ms"] = Round(startMs, 1),
            ["wait_ms"] = Round(waitMs, 1),
            ["requests"] = requests,
            ["polls"] = polls,
            ["completed"] = completed,
            ["requests_per_poll_bound"] = Ceil(n, pageSize),
            ["error"] = error,
            ["poll_counting"] = "polls = DciWaitProgress reports − 1 (WaitAsync reports once before the first poll and once after every polling round); requests = simulator State.RequestCount delta over the whole WaitAsync enumeration (only this client talks to that simulator).",
        };
        return new WaitRun(pageSize, requests, polls, completed, waitMs, error, json);
    }

    private sealed class CountingProgress : IProgress<DciWaitProgress>
    {
        private int _reports;
        public int Reports => Volatile.Read(ref _reports);
        public void Report(DciWaitProgress value) => Interlocked.Increment(ref _reports);
    }

    // ============================================================== 4. memory

    private static async Task MemoryBench(JsonObject results, bool quick)
    {
        var big = quick ? 20_000 : 100_000;
        const int small = 1_000;

        // (a) Headline: the simulator in a child process (this same program, --serve-sim), so the measured process
        //     holds only the client. (b) For attribution: the simulator in-process, as in every other step.
        var raw = new JsonObject();
        Raw["memory"] = raw;
        MemoryResult? outOfProcess = null;
        try
        {
            await using var child = await ChildSimulator.StartAsync(big, Password);
            raw["child_simulator_start_ms"] = Round(child.StartMs, 0);
            outOfProcess = await MeasureMemory(child.BaseAddress, child.AdminEmail, small, big);
            raw["out_of_process"] = outOfProcess.Json;
            raw["child_simulator_peak_working_set_mb"] = Round(child.PeakWorkingSetMb(), 1);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            raw["out_of_process_error"] = ex.Message;
            Notes.Add($"memory: the out-of-process simulator could not be used ({ex.Message}); the headline falls back to the in-process measurement.");
        }

        var seedWatch = Stopwatch.StartNew();
        MemoryResult inProcess;
        await using (var sim = await StartSim(new SimulatorOptions { Servers = big, AdminPassword = Password }, "memory"))
        {
            raw["in_process_simulator_start_ms"] = Round(seedWatch.Elapsed.TotalMilliseconds, 0);
            inProcess = await MeasureMemory(sim.BaseAddress, sim.AdminEmail, small, big);
            raw["in_process"] = inProcess.Json;
        }

        var head = outOfProcess ?? inProcess;
        results["memory_growth_mb"] = Round(head.Growth, 1);
        results["memory_managed_growth_mb"] = Round(head.ManagedGrowth, 1);
        results["memory_working_set_growth_mb"] = Round(head.WorkingSetGrowth, 1);
        results["memory_retained_after_gc_mb"] = Round(head.RetainedAfterGc, 1);
        results["memory_baseline_client_growth_mb"] = Round(head.BaselineGrowth, 1);
        results["memory_simulator"] = outOfProcess is null ? "in-process" : "child process";
        results["memory_in_process_growth_mb"] = Round(inProcess.Growth, 1);
        raw["method"] =
            "Each measurement: one unmeasured full pass first (fills the simulator's per-server JSON cache, SimulatorState.ServerJson, and warms JIT/pools), " +
            "then for 1,000 and for N servers: full blocking GC, Servers.ListAsync streamed without keeping items, sampling GC.GetTotalMemory(false) every 100 items " +
            "and Environment.WorkingSet every 500 (peaks), then a full GC again (retained). managed growth = (peak−base)[N] − (peak−base)[1,000]; " +
            "working-set growth = peak[N] − peak[1,000]; memory_growth_mb = the larger. GetTotalMemory(false) counts garbage not yet collected, so the managed peak " +
            "is the GC's allocation budget more than live data; 'retained' is the live growth. The same run with the raw HttpClient baseline is reported for comparison. " +
            "Headline = simulator in a child process (only the client in the measured process); in_process = simulator in this process (its per-request garbage is counted too).";
        Rows.Add(new("memory_growth_mb", head.Growth, "<= 64", head.Growth <= 64,
            $"{(outOfProcess is null ? "sim in-process" : "sim in child process")}: managed {head.ManagedGrowth:0.0}, WS {head.WorkingSetGrowth:0.0}, retained {head.RetainedAfterGc:0.0} MB; raw-HttpClient baseline {head.BaselineGrowth:0.0} MB"));
        Rows.Add(new("memory_in_process_growth (info)", inProcess.Growth, "(info)", null,
            $"sim in this process: managed {inProcess.ManagedGrowth:0.0}, WS {inProcess.WorkingSetGrowth:0.0} MB; baseline {inProcess.BaselineGrowth:0.0} MB"));
    }

    private sealed record MemoryResult(double Growth, double ManagedGrowth, double WorkingSetGrowth, double RetainedAfterGc, double BaselineGrowth, JsonObject Json);

    private static async Task<MemoryResult> MeasureMemory(Uri baseAddress, string email, int small, int big)
    {
        using var engine = await DciConnection.ConnectAsync(new DciConnectionOptions { BaseUri = baseAddress, PageSize = PageSize },
            new NetworkCredential(email, Password));
        using var rawClient = await RawClient.LoginAsync(baseAddress, email, Password, engine.Options.MaxConnectionsPerServer);

        async Task<int> EngineStream(int items, Action<int> sample)
        {
            var n = 0;
            await foreach (var s in engine.Servers.ListAsync())
            {
                sample(++n);
                if (n >= items) break;
            }
            return n;
        }
        Task<int> BaselineStream(int items, Action<int> sample) => rawClient.StreamServersAsync(PageSize, items, (n, _) => sample(n));

        var prepass = await Measure(big, EngineStream);
        await Measure(small, BaselineStream);
        var smallRun = await Measure(small, EngineStream);
        var bigRun = await Measure(big, EngineStream);
        var baseSmall = await Measure(small, BaselineStream);
        var baseBig = await Measure(big, BaselineStream);

        static (double Managed, double Ws, double Growth) Grow(StreamRun s, StreamRun b)
        {
            var managed = (b.PeakManaged - b.BaseManaged - (s.PeakManaged - s.BaseManaged)) / 1048576.0;
            var ws = (b.PeakWorkingSet - s.PeakWorkingSet) / 1048576.0;
            return (managed, ws, Math.Max(managed, ws));
        }
        var engineGrowth = Grow(smallRun, bigRun);
        var baselineGrowth = Grow(baseSmall, baseBig);
        var retained = (bigRun.AfterGc - bigRun.BaseManaged) / 1048576.0;
        var json = new JsonObject
        {
            ["prepass_unmeasured"] = prepass.ToJson(big),
            ["engine_small"] = smallRun.ToJson(small),
            ["engine_big"] = bigRun.ToJson(big),
            ["baseline_small"] = baseSmall.ToJson(small),
            ["baseline_big"] = baseBig.ToJson(big),
            ["engine_growth_mb"] = Round(engineGrowth.Growth, 1),
            ["engine_managed_growth_mb"] = Round(engineGrowth.Managed, 1),
            ["engine_working_set_growth_mb"] = Round(engineGrowth.Ws, 1),
            ["engine_retained_after_gc_mb"] = Round(retained, 2),
            ["baseline_growth_mb"] = Round(baselineGrowth.Growth, 1),
            ["baseline_managed_growth_mb"] = Round(baselineGrowth.Managed, 1),
            ["baseline_working_set_growth_mb"] = Round(baselineGrowth.Ws, 1),
        };
        return new MemoryResult(engineGrowth.Growth, engineGrowth.Managed, engineGrowth.Ws, retained, baselineGrowth.Growth, json);
    }

    /// <summary>The simulator in a child process: this program with --serve-sim N PASSWORD; stops when its stdin closes.</summary>
    private sealed class ChildSimulator : IAsyncDisposable
    {
        private readonly Process _process;
        private long _peakWs;

        private ChildSimulator(Process process, Uri baseAddress, string email, double startMs)
        {
            _process = process;
            BaseAddress = baseAddress;
            AdminEmail = email;
            StartMs = startMs;
        }

        public Uri BaseAddress { get; }
        public string AdminEmail { get; }
        public double StartMs { get; }

        public static async Task<ChildSimulator> StartAsync(int servers, string password)
        {
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
            var psi = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.OrdinalIgnoreCase))
                psi.ArgumentList.Add(typeof(Program).Assembly.Location);
            psi.ArgumentList.Add("--serve-sim");
            psi.ArgumentList.Add(servers.ToString(CultureInfo.InvariantCulture));
            psi.ArgumentList.Add(password);
            psi.Environment["DOTNET_gcServer"] = "0";
            var w = Stopwatch.StartNew();
            var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the child simulator");
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                while (true)
                {
                    var line = await process.StandardOutput.ReadLineAsync(cts.Token)
                        ?? throw new InvalidOperationException($"the child simulator exited (code {(process.HasExited ? process.ExitCode : -1)}) before it was ready");
                    if (!line.StartsWith("READY ", StringComparison.Ordinal)) continue;
                    var parts = line.Split(' ');
                    // Keep draining its output so it never blocks on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                    return new ChildSimulator(process, new Uri(parts[1]), parts[2], w.Elapsed.TotalMilliseconds);
                }
            }
            catch
            {
                try { process.Kill(); } catch (InvalidOperationException) { }
                process.Dispose();
                throw;
            }
        }

        public double PeakWorkingSetMb()
        {
            _process.Refresh();
            _peakWs = Math.Max(_peakWs, _process.PeakWorkingSet64);
            return _peakWs / 1048576.0;
        }

        public async ValueTask DisposeAsync()
        {
            try { _process.StandardInput.Close(); } catch (IOException) { }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { try { _process.Kill(); } catch (InvalidOperationException) { } }
            _process.Dispose();
        }
    }

    /// <summary>Child mode: runs a simulator until stdin closes.</summary>
    private static async Task<int> ServeSim(string[] args)
    {
        var servers = int.Parse(args[1], CultureInfo.InvariantCulture);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Servers = servers, AdminPassword = args[2] });
        Console.WriteLine($"READY {sim.BaseAddress} {sim.AdminEmail}");
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
        return 0;
    }

    private sealed record StreamRun(long BaseManaged, long PeakManaged, long BaseWorkingSet, long PeakWorkingSet, long AfterGc, double Ms, int Gen0, int Gen1, int Gen2, long Allocated)
    {
        public JsonObject ToJson(int items) => new()
        {
            ["items"] = items,
            ["ms"] = Round(Ms, 1),
            ["base_managed_mb"] = Round(BaseManaged / 1048576.0, 2),
            ["peak_managed_mb"] = Round(PeakManaged / 1048576.0, 2),
            ["after_gc_managed_mb"] = Round(AfterGc / 1048576.0, 2),
            ["base_working_set_mb"] = Round(BaseWorkingSet / 1048576.0, 2),
            ["peak_working_set_mb"] = Round(PeakWorkingSet / 1048576.0, 2),
            ["allocated_mb_process"] = Round(Allocated / 1048576.0, 1),
            ["gc_gen0"] = Gen0,
            ["gc_gen1"] = Gen1,
            ["gc_gen2"] = Gen2,
        };
    }

    private static void FullGc()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    private static async Task<StreamRun> Measure(int items, Func<int, Action<int>, Task<int>> stream)
    {
        FullGc();
        var baseManaged = GC.GetTotalMemory(false);
        var baseWs = Environment.WorkingSet;
        long peakManaged = baseManaged, peakWs = baseWs;
        int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
        var alloc = GC.GetTotalAllocatedBytes();
        var w = Stopwatch.StartNew();
        var n = await stream(items, i =>
        {
            if (i % 100 == 0) peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
            if (i % 500 == 0) peakWs = Math.Max(peakWs, Environment.WorkingSet);
        });
        var ms = w.Elapsed.TotalMilliseconds;
        if (n != items) throw new InvalidOperationException($"streamed {n} servers, expected {items}");
        peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
        peakWs = Math.Max(peakWs, Environment.WorkingSet);
        int d0 = GC.CollectionCount(0) - g0, d1 = GC.CollectionCount(1) - g1, d2 = GC.CollectionCount(2) - g2;
        var allocated = GC.GetTotalAllocatedBytes() - alloc;
        FullGc();
        return new StreamRun(baseManaged, peakManaged, baseWs, peakWs, GC.GetTotalMemory(false), ms, d0, d1, d2, allocated);
    }

    // ============================================================== 5. sim_rps

    private static async Task RpsBench(JsonObject results, bool quick)
    {
        const int concurrency = 32;
        var duration = TimeSpan.FromSeconds(quick ? 1.5 : 3);
        await using var sim = await StartSim(new SimulatorOptions { AdminPassword = Password }, "rps");
        using var raw = await RawClient.LoginAsync(sim.BaseAddress, sim.AdminEmail, Password, concurrency);
        const string path = "api/dci/v3/server/1";

        async Task<(long Ok, long Failed)> Loop(TimeSpan length)
        {
            var until = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
            long ok = 0, bad = 0;
            var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                long o = 0, f = 0;
                while (Stopwatch.GetTimestamp() < until)
                {
                    if (await raw.GetOnceAsync(path, CancellationToken.None)) o++; else f++;
                }
                Interlocked.Add(ref ok, o);
                Interlocked.Add(ref bad, f);
            })).ToArray();
            await Task.WhenAll(workers);
            return (ok, bad);
        }

        await Loop(TimeSpan.FromSeconds(0.7)); // warm-up: connections, JIT
        var before = sim.State.RequestCount;
        var w = Stopwatch.StartNew();
        var (okCount, failedCount) = await Loop(duration);
        var seconds = w.Elapsed.TotalSeconds;
        var served = sim.State.RequestCount - before;
        if (failedCount > 0) Notes.Add($"sim_rps: {failedCount} requests did not answer 2xx.");
        var rps = okCount / seconds;
        results["sim_rps"] = Round(rps, 0);
        Raw["sim_rps"] = new JsonObject
        {
            ["path"] = "GET /" + path,
            ["concurrency"] = concurrency,
            ["seconds"] = Round(seconds, 2),
            ["completed_ok"] = okCount,
            ["failed"] = failedCount,
            ["simulator_request_count_delta"] = served,
            ["note"] = "Client (HttpClient, 32 concurrent loops) and simulator share the same process and CPUs; the simulator alone would sustain more.",
        };
        Rows.Add(new("sim_rps", rps, ">= 5000", rps >= 5000, $"GET /{path}, {concurrency} concurrent, {seconds:0.0} s, client shares the {Environment.ProcessorCount} CPUs"));
    }

    // ============================================================== rack_servers (Get-DciRack | Get-DciServer)

    /// <summary>
    /// Requests of Get-DciRack | Get-DciServer over 10,000 servers in 400 racks, issued as the cmdlets issue them:
    /// one rack list, then one server list filtered by rack.id per rack piped in. The alternative (one list of every
    /// server, grouped by rack locally) is measured beside it for comparison.
    /// </summary>
    private static async Task RackServersBench(JsonObject results)
    {
        await using var sim = await StartSim(new SimulatorOptions { AdminPassword = Password, Servers = 10000 }, "rack_servers");
        using var engine = await Connect(sim);

        var before = sim.State.RequestCount;
        var w = Stopwatch.StartNew();
        var racks = new List<DciRack>();
        await foreach (var rack in engine.Inventory.ListRacksAsync()) racks.Add(rack);
        long perRackServers = 0;
        foreach (var rack in racks)
        {
            var query = new DciQuery { Where = DciFilter.Eq("rack.id", rack.Id!.Value), OrderBy = "id asc" };
            await foreach (var _ in engine.Servers.ListAsync(query)) perRackServers++;
        }
        var perRackMs = w.Elapsed.TotalMilliseconds;
        var perRackRequests = sim.State.RequestCount - before;

        before = sim.State.RequestCount;
        w.Restart();
        var grouped = new Dictionary<long, int>();
        await foreach (var rack in engine.Inventory.ListRacksAsync()) grouped[rack.Id!.Value] = 0;
        await foreach (var server in engine.Servers.ListAsync()) grouped[server.Rack!.Id!.Value]++;
        var groupedMs = w.Elapsed.TotalMilliseconds;
        var groupedRequests = sim.State.RequestCount - before;

        var bound = racks.Count + 1;
        results["rack_servers_requests"] = perRackRequests;
        Raw["rack_servers"] = new JsonObject
        {
            ["racks"] = racks.Count,
            ["servers"] = perRackServers,
            ["per_rack_requests"] = perRackRequests,
            ["per_rack_ms"] = Round(perRackMs, 0),
            ["grouped_locally_requests"] = groupedRequests,
            ["grouped_locally_ms"] = Round(groupedMs, 0),
            ["page_size"] = PageSize,
            ["choice"] = "one filtered list per rack (what Get-DciServer -Rack does): each rack piped in is answered at once, a single rack costs one request, " +
                         "and the cost is bounded by racks + 1; grouping locally would list every server even for one rack and hold output until the pipeline ends.",
        };
        Rows.Add(new("rack_servers_requests", perRackRequests, $"<= racks + 1 = {bound}", perRackRequests <= bound,
            $"Get-DciRack | Get-DciServer: {racks.Count} racks, {perRackServers} servers, {perRackMs:0} ms; grouped locally: {groupedRequests} requests, {groupedMs:0} ms"));
    }

    // ============================================================== 6. cold_start

    private static async Task ColdStartBench(JsonObject results, bool quick)
    {
        const int servers = 10_000;
        var psd1 = ColdStart.FindModule();
        if (psd1 is null)
        {
            Notes.Add("cold_start: skipped, no out/DciManager/DciManager.psd1 beside .config/dotnet-tools.json (build the module, run dotnet tool restore).");
            return;
        }
        await using var sim = await StartSim(new SimulatorOptions { Servers = servers, AdminPassword = Password }, "cold_start");
        var r = await ColdStart.MeasureAsync(psd1, sim.BaseAddress, sim.AdminEmail, Password, servers, quick ? 3 : 11, quick ? 3 : 7);
        results["cold_list_ratio"] = Round(r.ColdRatioMedian, 3);
        results["import_module_ms"] = Round(r.InProcessImportMedian, 1);
        results["import_added_wall_ms"] = Round(r.ImportAddedMedian, 1);
        Raw["cold_start"] = r.Json;
        Rows.Add(new("cold_list_ratio", r.ColdRatioMedian, "<= 1.5", r.ColdRatioMedian <= 1.5,
            $"fresh dotnet pwsh: first listing of {servers} {r.ColdMedian:0} ms, warm {r.WarmMedian:0} ms (medians of {r.ColdRatio.Count} processes)", r.ColdRatio));
        // Import-Module's own stopwatch in each fresh process: the wall-time difference from a bare pwsh is measured too,
        // but process start-up jitters by hundreds of milliseconds on a loaded machine, so it is information only.
        Rows.Add(new("import_module_ms", r.InProcessImportMedian, "<= 67", r.InProcessImportMedian <= 67,
            $"Import-Module in a fresh pwsh, median of {r.InProcessImport.Count} processes", r.InProcessImport));
        Rows.Add(new("import_added_wall_ms (info)", r.ImportAddedMedian, "(info)", null,
            $"wall time over a bare pwsh ({r.BareMedian:0} ms), median of {r.ImportAdded.Count} pairs", r.ImportAdded));
    }

    // ============================================================== helpers

    private static async Task<SimulatorHost> StartSim(SimulatorOptions options, string name)
    {
        var w = Stopwatch.StartNew();
        var sim = await SimulatorHost.StartAsync(options);
        var starts = Raw["simulator_start_ms"] as JsonObject ?? (JsonObject)(Raw["simulator_start_ms"] = new JsonObject());
        starts[name] = Round(w.Elapsed.TotalMilliseconds, 0);
        return sim;
    }

    private static Task<DciConnection> Connect(SimulatorHost sim) =>
        DciConnection.ConnectAsync(new DciConnectionOptions { BaseUri = sim.BaseAddress, PageSize = PageSize },
            new NetworkCredential(sim.AdminEmail, Password));

    /// <summary>Runs <paramref name="body"/> on a dedicated thread, as a cmdlet's pipeline thread would run the pump.</summary>
    private static T OnOwnerThread<T>(Func<T> body)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { result = body(); }
            catch (Exception ex) { error = ex; }
        }) { IsBackground = true, Name = "bench owner" };
        thread.Start();
        thread.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return result;
    }

    private static double Median(IReadOnlyList<double> values) => Stats.Median(values);

    /// <summary>
    /// An engine listing against its raw baseline: <paramref name="warmups"/> rounds of each first, then
    /// <paramref name="reps"/> rounds in which the side that goes first alternates. Every round must list exactly
    /// <paramref name="count"/> items with checksum <paramref name="sum"/>, so both sides read the same whole document.
    /// </summary>
    private static async Task<(List<double> Engine, List<double> Baseline)> TimeAlternatingAsync(
        Func<Task<(double Ms, int Count, long Sum)>> engine, Func<Task<(double Ms, int Count, long Sum)>> baseline,
        int reps, int count, long sum, string what, int warmups)
    {
        for (var i = 0; i < warmups; i++) { await engine(); await baseline(); }
        var e = new List<double>(); var b = new List<double>();
        for (var i = 0; i < reps; i++)
        {
            if (i % 2 == 0) { Check(e, await engine()); Check(b, await baseline()); }
            else { Check(b, await baseline()); Check(e, await engine()); }
        }
        return (e, b);

        void Check(List<double> into, (double Ms, int Count, long Sum) r)
        {
            if (r.Count != count || r.Sum != sum) throw new InvalidOperationException($"listed {r.Count} {what} (checksum {r.Sum}), expected {count}.");
            into.Add(r.Ms);
        }
    }

    /// <summary>The raw record of a <see cref="TimeAlternatingAsync"/> comparison.</summary>
    private static JsonObject ListingRaw(string countName, int count, int reps, List<double> e, List<double> b, string baseline) => new()
    {
        [countName] = count,
        ["repetitions"] = reps,
        ["engine_ms"] = Arr(e),
        ["baseline_ms"] = Arr(b),
        ["engine_median_ms"] = Round(Median(e), 1),
        ["baseline_median_ms"] = Round(Median(b), 1),
        ["baseline"] = baseline,
    };


    /// <summary>The 1-minute load average where the OS tells it (Linux), else null.</summary>
    private static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static double Round(double v, int digits) => Math.Round(v, digits, MidpointRounding.AwayFromZero);

    private static JsonArray Arr(IEnumerable<double> values) => new(values.Select(v => (JsonNode)JsonValue.Create(Round(v, 1))).ToArray());

    /// <summary>
    /// One line of the table and of the JSON "targets". <paramref name="Target"/> is "&lt;= x", "&gt;= x" or "(info)";
    /// <paramref name="Spread"/>, when given, is the scatter of the samples <paramref name="Value"/> is the median of:
    /// a verdict whose interquartile range crosses the target is printed as marginal (it may flip from run to run).
    /// </summary>
    private sealed record Row(string Metric, double Value, string Target, bool? Met, string Detail, Spread? Spread = null)
    {
        public bool Marginal => Met is not null && Spread is { } sp && Threshold() is { } t && sp.P25 <= t && sp.P75 >= t;

        private double? Threshold()
        {
            var text = Target.Trim();
            if (!text.StartsWith("<=", StringComparison.Ordinal) && !text.StartsWith(">=", StringComparison.Ordinal)) return null;
            return double.TryParse(text[2..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : null;
        }
    }

    private static void PrintTable()
    {
        var headers = new[] { "metric", "value", "target", "result", "spread", "detail" };
        var cells = Rows.Select(r => new[]
        {
            r.Metric,
            FormatValue(r.Value),
            r.Target,
            (r.Met is null ? "-" : r.Met.Value ? "PASS" : "MISSED") + (r.Marginal ? " (marginal)" : ""),
            r.Spread is { } sp ? $"{FormatValue(sp.P25)}–{FormatValue(sp.P75)} ({FormatValue(sp.Min)}–{FormatValue(sp.Max)})" : "",
            r.Detail,
        }).ToList();
        var widths = Enumerable.Range(0, headers.Length).Select(i => Math.Max(headers[i].Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        string Line(string[] c) => string.Join(" | ", c.Select((x, i) => i == c.Length - 1 ? x : x.PadRight(widths[i]))).TrimEnd();
        Console.WriteLine(Line(headers));
        Console.WriteLine(string.Join("-+-", widths.Select((wd, i) => new string('-', i == widths.Length - 1 ? Math.Min(wd, 40) : wd))));
        foreach (var c in cells) Console.WriteLine(Line(c));
        var missed = Rows.Where(r => r.Met == false).ToList();
        Console.WriteLine();
        if (missed.Count == 0) Console.WriteLine("All targets met.");
        foreach (var m in missed) Console.WriteLine($"MISSED: {m.Metric} = {FormatValue(m.Value)} (target {m.Target}) — {m.Detail}");
        foreach (var note in Notes) Console.WriteLine($"note: {note}");
    }

    private static string FormatValue(double v) =>
        double.IsNaN(v) ? "n/a" : Math.Abs(v) >= 100 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);
}
