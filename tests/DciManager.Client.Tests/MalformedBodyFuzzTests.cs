using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.IO.Compression;
using DciManager.Client;
using Xunit.Abstractions;

namespace DciManager.Client.Tests;

/// <summary>
/// Mutation fuzzing of response bodies: real JSON answers are captured from the simulator, mutated
/// deterministically (seeded) and served by a tiny raw-socket HTTP server on 127.0.0.1, and the engine's
/// public calls must either succeed (the mutation left a valid, well-typed body) or fail with a
/// <see cref="DciException"/> that says what came back. Never a hang, never a raw JsonException,
/// NullReferenceException, InvalidCastException, IndexOutOfRangeException ... leaking out.
/// </summary>
public sealed class MalformedBodyFuzzTests
{
    /// <summary>
    /// Fixed so a failure reproduces. 5, 6 and 13 are seeds that once found an engine bug: a secret under a
    /// corrupted field name in a debug trace, an unbounded Unix timestamp (ArgumentOutOfRangeException), a login
    /// token that cannot be sent back as a header. DCI_FUZZ_SEED explores other mutations locally.
    /// </summary>
    private static readonly int[] Seeds = int.TryParse(Environment.GetEnvironmentVariable("DCI_FUZZ_SEED"), out var seed) ? [seed] : [6_2024, 5, 6, 13];
    private const string FuzzToken = "fuzz-token-7f3a9c51d2";
    private const string FuzzPassword = "fuzz-Passw0rd-secret";
    private const string FuzzApiToken = "api-0d1e2f3a4b5c6d7e";
    private const string FuzzLoginKey = "key-9a8b7c6d5e4f3a2b";
    private static readonly string[] s_secrets = { FuzzToken, FuzzPassword, FuzzApiToken, FuzzLoginKey };

    /// <summary>Mutations that leave a valid, well-typed body: a 2xx answer must still be read.</summary>
    internal static readonly HashSet<string> s_mustSucceed = new() { "bom", "no-content-type", "gzip" };

    /// <summary>The answer limit of the fuzzed connection: small, so oversize bodies stay cheap to serve.</summary>
    internal const int FuzzMaxResponseBytes = 256 * 1024;

    /// <summary>Mutations longer than the limit: a 2xx must be refused as too large, an error still read (its start).</summary>
    internal static readonly HashSet<string> s_oversize = new() { "oversize-string", "gzip-bomb" };
    private static readonly TimeSpan PerCallLimit = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _out;

    public MalformedBodyFuzzTests(ITestOutputHelper output) => _out = output;

    /// <summary>One endpoint under test: the real body it answered and the engine call that reads it.</summary>
    private sealed record Target(string Name, string Method, string Path, int Status, byte[] Body, Func<FuzzContext, Task> Call);

    /// <summary>What the fake server answers for the target path.</summary>
    internal sealed record Answer(string Kind, int Status, string? ContentType, byte[] Body, bool CutShort = false, bool NotHttp = false,
        string? ContentEncoding = null);

    private sealed class FuzzContext
    {
        public required DciConnectionOptions Options { get; init; }
        public required DciConnection Connection { get; init; }
        public required long TaskId { get; init; }
    }

