using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DciManager.Bench;

/// <summary>
/// The baseline: a bare HttpClient + System.Text.Json (source-generated, same naming and number options as the
/// engine) talking to the same simulator with the same auth headers and page size. No retry pipeline, no
/// error mapping, no connection bookkeeping, streaming deserialization straight from the response stream.
/// </summary>
internal sealed class RawClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _token;

    private RawClient(HttpClient http, string token)
    {
        _http = http;
        _token = token;
    }

    public static async Task<RawClient> LoginAsync(Uri baseAddress, string email, string password, int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        var http = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var body = JsonSerializer.Serialize(new LoginBody { Email = email, Password = password }, BaselineJson.Default.LoginBody);
        using var response = await http.PostAsync("api/auth/v4/public/token", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var token = await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(), BaselineJson.Default.LoginAnswer);
        if (string.IsNullOrEmpty(token?.Token)) throw new InvalidOperationException("The simulator's login answer carries no token.");
        return new RawClient(http, token.Token);
    }

    private HttpRequestMessage Get(string relative)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, relative);
        message.Headers.TryAddWithoutValidation("Cookie", "ses6=" + _token);
        message.Headers.TryAddWithoutValidation("x-xsrf-token", _token);
        return message;
    }

    /// <summary>Lists every server page by page (limit=offset,pageSize); returns the count and a checksum of ids.</summary>
    public async Task<(int Count, long Checksum)> ListServersAsync(int pageSize, CancellationToken ct = default)
    {
        long checksum = 0;
        var count = await StreamServersAsync(pageSize, int.MaxValue, (_, server) => checksum += server.Id, ct);
        return (count, checksum);
    }

    /// <summary>
    /// Streams servers page by page (limit=offset,pageSize) without keeping them; <paramref name="onItem"/> gets
    /// the running count and the server; stops after <paramref name="max"/> items.
    /// </summary>
    public async Task<int> StreamServersAsync(int pageSize, int max, Action<int, BaselineServer> onItem, CancellationToken ct = default)
    {
        long offset = 0;
        var count = 0;
        while (true)
        {
            using var request = Get($"api/dci/v3/server?limit={offset},{pageSize}");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var page = await JsonSerializer.DeserializeAsync(stream, BaselineJson.Default.BaselinePage, ct)
                ?? throw new InvalidOperationException("null page");
            var items = page.List ?? new List<BaselineServer?>();
            foreach (var item in items)
            {
                if (item is null) continue;
                onItem(++count, item);
                if (count >= max) return count;
            }
            offset += items.Count;
            if (items.Count == 0 || items.Count != pageSize) return count;
            if (page.Size is { } size && offset >= size) return count;
        }
    }

    /// <summary>One simple GET, body read to the end; true on 2xx.</summary>
    public async Task<bool> GetOnceAsync(string relative, CancellationToken ct)
    {
        using var request = Get(relative);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        return response.IsSuccessStatusCode;
    }

    public void Dispose() => _http.Dispose();
}

// ---- the baseline's own model: mirrors the shape the engine's DciServer reads (same fields, extension data kept).

internal sealed class LoginBody
{
    public string? Email { get; set; }
    public string? Password { get; set; }
}

internal sealed class LoginAnswer
{
    public JsonElement? Id { get; set; }
    public string? Token { get; set; }
}

internal sealed class BaselinePage
{
    public List<BaselineServer?>? List { get; set; }
    public long? Size { get; set; }
}

internal abstract class BaselineObject
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

internal sealed class BaselineServer : BaselineObject
{
    public long Id { get; set; }
    public string? Name { get; set; }
    public string? Domain { get; set; }
    public string? Configuration { get; set; }
    public string? State { get; set; }
    public string? StateInfo { get; set; }
    public string? PowerStatus { get; set; }
    public string? OwnerEmail { get; set; }
    public bool? IsNew { get; set; }
    public long? LocationId { get; set; }
    public BaselineRack? Rack { get; set; }
    public int? Unit { get; set; }
    public string? Barcode { get; set; }
    public List<BaselineIp?>? Ip { get; set; }
    public BaselineOperation? Operation { get; set; }
    public BaselineTemplate? OsTemplate { get; set; }
    public JsonElement? HardwareInfo { get; set; }
    public JsonElement? PerformInfo { get; set; }
    public JsonElement? Settings { get; set; }
    public JsonElement? PduConnection { get; set; }
    public List<BaselineSwitchConnection?>? SwitchConnection { get; set; }
}

internal sealed class BaselineRack : BaselineObject
{
    public long? Id { get; set; }
    public string? Name { get; set; }
}

internal sealed class BaselineIp : BaselineObject
{
    public long Id { get; set; }
    public string? Name { get; set; }
    public string? Domain { get; set; }
    public string? Family { get; set; }
    public string? Gateway { get; set; }
    public string? Network { get; set; }
    public string? Server { get; set; }
    public long? ServerId { get; set; }
    public string? Status { get; set; }
    public JsonElement? StatusInfo { get; set; }
}

internal sealed class BaselineOperation : BaselineObject
{
    public long Id { get; set; }
    public string? Name { get; set; }
    public string? Status { get; set; }
    public JsonElement? StatusInfo { get; set; }
    public JsonElement? ProgressInfo { get; set; }
}

internal sealed class BaselineTemplate : BaselineObject
{
    public long Id { get; set; }
    public string? Name { get; set; }
    public List<string>? Tags { get; set; }
}

internal sealed class BaselineSwitchConnection : BaselineObject
{
    public long Id { get; set; }
    public long? Switch { get; set; }
    public string? SwitchName { get; set; }
    public long? ConnectionId { get; set; }
    public string? Description { get; set; }
    public string? AdminStatus { get; set; }
    public string? OperStatus { get; set; }
    public bool? DoNotCollectTraffic { get; set; }
    public bool? IsIpmiConnection { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BaselinePage))]
[JsonSerializable(typeof(LoginBody))]
[JsonSerializable(typeof(LoginAnswer))]
internal sealed partial class BaselineJson : JsonSerializerContext
{
}
