using System.Collections.Concurrent;
using DciManager.Client;
using DciManager.Client.Query;

namespace DciManager.Client.Tests;

/// <summary>
/// The pager against a small list server on loopback: pages requested ahead, emitted in order, bounded, cancelled
/// when the consumer stops (issue 15 §3); servers that page dishonestly are stopped with an error (issue 10 points 9, 10).
/// </summary>
public sealed class PagingTests
{
    private static IEnumerable<long> Ids(long from, long to) => Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i);

    /// <summary>Waits for a condition that must come true; the limit only ends a test that is already failing.</summary>
    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var limit = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > limit) throw new TimeoutException($"never happened: {what}");
            await Task.Delay(10);
        }
    }

    private static async Task<List<long>> ListIds(DciConnection c, List<long>? into = null)
    {
        into ??= new List<long>();
        await foreach (var s in c.Servers.ListAsync()) into.Add(s.Id);
        return into;
    }

    // ------------------------------------------------------------------ read-ahead (issue 15 §3)

    [Fact]
    public async Task Later_pages_are_in_flight_while_an_earlier_one_is_awaited_and_items_come_out_in_order()
    {
        await using var server = await PagingServer.StartAsync();
        var laterPagesAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answeredLater = 0;
        var secondPageWaitedForLaterOnes = false;
        server.Answer = async r =>
        {
            if (r.Offset == 5)
            {
                // Page 2 answers only after pages 3 and 4 have been answered: a pager that asks for page 3 only once it
                // has read page 2 cannot get here in time, and a pager that emits in arrival order would start at 11.
                var first = await Task.WhenAny(laterPagesAnswered.Task, Task.Delay(TimeSpan.FromSeconds(20), r.Context.RequestAborted));
                secondPageWaitedForLaterOnes = first == laterPagesAnswered.Task;
            }
            await PagingServer.Json(r, 200, PagingServer.Honest(r, 50));
            if (r.Offset is 10 or 15 && Interlocked.Increment(ref answeredLater) == 2) laterPagesAnswered.TrySetResult();
        };
        using var c = await server.ConnectAsync(pageSize: 5);

        var ids = await ListIds(c);

        Assert.Equal(Ids(1, 50), ids);
        Assert.True(secondPageWaitedForLaterOnes, "pages 3 and 4 were not requested while page 2 was outstanding");
        Assert.Equal(10, server.Requests);
        Assert.Equal(Ids(0, 9).Select(i => i * 5), server.Offsets.Order());
    }

    [Fact]
    public async Task Read_ahead_stays_a_few_pages_ahead_of_the_consumer()
    {
        await using var server = await PagingServer.StartAsync();
        var gates = new ConcurrentDictionary<long, TaskCompletionSource>();
        TaskCompletionSource Gate(long offset) => gates.GetOrAdd(offset, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        server.Answer = async r =>
        {
            if (r.Offset > 0) await Gate(r.Offset).Task.WaitAsync(r.Context.RequestAborted);
            await PagingServer.Json(r, 200, PagingServer.Honest(r, 100));
        };
        using var c = await server.ConnectAsync(pageSize: 5);
        var listed = new List<long>();
        await using (var e = c.Servers.ListAsync().GetAsyncEnumerator())
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.True(await e.MoveNextAsync());
                listed.Add(e.Current.Id);
            }
            Assert.Equal(1, server.Requests); // nothing ahead while the consumer is within the first page

            var sixth = e.MoveNextAsync();
            await WaitUntil(() => server.Requests >= 1 + DciPager.PagesAhead + 1, "the pages ahead were requested");
            Assert.Equal(1 + DciPager.PagesAhead + 1, server.Requests);
            Assert.False(sixth.IsCompleted);

            Gate(5).SetResult();
            Assert.True(await sixth);
            listed.Add(e.Current.Id);
            for (var i = 0; i < 4; i++)
            {
                Assert.True(await e.MoveNextAsync());
                listed.Add(e.Current.Id);
            }
            var eleventh = e.MoveNextAsync();
            await WaitUntil(() => server.Requests >= 1 + DciPager.PagesAhead + 2, "one more page was requested as page 2 was used up");
            Assert.Equal(1 + DciPager.PagesAhead + 2, server.Requests);
            Assert.Equal(Ids(0, DciPager.PagesAhead + 2).Select(i => i * 5), server.Offsets.Order());
            Assert.False(eleventh.IsCompleted);

            foreach (var offset in Ids(1, 19)) Gate(offset * 5).TrySetResult();
            Assert.True(await eleventh);
            listed.Add(e.Current.Id);
            while (await e.MoveNextAsync()) listed.Add(e.Current.Id);
        }
        Assert.Equal(Ids(1, 100), listed);
        Assert.Equal(20, server.Requests);
        Assert.InRange(server.MaxInFlight, 1, DciPager.PagesAhead + 1);
    }

    [Fact]
    public async Task A_consumer_that_stops_cancels_the_pages_in_flight()
    {
        await using var server = await PagingServer.StartAsync();
        server.Answer = async r =>
        {
            if (r.Offset >= 10) await Task.Delay(Timeout.Infinite, r.Context.RequestAborted);
            await PagingServer.Json(r, 200, PagingServer.Honest(r, 100));
        };
        using var c = await server.ConnectAsync(pageSize: 5);

        var listed = new List<long>();
        await foreach (var s in c.Servers.ListAsync())
        {
            listed.Add(s.Id);
            if (s.Id != 6) continue;
            // Pages 1 and 2 answered; pages 3, 4 and 5 are in flight, held by the server.
            await WaitUntil(() => server.Requests == 2 + DciPager.PagesAhead, "the pages ahead reached the server");
            break;
        }

        Assert.Equal(Ids(1, 6), listed);
        // Stopping cancelled them: the server sees each held request aborted instead of waiting for ever.
        await WaitUntil(() => server.Aborted == DciPager.PagesAhead, "the held pages saw their requests aborted");
        Assert.Equal(2 + DciPager.PagesAhead, server.Requests);
    }

    [Fact]
    public async Task A_consumer_that_stops_within_the_first_page_costs_one_request()
    {
        await using var server = await PagingServer.StartAsync();
        server.Answer = r => PagingServer.Json(r, 200, PagingServer.Honest(r, 100));
        using var c = await server.ConnectAsync(pageSize: 5);

        await foreach (var s in c.Servers.ListAsync()) break;
        var taken = 0;
        await foreach (var s in c.Servers.ListAsync())
            if (++taken == 5) break;

        Assert.Equal(2, server.Requests);
    }

    // ------------------------------------------------------------------ dishonest paging (issue 10 points 9, 10)

    [Theory]
    [InlineData("1000000000")]
    [InlineData("1e9")]
    [InlineData(null)]
    public async Task A_server_that_sends_the_same_page_again_is_stopped_with_an_error(string? size)
    {
        await using var server = await PagingServer.StartAsync();
        // Past 50 requests it answers 500, so a pager without the check ends (with another error) instead of hanging the run.
        server.Answer = r => server.Requests > 50
            ? PagingServer.Json(r, 500, """{"error":{"code":5000,"msg":"too many pages","value":null}}""")
            : PagingServer.Json(r, 200, PagingServer.Page(Ids(1, 5), size));
        using var c = await server.ConnectAsync(pageSize: 5);

        var listed = new List<long>();
        var ex = await Assert.ThrowsAsync<DciApiException>(() => ListIds(c, listed));

        Assert.Contains("brings no item that was not already listed", ex.Message);
        Assert.Equal(Ids(1, 5), listed);
        Assert.InRange(server.Requests, 2, 1 + DciPager.PagesAhead + 1);
    }

    [Fact]
    public async Task A_server_that_cycles_through_pages_is_stopped_when_they_come_round_again()
    {
        await using var server = await PagingServer.StartAsync();
        server.Answer = r => server.Requests > 50
            ? PagingServer.Json(r, 500, """{"error":{"code":5000,"msg":"too many pages","value":null}}""")
            : PagingServer.Json(r, 200, PagingServer.Page(r.Offset / 5 % 2 == 0 ? Ids(1, 5) : Ids(6, 10), size: null));
        using var c = await server.ConnectAsync(pageSize: 5);

        var listed = new List<long>();
        var ex = await Assert.ThrowsAsync<DciApiException>(() => ListIds(c, listed));

        Assert.Contains("offset 10 brings no item", ex.Message);
        Assert.Equal(Ids(1, 10), listed);
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task A_negative_size_is_a_malformed_answer()
    {
        await using var server = await PagingServer.StartAsync();
        server.Answer = r => PagingServer.Json(r, 200, PagingServer.Page(Ids(r.Offset + 1, r.Offset + 5), "-1200"));
        using var c = await server.ConnectAsync(pageSize: 5);

        var listed = new List<long>();
        var ex = await Assert.ThrowsAsync<DciApiException>(() => ListIds(c, listed));

        Assert.Contains("size -1200, a negative count", ex.Message);
        Assert.Equal(200, ex.HttpStatus);
        Assert.Empty(listed);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_page_that_goes_past_the_announced_size_is_a_malformed_answer()
    {
        await using var server = await PagingServer.StartAsync();
        server.Answer = r => PagingServer.Json(r, 200, PagingServer.Page(Ids(r.Offset + 1, r.Offset + 5), "3"));
        using var c = await server.ConnectAsync(pageSize: 5);

        var listed = new List<long>();
        var ex = await Assert.ThrowsAsync<DciApiException>(() => ListIds(c, listed));

        Assert.Contains("holds 5 items, past the size 3 it announces", ex.Message);
        Assert.Empty(listed);
    }

    [Fact]
    public async Task An_item_repeated_from_the_previous_page_is_listed_once()
    {
        await using var server = await PagingServer.StartAsync();
        // The list shifted by one between the two requests: page 2 starts with page 1's last server.
        server.Answer = r => PagingServer.Json(r, 200, PagingServer.Page(r.Offset == 0 ? Ids(1, 5) : Ids(5, 9), "10"));
        using var c = await server.ConnectAsync(pageSize: 5);

        Assert.Equal(Ids(1, 9), await ListIds(c));
        Assert.Equal(2, server.Requests);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("unit")]
    public async Task An_out_of_range_number_in_one_item_fails_with_the_item_and_field_named(string field)
    {
        await using var server = await PagingServer.StartAsync();
        var fourth = field == "id" ? """{"id":1e400,"name":"d"}""" : $$"""{"id":4,"name":"d","{{field}}":1e400}""";
        server.Answer = r => PagingServer.Json(r, 200, $$"""{"list":[{"id":1,"name":"a"},{"id":2,"name":"b"},{"id":3,"name":"c"},{{fourth}}],"size":4}""");
        using var c = await server.ConnectAsync(pageSize: 5);

        var ex = await Assert.ThrowsAsync<DciApiException>(() => ListIds(c));

        Assert.Contains($"item 4 of the page at offset 0 has a value in '{field}' that cannot be read", ex.Message);
        Assert.Equal(200, ex.HttpStatus);
    }
}
