using System.Text;
using DciManager.Client.Query;

namespace DciManager.Client;

/// <summary>
/// DCImanager 6's field names for one noun's list: which where field each neutral condition narrows on.
/// A null field means the list has no such condition (the query's condition is refused as an argument error).
/// </summary>
internal sealed class Dci6ListFields
{
    public required string Name { get; init; }
    public string? Owner { get; init; }
    public string? Configuration { get; init; }
    public string? Description { get; init; }
    public string? State { get; init; }

    /// <summary>The state is a fixed word the server compares with EQ (task status), not a name to narrow with CP.</summary>
    public bool StateIsWord { get; init; }
    public string? Family { get; init; }
    public string? ServerId { get; init; }
    public (string Id, string Name)? Rack { get; init; }
    public (string Id, string Name)? Location { get; init; }
    public (string Id, string Name)? Switch { get; init; }
    public (string Id, string Name)? Pdu { get; init; }

    public static readonly Dci6ListFields Servers = new()
    {
        Name = "name", Owner = "owner_email", Configuration = "configuration", State = "state",
        Rack = ("rack.id", "rack.name"), Location = ("location_id", "location.name"),
        Switch = ("switch_connection.switch", "switch_connection.switch_name"), Pdu = ("pdu_connection.pdu_id", "pdu_connection.pdu_name"),
    };

    public static readonly Dci6ListFields Users = new() { Name = "email" };
    public static readonly Dci6ListFields Named = new() { Name = "name" };
    public static readonly Dci6ListFields Racks = new() { Name = "name", Location = ("location_id", "location.name") };
    public static readonly Dci6ListFields InRack = new() { Name = "name", Rack = ("rack.id", "rack.name") };
    public static readonly Dci6ListFields SwitchPorts = new() { Name = "name", Description = "description" };
    public static readonly Dci6ListFields Networks = new() { Name = "name", Family = "family" };
    public static readonly Dci6ListFields Warehouse = new() { Name = "name", State = "warehouse_status" };
    public static readonly Dci6ListFields Tasks = new() { Name = "name", State = "status", StateIsWord = true, ServerId = "server_id" };
}

/// <summary>
/// The neutral <see cref="DciListQuery"/> in DCImanager 6 terms. The server narrows with where text (CP for names,
/// since its EQ may heed case and CP does not; the part before a [set] for patterns with one; IS null; EQ for ids)
/// and sorts with orderby; the exact patterns then decide on what comes back (<see cref="DciListFilter"/>).
/// </summary>
internal static class Dci6ListQuery
{
    public static DciQuery? ToWhere(DciListQuery? query, Dci6ListFields fields)
    {
        if (query is null || query.IsEmpty) return null;
        var where = DciFilter.All(
            AnyName(fields.Name, query.Names),
            Narrow(Require(fields.Owner, "an owner", query.Owner), query.Owner),
            Narrow(Require(fields.Configuration, "a configuration", query.Configuration), query.Configuration),
            Narrow(Require(fields.Description, "a description", query.Description), query.Description),
            fields.StateIsWord && query.State is { HasWildcards: false } word
                ? DciFilter.Eq(Require(fields.State, "a state", word)!, word.Literal)
                : Narrow(Require(fields.State, "a state", query.State), query.State),
            query.Free ? DciFilter.IsNull(Require(fields.Owner, "an owner", true)!) : null,
            query.Family is { } family ? DciFilter.Eq(Require(fields.Family, "an address family", family)!, family == DciAddressFamily.IPv6 ? 10 : 2) : null,
            query.ServerId is { } serverId ? DciFilter.Eq(Require(fields.ServerId, "a server", serverId)!, serverId) : null,
            Place(fields.Rack, query.Rack, "rack"),
            Place(fields.Location, query.Location, "location"),
            Place(fields.Switch, query.Switch, "switch"),
            Place(fields.Pdu, query.Pdu, "PDU"),
            query.NativeFilter is { } native ? DciFilter.Raw(native) : null);
        return new DciQuery { Where = where, OrderBy = OrderBy(query.Sort) };
    }

    /// <summary>The where text a query becomes (for tests and error targets); null when it narrows nothing.</summary>
    public static string? WhereText(DciListQuery? query, Dci6ListFields fields) => ToWhere(query, fields)?.Where?.ToString();

    /// <summary>
    /// The server-side part of one pattern: a plain name is CP '%name%' (the exact match decides), a pattern with
    /// a [set] narrows on the part before its first unescaped '[', and * and ? become CP's '%'.
    /// </summary>
    public static DciFilter? Narrow(string? field, DciNamePattern? pattern)
    {
        if (pattern is null || field is null) return null;
        if (!pattern.HasWildcards) return DciFilter.Like(field, pattern.Literal);
        var bracket = FirstUnescapedBracket(pattern.Text);
        var serverPattern = bracket >= 0 ? pattern.Text[..bracket] + "*" : pattern.Text;
        return DciFilter.Wildcard(field, serverPattern);
    }

    /// <summary>Several names narrow with their OR.</summary>
    private static DciFilter? AnyName(string field, DciNameMatch? names)
    {
        DciFilter? any = null;
        foreach (var pattern in names?.Patterns ?? Array.Empty<DciNamePattern>())
        {
            var one = Narrow(field, pattern)!;
            any = any is null ? one : any.Or(one);
        }
        return any;
    }

    private static int FirstUnescapedBracket(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '`') { i++; continue; }
            if (text[i] is '[' or ']') return i;
        }
        return -1;
    }

    private static DciFilter? Place((string Id, string Name)? fields, DciPlaceMatch? place, string what)
    {
        if (place is null) return null;
        var (idField, nameField) = fields ?? throw new ArgumentException($"This list cannot be narrowed by {what}.");
        return place.Id is { } id ? DciFilter.Eq(idField, id) : Narrow(nameField, place.Name);
    }

    private static string? Require(string? field, string what, object? condition) =>
        condition is null || field is not null ? field : throw new ArgumentException($"This list cannot be narrowed by {what}.");

    /// <summary>Neutral property names (OwnerEmail) become DCImanager 6 fields (owner_email); field names pass unchanged.</summary>
    public static string? OrderBy(IReadOnlyList<DciSortKey>? keys) =>
        keys is { Count: > 0 } ? string.Join(", ", keys.Select(k => FieldName(k.Property) + (k.Descending ? " desc" : " asc"))) : null;

    public static string FieldName(string property)
    {
        var sb = new StringBuilder(property.Length + 4);
        for (var i = 0; i < property.Length; i++)
        {
            var c = property[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && property[i - 1] != '.' && property[i - 1] != '_' && !char.IsUpper(property[i - 1])) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
