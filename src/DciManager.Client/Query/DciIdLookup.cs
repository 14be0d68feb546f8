using System.Globalization;
using System.Runtime.CompilerServices;
using DciManager.Client.Http;

namespace DciManager.Client.Query;

/// <summary>One list filter for some ids: a dense run as an id range, scattered ids as an OR-list.</summary>
internal sealed record DciIdBatch(DciFilter Filter, IReadOnlyList<long> Ids, bool IsRange);

/// <summary>
/// The one way many ids are fetched by list requests (task polls, Get- by many ids). A dense run of ids
/// whose span fits in a page becomes one range (<c>id GE a AND id LE b</c>); other ids go into OR-lists
/// kept well under the usual 8 KB request-line limit of Kestrel and nginx. GE/LE are not documented
/// operators: once a server refuses a range with a 400, this endpoint is asked with OR-lists only.
/// </summary>
internal sealed class DciIdLookup
{
    /// <summary>A run of at least this many ids is asked as one range rather than listed one by one.</summary>
    internal const int MinIdsForRange = 8;

    /// <summary>Most characters of one percent-encoded OR-list: about 290 six-digit ids, with room for the rest of the request line.</summary>
    internal const int MaxEncodedFilterLength = 7000;

    /// <summary>Length of " OR " once percent-encoded.</summary>
    private const int EncodedOrLength = 8;

    private volatile bool _rangeRefused;

    /// <summary>Set once the server refused an id range filter.</summary>
    internal bool RangeRefused => _rangeRefused;

    /// <summary>
    /// The filters that together match <paramref name="ids"/>, each matching at most <paramref name="pageSize"/>
    /// items: dense runs as ranges and the rest as OR-lists, or OR-lists only when that takes fewer requests.
    /// </summary>
    internal IReadOnlyList<DciIdBatch> Batches(IEnumerable<long> ids, int pageSize)
    {
        if (pageSize < 1) throw new ArgumentOutOfRangeException(nameof(pageSize));
        var sorted = ids.Distinct().Order().ToArray();
        var listsOnly = OrLists(sorted, pageSize);
        if (_rangeRefused) return listsOnly;

        var withRanges = new List<DciIdBatch>();
        var scattered = new List<long>();
        var start = 0;
        while (start < sorted.Length)
        {
            var end = start;
            while (end + 1 < sorted.Length && sorted[end + 1] - sorted[start] < pageSize) end++;
            var count = end - start + 1;
            var span = sorted[end] - sorted[start] + 1;
            // A range returns every object in it: worth it only when most of what comes back was asked for.
            if (count >= MinIdsForRange && count * 4 >= span)
                withRanges.Add(new DciIdBatch(DciFilter.Raw(FormattableString.Invariant($"id GE {sorted[start]} AND id LE {sorted[end]}")), sorted[start..(end + 1)], true));
            else
                scattered.AddRange(sorted[start..(end + 1)]);
            start = end + 1;
        }
        withRanges.AddRange(OrLists(scattered, pageSize));
        return withRanges.Count <= listsOnly.Count ? withRanges : listsOnly;
    }

    /// <summary>OR-lists of at most <paramref name="pageSize"/> ids and <see cref="MaxEncodedFilterLength"/> encoded characters each.</summary>
    private static List<DciIdBatch> OrLists(IReadOnlyList<long> ids, int pageSize)
    {
        var batches = new List<DciIdBatch>();
        var list = new List<long>();
        var length = 0;
        foreach (var id in ids)
        {
            var idLength = Uri.EscapeDataString("id EQ " + id.ToString(CultureInfo.InvariantCulture)).Length;
            if (list.Count > 0 && (list.Count >= pageSize || length + EncodedOrLength + idLength > MaxEncodedFilterLength))
            {
                batches.Add(OrList(list));
                list = new List<long>();
                length = 0;
            }
            length += (list.Count > 0 ? EncodedOrLength : 0) + idLength;
            list.Add(id);
        }
        if (list.Count > 0) batches.Add(OrList(list));
        return batches;
    }

