using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DciManager.Client.Http;
using DciManager.Client.Models;
using DciManager.Client.Query;

namespace DciManager.Client.Platforms.Dci5;

/// <summary>
/// DCImanager 5 (COREmanager func= RPC) behind the common operations: every call a form POST of func, out=json (or xml),
/// elid/plid and sok=ok to one path (/dcimgr by default), answered by a doc that <see cref="Dci5Doc"/> reads.
/// DCImanager 5 has no task ids: an action returns a <see cref="DciTask"/> keyed by its server (Id = ServerId),
/// and waits follow the server's flags (<see cref="Judge"/>).
/// </summary>
internal sealed class Dci5Client : IDciServerOperations, IDciUserOperations, IDciOsTemplateOperations, IDciInventoryOperations
{
    private readonly DciConnection _c;

    public Dci5Client(DciConnection connection, string path)
    {
        _c = connection;
        Path = path;
    }

    /// <summary>The function path under the panel root, e.g. "dcimgr" or "manager/dcimgr".</summary>
    public string Path { get; }

    // ------------------------------------------------------------------ the call

    /// <summary>
    /// One function call; the doc of the answer, or a <see cref="DciApiException"/> for an error doc. A call that
    /// <c>changes</c> state is sent once: a transport failure after sending is reported as outcome unknown.
    /// </summary>
    public Task<JsonElement> CallAsync(string func, IEnumerable<KeyValuePair<string, string>>? fields, bool changes, CancellationToken ct) =>
        CallAsync(_c.Transport, Path, func, fields, changes, authenticated: true, ct);

