using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Concurrency;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Base of every cmdlet: resolves the connection, runs engine calls through one <see cref="DciWorkPump"/>
/// so that verbose/debug lines, progress and results reach the pipeline thread, and maps failures to
/// ErrorRecords in one place. Cmdlets stay thin: bind parameters, call the engine, write objects.
/// </summary>
public abstract class DciEngineCmdlet : PSCmdlet, IDisposable
{
    private DciWorkPump? _pump;
    private IDciTraceSink? _traceSink;

    /// <summary>The connection this invocation targets when none comes with the input object.</summary>
    protected virtual DciConnection? ExplicitConnection => null;

    /// <summary>How many requests may run at once; 1 for cmdlets that work one request at a time.</summary>
    protected virtual int ConcurrencyLimit => 1;

    protected DciWorkPump Pump => _pump ??= new DciWorkPump(ConcurrencyLimit);

    protected override void BeginProcessing()
    {
        _pump = new DciWorkPump(ConcurrencyLimit);
        _traceSink = new PumpTraceSink(this, _pump, DebugWanted(), VerboseLinesAsDebug());
    }

    /// <summary>
    /// -Debug without -Verbose: PowerShell then treats this cmdlet's verbose stream as Inquire, so a
    /// verbose line would prompt ("Continue with this operation?") and fail a non-interactive shell.
    /// Request lines go to the debug stream instead, which -Debug shows anyway.
    /// </summary>
    private bool VerboseLinesAsDebug() => _verboseAsDebug ??=
        MyInvocation.BoundParameters.TryGetValue("Debug", out var debug) && debug is SwitchParameter { IsPresent: true }
        && !MyInvocation.BoundParameters.ContainsKey("Verbose");

    private bool? _verboseAsDebug;

    /// <summary>A verbose line that never prompts (see <see cref="VerboseLinesAsDebug"/>).</summary>
    protected void WriteVerboseLine(string message)
    {
        if (VerboseLinesAsDebug()) WriteDebug(message);
        else WriteVerbose(message);
    }

