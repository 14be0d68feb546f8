using System.Management.Automation;
using DciManager.Client.Query;

namespace DciManager.PowerShell.Tests;

/// <summary>
/// The engine's matcher (written without System.Management.Automation) against PowerShell's own WildcardPattern,
/// over every pattern and value of a small alphabet of the characters that matter: a cmdlet must match the way
/// the shell does.
/// </summary>
public class NamePatternParityTests
{
    private static readonly string[] s_patterns =
    {
        "web*", "WEB0?", "*01", "w*b*1", "?", "*", "**", "", "db-[a-c]1", "db-[abc]?", "[w]eb01", "x[`]]", "a`*b", "a``b", "a`b",
        "a`", "`[a]", "a]b", "a-b", "[a-]x", "[-a]x", "*[0-9]", "web`?1", "[A-C]*", "50% off", "o'brien*", "a?b*c?",
    };

    private static readonly string[] s_values =
    {
        "", "web01", "WEB01", "web1", "wb1", "db-a1", "DB-B1", "db-d1", "db-c9", "weB01", "x]", "x", "a*b", "axb", "a`b", "ab", "a``b",
        "a`", "a", "[a]", "a]b", "a-b", "-x", "ax", "bx", "web7", "web?1", "Bob", "50% off", "O'Brien@x", "aXbYcZ", "aXbc",
    };

    public static IEnumerable<object[]> Patterns() => s_patterns.Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Matches_exactly_as_WildcardPattern_does(string pattern)
    {
        var shell = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
        var engine = DciNamePattern.Parse(pattern);
        Assert.Equal(WildcardPattern.ContainsWildcardCharacters(pattern), engine.HasWildcards);
        Assert.Equal(WildcardPattern.Unescape(pattern), engine.Literal);
        foreach (var value in s_values)
            Assert.True(shell.IsMatch(value) == engine.IsMatch(value), $"'{pattern}' on '{value}': shell {shell.IsMatch(value)}, engine {engine.IsMatch(value)}");
    }

    [Theory]
    [InlineData("a*[b]?`c")]
    [InlineData("plain")]
    [InlineData("o'brien@x.test")]
    public void Exactly_matches_what_an_escaped_WildcardPattern_matches(string name)
    {
        var shell = WildcardPattern.Get(WildcardPattern.Escape(name), WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
        Assert.True(shell.IsMatch(name));
        Assert.True(DciNamePattern.Exactly(name).IsMatch(name));
        Assert.Equal(WildcardPattern.Unescape(WildcardPattern.Escape(name)), DciNamePattern.Exactly(name).Literal);
    }

    [Theory]
    [InlineData("web[")]
    [InlineData("web[]")]
    public void A_pattern_the_shell_cannot_match_is_refused(string pattern)
    {
        Assert.ThrowsAny<Exception>(() => WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase).IsMatch("web"));
        Assert.Throws<ArgumentException>(() => DciNamePattern.Parse(pattern));
    }
}
