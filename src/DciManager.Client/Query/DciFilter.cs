using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DciManager.Client;

/// <summary>
/// An immutable <c>where</c> expression. Values are rendered as literals (strings quoted, quotes and
/// backslashes escaped, <c>%</c> escaped inside CP patterns), so no input can change the filter's meaning.
/// Field names must match <c>[A-Za-z_][A-Za-z0-9_.]*</c>.
/// </summary>
public sealed class DciFilter
{
    private enum Kind { Atom, And, Or, Not, Raw }

    private static readonly Regex s_field = new("^[A-Za-z_][A-Za-z0-9_.]*$", RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private readonly string _text;
    private readonly Kind _kind;

    private DciFilter(string text, Kind kind)
    {
        _text = text;
        _kind = kind;
    }

    /// <summary><c>field EQ value</c>; a null value gives <c>field IS null</c>.</summary>
    public static DciFilter Eq(string field, object? value) =>
        value is null ? IsNull(field) : Atom($"{Field(field)} EQ {Literal(value)}");

    /// <summary><c>field NE value</c>; a null value gives "is not null".</summary>
    public static DciFilter Ne(string field, object? value) =>
        value is null ? IsNotNull(field) : Atom($"{Field(field)} NE {Literal(value)}");

    /// <summary>
    /// <c>field CP '%text%'</c>: the field contains <paramref name="text"/> literally (its <c>%</c>, quotes and
    /// backslashes are escaped). For a pattern with wildcards use <see cref="Wildcard"/> or <see cref="LikeWildcard"/>.
    /// </summary>
    public static DciFilter Like(string field, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Atom($"{Field(field)} CP '%{EscapePattern(text)}%'");
    }

    /// <summary><c>field CP 'text%'</c>: the field starts with <paramref name="text"/> literally (escaped as in <see cref="Like"/>).</summary>
    public static DciFilter StartsWith(string field, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Atom($"{Field(field)} CP '{EscapePattern(text)}%'");
    }

    /// <summary><c>field CP 'pattern'</c> where <c>%</c> in <paramref name="sqlPattern"/> is a wildcard; quotes and backslashes are escaped.</summary>
    public static DciFilter LikeWildcard(string field, string sqlPattern)
    {
        ArgumentNullException.ThrowIfNull(sqlPattern);
        return Atom($"{Field(field)} CP '{EscapeString(sqlPattern)}'");
    }

    /// <summary>
    /// A PowerShell wildcard: <c>*</c> and <c>?</c> become <c>%</c>, a backtick escapes the next character,
    /// every other character is literal. Without wildcard characters this is <see cref="Eq"/>.
    /// </summary>
    public static DciFilter Wildcard(string field, string powerShellWildcard)
    {
        ArgumentNullException.ThrowIfNull(powerShellWildcard);
        if (!HasWildcard(powerShellWildcard)) return Eq(field, Unescape(powerShellWildcard));
        var sb = new StringBuilder(powerShellWildcard.Length + 8);
        var lastWasPercent = false;
        for (var i = 0; i < powerShellWildcard.Length; i++)
        {
            var c = powerShellWildcard[i];
            if (c == '`' && i + 1 < powerShellWildcard.Length)
            {
                sb.Append(EscapePattern(powerShellWildcard[++i].ToString()));
                lastWasPercent = false;
            }
            else if (c is '*' or '?')
            {
                if (!lastWasPercent) sb.Append('%');
                lastWasPercent = true;
            }
            else
            {
                sb.Append(EscapePattern(c.ToString()));
                lastWasPercent = false;
            }
        }
        return Atom($"{Field(field)} CP '{sb}'");
    }

    /// <summary>True when <paramref name="text"/> holds an unescaped <c>*</c> or <c>?</c>.</summary>
    public static bool HasWildcard(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '`') { i++; continue; }
            if (text[i] is '*' or '?') return true;
        }
        return false;
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('`')) return text;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '`' && i + 1 < text.Length) i++;
            sb.Append(text[i]);
        }
        return sb.ToString();
    }

    public static DciFilter IsNull(string field) => Atom($"{Field(field)} IS null");

    public static DciFilter IsNotNull(string field) => new($"NOT {Field(field)} IS null", Kind.Not);

    /// <summary>User-written <c>where</c> text, kept as is inside parentheses.</summary>
    public static DciFilter Raw(string where)
    {
        if (string.IsNullOrWhiteSpace(where)) throw new ArgumentException("The where expression is empty.", nameof(where));
        CheckBalanced(where);
        return new DciFilter($"({where.Trim()})", Kind.Raw);
    }

    /// <summary>
    /// Raw text is combined with other conditions inside parentheses, so unbalanced parentheses or an
    /// unclosed quote (<c>x) OR (y</c>) would escape them and change what the other conditions mean.
    /// </summary>
    private static void CheckBalanced(string where)
    {
        var depth = 0;
        var quoteStart = -1;
        for (var i = 0; i < where.Length; i++)
        {
            var c = where[i];
            if (quoteStart >= 0)
            {
                if (c == '\\') i++;
                else if (c == '\'') quoteStart = -1;
                continue;
            }
            switch (c)
            {
                case '\'': quoteStart = i; break;
                case '(': depth++; break;
                case ')' when --depth < 0:
                    throw new ArgumentException($"The where expression closes a parenthesis it never opened, at position {i + 1}.", nameof(where));
            }
        }
        if (quoteStart >= 0) throw new ArgumentException($"The where expression has a quote that is never closed, at position {quoteStart + 1}.", nameof(where));
        if (depth > 0) throw new ArgumentException($"The where expression leaves {depth} parenthesis(es) open.", nameof(where));
    }

    /// <summary><c>(field EQ a OR field EQ b ...)</c>.</summary>
    public static DciFilter AnyOf(string field, IEnumerable<object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var f = Field(field);
        var parts = values.Select(v => v is null ? $"{f} IS null" : $"{f} EQ {Literal(v)}").ToList();
        if (parts.Count == 0) throw new ArgumentException("AnyOf needs at least one value.", nameof(values));
        return parts.Count == 1 ? Atom(parts[0]) : new DciFilter(string.Join(" OR ", parts), Kind.Or);
    }

    public DciFilter And(DciFilter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new DciFilter($"{Operand(this, Kind.And)} AND {Operand(other, Kind.And)}", Kind.And);
    }

    public DciFilter Or(DciFilter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new DciFilter($"{Operand(this, Kind.Or)} OR {Operand(other, Kind.Or)}", Kind.Or);
    }

    public DciFilter Not() => new($"NOT ({_text})", Kind.Not);

    /// <summary>The AND of the non-null filters, or null when there are none.</summary>
    public static DciFilter? All(params DciFilter?[] filters)
    {
        DciFilter? result = null;
        foreach (var f in filters ?? Array.Empty<DciFilter?>())
        {
            if (f is null) continue;
            result = result is null ? f : result.And(f);
        }
        return result;
    }

    public override string ToString() => _text;

    public override bool Equals(object? obj) => obj is DciFilter other && other._text == _text;

    public override int GetHashCode() => _text.GetHashCode(StringComparison.Ordinal);

    private static DciFilter Atom(string text) => new(text, Kind.Atom);

    private static string Operand(DciFilter f, Kind parent) =>
        f._kind == Kind.Atom || f._kind == Kind.Raw || f._kind == parent ? f._text : $"({f._text})";

    /// <summary>Validates a field name; throws <see cref="ArgumentException"/> for anything else.</summary>
    public static string Field(string field)
    {
        if (field is null || !s_field.IsMatch(field))
            throw new ArgumentException($"'{field}' is not a valid field name (letters, digits, '_' and '.', not starting with a digit).", nameof(field));
        return field;
    }

    /// <summary>Renders a value as a where literal.</summary>
    public static string Literal(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        sbyte or byte or short or ushort or int or uint or long or ulong => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        float f when float.IsFinite(f) => f.ToString("R", CultureInfo.InvariantCulture),
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateTime dt => Quote(dt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        DateTimeOffset dto => Quote(dto.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        Enum e => Quote(e.ToString().ToLowerInvariant()),
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static string Quote(string s) => "'" + EscapeString(s) + "'";

    /// <summary>Backslash-escapes backslashes and single quotes.</summary>
    internal static string EscapeString(string s)
    {
        var sb = new StringBuilder(s.Length + 4);
        foreach (var c in s)
        {
            if (c is '\\' or '\'') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Like <see cref="EscapeString"/>, and <c>%</c> becomes <c>\%</c>.</summary>
    internal static string EscapePattern(string s)
    {
        var sb = new StringBuilder(s.Length + 4);
        foreach (var c in s)
        {
            if (c is '\\' or '\'' or '%') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}

/// <summary>Filter, order and page size of one list call.</summary>
public sealed class DciQuery
{
    public DciFilter? Where { get; init; }

    /// <summary>"name", "name desc", "-name" ... (validated by <see cref="DciOrderBy.Parse"/>).</summary>
    public string? OrderBy { get; init; }

    /// <summary>Overrides <see cref="DciConnectionOptions.PageSize"/> for this call.</summary>
    public int? PageSize { get; init; }
}

/// <summary>Parses sort specifications into the API's <c>orderby</c> form.</summary>
public static class DciOrderBy
{
    /// <summary>
    /// Accepts "name", "name asc", "-name", "+name", "name desc" (several keys separated by commas) and
    /// returns "name asc" / "name desc". Throws <see cref="ArgumentException"/> for anything else.
    /// </summary>
    public static string Parse(string text) => string.Join(", ", DciManager.Client.Query.DciSortKey.Parse(text));
}
