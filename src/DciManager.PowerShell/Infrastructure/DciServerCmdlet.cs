using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Base of the cmdlets that act on servers. Servers arrive from the pipeline or -Server as DciServer objects,
/// as objects that name a server (DciTask, DciIpAddress: their ServerId, on their own connection), or as
/// plain ids; -ServerId (alias -Id) takes ids on the command line. Nothing else binds: a user or a pool is
/// never read as a server. Work on several servers runs concurrently up to -ThrottleLimit; results and
/// errors are written on the pipeline thread as each finishes, and one failure never drops the others.
/// </summary>
public abstract class DciServerCmdlet : DciCmdlet
{
    /// <summary>The highest -ThrottleLimit; connections pool as many sockets, so the pool never throttles below it.</summary>
    public const int MaxThrottleLimit = 64;

    protected const string ServerObjectSet = "Server";
    protected const string ServerIdSet = "ServerId";

    [Parameter(ParameterSetName = ServerObjectSet, Mandatory = true, ValueFromPipeline = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [DciServerTransformation]
    public DciServer[] Server { get; set; } = Array.Empty<DciServer>();

    /// <summary>Server ids in their platform's form: numbers (DCImanager, openDCIM) or 24-hex strings (IMCO).</summary>
    [Parameter(ParameterSetName = ServerIdSet, Mandatory = true, Position = 0)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ValidateDciId]
    [ArgumentCompleter(typeof(DciServerIdCompleter))]
    public string[] ServerId { get; set; } = Array.Empty<string>();

    /// <summary>How many servers are worked on at once. 1 runs strictly one after another.</summary>
    [Parameter]
    [ValidateRange(1, MaxThrottleLimit)]
    public int ThrottleLimit { get; set; } = 8;

    protected override int ConcurrencyLimit => ThrottleLimit;

    /// <summary>True when the cmdlet's -Force says to act without asking (-WhatIf still only tells).</summary>
    protected virtual bool SkipConfirmation => false;

    /// <summary>The servers of the current pipeline item (or of -ServerId).</summary>
    private IEnumerable<DciServer> CurrentServers() =>
        ParameterSetName == ServerIdSet ? ServerId.Select(id => DciServer.Reference(id, null)) : Server;

    /// <summary>How confirmations and errors name a server: its id, name and panel.</summary>
    private static string Label(DciServer server, DciConnection connection)
    {
        var name = string.IsNullOrEmpty(server.Name) ? "" : $" ({server.Name})";
        return $"server {server.Key}{name} on {connection.PanelAddress}";
    }

    /// <summary>
    /// Confirms (ShouldProcess, on the pipeline thread) and starts <paramref name="work"/> for each server of
    /// the current pipeline item; <paramref name="onDone"/> later runs on the pipeline thread with the result.
    /// Failures become non-terminating errors that name the server. The work gets the server's number, so it
    /// serves the platforms that number their servers; <see cref="StartForCurrentServerKey"/> serves every platform.
    /// </summary>
    protected void StartForCurrentServer<T>(string action, Func<DciConnection, long, CancellationToken, Task<T>> work, Action<T> onDone) =>
        StartForCurrentServerKey(action, (connection, key, ct) => work(connection, DciIds.ToNumber(key, connection.Platform), ct), onDone);

    /// <summary>As <see cref="StartForCurrentServer{T}"/>, with the server's id in its platform's form (a number as text, or IMCO's hex id).</summary>
    protected void StartForCurrentServerKey<T>(string action, Func<DciConnection, string, CancellationToken, Task<T>> work, Action<T> onDone)
    {
        foreach (var server in CurrentServers())
        {
            if (ConnectionMismatch(server) is { } mismatch)
            {
                WriteError(mismatch);
                continue;
            }
            var connection = ResolveConnection(server);
            // An id of another platform's form is refused before asking and before anything is sent.
            if (PlatformIds(connection, new[] { server.Key }).Count == 0) continue;
            var label = Label(server, connection);
            if (!ConfirmUnlessForced(label, action, SkipConfirmation)) continue;

            // Captured now: by the time the result arrives, the parameters hold a later pipeline item.
            var target = !string.IsNullOrEmpty(server.Name) ? server : server.TextId ?? (object)server.Id;
            var serverKey = server.Key;
            _started++;
            Pump.Start(label,
                Traced(ct => work(connection, serverKey, ct)),
                result => { _finished++; ReportBulkProgress(action); onDone(result); },
                error => { _finished++; ReportBulkProgress(action); WriteEngineError(error, target); });

            if (ThrottleLimit == 1) Pump.Drain(); // strictly sequential: finish this item before taking the next
            else Pump.PumpAvailable();
        }
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

    /// <summary>How long -Wait waits, in seconds (PowerShell's own spelling; -TimeoutSeconds is kept as an alias).</summary>
    [Parameter]
    [Alias("TimeoutSeconds")]
    [ValidateRange(1, 7 * 24 * 3600)]
    public int TimeoutSec { get; set; } = 3600;

    /// <summary>Starts an action that answers with a task (the platforms that number their servers).</summary>
    protected void StartTask(string action, Func<DciConnection, long, CancellationToken, Task<DciTask>> start) =>
        StartTaskOrCloudAction(action, async (connection, serverId, ct) =>
            await start(connection, DciIds.ToNumber(serverId, connection.Platform), ct).ConfigureAwait(false));

    /// <summary>
    /// Starts an action on every platform: DCImanager answers with a task, IMCO with the server itself (its state
    /// moves later), so -Wait follows the task or the server's state (<see cref="CloudGoal"/>).
    /// </summary>
    protected void StartTaskOrCloudAction(string action, Func<DciConnection, string, CancellationToken, Task<DciObject>> start)
    {
        StartForCurrentServerKey(action, start, result =>
        {
            if (result is DciCloudServer cloud) EmitOrKeepCloudServer(cloud, Wait);
            else EmitOrKeepTask((DciTask)result, Wait);
        });
        // Strictly sequential mode waits for each server before the next one.
        if (Wait && ThrottleLimit == 1) WaitForKept();
    }

    /// <summary>The IMCO state an action's -Wait waits for, and how it is named; null where the cmdlet has no IMCO action.</summary>
    protected virtual (Func<DciCloudServer, bool> IsDone, string Name)? CloudGoal => null;

    protected override void EndProcessing()
    {
        base.EndProcessing();
        if (Wait) WaitForKept();
    }

    private void WaitForKept()
    {
        WaitForKeptTasks(TimeSpan.FromSeconds(TimeoutSec));
        if (CloudGoal is { } goal) WaitForKeptCloudServers(goal.IsDone, goal.Name, TimeSpan.FromSeconds(TimeoutSec));
    }
}

/// <summary>
/// Server tasks that take a server down or erase it (power off/reset, diagnostics, disk wipes, OS installs):
/// ConfirmImpact High, so they ask by default, and -Force for runbooks, as Stop-VM and Stop-AzVM do.
/// </summary>
public abstract class DciDisruptiveServerTaskCmdlet : DciServerTaskCmdlet
{
    /// <summary>Act without asking for confirmation (-WhatIf still only tells).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool SkipConfirmation => Force;
}
