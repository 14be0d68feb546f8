using DciManager.Client;
using DciManager.Simulator;

namespace DciManager.Client.Tests;

/// <summary>Issue 9 §4: a wait whose polls fail rides out the outage until its timeout.</summary>
public sealed class WaitOutageTests
{
    private static readonly DciWaitOptions Fast = new()
    {
        InitialPollInterval = TimeSpan.FromMilliseconds(20),
        MaxPollInterval = TimeSpan.FromMilliseconds(50),
        Timeout = TimeSpan.FromMinutes(2),
    };

    [Fact]
    public async Task Polls_that_fail_for_a_while_do_not_end_the_wait()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim, maxTransient: 2);
        var task = await c.Servers.PowerAsync(3, DciPowerAction.Reset);
        // Five failed polls: two 500s, then the panel drops connections (each poll retried, then given up).
        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.Status500, Method = "GET", PathContains = "dci/v3/task", Count = 2 });
        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.ResetBeforeProcessing, Method = "GET", PathContains = "dci/v3/task", Count = 6 });

        var results = await c.Tasks.WaitAsync(new[] { task }, Fast).ToListAsync();

        var result = Assert.Single(results);
        Assert.Equal(DciWaitOutcome.Completed, result.Outcome);
        Assert.Empty(sim.State.Faults.Rules); // every injected failure was met, and the wait went on
    }

    [Fact]
    public async Task A_wait_whose_polls_fail_to_the_end_names_the_tasks_and_why()
    {
        await using var sim = await Sim.StartAsync(o => o.OperationDuration = TimeSpan.FromMinutes(5));
        using var c = await Sim.AdminAsync(sim, maxTransient: 2);
        var tasks = new[] { await c.Servers.PowerAsync(3, DciPowerAction.Reset), await c.Servers.PowerAsync(4, DciPowerAction.Reset) };
        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.ResetBeforeProcessing, Method = "GET", PathContains = "dci/v3/task", Count = -1 });

        var results = await c.Tasks.WaitAsync(tasks, new DciWaitOptions
        {
            InitialPollInterval = TimeSpan.FromMilliseconds(20), MaxPollInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(1),
        }).ToListAsync();

        Assert.Equal(tasks.Select(t => t.Id).Order(), results.Select(r => r.Task.Id).Order());
        Assert.All(results, r =>
        {
            Assert.Equal(DciWaitOutcome.TimedOut, r.Outcome);
            Assert.IsType<DciTransportException>(r.LastPollError);
        });
    }
}
