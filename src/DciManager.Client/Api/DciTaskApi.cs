using DciManager.Client.Waits;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using DciManager.Client.Http;
using DciManager.Client.Models;
using DciManager.Client.Query;

namespace DciManager.Client;

public enum DciWaitOutcome { Completed, Failed, TimedOut }

/// <summary>How <see cref="DciTaskApi.WaitAsync"/> polls.</summary>
public sealed class DciWaitOptions
{
    public TimeSpan InitialPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Growth of the interval after each poll.</summary>
    public double BackoffFactor { get; init; } = 1.5;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
}

/// <summary>One finished (or timed-out) task.</summary>
public sealed class DciTaskWaitResult
{
    public DciTaskWaitResult(DciTask task, DciWaitOutcome outcome)
    {
        Task = task;
        Outcome = outcome;
    }

    /// <summary>The latest state of the task.</summary>
    public DciTask Task { get; }
    public DciWaitOutcome Outcome { get; }

    /// <summary>For a timed-out task: why the last polls failed (the panel was unreachable or suspended), when they did.</summary>
    public DciException? LastPollError { get; init; }
    public bool IsSuccessful => Outcome == DciWaitOutcome.Completed;
    public override string ToString() => $"{Task} → {Outcome}";
}

public sealed class DciWaitProgress
{
    public int Total { get; init; }
    public int Finished { get; init; }
    public int Failed { get; init; }
    public TimeSpan Elapsed { get; init; }
}

/// <summary>Tasks (dci/v3/task) and batched waiting.</summary>
public sealed class DciTaskApi
{
    private readonly DciConnection _c;

    /// <summary>How polls and lookups by many ids are split into list requests.</summary>
    private readonly DciIdLookup _byIds = new();

    internal DciTaskApi(DciConnection connection) => _c = connection;

    /// <summary>Tasks by the neutral query (ServerId, State: the status word).</summary>
    public IAsyncEnumerable<DciTask> ListAsync(DciListQuery query, CancellationToken ct = default) =>
        DciListFilter.Apply(ListAsync(Dci6ListQuery.ToWhere(query, Dci6ListFields.Tasks), ct), query, DciListFieldsOf.Tasks);

    public IAsyncEnumerable<DciTask> ListAsync(DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "dci/v3/task", query, DciJsonContext.Default.DciListDciTask, null, ct);

    /// <summary>The tasks with these ids in few list requests, one result per id in the order given (see <see cref="DciIdLookup"/>).</summary>
    public IAsyncEnumerable<DciLookupResult<DciTask>> GetManyAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        _byIds.GetManyAsync(ids, _c.Options.PageSize, ListAsync, t => t.Id, "dci/v3/task", "Task", ct);

    public async Task<DciTask> GetAsync(long id, CancellationToken ct = default)
    {
        var task = await _c.Transport.SendAsync(new DciRequest(HttpMethod.Get, $"dci/v3/task/{DciRequest.Id(id)}"),
            DciJsonContext.Default.DciTask, ct).ConfigureAwait(false);
        task.Connection = _c;
        return task;
    }

