using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization.Metadata;
using DciManager.Client.Http;
using DciManager.Client.Models;

namespace DciManager.Client.Query;

/// <summary>
/// The one paging enumerator behind every list: requests <c>limit=offset,PageSize</c> (plus where and orderby) and
/// yields the items in the server's order. Once the consumer has taken the whole first page and that page has said
/// how many there are (<c>size</c>), the next pages are requested ahead, at most <see cref="PagesAhead"/> of them
/// while a page is being emitted (<see cref="PagesAhead"/> + 1 while waiting for one), so later pages travel while
/// earlier ones are read. A consumer that stops (Select-Object -First) cancels what is in flight; one that stops
/// within the first page has cost exactly one request.
/// </summary>
/// <remarks>
/// A server that does not page honestly is stopped rather than followed: a page that brings no item not already
/// listed (the same page again, whatever <c>size</c> says), a page that goes past the <c>size</c> it announces, and
/// a negative <c>size</c> are errors. An item repeated from an earlier page (the list shifted while it was read) is
/// listed once.
/// </remarks>
internal static class DciPager
{
    /// <summary>Pages in flight while a page is emitted; bounds the memory held to a few pages.</summary>
    internal const int PagesAhead = 3;

    public static async IAsyncEnumerable<T> ListAsync<T>(DciConnection connection, string path, DciQuery? query,
        JsonTypeInfo<DciList<T>> typeInfo, Action<T>? prepare, [EnumeratorCancellation] CancellationToken ct = default)
        where T : DciObject
    {
        var pageSize = query?.PageSize ?? connection.Options.PageSize;
        if (pageSize < 1) throw new ArgumentOutOfRangeException(nameof(query), "PageSize must be at least 1.");
        var where = query?.Where?.ToString();
        var orderBy = string.IsNullOrWhiteSpace(query?.OrderBy) ? null : DciOrderBy.Parse(query!.OrderBy!);

        // Ends with the enumeration: pages requested ahead are cancelled when the consumer stops.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ahead = new Queue<(long Offset, Task<DciList<T>> Page)>();
        var listed = new ListedItems<T>(path);
        Task<DciList<T>> Request(long offset)
        {
            var request = new DciRequest(HttpMethod.Get, path)
                .With("where", where)
                .With("orderby", orderBy)
                .With("limit", offset.ToString(CultureInfo.InvariantCulture) + "," + pageSize.ToString(CultureInfo.InvariantCulture));
            return connection.Transport.SendAsync(request, typeInfo, stop.Token);
        }

        long nextOffset = pageSize;
        void TopUp(long known)
        {
            while (ahead.Count < PagesAhead && nextOffset < known)
            {
                ahead.Enqueue((nextOffset, Request(nextOffset)));
                nextOffset += pageSize;
            }
        }

        try
        {
            long offset = 0;
            var page = await ReadAsync(Request(0), path, 0).ConfigureAwait(false);
            while (true)
            {
                var items = page.List ?? new List<T?>();
                var size = CheckSize(path, offset, items.Count, page.Size);
                foreach (var item in listed.NewItems(offset, items))
                {
                    item.Connection = connection;
                    prepare?.Invoke(item);
                    yield return item;
                }
                offset += items.Count;
                DciTrace.ListProgress(path, offset, size);
                // A short or empty page is the last; a page longer than asked means the server ignored limit.
                if (items.Count == 0 || items.Count != pageSize) yield break;
                if (size is { } total && offset >= total) yield break;

                if (size is { } known) TopUp(known);
                if (ahead.Count == 0)
                {
                    if (size is not null) yield break;
                    // Without a count there is nothing to plan by: one page after the other until a short one.
                    ahead.Enqueue((offset, Request(offset)));
                    nextOffset = offset + pageSize;
                }
                // Every page before was full, so the queue is in step: its head is the page at this offset.
                var next = ahead.Dequeue();
                if (size is { } stillKnown) TopUp(stillKnown);
                page = await ReadAsync(next.Page, path, next.Offset).ConfigureAwait(false);
                offset = next.Offset;
            }
        }
        finally
        {
            stop.Cancel();
            // Wait for the cancelled requests, so none outlives the enumeration or faults unobserved.
            while (ahead.TryDequeue(out var pending))
            {
                try { await pending.Page.ConfigureAwait(false); }
                catch (Exception) { /* abandoned: the consumer stopped or an earlier page failed */ }
            }
        }
    }

