using System.Management.Automation;
using DciManager.Client;
using DciManager.Simulator;

namespace DciManager.PowerShell.Tests;

/// <summary>The provisioning runbooks of the operations issue, through the real cmdlets.</summary>
public sealed class OperationsTests
{
    [Fact]
    public async Task The_provisioning_runbook_runs_end_to_end()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Set("pw", ModuleSession.Credential("x", "Str0ng-pass!").Password);
        session.Set("rootPw", ModuleSession.Credential("x", "r00t-pass!").Password);
        var result = session.Run("""
            $key    = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0aaaa ops@example.com'
            # The runbook exactly as the issue writes it (Select-Object is not in the hosted engine: @()[0]).
            $server = @(Get-DciServer -Free -Configuration 'E-2146G*')[0]
            $user   = New-DciUser -Email ops@example.com -FullName 'Ops' -Password $pw -Role User
            $owned  = $server | Set-DciServerOwner -User $user
            $ipTask = $server | Add-DciServerIp -Pool (Get-DciIpPool -Name public) -Family IPv4 -SetAsMain
            $osTask = $server | Install-DciServerOs -OsTemplateId 12 -RootPassword $rootPw -SshKey $key -Confirm:$false | Wait-DciTask
            $power  = $server | Invoke-DciPower -Action Reset -Wait -Force
            $ipDone = $ipTask | Wait-DciTask
            [pscustomobject]@{ Owned = $owned; Ip = $ipDone; Os = $osTask; Power = $power; After = (Get-DciServer -Id $server.Id) }
            """).ThrowOnError();
        var summary = (PSObject)Assert.Single(result.Output)!;
        T Get<T>(string name) => (T)(summary.Properties[name].Value is PSObject p ? p.BaseObject : summary.Properties[name].Value);

