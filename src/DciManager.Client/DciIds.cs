using System.Globalization;

namespace DciManager.Client;

/// <summary>
/// Ids as users give them. DCImanager 6, DCImanager 5 and openDCIM number their objects (DCImanager 5 sends the
/// numbers as text); IMCO names them with 24 hexadecimal characters (MongoDB ObjectIds). A parameter that takes an
/// id accepts either form; the platform of the connection then decides which one it needs.
/// </summary>
public static class DciIds
{
    /// <summary>The length of an IMCO id.</summary>
    public const int ImcoIdLength = 24;

    /// <summary>True for a whole number from 1 to <see cref="long.MaxValue"/> (surrounding spaces allowed).</summary>
    public static bool TryParseNumber(string? text, out long id)
    {
        id = 0;
        return text is not null
               && long.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id)
               && id > 0;
    }

    /// <summary>True for exactly 24 hexadecimal characters, IMCO's id form.</summary>
    public static bool IsImcoId(string? text)
    {
        if (text is null || text.Length != ImcoIdLength) return false;
        foreach (var c in text)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }

    /// <summary>True when <paramref name="text"/> is an id on some platform.</summary>
    public static bool IsWellFormed(string? text) => TryParseNumber(text, out _) || IsImcoId(text?.Trim());

    /// <summary>Why <paramref name="text"/> is not an id at all, for parameter validation.</summary>
    public static string Describe(string? text) =>
        $"'{text}' is not an id: ids are whole numbers from 1 to {long.MaxValue} (DCImanager 6, DCImanager 5, openDCIM) " +
        $"or {ImcoIdLength} hexadecimal characters (IMCO).";

    /// <summary>Null when <paramref name="text"/> is a <paramref name="what"/> id on <paramref name="platform"/>, else why not.</summary>
    public static string? Problem(string text, DciPlatform platform, string what = "server") =>
        platform == DciPlatform.Imco
            ? IsImcoId(text.Trim()) ? null : Platforms.Imco.ImcoId.NotAnId(text.Trim(), what)
            : TryParseNumber(text, out _) ? null : $"'{text}' is not a {platform} {what} id: ids there are whole numbers from 1 to {long.MaxValue}.";

    /// <summary>The number a numbering platform needs; an <see cref="ArgumentException"/> naming the platform for any other form.</summary>
    public static long ToNumber(string text, DciPlatform platform, string what = "server") =>
        platform != DciPlatform.Imco && TryParseNumber(text, out var id) ? id : throw new ArgumentException(Problem(text, platform, what) ?? $"'{text}' is not a {what} id.");
}
