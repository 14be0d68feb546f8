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
    [ValidateRange(1, 7 * 24 * 3600)]
    public int Timeout { get; set; } = 3600;

    protected override void ProcessRecord()
    {
        var tasks = ParameterSetName == "Task"
            ? Task
            : Id.Select(id => new DciTask { Id = id, Connection = ById(ResolveConnection()) });
        foreach (var task in tasks) EmitOrKeepTask(task, wait: true);
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
        WaitForKeptTasks(TimeSpan.FromSeconds(Timeout));
    }
}