    /// <summary>
    /// Waits for many tasks at once: each round polls all pending tasks with one list request per batch
    /// of up to PageSize ids, per connection (tasks carry their connection). Yields each task as soon as it
    /// is finished; at the timeout, yields every unfinished task with <see cref="DciWaitOutcome.TimedOut"/>.
    /// A task missing from the list (not registered yet) counts as pending.
    /// </summary>
    public async IAsyncEnumerable<DciTaskWaitResult> WaitAsync(IReadOnlyCollection<DciTask> tasks, DciWaitOptions? options = null,
        IProgress<DciWaitProgress>? progress = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        options ??= new DciWaitOptions();
        var schedule = new DciPollSchedule(options, options.Timeout);
        var total = 0;
        var finished = 0;
        var failed = 0;
        // Pending tasks per connection, keyed by id.
        var pending = new Dictionary<DciConnection, Dictionary<long, DciTask>>();
        var ready = new List<DciTaskWaitResult>();
        foreach (var task in tasks)
        {
            if (task is null) continue;
            var connection = task.Connection ?? _c;
            if (!pending.TryGetValue(connection, out var map)) pending[connection] = map = new Dictionary<long, DciTask>();
            if (!map.TryAdd(task.Id, task)) continue;
            total++;
            if (task.IsFinished)
            {
                map.Remove(task.Id);
                ready.Add(new DciTaskWaitResult(task, task.IsSuccessful ? DciWaitOutcome.Completed : DciWaitOutcome.Failed));
            }
        }

        foreach (var r in ready)
        {
            finished++;
            if (r.Outcome == DciWaitOutcome.Failed) failed++;
            yield return r;
        }
        Report();

        while (pending.Values.Any(m => m.Count > 0) && await schedule.NextAsync(ct).ConfigureAwait(false))
        {
            foreach (var (connection, map) in pending)
            {
                if (map.Count == 0) continue;
                if (connection.Dci5 is { } dci5)
                {
                    // No task ids: one server list per poll for every server waited on, judged by its flags.
                    if (await schedule.TryPollAsync(() => dci5.PollServersAsync(ct), "servers").ConfigureAwait(false) is not { } servers) continue;
                    foreach (var known in map.Values.ToList())
                    {
                        if (!servers.TryGetValue(known.ServerId ?? known.Id, out var fresh)) continue;
                        var (done, failedNow) = Platforms.Dci5.Dci5Client.Judge(known.Name, fresh);
                        if (!done) continue;
                        map.Remove(known.Id);
                        finished++;
                        if (failedNow) failed++;
                        var result = new DciTask
                        {
                            Id = known.Id, ServerId = known.ServerId, Name = known.Name, CreatedAt = known.CreatedAt,
                            Status = failedNow ? "fail" : "complete", FinishedAt = DateTimeOffset.UtcNow, Connection = connection,
                            StatusInfo = fresh.State,
                        };
                        yield return new DciTaskWaitResult(result, failedNow ? DciWaitOutcome.Failed : DciWaitOutcome.Completed);
                    }
                    continue;
                }
                var pageSize = Math.Max(1, connection.Options.PageSize);
                foreach (var batch in connection.Tasks._byIds.Batches(map.Keys, pageSize).ToList())
                {
                    // A short outage (restart, 503, lost connection) must not end the wait: poll again next round.
                    if (await schedule.TryPollAsync(() => connection.Tasks.PollAsync(batch, pageSize, ct), "tasks").ConfigureAwait(false) is not { } polled) continue;
                    foreach (var fresh in polled)
                    {
                        if (!map.TryGetValue(fresh.Id, out var known)) continue;
                        fresh.ServerId ??= known.ServerId;
                        fresh.Name ??= known.Name;
                        if (!fresh.IsFinished) continue;
                        map.Remove(fresh.Id);
                        finished++;
                        var outcome = fresh.IsSuccessful ? DciWaitOutcome.Completed : DciWaitOutcome.Failed;
                        if (outcome == DciWaitOutcome.Failed) failed++;
                        yield return new DciTaskWaitResult(fresh, outcome);
                    }
                }
            }
            Report();
        }

        foreach (var map in pending.Values)
        {
            foreach (var task in map.Values)
                yield return new DciTaskWaitResult(task, DciWaitOutcome.TimedOut) { LastPollError = schedule.LastPollError };
            map.Clear();
        }

        void Report() => progress?.Report(new DciWaitProgress { Total = total, Finished = finished, Failed = failed, Elapsed = schedule.Elapsed });
    }

    /// <summary>
    /// The where filters of one poll round. Tasks started together have consecutive ids, so a dense run is
    /// polled as one range; scattered ids go into OR-lists short enough for any proxy's URL limit.
    /// </summary>
    internal IEnumerable<DciFilter> PollFilters(IEnumerable<long> ids, int pageSize) => _byIds.Batches(ids, pageSize).Select(b => b.Filter);

    /// <summary>One poll request; a server that refuses the range filter is asked with OR-lists from the next round on.</summary>
    private async Task<List<DciTask>> PollAsync(DciIdBatch batch, int pageSize, CancellationToken ct) =>
        await _byIds.TryListAsync(batch, pageSize, ListAsync, ct).ConfigureAwait(false) ?? new List<DciTask>();

    /// <summary>The task an action call started: id from <c>{id, task}</c>, status "created".</summary>
    internal static DciTask FromAction(DciConnection connection, ActionResponse answer, long serverId, string operation, string path)
    {
        if (answer.Task is not { } taskId)
            throw new DciApiException($"POST {path}: the request was accepted but the answer carries no task id; check the server's operation.",
                200, null, "The answer carries no task id.", null, "POST", path);
        return new DciTask
        {
            Id = taskId,
            ConsulId = taskId,
            ServerId = answer.Id ?? serverId,
            Name = operation,
            Status = "created",
            CreatedAt = DateTimeOffset.UtcNow,
            Connection = connection,
            ExtensionData = answer.AdditionalProperties,
        };
    }
}
