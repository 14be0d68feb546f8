using System.Diagnostics;
using System.Text.Json.Nodes;
using DciManager.Client;
using DciManager.Client.Concurrency;
using DciManager.Client.Platforms.Imco;
using DciManager.Simulator;

namespace DciManager.Bench;

/// <summary>IMCO (issue 14): bulk reboots over mutual TLS against the ideal, with the TLS connections counted.</summary>
internal static partial class Program
{
    // ============================================================== imco_reboot_1k

    /// <summary>
    /// 1,000 PUT cloud/servers/{id}/reboot at 20 ms latency through the work pump (throttle 16), as Invoke-DciPower runs
    /// them, against the ideal 1000×20 ms÷16; the simulator counts the TCP connections accepted (each one a TLS handshake).
    /// </summary>
    private static async Task ImcoBench(JsonObject results, bool quick)
    {
        const int n = 1000, throttle = 16, warm = 32;
        var latency = TimeSpan.FromMilliseconds(20);
        var reps = quick ? 1 : 5;
        var credentialsDir = Path.Combine(Path.GetTempPath(), "dci-bench-imco-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // Reboots take servers through booting and bootstrapping back to operational (2 × 50 ms), long before the next repetition.
            await using var sim = await StartSim(new SimulatorOptions
            {
                Platform = SimulatedPlatform.Imco, Servers = n, Latency = latency, OperationDuration = TimeSpan.FromMilliseconds(50),
                CredentialsDirectory = credentialsDir,
            }, "imco_reboot");
            var files = sim.ImcoCredentials!;
            using var credentials = ImcoCredentials.FromApiKey(files.ApiKeyDirectory);
            using var engine = await DciConnection.ConnectImcoAsync(new DciConnectionOptions { BaseUri = sim.BaseAddress }, credentials);
            var ids = new List<string>();
            await foreach (var server in engine.Imco!.ListServersAsync()) ids.Add(server.Id);
            if (ids.Count < n) throw new InvalidOperationException($"the IMCO simulator listed {ids.Count} servers, expected {n}.");

            OnOwnerThread(() => RunImcoReboots(engine, ids.Take(warm), throttle));
            await WaitUntilOperational(engine, n);

            var ideal = n * latency.TotalMilliseconds / throttle;
            var runs = new List<double>();
            var connections = new List<long>();
            for (var r = 0; r < reps; r++)
            {
                var connectionsBefore = sim.State.ConnectionCount;
                var (ms, ok, errors, firstError) = OnOwnerThread(() => RunImcoReboots(engine, ids, throttle));
                if (ok != n) throw new InvalidOperationException($"imco run {r + 1}: {ok} of {n} reboots succeeded, {errors} failed; first error: {firstError}");
                runs.Add(ms);
                connections.Add(sim.State.ConnectionCount - connectionsBefore);
                await WaitUntilOperational(engine, n);
            }

            var bulk = Median(runs);
            var ratio = bulk / ideal;
            // Everything this client opened since the simulator started: the connect, the warm-up, five runs and the polls.
            var opened = sim.State.ConnectionCount;
            results["imco_reboot_ratio_to_ideal"] = Round(ratio, 3);
            results["imco_reboot_connections_opened"] = opened;
            Raw["imco_reboot_1k"] = new JsonObject
            {
                ["reboots"] = n,
                ["throttle"] = throttle,
                ["latency_ms"] = latency.TotalMilliseconds,
                ["ideal_ms"] = ideal,
                ["bulk_ms"] = Arr(runs),
                ["bulk_median_ms"] = Round(bulk, 1),
                ["connections_opened_per_run"] = new JsonArray(connections.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
                ["path"] = "new DciWorkPump(16); pump.Start(label, ct => Imco.RebootAsync(id, ct), ...) × 1000; pump.Drain(), over mutual TLS, on a dedicated owner thread.",
            };
            Rows.Add(new("imco_reboot_ratio_to_ideal", ratio, "<= 1.25", ratio <= 1.25,
                $"1000 reboots {bulk:0} ms vs ideal {ideal:0} ms (20 ms, throttle 16, mutual TLS; median of {reps})", Spread.Of(runs.Select(x => x / ideal).ToList())));
            Rows.Add(new("imco_reboot_connections_opened", opened, $"<= {throttle}", opened <= throttle,
                $"TCP+TLS connections the simulator accepted in all (connect, warm-up, {reps}×1000 reboots, polls); new ones per run: {string.Join(", ", connections)}"));
        }
        finally
        {
            try { Directory.Delete(credentialsDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static (double Ms, int Ok, int Errors, string? FirstError) RunImcoReboots(DciConnection engine, IEnumerable<string> ids, int throttle)
    {
        using var pump = new DciWorkPump(throttle);
        var ok = 0; var errors = 0; string? first = null;
        var w = Stopwatch.StartNew();
        foreach (var id in ids)
        {
            var serverId = id;
            pump.Start($"reboot {serverId}", ct => engine.Imco!.RebootAsync(serverId, ct), _ => ok++, ex => { errors++; first ??= ex.Message; });
        }
        pump.Drain();
        return (w.Elapsed.TotalMilliseconds, ok, errors, first);
    }

    /// <summary>Reboots are allowed from operational only: the next repetition starts when every server is back.</summary>
    private static async Task WaitUntilOperational(DciConnection engine, int n)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var operational = 0;
            await foreach (var server in engine.Imco!.ListServersAsync())
                if (server.State == "operational") operational++;
            if (operational >= n) return;
            await Task.Delay(50);
        }
        throw new InvalidOperationException("the IMCO servers did not return to operational after the reboots.");
    }
}