    [Fact]
    public async Task Mutated_real_bodies_never_crash_hang_or_leak_raw_exceptions()
    {
        // ---- 1. Capture real bodies from the simulator, byte for byte.
        var captured = await CaptureRealBodiesAsync();

        // ---- 2. Serve mutations of them from a raw local HTTP server.
        await using var fake = FakeDci.Start(captured.WhoAmI);
        var options = new DciConnectionOptions
        {
            BaseUri = fake.BaseUri,
            // The fake server answers at once: no case relies on the timeout, so a busy machine must not trip it.
            Timeout = TimeSpan.FromSeconds(10),
            Retry = new DciRetryOptions
            {
                BaseDelay = TimeSpan.FromMilliseconds(1),
                MaxDelay = TimeSpan.FromMilliseconds(5),
                MaxTransientAttempts = 2,
                SuspendedMaxWait = TimeSpan.FromMilliseconds(30),
            },
            MaxResponseBytes = FuzzMaxResponseBytes,
        };
        using var connection = await DciConnection.ConnectAsync(options, new NetworkCredential("fuzz@example.com", FuzzPassword));
        var context = new FuzzContext { Options = options, Connection = connection, TaskId = captured.TaskId };

        var trace = new CapturingSink();
        using var tracing = DciTrace.Push(trace);
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var byKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        var tried = 0;
        var succeeded = 0;
        var watch = Stopwatch.StartNew();

        foreach (var (target, random) in Seeds.SelectMany(s => { var r = new Random(s); return captured.Targets.Select(t => (t, r)); }))
        {
            // The unmutated body must work, or the mutations prove nothing.
            fake.Set(target.Method, target.Path, new Answer("original", target.Status, "application/json; charset=utf-8", target.Body));
            if (target.Status is >= 200 and < 300)
            {
                var original = await Record.ExceptionAsync(() => target.Call(context).WaitAsync(PerCallLimit));
                Assert.True(original is null, $"{target.Name}: the real body itself failed: {original}");
            }

            foreach (var answer in Mutate(target.Body, target.Status, random))
            {
                tried++;
                byKind[answer.Kind] = byKind.GetValueOrDefault(answer.Kind) + 1;
                fake.Set(target.Method, target.Path, answer);
                Exception? thrown;
                try
                {
                    await target.Call(context).WaitAsync(PerCallLimit);
                    thrown = null;
                }
                catch (Exception ex)
                {
                    thrown = ex;
                }

                var label = $"{target.Name}/{answer.Kind} (HTTP {answer.Status}, {answer.ContentType ?? "no content type"}, {answer.Body.Length} bytes: {Preview(answer.Body)})";
                if (thrown is null)
                {
                    succeeded++;
                    outcomes["success"] = outcomes.GetValueOrDefault("success") + 1;
                    // Only a 2xx can legitimately succeed.
                    if (answer.Status is < 200 or >= 300 || answer.CutShort || answer.NotHttp)
                        problems.Add($"{label}: succeeded although the answer was an error");
                    continue;
                }
                if (s_mustSucceed.Contains(answer.Kind) && answer.Status is >= 200 and < 300)
                    problems.Add($"{label}: a valid body was refused: {thrown.GetType().Name} {thrown.Message}");
                if (s_oversize.Contains(answer.Kind) && answer.Status is >= 200 and < 300 && !thrown.ToString().Contains("larger than", StringComparison.Ordinal))
                    problems.Add($"{label}: an answer beyond the limit was not called too large: {thrown.GetType().Name} {thrown.Message}");
                if (thrown is OutOfMemoryException or InsufficientExecutionStackException)
                    problems.Add($"{label}: {thrown.GetType().Name}");

                outcomes[thrown.GetType().Name] = outcomes.GetValueOrDefault(thrown.GetType().Name) + 1;
                if (thrown is TimeoutException)
                    problems.Add($"{label}: the call did not end within {PerCallLimit.TotalSeconds} s");
                else if (thrown is not DciException dci)
                    problems.Add($"{label}: leaked {thrown.GetType().FullName}: {thrown.Message}\n{thrown.StackTrace}");
                else if (Explain(dci, answer) is { } why)
                    problems.Add($"{label}: {dci.GetType().Name} \"{dci.Message}\" {why}");
                if (s_secrets.FirstOrDefault(secret => thrown.ToString().Contains(secret, StringComparison.Ordinal)) is { } shown)
                    problems.Add($"{label}: the error shows the secret {shown[..4]}...: {thrown.Message}");
            }
        }

        var tracedSecrets = trace.All.Where(line => s_secrets.Any(secret => line.Contains(secret, StringComparison.Ordinal))).ToList();
        foreach (var line in tracedSecrets.Take(5)) problems.Add("a trace line shows a secret: " + line.Replace("\n", " | "));
        var failed = tried - succeeded;
        _out.WriteLine($"malformed-bodies: seeds={string.Join("+", Seeds)} tried={tried} succeeded={succeeded} failed={failed} problems={problems.Count} targets={captured.Targets.Count} elapsed={watch.Elapsed.TotalSeconds:0.0}s");
        _out.WriteLine("outcomes: " + string.Join(", ", outcomes.Select(kv => $"{kv.Key}={kv.Value}")));
        _out.WriteLine("mutations: " + string.Join(", ", byKind.Select(kv => $"{kv.Key}={kv.Value}")));
        _out.WriteLine($"malformed-bodies: attempted={tried} completed={succeeded} unknown={outcomes.GetValueOrDefault(nameof(DciOutcomeUnknownException))} duplicated=0 lost={problems.Count}");
        foreach (var p in problems.Take(25)) _out.WriteLine("PROBLEM " + p);

        Assert.True(tried >= 200, $"only {tried} bodies tried");
        Assert.Empty(problems);
        Assert.True(succeeded > 0, "no mutation was still a valid body: the generator is too blunt");
        Assert.True(failed > tried / 2, "most mutations should be refused");
    }

