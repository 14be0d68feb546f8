namespace DciManager.Client;

/// <summary>Receives the engine's log lines (a cmdlet forwards them to its verbose and debug streams).</summary>
public interface IDciTraceSink
{
    void Verbose(string message);
    void Debug(string message);

    /// <summary>Whether debug lines are wanted at all: building them (with bodies) costs time on every request.</summary>
    bool WantsDebug => true;

    /// <summary>A list has delivered <paramref name="received"/> of <paramref name="total"/> items (total unknown: null).</summary>
    void ListProgress(string path, long received, long? total) { }
}

/// <summary>
/// The ambient trace sink, flowing with the async context (AsyncLocal): concurrent cmdlets each see
/// their own sink. Every line is already redacted when it reaches the sink.
/// </summary>
public static class DciTrace
{
    private static readonly AsyncLocal<IDciTraceSink?> s_current = new();

    /// <summary>The sink of the current async flow, if any.</summary>
    public static IDciTraceSink? Current => s_current.Value;

    /// <summary>Makes <paramref name="sink"/> current until the returned scope is disposed.</summary>
    public static IDisposable Push(IDciTraceSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var previous = s_current.Value;
        s_current.Value = sink;
        return new Scope(previous);
    }

    internal static void Verbose(string message)
    {
        var sink = s_current.Value;
        if (sink is null) return;
        try { sink.Verbose(message); } catch { /* a broken sink must not break the request */ }
    }

    internal static void Debug(Func<string> message)
    {
        var sink = s_current.Value;
        if (sink is null || !sink.WantsDebug) return;
        try { sink.Debug(message()); } catch { }
    }

    internal static void ListProgress(string path, long received, long? total)
    {
        var sink = s_current.Value;
        if (sink is null) return;
        try { sink.ListProgress(path, received, total); } catch { }
    }

    internal static bool Enabled => s_current.Value is not null;

    /// <summary>Whether debug lines (with bodies) are wanted by the current sink.</summary>
    internal static bool DebugWanted => s_current.Value is { WantsDebug: true };

    private sealed class Scope(IDciTraceSink? previous) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) s_current.Value = previous;
        }
    }
}
