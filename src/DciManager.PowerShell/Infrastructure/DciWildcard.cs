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
