using System.Management.Automation;
using DciManager.Client;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Waits for tasks to finish, polling all of them together in batches, with a progress bar. Emits each
/// task as it completes; a failed or timed-out task becomes an error record and the others go on.
/// </summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsLifecycle.Wait, "DciTask", DefaultParameterSetName = "Task")]
[OutputType(typeof(DciTask))]
public sealed class WaitDciTaskCommand : DciCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "Task", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    public DciTask[] Task { get; set; } = Array.Empty<DciTask>();

    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [Alias("TaskId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    /// <summary>Seconds to wait before the unfinished tasks are reported as timed out (default one hour).</summary>
    [Parameter]
    [Alias("Timeout")]
    [ValidateRange(1, 7 * 24 * 3600)]
    public int TimeoutSec { get; set; } = 3600;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Task")
        {
            foreach (var task in Task) EmitOrKeepTask(task, wait: true);
            return;
        }
        // Ids are looked up first (few list requests): an id the panel says it does not have is an ObjectNotFound
        // error at once, not a timeout an hour later. A lookup that cannot reach the panel leaves the ids to the
        // wait, which rides out an outage until its timeout.
        var connection = ById(ResolveConnection());
        var answered = new HashSet<long>();
        try
        {
            foreach (var result in Pump.Enumerate(ct => TracedEnumerable(c => connection.Tasks.GetManyAsync(Id, c), ct)))
            {
                answered.Add(result.Id);
                if (result.Item is { } found) EmitOrKeepTask(found, wait: true);
                else WriteEngineError(result.Error!, result.Id);
            }
        }
        catch (DciException ex)
        {
            WriteVerboseLine($"The tasks could not be looked up ({ex.Message}); waiting for them all the same.");
            foreach (var id in Id.Where(id => !answered.Contains(id)))
                EmitOrKeepTask(new DciTask { Id = id, Connection = connection }, wait: true);
        }
    }

    /// <summary>DCImanager 5 has no task ids: its operations are waited on as the actions emitted them.</summary>
    private DciConnection ById(DciConnection connection)
    {
        RequirePlatform(connection, "Wait-DciTask -Id");
        return connection;
    }

    // The engine's wait skips a task it already has (same connection and id), so duplicates cost nothing.
    protected override void EndProcessing()
    {
        base.EndProcessing();
        WaitForKeptTasks(TimeSpan.FromSeconds(TimeoutSec));
    }
}
