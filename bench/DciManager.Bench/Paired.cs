using System.Globalization;
using System.Text.Json.Nodes;

namespace DciManager.Bench;

/// <summary>How a row's samples scatter: quartiles and extremes of what its value is the median of.</summary>
internal sealed record Spread(double P25, double P75, double Min, double Max, int Count)
{
    public static Spread Of(IReadOnlyList<double> values) =>
        new(Stats.Percentile(values, 0.25), Stats.Percentile(values, 0.75), values.Count == 0 ? double.NaN : values.Min(),
            values.Count == 0 ? double.NaN : values.Max(), values.Count);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"IQR {P25:0.###}–{P75:0.###}, range {Min:0.###}–{Max:0.###}, n={Count}");

    public JsonObject ToJson() => new()
    {
        ["p25"] = Stats.Round(P25, 4),
        ["p75"] = Stats.Round(P75, 4),
        ["min"] = Stats.Round(Min, 4),
        ["max"] = Stats.Round(Max, 4),
        ["n"] = Count,
    };
}

internal static class Stats
{
    public static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    /// <summary>Linear interpolation between closest ranks (the median of an even count is the mean of the middle two).</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    public static double Round(double v, int digits) =>
        double.IsFinite(v) ? Math.Round(v, digits, MidpointRounding.AwayFromZero) : double.NaN;

    public static JsonArray Array(IEnumerable<double> values, int digits = 1) =>
        new(values.Select(v => (JsonNode)JsonValue.Create(Round(v, digits))).ToArray());
}

/// <summary>
/// Compares candidates with a baseline so that the verdict does not depend on the machine's weather:
/// warm-up rounds until every side's last samples agree (JIT tiering and connection pools settled), then
/// rounds of one sample per side in rotating order, and the value is the median of the per-round ratios
/// candidate ÷ baseline (a slow phase of the machine slows both samples of a round alike and cancels out).
/// </summary>
internal sealed class Paired
{
    /// <summary>A round is settled when, over the last <see cref="SettleWindow"/> warm-up rounds, every side's slowest sample is within this factor of its fastest.</summary>
    private const double SettledWithin = 1.25;
    private const int SettleWindow = 3;

    private readonly List<double> _baseline = new();
    private readonly Dictionary<string, List<double>> _samples = new();
    private readonly Dictionary<string, List<double>> _ratios = new();

    private Paired(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            _samples[name] = new List<double>();
            _ratios[name] = new List<double>();
        }
    }

    public int WarmupRounds { get; private set; }
    public bool Settled { get; private set; }
    public IReadOnlyList<double> BaselineMs => _baseline;
    public int Rounds => _baseline.Count;

    public IReadOnlyList<double> Ms(string candidate) => _samples[candidate];
    public IReadOnlyList<double> Ratios(string candidate) => _ratios[candidate];
    public double Ratio(string candidate) => Stats.Median(_ratios[candidate]);
    public Spread RatioSpread(string candidate) => Spread.Of(_ratios[candidate]);

    /// <summary>
    /// Each function runs one sample and returns its milliseconds (and should check its own result).
    /// </summary>
    public static async Task<Paired> MeasureAsync(Func<Task<double>> baseline, IReadOnlyList<(string Name, Func<Task<double>> Run)> candidates,
        int rounds, int minWarmupRounds = 3, int maxWarmupRounds = 15)
    {
        var result = new Paired(candidates.Select(c => c.Name));
        var sides = new List<Func<Task<double>>> { baseline };
        sides.AddRange(candidates.Select(c => c.Run));

        var history = sides.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < maxWarmupRounds; round++)
        {
            var sample = await RoundAsync(sides, round);
            for (var i = 0; i < sides.Count; i++) history[i].Add(sample[i]);
            result.WarmupRounds = round + 1;
            if (round + 1 >= Math.Max(minWarmupRounds, SettleWindow)
                && history.All(h => h.TakeLast(SettleWindow).Max() <= SettledWithin * h.TakeLast(SettleWindow).Min()))
            {
                result.Settled = true;
                break;
            }
        }

        for (var round = 0; round < rounds; round++)
        {
            var sample = await RoundAsync(sides, round);
            result._baseline.Add(sample[0]);
            for (var i = 0; i < candidates.Count; i++)
            {
                result._samples[candidates[i].Name].Add(sample[i + 1]);
                result._ratios[candidates[i].Name].Add(sample[i + 1] / sample[0]);
            }
        }
        return result;
    }

    /// <summary>One sample of every side; who goes first rotates, so neither side always runs on a warmer (or colder) machine.</summary>
    private static async Task<double[]> RoundAsync(List<Func<Task<double>>> sides, int round)
    {
        var sample = new double[sides.Count];
        for (var k = 0; k < sides.Count; k++)
        {
            var i = (k + round) % sides.Count;
            sample[i] = await sides[i]();
        }
        return sample;
    }

    public JsonObject ToJson(string baselineName)
    {
        var json = new JsonObject
        {
            ["method"] = "warm-up rounds until each side's last 3 samples are within 1.25x of each other (or the cap), then rounds of one sample per side " +
                         "in rotating order; value = median of per-round ratios candidate/baseline",
            ["warmup_rounds"] = WarmupRounds,
            ["settled"] = Settled,
            [baselineName + "_ms"] = Stats.Array(_baseline),
            [baselineName + "_median_ms"] = Stats.Round(Stats.Median(_baseline), 1),
        };
        foreach (var (name, samples) in _samples)
        {
            json[name + "_ms"] = Stats.Array(samples);
            json[name + "_median_ms"] = Stats.Round(Stats.Median(samples), 1);
            json[name + "_ratios"] = Stats.Array(_ratios[name], 3);
            json[name + "_ratio_spread"] = RatioSpread(name).ToJson();
        }
        return json;
    }
}
