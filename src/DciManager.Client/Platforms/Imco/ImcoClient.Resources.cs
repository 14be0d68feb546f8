using System.Runtime.CompilerServices;

namespace DciManager.Client.Platforms.Imco;

// IMCO's resources besides servers (other-seed-apis.md 3.4), on the primitives of ImcoClient.cs. Paths are relative to
// /vN; where v2 and v3 differ it is said at the method. Every id is checked (24 hex) before a request is sent.
internal sealed partial class ImcoClient
{
    // ------------------------------------------------------------------ blueprint, settings, network profiles

    internal IAsyncEnumerable<DciCloudTemplate> ListTemplatesAsync(CancellationToken ct) => ListAsync<DciCloudTemplate>("blueprint/templates", ct);
    internal Task<DciCloudTemplate> GetTemplateAsync(string id, CancellationToken ct) => GetAsync<DciCloudTemplate>(ResourcePath("blueprint/templates", id, "template"), ct);

    internal IAsyncEnumerable<DciCloudAccount> ListCloudAccountsAsync(CancellationToken ct) => ListAsync<DciCloudAccount>("settings/cloud_accounts", ct);
    internal Task<DciCloudAccount> GetCloudAccountAsync(string id, CancellationToken ct) => GetAsync<DciCloudAccount>(ResourcePath("settings/cloud_accounts", id, "cloud account"), ct);

    internal IAsyncEnumerable<DciFirewallProfile> ListFirewallProfilesAsync(CancellationToken ct) => ListAsync<DciFirewallProfile>("network/firewall_profiles", ct);
    internal Task<DciFirewallProfile> GetFirewallProfileAsync(string id, CancellationToken ct) => GetAsync<DciFirewallProfile>(ResourcePath("network/firewall_profiles", id, "firewall profile"), ct);

    // ------------------------------------------------------------------ cloud providers and server plans

    internal IAsyncEnumerable<DciCloudProvider> ListCloudProvidersAsync(CancellationToken ct) => ListAsync<DciCloudProvider>("cloud/cloud_providers", ct);

    /// <summary>
    /// A cloud provider's server plans. v3 narrows to one realm on the server (<c>?realm_id=</c>); v2 has no such
    /// parameter, so there the plans are narrowed here by their realm_id.
    /// </summary>
    internal async IAsyncEnumerable<DciServerPlan> ListServerPlansAsync(string cloudProviderId, string? realmId, [EnumeratorCancellation] CancellationToken ct)
    {
        var path = ResourcePath("cloud/cloud_providers", cloudProviderId, "cloud provider") + "/server_plans";
        if (realmId is not null) ImcoId.Validate(realmId, "realm");
        var serverFilters = realmId is not null && ApiVersion == "v3";
        if (serverFilters) path += "?realm_id=" + realmId;
        await foreach (var plan in ListAsync<DciServerPlan>(path, ct).ConfigureAwait(false))
        {
            if (realmId is null || serverFilters || string.Equals(plan.RealmId, realmId, StringComparison.OrdinalIgnoreCase)) yield return plan;
        }
    }

    internal Task<DciServerPlan> GetServerPlanAsync(string id, CancellationToken ct) => GetAsync<DciServerPlan>(ResourcePath("cloud/server_plans", id, "server plan"), ct);

    // ------------------------------------------------------------------ SSH profiles

    internal IAsyncEnumerable<DciSshProfile> ListSshProfilesAsync(CancellationToken ct) => ListAsync<DciSshProfile>("cloud/ssh_profiles", ct);
    internal Task<DciSshProfile> GetSshProfileAsync(string id, CancellationToken ct) => GetAsync<DciSshProfile>(ResourcePath("cloud/ssh_profiles", id, "SSH profile"), ct);

