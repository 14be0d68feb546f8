using DciManager.Client.Concurrency;

namespace DciManager.Client.Tests;

/// <summary>The bridge between the async engine and a cmdlet's pipeline thread.</summary>
public sealed class WorkPumpTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)]
    public void Concurrency_never_exceeds_the_throttle_limit_and_every_result_is_delivered_once(int limit)
    {
        using var pump = new DciWorkPump(limit);
        var running = 0;
        var maxRunning = 0;
        var delivered = new List<int>();
        var ownerThread = Environment.CurrentManagedThreadId;
        var callbackThreads = new HashSet<int>();

        for (var i = 0; i < 64; i++)
        {
            var item = i;
            pump.Start($"item {item}", async ct =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref maxRunning, now);
                await Task.Delay(5, ct);
                Interlocked.Decrement(ref running);
                return item;
            }, result => { delivered.Add(result); callbackThreads.Add(Environment.CurrentManagedThreadId); }, ex => throw ex);
        }
        pump.Drain();

        Assert.Equal(Enumerable.Range(0, 64), delivered.OrderBy(x => x));
        Assert.True(maxRunning <= limit, $"{maxRunning} ran at once with a limit of {limit}");
        if (limit > 1) Assert.True(maxRunning > 1, "work did not run concurrently");
        Assert.Equal(new[] { ownerThread }, callbackThreads);
    }

    [Fact]
    public void With_a_limit_of_one_work_runs_strictly_in_order()
    {
        using var pump = new DciWorkPump(1);
        var order = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            var item = i;
            pump.Start("x", async ct => { await Task.Delay(item % 3, ct); lock (order) order.Add(item); return item; }, _ => { }, ex => throw ex);
        }
        pump.Drain();
        Assert.Equal(Enumerable.Range(0, 20), order);
    }

    [Fact]
    public void A_failing_item_is_reported_and_the_others_still_complete()
    {
        using var pump = new DciWorkPump(4);
        var ok = 0;
        var errors = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var item = i;
            pump.Start($"item {item}", async ct =>
            {
                await Task.Yield();
                if (item == 3) throw new InvalidOperationException("boom 3");
                return item;
            }, _ => ok++, ex => errors.Add(ex.Message));
        }
        pump.Drain();
        Assert.Equal(9, ok);
        Assert.Equal(new[] { "boom 3" }, errors);
    }

    [Fact]
    public void Cancel_stops_outstanding_work_promptly_and_names_what_was_in_flight()
    {
        using var pump = new DciWorkPump(3);
        var canceled = 0;
        for (var i = 0; i < 3; i++)
        {
            pump.Start($"server {i}", async ct => { await Task.Delay(Timeout.Infinite, ct); return 0; },
                _ => { }, ex => { if (ex is OperationCanceledException) canceled++; });
        }
        SpinWait.SpinUntil(() => pump.InFlight.Count == 3, 2000);
        Assert.Equal(new[] { "server 0", "server 1", "server 2" }, pump.InFlight.OrderBy(x => x));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        pump.Cancel();
        pump.Drain();
        Assert.Equal(3, canceled);
        Assert.Empty(pump.InFlight);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Throws<OperationCanceledException>(() =>
            pump.Start("late", _ => Task.FromResult(0), _ => { }, _ => { }));
    }

    [Fact]
    public void Run_delivers_posted_messages_on_the_owner_thread_while_it_waits()
    {
        using var pump = new DciWorkPump(1);
        var owner = Environment.CurrentManagedThreadId;
        var messages = new List<(string Text, int Thread)>();
        var result = pump.Run(async ct =>
        {
            for (var i = 0; i < 3; i++)
            {
                var text = $"line {i}";
                pump.Post(() => messages.Add((text, Environment.CurrentManagedThreadId)));
                await Task.Delay(1, ct);
            }
            return 42;
        });
        Assert.Equal(42, result);
        Assert.Equal(new[] { "line 0", "line 1", "line 2" }, messages.Select(m => m.Text));
        Assert.All(messages, m => Assert.Equal(owner, m.Thread));
    }

    [Fact]
    public void Run_rethrows_the_original_exception()
    {
        using var pump = new DciWorkPump(1);
        var ex = Assert.Throws<TimeoutException>(() => pump.Run<int>(_ => throw new TimeoutException("slow")));
        Assert.Equal("slow", ex.Message);
    }

    [Fact]
    public void Enumerate_stops_pulling_when_the_consumer_stops()
    {
        using var pump = new DciWorkPump(1);
        var produced = 0;
        async IAsyncEnumerable<int> Source([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            for (var i = 0; i < 1000; i++)
            {
                await Task.Yield();
                produced++;
                yield return i;
            }
        }

        var taken = pump.Enumerate(ct => Source(ct)).Take(3).ToArray();
        Assert.Equal(new[] { 0, 1, 2 }, taken);
        Assert.Equal(3, produced);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
