using System.Runtime.InteropServices;
using System.Security;
using System.Text.Json;
using DciManager.Client.Http;
using DciManager.Client.Models;
using DciManager.Client.Query;

namespace DciManager.Client;

public enum DciPowerAction { On, Off, Reset }

public enum DciClearDiskMode { None, Fast, Full }

public enum DciRaidLevel { None, Raid0, Raid1, Raid5, Raid10 }

/// <summary>Body of POST server/{id}/ip.</summary>
public sealed class DciAddIpRequest
{
    /// <summary>"ipv4" or "ipv6".</summary>
    public string Family { get; init; } = "ipv4";
    /// <summary>A specific address (ip_name); null lets DCImanager pick one.</summary>
    public string? Address { get; init; }
    /// <summary>ip_net.</summary>
    public long? NetworkId { get; init; }
    /// <summary>ip_pool.</summary>
    public long? PoolId { get; init; }
    public string? Domain { get; init; }
    /// <summary>set_as_main_ipv4.</summary>
    public bool SetAsMain { get; init; }
    public long? Userspace { get; init; }
}

/// <summary>Body of POST server/{id}/operation_diag.</summary>
public sealed class DciDiagnosticRequest
{
    public bool SetupIpmi { get; init; }
    public long? IpmiPoolId { get; init; }
    public long? OsTemplateId { get; init; }
    public DciClearDiskMode ClearDisk { get; init; } = DciClearDiskMode.None;
}

/// <summary>Body of POST server/{id}/operation_os.</summary>
public sealed class DciOsInstallRequest
{
    public long OsTemplateId { get; init; }
    /// <summary>Converted to text only while the JSON body is written.</summary>
    public SecureString? RootPassword { get; init; }
    public string[] SshPublicKeys { get; init; } = Array.Empty<string>();
    public DciRaidLevel Raid { get; init; } = DciRaidLevel.None;
}

/// <summary>Servers: dci/v3/server and its actions.</summary>
public sealed class DciServerApi : Platforms.IDciServerOperations
{
    private readonly DciConnection _c;

    /// <summary>How lookups by many ids are split into list requests.</summary>
    private readonly DciIdLookup _byIds = new();

    internal DciServerApi(DciConnection connection) => _c = connection;

    public IAsyncEnumerable<DciServer> ListAsync(DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "dci/v3/server", query, DciJsonContext.Default.DciListDciServer, Prepare, ct);

    IAsyncEnumerable<DciServer> Platforms.IDciServerOperations.ListAsync(DciListQuery? query, CancellationToken ct) =>
        DciListFilter.Apply(ListAsync(Dci6ListQuery.ToWhere(query, Dci6ListFields.Servers), ct), query, DciListFieldsOf.Servers);

    /// <summary>
    /// The servers with these ids in few list requests (<c>where id ...</c>) instead of one GET each: one
    /// result per id, in the order given, with a not-found error for an id that does not exist (or is not visible).
    /// </summary>
    public IAsyncEnumerable<DciLookupResult<DciServer>> GetManyAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        _byIds.GetManyAsync(ids, _c.Options.PageSize, ListAsync, s => s.Id, "dci/v3/server", "Server", ct);

    public async Task<DciServer> GetAsync(long id, CancellationToken ct = default)
    {
        var server = await _c.Transport.SendAsync(new DciRequest(HttpMethod.Get, $"dci/v3/server/{DciRequest.Id(id)}"),
            DciJsonContext.Default.DciServer, ct).ConfigureAwait(false);
        server.Connection = _c;
        Prepare(server);
        return server;
    }

    public IAsyncEnumerable<DciServerConfiguration> ListConfigurationsAsync(DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "dci/v3/server/configuration", query, DciJsonContext.Default.DciListDciServerConfiguration, null, ct);

    public Task<DciTask> PowerAsync(long id, DciPowerAction action, CancellationToken ct = default) =>
        ActionAsync(id, action switch
        {
            DciPowerAction.On => "power_on",
            DciPowerAction.Off => "power_off",
            DciPowerAction.Reset => "power_reset",
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        }, null, ct);

    public Task<DciTask> SuspendAsync(long id, CancellationToken ct = default) => ActionAsync(id, "suspend", null, ct);

    public Task<DciTask> ResumeAsync(long id, CancellationToken ct = default) => ActionAsync(id, "resume", null, ct);

    /// <summary>POST server/{id}/owner {owner}, then returns the updated server.</summary>
    public async Task<DciServer> SetOwnerAsync(long id, long userId, CancellationToken ct = default)
    {
        var request = new DciRequest(HttpMethod.Post, $"dci/v3/server/{DciRequest.Id(id)}/owner")
            .WithJson(w => { w.WriteStartObject(); w.WriteNumber("owner", userId); w.WriteEndObject(); });
        await _c.Transport.SendAsync(request, DciJsonContext.Default.ActionResponse, ct).ConfigureAwait(false);
        return await GetAsync(id, ct).ConfigureAwait(false);
    }

    /// <summary>DELETE server/{id}/owner, then returns the updated server.</summary>
    public async Task<DciServer> RemoveOwnerAsync(long id, CancellationToken ct = default)
    {
        await _c.Transport.SendAsync(new DciRequest(HttpMethod.Delete, $"dci/v3/server/{DciRequest.Id(id)}/owner"),
            DciJsonContext.Default.ActionResponse, ct).ConfigureAwait(false);
        return await GetAsync(id, ct).ConfigureAwait(false);
    }

