using System.Collections.Concurrent;

namespace DciManager.Client.Concurrency;

/// <summary>
/// Runs asynchronous engine work off the owner's thread and delivers every callback (results, errors,
/// trace lines, progress) back on the owner's thread when it pumps. A PowerShell cmdlet may only write
/// to its pipeline from the pipeline thread, so this is the one bridge between the async engine and a
/// synchronous ProcessRecord: the sync wait for one call, the bounded concurrency of bulk operations,
/// and the hand-over of messages all go through it.
/// </summary>
public sealed class DciWorkPump : IDisposable
{
    private readonly BlockingCollection<Action> _inbox = new();
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _cancellation;
    private readonly ConcurrentDictionary<long, string> _inFlight = new();
    private long _nextWorkId;
    private int _pending;

    public DciWorkPump(int throttleLimit, CancellationToken cancellationToken = default)
    {
        if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit), "The throttle limit must be at least 1.");
        ThrottleLimit = throttleLimit;
        _slots = new SemaphoreSlim(throttleLimit, throttleLimit);
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public int ThrottleLimit { get; }

    /// <summary>Cancelled by <see cref="Cancel"/> (Ctrl+C in a cmdlet) or by the token given at construction.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Work started and not yet delivered to the owner.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Labels of the work items still running, for "what was not done" reports after a stop.</summary>
    public IReadOnlyCollection<string> InFlight => _inFlight.Values.ToArray();

    /// <summary>Queue an action to run on the owner's thread at its next pump. Safe from any thread.</summary>
    public void Post(Action action)
    {
        try { _inbox.Add(action); }
        catch (InvalidOperationException) { /* disposed: the owner is gone, nothing left to deliver to */ }
    }

    /// <summary>
    /// Starts <paramref name="work"/> once a concurrency slot is free, pumping callbacks while it waits.
    /// The matching callback runs later on the owner's thread, during a pump.
    /// </summary>
    public void Start<T>(string label, Func<CancellationToken, Task<T>> work, Action<T> onSuccess, Action<Exception> onError)
    {
        Token.ThrowIfCancellationRequested();
        while (!_slots.Wait(0))
        {
            Token.ThrowIfCancellationRequested();
            PumpOne(Timeout.InfiniteTimeSpan);
        }

        var workId = Interlocked.Increment(ref _nextWorkId);
        _inFlight[workId] = label;
        Interlocked.Increment(ref _pending);
        _ = RunAsync(workId, work, onSuccess, onError);
    }

    private async Task RunAsync<T>(long workId, Func<CancellationToken, Task<T>> work, Action<T> onSuccess, Action<Exception> onError)
    {
        Action delivery;
        try
        {
            // Leave the owner's thread at once, whatever the work does synchronously.
            await Task.Yield();
            var result = await work(Token).ConfigureAwait(false);
            delivery = () => onSuccess(result);
        }
        catch (Exception ex)
        {
            delivery = () => onError(ex);
        }
        finally
        {
            _inFlight.TryRemove(workId, out _);
            _slots.Release();
        }

        Post(() =>
        {
            Interlocked.Decrement(ref _pending);
            delivery();
        });
    }

    /// <summary>Runs every callback already queued, without waiting.</summary>
    public void PumpAvailable()
    {
        while (_inbox.TryTake(out var action)) action();
    }

    /// <summary>Pumps until every started work item has been delivered.</summary>
    public void Drain()
    {
        while (Pending > 0) PumpOne(Timeout.InfiniteTimeSpan);
        PumpAvailable();
    }

    /// <summary>
    /// Runs one call to completion while pumping, and returns its result on the owner's thread
    /// (exceptions are rethrown as they are, not wrapped in AggregateException).
    /// </summary>
    public T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        var task = Task.Run(() => work(Token));
        task.ContinueWith(_ => Post(static () => { }), TaskScheduler.Default);
        while (!task.IsCompleted) PumpOne(Timeout.InfiniteTimeSpan);
        PumpAvailable();
        return task.GetAwaiter().GetResult();
    }

    public void Run(Func<CancellationToken, Task> work) =>
        Run<bool>(async ct => { await work(ct).ConfigureAwait(false); return true; });

    /// <summary>
    /// Enumerates an async sequence on the owner's thread, pumping while each next item is fetched, so a
    /// consumer that stops early (Select-Object -First) stops the enumeration and no later page is requested.
    /// </summary>
    public IEnumerable<T> Enumerate<T>(Func<CancellationToken, IAsyncEnumerable<T>> source)
    {
        var enumerator = source(Token).GetAsyncEnumerator(Token);
        try
        {
            while (true)
            {
                // Items within a page are ready at once: take them inline, and only pump while a page loads.
                var next = enumerator.MoveNextAsync();
                var hasItem = next.IsCompletedSuccessfully ? next.Result : Run(_ => next.AsTask());
                if (!hasItem) yield break;
                yield return enumerator.Current;
            }
        }
        finally
        {
            Run(async _ => { await enumerator.DisposeAsync().ConfigureAwait(false); return true; });
        }
    }

    /// <summary>Cancels all running and future work (a cmdlet's StopProcessing calls this).</summary>
    public void Cancel()
    {
        try { _cancellation.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    private void PumpOne(TimeSpan timeout)
    {
        if (_inbox.TryTake(out var action, timeout)) action();
    }

    public void Dispose()
    {
        Cancel();
        _inbox.CompleteAdding();
        _cancellation.Dispose();
    }
}
