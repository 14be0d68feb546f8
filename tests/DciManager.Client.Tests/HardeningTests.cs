using System.IO.Compression;
using System.Net;
using System.Text;
using DciManager.Client;

namespace DciManager.Client.Tests;

/// <summary>Issue 10 and issue 9 §6: what a hostile or broken panel sends must not mislead, crash or multiply requests.</summary>
public sealed class HardeningTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _out;

    public HardeningTests(Xunit.Abstractions.ITestOutputHelper output) => _out = output;

    /// <summary>Fills the connection pool with idle keep-alive connections, so a request can land on a reused one.</summary>
    private static async Task WarmPoolAsync(DciConnection c, int connections = 6) =>
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => c.Auth.WhoAmIAsync()));

    // ------------------------------------------------------------------ 13. what goes on the wire

    [Fact]
    public async Task Retries_are_counted_and_bounded_on_the_wire_including_the_handlers_silent_resends()
    {
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Path == "/api/dci/v3/server/1" ? Task.FromResult(false) : null); // read it, then close without an answer
        using var c = await server.ConnectAsync(maxTransient: 4);
        await WarmPoolAsync(c);

        var error = await Assert.ThrowsAsync<DciTransportException>(() => c.Servers.GetAsync(1));
        var onTheWire = server.Count("GET", "/dci/v3/server/1");
        _out.WriteLine($"wire: requests on the wire={onTheWire}, reported attempts={error.Attempts}, limit=4");
        Assert.True(onTheWire <= 4, $"the server saw {onTheWire} requests for a limit of 4 attempts");
        Assert.Equal(onTheWire, error.Attempts);
        Assert.Contains($"after {onTheWire} attempt", error.Message);
    }

    [Fact]
    public async Task A_post_whose_connection_closes_unanswered_goes_on_the_wire_once()
    {
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Path.EndsWith("/power_reset", StringComparison.Ordinal) ? Task.FromResult(false) : null);
        using var c = await server.ConnectAsync();
        await WarmPoolAsync(c);

        await Assert.ThrowsAsync<DciOutcomeUnknownException>(() => c.Servers.PowerAsync(3, DciPowerAction.Reset));
        Assert.Equal(1, server.Count("POST", "/power_reset"));
    }

    // ------------------------------------------------------------------ 4. DELETE retried after it was done

    [Fact]
    public async Task A_delete_whose_retry_finds_nothing_succeeds_after_the_first_answer_was_lost()
    {
        var deletes = 0;
        await using var server = HostileServer.Start((request, stream, ct) =>
        {
            if (request.Method != "DELETE") return null;
            // The first DELETE is executed, then the connection drops before the answer; the retry finds nothing.
            if (Interlocked.Increment(ref deletes) == 1) return Task.FromResult(false);
            return HostileServer.Reply(stream, 404, "{\"error\":{\"code\":4004,\"msg\":\"User not found\",\"value\":null}}", ct: ct);
        });
        using var c = await server.ConnectAsync();
        await WarmPoolAsync(c);

        await c.Users.DeleteAsync(5);
        Assert.True(server.Count("DELETE", "/dci/v3/user/5") >= 2);
    }

    [Fact]
    public async Task A_first_delete_answered_404_is_still_not_found()
    {
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Method == "DELETE" ? HostileServer.Reply(stream, 404, "{\"error\":{\"code\":4004,\"msg\":\"User not found\",\"value\":null}}", ct: ct) : null);
        using var c = await server.ConnectAsync();

        var error = await Assert.ThrowsAsync<DciApiException>(() => c.Users.DeleteAsync(5));
        Assert.Equal(404, error.HttpStatus);
    }

    // ------------------------------------------------------------------ 5. task ids

    [Theory]
    [InlineData("true")]
    [InlineData("2.6")]
    [InlineData("1e300")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("\"abc\"")]
    [InlineData("99999999999999999999")]
    public async Task An_action_answer_with_a_task_id_that_is_not_a_positive_integer_is_malformed(string taskId)
    {
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Path.EndsWith("/power_reset", StringComparison.Ordinal)
                ? HostileServer.Reply(stream, 200, $"{{\"id\":3,\"task\":{taskId}}}", ct: ct)
                : request.Path.StartsWith("/api/dci/v3/task/", StringComparison.Ordinal)
                    ? HostileServer.Reply(stream, 200, $"{{\"id\":{taskId},\"name\":\"power_reset\",\"status\":\"complete\"}}", ct: ct)
                    : null);
        using var c = await server.ConnectAsync();

        var unknown = await Assert.ThrowsAsync<DciOutcomeUnknownException>(() => c.Servers.PowerAsync(3, DciPowerAction.Reset));
        Assert.Contains("task id", unknown.Message);
        var malformed = await Assert.ThrowsAsync<DciApiException>(() => c.Tasks.GetAsync(7));
        Assert.Contains("task id", malformed.Message);
    }

    [Theory]
    [InlineData("41", 41L)]
    [InlineData("\"41\"", 41L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public async Task Positive_integer_task_ids_are_read(string taskId, long expected)
    {
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Path.EndsWith("/power_reset", StringComparison.Ordinal) ? HostileServer.Reply(stream, 200, $"{{\"id\":3,\"task\":{taskId}}}", ct: ct) : null);
        using var c = await server.ConnectAsync();

        var task = await c.Servers.PowerAsync(3, DciPowerAction.Reset);
        Assert.Equal(expected, task.Id);
    }

    // ------------------------------------------------------------------ issue 9 §6. empty bodies

    [Fact]
    public async Task A_list_answered_200_with_an_empty_body_is_an_error_not_an_empty_list()
    {
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Path == "/api/dci/v3/server" ? HostileServer.Reply(stream, 200, "", ct: ct) : null);
        using var c = await server.ConnectAsync();

        var error = await Assert.ThrowsAsync<DciApiException>(() => c.Servers.ListAsync().ToListAsync());
        Assert.Contains("the panel returned no body", error.Message);
        Assert.Equal(200, error.HttpStatus);
    }

    [Fact]
    public async Task A_sign_in_whose_whoami_is_empty_fails()
    {
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Path == "/api/auth/v4/whoami" ? HostileServer.Reply(stream, 200, "", ct: ct) : null);

        var error = await Assert.ThrowsAsync<DciApiException>(() => server.ConnectAsync());
        Assert.Contains("no body", error.Message);
    }

    [Fact]
    public async Task A_sign_in_whose_whoami_names_nobody_fails()
    {
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Path == "/api/auth/v4/whoami" ? HostileServer.Reply(stream, 200, "{}", ct: ct) : null);

        var error = await Assert.ThrowsAsync<DciApiException>(() => server.ConnectAsync());
        Assert.Contains("who signed in", error.Message);
    }

    // ------------------------------------------------------------------ 8. bounded bodies

    /// <summary>Writes a chunked body that never ends, until the client goes away.</summary>
    private static async Task<bool> EndlessBody(Stream stream, int status, string contentType, CancellationToken ct, string start = "")
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {HostileServer.Reason(status)}\r\nContent-Type: {contentType}\r\nTransfer-Encoding: chunked\r\n\r\n"), ct);
        if (start.Length > 0) await stream.WriteAsync(Encoding.ASCII.GetBytes($"{start.Length:x}\r\n{start}\r\n"), ct);
        var line = Encoding.ASCII.GetBytes(new string('x', 8192));
        var chunk = Encoding.ASCII.GetBytes($"{line.Length:x}\r\n").Concat(line).Concat("\r\n"u8.ToArray()).ToArray();
        while (!ct.IsCancellationRequested) await stream.WriteAsync(chunk, ct);
        return false;
    }

    private static byte[] Gzip(long inflatedBytes, byte[]? prefix = null, byte[]? suffix = null)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            if (prefix is not null) gzip.Write(prefix);
            var zeros = new byte[1024 * 1024];
            Array.Fill(zeros, (byte)'0');
            for (long written = 0; written < inflatedBytes; written += zeros.Length) gzip.Write(zeros);
            if (suffix is not null) gzip.Write(suffix);
        }
        return output.ToArray();
    }

    [Fact]
    public async Task An_endless_error_body_is_read_to_a_few_KB_and_reported_at_once()
    {
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Path == "/api/dci/v3/server/1" ? EndlessBody(stream, 500, "text/plain", ct) : null);
        using var c = await server.ConnectAsync(timeout: TimeSpan.FromSeconds(60));

        var error = await Assert.ThrowsAsync<DciApiException>(() => c.Servers.GetAsync(1));
        Assert.Equal(500, error.HttpStatus);
        Assert.Equal(1, server.Count("GET", "/dci/v3/server/1"));
    }

    [Fact]
    public async Task A_gzip_bomb_error_is_inflated_no_further_than_the_error_limit()
    {
        // Gzip members of 1 MB of zeros each, sent forever: reading the inflated body whole would never end.
        var member = Gzip(1024 * 1024);
        var chunk = Encoding.ASCII.GetBytes($"{member.Length:x}\r\n").Concat(member).Concat("\r\n"u8.ToArray()).ToArray();
        async Task<bool> EndlessBomb(Stream stream, CancellationToken ct)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"), ct);
            while (!ct.IsCancellationRequested) await stream.WriteAsync(chunk, ct);
            return false;
        }
        await using var server = HostileServer.Start((request, stream, ct) => request.Path == "/api/dci/v3/server/1" ? EndlessBomb(stream, ct) : null);
        using var c = await server.ConnectAsync(timeout: TimeSpan.FromSeconds(60));

        var error = await Assert.ThrowsAsync<DciApiException>(() => c.Servers.GetAsync(1));
        Assert.Equal(500, error.HttpStatus);
        Assert.Equal(1, server.Count("GET", "/dci/v3/server/1"));
    }

    [Fact]
    public async Task A_success_body_larger_than_the_limit_is_a_clear_error_streamed_or_compressed()
    {
        var hugeString = Encoding.UTF8.GetBytes("{\"id\":1,\"name\":\"" + new string('a', 3 * 1024 * 1024) + "\"}");
        var bomb = Gzip(64L * 1024 * 1024, "{\"list\":[],\"size\":0,\"pad\":\""u8.ToArray(), "\"}"u8.ToArray());
        await using var server = HostileServer.Start((request, stream, ct) => request.Path switch
        {
            "/api/dci/v3/server/1" => HostileServer.ReplyBytes(stream, 200, hugeString, ct: ct).ContinueWith(_ => true, TaskScheduler.Default),
            "/api/dci/v3/server" => HostileServer.ReplyBytes(stream, 200, bomb, extraHeaders: "Content-Encoding: gzip", ct: ct).ContinueWith(_ => true, TaskScheduler.Default),
            "/api/dci/v3/user" => EndlessBody(stream, 200, "application/json", ct, "{\"list\":[],\"pad\":\""),
            _ => null,
        });
        using var c = await server.ConnectAsync(change: o => new DciConnectionOptions
        {
            BaseUri = o.BaseUri, Timeout = o.Timeout, Retry = o.Retry, MaxResponseBytes = 1024 * 1024,
        });

        var streamed = await Assert.ThrowsAsync<DciApiException>(() => c.Servers.GetAsync(1));
        Assert.Contains("larger than the 1 MB", streamed.Message);
        var compressed = await Assert.ThrowsAsync<DciApiException>(() => c.Servers.ListAsync().ToListAsync());
        Assert.Contains("larger than the 1 MB", compressed.Message);
        var endless = await Assert.ThrowsAsync<DciApiException>(() => c.Users.ListAsync().ToListAsync());
        Assert.Contains("larger than the 1 MB", endless.Message);
        Assert.Equal(1, server.Count("GET", "/dci/v3/server/1"));
    }

    // ------------------------------------------------------------------ 11. 503 storms

    [Fact]
    public async Task A_503_storm_honours_Retry_After_within_the_time_limit_and_says_how_many_tries()
    {
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Path == "/api/dci/v3/server/1"
                ? HostileServer.Reply(stream, 503, "{\"error\":{\"code\":5003,\"msg\":\"Platform suspended\",\"value\":null}}", extraHeaders: "Retry-After: 1", ct: ct)
                : null);
        // -TimeoutSec 3; the platform-suspended wait alone (30 s) would allow hundreds of tries at 1-5 ms backoff.
        using var c = await server.ConnectAsync(timeout: TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<DciApiException>(() => c.Servers.GetAsync(1));
        var tries = server.Count("GET", "/dci/v3/server/1");
        _out.WriteLine($"503 storm with Retry-After 1 at a 3 s limit: {tries} tries; {error.Message}");
        Assert.Equal(503, error.HttpStatus);
        Assert.InRange(tries, 2, 5); // one a second, as asked, for at most the 3 s limit
        Assert.Contains($"{tries} tries", error.Message);
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_time_limit_ends_the_call_at_once()
    {
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Path.EndsWith("/power_on", StringComparison.Ordinal)
                ? HostileServer.Reply(stream, 503, "{\"error\":{\"code\":5003,\"msg\":\"Platform suspended\",\"value\":null}}", extraHeaders: "Retry-After: 3600", ct: ct)
                : null);
        using var c = await server.ConnectAsync(timeout: TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<DciApiException>(() => c.Servers.PowerAsync(2, DciPowerAction.On));
        Assert.Equal(1, server.Count("POST", "/power_on"));
        Assert.Contains("retry after", error.Message);
    }

    // ------------------------------------------------------------------ 12. closed under a call

    private static async Task<bool> NeverAnswer(CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        return false;
    }

    [Fact]
    public async Task Closing_the_connection_under_calls_says_so_and_leaves_posts_outcome_unknown()
    {
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Path is "/api/dci/v3/server/1" or "/api/dci/v3/server/2/power_reset" ? NeverAnswer(ct) : null);
        var c = await server.ConnectAsync(timeout: TimeSpan.FromSeconds(60));
        var get = c.Servers.GetAsync(1);
        var post = c.Servers.PowerAsync(2, DciPowerAction.Reset);
        // Both requests must be on the server before the close (not a timing margin: a loaded machine just waits longer).
        for (var i = 0; i < 6000 && (server.Count("GET", "/dci/v3/server/1") == 0 || server.Count("POST", "/power_reset") == 0); i++) await Task.Delay(10);

        c.Dispose();
        var closed = await Assert.ThrowsAsync<DciConnectionClosedException>(() => get);
        Assert.Contains("was closed while GET", closed.Message);
        var unknown = await Assert.ThrowsAsync<DciOutcomeUnknownException>(() => post);
        Assert.Contains("connection was closed", unknown.Message);
        var next = await Assert.ThrowsAsync<DciConnectionClosedException>(() => c.Servers.GetAsync(3));
        Assert.Contains("was not sent", next.Message);
        Assert.Equal(1, server.Count("GET", "/dci/v3/server/1"));
        Assert.Equal(1, server.Count("POST", "/power_reset"));
        Assert.Equal(0, server.Count("GET", "/dci/v3/server/3"));
    }

    // ------------------------------------------------------------------ 14. raw paths stay under the API

    [Theory]
    [InlineData("dci/v3/../../../_sim/stats")]
    [InlineData("dci/v3/%2e%2e/%2E%2E/%2e%2e/_sim/stats")]
    [InlineData("dci/v3/./server")]
    [InlineData("dci/v3/..%2F..%2F_sim")]
    [InlineData("dci/v3\\..\\..\\_sim")]
    [InlineData("dci//v3/server")]
    public async Task A_raw_path_that_climbs_out_of_the_API_is_refused_before_any_request(string path)
    {
        await using var server = HostileServer.Start((_, _, _) => null);
        using var c = await server.ConnectAsync();
        var before = server.Requests.Count;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => c.InvokeAsync(HttpMethod.Get, path));
        Assert.Contains("leaves the API", error.Message);
        Assert.Throws<ArgumentException>(() => DciConnection.NormalizeApiPath(path));
        Assert.Equal(before, server.Requests.Count);
    }

    [Theory]
    [InlineData("dci/v3/server", "dci/v3/server")]
    [InlineData("/ip/v3/ippool/3", "ip/v3/ippool/3")]
    [InlineData("dci/v3/server/", "dci/v3/server/")]
    [InlineData("auth/v4/user/a%40example.com/key", "auth/v4/user/a%40example.com/key")]
    public void Ordinary_raw_paths_pass(string path, string expected) => Assert.Equal(expected, DciConnection.NormalizeApiPath(path));

    // ------------------------------------------------------------------ issue 9 §4: connection errors say where and why

    [Fact]
    public async Task Https_to_a_plain_http_port_is_not_called_a_certificate_problem()
    {
        await using var sim = await Sim.StartAsync();
        var https = new UriBuilder(sim.BaseAddress) { Scheme = "https" }.Uri;
        var options = Sim.Options(sim, o => new DciConnectionOptions { BaseUri = https, Timeout = o.Timeout, Retry = o.Retry });

        var error = await Assert.ThrowsAsync<DciTransportException>(() => DciConnection.ConnectAsync(options, new NetworkCredential(sim.AdminEmail, sim.AdminPassword)));
        Assert.Contains($"127.0.0.1:{sim.BaseAddress.Port}", error.Message);
        Assert.Contains($"http://127.0.0.1:{sim.BaseAddress.Port}", error.Message);
        Assert.DoesNotContain("SkipCertificateCheck", error.Message);
    }

    [Fact]
    public async Task A_self_signed_certificate_is_called_one_and_names_the_endpoint()
    {
        await using var sim = await Sim.StartAsync(o => o.Https = true);
        var error = await Assert.ThrowsAsync<DciTransportException>(() =>
            DciConnection.ConnectAsync(Sim.Options(sim), new NetworkCredential(sim.AdminEmail, sim.AdminPassword)));
        Assert.Contains($"certificate of {sim.BaseAddress.Host}:{sim.BaseAddress.Port}", error.Message);
        Assert.Contains("-SkipCertificateCheck", error.Message);
    }

    [Fact]
    public async Task A_refused_connection_names_the_host_and_port()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var options = HostileServer.Options(new Uri($"http://127.0.0.1:{port}/"), maxTransient: 2);
        var error = await Assert.ThrowsAsync<DciTransportException>(() => DciConnection.ConnectAsync(options, new NetworkCredential("a@example.com", "pw-123456")));
        Assert.Contains($"connection refused by 127.0.0.1:{port}", error.Message);
    }
}
