using System.Management.Automation.Language;
using System.Text;
using DciManager.PowerShell.Completers;

namespace DciManager.PowerShell.Tests;

/// <summary>
/// Whatever a server names its objects, the completion text parses as exactly one string argument equal to
/// the name (checked with PowerShell's own parser).
/// </summary>
public sealed class CompletionQuotingTests
{
    private static readonly string[] Hostile =
    {
        "web-01’; Set-Content pwned.txt x; ‘", "web-01'; Set-Content pwned.txt x; '", "a‘b", "a‚b", "a‛b", "’", "''", "'",
        "-Force", "–Force", "—x", "0x10", "1e5", "12", "@x", "$x", "$(Get-Date)", "`n", "a b", "a;b", "a|b", "a&b", "(x)", "{x}",
        "#x", "x#", "<#", "\"x\"", "“x”", "a\nb", "a\r\nb", "\t", " ", "web.*", "..", ".x", "~", "--%", "--", "a,b", "\u00A0", "é", "Ж-01",
    };

    private static readonly string Alphabet =
        "aZ09-_.@*?,;:|&()[]{}<>#$`'\"!%^=+~/\\ \t\r\n\u00A0\u2018\u2019\u201A\u201B\u201C\u201D\u201E\u2013\u2014\u2015éЖ中\U0001F600";

    private static IEnumerable<string> Names()
    {
        foreach (var h in Hostile) yield return h;
        var random = new Random(20261201);
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(Alphabet);
        var chars = new List<string>();
        while (elements.MoveNext()) chars.Add((string)elements.Current);
        for (var n = 0; n < 5000; n++)
        {
            var sb = new StringBuilder();
            var length = random.Next(1, 14);
            for (var i = 0; i < length; i++) sb.Append(chars[random.Next(chars.Count)]);
            yield return sb.ToString();
        }
    }

    /// <summary>The one argument of <c>Get-DciServer -Name &lt;text&gt;</c>, or a failure naming what the parser saw.</summary>
    private static ExpressionAst SingleArgument(string completionText)
    {
        var script = "Get-DciServer -Name " + completionText;
        var ast = Parser.ParseInput(script, out _, out var errors);
        Assert.True(errors.Length == 0, $"{script}: {string.Join("; ", errors.Select(e => e.Message))}");
        var statement = Assert.Single(ast.EndBlock.Statements);
        var pipeline = Assert.IsType<PipelineAst>(statement);
        var command = Assert.IsType<CommandAst>(Assert.Single(pipeline.PipelineElements));
        Assert.True(command.CommandElements.Count == 3, $"{script}: {command.CommandElements.Count} command elements");
        return Assert.IsAssignableFrom<ExpressionAst>(command.CommandElements[2]);
    }

    [Fact]
    public void Every_name_completes_to_a_single_string_constant_equal_to_it()
    {
        foreach (var name in Names())
        {
            var text = DciCompletionText.Quote(name);
            var argument = SingleArgument(text);
            var constant = Assert.IsType<StringConstantExpressionAst>(argument);
            Assert.True(constant.Value == name, $"'{name}' completed as {text}, which reads as '{constant.Value}'");
        }
    }

    [Fact]
    public void Ids_go_in_bare_as_numbers_and_anything_else_quoted()
    {
        var id = SingleArgument(DciCompletionText.Quote("123", isId: true));
        Assert.Equal(123, Assert.IsType<ConstantExpressionAst>(id).Value);
        foreach (var notAnId in new[] { "0x10", "12’; x", "1e5" })
            Assert.Equal(notAnId, Assert.IsType<StringConstantExpressionAst>(SingleArgument(DciCompletionText.Quote(notAnId, isId: true))).Value);
    }

    [Fact]
    public void What_was_typed_is_read_without_its_opening_quote()
    {
        Assert.Equal("web", DciCompletionText.Unquote("web"));
        Assert.Equal("web", DciCompletionText.Unquote("'web"));
        Assert.Equal("web", DciCompletionText.Unquote("'web'"));
        Assert.Equal("web", DciCompletionText.Unquote("‘web"));
        Assert.Equal("it's", DciCompletionText.Unquote("'it''s"));
        Assert.Equal("web 1", DciCompletionText.Unquote("\"web 1\""));
        Assert.Equal("", DciCompletionText.Unquote(null));
    }
}
