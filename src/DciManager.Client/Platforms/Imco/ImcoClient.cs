using DciManager.Client.Waits;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DciManager.Client.Http;
using DciManager.Client.Platforms.OpenDcim;

namespace DciManager.Client.Platforms.Imco;

/// <summary>
/// IMCO's REST API (v2 or v3) over mutual TLS: bare JSON arrays and objects, snake_case fields, 24-hex ids. The generic
/// primitives (<see cref="ListAsync{T}"/>, <see cref="GetAsync{T}"/>, <see cref="SendAsync{T}"/>) carry every resource;
/// servers, their actions and the one state wait are here, other resources in ImcoClient.Resources.cs.
/// Paths are relative to /vN ("cloud/servers", "network/vpcs/{id}/subnets").
/// </summary>
internal sealed partial class ImcoClient
{
    private readonly DciConnection _c;

    /// <summary>States from which IMCO accepts a decommission (DELETE cloud/servers/{id}).</summary>
    internal static readonly IReadOnlySet<string> DecommissionableStates = new HashSet<string>(StringComparer.Ordinal) { "inactive", "stalled", "commission_stalled" };

    /// <summary>snake_case JSON to PascalCase properties; unknown fields kept in each object's extension data.</summary>
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Models registered in ImcoJsonContext are read by generated code; any other DciObject by reflection.
        TypeInfoResolver = JsonTypeInfoResolver.Combine(ImcoJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    internal ImcoClient(DciConnection connection, string apiVersion)
    {
        _c = connection;
        ApiVersion = apiVersion;
    }

    /// <summary>"v2" or "v3".</summary>
    internal string ApiVersion { get; }

    /// <summary>How <see cref="WaitForServersAsync(IReadOnlyCollection{string}, Func{DciCloudServer, bool}, Func{DciCloudServer, string?}, TimeSpan, Action{int, int}?, CancellationToken)"/> spaces its polls (its timeout is the caller's).</summary>
    internal DciWaitOptions Polling { get; set; } = new();

    // ------------------------------------------------------------------ the generic primitives

    /// <summary>A bare JSON array, streamed: each item is handed on (attached to the connection) as soon as its bytes are in.</summary>
    internal async IAsyncEnumerable<T> ListAsync<T>(string path, [EnumeratorCancellation] CancellationToken ct) where T : DciObject
    {
        var request = new DciRequest(HttpMethod.Get, path);
        var typeInfo = TypeInfo<T>();
        await foreach (var row in OpenDcimStreamReader.StreamAsync(_c.Transport, request, null, ct).ConfigureAwait(false))
            yield return _c.Attach(Read(row, typeInfo, request));
    }

    internal async Task<T> GetAsync<T>(string path, CancellationToken ct) where T : DciObject
    {
        var request = new DciRequest(HttpMethod.Get, path);
        return _c.Attach(await _c.Transport.SendAsync(request, TypeInfo<T>(), ct).ConfigureAwait(false));
    }

    /// <summary>
    /// POST/PUT/DELETE (or GET) with <paramref name="body"/>: an object serialized as snake_case JSON, a JsonElement or
    /// JsonNode as it is, a dictionary by its keys; null sends <c>{}</c> (except on GET). The answer is read as <typeparamref name="T"/>.
    /// </summary>
    internal async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct) where T : DciObject
    {
        var request = Request(method, path, body);
        return _c.Attach(await _c.Transport.SendAsync(request, TypeInfo<T>(), ct).ConfigureAwait(false));
    }

