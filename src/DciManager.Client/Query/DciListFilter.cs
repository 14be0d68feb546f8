using System.Runtime.CompilerServices;

namespace DciManager.Client.Query;

/// <summary>
/// Where a noun keeps what a <see cref="DciListQuery"/> asks about. A property left null cannot be checked on the
/// object, so the query's condition on it passes (the platform either narrowed on it already or refuses it).
/// </summary>
public sealed class DciListFields<T>
{
    public required Func<T, string?> Name { get; init; }
    public Func<T, string?>? Owner { get; init; }
    public Func<T, bool>? IsFree { get; init; }
    public Func<T, string?>? Configuration { get; init; }
    public Func<T, string?>? Description { get; init; }
    public Func<T, string?>? State { get; init; }
    public Func<T, string?>? RackName { get; init; }
    public Func<T, string?>? LocationName { get; init; }
    public Func<T, IEnumerable<string?>>? SwitchNames { get; init; }

    // By id: checked only where the list itself could not narrow (DCImanager 6 narrows by id on the server).
    public Func<T, long?>? RackId { get; init; }
    public Func<T, long?>? LocationId { get; init; }
}

/// <summary>
/// The one client-side evaluation of a <see cref="DciListQuery"/>: DCImanager 6 runs it on what its looser where
/// text let through (CP is a contains/"%" match), DCImanager 5 and openDCIM, whose lists take no filter, on everything
/// they stream. Objects are checked one at a time as they arrive; nothing is buffered, so nothing is sorted here.
/// </summary>
public static class DciListFilter
{
    /// <summary>
    /// The objects of <paramref name="source"/> that fit <paramref name="query"/>. Without a query the source is
    /// returned as is (no extra step per object).
    /// </summary>
    public static IAsyncEnumerable<T> Apply<T>(IAsyncEnumerable<T> source, DciListQuery? query, DciListFields<T> fields) =>
        query is null || !NarrowsClientSide(query, byId: false) ? source : Filter(source, query, fields, byId: false);

    /// <summary>
    /// For a platform whose lists take no filter and no order: refuses the native filter and sort keys
    /// (<see cref="DciNotSupportedException"/> naming <paramref name="platform"/>), then <see cref="Apply{T}"/>.
    /// </summary>
    public static IAsyncEnumerable<T> ApplyUnfiltered<T>(IAsyncEnumerable<T> source, DciListQuery? query, DciListFields<T> fields,
        DciPlatform platform, string what)
    {
        if (query?.NativeFilter is not null) throw new DciNotSupportedException(platform, $"A native filter on {what}");
        if (query?.Sort is { Count: > 0 }) throw new DciNotSupportedException(platform, $"Sorting {what} on the server");
        return query is null || !NarrowsClientSide(query, byId: true) ? source : Filter(source, query, fields, byId: true);
    }

    private static bool NarrowsClientSide(DciListQuery q, bool byId) =>
        (byId && (q.Rack?.Id is not null || q.Location?.Id is not null)) || q.Names is not null || q.Owner is not null || q.Free || q.Configuration is not null || q.Description is not null
        || q.State is not null || q.Rack?.Name is not null || q.Location?.Name is not null || q.Switch?.Name is not null;

    private static async IAsyncEnumerable<T> Filter<T>(IAsyncEnumerable<T> source, DciListQuery query, DciListFields<T> fields, bool byId,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var item in source.WithCancellation(ct).ConfigureAwait(false))
            if ((!byId || InPlaceById(item, query, fields)) && Matches(item, query, fields)) yield return item;
    }

    private static bool InPlaceById<T>(T item, DciListQuery query, DciListFields<T> fields) =>
        (query.Rack?.Id is not { } rack || fields.RackId is null || fields.RackId(item) == rack)
        && (query.Location?.Id is not { } location || fields.LocationId is null || fields.LocationId(item) == location);

    /// <summary>
    /// True when <paramref name="item"/> fits. Names are checked last, so a name counts as found only on an object
    /// that passed every other condition.
    /// </summary>
    public static bool Matches<T>(T item, DciListQuery query, DciListFields<T> fields) =>
        (!query.Free || fields.IsFree is null || fields.IsFree(item))
        && Fits(query.Owner, fields.Owner, item)
        && Fits(query.Configuration, fields.Configuration, item)
        && Fits(query.Description, fields.Description, item)
        && Fits(query.State, fields.State, item)
        && Fits(query.Rack?.Name, fields.RackName, item)
        && Fits(query.Location?.Name, fields.LocationName, item)
        && (query.Switch?.Name is not { } sw || fields.SwitchNames is null || fields.SwitchNames(item).Any(sw.IsMatch))
        && (query.Names?.Matches(fields.Name(item)) ?? true);

    private static bool Fits<T>(DciNamePattern? pattern, Func<T, string?>? value, T item) =>
        pattern is null || value is null || pattern.IsMatch(value(item));
}

/// <summary>Where each common model keeps what a query asks about; the same for every platform, since the models are shared.</summary>
public static class DciListFieldsOf
{
    public static readonly DciListFields<DciServer> Servers = new()
    {
        Name = s => s.Name, Owner = s => s.OwnerEmail, IsFree = s => s.IsFree, Configuration = s => s.Configuration, State = s => s.State,
        RackName = s => s.Rack?.Name, LocationName = s => s.Location?.Name, SwitchNames = s => s.SwitchConnection.Select(c => c.SwitchName),
        RackId = s => s.Rack?.Id, LocationId = s => s.Location?.Id,
    };

    /// <summary>IMCO's servers: a name and a state, nothing about owners or racks.</summary>
    public static readonly DciListFields<DciCloudServer> CloudServers = new() { Name = s => s.Name, State = s => s.State };

    public static readonly DciListFields<DciUser> Users = new() { Name = u => u.Email };
    public static readonly DciListFields<DciOsTemplate> OsTemplates = new() { Name = t => t.Name };
    public static readonly DciListFields<DciRack> Racks = new() { Name = r => r.Name, LocationName = r => r.Location?.Name, LocationId = r => r.Location?.Id ?? r.LocationId };
    public static readonly DciListFields<DciSwitch> Switches = new() { Name = s => s.Name, RackName = s => s.Rack?.Name, RackId = s => s.Rack?.Id };
    public static readonly DciListFields<DciPdu> Pdus = new() { Name = p => p.Name, RackName = p => p.Rack?.Name, RackId = p => p.Rack?.Id };
    public static readonly DciListFields<DciIpAddress> IpAddresses = new() { Name = a => a.Name };
    public static readonly DciListFields<DciIpNetwork> IpNetworks = new() { Name = n => n.Name };
    public static readonly DciListFields<DciIpPool> IpPools = new() { Name = p => p.Name };
    public static readonly DciListFields<DciLocation> Locations = new() { Name = l => l.Name };
    public static readonly DciListFields<DciWarehouseItem> WarehouseItems = new() { Name = i => i.Name, State = i => i.WarehouseStatus };
    public static readonly DciListFields<DciTask> Tasks = new() { Name = t => t.Name };
    public static readonly DciListFields<DciSwitchPort> SwitchPorts = new() { Name = p => p.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture), Description = p => p.Description };
}
