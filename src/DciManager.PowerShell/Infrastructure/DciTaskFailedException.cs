using DciManager.Client;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>A DCImanager task that ended with status "fail"; carries the task for the error record.</summary>
public sealed class DciTaskFailedException : Exception
{
    public DciTaskFailedException(DciTask task)
        : base($"Task {task.Id} ({task.Name} on server {task.ServerId}) failed{(ReasonOf(task) is { } reason ? ": " + reason : ".")}")
    {
        Task = task;
        ServerMessage = ReasonOf(task);
    }

    public DciTask Task { get; }

    /// <summary>What DCImanager said about the failure (status_info msg, message or error), if anything.</summary>
    public string? ServerMessage { get; }

    private static string? ReasonOf(DciTask task)
    {
        if (task.StatusInfo is not DciData info) return null;
        foreach (var name in new[] { "msg", "message", "error" })
        {
            if (info.TryGetValue(name, out var text) && text is string message && message.Length > 0)
                return message;
        }
        return null;
    }
}
