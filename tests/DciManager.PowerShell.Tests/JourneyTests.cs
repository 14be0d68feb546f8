using System.Management.Automation;
using DciManager.Client;

namespace DciManager.PowerShell.Tests;

/// <summary>The foundation journey, run through the real cmdlets in a hosted PowerShell engine.</summary>
public sealed class JourneyTests
{
    [Fact]
    public async Task Connect_list_filter_and_disconnect()
    {
        await using var session = await ModuleSession.StartAsync();

        var all = session.Run("Get-DciServer").ThrowOnError().Objects<DciServer>();
        Assert.Equal(48, all.Length);
        Assert.Equal(all.Select(s => s.Id).Distinct().Count(), all.Length);
        Assert.All(all, s => Assert.NotNull(s.Connection));

        var free = session.Run("Get-DciServer -Free -Configuration 'i9-9900K*'").ThrowOnError().Objects<DciServer>();
        Assert.NotEmpty(free);
        Assert.All(free, s => Assert.True(string.IsNullOrEmpty(s.OwnerEmail)));
        Assert.All(free, s => Assert.StartsWith("i9-9900K", s.Configuration));
        Assert.Equal(all.Count(s => s.IsFree && s.Configuration!.StartsWith("i9-9900K")), free.Length);

        var web = session.Run("Get-DciServer -Name web*").ThrowOnError().Objects<DciServer>();
        Assert.NotEmpty(web);
        Assert.All(web, s => Assert.StartsWith("web", s.Name, StringComparison.OrdinalIgnoreCase));

        // Names match as PowerShell matches them: without regard to case, exactly unless wildcards say otherwise.
        var one = session.Run("Get-DciServer -Name WEB-001").ThrowOnError().Objects<DciServer>();
        Assert.Equal("web-001", Assert.Single(one).Name);
        Assert.Equal(2, session.Run("Get-DciServer -Name web-00[12]").ThrowOnError().Objects<DciServer>().Length);

        var configurations = session.Run("Get-DciServerConfiguration").ThrowOnError().Objects<DciServerConfiguration>();
        Assert.Equal(all.Where(s => s.IsFree).GroupBy(s => s.Configuration).ToDictionary(g => g.Key!, g => g.Count()),
            configurations.Where(c => c.FreeServerCount > 0).ToDictionary(c => c.Configuration!, c => c.FreeServerCount));

        Assert.NotEmpty(session.Run("Get-DciIpNetwork").ThrowOnError().Objects<DciIpNetwork>());
        Assert.NotEmpty(session.Run("Get-DciIpPool").ThrowOnError().Objects<DciIpPool>());

        var raw = session.Run("Invoke-DciRestMethod -Method Get -Path 'dci/v3/server' -Query @{ where = 'owner_email IS null' }").ThrowOnError();
        var response = Assert.IsType<PSObject>(Assert.Single(raw.Output));
        Assert.Equal(all.Count(s => s.IsFree), Convert.ToInt32(response.Properties["size"].Value is PSObject v ? v.BaseObject : response.Properties["size"].Value));

        session.Run("Disconnect-Dci").ThrowOnError();
        var after = Assert.Single(session.Run("Get-DciServer").AllErrors);
        Assert.Equal("Dci.NotConnected,DciManager.Commands.GetDciServerCommand", after.FullyQualifiedErrorId);
        Assert.Contains("Connect-Dci", after.Exception.Message);
    }

    [Fact]
    public async Task Get_by_id_binds_from_the_pipeline_by_ServerId_and_a_missing_id_is_a_non_terminating_404()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("Get-DciServer -Id 3, 999999, 5");
        Assert.Equal(new long[] { 3, 5 }, result.Objects<DciServer>().Select(s => s.Id));
        var error = Assert.Single(result.Errors);
        Assert.Equal("Dci.Api.404,DciManager.Commands.GetDciServerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);

        // A task names its server by ServerId and itself by Id: piping it must reach the task's server.
        var task = session.Run("Get-DciServer -Id 7 | Invoke-DciPower -Action On -Confirm:$false").ThrowOnError().Objects<DciTask>().Single();
        Assert.NotEqual(7, task.Id);
        session.Set("task", task);
        Assert.Equal(7, session.Run("$task | Get-DciServer").ThrowOnError().Objects<DciServer>().Single().Id);
    }

