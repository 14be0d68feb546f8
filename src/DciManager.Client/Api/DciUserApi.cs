using System.Security;
using DciManager.Client.Http;
using DciManager.Client.Models;
using DciManager.Client.Query;

namespace DciManager.Client;

public enum DciUserRole { User, Admin }

/// <summary>Body of POST dci/v3/user.</summary>
public sealed class DciNewUser
{
    public required string Email { get; init; }
    public string? FullName { get; init; }
    /// <summary>Converted to text only while the JSON body is written.</summary>
    public required SecureString Password { get; init; }
    public string? PhoneNumber { get; init; }
    public DciUserRole Role { get; init; } = DciUserRole.User;
}

/// <summary>Users: dci/v3/user.</summary>
public sealed class DciUserApi : Platforms.IDciUserOperations
{
    private readonly DciConnection _c;

    /// <summary>How lookups by many ids are split into list requests.</summary>
    private readonly DciIdLookup _byIds = new();

    internal DciUserApi(DciConnection connection) => _c = connection;

    public IAsyncEnumerable<DciUser> ListAsync(DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "dci/v3/user", query, DciJsonContext.Default.DciListDciUser, null, ct);

    IAsyncEnumerable<DciUser> Platforms.IDciUserOperations.ListAsync(DciListQuery? query, CancellationToken ct) =>
        DciListFilter.Apply(ListAsync(Dci6ListQuery.ToWhere(query, Dci6ListFields.Users), ct), query, DciListFieldsOf.Users);

    /// <summary>The user with this id (list where id EQ); a 404 <see cref="DciApiException"/> when there is none.</summary>
    public Task<DciUser> GetAsync(long id, CancellationToken ct = default) =>
        DciPager.GetByIdAsync(_c, "dci/v3/user", id, "User", DciJsonContext.Default.DciListDciUser, null, ct);

    /// <summary>The users with these ids in few list requests: one result per id, in the order given.</summary>
    public IAsyncEnumerable<DciLookupResult<DciUser>> GetManyAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        _byIds.GetManyAsync(ids, _c.Options.PageSize, ListAsync, u => u.Id, "dci/v3/user", "User", ct);

    /// <summary>POST dci/v3/user, then fetches the created user.</summary>
    public async Task<DciUser> CreateAsync(DciNewUser user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(user.Email);
        ArgumentNullException.ThrowIfNull(user.Password);
        var request = new DciRequest(HttpMethod.Post, "dci/v3/user").WithJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("email", user.Email.Trim());
            w.WriteString("full_name", user.FullName ?? "");
            DciServerApi.WriteSecure(w, "password", user.Password);
            if (user.PhoneNumber is not null) w.WriteString("phone_number", user.PhoneNumber);
            w.WriteString("role", user.Role == DciUserRole.Admin ? "@admin" : "@user");
            w.WriteEndObject();
        });
        var answer = await _c.Transport.SendAsync(request, DciJsonContext.Default.ActionResponse, ct).ConfigureAwait(false);
        if (answer.Id is { } id) return await GetAsync(id, ct).ConfigureAwait(false);
        // No id in the answer: find the user by e-mail instead.
        await foreach (var u in ListAsync(new DciQuery { Where = DciFilter.Eq("email", user.Email.Trim()), PageSize = 1 }, ct).ConfigureAwait(false))
            return u;
        throw new DciApiException($"POST dci/v3/user: the user {user.Email} was created but cannot be found.", 200, null,
            "The created user cannot be found.", null, "POST", "dci/v3/user");
    }

    public async Task DeleteAsync(long id, CancellationToken ct = default) =>
        await _c.Transport.SendAsync(new DciRequest(HttpMethod.Delete, $"dci/v3/user/{DciRequest.Id(id)}"),
            DciJsonContext.Default.JsonElement, ct).ConfigureAwait(false);
}

/// <summary>Addresses, networks and pools (dci/v3/ip, ip/v3/ipnet, ip/v3/ippool).</summary>
public sealed class DciIpApi
{
    private readonly DciConnection _c;

    /// <summary>How lookups by many ids are split into list requests, per endpoint.</summary>
    private readonly DciIdLookup _networksByIds = new(), _poolsByIds = new();

    internal DciIpApi(DciConnection connection) => _c = connection;

