using System.Management.Automation.Language;

namespace DciManager.PowerShell.Completers;

/// <summary>
/// The one place that turns a value a server sent into text inserted on the command line. Names come from
/// the panel, so they are data: the inserted text must parse as exactly one string argument, whatever the
/// name holds.
/// </summary>
internal static class DciCompletionText
{
    /// <summary>
    /// A plain word (ASCII letter first, then letters, digits, '.', '_', '@', '-'), or an all-digit id, is
    /// inserted as it is; anything else goes in single quotes, escaped by PowerShell's own
    /// <see cref="CodeGeneration.EscapeSingleQuotedStringContent"/>, which doubles every character that
    /// ends a single-quoted string (the ASCII quote and U+2018..U+201B alike).
    /// </summary>
    public static string Quote(string value, bool isId = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (isId && value.Length > 0 && value.All(char.IsAsciiDigit)) return value;
        // A leading letter keeps a bare word from reading as a parameter (-x, and the Unicode dashes),
        // a number (0x10, 1e5), splatting (@x), a variable or a sub-expression.
        if (value.Length > 0 && char.IsAsciiLetter(value[0]) && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'))
            return value;
        return "'" + CodeGeneration.EscapeSingleQuotedStringContent(value) + "'";
    }

    /// <summary>
    /// What the user typed, without the quote they opened (any of PowerShell's single or double quotes) and
    /// with doubled single quotes read back as one.
    /// </summary>
    public static string Unquote(string? word)
    {
        if (string.IsNullOrEmpty(word)) return "";
        var open = word[0];
        if (IsSingleQuote(open) || IsDoubleQuote(open))
        {
            var text = word[1..];
            if (text.Length > 0 && (IsSingleQuote(open) ? IsSingleQuote(text[^1]) : IsDoubleQuote(text[^1]))) text = text[..^1];
            return IsSingleQuote(open) ? CollapseDoubledSingleQuotes(text) : text;
        }
        return word;
    }

    private static bool IsSingleQuote(char c) => c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B';

    private static bool IsDoubleQuote(char c) => c is '"' or '\u201C' or '\u201D' or '\u201E';

    private static string CollapseDoubledSingleQuotes(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            sb.Append(text[i]);
            if (IsSingleQuote(text[i]) && i + 1 < text.Length && IsSingleQuote(text[i + 1])) i++;
        }
        return sb.ToString();
    }
}
