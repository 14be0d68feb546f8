using System.Text.Json;
using System.Text.Json.Serialization;
using DciManager.Client.Models;

namespace DciManager.Client;

/// <summary>A long operation (<c>dci/v3/task</c>; also what every action call returns).</summary>
public sealed class DciTask : DciObject, IDciServerLink
{
    [JsonConverter(typeof(RequiredTaskIdConverter))]
    public long Id { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? ConsulId { get; set; }
    /// <summary>The operation, e.g. "power_reset".</summary>
    public string? Name { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? ServerId { get; set; }
    /// <summary>"created", "running", "complete" or "fail" (other strings pass through).</summary>
    public string? Status { get; set; }
    [JsonConverter(typeof(FlexibleDateTimeOffsetConverter))]
    public DateTimeOffset? CreatedAt { get; set; }
    [JsonConverter(typeof(FlexibleDateTimeOffsetConverter))]
    public DateTimeOffset? FinishedAt { get; set; }
    private DciLazyData? _statusInfo;
    [JsonInclude, JsonPropertyName("status_info")]
    internal JsonElement? StatusInfoJson { get => _statusInfo?.Json; set => _statusInfo = new DciLazyData(value); }
    [JsonIgnore]
    public object? StatusInfo { get => _statusInfo?.Value; internal set => _statusInfo = DciLazyData.Of(value); }

    /// <summary>True once the task completed or failed.</summary>
    [JsonIgnore]
    public bool IsFinished => IsSuccessful || IsFailedStatus(Status);

    [JsonIgnore]
    public bool IsSuccessful => string.Equals(Status, "complete", StringComparison.OrdinalIgnoreCase);

    internal static bool IsFailedStatus(string? status) =>
        string.Equals(status, "fail", StringComparison.OrdinalIgnoreCase) || string.Equals(status, "failed", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"Task {Id} {Name} {Status}".TrimEnd();
}

/// <summary>An OS template (<c>dci/v3/os_template</c>, inferred path).</summary>
public sealed class DciOsTemplate : DciObject
{
    public long Id { get; set; }
    public string? Name { get; set; }
    [JsonConverter(typeof(RolesConverter))]
    public List<string>? Tags { get; set; }
    public override string ToString() => Name ?? "";
}

/// <summary>A one-time login key (valid one hour). <see cref="ToString"/> never shows the key.</summary>
public sealed class DciLoginKey : DciObject
{
    public string? Id { get; set; }

    /// <summary>The key itself: a secret for one hour.</summary>
    public string Key { get; set; } = "";

    /// <summary>The browser link that signs the user in: <c>{BaseUri}/auth/key-v4/{key}</c>.</summary>
    [JsonIgnore]
    public Uri? LoginUri => Link ?? (Connection is null ? null : new Uri(Connection.BaseUri, "auth/key-v4/" + Uri.EscapeDataString(Key)));

    /// <summary>The platform's own sign-in link, when it is not DCImanager 6's (DCImanager 5: ?func=auth&amp;username=..&amp;key=..).</summary>
    internal Uri? Link { get; init; }

    public override string ToString() => $"Login key for user {Id}";
}

/// <summary>A long-lived API token. <see cref="ToString"/> never shows the token.</summary>
public sealed class DciApiToken : DciObject
{
    public string? Id { get; set; }
    [JsonIgnore]
    public System.Security.SecureString Token { get; set; } = new();
    public DateTimeOffset? ExpiresAt { get; set; }
    public string? Description { get; set; }
    public override string ToString() => $"API token {Id}" + (ExpiresAt is { } e ? $" (expires {e:yyyy-MM-dd HH:mm:ss}Z)" : "");
}
