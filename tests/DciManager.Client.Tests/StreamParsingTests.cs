using System.Text;
using DciManager.Client.Http;

namespace DciManager.Client.Tests;

/// <summary>The stream wrapper that lets a JSON success be parsed without buffering the whole body.</summary>
public sealed class StreamParsingTests
{
    [Fact]
    public async Task It_passes_every_byte_through_and_keeps_only_the_start()
    {
        var body = Encoding.UTF8.GetBytes(new string('x', 10_000));
        var capture = new PrefixCaptureStream(new MemoryStream(body), 4096);
        var copy = new MemoryStream();
        await capture.CopyToAsync(copy);
        Assert.Equal(body, copy.ToArray());
        Assert.Equal(body[..4096], capture.Prefix);
        Assert.False(capture.WholeBodyCaptured);
    }

    [Fact]
    public async Task A_short_body_is_captured_whole_after_draining()
    {
        var body = "{\"list\": [1, 2"u8.ToArray();
        var capture = new PrefixCaptureStream(new MemoryStream(body), 4096);
        await capture.ReadExactlyAsync(new byte[3]);
        await capture.DrainAsync(CancellationToken.None);
        Assert.True(capture.WholeBodyCaptured);
        Assert.Equal(body, capture.Prefix);
    }

    [Fact]
    public async Task A_bad_byte_is_reported_once_and_draining_after_it_does_not_throw()
    {
        var body = new byte[9000];
        Array.Fill(body, (byte)'a');
        body[5000] = 0xFF;
        var capture = new PrefixCaptureStream(new MemoryStream(body), 4096);
        var buffer = new byte[1024];
        await Assert.ThrowsAsync<DecoderFallbackException>(async () => { while (await capture.ReadAsync(buffer) > 0) { } });
        await capture.DrainAsync(CancellationToken.None);
        Assert.False(capture.WholeBodyCaptured);
    }

    [Fact]
    public async Task Large_malformed_and_non_utf8_pages_become_api_errors_that_show_the_start_of_the_body()
    {
        await using var sim = await Sim.StartAsync(o => o.Servers = 600);
        using var connection = await Sim.AdminAsync(sim);
        foreach (var kind in new[] { DciManager.Simulator.FaultKind.TruncatedJson, DciManager.Simulator.FaultKind.MalformedJson })
        {
            sim.State.Faults.Add(new DciManager.Simulator.FaultRule { Kind = kind, Method = "GET", PathContains = "dci/v3/server", Count = 1 });
            var error = await Assert.ThrowsAsync<DciApiException>(async () => { await foreach (var _ in connection.Servers.ListAsync()) { } });
            Assert.Equal(200, error.HttpStatus);
            Assert.Contains("not valid JSON", error.Message);
            Assert.False(string.IsNullOrEmpty(error.ResponseSnippet));
            Assert.Contains("{", error.ResponseSnippet);
        }
        Assert.Equal(600, await connection.Servers.ListAsync().CountAsync());
    }
}
