namespace DciManager.Client.Platforms.Imco;

/// <summary>IMCO ids: 24 hexadecimal characters (MongoDB ObjectIds), checked before any request.</summary>
internal static class ImcoId
{
    /// <summary>The id, trimmed; an <see cref="ArgumentException"/> naming <paramref name="what"/> when it is not 24 hex characters.</summary>
    public static string Validate(string? id, string what)
    {
        var trimmed = id?.Trim() ?? "";
        if (!DciIds.IsImcoId(trimmed))
        {
            var shown = trimmed.Length > 40 ? trimmed[..40] + "..." : trimmed;
            throw new ArgumentException($"'{Printable(shown)}' is not an IMCO {what} id: IMCO ids are 24 hexadecimal characters (e.g. 5aabb7521de0240abb000001).", nameof(id));
        }
        return trimmed;
    }

    /// <summary>The id validated and escaped for a path segment.</summary>
    public static string Segment(string? id, string what) => Uri.EscapeDataString(Validate(id, what));

    private static string Printable(string text) => new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
