using System.Globalization;
using System.Runtime.CompilerServices;
using DciManager.Client.Models;

namespace DciManager.Client;

/// <summary>A completion candidate: what is inserted, and what the list shows beside it.</summary>
public sealed record DciCompletionItem(string Value, string Description);

/// <summary>
/// How one kind of object is looked up for tab completion: the server is asked only for the entries that
/// match what was typed (a <c>CP</c> filter and a small limit), so a Tab costs one small request whatever
/// the size of the panel. Kinds whose list has no documented filter (configurations) are fetched once.
/// </summary>
public sealed class DciCompletionKind
{
    /// <summary>Entries asked for per lookup of a filtered kind; a person reads no further, and typing narrows.</summary>
    public const int FilteredLimit = 100;

    /// <summary>Entries asked for by a kind fetched whole (short lists such as configurations).</summary>
    public const int UnfilteredLimit = 1000;

    private readonly Func<DciConnection, DciQuery, CancellationToken, IAsyncEnumerable<DciCompletionItem>> _list;
    private readonly Func<string, DciFilter?>? _filter;
    private readonly Func<DciCompletionItem, string, bool> _matches;
    private readonly bool _isIdKind;
    private readonly Func<DciConnection, CancellationToken, IAsyncEnumerable<DciCompletionItem>>? _imcoList;

    private DciCompletionKind(string name, Func<DciConnection, DciQuery, CancellationToken, IAsyncEnumerable<DciCompletionItem>> list,
        Func<string, DciFilter?>? filter, Func<DciCompletionItem, string, bool> matches, bool isIdKind = false,
        Func<DciConnection, CancellationToken, IAsyncEnumerable<DciCompletionItem>>? imcoList = null)
    {
        _isIdKind = isIdKind;
        _imcoList = imcoList;
        Name = name;
        _list = list;
        _filter = filter;
        _matches = matches;
    }

    public string Name { get; }

    /// <summary>
    /// Whether this kind can be completed on <paramref name="platform"/>: DCImanager 6 answers filtered lookups; IMCO, whose
    /// lists take no filter, is listed and matched here (server names); the other platforms are offered nothing.
    /// </summary>
    public bool Serves(DciPlatform platform) => platform == DciPlatform.DCImanager6 || (platform == DciPlatform.Imco && _imcoList is not null);

    /// <summary>False for kinds fetched whole once and filtered here.</summary>
    public bool IsFilteredOnServer => _filter is not null;

    public int Limit => IsFilteredOnServer ? FilteredLimit : UnfilteredLimit;

    public override string ToString() => Name;

    /// <summary>
    /// The cache key of a lookup: what was typed (marked by how an id kind reads it, so that a key that starts
    /// with another asks for a subset of its answer), or nothing for a kind fetched whole.
    /// </summary>
    internal string KeyFor(string typed) =>
        !IsFilteredOnServer || typed.Length == 0 ? "" : _isIdKind ? (IsIdText(typed) ? "#" : "~") + typed : typed;

    private static bool IsIdText(string typed) => typed.Length > 0 && typed.All(char.IsAsciiDigit);

    /// <summary>Whether <paramref name="item"/> is offered for <paramref name="typed"/> (case-insensitive, as PowerShell matches).</summary>
    public bool Matches(DciCompletionItem item, string typed) => typed.Length == 0 || _matches(item, typed);

    /// <summary>The entries the server returns for <paramref name="typed"/>, at most <see cref="Limit"/>.</summary>
    internal async Task<List<DciCompletionItem>> FetchAsync(DciConnection connection, string typed, CancellationToken ct)
    {
        // No orderby: sorting every match would cost the server more than the request itself on a big panel
        // (the simulator sorts 100k names in about as long as a person waits), and typing narrows anyway.
        var items = new List<DciCompletionItem>();
        if (connection.Platform == DciPlatform.Imco)
        {
            // IMCO lists take no filter: the list streams and what matches is kept, up to the limit.
            await foreach (var item in _imcoList!(connection, ct).ConfigureAwait(false))
            {
                if (item.Value.Length > 0 && Matches(item, typed)) items.Add(item);
                if (items.Count >= Limit) break;
            }
        }
        else
        {
            var query = new DciQuery
            {
                Where = _filter is null || typed.Length == 0 ? null : _filter(typed),
                PageSize = Limit,
            };
            // Stops at the limit before the pager would ask for a second page.
            await foreach (var item in _list(connection, query, ct).ConfigureAwait(false))
            {
                if (item.Value.Length > 0) items.Add(item);
                if (items.Count >= Limit) break;
            }
        }
        items.Sort(_isIdKind ? CompareIds : (a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Value, b.Value));
        return items;
    }

