using DciManager.Client;

namespace DciManager.Client.Tests;

public sealed class RawFilterTests
{
    [Theory]
    [InlineData("1 EQ 1) OR (1 EQ 1", "closes a parenthesis it never opened, at position 7")]
    [InlineData("(name EQ 'a'", "leaves 1 parenthesis(es) open")]
    [InlineData("name EQ 'web", "quote that is never closed, at position 9")]
    [InlineData("name EQ 'it\\'s", "quote that is never closed")]
    public void Raw_text_that_could_escape_its_parentheses_is_refused(string where, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => DciFilter.Raw(where));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("name EQ 'a)b' AND (location_id EQ 2 OR NOT is_new EQ true)")]
    [InlineData("name EQ 'it\\'s (fine'")]
    public void Balanced_raw_text_is_kept_inside_parentheses(string where)
    {
        var combined = DciFilter.All(DciFilter.IsNull("owner_email"), DciFilter.Raw(where))!.ToString();
        Assert.Equal($"owner_email IS null AND ({where})", combined);
    }
}
