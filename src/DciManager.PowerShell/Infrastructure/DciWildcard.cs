using System.Management.Automation;
using DciManager.Client;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>
/// Turns a PowerShell wildcard into a server-side filter. DCImanager's CP operator knows only "%", so
/// * and ? narrow the list on the server and the exact PowerShell pattern is applied to what comes back.
/// </summary>
public sealed class DciWildcard
{
    private readonly WildcardPattern? _exact;

    private DciWildcard(DciFilter filter, WildcardPattern? exact)
    {
        Filter = filter;
        _exact = exact;
    }

    public DciFilter Filter { get; }

    public static DciWildcard For(string field, string pattern)
    {
        if (!WildcardPattern.ContainsWildcardCharacters(pattern))
            return new DciWildcard(DciFilter.Eq(field, WildcardPattern.Unescape(pattern)), null);

        // [a-c] ranges have no CP form: the part before the first bracket narrows the list, the pattern decides.
        var bracket = pattern.IndexOf('[');
        var serverPattern = bracket >= 0 ? pattern[..bracket] + "*" : pattern;
        return new DciWildcard(DciFilter.Wildcard(field, serverPattern),
            WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant));
    }

    /// <summary>True when the value matches the user's exact pattern (the server's CP match is looser for ?).</summary>
    public bool Matches(string? value) => _exact is null || (value is not null && _exact.IsMatch(value));
}