    /// <summary>The addresses of one server; each carries <see cref="DciIpAddress.ServerId"/>.</summary>
    public IAsyncEnumerable<DciIpAddress> ListIpAsync(long serverId, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, $"dci/v3/server/{DciRequest.Id(serverId)}/ip", null, DciJsonContext.Default.DciListDciIpAddress,
            ip => ip.ServerId ??= serverId, ct);

    public Task<DciTask> AddIpAsync(long serverId, DciAddIpRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var family = (request.Family ?? "ipv4").Trim().ToLowerInvariant();
        if (family is not ("ipv4" or "ipv6")) throw new ArgumentException("Family must be 'ipv4' or 'ipv6'.", nameof(request));
        return ActionAsync(serverId, "ip", w =>
        {
            w.WriteStartObject();
            w.WriteString("family", family);
            if (request.Address is not null) w.WriteString("ip_name", request.Address);
            if (request.NetworkId is { } net) w.WriteNumber("ip_net", net);
            if (request.PoolId is { } pool) w.WriteNumber("ip_pool", pool);
            if (request.Domain is not null) w.WriteString("domain", request.Domain);
            w.WriteBoolean("set_as_main_ipv4", request.SetAsMain);
            if (request.Userspace is { } us) w.WriteNumber("userspace", us);
            w.WriteEndObject();
        }, ct, taskName: "ip_add");
    }

    /// <summary>POST server/{id}/ip/{ipId} {} (the documented way to remove an address).</summary>
    public Task<DciTask> RemoveIpAsync(long serverId, long ipId, CancellationToken ct = default) =>
        ActionAsync(serverId, $"ip/{DciRequest.Id(ipId)}", null, ct, taskName: "ip_remove");

    public Task<DciTask> StartDiagnosticAsync(long id, DciDiagnosticRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ActionAsync(id, "operation_diag", w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("setup_ipmi", request.SetupIpmi);
            if (request.IpmiPoolId is { } pool) w.WriteNumber("ipmi_pool", pool);
            if (request.OsTemplateId is { } os) w.WriteNumber("os_template_id", os);
            w.WriteString("clear_hdd", ClearDiskText(request.ClearDisk));
            w.WriteEndObject();
        }, ct);
    }

    public Task<DciTask> ClearDiskAsync(long id, DciClearDiskMode mode, CancellationToken ct = default) =>
        ActionAsync(id, "operation_clear_hdd", w =>
        {
            w.WriteStartObject();
            w.WriteString("clear_hdd", ClearDiskText(mode));
            w.WriteEndObject();
        }, ct);

    public Task<DciTask> InstallOsAsync(long id, DciOsInstallRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ActionAsync(id, "operation_os", w =>
        {
            w.WriteStartObject();
            w.WriteString("hdd_raid", request.Raid switch
            {
                DciRaidLevel.None => "none",
                DciRaidLevel.Raid0 => "raid0",
                DciRaidLevel.Raid1 => "raid1",
                DciRaidLevel.Raid5 => "raid5",
                DciRaidLevel.Raid10 => "raid10",
                _ => throw new ArgumentOutOfRangeException(nameof(request), "Unknown RAID level."),
            });
            w.WriteNumber("os_template_id", request.OsTemplateId);
            if (request.RootPassword is { Length: > 0 } password) WriteSecure(w, "password", password);
            w.WriteStartArray("ssh_pub_keys");
            foreach (var k in request.SshPublicKeys ?? Array.Empty<string>())
                if (!string.IsNullOrWhiteSpace(k)) w.WriteStringValue(k.Trim());
            w.WriteEndArray();
            w.WriteEndObject();
        }, ct);
    }

    internal static string ClearDiskText(DciClearDiskMode mode) => mode switch
    {
        DciClearDiskMode.None => "none",
        DciClearDiskMode.Fast => "fast",
        DciClearDiskMode.Full => "full",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>Writes a SecureString as a JSON string without keeping a managed string copy.</summary>
    internal static void WriteSecure(Utf8JsonWriter writer, string name, SecureString secret)
    {
        var ptr = Marshal.SecureStringToGlobalAllocUnicode(secret);
        var chars = new char[secret.Length];
        try
        {
            Marshal.Copy(ptr, chars, 0, chars.Length);
            writer.WriteString(name, chars);
        }
        finally
        {
            Array.Clear(chars);
            Marshal.ZeroFreeGlobalAllocUnicode(ptr);
        }
    }

    private void Prepare(DciServer server)
    {
        foreach (var ip in server.Ip)
        {
            if (ip is null) continue;
            ip.Connection = _c;
            ip.ServerId ??= server.Id;
            ip.Server ??= server.Name;
        }
        server.Ip.RemoveAll(ip => ip is null);
    }

    private async Task<DciTask> ActionAsync(long id, string operation, Action<Utf8JsonWriter>? body, CancellationToken ct, string? taskName = null)
    {
        var path = $"dci/v3/server/{DciRequest.Id(id)}/{operation}";
        var request = new DciRequest(HttpMethod.Post, path);
        if (body is not null) request.WithJson(body);
        var answer = await _c.Transport.SendAsync(request, DciJsonContext.Default.ActionResponse, ct).ConfigureAwait(false);
        return DciTaskApi.FromAction(_c, answer, id, taskName ?? operation, path);
    }
}
