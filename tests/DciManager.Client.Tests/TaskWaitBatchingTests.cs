using DciManager.Client;
using DciManager.Client.Concurrency;

namespace DciManager.Client.Tests;

/// <summary>Waiting on many tasks costs one list request per poll for up to a page of tasks.</summary>
public sealed class TaskWaitBatchingTests
{
    [Fact]
    public async Task Consecutive_task_ids_are_polled_as_ranges_and_scattered_ids_as_short_lists()
    {
        await using var sim = await Sim.StartAsync();
        using var connection = await Sim.AdminAsync(sim);

        var consecutive = connection.Tasks.PollFilters(Enumerable.Range(1, 1000).Select(i => (long)i), 500).Select(f => f.ToString()).ToArray();
        Assert.Equal(new[] { "(id GE 1 AND id LE 500)", "(id GE 501 AND id LE 1000)" }, consecutive);

        var scattered = connection.Tasks.PollFilters(Enumerable.Range(1, 600).Select(i => i * 1000L), 500).ToArray();
        Assert.Equal(3, scattered.Length); // OR-lists cut by their encoded length: about 290 ids of 4 to 6 digits each
        Assert.All(scattered, f => Assert.True(Uri.EscapeDataString(f.ToString()).Length <= 7000, "the request line must stay under 8 KB"));

        var mixed = connection.Tasks.PollFilters(Enumerable.Range(1, 450).Select(i => (long)i).Append(90_000).Append(95_000), 500).Select(f => f.ToString()).ToArray();
        Assert.Equal(2, mixed.Length);
        Assert.Equal("(id GE 1 AND id LE 450)", mixed[0]);
        Assert.Contains("90000", mixed[1]);

        // A short run and two strays fit in one OR-list: one request instead of two.
        var few = connection.Tasks.PollFilters(Enumerable.Range(1, 20).Select(i => (long)i).Append(90_000).Append(95_000), 500).Select(f => f.ToString()).ToArray();
        Assert.Single(few);
        Assert.Contains("id EQ 20 OR id EQ 90000", few[0]);

        // Ids spread thinly over a wide span are listed, not fetched as ranges full of objects nobody asked for.
        var thin = connection.Tasks.PollFilters(Enumerable.Range(0, 12).Select(i => 1L + i * 40), 500).Select(f => f.ToString()).ToArray();
        Assert.DoesNotContain(thin, f => f.Contains(" GE ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Waiting_on_600_tasks_makes_at_most_two_requests_per_poll()
    {
        await using var sim = await Sim.StartAsync(o => { o.Servers = 600; o.OperationDuration = TimeSpan.FromMilliseconds(800); });
        using var connection = await Sim.AdminAsync(sim);
        var tasks = new List<DciTask>();
        using (var pump = new DciWorkPump(16))
        {
            for (var id = 1; id <= 600; id++)
            {
                var serverId = id;
                pump.Start($"server {serverId}", ct => connection.Servers.PowerAsync(serverId, DciPowerAction.On, ct), tasks.Add, ex => throw ex);
            }
            pump.Drain();
        }

        var polls = 0;
        var before = sim.State.RequestCount;
        var results = new List<DciTaskWaitResult>();
        await foreach (var result in connection.Tasks.WaitAsync(tasks, new DciWaitOptions { InitialPollInterval = TimeSpan.FromMilliseconds(200) },
                           new SynchronousProgress(() => polls++)))
        {
            results.Add(result);
        }
        var requests = sim.State.RequestCount - before;
        polls--; // WaitAsync reports once before its first poll

        Assert.Equal(600, results.Count(r => r.Outcome == DciWaitOutcome.Completed));
        Assert.True(polls >= 1);
        Assert.True(requests <= polls * 2, $"{requests} requests for {polls} polls of 600 tasks (page size 500)");
    }

    private sealed class SynchronousProgress(Action onReport) : IProgress<DciWaitProgress>
    {
        public void Report(DciWaitProgress value) => onReport();
    }
}
