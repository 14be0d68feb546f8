using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DciManager.Client;
using DciManager.Simulator;

namespace DciManager.Bench;

/// <summary>DCImanager 5 (issue 12): one-document lists against a raw HttpClient read, and flag waits on many servers.</summary>
internal static partial class Program
{
    private const string Dci5Path = "dcimgr";

    private static async Task Dci5Bench(JsonObject results, bool quick)
    {
        await Dci5ListBench(results, quick);
        await Dci5XmlListBench(results, quick);
        await Dci5WaitBench(results);
    }

    private static Task<DciConnection> ConnectDci5(SimulatorHost sim) =>
        DciConnection.ConnectDci5Async(new DciConnectionOptions { BaseUri = sim.BaseAddress }, new NetworkCredential("admin", Password));

    // ============================================================== dci5_list_10k

    /// <summary>
    /// func=server with 10,000 servers: the engine (streamed doc reader, DciServer objects with their fields kept)
    /// against HttpClient + System.Text.Json reading the same document from the response stream (JsonDocument, every row's id read).
    /// </summary>
    private static async Task Dci5ListBench(JsonObject results, bool quick)
    {
        const int servers = 10_000;
        var reps = quick ? 3 : 11;
        await using var sim = await StartSim(new SimulatorOptions { Platform = SimulatedPlatform.DCImanager5, Servers = servers, AdminPassword = Password }, "dci5_list");
        using var engine = await ConnectDci5(sim);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AutomaticDecompression = DecompressionMethods.All }) { BaseAddress = sim.BaseAddress };
        var session = await RawDci5LoginAsync(http);

        async Task<(double Ms, int Count, long Sum)> Engine()
        {
            var w = Stopwatch.StartNew();
            int n = 0; long sum = 0;
            await foreach (var s in engine.ServerOps.ListAsync()) { n++; sum += s.Id; }
            return (w.Elapsed.TotalMilliseconds, n, sum);
        }
        async Task<(double Ms, int Count, long Sum)> Baseline()
        {
            var w = Stopwatch.StartNew();
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["func"] = "server", ["out"] = "json", ["auth"] = session });
            using var request = new HttpRequestMessage(HttpMethod.Post, Dci5Path) { Content = form };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var doc = await JsonDocument.ParseAsync(stream);
            int n = 0; long sum = 0;
            var rows = new List<Dictionary<string, string?>>(servers);
            foreach (var row in doc.RootElement.GetProperty("doc").GetProperty("elem").EnumerateArray())
            {
                // What a client needs of each row: every field's text (flags as present), the id as a number.
                var fields = new Dictionary<string, string?>(16);
                foreach (var field in row.EnumerateObject())
                    fields[field.Name] = field.Value.TryGetProperty("$", out var text) ? text.GetString() : null;
                rows.Add(fields);
                n++;
                sum += long.Parse(fields["id"]!, System.Globalization.CultureInfo.InvariantCulture);
            }
            return (w.Elapsed.TotalMilliseconds, n, sum);
        }

        var (e, b) = await TimeAlternatingAsync(Engine, Baseline, reps, servers, (long)servers * (servers + 1) / 2, "servers", warmups: 2);

        var ratio = Median(e) / Median(b);
        results["dci5_list_ratio"] = Round(ratio, 3);
        Raw["dci5_list_10k"] = ListingRaw("servers", servers, reps, e, b,
            "HttpClient POST func=server&out=json (session auth), JsonDocument.ParseAsync of the response stream, each row read into a field-name -> text dictionary (flags present), id parsed.");
        Rows.Add(new("dci5_list_ratio", ratio, "<= 1.2", ratio <= 1.2, $"engine {Median(e):0} ms vs raw {Median(b):0} ms (median of {reps})"));
    }

    private static async Task<string> RawDci5LoginAsync(HttpClient http)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["func"] = "auth", ["out"] = "json", ["username"] = "admin", ["password"] = Password });
        using var response = await http.PostAsync(Dci5Path, form);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("doc").GetProperty("auth").GetProperty("$id").GetString()!;
    }

    // ============================================================== dci5_wait_1k

    /// <summary>Waiting on 1,000 servers after a reset: requests per poll round (one func=server list, whatever the count).</summary>
    private static async Task Dci5WaitBench(JsonObject results)
    {
        const int n = 1000;
        await using var sim = await StartSim(new SimulatorOptions
        {
            Platform = SimulatedPlatform.DCImanager5, Servers = n, AdminPassword = Password, OperationDuration = TimeSpan.FromSeconds(2),
        }, "dci5_wait");
        using var engine = await ConnectDci5(sim);
        var tasks = new List<DciTask>(n);
        for (var id = 1; id <= n; id++) tasks.Add(await engine.ServerOps.PowerAsync(id, DciPowerAction.Reset));

        var rounds = 0;
        var progress = new SyncProgress(() => Interlocked.Increment(ref rounds));
        var before = sim.State.RequestCount;
        var w = Stopwatch.StartNew();
        var completed = 0;
        await foreach (var r in engine.Tasks.WaitAsync(tasks, new DciWaitOptions { Timeout = TimeSpan.FromMinutes(5) }, progress))
            if (r.Outcome == DciWaitOutcome.Completed) completed++;
        var requests = sim.State.RequestCount - before;
        var polls = Math.Max(1, rounds - 1);
        var perPoll = (double)requests / polls;
        results["dci5_wait_requests_per_poll"] = Round(perPoll, 2);
        Raw["dci5_wait_1k"] = new JsonObject
        {
            ["servers"] = n,
            ["completed"] = completed,
            ["poll_rounds"] = polls,
            ["requests"] = requests,
            ["wait_ms"] = Round(w.Elapsed.TotalMilliseconds, 0),
        };
        if (completed != n) Notes.Add($"dci5_wait_1k: only {completed} of {n} operations completed.");
        Rows.Add(new("dci5_wait_requests_per_poll", perPoll, "== 1", perPoll == 1.0, $"{requests} requests in {polls} polls for {n} servers, {completed} completed"));
    }

    private sealed class SyncProgress(Action report) : IProgress<DciWaitProgress>
    {
        public void Report(DciWaitProgress value) => report();
    }
}