    /// <summary>
    /// The page, or an error that names the item and field whose value could not be read (<c>{"id":1e400}</c>, a string
    /// id): the serializer only says "$.list[3].id", and the transport, which knows nothing of pages, calls the whole
    /// body "not valid JSON" although it is.
    /// </summary>
    private static async Task<DciList<T>> ReadAsync<T>(Task<DciList<T>> page, string path, long offset)
    {
        try
        {
            return await page.ConfigureAwait(false);
        }
        catch (DciApiException ex) when (ex.HttpStatus is >= 200 and < 300 && ex.InnerException is JsonException { Path: { } jsonPath } json
                                         && json.InnerException is not JsonException // a syntax error is the transport's "not valid JSON"
                                         && s_itemPath.Match(jsonPath) is { Success: true } item)
        {
            var index = long.Parse(item.Groups[1].Value, CultureInfo.InvariantCulture);
            var field = item.Groups[2].Value.Length > 0 ? item.Groups[2].Value : "(the item itself)";
            var reason = json.Message;
            var cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut];
            var problem = $"item {(index + 1).ToString(CultureInfo.InvariantCulture)} of the page at offset {offset.ToString(CultureInfo.InvariantCulture)} " +
                          $"has a value in '{field}' that cannot be read ({reason.TrimEnd('.')})";
            throw new DciApiException($"GET {path}: HTTP {ex.HttpStatus} list answer: {problem}; listing stopped.", ex.HttpStatus, null, problem, null,
                "GET", path, ex.ResponseSnippet, ex);
        }
    }

    private static readonly Regex s_itemPath = new(@"^\$\.list\[(\d+)\]\.?(.*)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>The page's <c>size</c>, refused when it is negative or smaller than what this page itself reaches.</summary>
    private static long? CheckSize(string path, long offset, int count, long? size)
    {
        if (size is < 0)
            throw Malformed(path, $"it says size {size.Value.ToString(CultureInfo.InvariantCulture)}, a negative count");
        if (size is { } total && offset + count > total)
            throw Malformed(path, $"the page at offset {offset.ToString(CultureInfo.InvariantCulture)} holds {count.ToString(CultureInfo.InvariantCulture)} " +
                                  $"items, past the size {total.ToString(CultureInfo.InvariantCulture)} it announces");
        return size;
    }

    internal static DciApiException Malformed(string path, string problem) =>
        new($"GET {path}: the list answer (HTTP 200) cannot be paged: {problem}; listing stopped.", 200, null, problem, null, "GET", path);

    /// <summary>
    /// What has been listed so far, by id: a later page's item already listed is dropped, and a page with items
    /// none of which is new means the server is sending the same items again (it ignores <c>limit</c>).
    /// Items without an id (configurations) are judged by the page as a whole.
    /// </summary>
    private sealed class ListedItems<T>(string path) where T : DciObject
    {
        private readonly HashSet<long> _ids = new();
        private readonly HashSet<int> _idlessPages = new();

        public List<T> NewItems(long offset, List<T?> items)
        {
            var fresh = new List<T>(items.Count);
            var idless = new HashCode();
            var idlessCount = 0;
            foreach (var item in items)
            {
                if (item is null) continue;
                if (IdOf(item) is { } id)
                {
                    if (_ids.Add(id)) fresh.Add(item);
                }
                else
                {
                    idless.Add(item.ToString());
                    idlessCount++;
                    fresh.Add(item);
                }
            }
            var repeatedIdless = idlessCount > 0 && !_idlessPages.Add(idless.ToHashCode());
            var nothingNew = fresh.Count == 0 || (fresh.Count == idlessCount && repeatedIdless);
            if (items.Count > 0 && nothingNew && offset > 0)
                throw Malformed(path, $"the page at offset {offset.ToString(CultureInfo.InvariantCulture)} brings no item that was not already listed " +
                                      "(the server sends the same items again and seems to ignore 'limit')");
            return fresh;
        }

        private static long? IdOf(DciObject item)
        {
            long id = item switch
            {
                DciServer s => s.Id,
                DciUser u => u.Id,
                DciTask t => t.Id,
                DciIpAddress a => a.Id,
                DciIpNetwork n => n.Id,
                DciIpPool p => p.Id,
                DciOsTemplate o => o.Id,
                _ => 0,
            };
            return id > 0 ? id : null;
        }
    }

    /// <summary>The first item of a <c>where id EQ n</c> list, or a 404-style error.</summary>
    public static async Task<T> GetByIdAsync<T>(DciConnection connection, string path, long id, string what,
        JsonTypeInfo<DciList<T>> typeInfo, Action<T>? prepare, CancellationToken ct) where T : DciObject
    {
        var query = new DciQuery { Where = DciFilter.Eq("id", id), PageSize = 1 };
        await foreach (var item in ListAsync(connection, path, query, typeInfo, prepare, ct).ConfigureAwait(false))
            return item;
        throw NotFound("GET", path, what, id);
    }

    public static DciApiException NotFound(string method, string path, string what, long id) =>
        NotFound(method, path, what, id.ToString(CultureInfo.InvariantCulture));

    public static DciApiException NotFound(string method, string path, string what, string id) =>
        new($"{method} {path}: {what} {id} was not found (HTTP 404).", 404, null, $"{what} {id} was not found.", null, method, path);
}