    /// <summary>-Debug on this call, or $DebugPreference asking for debug output.</summary>
    private bool DebugWanted()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Debug", out var debug)) return debug is SwitchParameter { IsPresent: true };
        return GetVariableValue("DebugPreference") is ActionPreference preference && preference != ActionPreference.SilentlyContinue;
    }

    protected override void EndProcessing()
    {
        FlushQueuedIds();
        Pump.Drain();
    }

    private readonly List<long> _queuedIds = new();
    private Action<long[]>? _lookUpQueuedIds;
    private DciConnection? _queuedConnection;

    /// <summary>
    /// Queues ids (from parameters or pipeline input) for batched lookups: they are fetched with few list
    /// requests once a page of them is queued, and the rest at the end of input. Each result is written in
    /// the order the ids came: the object, or an ObjectNotFound error for an id that does not exist.
    /// </summary>
    /// <summary>
    /// The ids a numbering platform can look up; each id of another platform's form (an IMCO hex id given to
    /// DCImanager) is one InvalidArgument error, written before anything is sent.
    /// </summary>
    protected List<long> NumericIds(DciConnection connection, IEnumerable<string> ids, string what = "server") =>
        PlatformIds(connection, ids, what).Select(id => DciIds.ToNumber(id, connection.Platform, what)).ToList();

    /// <summary>The ids in the form <paramref name="connection"/>'s platform uses; one InvalidArgument error for each other one.</summary>
    protected List<string> PlatformIds(DciConnection connection, IEnumerable<string> ids, string what = "server")
    {
        var valid = new List<string>();
        foreach (var id in ids)
        {
            if (DciIds.Problem(id, connection.Platform, what) is { } problem)
                WriteError(new ErrorRecord(new ArgumentException(problem), "Dci.InvalidId", ErrorCategory.InvalidArgument, id));
            else valid.Add(id.Trim());
        }
        return valid;
    }

    protected void LookUpIds<T>(DciConnection connection, IEnumerable<long> ids,
        Func<IReadOnlyList<long>, CancellationToken, IAsyncEnumerable<DciLookupResult<T>>> lookup) where T : class
    {
        // Ids queued for another connection (objects piped from several panels) are looked up there first.
        if (!ReferenceEquals(_queuedConnection, connection)) FlushQueuedIds();
        _queuedConnection = connection;
        _lookUpQueuedIds = batch => WriteLookups(batch, lookup);
        var batchSize = Math.Max(1, connection.Options.PageSize);
        foreach (var id in ids)
        {
            _queuedIds.Add(id);
            if (_queuedIds.Count >= batchSize) FlushQueuedIds();
        }
    }

    private void FlushQueuedIds()
    {
        if (_queuedIds.Count == 0 || _lookUpQueuedIds is null) return;
        var batch = _queuedIds.ToArray();
        _queuedIds.Clear();
        _lookUpQueuedIds(batch);
    }

    private void WriteLookups<T>(long[] ids, Func<IReadOnlyList<long>, CancellationToken, IAsyncEnumerable<DciLookupResult<T>>> lookup)
        where T : class => WriteKeyedLookups(ct => lookup(ids, ct), ids);

    /// <summary>
    /// Writes what an id lookup found and one error per id it did not find, naming the id as it was asked (a number, or
    /// IMCO's hex id); a refused list request is one error naming <paramref name="target"/>: none of those ids could be looked up.
    /// </summary>
    protected void WriteKeyedLookups<T>(Func<CancellationToken, IAsyncEnumerable<DciLookupResult<T>>> lookup, object target) where T : class
    {
        try
        {
            foreach (var result in Pump.Enumerate(ct => TracedEnumerable(lookup, ct)))
            {
                if (result.Item is { } item) WriteObject(item);
                else WriteEngineError(result.Error!, result.Id > 0 ? result.Id : result.Key);
            }
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, target);
        }
    }

    protected override void StopProcessing() => _pump?.Cancel();

    /// <summary>
    /// The connection the input object came from, else -Connection, else the runspace's default. An object
    /// piped with a -Connection that is not its own is refused: the same id on another panel is another server.
    /// </summary>
    protected DciConnection ResolveConnection(DciObject? source = null)
    {
        if (ConnectionMismatch(source) is { } mismatch) ThrowTerminatingError(mismatch);
        var connection = source?.Connection ?? ExplicitConnection ?? DciConnectionStore.Current.Default;
        if (connection is null) ThrowTerminatingError(DciErrors.NotConnected());
        if (!connection!.IsOpen)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"The connection {connection} is closed. Run Connect-Dci again."),
                "Dci.ConnectionClosed", ErrorCategory.ConnectionError, connection));
        }
        RequirePlatform(connection, MyInvocation.MyCommand?.Name ?? GetType().Name, DciPlatformsAttribute.For(GetType()));
        return connection;
    }

    /// <summary>One Dci.NotSupported error (NotImplemented), before anything is sent, when the connection's platform is not among <paramref name="platforms"/>.</summary>
    protected void RequirePlatform(DciConnection connection, string operation, IReadOnlyList<DciPlatform>? platforms = null)
    {
        platforms ??= new[] { DciPlatform.DCImanager6 };
        if (platforms.Contains(connection.Platform)) return;
        ThrowTerminatingError(DciErrors.NotSupported(new DciNotSupportedException(connection.Platform, operation), connection));
    }

    /// <summary>The error for an object whose own connection differs from -Connection, or null when they agree.</summary>
    protected ErrorRecord? ConnectionMismatch(DciObject? source)
    {
        if (ExplicitConnection is not { } chosen || source?.Connection is not { } own || ReferenceEquals(chosen, own)) return null;
        return new ErrorRecord(
            new InvalidOperationException(
                $"'{source}' ({source.GetType().Name}) came from {own}, but -Connection names {chosen}. Leave out -Connection " +
                "(every object goes back to the panel it came from), or get the object from that connection."),
            "Dci.ConnectionMismatch", ErrorCategory.InvalidArgument, source);
    }

    /// <summary>Wraps engine work so its trace lines reach this cmdlet's verbose and debug streams.</summary>
    protected Func<CancellationToken, Task<T>> Traced<T>(Func<CancellationToken, Task<T>> work)
    {
        var sink = _traceSink;
        return async ct =>
        {
            using var scope = sink is null ? null : DciTrace.Push(sink);
            return await work(ct).ConfigureAwait(false);
        };
    }

    /// <summary>Runs one engine call to completion on behalf of the pipeline thread.</summary>
    protected T Call<T>(Func<CancellationToken, Task<T>> work) => Pump.Run(Traced(work));

    protected void Call(Func<CancellationToken, Task> work) =>
        Pump.Run(Traced<bool>(async ct => { await work(ct).ConfigureAwait(false); return true; }));

    /// <summary>
    /// Streams a list to the pipeline page by page: each object is written as soon as its page arrives, and
    /// a downstream stop (Select-Object -First) ends the enumeration before the next page is requested.
    /// </summary>
    protected void WriteStream<T>(Func<CancellationToken, IAsyncEnumerable<T>> list, Func<T, bool>? keep = null)
    {
        try
        {
            foreach (var item in Pump.Enumerate(ct => TracedEnumerable(list, ct)))
            {
                if (keep is null || keep(item)) WriteObject(item);
            }
        }
        finally
        {
            if (_traceSink is PumpTraceSink { ShowedListProgress: true } sink)
            {
                sink.ShowedListProgress = false;
                // A downstream Select-Object -First stops us mid-list; the bar goes with the pipeline then.
                try { WriteProgress(new ProgressRecord(ListProgressId, "Listing", "Done") { RecordType = ProgressRecordType.Completed }); }
                catch (PipelineStoppedException) { }
            }
        }
    }

    private const int ListProgressId = 2;

    /// <summary>
    /// A list cmdlet's whole output: <see cref="WriteStream"/>, with a refused list (a bad filter, no
    /// permission) as a terminating error, since none of its objects can follow.
    /// </summary>
    protected void WriteList<T>(Func<CancellationToken, IAsyncEnumerable<T>> list, Func<T, bool>? keep = null, object? target = null)
    {
        try
        {
            WriteStream(list, keep);
        }
        catch (DciException ex)
        {
            ThrowTerminatingError(DciErrors.FromException(ex, target));
        }
    }

    protected async IAsyncEnumerable<T> TracedEnumerable<T>(Func<CancellationToken, IAsyncEnumerable<T>> list,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        // The enumerator is advanced from pool threads; the sink is pushed around each step.
        var sink = _traceSink;
        await using var enumerator = list(ct).GetAsyncEnumerator(ct);
        while (true)
        {
            bool moved;
            using (sink is null ? null : DciTrace.Push(sink))
            {
                moved = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }
            if (!moved) yield break;
            yield return enumerator.Current;
        }
    }

    private readonly List<DciTask> _tasksToWaitFor = new();

    /// <summary>Emits a task an action started, or keeps it for <see cref="WaitForKeptTasks"/> when the caller waits.</summary>
    protected void EmitOrKeepTask(DciTask task, bool wait)
    {
        if (wait) _tasksToWaitFor.Add(task);
        else WriteObject(task);
    }

    /// <summary>Waits for every kept task (see <see cref="WaitForTasks"/>) and forgets them.</summary>
    protected void WaitForKeptTasks(TimeSpan timeout)
    {
        var tasks = _tasksToWaitFor.ToArray();
        _tasksToWaitFor.Clear();
        WaitForTasks(tasks, timeout);
    }

    /// <summary>
    /// Waits for tasks with batched polling (one list request per poll for a page of tasks), showing
    /// progress, and writes each task as it finishes: completed ones as output, failed and timed-out ones
    /// as errors naming the task and its server.
    /// </summary>
    protected void WaitForTasks(IReadOnlyCollection<DciTask> tasks, TimeSpan timeout)
    {
        if (tasks.Count == 0) return;
        const int progressId = 1;
        var progress = new PumpProgress<DciWaitProgress>(Pump, p =>
        {
            var record = new ProgressRecord(progressId, "Waiting for DCImanager tasks",
                $"{p.Finished} of {p.Total} finished, {p.Failed} failed ({p.Elapsed:hh\\:mm\\:ss})")
            {
                PercentComplete = p.Total == 0 ? 100 : (int)(100L * p.Finished / p.Total),
            };
            WriteProgress(record);
        });
        var options = new DciWaitOptions { Timeout = timeout };

        // The engine polls each connection's tasks in batches of its own; a task without one uses this one.
        var engine = tasks.First().Connection ?? ResolveConnection();
        foreach (var result in Pump.Enumerate(ct => TracedEnumerable(c => engine.Tasks.WaitAsync(tasks, options, progress, c), ct)))
        {
            switch (result.Outcome)
            {
                case DciWaitOutcome.Completed:
                    WriteObject(result.Task);
                    break;
                case DciWaitOutcome.Failed:
                    var failure = new DciTaskFailedException(result.Task);
                    WriteError(new ErrorRecord(failure, "Dci.TaskFailed", ErrorCategory.InvalidResult, result.Task)
                    {
                        // As for every other error: DCImanager's own words, where the task carries them.
                        ErrorDetails = new ErrorDetails(failure.ServerMessage ?? failure.Message),
                    });
                    break;
                case DciWaitOutcome.TimedOut when result.LastPollError is { } pollError:
                    // The panel could not be polled until the end: name the task, map the cause like any other call,
                    // and emit the task so the runbook can wait for it again once the panel is back.
                    var record = DciErrors.FromException(pollError, result.Task);
                    record.ErrorDetails = new ErrorDetails(
                        $"Task {result.Task.Id} ({result.Task.Name} on server {result.Task.ServerId}) could not be checked within {timeout}: {pollError.Message}")
                    {
                        RecommendedAction = $"Wait for it again with Wait-DciTask -Id {result.Task.Id} once the panel answers.",
                    };
                    WriteError(record);
                    WriteObject(result.Task);
                    break;
                default:
                    WriteError(new ErrorRecord(
                        new TimeoutException($"Task {result.Task.Id} ({result.Task.Name} on server {result.Task.ServerId}) did not finish within {timeout}; its last status was '{result.Task.Status}'."),
                        "Dci.TaskTimeout", ErrorCategory.OperationTimeout, result.Task));
                    break;
            }
        }
        WriteProgress(new ProgressRecord(progressId, "Waiting for DCImanager tasks", "Done") { RecordType = ProgressRecordType.Completed });
    }

    private readonly List<DciCloudServer> _cloudServersToWaitFor = new();

    /// <summary>Emits a server an IMCO action answered with, or keeps it for <see cref="WaitForKeptCloudServers"/>.</summary>
    protected void EmitOrKeepCloudServer(DciCloudServer server, bool wait)
    {
        if (wait) _cloudServersToWaitFor.Add(server);
        else WriteObject(server);
    }

    /// <summary>Waits for every kept IMCO server to reach <paramref name="goal"/> (see <see cref="WaitForCloudServers"/>) and forgets them.</summary>
    protected void WaitForKeptCloudServers(Func<DciCloudServer, bool> isDone, string goal, TimeSpan timeout)
    {
        var servers = _cloudServersToWaitFor.Select(s => (s.Connection ?? ResolveConnection(), s.Id)).ToArray();
        _cloudServersToWaitFor.Clear();
        WaitForCloudServers(servers, $"Waiting for IMCO servers to be {goal}", isDone, StalledBecause, timeout);
    }

    /// <summary>A stalled server ended its transition without reaching it; it stays stalled until overridden or decommissioned.</summary>
    protected static string? StalledBecause(DciCloudServer server) =>
        server.State is "stalled" or "commission_stalled" ? "stalled" : null;

    /// <summary>
    /// Waits for IMCO servers (IMCO has no tasks: its actions answer at once and the state moves later) with the engine's
    /// one state wait: one server list per poll and connection, the same progress bar as task waits, and each server
    /// written as it reaches its end: done ones as output (unless <paramref name="writeDone"/> is false), stalled ones as
    /// Dci.ServerStateFailed errors naming the state, vanished ones as the engine's error, and ones still moving at the
    /// timeout as Dci.WaitTimeout errors that say their outcome is unknown.
    /// </summary>
    protected void WaitForCloudServers(IReadOnlyCollection<(DciConnection Connection, string Id)> servers, string activity,
        Func<DciCloudServer, bool> isDone, Func<DciCloudServer, string?> failedBecause, TimeSpan timeout, bool goneIsDone = false, bool writeDone = true)
    {
        if (servers.Count == 0) return;
        const int progressId = 1;
        foreach (var group in servers.GroupBy(s => s.Connection))
        {
            var ids = group.Select(s => s.Id).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            var started = DateTime.UtcNow;
            var progress = new PumpProgress<(int Finished, int Total)>(Pump, p => WriteProgress(new ProgressRecord(progressId, activity,
                $"{p.Finished} of {p.Total} finished ({DateTime.UtcNow - started:hh\\:mm\\:ss})")
            {
                PercentComplete = p.Total == 0 ? 100 : (int)(100L * p.Finished / p.Total),
            }));
            try
            {
                foreach (var result in Pump.Enumerate(ct => TracedEnumerable(c => group.Key.Imco!.WaitForServersAsync(ids, isDone, failedBecause,
                             timeout, (finished, total) => progress.Report((finished, total)), goneIsDone, c), ct)))
                {
                    object target = result.Server ?? (object)result.Id;
                    switch (result.Outcome)
                    {
                        case DciWaitOutcome.Completed:
                            if (writeDone && result.Server is { } done) WriteObject(done);
                            break;
                        case DciWaitOutcome.TimedOut:
                            WriteError(new ErrorRecord(new TimeoutException(result.Error?.Message ?? $"Server {result.Id} did not finish within {timeout}; its outcome is unknown."),
                                "Dci.WaitTimeout", ErrorCategory.OperationTimeout, target));
                            break;
                        case DciWaitOutcome.Failed when result.Error is DciApiException { Kind: DciErrorKind.InvalidState } stalled:
                            // As a failed task is Dci.TaskFailed: the operation ran and ended badly.
                            WriteError(new ErrorRecord(stalled, "Dci.ServerStateFailed", ErrorCategory.InvalidResult, target)
                            {
                                ErrorDetails = new ErrorDetails(stalled.Message),
                            });
                            break;
                        default:
                            WriteEngineError(result.Error ?? new DciException($"Server {result.Id} did not finish."), target);
                            break;
                    }
                }
            }
            catch (DciException ex)
            {
                WriteEngineError(ex, ids);
            }
        }
        WriteProgress(new ProgressRecord(progressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>ShouldProcess, unless <paramref name="force"/> says to go ahead; -WhatIf always only tells (and sends nothing).</summary>
    protected bool ConfirmUnlessForced(string target, string action, bool force) =>
        (force && !WhatIfRequested()) || ShouldProcess(target, action);

    private bool WhatIfRequested()
    {
        if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)) return whatIf is SwitchParameter { IsPresent: true };
        return GetVariableValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true;
    }

    /// <summary>Writes a non-terminating error for a failed item; the pipeline goes on with the next one.</summary>
    protected void WriteEngineError(Exception exception, object? target) =>
        WriteError(DciErrors.FromException(exception, target));

    /// <summary>A parameter problem found before any request was sent.</summary>
    protected void ThrowParameterError(string message, string parameterName, object? value) =>
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message, parameterName),
            "Dci.InvalidParameter", ErrorCategory.InvalidArgument, value));

    public void Dispose()
    {
        _pump?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Reports engine progress on the pipeline thread.</summary>
    protected sealed class PumpProgress<T> : IProgress<T>
    {
        private readonly DciWorkPump _pump;
        private readonly Action<T> _report;

        public PumpProgress(DciWorkPump pump, Action<T> report)
        {
            _pump = pump;
            _report = report;
        }

        public void Report(T value) => _pump.Post(() => _report(value));
    }

    /// <summary>Hands engine trace lines and list progress to the pipeline thread, which alone may write them.</summary>
    private sealed class PumpTraceSink : IDciTraceSink
    {
        private readonly Cmdlet _cmdlet;
        private readonly DciWorkPump _pump;

        private readonly bool _verboseAsDebug;

        public PumpTraceSink(Cmdlet cmdlet, DciWorkPump pump, bool wantsDebug, bool verboseAsDebug)
        {
            _cmdlet = cmdlet;
            _pump = pump;
            WantsDebug = wantsDebug;
            _verboseAsDebug = verboseAsDebug;
        }

        public bool WantsDebug { get; }

        /// <summary>Set on the pipeline thread once a list longer than one page has shown progress.</summary>
        public bool ShowedListProgress { get; set; }

        public void Verbose(string message) =>
            _pump.Post(() => { if (_verboseAsDebug) _cmdlet.WriteDebug(message); else _cmdlet.WriteVerbose(message); });

        public void Debug(string message) => _pump.Post(() => _cmdlet.WriteDebug(message));

        public void ListProgress(string path, long received, long? total)
        {
            // A list that fits in one page finishes before a progress bar would help.
            if (total is not { } all || received >= all && !ShowedListProgress) return;
            _pump.Post(() =>
            {
                ShowedListProgress = true;
                _cmdlet.WriteProgress(new ProgressRecord(ListProgressId, $"Listing {path}", $"{received} of {all}")
                {
                    PercentComplete = all == 0 ? 100 : (int)Math.Min(100, 100 * received / all),
                });
            });
        }
    }
}

/// <summary>Base of every cmdlet that talks to a DCImanager: adds -Connection.</summary>
public abstract class DciCmdlet : DciEngineCmdlet
{
    /// <summary>The DCImanager connection to use; defaults to the object's own connection, then to the runspace's default.</summary>
    [Parameter]
    [ValidateNotNull]
    public DciConnection? Connection { get; set; }

    protected override DciConnection? ExplicitConnection => Connection;
}