    /// <summary>Like <see cref="SendAsync{T}"/>, the answer ignored (DELETE).</summary>
    internal async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        var request = Request(method, path, body);
        await _c.Transport.SendAsync(request, Models.DciJsonContext.Default.JsonElement, ct).ConfigureAwait(false);
    }

    private static DciRequest Request(HttpMethod method, string path, object? body)
    {
        ArgumentNullException.ThrowIfNull(method);
        var request = new DciRequest(method, path);
        if (body is not null && method != HttpMethod.Get) request.Body = Serialize(body);
        return request;
    }

    internal static byte[] Serialize(object body) => body switch
    {
        JsonElement element => JsonSerializer.SerializeToUtf8Bytes(element, Models.DciJsonContext.Default.JsonElement),
        JsonNode node => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()),
        byte[] bytes => bytes,
        _ => JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), JsonOptions),
    };

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)JsonOptions.GetTypeInfo(typeof(T));

    private static T Read<T>(JsonElement row, JsonTypeInfo<T> typeInfo, DciRequest request)
    {
        try
        {
            if (row.ValueKind == JsonValueKind.Object && row.Deserialize(typeInfo) is { } item) return item;
        }
        catch (JsonException ex)
        {
            throw Unreadable(request, $"an item of the list is not a {typeof(T).Name} ({ex.Message.Split(" Path:")[0]})", ex);
        }
        throw Unreadable(request, $"an item of the list is {row.ValueKind}, not an object", null);
    }

    private static DciApiException Unreadable(DciRequest request, string problem, Exception? inner) =>
        new($"{request.Method} {request.Path}: {problem}.", 200, null, problem, null, request.Method.Method, request.Path, null, inner);

    // ------------------------------------------------------------------ servers

    internal IAsyncEnumerable<DciCloudServer> ListServersAsync(CancellationToken ct = default) => ListAsync<DciCloudServer>("cloud/servers", ct);

    internal Task<DciCloudServer> GetServerAsync(string id, CancellationToken ct = default) =>
        GetAsync<DciCloudServer>("cloud/servers/" + ImcoId.Segment(id, "server"), ct);

    /// <summary>Commission (POST cloud/servers): every id is checked before anything is sent.</summary>
    internal Task<DciCloudServer> CommissionServerAsync(ImcoNewServer request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Name)) throw new ArgumentException("A new server needs a name.", nameof(request));
        var body = new JsonObject
        {
            ["name"] = request.Name.Trim(),
            ["template_id"] = ImcoId.Validate(request.TemplateId, "template"),
            ["server_plan_id"] = ImcoId.Validate(request.ServerPlanId, "server plan"),
            ["cloud_account_id"] = ImcoId.Validate(request.CloudAccountId, "cloud account"),
        };
        if (request.SshProfileId is { } ssh) body["ssh_profile_id"] = ImcoId.Validate(ssh, "SSH profile");
        if (request.SshProfileIds is { Count: > 0 } sshIds) body["ssh_profile_ids"] = Ids(sshIds, "SSH profile");
        if (request.FirewallProfileId is { } firewall) body["firewall_profile_id"] = ImcoId.Validate(firewall, "firewall profile");
        if (request.LabelIds is { Count: > 0 } labels) body["label_ids"] = Ids(labels, "label");
        return SendAsync<DciCloudServer>(HttpMethod.Post, "cloud/servers", body, ct);
    }

    private static JsonArray Ids(IEnumerable<string> ids, string what) => new(ids.Select(i => (JsonNode?)JsonValue.Create(ImcoId.Validate(i, what))).ToArray());

    /// <summary>
    /// Decommission (DELETE cloud/servers/{id}): the server is read first, and a state IMCO would refuse (anything but
    /// inactive, stalled or commission_stalled) is refused here, naming it, before the DELETE.
    /// </summary>
    internal async Task DecommissionServerAsync(string id, CancellationToken ct = default)
    {
        var segment = ImcoId.Segment(id, "server");
        var server = await GetServerAsync(id, ct).ConfigureAwait(false);
        if (server.State is not { } state || !DecommissionableStates.Contains(state))
        {
            var message = $"Server '{server.Name}' ({server.Id}) is {server.State ?? "in no known state"}: IMCO decommissions a server only when it is inactive, stalled or commission_stalled (shut it down first). Nothing was deleted.";
            throw new DciApiException(message, 0, null, message, null, "DELETE", "cloud/servers/" + segment)
            {
                Kind = DciErrorKind.InvalidState,
                ErrorType = "ServerState",
            };
        }
        await SendAsync(HttpMethod.Delete, "cloud/servers/" + segment, null, ct).ConfigureAwait(false);
    }

    internal Task<DciCloudServer> BootAsync(string id, CancellationToken ct = default) => ActionAsync(id, "boot", ct);
    internal Task<DciCloudServer> ShutdownAsync(string id, CancellationToken ct = default) => ActionAsync(id, "shutdown", ct);
    internal Task<DciCloudServer> RebootAsync(string id, CancellationToken ct = default) => ActionAsync(id, "reboot", ct);

    /// <summary>Takes a stalled server to operational "at the user's own risk".</summary>
    internal Task<DciCloudServer> OverrideAsync(string id, CancellationToken ct = default) => ActionAsync(id, "override", ct);

    /// <summary>PUT cloud/servers/{id}/{action} with <c>{}</c>: IMCO answers with the server at once; its state changes later.</summary>
    private Task<DciCloudServer> ActionAsync(string id, string action, CancellationToken ct) =>
        SendAsync<DciCloudServer>(HttpMethod.Put, $"cloud/servers/{ImcoId.Segment(id, "server")}/{action}", null, ct);

    // ------------------------------------------------------------------ the one state wait

    /// <inheritdoc cref="WaitForServersAsync(IReadOnlyCollection{string}, Func{DciCloudServer, bool}, Func{DciCloudServer, string?}, TimeSpan, Action{int, int}?, bool, CancellationToken)"/>
    internal IAsyncEnumerable<ImcoServerWaitResult> WaitForServersAsync(IReadOnlyCollection<string> ids, Func<DciCloudServer, bool> isDone,
        Func<DciCloudServer, string?> failedBecause, TimeSpan timeout, Action<int, int>? progress, CancellationToken ct) =>
        WaitForServersAsync(ids, isDone, failedBecause, timeout, progress, goneIsDone: false, ct);

    /// <summary>
    /// Waits for many servers with ONE <c>GET cloud/servers</c> per poll for all of them, and yields each as it reaches its
    /// end: done (<paramref name="isDone"/>), failed (<paramref name="failedBecause"/> names why, e.g. stalled), gone (no longer
    /// listed: done when <paramref name="goneIsDone"/>, as after a decommission, else failed), or, at the timeout, timed out
    /// with its outcome unknown. A poll that fails on an outage (the transport gave up, 5xx, 429) is not the end: the next
    /// poll goes on, until the timeout. <paramref name="progress"/> gets (finished, total) after each poll.
    /// </summary>
    internal async IAsyncEnumerable<ImcoServerWaitResult> WaitForServersAsync(IReadOnlyCollection<string> ids, Func<DciCloudServer, bool> isDone,
        Func<DciCloudServer, string?> failedBecause, TimeSpan timeout, Action<int, int>? progress, bool goneIsDone,
        [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(isDone);
        ArgumentNullException.ThrowIfNull(failedBecause);
        var pending = new Dictionary<string, DciCloudServer?>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var id in ids)
        {
            var valid = ImcoId.Validate(id, "server");
            if (pending.TryAdd(valid, null)) order.Add(valid);
        }
        var total = pending.Count;
        var finished = 0;
        var schedule = new DciPollSchedule(Polling, timeout);
        progress?.Invoke(0, total);
        while (pending.Count > 0 && await schedule.NextAsync(ct).ConfigureAwait(false))
        {
            var listed = await schedule.TryPollAsync(async () =>
            {
                var found = new Dictionary<string, DciCloudServer>(StringComparer.OrdinalIgnoreCase);
                await foreach (var server in ListServersAsync(ct).ConfigureAwait(false))
                    if (pending.ContainsKey(server.Id)) found[server.Id] = server;
                return found;
            }, "servers").ConfigureAwait(false);
            if (listed is null) continue;
            foreach (var id in order)
            {
                if (!pending.TryGetValue(id, out var before)) continue;
                ImcoServerWaitResult? result = null;
                if (!listed.TryGetValue(id, out var server))
                {
                    result = goneIsDone
                        ? new ImcoServerWaitResult(id, null, DciWaitOutcome.Completed, null, gone: true)
                        : new ImcoServerWaitResult(id, before, DciWaitOutcome.Failed, new DciApiException(
                            $"Server {Name(before, id)} is no longer listed by IMCO (GET cloud/servers): it was decommissioned or removed.",
                            404, null, "The server is no longer listed.", null, "GET", "cloud/servers/" + id) { Kind = DciErrorKind.NotFound }, gone: true);
                }
                else if (failedBecause(server) is { } reason)
                {
                    var message = $"Server {Name(server, id)} {reason} (state {server.State}).";
                    result = new ImcoServerWaitResult(id, server, DciWaitOutcome.Failed,
                        new DciApiException(message, 0, null, message, null, "GET", "cloud/servers/" + id) { Kind = DciErrorKind.InvalidState, ErrorType = "ServerState" });
                }
                else if (isDone(server))
                {
                    result = new ImcoServerWaitResult(id, server, DciWaitOutcome.Completed, null);
                }
                else pending[id] = server;
                if (result is null) continue;
                pending.Remove(id);
                finished++;
                yield return result;
            }
            progress?.Invoke(finished, total);
        }

        foreach (var id in order)
        {
            if (!pending.TryGetValue(id, out var last)) continue;
            var why = schedule.LastPollError is not { } lastPollError ? "" : $"; the last polls failed: {lastPollError.Message}";
            yield return new ImcoServerWaitResult(id, last, DciWaitOutcome.TimedOut, new DciException(
                $"Server {Name(last, id)} did not reach its end within {timeout.TotalSeconds:0.#} s (last seen: {last?.State ?? "not yet listed"}); its outcome is unknown{why}.",
                schedule.LastPollError));
        }
        pending.Clear();
    }

    private static string Name(DciCloudServer? server, string id) => server?.Name is { Length: > 0 } name ? $"'{name}' ({id})" : id;
}

/// <summary>Generated JSON readers of the IMCO models (others fall back to reflection, see <see cref="ImcoClient.JsonOptions"/>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DciCloudServer))]
internal sealed partial class ImcoJsonContext : JsonSerializerContext
{
}
