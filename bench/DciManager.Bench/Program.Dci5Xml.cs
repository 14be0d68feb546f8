using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Xml;
using DciManager.Client;
using DciManager.Simulator;

namespace DciManager.Bench;

/// <summary>DCImanager 5 in XML mode (out=xml): the engine's streamed XML list against a raw HttpClient + XmlReader read.</summary>
internal static partial class Program
{
    // ============================================================== dci5_xml_list_10k

    /// <summary>
    /// func=server&amp;out=xml with 10,000 servers: the engine (XML rows in the json doc shape, the one row mapping, DciServer
    /// objects with their fields kept) against HttpClient + XmlReader reading the same document from the response stream.
    /// </summary>
    private static async Task Dci5XmlListBench(JsonObject results, bool quick)
    {
        const int servers = 10_000;
        var reps = quick ? 3 : 11;
        await using var sim = await StartSim(new SimulatorOptions { Platform = SimulatedPlatform.DCImanager5, Servers = servers, AdminPassword = Password }, "dci5_xml_list");
        using var engine = await DciConnection.ConnectDci5Async(
            new DciConnectionOptions { BaseUri = sim.BaseAddress, Dci5Format = Dci5Format.Xml }, new NetworkCredential("admin", Password));
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AutomaticDecompression = DecompressionMethods.All }) { BaseAddress = sim.BaseAddress };
        var session = await RawDci5LoginAsync(http);
        var settings = new XmlReaderSettings { Async = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true };

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
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["func"] = "server", ["out"] = "xml", ["auth"] = session });
            using var request = new HttpRequestMessage(HttpMethod.Post, Dci5Path) { Content = form };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var reader = XmlReader.Create(stream, settings);
            int n = 0; long sum = 0;
            var rows = new List<Dictionary<string, string?>>(servers);
            Dictionary<string, string?>? row = null;
            string? field = null;
            // What a client needs of each row: every field's text (flags as present), the id as a number.
            while (await reader.ReadAsync())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element when reader.Depth == 1 && reader.Name == "elem":
                        row = new Dictionary<string, string?>(16);
                        break;
                    case XmlNodeType.Element when reader.Depth == 2 && row is not null:
                        field = reader.Name;
                        row[field] = null;
                        if (reader.IsEmptyElement) field = null;
                        break;
                    case XmlNodeType.Text when field is not null:
                        row![field] = await reader.GetValueAsync();
                        break;
                    case XmlNodeType.EndElement when reader.Depth == 2:
                        field = null;
                        break;
                    case XmlNodeType.EndElement when reader.Depth == 1 && row is not null:
                        rows.Add(row);
                        n++;
                        sum += long.Parse(row["id"]!, System.Globalization.CultureInfo.InvariantCulture);
                        row = null;
                        break;
                }
            }
            return (w.Elapsed.TotalMilliseconds, n, sum);
        }

        var (e, b) = await TimeAlternatingAsync(Engine, Baseline, reps, servers, (long)servers * (servers + 1) / 2, "servers", warmups: 2);

        var ratio = Median(e) / Median(b);
        results["dci5_xml_list_ratio"] = Round(ratio, 3);
        Raw["dci5_xml_list_10k"] = ListingRaw("servers", servers, reps, e, b,
            "HttpClient POST func=server&out=xml (session auth), XmlReader (async) over the response stream, each row read into a field-name -> text dictionary (flags present), id parsed.");
        // Info: the engine turns each XML row into the json doc shape so that one mapping serves both formats; that costs
        // a second pass over a row, which the raw read (XML straight into a dictionary) does not pay.
        Rows.Add(new("dci5_xml_list_ratio (info)", ratio, "(info)", null,
            $"engine {Median(e):0} ms vs raw XmlReader {Median(b):0} ms (median of {reps}); the json engine is dci5_list_ratio"));
    }
}