    /// <summary>Addresses by the neutral query (Names: the address itself).</summary>
    public IAsyncEnumerable<DciIpAddress> ListAddressesAsync(DciListQuery query, CancellationToken ct = default) =>
        DciListFilter.Apply(ListAddressesAsync(Dci6ListQuery.ToWhere(query, Dci6ListFields.Named), ct), query, DciListFieldsOf.IpAddresses);

    public IAsyncEnumerable<DciIpNetwork> ListNetworksAsync(DciListQuery query, CancellationToken ct = default) =>
        DciListFilter.Apply(ListNetworksAsync(Dci6ListQuery.ToWhere(query, Dci6ListFields.Networks), ct), query, DciListFieldsOf.IpNetworks);

    public IAsyncEnumerable<DciIpPool> ListPoolsAsync(DciListQuery query, CancellationToken ct = default) =>
        DciListFilter.Apply(ListPoolsAsync(Dci6ListQuery.ToWhere(query, Dci6ListFields.Named), ct), query, DciListFieldsOf.IpPools);

    public IAsyncEnumerable<DciIpAddress> ListAddressesAsync(DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "dci/v3/ip", query, DciJsonContext.Default.DciListDciIpAddress, null, ct);

    public IAsyncEnumerable<DciIpNetwork> ListNetworksAsync(DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "ip/v3/ipnet", query, DciJsonContext.Default.DciListDciIpNetwork, null, ct);

    public IAsyncEnumerable<DciIpPool> ListPoolsAsync(DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "ip/v3/ippool", query, DciJsonContext.Default.DciListDciIpPool, null, ct);

    /// <summary>The networks with these ids in few list requests: one result per id, in the order given.</summary>
    public IAsyncEnumerable<DciLookupResult<DciIpNetwork>> GetNetworksAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        _networksByIds.GetManyAsync(ids, _c.Options.PageSize, ListNetworksAsync, n => n.Id, "ip/v3/ipnet", "Network", ct);

    /// <summary>The pools with these ids in few list requests: one result per id, in the order given.</summary>
    public IAsyncEnumerable<DciLookupResult<DciIpPool>> GetPoolsAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        _poolsByIds.GetManyAsync(ids, _c.Options.PageSize, ListPoolsAsync, p => p.Id, "ip/v3/ippool", "Pool", ct);

    public Task<DciIpNetwork> GetNetworkAsync(long id, CancellationToken ct = default) =>
        DciPager.GetByIdAsync(_c, "ip/v3/ipnet", id, "Network", DciJsonContext.Default.DciListDciIpNetwork, null, ct);

    public Task<DciIpPool> GetPoolAsync(long id, CancellationToken ct = default) =>
        DciPager.GetByIdAsync(_c, "ip/v3/ippool", id, "Pool", DciJsonContext.Default.DciListDciIpPool, null, ct);
}

/// <summary>OS templates (dci/v3/os_template, inferred path).</summary>
public sealed class DciOsTemplateApi : Platforms.IDciOsTemplateOperations
{
    private readonly DciConnection _c;

    internal DciOsTemplateApi(DciConnection connection) => _c = connection;

    public IAsyncEnumerable<DciOsTemplate> ListAsync(DciQuery? query = null, CancellationToken ct = default) =>
        DciPager.ListAsync(_c, "dci/v3/os_template", query, DciJsonContext.Default.DciListDciOsTemplate, null, ct);

    IAsyncEnumerable<DciOsTemplate> Platforms.IDciOsTemplateOperations.ListAsync(DciListQuery? query, CancellationToken ct) =>
        DciListFilter.Apply(ListAsync(Dci6ListQuery.ToWhere(query, Dci6ListFields.Named), ct), query, DciListFieldsOf.OsTemplates);
}

/// <summary>Global settings (dci/v3/setting/{name}).</summary>
public sealed class DciSettingApi
{
    private readonly DciConnection _c;

    internal DciSettingApi(DciConnection connection) => _c = connection;

    public async Task SetAsync(string name, string value, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        var request = new DciRequest(HttpMethod.Post, $"dci/v3/setting/{DciRequest.Segment(name.Trim())}")
            .WithJson(w => { w.WriteStartObject(); w.WriteString("value", value); w.WriteEndObject(); });
        await _c.Transport.SendAsync(request, DciJsonContext.Default.JsonElement, ct).ConfigureAwait(false);
    }
}
