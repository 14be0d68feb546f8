using System.Text.Json;
using System.Text.Json.Serialization;
using DciManager.Client.Models;

namespace DciManager.Client;

// IMCO's resources besides servers (other-seed-apis.md 3.6), as the module emits them: ids are 24-hex strings, wire keys
// snake_case; fields these types do not model stay in AdditionalProperties.

/// <summary>An IMCO blueprint template (<c>blueprint/templates</c>): what a server is built from.</summary>
public sealed class DciCloudTemplate : DciObject, IImcoResource
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? GenericImageId { get; set; }
    public string? State { get; set; }
    public string[]? RunList { get; set; }
    private DciLazyData? _configurationAttributes;
    [JsonInclude, JsonPropertyName("configuration_attributes")]
    internal JsonElement? ConfigurationAttributesJson { get => _configurationAttributes?.Json; set => _configurationAttributes = new DciLazyData(value); }
    [JsonIgnore]
    public object? ConfigurationAttributes => _configurationAttributes?.Value;
    private DciLazyData? _cookbookVersions;
    [JsonInclude, JsonPropertyName("cookbook_versions")]
    internal JsonElement? CookbookVersionsJson { get => _cookbookVersions?.Json; set => _cookbookVersions = new DciLazyData(value); }
    /// <summary>Cookbook name → {version, version_id}.</summary>
    [JsonIgnore]
    public object? CookbookVersions => _cookbookVersions?.Value;
    public string? ResourceType { get; set; }
    public string[]? LabelIds { get; set; }
    public override string ToString() => Name ?? Id ?? "";
}

/// <summary>
/// An IMCO SSH profile (<c>cloud/ssh_profiles</c>). IMCO may store a private key with a profile; the module never keeps it
/// (it is read from the wire into nothing), so no output, ToString, ConvertTo-Json or AdditionalProperties can show it:
/// <see cref="HasPrivateKey"/> says only whether one is stored.
/// </summary>
public sealed class DciSshProfile : DciObject, IImcoResource
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? PublicKey { get; set; }
    /// <summary>True when IMCO stores a private key with this profile (the key itself is dropped as it is read).</summary>
    [JsonIgnore]
    public bool HasPrivateKey { get; private set; }
    // Modelled (not left to AdditionalProperties) so the secret is discarded on the way in; never written back.
    [JsonInclude, JsonPropertyName("private_key")]
    internal string? PrivateKeyOnWire { get => null; set => HasPrivateKey = !string.IsNullOrEmpty(value); }
    public string? ResourceType { get; set; }
    public string[]? LabelIds { get; set; }
    public override string ToString() => Name ?? Id ?? "";
}

/// <summary>An IMCO cloud account (<c>settings/cloud_accounts</c>): a subscription with one cloud provider.</summary>
public sealed class DciCloudAccount : DciObject, IImcoResource
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? SubscriptionId { get; set; }
    public string? RemoteId { get; set; }
    public string? CloudProviderId { get; set; }
    public string? State { get; set; }
    public string? ErrorEventId { get; set; }
    public string? ResourceType { get; set; }
    public override string ToString() => Name ?? Id ?? "";
}

/// <summary>An IMCO cloud provider (<c>cloud/cloud_providers</c>).</summary>
public sealed class DciCloudProvider : DciObject, IImcoResource
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public override string ToString() => Name ?? Id ?? "";
}

/// <summary>An IMCO server plan (<c>cloud/cloud_providers/{id}/server_plans</c>): a size of server in one realm.</summary>
public sealed class DciServerPlan : DciObject, IImcoResource
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    /// <summary>Memory in MB.</summary>
    public long? Memory { get; set; }
    public double? Cpus { get; set; }
    /// <summary>Storage in GB.</summary>
    public long? Storage { get; set; }
    public string? LocationId { get; set; }
    public string? RealmId { get; set; }
    public string? RealmProviderName { get; set; }
    public string? FlavourProviderName { get; set; }
    public string? CloudProviderId { get; set; }
    public string? ResourceType { get; set; }
    public override string ToString() => Name ?? Id ?? "";
}

/// <summary>An IMCO firewall profile (<c>network/firewall_profiles</c>).</summary>
public sealed class DciFirewallProfile : DciObject, IImcoResource
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    /// <summary>The profile a server gets when none is named (wire key <c>default</c>).</summary>
    [JsonPropertyName("default")]
    public bool? IsDefault { get; set; }
    public DciFirewallRule[]? Rules { get; set; }
    public string? ResourceType { get; set; }
    public string[]? LabelIds { get; set; }
    public override string ToString() => Name ?? Id ?? "";
}

