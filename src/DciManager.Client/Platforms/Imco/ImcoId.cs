namespace DciManager.Client.Platforms.Imco;

/// <summary>IMCO ids: 24 hexadecimal characters (MongoDB ObjectIds), checked before any request.</summary>
internal static class ImcoId
{
    /// <summary>The id, trimmed; an <see cref="ArgumentException"/> naming <paramref name="what"/> when it is not 24 hex characters.</summary>
    public static string Validate(string? id, string what)
    {
        var trimmed = id?.Trim() ?? "";
        if (!DciIds.IsImcoId(trimmed)) throw new ArgumentException(NotAnId(trimmed, what), nameof(id));
        return trimmed;
    }

    /// <summary>Why <paramref name="id"/> is refused (shortened and printable, since it may be anything a user or a pipeline passed).</summary>
    public static string NotAnId(string id, string what)
    {
        var shown = id.Length > 40 ? id[..40] + "..." : id;
        return $"'{Printable(shown)}' is not an IMCO {what} id: IMCO ids are 24 hexadecimal characters (e.g. 5aabb7521de0240abb000001).";
    }

    /// <summary>The id validated and escaped for a path segment.</summary>
    public static string Segment(string? id, string what) => Uri.EscapeDataString(Validate(id, what));

    private static string Printable(string text) => new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
