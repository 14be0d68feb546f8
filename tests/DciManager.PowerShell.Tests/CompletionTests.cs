using System.Management.Automation;

namespace DciManager.PowerShell.Tests;

/// <summary>Tab completion from the connection, through PowerShell's own TabExpansion2.</summary>
public sealed class CompletionTests
{
    private static string[] Complete(ModuleSession session, string line)
    {
        session.Set("line", line);
        var result = session.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches").ThrowOnError();
        return result.Output.OfType<CompletionResult>().Select(c => c.CompletionText).ToArray();
    }

    [Fact]
    public async Task Server_names_users_pools_and_templates_complete_from_the_connection_with_a_cache()
    {
        await using var session = await ModuleSession.StartAsync();

        var names = Complete(session, "Get-DciServer -Name web");
        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.StartsWith("web", n, StringComparison.OrdinalIgnoreCase));

        var requestsAfterFirst = session.Simulator.State.RequestCount;
        var again = Complete(session, "Get-DciServer -Name web-00");
        Assert.NotEmpty(again);
        Assert.Equal(requestsAfterFirst, session.Simulator.State.RequestCount); // served from the cache

        Assert.Contains("user01@example.com", Complete(session, "Get-DciUser -Email user0"));
        Assert.Contains("public", Complete(session, "Get-DciIpPool -Name pu"));
        Assert.Contains("12", Complete(session, "Install-DciServerOs -OsTemplateId 1"));
        Assert.Contains(Complete(session, "Get-DciServer -Configuration i9"), c => c.Contains("i9-9900K"));
    }

    [Fact]
    public async Task Without_a_connection_completion_offers_nothing_and_does_not_fail()
    {
        await using var session = await ModuleSession.StartAsync(connect: false);
        Assert.Empty(Complete(session, "Get-DciServer -Name web"));
    }
}