/// <summary>One inbound rule of a firewall profile.</summary>
public sealed class DciFirewallRule
{
    public string? IpProtocol { get; set; }
    public long? MinPort { get; set; }
    public long? MaxPort { get; set; }
    public string? Source { get; set; }
    public override string ToString() => $"{IpProtocol} {(MinPort == MaxPort ? $"{MinPort}" : $"{MinPort}-{MaxPort}")} from {Source}";
}

/// <summary>An IMCO virtual private cloud (<c>network/vpcs</c>).</summary>
public sealed class DciVpc : DciObject, IImcoResource
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Cidr { get; set; }
    public string? State { get; set; }
    public string? CloudAccountId { get; set; }
    public string? RealmProviderName { get; set; }
    public bool? HasVpn { get; set; }
    public string[]? AllowedSubnetTypes { get; set; }
    public bool? Brownfield { get; set; }
    public string? ResourceType { get; set; }
    public string[]? LabelIds { get; set; }
    public override string ToString() => Name ?? Id ?? "";
}

/// <summary>A subnet of an IMCO VPC (<c>network/vpcs/{id}/subnets</c>).</summary>
public sealed class DciSubnet : DciObject, IImcoResource
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Cidr { get; set; }
    public string? State { get; set; }
    /// <summary>public or private.</summary>
    public string? Type { get; set; }
    public string? VpcId { get; set; }
    public bool? ServerCreationDisabled { get; set; }
    public bool? Brownfield { get; set; }
    public string? ResourceType { get; set; }
    public override string ToString() => Name ?? Id ?? "";
}

/// <summary>An IMCO floating IP (<c>network/floating_ips</c>): a public address that moves between servers.</summary>
public sealed class DciFloatingIp : DciObject, IImcoResource
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Address { get; set; }
    /// <summary>attached or detached.</summary>
    public string? State { get; set; }
    public string? CloudAccountId { get; set; }
    public string? RealmId { get; set; }
    public string? AttachedServerId { get; set; }
    public bool? Brownfield { get; set; }
    public string? ResourceType { get; set; }
    public string[]? LabelIds { get; set; }
    public override string ToString() => Name ?? Address ?? Id ?? "";
}

/// <summary>An IMCO block-storage volume (<c>storage/volumes</c>).</summary>
public sealed class DciVolume : DciObject, IImcoResource
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    /// <summary>Size in GB.</summary>
    public long? Size { get; set; }
    /// <summary>attached or detached.</summary>
    public string? State { get; set; }
    /// <summary>The device name on the server it is attached to (e.g. /dev/xvdf).</summary>
    public string? Device { get; set; }
    public string? StoragePlanId { get; set; }
    public string? CloudAccountId { get; set; }
    public string? RealmId { get; set; }
    public string? AttachedServerId { get; set; }
    public bool? Brownfield { get; set; }
    public string? ResourceType { get; set; }
    public string[]? LabelIds { get; set; }
    public override string ToString() => Name ?? Id ?? "";
}

/// <summary>An IMCO event: one of a server's (<c>cloud/servers/{id}/events</c>) or of the audit log (<c>audit/events</c>).</summary>
public sealed class DciCloudEvent : DciObject
{
    public string? Id { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    /// <summary>info, warning or error.</summary>
    public string? Level { get; set; }
    public string? Header { get; set; }
    public string? Description { get; set; }
    /// <summary>The server the event belongs to (set by the module for a server's events; null for audit events).</summary>
    [JsonIgnore]
    public string? ServerId { get; set; }
    public override string ToString() => Header ?? Id ?? "";
}

/// <summary>An IMCO object with a 24-hex id and a name (what cmdlets that act on several kinds need of them).</summary>
public interface IImcoResource
{
    string? Id { get; }
    string? Name { get; }
}

/// <summary>What New-DciVolume creates (POST storage/volumes).</summary>
public sealed class ImcoNewVolume
{
    public required string Name { get; init; }
    public required long Size { get; init; }
    public required string CloudAccountId { get; init; }
    public required string StoragePlanId { get; init; }
    public IReadOnlyList<string>? LabelIds { get; init; }
}
