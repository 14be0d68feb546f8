using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Completers;

namespace DciManager.Commands;

/// <summary>
/// Base of the cmdlets that act on servers. Servers arrive as DciServer objects (-Server, from the
/// pipeline) or as ids (-ServerId, alias -Id, bound by property name, so DciTask and DciIpAddress objects
/// pipe in by their ServerId). Work on several servers runs concurrently up to -ThrottleLimit; results and
/// errors are written on the pipeline thread as each finishes, and one failure never drops the others.
/// </summary>
public abstract class DciServerCmdlet : DciCmdlet
{
    /// <summary>The highest -ThrottleLimit; connections pool as many sockets, so the pool never throttles below it.</summary>
    public const int MaxThrottleLimit = 64;

    protected const string ServerObjectSet = "Server";
    protected const string ServerIdSet = "ServerId";

    [Parameter(ParameterSetName = ServerObjectSet, Mandatory = true, ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    public DciServer? Server { get; set; }

    [Parameter(ParameterSetName = ServerIdSet, Mandatory = true, ValueFromPipelineByPropertyName = true, Position = 0)]
    [Alias("Id")]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(DciServerIdCompleter))]
    public long ServerId { get; set; }

    /// <summary>How many servers are worked on at once. 1 runs strictly one after another.</summary>
    [Parameter]
    [ValidateRange(1, MaxThrottleLimit)]
    public int ThrottleLimit { get; set; } = 8;

    protected override int ConcurrencyLimit => ThrottleLimit;

    /// <summary>The connection and id of the current pipeline item, and a label for messages.</summary>
    protected (DciConnection Connection, long ServerId, string Label) CurrentTarget()
    {
        if (Server is not null)
        {
            var label = string.IsNullOrEmpty(Server.Name) ? $"server {Server.Id}" : $"server {Server.Id} ({Server.Name})";
            return (ResolveConnection(Server), Server.Id, label);
        }
        return (ResolveConnection(), ServerId, $"server {ServerId}");
    }

    /// <summary>
    /// Confirms (ShouldProcess, on the pipeline thread) and starts <paramref name="work"/> for the current
    /// server; <paramref name="onDone"/> later runs on the pipeline thread with the result. Failures become
    /// non-terminating errors that name the server.
    /// </summary>
    protected void StartForCurrentServer<T>(string action, Func<DciConnection, long, CancellationToken, Task<T>> work, Action<T> onDone)
    {
        var (connection, serverId, label) = CurrentTarget();
        if (!ShouldProcess(label, action)) return;

        // Captured now: by the time the result arrives, the parameters hold a later pipeline item.
        var target = (object?)Server ?? serverId;
        _started++;
        Pump.Start(label,
            Traced(ct => work(connection, serverId, ct)),
            result => { _finished++; ReportBulkProgress(action); onDone(result); },
            error => { _finished++; ReportBulkProgress(action); WriteEngineError(error, target); });

        if (ThrottleLimit == 1) Pump.Drain(); // strictly sequential: finish this item before taking the next
        else Pump.PumpAvailable();
    }

    private int _started;
    private int _finished;
    private long _lastProgressTicks;

    /// <summary>
    /// Progress of bulk work (the pipeline's length is unknown, so no percentage); at most a few updates a
    /// second, and only once there is more than one server.
    /// </summary>
    private void ReportBulkProgress(string action)
    {
        var now = Environment.TickCount64;
        var done = _finished == _started && Pump.Pending == 0;
        if (_started < 2 || (!done && now - _lastProgressTicks < 250)) return;
        _lastProgressTicks = now;
        WriteProgress(new ProgressRecord(BulkProgressId, action, $"{_finished} of {_started} servers done, {Pump.Pending} running")
        {
            RecordType = done ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        });
    }

    private const int BulkProgressId = 3;

    protected override void StopProcessing()
    {
        var unfinished = Pump.InFlight;
        base.StopProcessing();
        if (unfinished.Count == 0) return;
        try
        {
            Host.UI.WriteWarningLine(
                $"Stopped. {unfinished.Count} request(s) were in flight and their outcome is unknown: {string.Join(", ", unfinished)}. " +
                "Check these servers before repeating the command.");
        }
        catch (Exception)
        {
            // The host may refuse writes while the pipeline stops; the report is best effort.
        }
    }
}

/// <summary>Server actions that start a DCImanager task: emit the task, or with -Wait the finished task.</summary>
public abstract class DciServerTaskCmdlet : DciServerCmdlet
{
    /// <summary>Wait for the started task to finish and emit it finished (failed ones become errors).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>How long -Wait waits, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 7 * 24 * 3600)]
    public int TimeoutSeconds { get; set; } = 3600;

    protected void StartTask(string action, Func<DciConnection, long, CancellationToken, Task<DciTask>> start)
    {
        StartForCurrentServer(action, start, task => EmitOrKeepTask(task, Wait));

        // Strictly sequential mode waits for each task before the next server.
        if (Wait && ThrottleLimit == 1 && KeptTaskCount > 0) WaitForKeptTasks(TimeSpan.FromSeconds(TimeoutSeconds));
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        if (Wait) WaitForKeptTasks(TimeSpan.FromSeconds(TimeoutSeconds));
    }
}
