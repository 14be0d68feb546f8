using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;

namespace DciManager.Commands;

/// <summary>Lists DCImanager tasks (operations), newest first.</summary>
[Cmdlet(VerbsCommon.Get, "DciTask", DefaultParameterSetName = "List")]
[OutputType(typeof(DciTask))]
public sealed class GetDciTaskCommand : DciCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "Id", Position = 0)]
    [Alias("TaskId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    /// <summary>Only the tasks of this server (DciServer objects bind by their Id through -Server).</summary>
    [Parameter(ParameterSetName = "List", ValueFromPipeline = true)]
    [ValidateNotNull]
    public DciServer? Server { get; set; }

    [Parameter(ParameterSetName = "List")]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(DciServerIdCompleter))]
    public long ServerId { get; set; }

    /// <summary>created, running, complete or fail.</summary>
    [Parameter(ParameterSetName = "List")]
    [ValidateSet("created", "running", "complete", "fail")]
    public string? Status { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection(Server);
        if (ParameterSetName == "Id")
        {
            LookUpIds<DciTask>(connection, Id, connection.Tasks.GetManyAsync);
            return;
        }
        var serverId = Server?.Id ?? (ServerId > 0 ? ServerId : (long?)null);
        var query = new DciListQuery
        {
            ServerId = serverId,
            State = Status is null ? null : DciNamePattern.Exactly(Status),
            Sort = new[] { new DciSortKey(nameof(DciTask.Id), Descending: true) },
        };
        WriteList(ct => connection.Tasks.ListAsync(query, ct));
    }
}