    internal static async Task<JsonElement> CallAsync(DciTransport transport, string path, string func,
        IEnumerable<KeyValuePair<string, string>>? fields, bool changes, bool authenticated, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("func", func), OutField(transport) };
        if (fields is not null) form.AddRange(fields);
        var request = new DciRequest(HttpMethod.Post, path)
        {
            Form = form,
            SafeToRepeat = !changes,
            Authenticated = authenticated,
            // func=auth answers a session id, with authinfo too (where the module never uses it): never traced as it is.
            AnswerHoldsSecret = !authenticated || func == "auth",
        };
        var answer = await transport.SendAsync(request, Dci5Answer.ReadAsync, Dci5Answer.Read, ct).ConfigureAwait(false);
        JsonElement doc;
        try
        {
            doc = Dci5Doc.Root(answer);
        }
        catch (JsonException ex)
        {
            throw new DciApiException($"func={func}: the answer is not a DCImanager 5 document (no \"doc\" object).", 200, null,
                "The answer is not a DCImanager 5 document.", null, "POST", func, null, ex);
        }
        ThrowIfError(transport, func, doc);
        return doc;
    }

    /// <summary>out=json or out=xml, as the connection asks (the answer is read by what it is either way).</summary>
    private static KeyValuePair<string, string> OutField(DciTransport transport) =>
        new("out", transport.Options.Dci5Format == Dci5Format.Xml ? "xml" : "json");

    /// <summary>An error doc (type, object, msg in an HTTP 200) as a <see cref="DciApiException"/> of its kind.</summary>
    internal static void ThrowIfError(DciTransport transport, string func, JsonElement doc)
    {
        if (Dci5Doc.Error(doc) is { } error)
        {
            var message = Redactor.RedactText(string.IsNullOrWhiteSpace(error.Message) ? $"error of type {error.Type}" : error.Message!, transport.Session.KnownSecrets);
            var field = string.IsNullOrEmpty(error.Object) ? "" : $", field '{error.Object}'";
            throw new DciApiException($"func={func}: {message} (DCImanager 5 error {error.Type}{field})", 200, null, message, null, "POST", func)
            {
                ErrorType = error.Type,
                Kind = Dci5Doc.KindOf(error.Type),
            };
        }
    }

    /// <summary>func=auth with user name and password: the session id.</summary>
    internal static async Task<string> LoginAsync(DciTransport transport, string path, NetworkCredential credential, CancellationToken ct)
    {
        var doc = await CallAsync(transport, path, "auth",
            new KeyValuePair<string, string>[] { new("username", credential.UserName), new("password", credential.Password) },
            changes: false, authenticated: false, ct).ConfigureAwait(false);
        var auth = doc.TryGetProperty("auth", out var a) ? a : default;
        var id = Dci5Doc.Attribute(auth, "id") ?? Dci5Doc.TextOf(auth);
        if (string.IsNullOrWhiteSpace(id))
            throw new DciApiException("func=auth: the answer carries no session id.", 200, null, "The login answer carries no session id.", null, "POST", "auth");
        transport.Session.AddSecret(id);
        return id;
    }

    /// <summary>Any function with any parameters (Invoke-DciRestMethod -Function): the unwrapped doc.</summary>
    public Task<JsonElement> InvokeAsync(string func, IReadOnlyDictionary<string, string?> parameters, CancellationToken ct)
    {
        var fields = parameters.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Key, p.Value!)).ToList();
        // Lists and form reads (no sok) may be repeated; actions and submits are sent once.
        var reads = !parameters.ContainsKey("sok") && (!func.Contains('.') || func.EndsWith(".edit", StringComparison.Ordinal));
        return CallAsync(func, fields, changes: !reads, ct);
    }

    private static KeyValuePair<string, string> F(string name, string value) => new(name, value);

    private static KeyValuePair<string, string> F(string name, long value) => new(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// A submit replaces the whole form (fields not sent are cleared), so it sends back every field the form
    /// shows, with the changes on top, as ISPsystem's billing module does.
    /// </summary>
    private async Task<JsonElement> SubmitFormAsync(string func, IEnumerable<KeyValuePair<string, string>> keys,
        IReadOnlyDictionary<string, string> changes, CancellationToken ct)
    {
        var keyList = keys.ToList();
        var form = await CallAsync(func, keyList, changes: false, ct).ConfigureAwait(false);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in form.EnumerateObject())
        {
            if (property.Name.StartsWith('$') || property.Name is "elid" or "plid" or "slist" or "ok" or "error") continue;
            if (property.Value.ValueKind == JsonValueKind.Object && !property.Value.EnumerateObject().Any()) continue;
            if (Dci5Doc.TextOf(property.Value) is { } text) fields[property.Name] = text;
        }
        foreach (var (name, value) in changes) fields[name] = value;
        var submit = new List<KeyValuePair<string, string>>(keyList);
        submit.AddRange(fields.Select(f => F(f.Key, f.Value)));
        submit.Add(F("sok", "ok"));
        return await CallAsync(func, submit, changes: true, ct).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ servers

    /// <summary>
    /// Every server. DCImanager 5 lists are not paged and take no where text, so the whole inventory comes in one doc:
    /// it is read as it arrives and each server is handed on at once (the cmdlets filter), with memory bounded by
    /// a small queue, not by the inventory's size.
    /// </summary>
    public IAsyncEnumerable<DciServer> ListAsync(DciListQuery? query = null, CancellationToken ct = default) =>
        Unfiltered(StreamRowsAsync("server", null, MapServer, ct), query, DciListFieldsOf.Servers, "servers");

    private static IAsyncEnumerable<T> Unfiltered<T>(IAsyncEnumerable<T> rows, DciListQuery? query, DciListFields<T> fields, string what) =>
        DciListFilter.ApplyUnfiltered(rows, query, fields, DciPlatform.DCImanager5, what);

    /// <summary>The rows of a list function as parsed elements (for the short lists: racks, switches, ports, PDUs).</summary>
    internal IAsyncEnumerable<T> StreamRowsAsync<T>(string func, IEnumerable<KeyValuePair<string, string>>? fields, Func<JsonElement, T> map,
        CancellationToken ct) =>
        StreamRowsAsync(func, fields, (byte[] row) => map(ParseRow(row)), ct);

    private static JsonElement ParseRow(byte[] row) => JsonSerializer.Deserialize(row, DciJsonContext.Default.JsonElement);

    /// <summary>The rows of a list function, streamed (see <see cref="Dci5Answer"/>), each mapped from its own JSON bytes (an XML row in the same shape).</summary>
    internal async IAsyncEnumerable<T> StreamRowsAsync<T>(string func, IEnumerable<KeyValuePair<string, string>>? fields, Func<byte[], T> map,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("func", func), OutField(_c.Transport) };
        if (fields is not null) form.AddRange(fields);
        var request = new DciRequest(HttpMethod.Post, Path) { Form = form, SafeToRepeat = true };
        // Batches of mapped rows; a few in flight bound the memory whatever the list's length.
        var queue = System.Threading.Channels.Channel.CreateBounded<T[]>(new System.Threading.Channels.BoundedChannelOptions(4)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Rows already handed on are not handed on again when a retry reads the list from its start.
        var handedOn = 0;
        async ValueTask OnRows(IReadOnlyList<byte[]> rows, int first)
        {
            var skip = Math.Max(0, handedOn - first);
            if (skip >= rows.Count) return;
            var batch = new T[rows.Count - skip];
            for (var i = 0; i < batch.Length; i++) batch[i] = map(rows[skip + i]);
            await queue.Writer.WriteAsync(batch, stop.Token).ConfigureAwait(false);
            handedOn = first + rows.Count;
        }
        Exception? failure = null;
        var producer = Task.Run(async () =>
        {
            try
            {
                var doc = await _c.Transport.SendAsync(request,
                    async (stream, c) => await Dci5Answer.ReadListAsync(stream, OnRows, c).ConfigureAwait(false),
                    body => Dci5Answer.ReadListAsync(new MemoryStream(body), OnRows, stop.Token).AsTask().GetAwaiter().GetResult(),
                    stop.Token).ConfigureAwait(false);
                ThrowIfError(_c.Transport, func, doc.Doc);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                queue.Writer.TryComplete();
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var batch in queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                foreach (var item in batch) yield return item;
            await producer.ConfigureAwait(false);
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            // A consumer that stops early (Select-Object -First) ends the read of the rest of the document.
            stop.Cancel();
            await producer.ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<DciLookupResult<DciServer>> GetManyAsync(IEnumerable<long> ids, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var wanted = ids.ToList();
        if (wanted.Count == 0) yield break;
        var byId = await PollServersAsync(ct).ConfigureAwait(false);
        foreach (var id in wanted)
            yield return byId.TryGetValue(id, out var server)
                ? new DciLookupResult<DciServer>(id, server, null)
                : new DciLookupResult<DciServer>(id, null, NotFound("Server", id));
    }

    public async Task<DciServer> GetAsync(long id, CancellationToken ct = default)
    {
        await foreach (var result in GetManyAsync(new[] { id }, ct).ConfigureAwait(false))
            return result.Item ?? throw result.Error!;
        throw NotFound("Server", id);
    }

    /// <summary>Every server by id, from one func=server list (one request per wait poll, whatever the number of servers).</summary>
    internal async Task<Dictionary<long, DciServer>> PollServersAsync(CancellationToken ct)
    {
        var byId = new Dictionary<long, DciServer>();
        await foreach (var server in ListAsync(null, ct).ConfigureAwait(false)) byId[server.Id] = server;
        return byId;
    }

    private DciApiException NotFound(string what, long id) =>
        new($"{what} {id} does not exist on {_c.PanelAddress}.", 404, null, $"{what} {id} does not exist.", null, "POST", what.ToLowerInvariant())
        {
            Kind = DciErrorKind.NotFound,
        };

    internal DciServer MapServer(byte[] rowJson)
    {
        // One reader pass over the row's bytes, no document: a 10,000-server list is mapped at close to the cost of reading it.
        string? idText = null, name = null, hostname = null, owner = null, chassis = null, rack = null, ip = null, os = null;
        var flags = Dci5Flags.None;
        var reader = new Utf8JsonReader(rowJson);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Field(ref reader);
                reader.Read();
                var text = ValueText(ref reader, out var isFlag);
                if (isFlag)
                {
                    flags |= field switch
                    {
                        "poweron" => Dci5Flags.PowerOn,
                        "poweroff" => Dci5Flags.PowerOff,
                        "powererror" => Dci5Flags.PowerError,
                        "disabled" => Dci5Flags.Disabled,
                        "install_in_progress" => Dci5Flags.Installing,
                        "diag_in_progress" => Dci5Flags.Diagnosing,
                        "operation_failed" => Dci5Flags.Failed,
                        _ => Dci5Flags.None,
                    };
                    continue;
                }
                switch (field)
                {
                    case "id": idText = text; break;
                    case "name": name = text; break;
                    case "hostname": hostname = text; break;
                    case "owner": owner = text; break;
                    case "chassis_templ": chassis = text; break;
                    case "rack": rack = text; break;
                    case "ip": ip = text; break;
                    case "ostemplate": os = text; break;
                }
            }
        }
        if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new DciApiException($"func=server: a row has no numeric id ('{idText}').", 200, null, "A server row has no numeric id.", null, "POST", "server");
        var server = new DciServer
        {
            Id = id,
            Name = name,
            Domain = hostname,
            OwnerEmail = NullIfEmpty(owner),
            Configuration = chassis,
            PowerStatus = (flags & Dci5Flags.PowerOn) != 0 ? "on" : (flags & Dci5Flags.PowerOff) != 0 ? "off" : null,
            // A state word from the flags, in the spirit of DCImanager 6's state.
            State = (flags & Dci5Flags.Installing) != 0 ? "installing"
                : (flags & Dci5Flags.Diagnosing) != 0 ? "diagnostics"
                : (flags & Dci5Flags.Failed) != 0 ? "failed"
                : (flags & Dci5Flags.Disabled) != 0 ? "suspended"
                : "active",
            Connection = _c,
            PlatformFlags = (int)flags,
        };
        server.KeepSource(rowJson, s_readFields);
        if (!string.IsNullOrEmpty(rack))
        {
            // "Rack0003 1": the rack's name, then the unit.
            var space = rack.LastIndexOf(' ');
            if (space > 0 && int.TryParse(rack.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var unit))
            {
                server.Rack = new DciRack { Name = rack[..space], Connection = _c };
                server.Unit = unit;
            }
            else server.Rack = new DciRack { Name = rack, Connection = _c };
        }
        if (!string.IsNullOrEmpty(ip))
            server.Ip.Add(new DciIpAddress { Name = ip, Family = ip.Contains(':') ? "ipv6" : "ipv4", ServerId = id, Server = name, Connection = _c });
        if (!string.IsNullOrEmpty(os))
            server.OsTemplate = new DciOsTemplateRef { Name = os, Connection = _c };
        return server;
    }

    /// <summary>The field names the server mapping knows, without allocating a string for the others.</summary>
    private static readonly string[] s_serverFields =
    {
        "id", "name", "hostname", "owner", "chassis_templ", "rack", "ip", "ostemplate",
        "poweron", "poweroff", "powererror", "disabled", "install_in_progress", "diag_in_progress", "operation_failed",
    };

    private static string? Field(ref Utf8JsonReader reader)
    {
        foreach (var known in s_serverFields)
            if (reader.ValueTextEquals(known)) return known;
        return null;
    }

    /// <summary>
    /// The text of the value at the reader ({"$":"text"}, a bare string or number, or an array's first element), leaving
    /// the reader on the value's last token; <paramref name="isFlag"/> for an empty element (a flag that is set).
    /// </summary>
    private static string? ValueText(ref Utf8JsonReader reader, out bool isFlag)
    {
        isFlag = false;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.StartObject:
            {
                string? text = null;
                var empty = true;
                var depth = reader.CurrentDepth;
                while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
                {
                    empty = false;
                    var isText = reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("$"u8);
                    reader.Read();
                    if (isText && reader.TokenType is JsonTokenType.String or JsonTokenType.Number) text = ValueText(ref reader, out _);
                    else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                }
                isFlag = empty;
                return text;
            }
            case JsonTokenType.StartArray:
            {
                string? text = null;
                var first = true;
                var depth = reader.CurrentDepth;
                while (reader.Read() && !(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth))
                {
                    if (first) text = ValueText(ref reader, out _);
                    else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                    first = false;
                }
                return text;
            }
            default:
                return null;
        }
    }

    private static readonly Func<object, Dictionary<string, JsonElement>> s_readFields = row => Dci5Doc.Fields(ParseRow((byte[])row));

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;


    private DciTask Started(long serverId, string operation, string status = "running") => new()
    {
        Id = serverId,
        ServerId = serverId,
        Name = operation,
        Status = status,
        CreatedAt = DateTimeOffset.UtcNow,
        Connection = _c,
    };

    public async Task<DciTask> PowerAsync(long id, DciPowerAction action, CancellationToken ct = default)
    {
        var (func, operation) = action switch
        {
            DciPowerAction.On => ("server.poweron", "power_on"),
            DciPowerAction.Off => ("server.poweroff", "power_off"),
            DciPowerAction.Reset => ("server.reboot", "power_reset"),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
        await CallAsync(func, new[] { F("elid", id) }, changes: true, ct).ConfigureAwait(false);
        return Started(id, operation);
    }

    public async Task<DciTask> SuspendAsync(long id, CancellationToken ct = default)
    {
        await CallAsync("server.disable", new[] { F("elid", id) }, changes: true, ct).ConfigureAwait(false);
        return Started(id, "suspend");
    }

    public async Task<DciTask> ResumeAsync(long id, CancellationToken ct = default)
    {
        await CallAsync("server.enable", new[] { F("elid", id) }, changes: true, ct).ConfigureAwait(false);
        return Started(id, "resume");
    }

    public async Task<DciServer> SetOwnerAsync(long id, long userId, CancellationToken ct = default)
    {
        await SubmitFormAsync("server.edit", new[] { F("elid", id) },
            new Dictionary<string, string> { ["owner"] = userId.ToString(CultureInfo.InvariantCulture) }, ct).ConfigureAwait(false);
        return await GetAsync(id, ct).ConfigureAwait(false);
    }

    public async Task<DciServer> RemoveOwnerAsync(long id, CancellationToken ct = default)
    {
        await SubmitFormAsync("server.edit", new[] { F("elid", id) }, new Dictionary<string, string> { ["owner"] = "no_owner" }, ct).ConfigureAwait(false);
        return await GetAsync(id, ct).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ addresses

    public async IAsyncEnumerable<DciIpAddress> ListIpAsync(long serverId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var doc = await CallAsync("iplist", new[] { F("elid", serverId) }, changes: false, ct).ConfigureAwait(false);
        foreach (var row in Dci5Doc.Rows(doc))
        {
            var type = Dci5Doc.Text(row, "type");
            if (type == "group") continue; // the per-family header rows
            _ = long.TryParse(Dci5Doc.Text(row, "id"), NumberStyles.None, CultureInfo.InvariantCulture, out var ipId);
            yield return new DciIpAddress
            {
                Id = ipId,
                Name = Dci5Doc.Text(row, "ip"),
                Domain = NullIfEmpty(Dci5Doc.Text(row, "domain")),
                Family = type,
                ServerId = serverId,
                Connection = _c,
                ExtensionData = Dci5Doc.Fields(row),
            };
        }
    }

    /// <summary>The address types (pools), read from the address form of the first server (DCImanager 5 has no pool list).</summary>
    public async IAsyncEnumerable<DciIpPool> ListPoolsAsync([EnumeratorCancellation] CancellationToken ct)
    {
        long? first = null;
        await foreach (var server in ListAsync(null, ct).ConfigureAwait(false)) { first = server.Id; break; }
        if (first is not { } serverId) yield break;
        foreach (var pool in await ListPoolsAsync(serverId, ct).ConfigureAwait(false)) yield return pool;
    }

    /// <summary>The address types (pools) the panel offers, in its order; a pool's Id is its position (DCImanager 5 names them only).</summary>
    internal async Task<List<DciIpPool>> ListPoolsAsync(long anyServerId, CancellationToken ct)
    {
        var form = await CallAsync("iplist.edit", new[] { F("plid", anyServerId) }, changes: false, ct).ConfigureAwait(false);
        var pools = new List<DciIpPool>();
        foreach (var list in Dci5Doc.Rows(form, "slist"))
        {
            if (Dci5Doc.Attribute(list, "name") != "iptype") continue;
            foreach (var val in Dci5Doc.Rows(list, "val"))
                pools.Add(new DciIpPool { Id = pools.Count + 1, Name = Dci5Doc.Attribute(val, "key") ?? Dci5Doc.TextOf(val), Connection = _c });
        }
        return pools;
    }

    public async Task<DciTask> AddIpAsync(long serverId, DciAddIpRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.NetworkId is not null) throw new DciNotSupportedException(DciPlatform.DCImanager5, "Add-DciServerIp -Network (DCImanager 5 allocates by address type)");
        if (request.SetAsMain || request.Userspace is not null) throw new DciNotSupportedException(DciPlatform.DCImanager5, "Add-DciServerIp -SetAsMain/-UserSpace");
        var changes = new Dictionary<string, string> { ["family"] = (request.Family ?? "ipv4").ToLowerInvariant() };
        if (request.PoolId is { } poolId)
        {
            var pools = await ListPoolsAsync(serverId, ct).ConfigureAwait(false);
            var pool = pools.FirstOrDefault(p => p.Id == poolId) ?? throw NotFound("Address type (pool)", poolId);
            changes["iptype"] = pool.Name!;
        }
        changes["ip"] = request.Address ?? "";
        if (request.Domain is not null) changes["domain"] = request.Domain;
        var doc = await SubmitFormAsync("iplist.edit", new[] { F("plid", serverId) }, changes, ct).ConfigureAwait(false);
        // The address is assigned at once: the operation is finished when the answer arrives.
        var task = Started(serverId, "ip_add", "complete");
        task.FinishedAt = task.CreatedAt;
        task.ExtensionData = Dci5Doc.Fields(doc);
        return task;
    }

    public async Task<DciTask> RemoveIpAsync(long serverId, long ipId, CancellationToken ct = default)
    {
        await CallAsync("iplist.delete", new[] { F("plid", serverId), F("elid", ipId) }, changes: true, ct).ConfigureAwait(false);
        var task = Started(serverId, "ip_remove", "complete");
        task.FinishedAt = task.CreatedAt;
        return task;
    }

    // ------------------------------------------------------------------ long operations (server.operations)

    public async Task<DciTask> InstallOsAsync(long id, DciOsInstallRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SshPublicKeys.Any(k => !string.IsNullOrWhiteSpace(k)) || request.Raid != DciRaidLevel.None)
            throw new DciNotSupportedException(DciPlatform.DCImanager5, "Install-DciServerOs -SshKey/-Raid");
        if (request.RootPassword is not { Length: > 0 } secure) throw new ArgumentException("A root password is required.", nameof(request));
        var key = await TemplateKeyAsync(request.OsTemplateId, ct).ConfigureAwait(false);
        var password = new NetworkCredential("", secure).Password;
        _c.Transport.Session.AddSecret(password);
        await SubmitFormAsync("server.operations", new[] { F("elid", id) },
            new Dictionary<string, string> { ["operation"] = "ostemplate", ["ostemplate"] = key, ["passwd"] = password, ["confirm"] = password }, ct).ConfigureAwait(false);
        return Started(id, "operation_os");
    }

    public async Task<DciTask> StartDiagnosticAsync(long id, DciDiagnosticRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SetupIpmi || request.IpmiPoolId is not null || request.OsTemplateId is not null || request.ClearDisk != DciClearDiskMode.None)
            throw new DciNotSupportedException(DciPlatform.DCImanager5, "Start-DciServerDiagnostic with IPMI setup, an OS template or a disk wipe");
        await SubmitFormAsync("server.operations", new[] { F("elid", id) }, new Dictionary<string, string> { ["operation"] = "diag" }, ct).ConfigureAwait(false);
        return Started(id, "operation_diag");
    }

    public async Task<DciTask> ClearDiskAsync(long id, DciClearDiskMode mode, CancellationToken ct = default)
    {
        var changes = new Dictionary<string, string> { ["operation"] = "clearhdd" };
        if (mode == DciClearDiskMode.Full) changes["fullhddclear"] = "on";
        await SubmitFormAsync("server.operations", new[] { F("elid", id) }, changes, ct).ConfigureAwait(false);
        return Started(id, "operation_clear_hdd");
    }

    /// <summary>
    /// Whether an operation started on a server is over, by the flags of a fresh list row: a power change when the
    /// wanted power flag shows (a reboot shows neither while it runs), an install or wipe when install_in_progress
    /// is gone, diagnostics when diag_in_progress is gone, suspend/resume by the disabled flag. operation_failed
    /// (or powererror for power) marks a failure.
    /// </summary>
    internal static (bool Finished, bool Failed) Judge(string? operation, DciServer fresh)
    {
        var flags = (Dci5Flags)fresh.PlatformFlags;
        bool Has(Dci5Flags flag) => (flags & flag) != 0;
        var failed = Has(Dci5Flags.Failed) || (operation?.StartsWith("power_", StringComparison.Ordinal) == true && Has(Dci5Flags.PowerError));
        if (failed) return (true, true);
        var finished = operation switch
        {
            "power_on" => Has(Dci5Flags.PowerOn),
            "power_off" => Has(Dci5Flags.PowerOff),
            "power_reset" => Has(Dci5Flags.PowerOn) || Has(Dci5Flags.PowerOff),
            "suspend" => Has(Dci5Flags.Disabled),
            "resume" => !Has(Dci5Flags.Disabled),
            "operation_diag" => !Has(Dci5Flags.Diagnosing),
            "operation_os" or "operation_clear_hdd" => !Has(Dci5Flags.Installing),
            _ => !Has(Dci5Flags.Installing) && !Has(Dci5Flags.Diagnosing),
        };
        return (finished, false);
    }

    // ------------------------------------------------------------------ OS templates

    public async IAsyncEnumerable<DciOsTemplate> ListTemplatesAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var doc = await CallAsync("osmgr", null, changes: false, ct).ConfigureAwait(false);
        var position = 0;
        foreach (var row in Dci5Doc.Rows(doc))
        {
            var tags = Dci5Doc.Text(row, "tags");
            yield return new DciOsTemplate
            {
                // DCImanager 5 names templates by key only; the Id is the position in osmgr, which Install-DciServerOs maps back.
                Id = ++position,
                Name = Dci5Doc.Text(row, "name") ?? Dci5Doc.Text(row, "id"),
                Tags = string.IsNullOrEmpty(tags) ? null : tags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
                Connection = _c,
                ExtensionData = Dci5Doc.Fields(row),
            };
        }
    }

    IAsyncEnumerable<DciOsTemplate> IDciOsTemplateOperations.ListAsync(DciListQuery? query, CancellationToken ct) =>
        Unfiltered(ListTemplatesAsync(ct), query, DciListFieldsOf.OsTemplates, "OS templates");

    private async Task<string> TemplateKeyAsync(long position, CancellationToken ct)
    {
        await foreach (var template in ListTemplatesAsync(ct).ConfigureAwait(false))
            if (template.Id == position) return template.Name!;
        throw NotFound("OS template", position);
    }

    // ------------------------------------------------------------------ users

    IAsyncEnumerable<DciUser> IDciUserOperations.ListAsync(DciListQuery? query, CancellationToken ct) =>
        Unfiltered(ListUsersAsync(ct), query, DciListFieldsOf.Users, "users");

    private async IAsyncEnumerable<DciUser> ListUsersAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var doc = await CallAsync("user", null, changes: false, ct).ConfigureAwait(false);
        foreach (var row in Dci5Doc.Rows(doc)) yield return MapUser(row);
    }

    private DciUser MapUser(JsonElement row)
    {
        _ = long.TryParse(Dci5Doc.Text(row, "id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id);
        var admin = Dci5Doc.Text(row, "level") == "28";
        var user = new DciUser
        {
            Id = id,
            // The login name is what server rows show as the owner; users this module creates are named by their e-mail.
            Email = Dci5Doc.Text(row, "name"),
            FullName = NullIfEmpty(Dci5Doc.Text(row, "realname")),
            Connection = _c,
            ExtensionData = Dci5Doc.Fields(row),
        };
        user.Roles.Add(admin ? "@admin" : "@user");
        return user;
    }

    IAsyncEnumerable<DciLookupResult<DciUser>> IDciUserOperations.GetManyAsync(IEnumerable<long> ids, CancellationToken ct) =>
        DciIdLookup.PickFromList(ids, ListUsersAsync(ct), u => u.Id, id => NotFound("User", id));

    public async Task<DciUser> CreateAsync(DciNewUser user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var password = new NetworkCredential("", user.Password).Password;
        _c.Transport.Session.AddSecret(password);
        var doc = await CallAsync("user.edit", new[]
        {
            F("name", user.Email), F("email", user.Email), F("realname", user.FullName ?? ""),
            F("level", user.Role == DciUserRole.Admin ? "lvAdmin" : "lvUser"),
            F("passwd", password), F("confirm", password), F("sok", "ok"),
        }, changes: true, ct).ConfigureAwait(false);
        if (!long.TryParse(Dci5Doc.Text(doc, "id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new DciApiException("func=user.edit: the user was created but the answer carries no id.", 200, null, "The answer carries no user id.", null, "POST", "user.edit");
        await foreach (var created in ListUsersAsync(ct).ConfigureAwait(false))
            if (created.Id == id) return created;
        throw NotFound("User", id);
    }

    public async Task DeleteAsync(long id, CancellationToken ct = default) =>
        await CallAsync("user.delete", new[] { F("elid", id) }, changes: true, ct).ConfigureAwait(false);

    // ------------------------------------------------------------------ inventory (rack, switch, switch.port, pdu)

    private static long IdOf(JsonElement row, string name = "id") =>
        long.TryParse(Dci5Doc.Text(row, name), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;

    private static int? IntOf(JsonElement row, string name) =>
        int.TryParse(Dci5Doc.Text(row, name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    public IAsyncEnumerable<DciRack> ListRacksAsync(DciListQuery? query = null, CancellationToken ct = default) =>
        Unfiltered(StreamRowsAsync("rack", null, row => new DciRack
        {
            Id = IdOf(row),
            Name = Dci5Doc.Text(row, "name"),
            Location = Dci5Doc.Text(row, "datacenter") is { Length: > 0 } dc ? new DciLocation { Name = dc, Connection = _c } : null,
            Units = IntOf(row, "size"),
            DeviceCount = IntOf(row, "devices"),
            Connection = _c,
            ExtensionData = Dci5Doc.Fields(row),
        }, ct), query, DciListFieldsOf.Racks, "racks");

    public IAsyncEnumerable<DciSwitch> ListSwitchesAsync(DciListQuery? query = null, CancellationToken ct = default) =>
        Unfiltered(StreamRowsAsync("switch", null, row => new DciSwitch
        {
            Id = IdOf(row),
            Name = Dci5Doc.Text(row, "name"),
            Model = Dci5Doc.Text(row, "device"),
            Ip = Dci5Doc.Text(row, "ip"),
            Rack = Dci5Doc.Text(row, "rack") is { Length: > 0 } rack ? new DciRack { Id = IdOf(row, "rack_id"), Name = rack, Connection = _c } : null,
            PortCount = IntOf(row, "ports"),
            Connection = _c,
            ExtensionData = Dci5Doc.Fields(row),
        }, ct), query, DciListFieldsOf.Switches, "switches");

    public IAsyncEnumerable<DciSwitchPort> ListSwitchPortsAsync(long switchId, DciListQuery? query = null, CancellationToken ct = default) =>
        Unfiltered(StreamRowsAsync("switch.port", new[] { F("elid", switchId) }, row => new DciSwitchPort
        {
            Id = IdOf(row),
            SwitchId = switchId,
            Description = Dci5Doc.Text(row, "identity"),
            AdminStatus = Dci5Doc.Flag(row, "disabled") ? "down" : "up",
            Speed = IntOf(row, "speed"),
            // DCImanager 5 names the cabled server by its host name only.
            Server = Dci5Doc.Text(row, "serverhname") is { Length: > 0 } host ? new DciReference { Name = host, Connection = _c } : null,
            Connection = _c,
            ExtensionData = Dci5Doc.Fields(row),
        }, ct), query, DciListFieldsOf.SwitchPorts, "switch ports");

    public async Task<DciSwitchPort> SetPortEnabledAsync(long switchId, long portId, bool enabled, CancellationToken ct = default)
    {
        await CallAsync(enabled ? "switch.port.on" : "switch.port.off", new[] { F("elid", portId) }, changes: true, ct).ConfigureAwait(false);
        await foreach (var port in ListSwitchPortsAsync(switchId, null, ct).ConfigureAwait(false))
            if (port.Id == portId) return port;
        throw NotFound("Port", portId);
    }

    public IAsyncEnumerable<DciPdu> ListPdusAsync(DciListQuery? query = null, CancellationToken ct = default) =>
        Unfiltered(StreamRowsAsync("pdu", null, row => new DciPdu
        {
            Id = IdOf(row),
            Name = Dci5Doc.Text(row, "name"),
            Model = Dci5Doc.Text(row, "device"),
            Ip = Dci5Doc.Text(row, "ip"),
            Rack = Dci5Doc.Text(row, "rack") is { Length: > 0 } rack ? new DciRack { Id = IdOf(row, "rack_id"), Name = rack, Connection = _c } : null,
            PortCount = IntOf(row, "ports"),
            Connection = _c,
            ExtensionData = Dci5Doc.Fields(row),
        }, ct), query, DciListFieldsOf.Pdus, "PDUs");

    // ------------------------------------------------------------------ one-time keys

    /// <summary>session.newkey for a user: a fresh random key, and the link that signs in with it.</summary>
    public async Task<DciLoginKey> CreateLoginKeyAsync(string userName, CancellationToken ct)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        _c.Transport.Session.AddSecret(key);
        await CallAsync("session.newkey", new[] { F("username", userName), F("key", key) }, changes: true, ct).ConfigureAwait(false);
        var link = new Uri(_c.BaseUri, $"{Path}?func=auth&username={Uri.EscapeDataString(userName)}&key={key}");
        return new DciLoginKey { Id = userName, Key = key, Connection = _c, Link = link };
    }
}

/// <summary>The server flags a wait and the state word are judged by (set: the flag's element is present).</summary>
[Flags]
internal enum Dci5Flags
{
    None = 0,
    PowerOn = 1,
    PowerOff = 2,
    PowerError = 4,
    Disabled = 8,
    Installing = 16,
    Diagnosing = 32,
    Failed = 64,
}
