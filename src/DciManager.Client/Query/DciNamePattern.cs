using System.Globalization;
using System.Text;

namespace DciManager.Client.Query;

/// <summary>
/// One name as PowerShell's -Name parameters take it: <c>*</c> any run, <c>?</c> one character, <c>[abc]</c> and
/// <c>[a-c]</c> one of a set, a backtick makes the next character literal; matched without regard to case (invariant
/// culture), as WildcardPattern does with IgnoreCase|CultureInvariant. Written here so the engine, and every platform's
/// client-side filter, matches the way the shell does without referencing System.Management.Automation.
/// </summary>
public sealed class DciNamePattern
{
    private enum TokenKind { Literal, AnyOne, AnyRun, Set }

    private readonly record struct Token(TokenKind Kind, char Char = '\0', string? Set = null);

    private readonly Token[] _tokens;

    private DciNamePattern(string text, Token[] tokens, bool hasWildcards)
    {
        Text = text;
        _tokens = tokens;
        HasWildcards = hasWildcards;
    }

    /// <summary>The pattern as the user wrote it.</summary>
    public string Text { get; }

    /// <summary>True when the pattern holds an unescaped <c>*</c>, <c>?</c>, <c>[</c> or <c>]</c> (a plain name otherwise).</summary>
    public bool HasWildcards { get; }

    /// <summary>The pattern with its escapes removed: the name itself, for a plain name.</summary>
    public string Literal => Unescape(Text);

    /// <summary>Parses a pattern; an unclosed or empty <c>[</c> set is an <see cref="ArgumentException"/> (nothing is sent then).</summary>
    public static DciNamePattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var tokens = new List<Token>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '`' && i + 1 < pattern.Length) { tokens.Add(new Token(TokenKind.Literal, pattern[++i])); continue; }
            switch (c)
            {
                case '*':
                    if (tokens.Count == 0 || tokens[^1].Kind != TokenKind.AnyRun) tokens.Add(new Token(TokenKind.AnyRun));
                    break;
                case '?':
                    tokens.Add(new Token(TokenKind.AnyOne));
                    break;
                case '[':
                    i = ParseSet(pattern, i, tokens);
                    break;
                default:
                    tokens.Add(new Token(TokenKind.Literal, c));
                    break;
            }
        }
        return new DciNamePattern(pattern, tokens.ToArray(), ContainsWildcards(pattern));
    }

    /// <summary>A pattern that matches <paramref name="name"/> only, whatever characters it holds.</summary>
    public static DciNamePattern Exactly(string name) => Parse(Escape(name));

    // [abc], [a-c], [`]] ...: the set's characters and ranges, kept as "a-c" pairs and single characters.
    private static int ParseSet(string pattern, int open, List<Token> tokens)
    {
        var set = new StringBuilder();
        var i = open + 1;
        for (; i < pattern.Length && pattern[i] != ']'; i++)
        {
            var c = pattern[i];
            if (c == '`' && i + 1 < pattern.Length) c = pattern[++i];
            set.Append(c);
        }
        if (i >= pattern.Length)
            throw new ArgumentException($"The wildcard pattern '{pattern}' is not valid: the '[' at position {open + 1} is never closed.", nameof(pattern));
        if (set.Length == 0)
            throw new ArgumentException($"The wildcard pattern '{pattern}' is not valid: the set at position {open + 1} is empty.", nameof(pattern));
        tokens.Add(new Token(TokenKind.Set, Set: set.ToString()));
        return i;
    }

    /// <summary>True when <paramref name="value"/> matches the whole pattern, without regard to case.</summary>
    public bool IsMatch(string? value)
    {
        if (value is null) return false;
        // The classic two-cursor walk: on a mismatch, the last '*' takes one more character.
        int t = 0, v = 0, starToken = -1, starValue = 0;
        while (v < value.Length)
        {
            if (t < _tokens.Length && _tokens[t].Kind != TokenKind.AnyRun && MatchesOne(_tokens[t], value[v]))
            {
                t++; v++;
            }
            else if (t < _tokens.Length && _tokens[t].Kind == TokenKind.AnyRun)
            {
                starToken = t++;
                starValue = v;
            }
            else if (starToken >= 0)
            {
                t = starToken + 1;
                v = ++starValue;
            }
            else return false;
        }
        while (t < _tokens.Length && _tokens[t].Kind == TokenKind.AnyRun) t++;
        return t == _tokens.Length;
    }

    private static bool MatchesOne(Token token, char c) => token.Kind switch
    {
        TokenKind.AnyOne => true,
        TokenKind.Literal => SameIgnoringCase(token.Char, c),
        TokenKind.Set => InSet(token.Set!, c),
        _ => false,
    };

    private static bool SameIgnoringCase(char a, char b) =>
        a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b) || char.ToLowerInvariant(a) == char.ToLowerInvariant(b);

    private static bool InSet(string set, char c)
    {
        var upper = char.ToUpperInvariant(c);
        var lower = char.ToLowerInvariant(c);
        for (var i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                var from = set[i];
                var to = set[i + 2];
                if (InRange(c, from, to) || InRange(upper, from, to) || InRange(lower, from, to)) return true;
                i += 2;
            }
            else if (SameIgnoringCase(set[i], c)) return true;
        }
        return false;
    }

    private static bool InRange(char c, char from, char to) => c >= from && c <= to;

    /// <summary>True when <paramref name="pattern"/> holds an unescaped wildcard character.</summary>
    public static bool ContainsWildcards(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '`') { i++; continue; }
            if (pattern[i] is '*' or '?' or '[' or ']') return true;
        }
        return false;
    }

    /// <summary>Removes the backtick before a wildcard character (or a backtick); other backticks stay, as in the shell.</summary>
    public static string Unescape(string pattern)
    {
        if (!pattern.Contains('`')) return pattern;
        var sb = new StringBuilder(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '`' && i + 1 < pattern.Length && pattern[i + 1] is '*' or '?' or '[' or ']' or '`') i++;
            sb.Append(pattern[i]);
        }
        return sb.ToString();
    }

    /// <summary>Backtick-escapes every wildcard character (and backtick) so the text matches only itself.</summary>
    public static string Escape(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (c is '*' or '?' or '[' or ']' or '`') sb.Append('`');
            sb.Append(c);
        }
        return sb.ToString();
    }

    public override string ToString() => Text;
}