    private static DciIdBatch OrList(List<long> ids) => new(DciFilter.AnyOf("id", ids.Cast<object>()), ids, false);

    /// <summary>
    /// The items one batch matches, or null when the server refused the batch's range (from then on
    /// <see cref="Batches"/> gives OR-lists only).
    /// </summary>
    internal async Task<List<T>?> TryListAsync<T>(DciIdBatch batch, int pageSize, Func<DciQuery, CancellationToken, IAsyncEnumerable<T>> list,
        CancellationToken ct)
    {
        var received = new List<T>();
        try
        {
            await foreach (var item in list(new DciQuery { Where = batch.Filter, PageSize = pageSize }, ct).ConfigureAwait(false)) received.Add(item);
        }
        catch (DciApiException ex) when (batch.IsRange && ex.HttpStatus == 400)
        {
            _rangeRefused = true;
            DciTrace.Verbose("The server refused an id range filter; asking by id lists instead.");
            return null;
        }
        return received;
    }

    /// <summary>
    /// Looks up <paramref name="ids"/> with as few list requests as the filters allow and yields one result per
    /// id, in the order given (a repeated id is answered each time). Ids are taken a page at a time, so the
    /// first results come before later ids are asked.
    /// </summary>
    /// <summary>
    /// For a list that cannot be filtered by id: reads it once and answers every id from it, in the order given,
    /// with a not-found result for an id the list does not hold.
    /// </summary>
    internal static async IAsyncEnumerable<DciLookupResult<T>> PickFromList<T, TKey>(IEnumerable<TKey> ids, IAsyncEnumerable<T> list,
        Func<T, TKey> idOf, Func<TKey, DciApiException> notFound) where T : class where TKey : notnull
    {
        var wanted = ids.ToList();
        if (wanted.Count == 0) yield break;
        var wantedSet = wanted.ToHashSet();
        var found = new Dictionary<TKey, T>();
        await foreach (var item in list.ConfigureAwait(false))
            if (wantedSet.Contains(idOf(item))) found.TryAdd(idOf(item), item);
        foreach (var id in wanted)
            yield return found.TryGetValue(id, out var item)
                ? DciLookupResult<T>.For(id, item, null)
                : DciLookupResult<T>.For(id, null, notFound(id));
    }

    internal async IAsyncEnumerable<DciLookupResult<T>> GetManyAsync<T>(IEnumerable<long> ids, int pageSize,
        Func<DciQuery, CancellationToken, IAsyncEnumerable<T>> list, Func<T, long> idOf, string path, string what,
        [EnumeratorCancellation] CancellationToken ct) where T : class
    {
        ArgumentNullException.ThrowIfNull(ids);
        pageSize = Math.Max(1, pageSize);
        foreach (var chunk in ids.Chunk(pageSize))
        {
            var wanted = chunk.ToHashSet();
            var found = new Dictionary<long, T>();
            foreach (var batch in Batches(chunk, pageSize))
            {
                var items = await TryListAsync(batch, pageSize, list, ct).ConfigureAwait(false);
                if (items is null)
                {
                    foreach (var retry in Batches(batch.Ids, pageSize))
                        Keep(await TryListAsync(retry, pageSize, list, ct).ConfigureAwait(false) ?? new List<T>());
                }
                else Keep(items);
            }
            foreach (var id in chunk)
                yield return found.TryGetValue(id, out var item)
                    ? new DciLookupResult<T>(id, item, null)
                    : new DciLookupResult<T>(id, null, DciPager.NotFound("GET", path, what, id));

            void Keep(List<T> items)
            {
                foreach (var item in items)
                {
                    var id = idOf(item);
                    // A range may hold ids nobody asked for.
                    if (wanted.Contains(id)) found.TryAdd(id, item);
                }
            }
        }
    }
}
