using System.Text.Json;
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
        if (task.StatusInfo is not { ValueKind: JsonValueKind.Object } info) return ".";
        foreach (var name in new[] { "msg", "message", "error" })
        {
            if (info.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String)
                return ": " + text.GetString();
        }
        return ".";
    }
}
