using System.Diagnostics;
using System.Text.Json.Nodes;
using DciManager.Client;
using DciManager.Simulator;

namespace DciManager.Bench;

/// <summary>Tab completion on big panels and lookups by many ids (issue 15 §1 and §2).</summary>
internal static partial class Program
{
    // ============================================================== completion_cold_ms

    /// <summary>
    /// A cold Tab (a fresh connection's first lookup, JIT already warm) for what a person types first, at
    /// 10k and 100k servers with 0 ms latency; and a cached Tab (the same text again).
    /// </summary>
    private static async Task CompletionBench(JsonObject results, bool quick)
    {
        var samples = quick ? 3 : 7;
        var raw = new JsonObject();
        Raw["completion"] = raw;
        var cached = new List<double>();
        foreach (var servers in new[] { 10_000, 100_000 })
        {
            await using var sim = await StartSim(new SimulatorOptions { Servers = servers, AdminPassword = Password }, $"completion_{servers / 1000}k");
            // Warm-up: JIT of the lookup path and the simulator's filter, on a connection measured no further.
            using (var warm = await Connect(sim))
            {
                DciCompletionCache.For(warm).Complete(DciCompletionKind.ServerName, "node", TimeSpan.FromSeconds(30));
                DciCompletionCache.For(warm).Complete(DciCompletionKind.ServerName, "", TimeSpan.FromSeconds(30));
            }

            var size = $"{servers / 1000}k";
            var row = new JsonObject();
            raw[size] = row;
            foreach (var typed in new[] { "", "web", "db-01" })
            {
                var cold = new List<double>();
                var offered = 0;
                var allMatch = true;
                for (var i = 0; i < samples; i++)
                {
                    using var connection = await Connect(sim);
                    var cache = DciCompletionCache.For(connection);
                    var w = Stopwatch.StartNew();
                    var items = cache.Complete(DciCompletionKind.ServerName, typed, TimeSpan.FromSeconds(30));
                    cold.Add(w.Elapsed.TotalMilliseconds);
                    offered = items.Count;
                    allMatch &= items.All(x => x.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase));

                    w.Restart();
                    var again = cache.Complete(DciCompletionKind.ServerName, typed, TimeSpan.FromSeconds(30));
                    cached.Add(w.Elapsed.TotalMilliseconds);
                    allMatch &= again.Count == items.Count;
                }
                row[typed.Length == 0 ? "(nothing typed)" : typed] = new JsonObject
                {
                    ["cold_ms"] = Arr(cold),
                    ["median_ms"] = Round(Median(cold), 1),
                    ["offered"] = offered,
                    ["all_match"] = allMatch,
                };
                if (typed == "web")
                {
                    var median = Median(cold);
                    results[$"completion_cold_ms_{size}"] = Round(median, 1);
                    Rows.Add(new($"completion_cold_ms ({size})", median, "<= 150", median <= 150 && offered > 0 && allMatch,
                        $"Get-DciServer -Name web<Tab>: median of {samples} fresh connections, 0 ms latency, {offered} offered, all match: {allMatch}"));
                }
                else
                {
                    Rows.Add(new($"completion_cold_ms ({size}, '{typed}')", Median(cold), "(info)", null, $"{offered} offered, all match: {allMatch}"));
                }
            }
        }
        var cachedMedian = Median(cached);
        results["completion_cached_ms"] = Round(cachedMedian, 3);
        Rows.Add(new("completion_cached_ms", cachedMedian, "<= 5", cachedMedian <= 5, $"the same Tab again, median of {cached.Count}, max {cached.Max():0.###} ms"));
    }

    // ============================================================== ids_200_ratio

    /// <summary>
    /// Servers.GetManyAsync for 200 ids (as Get-DciServer -Id (1..200) and 1..200 | Get-DciServer run it)
    /// ÷ one filtered list request returning the same 200 servers, at 20 ms latency; samples interleaved,
    /// median of the per-pair ratios. Also the requests for 500 scattered ids.
    /// </summary>
    private static async Task IdsBench(JsonObject results, bool quick)
    {
        var pairs = quick ? 5 : 11;
        await using var sim = await StartSim(new SimulatorOptions { Servers = 10_000, AdminPassword = Password, Latency = TimeSpan.FromMilliseconds(20) }, "ids_200");
        using var connection = await Connect(sim);
        var ids = Enumerable.Range(1, 200).Select(i => (long)i).ToArray();
        var oneFilter = new DciQuery { Where = DciFilter.Raw("id GE 1 AND id LE 200"), PageSize = PageSize };

        async Task<(double Ms, int Count, long Requests)> Batched()
        {
            var before = sim.State.RequestCount;
            var w = Stopwatch.StartNew();
            var n = 0;
            await foreach (var r in connection.Servers.GetManyAsync(ids)) if (r.Found) n++;
            return (w.Elapsed.TotalMilliseconds, n, sim.State.RequestCount - before);
        }

        async Task<(double Ms, int Count)> Single()
        {
            var w = Stopwatch.StartNew();
            var n = 0;
            await foreach (var _ in connection.Servers.ListAsync(oneFilter)) n++;
            return (w.Elapsed.TotalMilliseconds, n);
        }

        for (var i = 0; i < 3; i++) { await Batched(); await Single(); } // warm-up
        var ratios = new List<double>();
        var batchedMs = new List<double>();
        var singleMs = new List<double>();
        long requests = 0;
        for (var i = 0; i < pairs; i++)
        {
            // Alternate which side goes first so neither always follows the other.
            (double Ms, int Count, long Requests) b;
            (double Ms, int Count) s;
            if (i % 2 == 0) { b = await Batched(); s = await Single(); }
            else { s = await Single(); b = await Batched(); }
            if (b.Count != 200 || s.Count != 200) throw new InvalidOperationException($"expected 200 servers, got {b.Count} batched and {s.Count} listed");
            ratios.Add(b.Ms / s.Ms);
            batchedMs.Add(b.Ms);
            singleMs.Add(s.Ms);
            requests = b.Requests;
        }

        var scattered = Enumerable.Range(1, 10_000).Select(i => (long)i).OrderBy(i => (i * 7919) % 10_007).Take(500).ToArray();
        var beforeScattered = sim.State.RequestCount;
        var found = 0;
        await foreach (var r in connection.Servers.GetManyAsync(scattered)) if (r.Found) found++;
        var scatteredRequests = sim.State.RequestCount - beforeScattered;

        var ratio = Median(ratios);
        results["ids_200_ratio"] = Round(ratio, 3);
        results["ids_500_requests"] = scatteredRequests;
        Raw["ids_200"] = new JsonObject
        {
            ["latency_ms"] = 20,
            ["batched_ms"] = Arr(batchedMs),
            ["single_filtered_ms"] = Arr(singleMs),
            ["ratios"] = new JsonArray(ratios.Select(r => (JsonNode)JsonValue.Create(Round(r, 3))).ToArray()),
            ["batched_requests"] = requests,
            ["scattered_500_requests"] = scatteredRequests,
            ["scattered_500_found"] = found,
        };
        Rows.Add(new("ids_200_ratio", ratio, "<= 1.2", ratio <= 1.2,
            $"GetManyAsync(1..200) {Median(batchedMs):0.0} ms in {requests} request(s) ÷ one filtered list {Median(singleMs):0.0} ms, 20 ms latency, median of {pairs} pair ratios (spread {ratios.Min():0.00}–{ratios.Max():0.00})"));
        Rows.Add(new("ids_500_requests", scatteredRequests, "<= 2", scatteredRequests <= 2, $"500 scattered ids of 10,000 servers, {found} found"));
    }
}
