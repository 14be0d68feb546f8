using System.Diagnostics;
using DciManager.Client.Http;

namespace DciManager.Client.Waits;

/// <summary>
/// The one rhythm and outage policy of every wait (DCImanager 6 task batches, DCImanager 5 flags, IMCO states): the first
/// poll after <see cref="DciWaitOptions.InitialPollInterval"/>, each next one <see cref="DciWaitOptions.BackoffFactor"/>
/// later up to <see cref="DciWaitOptions.MaxPollInterval"/>, none past the timeout; a poll that fails on an outage (the
/// transport gave up, 5xx, 429) does not end the wait, it is tried again next round until the timeout.
/// </summary>
internal sealed class DciPollSchedule
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _maxInterval;
    private readonly double _backoff;
    private TimeSpan _interval;

    public DciPollSchedule(DciWaitOptions options, TimeSpan timeout)
    {
        _timeout = timeout;
        _interval = options.InitialPollInterval > TimeSpan.Zero ? options.InitialPollInterval : TimeSpan.FromMilliseconds(250);
        _maxInterval = options.MaxPollInterval >= _interval ? options.MaxPollInterval : _interval;
        _backoff = Math.Max(1.0, options.BackoffFactor);
    }

    public TimeSpan Elapsed => _watch.Elapsed;

    /// <summary>The outage the last poll met, or null when it got through (the waits report it with what timed out).</summary>
    public DciException? LastPollError { get; private set; }

    /// <summary>Sleeps until the next poll is due; false once the timeout has come (then the wait reports what is left).</summary>
    public async Task<bool> NextAsync(CancellationToken ct)
    {
        var remaining = _timeout - _watch.Elapsed;
        if (remaining <= TimeSpan.Zero) return false;
        await Task.Delay(_interval < remaining ? _interval : remaining, ct).ConfigureAwait(false);
        _interval = TimeSpan.FromTicks(Math.Min(_maxInterval.Ticks, (long)(_interval.Ticks * _backoff)));
        return true;
    }

    /// <summary>One poll; on an outage, null (and <see cref="LastPollError"/>) instead of the end of the wait. Other errors end it.</summary>
    public async Task<T?> TryPollAsync<T>(Func<Task<T>> poll, string what) where T : class
    {
        try
        {
            var result = await poll().ConfigureAwait(false);
            LastPollError = null;
            return result;
        }
        catch (DciException ex) when (IsPassingOutage(ex))
        {
            LastPollError = ex;
            DciTrace.Verbose($"Polling {what} failed ({ex.Message}); trying again until the wait times out.");
            return null;
        }
    }

    /// <summary>A poll failure that may pass: the transport gave up, or the panel answered 5xx or 429.</summary>
    internal static bool IsPassingOutage(DciException ex) =>
        ex is DciTransportException || (ex is DciApiException api && api.HttpStatus is >= 500 or 429);
}
