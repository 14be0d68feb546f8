namespace DciManager.Client;

/// <summary>The answer for one asked id: the object, or the not-found error for it.</summary>
public sealed class DciLookupResult<T> where T : class
{
    internal DciLookupResult(long id, T? item, DciApiException? error)
    {
        Id = id;
        Key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Item = item;
        Error = error;
    }

    /// <summary>The answer for an id in text form (IMCO's 24-hex ids): <see cref="Id"/> is 0 unless the text is a number.</summary>
    internal DciLookupResult(string key, T? item, DciApiException? error)
    {
        Id = DciIds.TryParseNumber(key, out var number) ? number : 0;
        Key = key;
        Item = item;
        Error = error;
    }

    internal static DciLookupResult<T> For<TKey>(TKey key, T? item, DciApiException? error) where TKey : notnull =>
        key is long number ? new DciLookupResult<T>(number, item, error) : new DciLookupResult<T>(key.ToString()!, item, error);

    public long Id { get; }

    /// <summary>The asked id as its platform spells it (the number as text, or IMCO's hex id).</summary>
    public string Key { get; }

    /// <summary>The object with <see cref="Id"/>; null when it does not exist (see <see cref="Error"/>).</summary>
    public T? Item { get; }

    /// <summary>A 404-style error when there is no object with <see cref="Id"/>.</summary>
    public DciApiException? Error { get; }

    public bool Found => Item is not null;
}
