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

    /// <summary>
    /// Presses Tab until something is offered: a Tab gives up after a short budget (the first one also pays
    /// for JIT on a loaded machine), and the next one joins the lookup still under way.
    /// </summary>
    private static string[] CompleteUntilAnswered(ModuleSession session, string line)
    {
        for (var tab = 0; ; tab++)
        {
            var offered = Complete(session, line);
            if (offered.Length > 0 || tab == 40) return offered;
        }
    }

    [Fact]
    public async Task Server_names_users_pools_and_templates_complete_from_the_connection_with_a_cache()
    {
        await using var session = await ModuleSession.StartAsync();

        var names = CompleteUntilAnswered(session, "Get-DciServer -Name web");
        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.StartsWith("web", n, StringComparison.OrdinalIgnoreCase));

        var requestsAfterFirst = session.Simulator.State.RequestCount;
        var again = Complete(session, "Get-DciServer -Name web-00");
        Assert.NotEmpty(again);
        Assert.Equal(requestsAfterFirst, session.Simulator.State.RequestCount); // served from the cache

        Assert.Contains("user01@example.com", CompleteUntilAnswered(session, "Get-DciUser -Email user0"));
        Assert.Contains("public", CompleteUntilAnswered(session, "Get-DciIpPool -Name pu"));
        Assert.Contains("12", CompleteUntilAnswered(session, "Install-DciServerOs -OsTemplateId 1"));
        Assert.Contains(CompleteUntilAnswered(session, "Get-DciServer -Configuration i9"), c => c.Contains("i9-9900K"));
    }

    [Fact]
    public async Task A_tab_on_a_big_panel_is_one_small_request_and_ids_complete_bare()
    {
        await using var session = await ModuleSession.StartAsync(new DciManager.Simulator.SimulatorOptions { Servers = 3000 });
        var before = session.Simulator.State.RequestCount;
        var names = CompleteUntilAnswered(session, "Get-DciServer -Name ");
        Assert.Equal(1, session.Simulator.State.RequestCount - before);
        Assert.InRange(names.Length, 1, DciManager.Client.DciCompletionKind.FilteredLimit);

        var ids = CompleteUntilAnswered(session, "Get-DciServer -Id 12");
        Assert.Contains("12", ids);
        Assert.Contains("1234", ids);
        Assert.All(ids, id => Assert.True(long.TryParse(id, out _), id));
    }

    [Fact]
    public async Task Without_a_connection_completion_offers_nothing_and_does_not_fail()
    {
        await using var session = await ModuleSession.StartAsync(connect: false);
        Assert.Empty(Complete(session, "Get-DciServer -Name web"));
    }
}
