using System.Diagnostics;
using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;
using DciManager.Simulator;

namespace DciManager.PowerShell.Tests;

/// <summary>Faults and Ctrl+C as a cmdlet user meets them.</summary>
public sealed class ResilienceTests
{
    [Fact]
    public async Task Stopping_a_bulk_command_cancels_outstanding_requests_promptly()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { Servers = 40, Latency = TimeSpan.FromSeconds(3) });
        using var shell = System.Management.Automation.PowerShell.Create();
        shell.Runspace = session.Runspace;
        shell.AddScript("1..40 | ForEach-Object { [pscustomobject]@{ ServerId = $_ } } | Invoke-DciPower -Action Reset -ThrottleLimit 4 -Confirm:$false");
        var running = shell.BeginInvoke();
        await Task.Delay(500);

        var watch = Stopwatch.StartNew();
        shell.Stop();
        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "the command did not stop");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2.5), $"stopping took {watch.Elapsed}");

        // Four requests were in flight when stopped; none of the other 36 was sent.
        await Task.Delay(3500);
        Assert.True(session.Simulator.State.Ledger.Count(e => e.Operation == "power_reset") <= 4);
    }

    [Fact]
    public async Task Expired_session_signs_in_again_with_a_credential_and_says_run_Connect_Dci_with_a_token()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Simulator.State.RevokeAllTokens();
        Assert.Equal(48, session.Run("Get-DciServer").ThrowOnError().Output.Length);

        var token = session.Run("(New-DciApiToken -ExpiresAt ([datetime]::Now.AddDays(1)) -Confirm:$false).Token").ThrowOnError().Output.Single();
        session.Set("token", token);
        session.Run("Connect-Dci -Uri $uri -Token $token").ThrowOnError();
        session.Simulator.State.RevokeAllTokens();
        var error = Assert.Single(session.Run("Get-DciServer").AllErrors);
        Assert.Equal("Dci.SessionExpired,DciManager.Commands.GetDciServerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("Connect-Dci", error.Exception.Message);
    }

    [Fact]
    public async Task A_reset_after_a_POST_is_reported_as_unknown_outcome_and_not_repeated()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { EnableControl = true });
        session.Simulator.State.Faults.Add(new FaultRule { Kind = FaultKind.ResetAfterProcessing, Method = "POST", PathContains = "/server/2/power_off", Count = 1 });
        var result = session.Run("Get-DciServer -Id 1, 2, 3 | Invoke-DciPower -Action Off -Confirm:$false");
        Assert.Equal(new long[] { 1, 3 }, result.Objects<DciTask>().Select(t => t.ServerId ?? 0).OrderBy(i => i));
        var error = Assert.Single(result.Errors);
        Assert.Equal("Dci.OutcomeUnknown,DciManager.Commands.InvokeDciPowerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(2, ((DciServer)error.TargetObject).Id);
        Assert.Contains("power_off", error.Exception.Message);
        Assert.Single(session.Simulator.State.Ledger, e => e.ServerId == 2 && e.Operation == "power_off");
    }

    [Fact]
    public async Task A_stalled_server_fails_the_call_within_the_connections_timeout()
    {
        await using var session = await ModuleSession.StartAsync(connect: false);
        session.Run("Connect-Dci -Uri $uri -Credential $cred -TimeoutSec 1").ThrowOnError();
        session.Simulator.State.Faults.Add(new FaultRule { Kind = FaultKind.Stall, Method = "POST", PathContains = "power_on", Count = 1, Delay = TimeSpan.FromMinutes(5) });
        var watch = Stopwatch.StartNew();
        var error = Assert.Single(session.Run("Invoke-DciPower -ServerId 4 -Action On -Force").AllErrors);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal("Dci.OutcomeUnknown,DciManager.Commands.InvokeDciPowerCommand", error.FullyQualifiedErrorId);
    }

    [Theory]
    [InlineData(400, ErrorCategory.InvalidArgument)]
    [InlineData(401, ErrorCategory.AuthenticationError)]
    [InlineData(403, ErrorCategory.PermissionDenied)]
    [InlineData(404, ErrorCategory.ObjectNotFound)]
    [InlineData(405, ErrorCategory.InvalidOperation)]
    [InlineData(409, ErrorCategory.ResourceExists)]
    [InlineData(500, ErrorCategory.InvalidResult)]
    [InlineData(502, ErrorCategory.ConnectionError)]
    [InlineData(503, ErrorCategory.ResourceUnavailable)]
    [InlineData(504, ErrorCategory.OperationTimeout)]
    public void Every_status_maps_to_a_category_and_an_error_id(int status, ErrorCategory category)
    {
        var exception = new DciApiException($"HTTP {status}", status, 4000, "server says no", null, "GET", "dci/v3/server");
        var record = DciErrors.FromException(exception, "target");
        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.Equal($"Dci.Api.{status}", record.FullyQualifiedErrorId);
        Assert.Equal("target", record.TargetObject);
    }

    [Fact]
    public async Task Each_status_the_simulator_sends_becomes_the_matching_error_record()
    {
        await using var session = await ModuleSession.StartAsync();
        var cases = new (string Script, string Id, ErrorCategory Category)[]
        {
            ("Get-DciServer -Filter 'name EQQ 1'", "Dci.Api.400", ErrorCategory.InvalidArgument),
            ("Get-DciServer -Id 99999", "Dci.Api.404", ErrorCategory.ObjectNotFound),
            ("Invoke-DciRestMethod -Method Delete -Path 'dci/v3/server' -Confirm:$false", "Dci.Api.405", ErrorCategory.InvalidOperation),
            ("Remove-DciServerOwner -ServerId @(Get-DciServer -Free)[0].Id -Confirm:$false", "Dci.Api.409", ErrorCategory.ResourceExists),
        };
        foreach (var (script, id, category) in cases)
        {
            var errors = session.Run(script).AllErrors;
            Assert.Contains(errors, e => e.FullyQualifiedErrorId.StartsWith(id + ",") && e.CategoryInfo.Category == category);
        }

        // A user without admin rights calling an admin function.
        session.Set("userCred", ModuleSession.Credential("user01@example.com", "user-password"));
        var denied = Assert.Single(session.Run("$c = Connect-Dci -Uri $uri -Credential $userCred -NotDefault -PassThru; Get-DciUser -Connection $c").AllErrors);
        Assert.Equal(ErrorCategory.PermissionDenied, denied.CategoryInfo.Category);
        Assert.StartsWith("Dci.Api.403,", denied.FullyQualifiedErrorId);
    }
}
