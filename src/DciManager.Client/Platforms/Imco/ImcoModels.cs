using System.Text.Json.Serialization;

namespace DciManager.Client;

/// <summary>
/// An IMCO cloud server (element of <c>cloud/servers</c>, other-seed-apis.md 3.5). <see cref="State"/> is IMCO's own;
/// <see cref="PowerStatus"/> reads it the way DCImanager does ("on"/"off"), so one pipeline filters both.
/// </summary>
public sealed class DciCloudServer : DciObject
{
    /// <summary>The 24-hex id.</summary>
    public string Id { get; set; } = "";
    public string? Name { get; set; }
    public string? Fqdn { get; set; }

    /// <summary>commissioning, inactive, booting, bootstrapping, operational, stalled, shutting_down, decommissioning, commission_stalled.</summary>
    public string? State { get; set; }

    /// <summary>
    /// "on" while the machine runs or is starting (booting, bootstrapping, operational, shutting_down: still running until
    /// it is down), "off" when it does not (commissioning, inactive, decommissioning, commission_stalled), "unknown" for
    /// stalled (a failed transition: the machine may be either) and for any state IMCO adds later.
    /// </summary>
    [JsonIgnore]
    public string PowerStatus => PowerStatusOf(State);

    public string? PublicIp { get; set; }
    public string? PrivateIp { get; set; }
    public string? TemplateId { get; set; }
    public string? ServerPlanId { get; set; }
    public string? CloudAccountId { get; set; }
    public string? FirewallProfileId { get; set; }

    /// <summary>The first of <see cref="SshProfileIds"/> (deprecated from IMCO 9).</summary>
    public string? SshProfileId { get; set; }
    public string[]? SshProfileIds { get; set; }
    public string? ServerArrayId { get; set; }
    public string? SubnetId { get; set; }
    public string? VpcId { get; set; }
    public bool? Privateness { get; set; }

    /// <summary>M1, M1-M2, M2, M2-M3, Overriden, Certified, Pure.</summary>
    public string? BrownfieldState { get; set; }
    public string? ResourceType { get; set; }
    public string[]? LabelIds { get; set; }

    internal static string PowerStatusOf(string? state) => state switch
    {
        "booting" or "bootstrapping" or "operational" or "shutting_down" => "on",
        "commissioning" or "inactive" or "decommissioning" or "commission_stalled" => "off",
        _ => "unknown",
    };

    public override string ToString() => Name ?? Id;
}

/// <summary>What <c>POST cloud/servers</c> (commission) takes.</summary>
public sealed class ImcoNewServer
{
    public required string Name { get; init; }
    public required string TemplateId { get; init; }
    public required string ServerPlanId { get; init; }
    public required string CloudAccountId { get; init; }
    public string? SshProfileId { get; init; }
    public IReadOnlyList<string>? SshProfileIds { get; init; }
    public string? FirewallProfileId { get; init; }
    public IReadOnlyList<string>? LabelIds { get; init; }
}

/// <summary>How one server of <see cref="Platforms.Imco.ImcoClient.WaitForServersAsync(IReadOnlyCollection{string}, Func{DciCloudServer, bool}, Func{DciCloudServer, string?}, TimeSpan, Action{int, int}?, CancellationToken)"/> ended.</summary>
public sealed class ImcoServerWaitResult
{
    internal ImcoServerWaitResult(string id, DciCloudServer? server, DciWaitOutcome outcome, DciException? error, bool gone = false)
    {
        Id = id;
        Server = server;
        Outcome = outcome;
        Error = error;
        Gone = gone;
    }

    public string Id { get; }

    /// <summary>The server as last seen (null when it was never seen, or is gone).</summary>
    public DciCloudServer? Server { get; }
    public DciWaitOutcome Outcome { get; }

    /// <summary>Why it failed (a state such as stalled) or timed out (outcome unknown); null when it completed.</summary>
    public DciException? Error { get; }

    /// <summary>The server is no longer listed (a decommission finished).</summary>
    public bool Gone { get; }
    public bool IsSuccessful => Outcome == DciWaitOutcome.Completed;
    public override string ToString() => $"{Server?.Name ?? Id} → {Outcome}";
}
