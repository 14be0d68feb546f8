using System.Management.Automation;
using DciManager.Client;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>
/// Turns a PowerShell wildcard (or plain name) into a server-side filter. DCImanager's CP operator knows
/// only "%", so the server narrows the list with CP and the exact PowerShell pattern, without regard to
/// case, decides on what comes back.
/// </summary>
public sealed class DciWildcard
{
    private readonly WildcardPattern _exact;

    private DciWildcard(DciFilter filter, WildcardPattern exact)
    {
        Filter = filter;
        _exact = exact;
    }

    public DciFilter Filter { get; }

    public static DciWildcard For(string field, string pattern)
    {
        var exact = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);

        // PowerShell matches names without regard to case; DCImanager's EQ may not, its CP does.
        if (!WildcardPattern.ContainsWildcardCharacters(pattern))
            return new DciWildcard(DciFilter.Like(field, WildcardPattern.Unescape(pattern)), exact);

        // [a-c] ranges have no CP form: the part before the first bracket narrows the list, the pattern decides.
        var bracket = pattern.IndexOf('[');
        var serverPattern = bracket >= 0 ? pattern[..bracket] + "*" : pattern;
        return new DciWildcard(DciFilter.Wildcard(field, serverPattern), exact);
    }

    /// <summary>True when the value matches the user's exact pattern (the server's CP match is looser).</summary>
    public bool Matches(string? value) => value is not null && _exact.IsMatch(value);
}

/// <summary>
/// Several names or wildcards for one field (-Name a,b*): the server narrows with their OR, each exact
/// pattern decides, and a plain name that matched nothing is reported, as Get-Item and Get-VM do.
/// </summary>
public sealed class DciWildcardList
{
    private readonly string[] _patterns;
    private readonly DciWildcard[] _wildcards;
    private readonly bool[] _matched;

    private DciWildcardList(string field, string[] patterns)
    {
        _patterns = patterns;
        _wildcards = patterns.Select(p => DciWildcard.For(field, p)).ToArray();
        _matched = new bool[patterns.Length];
        Filter = _wildcards.Skip(1).Aggregate(_wildcards[0].Filter, (all, w) => all.Or(w.Filter));
    }

    /// <summary>Null when no pattern was given.</summary>
    public static DciWildcardList? For(string field, string[]? patterns) =>
        patterns is { Length: > 0 } ? new DciWildcardList(field, patterns) : null;

    public DciFilter Filter { get; }

    /// <summary>True when the value matches any pattern; remembers which patterns matched.</summary>
    public bool Matches(string? value)
    {
        var any = false;
        for (var i = 0; i < _wildcards.Length; i++)
        {
            if (!_wildcards[i].Matches(value)) continue;
            _matched[i] = true;
            any = true;
        }
        return any;
    }

    /// <summary>The plain names (no wildcard) that matched nothing; a wildcard that matches nothing stays silent.</summary>
    public IEnumerable<string> NamesNotFound() =>
        _patterns.Where((p, i) => !_matched[i] && !WildcardPattern.ContainsWildcardCharacters(p)).Select(WildcardPattern.Unescape);
}