        Assert.Equal("ops@example.com", Get<DciServer>("Owned").OwnerEmail);
        Assert.Equal("complete", Get<DciTask>("Ip").Status);
        Assert.Equal("complete", Get<DciTask>("Os").Status);
        Assert.Equal("complete", Get<DciTask>("Power").Status);
        var after = Get<DciServer>("After");
        Assert.Equal(12, after.OsTemplate!.Id);
        Assert.Equal("on", after.PowerStatus);
        Assert.Contains(after.Ip, ip => ip.Family == "ipv4" && ip.Status == "active");
        Assert.DoesNotContain("r00t-pass!", result.AllText);
    }

    [Fact]
    public async Task Suspend_resume_and_release()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("""
            $server = @(Get-DciServer -Filter 'owner_email IS NOT null AND state EQ ''active''')[0]
            $s1 = $server | Suspend-DciServer -Wait -Confirm:$false
            $suspended = Get-DciServer -Id $server.Id
            $r1 = $server | Resume-DciServer -Wait
            $resumed = Get-DciServer -Id $server.Id
            $released = $server | Remove-DciServerOwner -Confirm:$false
            [pscustomobject]@{ Suspended = $suspended; Resumed = $resumed; Released = $released }
            """).ThrowOnError();
        var summary = (PSObject)Assert.Single(result.Output)!;
        DciServer Get(string name) => (DciServer)((PSObject)summary.Properties[name].Value).BaseObject;
        Assert.Equal("suspended", Get("Suspended").State);
        Assert.All(Get("Suspended").SwitchConnection.Where(c => c.IsIpmiConnection != true), c => Assert.Equal("down", c.AdminStatus));
        Assert.Equal("active", Get("Resumed").State);
        Assert.True(Get("Released").IsFree);
    }

    [Fact]
    public async Task Refusals_become_error_records_with_the_servers_message_and_the_rest_of_the_pipeline_goes_on()
    {
        await using var session = await ModuleSession.StartAsync();
        var servers = session.Run("Get-DciServer -Sort id").ThrowOnError().Objects<DciServer>();
        var owned = servers.Where(s => !s.IsFree).Take(2).ToArray();
        var free = servers.Where(s => s.IsFree).Take(3).ToArray();
        session.Set("mixed", owned.Concat(free).ToArray());
        var result = session.Run("$mixed | Set-DciServerOwner -UserId 2 -ThrottleLimit 4");

        Assert.Equal(free.Select(s => s.Id).OrderBy(i => i), result.Objects<DciServer>().Select(s => s.Id).OrderBy(i => i));
        Assert.Equal(2, result.Errors.Length);
        Assert.All(result.Errors, e =>
        {
            Assert.Equal("Dci.Api.409,DciManager.Commands.SetDciServerOwnerCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceExists, e.CategoryInfo.Category);
            Assert.False(string.IsNullOrWhiteSpace(((DciApiException)e.Exception).ServerMessage));
        });
        Assert.Equal(owned.Select(s => (object)s.Id).OrderBy(i => i), result.Errors.Select(e => (object)((DciServer)e.TargetObject).Id).OrderBy(i => i));
    }

    [Fact]
    public async Task WhatIf_sends_nothing_and_High_impact_cmdlets_ask_first()
    {
        await using var session = await ModuleSession.StartAsync();
        var before = session.Simulator.State.Ledger.Count;
        session.Run("Get-DciServer -Name web* | Invoke-DciPower -Action Off -WhatIf").ThrowOnError();
        session.Run("Get-DciServer -Id 1 | Clear-DciServerDisk -Mode Full -WhatIf").ThrowOnError();
        Assert.Equal(before, session.Simulator.State.Ledger.Count);

        // With no host to answer, a High-impact prompt cannot be confirmed: nothing runs.
        var result = session.Run("Get-DciServer -Id 1 | Clear-DciServerDisk -Mode Full");
        Assert.Equal(before, session.Simulator.State.Ledger.Count);
        Assert.NotEmpty(result.AllErrors);
    }

    [Fact]
    public async Task Bulk_power_reset_runs_each_server_once_and_waits_for_all()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { Servers = 60 });
        var result = session.Run("Get-DciServer | Invoke-DciPower -Action Reset -Wait -ThrottleLimit 8 -Confirm:$false").ThrowOnError();
        var tasks = result.Objects<DciTask>();
        Assert.Equal(60, tasks.Length);
        Assert.All(tasks, t => Assert.Equal("complete", t.Status));
        var resets = session.Simulator.State.Ledger.Where(e => e.Operation == "power_reset").ToArray();
        Assert.Equal(60, resets.Length);
        Assert.Equal(60, resets.Select(e => e.ServerId).Distinct().Count());
    }

    [Fact]
    public async Task A_failed_task_is_an_error_record_and_the_other_tasks_are_still_emitted()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.State.FailNextOperations(1, "power_on");
        var result = session.Run("Get-DciServer -Id 1, 2, 3 | Invoke-DciPower -Action On -Wait -ThrottleLimit 1 -Confirm:$false");
        Assert.Equal(2, result.Objects<DciTask>().Length);
        var error = Assert.Single(result.Errors);
        Assert.Equal("Dci.TaskFailed,DciManager.Commands.InvokeDciPowerCommand", error.FullyQualifiedErrorId);
        Assert.IsType<DciTask>(error.TargetObject);
    }

    [Fact]
    public async Task Bad_input_is_refused_before_any_request()
    {
        await using var session = await ModuleSession.StartAsync();
        var requests = session.Simulator.State.RequestCount;
        foreach (var script in new[]
                 {
                     "Add-DciServerIp -ServerId 1 -Address 300.1.2.3",
                     "Add-DciServerIp -ServerId 1 -Address 2001:db8::1 -Family IPv4",
                     "Add-DciServerIp -ServerId 1",
                     "Invoke-DciPower -ServerId 0 -Action On",
                     "Get-DciServer -Name ''",
                     "Get-DciServer -Free -Filter \"1 EQ 1) OR (1 EQ 1\"",
                     "Get-DciServer -Filter \"name EQ 'web\"",
                     "Get-DciServer -Sort 'name sideways'",
                     "New-DciUser -Email 'not an email' -FullName x -Password $cred.Password",
                     "New-DciApiToken -ExpiresAt [datetime]::Now.AddDays(-1)",
                     "Set-DciServerOwner -ServerId 1",
                     "Install-DciServerOs -ServerId 1 -OsTemplateId 12 -RootPassword $cred.Password -SshKey 'not a key' -Confirm:$false",
                 })
        {
            var result = session.Run(script);
            var error = Assert.Single(result.AllErrors);
            Assert.True(error.CategoryInfo.Category is ErrorCategory.InvalidArgument or ErrorCategory.InvalidData, $"{script}: {error.CategoryInfo.Category} {error}");
        }
        Assert.Equal(requests, session.Simulator.State.RequestCount);
    }
}