    private static Func<DciConnection, DciQuery, CancellationToken, IAsyncEnumerable<DciCompletionItem>> Items<T>(
        Func<DciConnection, DciQuery, CancellationToken, IAsyncEnumerable<T>> list, Func<T, DciCompletionItem?> toItem) =>
        (c, q, ct) => Select(list(c, q, ct), toItem, ct);

    private static async IAsyncEnumerable<DciCompletionItem> Select<T>(IAsyncEnumerable<T> source, Func<T, DciCompletionItem?> toItem,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var item in source.WithCancellation(ct).ConfigureAwait(false))
            if (toItem(item) is { } completion) yield return completion;
    }

    /// <summary>Numeric order for all-digit ids (shorter is smaller), text order otherwise.</summary>
    private static int CompareIds(DciCompletionItem a, DciCompletionItem b)
    {
        var byLength = a.Value.Length.CompareTo(b.Value.Length);
        return byLength != 0 && IsIdText(a.Value) && IsIdText(b.Value) ? byLength : string.CompareOrdinal(a.Value, b.Value);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool StartsWith(DciCompletionItem item, string typed) => item.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase);

    /// <summary>An id kind reads digits as the start of an id, and other text as part of the entry's name.</summary>
    private static bool IdOrDescription(DciCompletionItem item, string typed) =>
        IsIdText(typed) ? StartsWith(item, typed) : item.Description.Contains(typed, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Digits ask for ids that start with them (id CP 'n%': inferred to work on numeric fields, as it does
    /// in the simulator); other text asks for names that hold it.
    /// </summary>
    private static Func<string, DciFilter?> IdOrName(string nameField) => typed =>
        IsIdText(typed) ? DciFilter.StartsWith("id", typed) : DciFilter.Like(nameField, typed);

    private static Func<string, DciFilter?> NameStartsWith(string field) => typed => DciFilter.StartsWith(field, typed);

    public static readonly DciCompletionKind ServerName = new("server",
        Items<DciServer>((c, q, ct) => c.Servers.ListAsync(q, ct),
            s => s.Name is null ? null : new(s.Name, $"{Text(s.Id)}: {s.Configuration} ({(s.IsFree ? "free" : s.OwnerEmail)})")),
        NameStartsWith("name"), StartsWith,
        imcoList: (c, ct) => Select(c.Imco!.ListServersAsync(ct), s => s.Name is null ? null : new(s.Name, $"{s.Id}: {s.State}"), ct));

    public static readonly DciCompletionKind ServerId = new("server-id",
        Items<DciServer>((c, q, ct) => c.Servers.ListAsync(q, ct), s => new(Text(s.Id), $"{s.Name} ({s.Configuration})")),
        IdOrName("name"), IdOrDescription, isIdKind: true);

    public static readonly DciCompletionKind Configuration = new("configuration",
        Items<DciServerConfiguration>((c, q, ct) => c.Servers.ListConfigurationsAsync(q, ct),
            s => s.Configuration is null ? null : new(s.Configuration, $"{s.FreeServerCount} free")),
        null, StartsWith);

    public static readonly DciCompletionKind UserEmail = new("user-email",
        Items<DciUser>((c, q, ct) => c.Users.ListAsync(q, ct), u => u.Email is null ? null : new(u.Email, $"{Text(u.Id)}: {u.FullName} ({u.Role})")),
        NameStartsWith("email"), StartsWith);

    public static readonly DciCompletionKind UserId = new("user-id",
        Items<DciUser>((c, q, ct) => c.Users.ListAsync(q, ct), u => new(Text(u.Id), $"{u.Email} ({u.Role})")),
        IdOrName("email"), IdOrDescription, isIdKind: true);

    public static readonly DciCompletionKind PoolName = new("pool",
        Items<DciIpPool>((c, q, ct) => c.Ip.ListPoolsAsync(q, ct), p => p.Name is null ? null : new(p.Name, $"{Text(p.Id)}: {p.UsingIp}/{p.TotalIp} used")),
        NameStartsWith("name"), StartsWith);

    public static readonly DciCompletionKind PoolId = new("pool-id",
        Items<DciIpPool>((c, q, ct) => c.Ip.ListPoolsAsync(q, ct), p => new(Text(p.Id), p.Name ?? "")),
        IdOrName("name"), IdOrDescription, isIdKind: true);

    public static readonly DciCompletionKind NetworkName = new("network",
        Items<DciIpNetwork>((c, q, ct) => c.Ip.ListNetworksAsync(q, ct), n => n.Name is null ? null : new(n.Name, $"{Text(n.Id)}: {n.FamilyName} {n.Note}")),
        NameStartsWith("name"), StartsWith);

    public static readonly DciCompletionKind NetworkId = new("network-id",
        Items<DciIpNetwork>((c, q, ct) => c.Ip.ListNetworksAsync(q, ct), n => new(Text(n.Id), n.Name ?? "")),
        IdOrName("name"), IdOrDescription, isIdKind: true);

    public static readonly DciCompletionKind OsTemplateId = new("os-template",
        Items<DciOsTemplate>((c, q, ct) => c.OsTemplates.ListAsync(q, ct), t => new(Text(t.Id), t.Name ?? "")),
        IdOrName("name"), IdOrDescription, isIdKind: true);

    public static readonly DciCompletionKind LocationName = new("location",
        Items<DciLocation>((c, q, ct) => c.Inventory.ListLocationsAsync(q, ct), l => l.Name is null ? null : new(l.Name, $"{l.Id}")),
        NameStartsWith("name"), StartsWith);

    public static readonly DciCompletionKind RackName = new("rack",
        Items<DciRack>((c, q, ct) => c.Inventory.ListRacksAsync(q, ct),
            r => r.Name is null ? null : new(r.Name, $"{r.Id}: {r.Location?.Name} ({r.DeviceCount}/{r.Units} units)")),
        NameStartsWith("name"), StartsWith);

    public static readonly DciCompletionKind SwitchName = new("switch",
        Items<DciSwitch>((c, q, ct) => c.Inventory.ListSwitchesAsync(q, ct),
            s => s.Name is null ? null : new(s.Name, $"{Text(s.Id)}: {s.Purpose} switch in {s.Rack?.Name}")),
        NameStartsWith("name"), StartsWith);
}

/// <summary>
/// The completion lookups of one connection, cached by kind and typed text. A lookup is answered, in order,
/// from a fresh entry for the same text; from a fresh entry for a shorter text that was complete (not cut at
/// the limit), filtered here; or by one request. A Tab waits at most <see cref="Budget"/>: a slower request
/// goes on and fills the cache for the next Tab. A failed lookup is remembered for
/// <see cref="FailureLifetime"/>, so a panel that is down does not stall every Tab.
/// </summary>
public sealed class DciCompletionCache
{
    /// <summary>How long a Tab waits for the server; beyond this it offers nothing rather than freeze the prompt.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);

    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan FailureLifetime = TimeSpan.FromSeconds(5);

    /// <summary>How long a lookup may go on after its Tab gave up, to serve the next one.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Entries kept per connection; beyond this, finished entries are dropped oldest first.</summary>
    internal const int MaxEntries = 256;

    private static readonly ConditionalWeakTable<DciConnection, DciCompletionCache> Caches = new();

    private readonly DciConnection _connection;
    private readonly TimeProvider _clock;
    private readonly Dictionary<(string Kind, string Key), Entry> _entries = new();

    internal DciCompletionCache(DciConnection connection, TimeProvider clock)
    {
        _connection = connection;
        _clock = clock;
    }

    /// <summary>The cache of <paramref name="connection"/> (created on first use, dropped with the connection).</summary>
    public static DciCompletionCache For(DciConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Caches.GetValue(connection, c => new DciCompletionCache(c, TimeProvider.System));
    }

    /// <summary>
    /// The candidates for <paramref name="typed"/>, waiting at most <paramref name="budget"/> (default
    /// <see cref="Budget"/>) for the server. Never throws: a failure or a timeout offers nothing.
    /// </summary>
    public IReadOnlyList<DciCompletionItem> Complete(DciCompletionKind kind, string? typed, TimeSpan? budget = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        // The lookups are DCImanager 6 list queries (IMCO: its unfiltered list); another platform is offered nothing rather than sent them.
        if (!kind.Serves(_connection.Platform)) return Array.Empty<DciCompletionItem>();
        typed ??= "";
        var lookup = Lookup(kind, typed);
        try
        {
            if (!lookup.Wait(budget ?? Budget)) return Array.Empty<DciCompletionItem>();
        }
        catch (AggregateException)
        {
            return Array.Empty<DciCompletionItem>();
        }
        var snapshot = lookup.Result;
        return snapshot.Items.Where(i => kind.Matches(i, typed)).ToList();
    }

    /// <summary>The lookup that answers <paramref name="typed"/>: a cached one, or a request started now.</summary>
    private Task<Snapshot> Lookup(DciCompletionKind kind, string typed)
    {
        var key = kind.KeyFor(typed);
        var now = _clock.GetUtcNow();
        lock (_entries)
        {
            if (_entries.TryGetValue((kind.Name, key), out var exact) && IsUsable(exact, now)) return exact.Task;

            // A complete answer for a shorter text holds every answer for a longer one.
            Entry? wider = null;
            foreach (var ((entryKind, entryKey), entry) in _entries)
            {
                if (entryKind != kind.Name || entryKey.Length >= key.Length || !key.StartsWith(entryKey, StringComparison.Ordinal)) continue;
                if (!entry.Task.IsCompletedSuccessfully || !entry.Task.Result.IsComplete || entry.Task.Result.Failed || !IsUsable(entry, now)) continue;
                if (wider is null || entryKey.Length > wider.Key.Length) wider = entry;
            }
            if (wider is not null) return wider.Task;

            var asked = kind.IsFilteredOnServer ? typed : "";
            var started = new Entry(key, now, Task.Run(() => FetchAsync(kind, asked)));
            if (_entries.Count >= MaxEntries) Prune(now);
            _entries[(kind.Name, key)] = started;
            return started.Task;
        }
    }

    private async Task<Snapshot> FetchAsync(DciCompletionKind kind, string typed)
    {
        using var timeout = new CancellationTokenSource(FetchTimeout);
        try
        {
            var items = await kind.FetchAsync(_connection, typed, timeout.Token).ConfigureAwait(false);
            return new Snapshot(items, items.Count < kind.Limit, false, _clock.GetUtcNow());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Completion must never break the prompt; remember the failure briefly instead.
            return new Snapshot(Array.Empty<DciCompletionItem>(), false, true, _clock.GetUtcNow());
        }
    }

    private static bool IsUsable(Entry entry, DateTimeOffset now)
    {
        if (!entry.Task.IsCompleted) return now - entry.StartedAt < FetchTimeout + Budget;
        var snapshot = entry.Task.Result;
        return now - snapshot.FinishedAt < (snapshot.Failed ? FailureLifetime : Lifetime);
    }

    /// <summary>Drops unusable entries, then the oldest finished ones, down to half of <see cref="MaxEntries"/>.</summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var stale in _entries.Where(e => !IsUsable(e.Value, now)).Select(e => e.Key).ToList()) _entries.Remove(stale);
        if (_entries.Count < MaxEntries / 2) return;
        foreach (var old in _entries.Where(e => e.Value.Task.IsCompleted).OrderBy(e => e.Value.StartedAt)
                     .Take(_entries.Count - MaxEntries / 2).Select(e => e.Key).ToList())
            _entries.Remove(old);
    }

    /// <summary>Entries held now (for tests).</summary>
    internal int Count
    {
        get { lock (_entries) return _entries.Count; }
    }

    private sealed record Entry(string Key, DateTimeOffset StartedAt, Task<Snapshot> Task);

    /// <summary>One finished lookup. <see cref="IsComplete"/>: fewer than the limit came, so nothing was cut off.</summary>
    private sealed record Snapshot(IReadOnlyList<DciCompletionItem> Items, bool IsComplete, bool Failed, DateTimeOffset FinishedAt);
}
