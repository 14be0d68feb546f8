using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DciManager.Simulator;

namespace DciManager.Simulator.Tests;

public sealed record Resp(HttpStatusCode Status, string Body, string? ContentType)
{
    public int StatusCode => (int)Status;
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public int ErrorCode => Json.GetProperty("error").GetProperty("code").GetInt32();
    public string? ErrorField => Json.GetProperty("error").GetProperty("value") is { ValueKind: JsonValueKind.Object } v ? v.GetProperty("field").GetString() : null;
    public string ErrorMsg => Json.GetProperty("error").GetProperty("msg").GetString()!;
    public JsonElement[] List => Json.GetProperty("list").EnumerateArray().ToArray();
    public int Size => Json.GetProperty("size").GetInt32();
}

/// <summary>A simulator host plus an HTTP client and an admin token.</summary>
public sealed class Sim : IAsyncDisposable
{
    public SimulatorHost Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string AdminToken { get; private set; } = "";
    public SimulatorState State => Host.State;

    public static async Task<Sim> StartAsync(Action<SimulatorOptions>? configure = null, bool login = true)
    {
        var o = new SimulatorOptions { AdminPassword = "secret", OperationDuration = TimeSpan.FromMilliseconds(150) };
        configure?.Invoke(o);
        var sim = new Sim { Host = await SimulatorHost.StartAsync(o) };
        var handler = new SocketsHttpHandler { UseCookies = false };
        if (o.Https) handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        sim.Http = new HttpClient(handler) { BaseAddress = sim.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (login) sim.AdminToken = await sim.LoginAsync(sim.Host.AdminEmail, "secret");
        return sim;
    }

    public async Task<string> LoginAsync(string email, string password)
    {
        var r = await PostAsync("auth/v4/public/token", new { email, password }, token: null);
        Assert.Equal(201, r.StatusCode);
        return r.Json.GetProperty("token").GetString()!;
    }

    public Task<string> LoginUserAsync(int n = 1) => LoginAsync($"user{n:D2}@example.com", "user-password");

    public async Task<Resp> SendAsync(HttpMethod method, string path, object? body = null, string? token = "", bool cookie = false,
        CancellationToken ct = default)
    {
        token = token == "" ? AdminToken : token;
        using var req = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            if (cookie) req.Headers.Add("Cookie", "ses6=" + token);
            else req.Headers.Add("x-xsrf-token", token);
        }
        if (body is not null)
            req.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var resp = await Http.SendAsync(req, ct);
        var text = await resp.Content.ReadAsStringAsync(ct);
        return new Resp(resp.StatusCode, text, resp.Content.Headers.ContentType?.MediaType);
    }

    public Task<Resp> GetAsync(string path, string? token = "", bool cookie = false) => SendAsync(HttpMethod.Get, path, null, token, cookie);
    public Task<Resp> PostAsync(string path, object? body = null, string? token = "") => SendAsync(HttpMethod.Post, path, body ?? new { }, token);
    public Task<Resp> DeleteAsync(string path, string? token = "") => SendAsync(HttpMethod.Delete, path, null, token);

    public async Task<JsonElement> ServerAsync(int id, string? token = "")
    {
        var r = await GetAsync($"dci/v3/server/{id}", token);
        Assert.Equal(200, r.StatusCode);
        return r.Json;
    }

    /// <summary>Starts an action and returns the task id.</summary>
    public async Task<long> ActionAsync(int server, string action, object? body = null, string? token = "")
    {
        var r = await PostAsync($"dci/v3/server/{server}/{action}", body, token);
        Assert.True(r.StatusCode == 200, $"{action} on {server}: {r.StatusCode} {r.Body}");
        Assert.Equal(server, r.Json.GetProperty("id").GetInt32());
        return r.Json.GetProperty("task").GetInt64();
    }

    /// <summary>Polls dci/v3/task/{id} until complete or fail; returns the final row.</summary>
    public async Task<JsonElement> WaitTaskAsync(long task, string? token = "")
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var r = await GetAsync($"dci/v3/task/{task}", token);
            Assert.Equal(200, r.StatusCode);
            var status = r.Json.GetProperty("status").GetString();
            if (status is "complete" or "fail") return r.Json;
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"task {task} still {status}");
            await Task.Delay(30);
        }
    }

    /// <summary>Finds servers by a where filter (admin).</summary>
    public async Task<JsonElement[]> FindAsync(string where)
    {
        var r = await GetAsync("dci/v3/server?where=" + Uri.EscapeDataString(where));
        Assert.Equal(200, r.StatusCode);
        return r.List;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>Shared read-only simulator (tests using it must not change state).</summary>
public sealed class SharedSim : IAsyncLifetime
{
    public Sim Sim { get; private set; } = null!;
    public JsonElement[] AllServers { get; private set; } = Array.Empty<JsonElement>();

    public async Task InitializeAsync()
    {
        Sim = await Sim.StartAsync();
        AllServers = (await Sim.GetAsync("dci/v3/server")).List;
    }

    public async Task DisposeAsync() => await Sim.DisposeAsync();
}

internal static class J
{
    public static string? S(this JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();
    public static int I(this JsonElement e, string name) => e.GetProperty(name).GetInt32();
    public static bool IsNull(this JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null;
}

/// <summary>
/// A clock the test moves by hand (SimulatorOptions.Clock): lifetimes, suspension and operation durations
/// then depend on what the test says, not on how loaded the machine is.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
