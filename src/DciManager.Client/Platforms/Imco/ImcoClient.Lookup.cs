using DciManager.Client.Query;

namespace DciManager.Client.Platforms.Imco;

internal sealed partial class ImcoClient
{
    /// <summary>
    /// Servers by many ids, in the order given, from one <c>GET cloud/servers</c> (IMCO lists are not filtered
    /// server-side): one result per id, a 404-style error for an id IMCO does not list. Ids are checked first.
    /// </summary>
    internal IAsyncEnumerable<DciLookupResult<DciCloudServer>> GetServersAsync(IEnumerable<string> ids, CancellationToken ct = default)
    {
        var wanted = ids.Select(id => ImcoId.Validate(id, "server")).ToList();
        return DciIdLookup.PickFromList(wanted, ListServersAsync(ct), s => s.Id.ToLowerInvariant(),
            id => DciPager.NotFound("GET", "cloud/servers", "Server", id));
    }
}
