using DciManager.Client.Query;

namespace DciManager.Client.Platforms.Imco;

internal sealed partial class ImcoClient
{
    /// <summary>
    /// Servers by name and state (IMCO lists take no filter: the shared evaluator matches as they stream). What an IMCO
    /// server does not have (an owner, a configuration, a rack) is refused as not supported, never silently ignored.
    /// </summary>
    internal IAsyncEnumerable<DciCloudServer> ListServersAsync(DciListQuery? query, CancellationToken ct = default)
    {
        if (query is not null)
        {
            var lacking = new (bool Asked, string What)[]
            {
                (query.Owner is not null || query.Free, "Owners (-Owner, -Free)"),
                (query.Configuration is not null, "Configurations"),
                (query.Rack is not null || query.Location is not null || query.Switch is not null || query.Pdu is not null, "Racks, locations, switches and PDUs"),
                (query.Description is not null || query.Family is not null || query.ServerId is not null, "These filters"),
            }.FirstOrDefault(l => l.Asked);
            if (lacking.Asked) throw new DciNotSupportedException(DciPlatform.Imco, $"{lacking.What} on IMCO servers");
        }
        return DciListFilter.ApplyUnfiltered(ListServersAsync(ct), query, DciListFieldsOf.CloudServers, DciPlatform.Imco, "IMCO servers");
    }

    /// <summary>
    /// Servers by many ids, in the order given, from one <c>GET cloud/servers</c> (IMCO lists are not filtered
    /// server-side): one result per id, a 404-style error for an id IMCO does not list. Ids are checked first.
    /// </summary>
    internal IAsyncEnumerable<DciLookupResult<DciCloudServer>> GetServersAsync(IEnumerable<string> ids, CancellationToken ct = default)
    {
        var wanted = ids.Select(id => ImcoId.Validate(id, "server")).ToList();
        // Hex ids match without regard to case; each result keeps the id as it was given.
        var asGiven = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in wanted) asGiven.TryAdd(id, id);
        return DciIdLookup.PickFromList(wanted, ListServersAsync(ct), s => asGiven.TryGetValue(s.Id, out var given) ? given : s.Id,
            id => DciPager.NotFound("GET", "cloud/servers", "Server", id));
    }
}
