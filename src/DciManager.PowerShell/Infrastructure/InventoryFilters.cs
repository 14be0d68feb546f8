using DciManager.Client;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>
/// The filter for "things in this location / rack / on this switch": by id when the object came from the
/// panel, by name (wildcards allowed, matched as PowerShell does) when the user typed only a name.
/// </summary>
public sealed class InventoryFilter
{
    private readonly DciWildcard? _name;

    private InventoryFilter(DciFilter filter, DciWildcard? name)
    {
        Filter = filter;
        _name = name;
    }

    public DciFilter Filter { get; }

    /// <summary>True when the related object's name fits (always true for a filter by id).</summary>
    public bool Matches(string? name) => _name?.Matches(name) ?? true;

    public static InventoryFilter For(long? id, string? name, string idField, string nameField, string what)
    {
        if (id is > 0) return new InventoryFilter(DciFilter.Eq(idField, id.Value), null);
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"The {what} has neither an id nor a name.");
        var wildcard = DciWildcard.For(nameField, name);
        return new InventoryFilter(wildcard.Filter, wildcard);
    }
}

public static class InventoryFilters
{
    public static InventoryFilter ForLocation(DciLocation location, string idField, string nameField) =>
        InventoryFilter.For(location.Id, location.Name, idField, nameField, "location");

    public static InventoryFilter ForRack(DciRack rack, string idField, string nameField) =>
        InventoryFilter.For(rack.Id, rack.Name, idField, nameField, "rack");

    public static InventoryFilter ForSwitch(DciSwitch sw, string idField, string nameField) =>
        InventoryFilter.For(sw.Id, sw.Name, idField, nameField, "switch");
}