    /// <summary>Null when the exception says what came back; otherwise why not.</summary>
    private static string? Explain(DciException ex, Answer answer)
    {
        if (string.IsNullOrWhiteSpace(ex.Message)) return "has no message";
        switch (ex)
        {
            case DciApiException api:
                var bothSuccess = api.HttpStatus is >= 200 and < 300 && answer.Status is >= 200 and < 300;
                if (api.HttpStatus != answer.Status && !bothSuccess && !api.Message.Contains("was not found", StringComparison.Ordinal))
                    return $"carries HTTP {api.HttpStatus}, the answer was {answer.Status}";
                if (api.Message.Contains(answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)) return null;
                if (api.ResponseSnippet is { Length: > 0 } || api.Code is not null) return null;
                if (api.Message.Contains("answer", StringComparison.Ordinal) || api.Message.Contains("was not found", StringComparison.Ordinal)) return null;
                return "does not say what came back (status, content type or a snippet)";
            case DciOutcomeUnknownException unknown:
                if (answer.Status is >= 400 and not (502 or 504) && !answer.CutShort && !answer.NotHttp)
                    return "an error status means the request was refused, not an unknown outcome";
                if (string.IsNullOrWhiteSpace(unknown.WhatHappened)) return "does not say what happened";
                if (unknown.InnerException is DciApiException inner && Explain(inner, answer) is { } why) return "inner: " + why;
                return null;
            case DciTransportException transport:
                if (!answer.CutShort && !answer.NotHttp && answer.Status is not (502 or 503 or 504))
                    return "a complete HTTP answer is not a transport failure";
                return string.IsNullOrWhiteSpace(transport.WhatHappened) ? "does not say what happened" : null;
            case DciSessionExpiredException expired:
                return answer.Status == 401 && expired.InnerException is DciApiException { HttpStatus: 401 } ? null : "session expired without a 401";
            default:
                return $"unexpected {ex.GetType().Name}";
        }
    }

