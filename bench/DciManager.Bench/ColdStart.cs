using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DciManager.Bench;

/// <summary>
/// Cold start in the pinned pwsh (<c>dotnet pwsh</c>, .config/dotnet-tools.json) with the built module (out/DciManager):
/// pairs of fresh processes, one bare and one importing the module, and processes that import it and list 10,000 servers
/// once cold and then warm. Each comparison is made within a pair or a process (import − bare; cold ÷ warm of the same
/// process), so the machine's load cancels out as far as it can.
/// </summary>
internal static class ColdStart
{
    private const string ListingScript = """
        param([string]$Module, [string]$Uri, [string]$Email, [string]$Password)
        $ErrorActionPreference = 'Stop'
        Import-Module $Module
        $cred = [pscredential]::new($Email, (ConvertTo-SecureString $Password -AsPlainText -Force))
        $null = Connect-Dci -Uri $Uri -Credential $cred
        $w = [Diagnostics.Stopwatch]::StartNew()
        $n = @(Get-DciServer).Count
        $cold = $w.Elapsed.TotalMilliseconds
        $warm = foreach ($i in 1..5) { $w.Restart(); $null = @(Get-DciServer).Count; $w.Elapsed.TotalMilliseconds }
        [pscustomobject]@{ count = $n; cold_ms = $cold; warm_ms = @($warm) } | ConvertTo-Json -Compress
        """;

    public sealed record Result(Spread ColdRatio, double ColdRatioMedian, double ImportAddedMedian, Spread ImportAdded, double BareMedian,
        double InProcessImportMedian, Spread InProcessImport, double ColdMedian, double WarmMedian, JsonObject Json);

    public static string? FindModule()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var psd1 = Path.Combine(dir.FullName, "out", "DciManager", "DciManager.psd1");
            if (File.Exists(psd1) && File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json"))) return psd1;
        }
        return null;
    }

    public static async Task<Result> MeasureAsync(string psd1, Uri simulator, string email, string password, int servers, int importRounds, int listingRounds)
    {
        var repo = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(psd1)!)!)!;
        var script = Path.Combine(Path.GetTempPath(), $"dci-cold-{Environment.ProcessId}.ps1");
        await File.WriteAllTextAsync(script, ListingScript);
        try
        {
            var quotedModule = "'" + psd1.Replace("'", "''", StringComparison.Ordinal) + "'";
            string[] bareArgs = ["-NoProfile", "-NonInteractive", "-Command", "exit 0"];
            string[] importArgs = ["-NoProfile", "-NonInteractive", "-Command",
                $"$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module {quotedModule}; 'IMPORT ' + $w.Elapsed.TotalMilliseconds; exit 0"];

            // One unmeasured pair first: the dotnet host, the tool manifest and the disk cache are warm for both sides alike.
            await RunAsync(repo, bareArgs);
            await RunAsync(repo, importArgs);
            var bare = new List<double>();
            var import = new List<double>();
            var added = new List<double>();
            var inProcess = new List<double>();
            for (var round = 0; round < importRounds; round++)
            {
                double b, i;
                string output;
                if (round % 2 == 0)
                {
                    b = (await RunAsync(repo, bareArgs)).Ms;
                    (i, output) = await RunAsync(repo, importArgs);
                }
                else
                {
                    (i, output) = await RunAsync(repo, importArgs);
                    b = (await RunAsync(repo, bareArgs)).Ms;
                }
                bare.Add(b); import.Add(i); added.Add(i - b);
                var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("IMPORT ", StringComparison.Ordinal));
                if (line is not null) inProcess.Add(double.Parse(line["IMPORT ".Length..], CultureInfo.InvariantCulture));
            }

            var cold = new List<double>();
            var warm = new List<double>();
            var ratios = new List<double>();
            for (var round = 0; round < listingRounds; round++)
            {
                var (_, output) = await RunAsync(repo, ["-NoProfile", "-NonInteractive", "-File", script,
                    "-Module", psd1, "-Uri", simulator.ToString(), "-Email", email, "-Password", password]);
                var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'))
                    ?? throw new InvalidOperationException($"the listing process printed no result: {output}");
                var doc = JsonNode.Parse(line)!;
                if ((int)doc["count"]! != servers) throw new InvalidOperationException($"the cold listing returned {doc["count"]} servers, expected {servers}");
                var c = (double)doc["cold_ms"]!;
                var w = Stats.Median(doc["warm_ms"]!.AsArray().Select(x => (double)x!).ToList());
                cold.Add(c); warm.Add(w); ratios.Add(c / w);
            }

            var json = new JsonObject
            {
                ["method"] = "import: pairs of fresh `dotnet pwsh -NoProfile` processes in alternating order, one bare (`exit 0`), one importing the module; " +
                             "import_added = import − bare wall time of the pair (median over pairs); in_process_import_ms = Import-Module's own stopwatch. " +
                             "cold: fresh processes that import, connect and list every server once (cold) and 5 times more (warm, median); cold_ratio = cold ÷ warm of the same process",
                ["module"] = psd1,
                ["servers"] = servers,
                ["bare_ms"] = Stats.Array(bare),
                ["import_ms"] = Stats.Array(import),
                ["import_added_ms"] = Stats.Array(added),
                ["in_process_import_ms"] = Stats.Array(inProcess),
                ["cold_list_ms"] = Stats.Array(cold),
                ["warm_list_ms"] = Stats.Array(warm),
                ["cold_ratios"] = Stats.Array(ratios, 3),
            };
            return new Result(Spread.Of(ratios), Stats.Median(ratios), Stats.Median(added), Spread.Of(added), Stats.Median(bare),
                Stats.Median(inProcess), Spread.Of(inProcess), Stats.Median(cold), Stats.Median(warm), json);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<(double Ms, string Output)> RunAsync(string repo, string[] pwshArgs)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("pwsh");
        foreach (var a in pwshArgs) psi.ArgumentList.Add(a);
        psi.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        var w = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet pwsh");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cts.Token);
        var ms = w.Elapsed.TotalMilliseconds;
        var output = await stdout;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet pwsh {string.Join(' ', pwshArgs.Take(4))} exited with {process.ExitCode.ToString(CultureInfo.InvariantCulture)}: {await stderr}{output}");
        return (ms, output);
    }
}
