namespace DciManager.Client;

/// <summary>The answer for one asked id: the object, or the not-found error for it.</summary>
public sealed class DciLookupResult<T> where T : class
{
    internal DciLookupResult(long id, T? item, DciApiException? error)
    {
        Id = id;
        Item = item;
        Error = error;
    }

    public long Id { get; }

    /// <summary>The object with <see cref="Id"/>; null when it does not exist (see <see cref="Error"/>).</summary>
    public T? Item { get; }

    /// <summary>A 404-style error when there is no object with <see cref="Id"/>.</summary>
    public DciApiException? Error { get; }

    public bool Found => Item is not null;
}
