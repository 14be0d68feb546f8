using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using DciManager.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DciManager.Client.Tests;

/// <summary>One list request the <see cref="PagingServer"/> received.</summary>
internal sealed record PageRequest(long Offset, int Limit, HttpContext Context);

/// <summary>
/// A small list server on 127.0.0.1 for paging tests: signs anyone in and answers
/// <c>GET /api/dci/v3/server?limit=offset,count</c> with whatever <see cref="Answer"/> writes, so a test can hold,
/// reorder, repeat or corrupt pages. Counts list requests and how many were aborted by the client.
/// </summary>
internal sealed class PagingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    private int _inFlight;
    private int _maxInFlight;
    private int _aborted;

    private PagingServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Writes the answer to one list request (the default: 500 with an envelope).</summary>
    public Func<PageRequest, Task> Answer { get; set; } = r => Json(r, 500, """{"error":{"code":5000,"msg":"no answer set","value":null}}""");

    public int Requests => Volatile.Read(ref _requests);
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);
    public int Aborted => Volatile.Read(ref _aborted);

    /// <summary>Offsets requested, in arrival order.</summary>
    public ConcurrentQueue<long> Offsets { get; } = new();

    public static async Task<PagingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new PagingServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public Task<DciConnection> ConnectAsync(int pageSize) =>
        DciConnection.ConnectAsync(new DciConnectionOptions
        {
            BaseUri = BaseUri,
            PageSize = pageSize,
            Timeout = TimeSpan.FromSeconds(60),
            Retry = new DciRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5), MaxTransientAttempts = 1 },
        }, new NetworkCredential("pager@example.com", "pager-password"));

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value;
        if (ctx.Request.Method == "POST" && path == "/api/auth/v4/public/token")
        {
            await Json(ctx, 201, """{"id":"1","token":"pager-token","confirmed":true}""");
            return;
        }
        if (ctx.Request.Method == "GET" && path == "/api/auth/v4/whoami")
        {
            await Json(ctx, 200, """{"id":1,"email":"pager@example.com","roles":["@admin"],"state":"active"}""");
            return;
        }
        if (ctx.Request.Method != "GET" || path != "/api/dci/v3/server")
        {
            await Json(ctx, 404, """{"error":{"code":4004,"msg":"unknown path","value":null}}""");
            return;
        }

        var limit = ctx.Request.Query["limit"].ToString().Split(',');
        var request = new PageRequest(long.Parse(limit[0], CultureInfo.InvariantCulture), int.Parse(limit[1], CultureInfo.InvariantCulture), ctx);
        Offsets.Enqueue(request.Offset);
        Interlocked.Increment(ref _requests);
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var max = MaxInFlight; inFlight > max && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max; max = MaxInFlight) { }
        try
        {
            await Answer(request);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _aborted);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public static Task Json(PageRequest r, int status, string body) => Json(r.Context, status, body);

    private static async Task Json(HttpContext ctx, int status, string body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body, Encoding.UTF8, ctx.RequestAborted);
    }

    /// <summary>A page of servers with the given ids, and the <c>size</c> field as given (raw JSON, or left out when null).</summary>
    public static string Page(IEnumerable<long> ids, string? size) =>
        "{\"list\":[" + string.Join(",", ids.Select(id => $"{{\"id\":{id.ToString(CultureInfo.InvariantCulture)},\"name\":\"srv-{id.ToString(CultureInfo.InvariantCulture)}\"}}")) + "]"
        + (size is null ? "" : ",\"size\":" + size) + "}";

    /// <summary>The honest page of a list of servers 1..total.</summary>
    public static string Honest(PageRequest r, long total) =>
        Page(Enumerable.Range(0, (int)Math.Max(0, Math.Min(r.Limit, total - r.Offset))).Select(i => r.Offset + i + 1), total.ToString(CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
