namespace DciManager.Simulator;

/// <summary>What a fault rule does to a matching request (see <see cref="Inferred"/> for the exact bodies).</summary>
public enum FaultKind
{
    Suspended503,
    Latency,
    Stall,
    ResetBeforeProcessing,
    ResetAfterProcessing,
    TruncatedJson,
    MalformedJson,
    Html502,
    WrongContentType,
    Status500,
    NonJsonBody,
}

/// <summary>One injected fault. Matches requests by method (null = any) and a path substring (null = any, case-insensitive).</summary>
public sealed class FaultRule
{
    public FaultKind Kind { get; set; }
    public string? Method { get; set; }
    public string? PathContains { get; set; }
    /// <summary>How many times the rule fires; -1 = until cleared.</summary>
    public int Count { get; set; } = 1;
    /// <summary>Latency / Stall wait (Stall default: very long).</summary>
    public TimeSpan Delay { get; set; }
    /// <summary>Overrides the status code of Html502 / Status500 / Suspended503 / NonJsonBody when non-zero.</summary>
    public int StatusCode { get; set; }

    internal bool Matches(string method, string path) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)) &&
        (PathContains is null || path.Contains(PathContains, StringComparison.OrdinalIgnoreCase));

    internal FaultRule Clone() => new()
    {
        Kind = Kind, Method = Method, PathContains = PathContains,
        Count = Count == 0 || Count < -1 ? 1 : Count, Delay = Delay, StatusCode = StatusCode,
    };

    public override string ToString() => $"{Kind} {Method ?? "*"} {PathContains ?? "*"} x{Count}";
}

/// <summary>Thread-safe list of fault rules; the first matching rule fires (and counts down).</summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<FaultRule> _rules = new();
    private volatile int _active;
    private long _fired;

    /// <summary>Adds a copy of the rule.</summary>
    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate) { _rules.Add(rule.Clone()); _active = _rules.Count; }
    }

    public void Clear()
    {
        lock (_gate) { _rules.Clear(); _active = 0; }
    }

    /// <summary>Snapshot of the rules still armed (with their remaining counts).</summary>
    public IReadOnlyList<FaultRule> Rules
    {
        get { lock (_gate) return _rules.Select(r => r.Clone()).ToList(); }
    }

    /// <summary>How many times any rule fired.</summary>
    public long FiredCount => Interlocked.Read(ref _fired);

    internal FaultRule? TryTake(string method, string path)
    {
        if (_active == 0) return null;
        lock (_gate)
        {
            for (int i = 0; i < _rules.Count; i++)
            {
                var r = _rules[i];
                if (!r.Matches(method, path)) continue;
                var fired = r.Clone();
                if (r.Count > 0 && --r.Count == 0) _rules.RemoveAt(i);
                _active = _rules.Count;
                Interlocked.Increment(ref _fired);
                return fired;
            }
        }
        return null;
    }
}