    internal Task<DciSshProfile> CreateSshProfileAsync(string name, string publicKey, IReadOnlyList<string>? labelIds, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKey);
        ValidateAll(labelIds, "label");
        var body = new Dictionary<string, object?> { ["name"] = name, ["public_key"] = publicKey.Trim() };
        if (labelIds is { Count: > 0 }) body["label_ids"] = labelIds;
        return SendAsync<DciSshProfile>(HttpMethod.Post, "cloud/ssh_profiles", body, ct);
    }

    internal Task DeleteSshProfileAsync(string id, CancellationToken ct) => SendAsync(HttpMethod.Delete, ResourcePath("cloud/ssh_profiles", id, "SSH profile"), null, ct);

    // ------------------------------------------------------------------ VPCs and subnets

    internal IAsyncEnumerable<DciVpc> ListVpcsAsync(CancellationToken ct) => ListAsync<DciVpc>("network/vpcs", ct);
    internal Task<DciVpc> GetVpcAsync(string id, CancellationToken ct) => GetAsync<DciVpc>(ResourcePath("network/vpcs", id, "VPC"), ct);
    internal IAsyncEnumerable<DciSubnet> ListSubnetsAsync(string vpcId, CancellationToken ct) =>
        ListAsync<DciSubnet>(ResourcePath("network/vpcs", vpcId, "VPC") + "/subnets", ct);
    internal Task<DciSubnet> GetSubnetAsync(string id, CancellationToken ct) => GetAsync<DciSubnet>(ResourcePath("network/subnets", id, "subnet"), ct);

    // ------------------------------------------------------------------ floating IPs and volumes

    internal IAsyncEnumerable<DciFloatingIp> ListFloatingIpsAsync(CancellationToken ct) => ListAsync<DciFloatingIp>("network/floating_ips", ct);
    internal IAsyncEnumerable<DciFloatingIp> ListServerFloatingIpsAsync(string serverId, CancellationToken ct) =>
        ListAsync<DciFloatingIp>(ResourcePath("cloud/servers", serverId, "server") + "/floating_ips", ct);
    internal Task<DciFloatingIp> GetFloatingIpAsync(string id, CancellationToken ct) => GetAsync<DciFloatingIp>(ResourcePath("network/floating_ips", id, "floating IP"), ct);
    internal Task<DciFloatingIp> AttachFloatingIpAsync(string id, string serverId, CancellationToken ct) =>
        AttachAsync<DciFloatingIp>(ResourcePath("network/floating_ips", id, "floating IP"), serverId, ct);
    internal Task<DciFloatingIp> DetachFloatingIpAsync(string id, CancellationToken ct) =>
        DetachAsync<DciFloatingIp>(ResourcePath("network/floating_ips", id, "floating IP"), ct);

    internal IAsyncEnumerable<DciVolume> ListVolumesAsync(CancellationToken ct) => ListAsync<DciVolume>("storage/volumes", ct);
    internal IAsyncEnumerable<DciVolume> ListServerVolumesAsync(string serverId, CancellationToken ct) =>
        ListAsync<DciVolume>(ResourcePath("cloud/servers", serverId, "server") + "/volumes", ct);
    internal Task<DciVolume> GetVolumeAsync(string id, CancellationToken ct) => GetAsync<DciVolume>(ResourcePath("storage/volumes", id, "volume"), ct);

    internal Task<DciVolume> CreateVolumeAsync(ImcoNewVolume volume, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentException.ThrowIfNullOrWhiteSpace(volume.Name);
        ImcoId.Validate(volume.CloudAccountId, "cloud account");
        ImcoId.Validate(volume.StoragePlanId, "storage plan");
        ValidateAll(volume.LabelIds, "label");
        var body = new Dictionary<string, object?>
        {
            ["name"] = volume.Name, ["size"] = volume.Size, ["cloud_account_id"] = volume.CloudAccountId, ["storage_plan_id"] = volume.StoragePlanId,
        };
        if (volume.LabelIds is { Count: > 0 }) body["label_ids"] = volume.LabelIds;
        return SendAsync<DciVolume>(HttpMethod.Post, "storage/volumes", body, ct);
    }

    internal Task DeleteVolumeAsync(string id, CancellationToken ct) => SendAsync(HttpMethod.Delete, ResourcePath("storage/volumes", id, "volume"), null, ct);
    internal Task<DciVolume> AttachVolumeAsync(string id, string serverId, CancellationToken ct) =>
        AttachAsync<DciVolume>(ResourcePath("storage/volumes", id, "volume"), serverId, ct);
    internal Task<DciVolume> DetachVolumeAsync(string id, CancellationToken ct) => DetachAsync<DciVolume>(ResourcePath("storage/volumes", id, "volume"), ct);

    /// <summary>POST {resource}/attached_server {"attached_server_id"}: IMCO answers with the resource as it now is.</summary>
    private Task<T> AttachAsync<T>(string resourcePath, string serverId, CancellationToken ct) where T : DciObject
    {
        ImcoId.Validate(serverId, "server");
        return SendAsync<T>(HttpMethod.Post, resourcePath + "/attached_server", new Dictionary<string, object?> { ["attached_server_id"] = serverId }, ct);
    }

    /// <summary>DELETE {resource}/attached_server answers nothing, so the resource is read again to show it detached.</summary>
    private async Task<T> DetachAsync<T>(string resourcePath, CancellationToken ct) where T : DciObject
    {
        await SendAsync(HttpMethod.Delete, resourcePath + "/attached_server", null, ct).ConfigureAwait(false);
        return await GetAsync<T>(resourcePath, ct).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ events

    /// <summary>A server's events (oldest first, as IMCO orders them), each naming the server in <see cref="DciCloudEvent.ServerId"/>.</summary>
    internal async IAsyncEnumerable<DciCloudEvent> ListServerEventsAsync(string serverId, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in ListAsync<DciCloudEvent>(ResourcePath("cloud/servers", serverId, "server") + "/events", ct).ConfigureAwait(false))
        {
            e.ServerId = serverId;
            yield return e;
        }
    }

    internal IAsyncEnumerable<DciCloudEvent> ListAuditEventsAsync(CancellationToken ct) => ListAsync<DciCloudEvent>("audit/events", ct);

    // ------------------------------------------------------------------ helpers

    /// <summary>"{collection}/{id}" for an id checked to be 24 hex characters (else an ArgumentException, before any request).</summary>
    internal static string ResourcePath(string collection, string id, string what)
    {
        ImcoId.Validate(id, what);
        return collection + "/" + Uri.EscapeDataString(id);
    }

    private static void ValidateAll(IReadOnlyList<string>? ids, string what)
    {
        foreach (var id in ids ?? Array.Empty<string>()) ImcoId.Validate(id, what);
    }
}