/// <summary>
/// Several names or wildcards for one property (-Name a,b*): a value passes when any pattern matches, and the plain
/// names (no wildcard) that matched nothing can be reported afterwards, as Get-Item and Get-VM do. One instance serves
/// one listing: it remembers which patterns matched.
/// </summary>
public sealed class DciNameMatch
{
    private readonly DciNamePattern[] _patterns;
    private readonly bool[] _matched;

    private DciNameMatch(DciNamePattern[] patterns)
    {
        _patterns = patterns;
        _matched = new bool[patterns.Length];
    }

    /// <summary>Null when no pattern is given.</summary>
    public static DciNameMatch? For(IEnumerable<string>? patterns)
    {
        var parsed = patterns?.Select(DciNamePattern.Parse).ToArray();
        return parsed is { Length: > 0 } ? new DciNameMatch(parsed) : null;
    }

    public static DciNameMatch? For(string? pattern) => pattern is null ? null : For(new[] { pattern });

    /// <summary>A match on exactly this name (its wildcard characters taken literally).</summary>
    public static DciNameMatch Exactly(string name) => new(new[] { DciNamePattern.Exactly(name) });

    public IReadOnlyList<DciNamePattern> Patterns => _patterns;

    /// <summary>True when the value matches any pattern; remembers which patterns matched.</summary>
    public bool Matches(string? value)
    {
        var any = false;
        for (var i = 0; i < _patterns.Length; i++)
        {
            if (!_patterns[i].IsMatch(value)) continue;
            _matched[i] = true;
            any = true;
        }
        return any;
    }

    /// <summary>The plain names that matched nothing (unescaped); a wildcard that matches nothing stays silent.</summary>
    public IEnumerable<string> NamesNotFound() =>
        _patterns.Where((p, i) => !_matched[i] && !p.HasWildcards).Select(p => p.Literal);

    public override string ToString() => string.Join(",", _patterns.Select(p => p.Text));
}
