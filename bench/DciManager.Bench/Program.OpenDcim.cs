using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DciManager.Client;
using DciManager.Simulator;

namespace DciManager.Bench;

/// <summary>openDCIM (issue 13): the one unpaged device list, engine against a raw HttpClient read of the same answer.</summary>
internal static partial class Program
{
    private const string OpenDcimUser = "dcadmin";
    private const string OpenDcimKey = "dcadmin-key-7f3a9c";

    /// <summary>
    /// GET /api/v1/device with 50,000 devices: the engine (streamed reader, DciDevice objects with their other fields kept)
    /// against HttpClient + System.Text.Json reading the same answer from the response stream (JsonDocument, every DeviceID read).
    /// </summary>
    private static async Task OpenDcimBench(JsonObject results, bool quick)
    {
        const int devices = 50_000;
        var reps = quick ? 3 : 9;
        await using var sim = await StartSim(new SimulatorOptions { Platform = SimulatedPlatform.OpenDcim, Devices = devices, AdminPassword = Password }, "opendcim_list");
        using var engine = await DciConnection.ConnectOpenDcimAsync(new DciConnectionOptions { BaseUri = new Uri(sim.BaseAddress, "api/v1") }, OpenDcimUser, OpenDcimKey, null);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AutomaticDecompression = DecompressionMethods.All }) { BaseAddress = sim.BaseAddress };
        http.DefaultRequestHeaders.Add("UserID", OpenDcimUser);
        http.DefaultRequestHeaders.Add("APIKey", OpenDcimKey);
        http.DefaultRequestHeaders.Add("Accept", "application/json");

        async Task<(double Ms, int Count, long Sum)> Engine()
        {
            var w = Stopwatch.StartNew();
            int n = 0; long sum = 0;
            await foreach (var d in engine.OpenDcim!.ListDevicesAsync()) { n++; sum += d.Id; }
            return (w.Elapsed.TotalMilliseconds, n, sum);
        }
        async Task<(double Ms, int Count, long Sum)> Baseline()
        {
            var w = Stopwatch.StartNew();
            using var response = await http.GetAsync("api/v1/device", HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var doc = await JsonDocument.ParseAsync(stream);
            int n = 0; long sum = 0;
            foreach (var row in doc.RootElement.GetProperty("device").EnumerateArray()) { n++; sum += row.GetProperty("DeviceID").GetInt64(); }
            return (w.Elapsed.TotalMilliseconds, n, sum);
        }

        var first = await Baseline();
        if (first.Count < devices) throw new InvalidOperationException($"the simulator listed {first.Count} devices, expected at least {devices}.");
        await Engine();
        var (e, b) = await TimeAlternatingAsync(Engine, Baseline, reps, first.Count, first.Sum, "devices", warmups: 0);

        var ratio = Median(e) / Median(b);
        results["opendcim_list_ratio"] = Round(ratio, 3);
        Raw["opendcim_list_50k"] = ListingRaw("devices", first.Count, reps, e, b,
            "HttpClient GET /api/v1/device (UserID/APIKey headers), JsonDocument.ParseAsync of the response stream, every DeviceID read.");
        Rows.Add(new("opendcim_list_ratio", ratio, "<= 1.2", ratio <= 1.2, $"engine {Median(e):0} ms vs raw {Median(b):0} ms over {first.Count} devices (median of {reps})"));
    }
}
