using DciManager.Client;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>A DCImanager task that ended with status "fail"; carries the task for the error record.</summary>
public sealed class DciTaskFailedException : Exception
{
    public DciTaskFailedException(DciTask task)
        : base($"Task {task.Id} ({task.Name} on server {task.ServerId}) failed{Reason(task)}")
    {
        Task = task;
    }

    public DciTask Task { get; }

    private static string Reason(DciTask task)
    {
        if (task.StatusInfo is not DciData info) return ".";
        foreach (var name in new[] { "msg", "message", "error" })
        {
            if (info.TryGetValue(name, out var text) && text is string message)
                return ": " + message;
        }
        return ".";
    }
}
