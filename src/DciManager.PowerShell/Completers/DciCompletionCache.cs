using System.Runtime.CompilerServices;
using DciManager.Client;

namespace DciManager.PowerShell.Completers;

/// <summary>
/// Short-lived lookup lists per connection for tab completion, so that pressing Tab repeatedly does not
/// send a request each time. Entries expire after <see cref="Lifetime"/>; a failed lookup completes
/// nothing rather than breaking the prompt.
/// </summary>
internal static class DciCompletionCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    /// <summary>Upper bound on what one lookup fetches; completion over more would not help anyone.</summary>
    public const int MaxItems = 20_000;

    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(5);

    private static readonly ConditionalWeakTable<DciConnection, Dictionary<string, Entry>> Caches = new();

    public static IReadOnlyList<CompletionItem> Get(DciConnection connection, string kind,
        Func<DciConnection, CancellationToken, IAsyncEnumerable<CompletionItem>> load)
    {
        var cache = Caches.GetValue(connection, _ => new Dictionary<string, Entry>());
        lock (cache)
        {
            if (cache.TryGetValue(kind, out var entry) && DateTimeOffset.UtcNow - entry.LoadedAt < Lifetime) return entry.Items;
        }

        IReadOnlyList<CompletionItem> items;
        try
        {
            using var timeout = new CancellationTokenSource(LookupTimeout);
            items = Task.Run(async () =>
            {
                var list = new List<CompletionItem>();
                await foreach (var item in load(connection, timeout.Token).WithCancellation(timeout.Token).ConfigureAwait(false))
                {
                    list.Add(item);
                    if (list.Count >= MaxItems) break;
                }
                return list;
            }, timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is DciException or OperationCanceledException)
        {
            return Array.Empty<CompletionItem>();
        }

        lock (cache) cache[kind] = new Entry(items, DateTimeOffset.UtcNow);
        return items;
    }

    private sealed record Entry(IReadOnlyList<CompletionItem> Items, DateTimeOffset LoadedAt);
}

/// <summary>A completion candidate: what is inserted, and what the list shows beside it.</summary>
internal sealed record CompletionItem(string Value, string Description);
