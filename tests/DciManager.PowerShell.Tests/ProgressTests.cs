using System.Management.Automation;
using DciManager.Client;
using DciManager.Simulator;

namespace DciManager.PowerShell.Tests;

public sealed class ProgressTests
{
    [Fact]
    public async Task Lists_longer_than_a_page_bulk_work_and_waits_show_progress_unless_silenced()
    {
        await using var session = await ModuleSession.StartAsync(new SimulatorOptions { Servers = 1200 });

        var list = session.Run("Get-DciServer").ThrowOnError();
        Assert.Equal(1200, list.Output.Length);
        var listing = list.Progress.Where(p => p.Activity.StartsWith("Listing")).ToArray();
        Assert.Contains(listing, p => p.StatusDescription == "500 of 1200" && p.PercentComplete == 41);
        Assert.Equal(ProgressRecordType.Completed, listing.Last().RecordType);

        Assert.Empty(session.Run("Get-DciServer -Name web-00*").ThrowOnError().Progress); // one page: no bar

        var bulk = session.Run("Get-DciServer -Name web-00* | Invoke-DciPower -Action On -Wait -Confirm:$false").ThrowOnError();
        Assert.Contains(bulk.Progress, p => p.Activity.StartsWith("Power on") && p.StatusDescription.Contains("servers done"));
        Assert.Contains(bulk.Progress, p => p.Activity == "Waiting for DCImanager tasks");

        var quiet = session.Run("$ProgressPreference = 'SilentlyContinue'; Get-DciServer");
        Assert.Equal(1200, quiet.Output.Length);
        Assert.Empty(quiet.Progress);
    }

    [Fact]
    public async Task Debug_shows_redacted_bodies_only_when_asked()
    {
        await using var session = await ModuleSession.StartAsync();
        Assert.Empty(session.Run("Get-DciServer -Id 1 -Verbose").ThrowOnError().Debug);
        var debug = session.Run("Get-DciServer -Id 1 -Debug").ThrowOnError().Debug;
        Assert.NotEmpty(debug);
        Assert.Contains(debug, d => d.Contains("\"configuration\""));
        foreach (var token in session.Simulator.State.ActiveTokens()) Assert.DoesNotContain(debug, d => d.Contains(token));
    }
}