    private static string Preview(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 80)).Replace("\r", "\\r").Replace("\n", "\\n");
        return body.Length > 80 ? text + "..." : text;
    }

    // ------------------------------------------------------------------ capture

    private sealed record Captured(List<Target> Targets, byte[] WhoAmI, long TaskId);

    private static async Task<Captured> CaptureRealBodiesAsync()
    {
        // Long operations: the second power_reset on server 2 must meet the first one still running (409), however slow the machine.
        await using var sim = await Sim.StartAsync(o => o.OperationDuration = TimeSpan.FromMinutes(5));
        using var http = new HttpClient { BaseAddress = sim.BaseAddress };

        using var login = await http.PostAsJsonAsync("api/auth/v4/public/token", new { email = sim.AdminEmail, password = sim.AdminPassword });
        var loginBody = await login.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.Created, login.StatusCode);
        var token = JsonDocument.Parse(loginBody).RootElement.GetProperty("token").GetString()!;
        // The fake server hands out its own token; the captured login answer carries it instead of the simulator's.
        loginBody = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(loginBody).Replace(token, FuzzToken, StringComparison.Ordinal));

        async Task<(int, byte[])> Get(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/" + path);
            request.Headers.Add("x-xsrf-token", token);
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync());
        }

        async Task<(int, byte[])> Post(string path, string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/" + path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("x-xsrf-token", token);
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync());
        }

        var (_, action) = await Post("dci/v3/server/2/power_reset", "{}");
        var taskId = JsonDocument.Parse(action).RootElement.GetProperty("task").GetInt64();
        var (conflictStatus, conflict) = await Post("dci/v3/server/2/power_reset", "{}");
        Assert.Equal(409, conflictStatus);
        var (_, apiToken) = await Post("auth/v4/token", "{\"expires_at\":\"2099-01-01 00:00:00\",\"description\":\"fuzz\"}");
        var apiTokenText = JsonDocument.Parse(apiToken).RootElement.GetProperty("token").GetString()!;
        apiToken = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(apiToken).Replace(apiTokenText, FuzzApiToken, StringComparison.Ordinal));
        var (_, loginKey) = await Post("auth/v4/user/user01@example.com/key", "{}");
        var loginKeyText = JsonDocument.Parse(loginKey).RootElement.GetProperty("key").GetString()!;
        loginKey = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(loginKey).Replace(loginKeyText, FuzzLoginKey, StringComparison.Ordinal));
        var (_, whoami) = await Get("auth/v4/whoami");
        var (notFoundStatus, notFound) = await Get("dci/v3/server/999999");
        Assert.Equal(404, notFoundStatus);

        async Task<byte[]> Ok(string path)
        {
            var (status, body) = await Get(path);
            Assert.True(status == 200, $"GET {path}: {status} {Encoding.UTF8.GetString(body)}");
            return body;
        }

        static async Task Drain<T>(IAsyncEnumerable<T> items) { await foreach (var _ in items) { } }

        var targets = new List<Target>
        {
            new("server-list", "GET", "dci/v3/server", 200, await Ok("dci/v3/server?limit=0,3"), c => Drain(c.Connection.Servers.ListAsync())),
            new("server", "GET", "dci/v3/server/1", 200, await Ok("dci/v3/server/1"), c => c.Connection.Servers.GetAsync(1)),
            new("server-ip-list", "GET", "dci/v3/server/1/ip", 200, await Ok("dci/v3/server/1/ip"), c => Drain(c.Connection.Servers.ListIpAsync(1))),
            new("configurations", "GET", "dci/v3/server/configuration", 200, await Ok("dci/v3/server/configuration"), c => Drain(c.Connection.Servers.ListConfigurationsAsync())),
            new("user-list", "GET", "dci/v3/user", 200, await Ok("dci/v3/user?limit=0,3"), c => Drain(c.Connection.Users.ListAsync())),
            new("user-by-id", "GET", "dci/v3/user", 200, await Ok("dci/v3/user?where=id+EQ+2&limit=0,1"), c => c.Connection.Users.GetAsync(2)),
            new("task", "GET", $"dci/v3/task/{taskId}", 200, await Ok($"dci/v3/task/{taskId}"), c => c.Connection.Tasks.GetAsync(c.TaskId)),
            new("task-list", "GET", "dci/v3/task", 200, await Ok("dci/v3/task?limit=0,3"), c => Drain(c.Connection.Tasks.ListAsync())),
            new("pool-list", "GET", "ip/v3/ippool", 200, await Ok("ip/v3/ippool"), c => Drain(c.Connection.Ip.ListPoolsAsync())),
            new("network-list", "GET", "ip/v3/ipnet", 200, await Ok("ip/v3/ipnet?limit=0,3"), c => Drain(c.Connection.Ip.ListNetworksAsync())),
            new("address-list", "GET", "dci/v3/ip", 200, await Ok("dci/v3/ip?limit=0,3"), c => Drain(c.Connection.Ip.ListAddressesAsync())),
            new("os-templates", "GET", "dci/v3/os_template", 200, await Ok("dci/v3/os_template"), c => Drain(c.Connection.OsTemplates.ListAsync())),
            new("whoami", "GET", "auth/v4/whoami", 200, whoami, c => c.Connection.Auth.WhoAmIAsync()),
            new("power-action", "POST", "dci/v3/server/2/power_reset", 200, action, c => c.Connection.Servers.PowerAsync(2, DciPowerAction.Reset)),
            new("api-token", "POST", "auth/v4/token", 200, apiToken, c => c.Connection.Auth.CreateApiTokenAsync(DateTimeOffset.UtcNow.AddDays(1), "fuzz")),
            new("login-key", "POST", "auth/v4/user/user01%40example.com/key", 200, loginKey, c => c.Connection.Auth.CreateLoginKeyAsync("user01@example.com")),
            new("login", "POST", "auth/v4/public/token", 201, loginBody, async c =>
            {
                using var fresh = await DciConnection.ConnectAsync(c.Options, new NetworkCredential("fuzz@example.com", FuzzPassword));
            }),
            new("error-404", "GET", "dci/v3/server/7", 404, notFound, c => c.Connection.Servers.GetAsync(7)),
            new("error-409-post", "POST", "dci/v3/server/3/power_off", 409, conflict, c => c.Connection.Servers.PowerAsync(3, DciPowerAction.Off)),
            new("rack-list", "GET", "dci/v3/rack", 200, await Ok("dci/v3/rack?limit=0,3"), c => Drain(c.Connection.Inventory.ListRacksAsync())),
            new("switch-port-list", "GET", "dci/v3/switch/1/port", 200, await Ok("dci/v3/switch/1/port?limit=0,3"), c => Drain(c.Connection.Inventory.ListSwitchPortsAsync(1))),
            new("warehouse-list", "GET", "dci/v3/warehouse/spare_part", 200, await Ok("dci/v3/warehouse/spare_part?limit=0,3"),
                c => Drain(c.Connection.Inventory.ListWarehouseAsync(DciWarehouseType.SparePart))),
        };
        return new Captured(targets, whoami, taskId);
    }

    // ------------------------------------------------------------------ mutation

    private static readonly string[] s_fields =
    {
        "id", "list", "size", "ip", "operation", "roles", "name", "task", "token", "email", "state", "status", "power_status",
        "owner_email", "rack", "family", "created_at", "finished_at", "server_id", "total_ip", "using_ip", "is_public", "mask", "unit",
        "free_server_count", "tags", "error", "code", "msg", "value", "expires_at", "hardware_info", "os_template", "location_id",
        "device_count", "location", "server", "admin_status", "warehouse_status",
    };

    private static readonly string[] s_contentTypes =
    {
        "text/html; charset=utf-8", "text/plain", "application/xml", "application/octet-stream", "application/problem+json",
        "application/json; charset=utf-16", "text/json", "application/x-www-form-urlencoded",
    };

    private static readonly int[] s_errorStatuses = { 400, 401, 403, 404, 405, 409, 429, 500, 502, 503, 504 };

    /// <summary>Mutations of one real answer (shared with the other platforms' fuzz tests).</summary>
    internal static IEnumerable<Answer> Mutate(byte[] body, int status, Random random)
    {
        const string json = "application/json; charset=utf-8";
        var text = Encoding.UTF8.GetString(body);

        // Fixed structural mutations.
        yield return new Answer("empty", status, json, Array.Empty<byte>());
        yield return new Answer("whitespace", status, json, "  \r\n\t "u8.ToArray());
        yield return new Answer("json-null", status, json, "null"u8.ToArray());
        yield return new Answer("wrong-root-array", status, json, Encoding.UTF8.GetBytes("[" + text + "]"));
        yield return new Answer("wrong-root-string", status, json, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(text)));
        yield return new Answer("wrong-root-number", status, json, "42"u8.ToArray());
        yield return new Answer("html-page", status, "text/html", Encoding.UTF8.GetBytes($"<!DOCTYPE html><html><head><title>Maintenance</title></head><body><pre>{WebUtility.HtmlEncode(text)}</pre></body></html>"));
        yield return new Answer("html-labelled-json", status, json, Encoding.UTF8.GetBytes("<html><head><title>Login required</title></head><body>Please sign in</body></html>"));
        yield return new Answer("no-content-type", status, null, body);
        yield return new Answer("bom", status, json, [0xEF, 0xBB, 0xBF, .. body]);
        yield return new Answer("trailing-garbage", status, json, Encoding.UTF8.GetBytes(text + "\n{\"more\":1}"));
        yield return new Answer("deep-nesting", status, json, Encoding.UTF8.GetBytes(Nest(text, 5000)));
        yield return new Answer("nul-bytes", status, json, Insert(body, random.Next(body.Length + 1), [0, 0, 0]));
        yield return new Answer("cut-short", status, json, body.AsSpan(0, body.Length / 2).ToArray(), CutShort: true);
        yield return new Answer("not-http", status, null, "SSH-2.0-OpenSSH_9.6\r\n"u8.ToArray(), NotHttp: true);

        // Sizes and encodings: the same body compressed must read the same; beyond the limit, streamed or inflated, it must not.
        yield return new Answer("gzip", status, json, Gzip(body), ContentEncoding: "gzip");
        yield return new Answer("oversize-string", status, json,
            Encoding.UTF8.GetBytes("{\"list\":[],\"id\":1,\"name\":\"" + new string('a', FuzzMaxResponseBytes + random.Next(1, 4096)) + "\"}"));
        yield return new Answer("gzip-bomb", status, json,
            Gzip([.. "{\"list\":[],\"id\":1,\"name\":\""u8, .. new byte[8 * FuzzMaxResponseBytes].Select(_ => (byte)'0'), .. "\"}"u8]), ContentEncoding: "gzip");

        // Content types.
        for (var i = 0; i < 2; i++)
            yield return new Answer("content-type", status, s_contentTypes[random.Next(s_contentTypes.Length)], body);

        // Byte-level mutations.
        for (var i = 0; i < 3; i++)
            yield return new Answer("truncate", status, json, body.AsSpan(0, random.Next(body.Length)).ToArray());
        for (var i = 0; i < 2; i++)
        {
            var flipped = (byte[])body.Clone();
            for (var n = random.Next(1, 4); n > 0; n--) flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            yield return new Answer("bit-flip", status, json, flipped);
        }
        yield return new Answer("insert-bytes", status, json, Insert(body, random.Next(body.Length + 1), RandomBytes(random, random.Next(1, 6))));
        yield return new Answer("delete-bytes", status, json, Delete(body, random));
        yield return new Answer("invalid-utf8", status, json, InvalidUtf8(body, random));

        // Wrong types in named fields.
        for (var i = 0; i < 5; i++)
            if (SwapType(text, random) is { } swapped)
                yield return new Answer("wrong-type:" + swapped.Field, status, json, Encoding.UTF8.GetBytes(swapped.Json));
        if (DropField(text, random) is { } dropped)
            yield return new Answer("missing:" + dropped.Field, status, json, Encoding.UTF8.GetBytes(dropped.Json));

        // The same body (or a mutation of it) under an error status.
        for (var i = 0; i < 2; i++)
        {
            var errorStatus = s_errorStatuses[random.Next(s_errorStatuses.Length)];
            var errorBody = random.Next(2) == 0 ? body : body.AsSpan(0, random.Next(body.Length)).ToArray();
            yield return new Answer("error-status", errorStatus, json, errorBody);
        }
    }

    private static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(body);
        return output.ToArray();
    }

    private static string Nest(string inner, int depth) =>
        "{\"list\":" + new string('[', depth) + inner + new string(']', depth) + ",\"id\":" + new string('[', depth) + new string(']', depth) + "}";

    private static byte[] Insert(byte[] body, int at, byte[] bytes) => [.. body.AsSpan(0, at), .. bytes, .. body.AsSpan(at)];

    private static byte[] Delete(byte[] body, Random random)
    {
        if (body.Length < 2) return Array.Empty<byte>();
        var at = random.Next(body.Length - 1);
        var count = random.Next(1, Math.Min(8, body.Length - at) + 1);
        return [.. body.AsSpan(0, at), .. body.AsSpan(at + count)];
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Invalid UTF-8 inside a string value (after an opening quote), where only a decoder notices.</summary>
    private static byte[] InvalidUtf8(byte[] body, Random random)
    {
        byte[][] bad = [[0xFF], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82]];
        var quotes = Enumerable.Range(0, body.Length).Where(i => body[i] == (byte)'"').ToList();
        var at = quotes.Count == 0 ? random.Next(body.Length + 1) : quotes[random.Next(quotes.Count)] + 1;
        return Insert(body, at, bad[random.Next(bad.Length)]);
    }

    private static JsonNode? WrongValue(Random random) => random.Next(16) switch
    {
        0 => JsonValue.Create("x"),
        1 => JsonValue.Create("12"),
        2 => JsonValue.Create(""),
        3 => JsonValue.Create(3.5),
        4 => JsonValue.Create(-1),
        5 => JsonValue.Create(long.MaxValue),
        6 => JsonNode.Parse("99999999999999999999999999"),
        7 => JsonNode.Parse("1e400"),
        8 => JsonValue.Create(true),
        9 => null,
        10 => new JsonObject(),
        11 => new JsonArray(),
        12 => new JsonArray(1, "a", null, new JsonObject()),
        13 => new JsonObject { ["nested"] = new JsonObject { ["id"] = "1" } },
        14 => JsonValue.Create("\ud800 lone surrogate \u0000 nul"),
        _ => JsonValue.Create(-0.0),
    };

    private static List<(JsonNode Parent, string Key)> FieldsOf(JsonNode root)
    {
        var found = new List<(JsonNode, string)>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o.ToList())
                    {
                        if (s_fields.Contains(key, StringComparer.OrdinalIgnoreCase)) found.Add((o, key));
                        Walk(value);
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++) Walk(a[i]);
                    break;
            }
        }
        Walk(root);
        return found;
    }

    private static (string Field, string Json)? SwapType(string text, Random random)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(text); } catch (JsonException) { return null; }
        if (root is null) return null;
        var fields = FieldsOf(root);
        // A list element of the wrong type is a field mutation too.
        var list = (root as JsonObject)?["list"] as JsonArray;
        if (list is { Count: > 0 } && random.Next(4) == 0)
        {
            list[random.Next(list.Count)] = WrongValue(random);
            return ("list[i]", root.ToJsonString());
        }
        if (fields.Count == 0) return null;
        var (parent, key) = fields[random.Next(fields.Count)];
        ((JsonObject)parent)[key] = WrongValue(random);
        return (key, root.ToJsonString());
    }

    private static (string Field, string Json)? DropField(string text, Random random)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(text); } catch (JsonException) { return null; }
        if (root is null) return null;
        var fields = FieldsOf(root);
        if (fields.Count == 0) return null;
        var (parent, key) = fields[random.Next(fields.Count)];
        ((JsonObject)parent).Remove(key);
        return (key, root.ToJsonString());
    }

    // ------------------------------------------------------------------ the fake DCImanager

    /// <summary>
    /// A raw HTTP/1.1 server on 127.0.0.1 (one request per connection, "Connection: close"): login and
    /// whoami answer normally, the target path answers the current mutation, anything else is a 404.
    /// </summary>
    private sealed class FakeDci : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly byte[] _whoami;
        private readonly Task _accepting;
        private readonly ConcurrentDictionary<Task, bool> _connections = new();
        private volatile Tuple<string, string, Answer>? _current;

        private FakeDci(byte[] whoami)
        {
            _whoami = whoami;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _accepting = AcceptAsync();
        }

        public static FakeDci Start(byte[] whoami) => new(whoami);

        public Uri BaseUri { get; }

        public void Set(string method, string path, Answer answer) => _current = Tuple.Create(method, "/api/" + path, answer);

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                var task = ServeAsync(client);
                _connections[task] = true;
                _ = task.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                var stream = client.GetStream();
                var (method, target, body) = await ReadRequestAsync(stream, timeout.Token);
                var path = target.Split('?')[0];
                var current = _current;
                Answer answer;
                if (current is not null && current.Item1 == method && string.Equals(current.Item2, path, StringComparison.Ordinal))
                    answer = current.Item3;
                else if (method == "POST" && path == "/api/auth/v4/public/token")
                    answer = new Answer("login", 201, "application/json", Encoding.UTF8.GetBytes($"{{\"id\":\"1\",\"token\":\"{FuzzToken}\",\"confirmed\":true}}"));
                else if (method == "GET" && path == "/api/auth/v4/whoami")
                    answer = new Answer("whoami", 200, "application/json", _whoami);
                else
                    answer = new Answer("unknown", 404, "application/json", Encoding.UTF8.GetBytes($"{{\"error\":{{\"code\":4004,\"msg\":\"Unknown path {path}\",\"value\":null}}}}"));
                await WriteAnswerAsync(stream, answer, timeout.Token);
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception)
            {
                // The client went away (timeouts, aborted retries): nothing to do.
            }
        }

        private static async Task<(string Method, string Target, byte[] Body)> ReadRequestAsync(NetworkStream stream, CancellationToken ct)
        {
            var buffer = new List<byte>(1024);
            var chunk = new byte[4096];
            int headerEnd;
            while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
            {
                var n = await stream.ReadAsync(chunk, ct);
                if (n == 0) throw new IOException("closed before the request headers");
                buffer.AddRange(chunk.AsSpan(0, n));
            }
            var head = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray()).Split("\r\n");
            var requestLine = head[0].Split(' ');
            var length = 0;
            foreach (var line in head.Skip(1))
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var bodyStart = headerEnd + 4;
            while (buffer.Count - bodyStart < length)
            {
                var n = await stream.ReadAsync(chunk, ct);
                if (n == 0) throw new IOException("closed before the request body");
                buffer.AddRange(chunk.AsSpan(0, n));
            }
            return (requestLine[0], requestLine[1], buffer.GetRange(bodyStart, length).ToArray());
        }

        private static int IndexOf(List<byte> buffer, ReadOnlySpan<byte> pattern)
        {
            for (var i = 0; i + pattern.Length <= buffer.Count; i++)
            {
                var match = true;
                for (var j = 0; j < pattern.Length && match; j++) match = buffer[i + j] == pattern[j];
                if (match) return i;
            }
            return -1;
        }

        private static async Task WriteAnswerAsync(NetworkStream stream, Answer answer, CancellationToken ct)
        {
            if (answer.NotHttp)
            {
                await stream.WriteAsync(answer.Body, ct);
                return;
            }
            var reason = answer.Status switch
            {
                200 => "OK", 201 => "Created", 400 => "Bad Request", 401 => "Unauthorized", 403 => "Forbidden", 404 => "Not Found",
                405 => "Method Not Allowed", 409 => "Conflict", 429 => "Too Many Requests", 500 => "Internal Server Error",
                502 => "Bad Gateway", 503 => "Service Unavailable", 504 => "Gateway Timeout", _ => "Status",
            };
            var head = new StringBuilder()
                .Append("HTTP/1.1 ").Append(answer.Status).Append(' ').Append(reason).Append("\r\n")
                .Append("Content-Length: ").Append(answer.CutShort ? answer.Body.Length * 2 + 10 : answer.Body.Length).Append("\r\n");
            if (answer.ContentType is not null) head.Append("Content-Type: ").Append(answer.ContentType).Append("\r\n");
            if (answer.ContentEncoding is not null) head.Append("Content-Encoding: ").Append(answer.ContentEncoding).Append("\r\n");
            head.Append("Connection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
            await stream.WriteAsync(answer.Body, ct);
            await stream.FlushAsync(ct);
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            try { await _accepting.WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { }
            try { await Task.WhenAll(_connections.Keys).WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { }
            _stop.Dispose();
        }
    }
}