    [Fact]
    public async Task Hostile_names_are_literal_values_not_filter_syntax()
    {
        await using var session = await ModuleSession.StartAsync();
        foreach (var name in new[] { "x' OR name CP '%", "web-001\\' OR 1 EQ 1", "%", "a AND b", "')" })
        {
            session.Set("name", name);
            var result = session.Run("Get-DciServer -Name $name");
            Assert.Empty(result.Output);
            // A name with no wildcard that matches nothing is reported, as Get-Item does; wildcards stay silent.
            if (WildcardPattern.ContainsWildcardCharacters(name)) Assert.Empty(result.AllErrors);
            else Assert.Equal("Dci.NotFound,DciManager.Commands.GetDciServerCommand", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
        }
    }

    [Fact]
    public async Task A_malformed_raw_filter_is_a_clear_invalid_argument_error()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("Get-DciServer -Filter 'name EQQ 1'");
        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith("Dci.Api.400", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public async Task The_default_connection_belongs_to_the_runspace_that_made_it()
    {
        await using var session = await ModuleSession.StartAsync();
        using var other = ModuleSession.OpenRunspace();
        var result = Assert.Single(ModuleSession.Run(other, "Get-DciServer").AllErrors);
        Assert.Contains("not connected", result.Exception.Message, StringComparison.OrdinalIgnoreCase);

        // An explicit connection object works anywhere.
        var connection = session.Run("Get-DciConnection").ThrowOnError().Objects<DciConnection>().Single();
        other.SessionStateProxy.SetVariable("c", connection);
        Assert.Equal(48, ModuleSession.Run(other, "Get-DciServer -Connection $c").ThrowOnError().Output.Length);
    }

    [Fact]
    public async Task Wrong_password_is_a_terminating_authentication_error_without_the_password()
    {
        await using var session = await ModuleSession.StartAsync(connect: false);
        session.Set("bad", ModuleSession.Credential(session.Simulator.AdminEmail, "not-the-password-42"));
        var result = session.Run("Connect-Dci -Uri $uri -Credential $bad");
        var record = Assert.Single(result.AllErrors);
        Assert.Equal(ErrorCategory.AuthenticationError, record.CategoryInfo.Category);
        Assert.Equal("Dci.Api.401,DciManager.Commands.ConnectDciCommand", record.FullyQualifiedErrorId);
        Assert.Empty(session.Run("Get-DciConnection").Output);
        Assert.DoesNotContain("not-the-password-42", result.AllText);
    }

    [Fact]
    public async Task Verbose_and_debug_show_requests_but_no_secret()
    {
        await using var session = await ModuleSession.StartAsync(connect: false);
        var result = session.Run("Connect-Dci -Uri $uri -Credential $cred -Verbose -Debug -PassThru; Get-DciServer -Id 1 -Verbose -Debug; $null = New-DciLoginKey -Email user01@example.com -Verbose -Debug -Confirm:$false").ThrowOnError();
        var connection = result.Objects<DciConnection>().Single();
        Assert.Contains(result.Verbose, v => v.Contains("/dci/v3/server?where=id") && v.Contains("200"));
        Assert.DoesNotContain(session.Simulator.AdminPassword, result.AllText);
        var tokenLike = session.Simulator.State.ActiveTokens();
        Assert.NotEmpty(tokenLike);
        foreach (var token in tokenLike) Assert.DoesNotContain(token, result.AllText);
        Assert.DoesNotContain(session.Simulator.AdminPassword, connection.ToString());
    }
}
