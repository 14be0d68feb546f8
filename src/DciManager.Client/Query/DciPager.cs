using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using DciManager.Client.Http;
using DciManager.Client.Models;

namespace DciManager.Client.Query;

/// <summary>
/// The one paging enumerator behind every list: requests <c>limit=offset,PageSize</c> (plus where and
/// orderby), yields each item of a page before asking for the next, stops at <c>size</c> or a short page.
/// </summary>
internal static class DciPager
{
    public static async IAsyncEnumerable<T> ListAsync<T>(DciConnection connection, string path, DciQuery? query,
        JsonTypeInfo<DciList<T>> typeInfo, Action<T>? prepare, [EnumeratorCancellation] CancellationToken ct = default)
        where T : DciObject
    {
        var pageSize = query?.PageSize ?? connection.Options.PageSize;
        if (pageSize < 1) throw new ArgumentOutOfRangeException(nameof(query), "PageSize must be at least 1.");
        var where = query?.Where?.ToString();
        var orderBy = string.IsNullOrWhiteSpace(query?.OrderBy) ? null : DciOrderBy.Parse(query!.OrderBy!);
        long offset = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var request = new DciRequest(HttpMethod.Get, path)
                .With("where", where)
                .With("orderby", orderBy)
                .With("limit", offset.ToString(CultureInfo.InvariantCulture) + "," + pageSize.ToString(CultureInfo.InvariantCulture));
            var page = await connection.Transport.SendAsync(request, typeInfo, ct).ConfigureAwait(false);
            var items = page.List ?? new List<T?>();
            foreach (var item in items)
            {
                if (item is null) continue;
                item.Connection = connection;
                prepare?.Invoke(item);
                yield return item;
            }
            offset += items.Count;
            DciTrace.ListProgress(path, offset, page.Size);
            // A short or empty page is the last; a page longer than asked means the server ignored limit.
            if (items.Count == 0 || items.Count != pageSize) yield break;
            if (page.Size is { } size && offset >= size) yield break;
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
        new($"{method} {path}: {what} {id.ToString(CultureInfo.InvariantCulture)} was not found (HTTP 404).", 404, null,
            $"{what} {id.ToString(CultureInfo.InvariantCulture)} was not found.", null, method, path);
}
