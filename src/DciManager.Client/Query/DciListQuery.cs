using System.Text.RegularExpressions;

namespace DciManager.Client.Query;

/// <summary>
/// What a list cmdlet asks for, in the module's own terms: names, owner, free, the rack/location/switch/PDU a thing
/// sits in, sort keys on object properties. Each platform translates it (DCImanager 6 into where/orderby text, the
/// others into <see cref="DciListFilter"/> on what they stream); nothing in it is any platform's field name or syntax,
/// except <see cref="NativeFilter"/>, the explicit escape hatch.
/// </summary>
public sealed class DciListQuery
{
    /// <summary>The object's name: a server, template, rack, switch or PDU name; a user's e-mail; an address.</summary>
    public DciNameMatch? Names { get; init; }

    /// <summary>The owner's e-mail (servers).</summary>
    public DciNamePattern? Owner { get; init; }

    /// <summary>Only things without an owner (servers).</summary>
    public bool Free { get; init; }

    /// <summary>The hardware configuration (servers).</summary>
    public DciNamePattern? Configuration { get; init; }

    /// <summary>A port's description (switch ports).</summary>
    public DciNamePattern? Description { get; init; }

    /// <summary>A state word (warehouse status, task status); wildcards allowed.</summary>
    public DciNamePattern? State { get; init; }

    /// <summary>An address family (IP networks).</summary>
    public DciAddressFamily? Family { get; init; }

    /// <summary>The server a thing belongs to, by id (tasks).</summary>
    public long? ServerId { get; init; }

    /// <summary>Where the thing is: in this rack, location, cabled to this switch, fed by this PDU.</summary>
    public DciPlaceMatch? Rack { get; init; }

    public DciPlaceMatch? Location { get; init; }

    public DciPlaceMatch? Switch { get; init; }

    public DciPlaceMatch? Pdu { get; init; }

    /// <summary>Sort keys on the object's properties (Name, Id, OwnerEmail ... or the platform's field names).</summary>
    public IReadOnlyList<DciSortKey>? Sort { get; init; }

    /// <summary>
    /// A platform-native filter passed through unchanged (DCImanager 6 <c>where</c> text, combined with the rest by AND).
    /// Platforms without one refuse it as not supported.
    /// </summary>
    public string? NativeFilter { get; init; }

    /// <summary>True when nothing narrows, orders or passes through: the platform lists everything as it comes.</summary>
    public bool IsEmpty =>
        Names is null && Owner is null && !Free && Configuration is null && Description is null && State is null && Family is null
        && ServerId is null && Rack is null && Location is null && Switch is null && Pdu is null && Sort is not { Count: > 0 } && NativeFilter is null;

    public override string ToString()
    {
        var parts = new List<string>();
        if (Names is not null) parts.Add($"Name={Names}");
        if (Owner is not null) parts.Add($"Owner={Owner}");
        if (Free) parts.Add("Free");
        if (Configuration is not null) parts.Add($"Configuration={Configuration}");
        if (Description is not null) parts.Add($"Description={Description}");
        if (State is not null) parts.Add($"State={State}");
        if (Family is not null) parts.Add($"Family={Family}");
        if (ServerId is not null) parts.Add($"ServerId={ServerId}");
        if (Rack is not null) parts.Add($"Rack={Rack}");
        if (Location is not null) parts.Add($"Location={Location}");
        if (Switch is not null) parts.Add($"Switch={Switch}");
        if (Pdu is not null) parts.Add($"Pdu={Pdu}");
        if (NativeFilter is not null) parts.Add($"Filter={NativeFilter}");
        if (Sort is { Count: > 0 }) parts.Add("Sort=" + string.Join(", ", Sort));
        return string.Join("; ", parts);
    }
}

public enum DciAddressFamily { IPv4, IPv6 }

/// <summary>
/// "In this rack / location / on this switch": by id when the object came from the panel, or by name (a pattern)
/// when the user typed only a name.
/// </summary>
public sealed class DciPlaceMatch
{
    private DciPlaceMatch(long? id, DciNamePattern? name)
    {
        Id = id;
        Name = name;
    }

    public long? Id { get; }

    /// <summary>Set only when there is no id.</summary>
    public DciNamePattern? Name { get; }

    /// <summary>By id when it is known (above 0), else by the name; neither is an <see cref="ArgumentException"/> naming <paramref name="what"/>.</summary>
    public static DciPlaceMatch For(long? id, string? name, string what)
    {
        if (id is > 0) return new DciPlaceMatch(id, null);
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"The {what} has neither an id nor a name.");
        return new DciPlaceMatch(null, DciNamePattern.Parse(name));
    }

    public override string ToString() => Id is { } id ? $"#{id}" : Name!.Text;
}

/// <summary>One sort key: a property (or field) name and a direction.</summary>
public readonly record struct DciSortKey(string Property, bool Descending)
{
    private static readonly Regex s_property = new("^[A-Za-z0-9_.]+$", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>
    /// Accepts "name", "name asc", "-name", "+name", "name desc" (several keys separated by commas).
    /// Throws <see cref="ArgumentException"/> for anything else.
    /// </summary>
    public static IReadOnlyList<DciSortKey> Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("The sort specification is empty.", nameof(text));
        var keys = new List<DciSortKey>();
        foreach (var part in text.Split(','))
        {
            var words = part.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length is 0 or > 2) throw Invalid(text);
            var property = words[0];
            var descending = false;
            if (property.StartsWith('-')) { descending = true; property = property[1..]; }
            else if (property.StartsWith('+')) property = property[1..];
            if (words.Length == 2)
            {
                if (words[0].StartsWith('-') || words[0].StartsWith('+')) throw Invalid(text);
                descending = words[1].ToLowerInvariant() switch
                {
                    "asc" or "ascending" => false,
                    "desc" or "descending" => true,
                    _ => throw Invalid(text),
                };
            }
            if (!s_property.IsMatch(property)) throw Invalid(text);
            keys.Add(new DciSortKey(property, descending));
        }
        return keys;
    }

    private static ArgumentException Invalid(string text) =>
        new($"'{text}' is not a valid sort order. Use 'field', 'field asc', 'field desc' or '-field'.", nameof(text));

    public override string ToString() => Property + (Descending ? " desc" : " asc");
}
