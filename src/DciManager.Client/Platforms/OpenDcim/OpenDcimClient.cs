using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DciManager.Client.Http;
using DciManager.Client.Models;
using DciManager.Client.Query;

namespace DciManager.Client.Platforms.OpenDcim;

/// <summary>
/// openDCIM's REST v1 (23.x): lists (never paged, streamed), PUT creates and POST updates, and the answers' shapes
/// (a list on GET, an object or a map keyed by id on PUT, a bare {error:false} on POST and DELETE, so the module re-reads).
/// It serves the server and user seams too: servers are the devices whose DeviceType is Server, users are people.
/// </summary>
internal sealed class OpenDcimClient : IDciServerOperations, IDciUserOperations, IDciOsTemplateOperations
{
    private readonly DciConnection _c;

    /// <summary>Fields that hold a secret: never kept in an emitted object (GET /people shows everyone's APIKey to a contact admin).</summary>
    private static readonly HashSet<string> s_secretFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "APIKey", "APIPassword", "v3AuthPassphrase", "v3PrivPassphrase", "SNMPCommunity",
    };

    private static readonly HashSet<string> s_dataCenterFields = Fields("DataCenterID", "Name", "DeliveryAddress", "Administrator", "SquareFootage", "MaxkW");
    private static readonly HashSet<string> s_cabinetFields = Fields("CabinetID", "Location", "DataCenterID", "DataCenterName", "AssignedTo", "CabinetHeight", "Model", "Notes", "Rights");
    private static readonly HashSet<string> s_departmentFields = Fields("DeptID", "Name", "ExecSponsor", "SDM", "Classification", "DeptColor");
    private static readonly HashSet<string> s_personFields = Fields("PersonID", "Email", "FirstName", "LastName", "Phone1", "Disabled");

    public OpenDcimClient(DciConnection connection) => _c = connection;

    // ------------------------------------------------------------------ the wire

    /// <summary>One call; the answer's JSON (error answers become DciApiExceptions in the transport, by the wire policy).</summary>
    internal Task<JsonElement> CallAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? query = null,
        Action<Utf8JsonWriter>? body = null, CancellationToken ct = default)
    {
        var request = new DciRequest(method, path);
        foreach (var (name, value) in query ?? Array.Empty<KeyValuePair<string, string>>()) request.With(name, value);
        if (body is not null) request.WithJson(body);
        return _c.Transport.SendAsync(request, DciJsonContext.Default.JsonElement, ct);
    }

    /// <summary>The rows of a GET list, handed on as the answer arrives (see <see cref="OpenDcimStreamReader"/>).</summary>
    internal async IAsyncEnumerable<JsonElement> StreamAsync(string path, string key, IEnumerable<KeyValuePair<string, string>>? query,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new DciRequest(HttpMethod.Get, path);
        foreach (var (name, value) in query ?? Array.Empty<KeyValuePair<string, string>>()) request.With(name, value);
        await foreach (var row in OpenDcimStreamReader.StreamAsync(_c.Transport, request, key, ct).ConfigureAwait(false))
            yield return row;
    }

    // ------------------------------------------------------------------ reading rows (numbers on GET, strings on create)

    internal static long? Int(JsonElement row, string name) => row.TryGetProperty(name, out var v) ? AsInt(v) : null;

    internal static string? Str(JsonElement row, string name) => row.TryGetProperty(name, out var v) ? AsStr(v) : null;

    private static long? AsInt(JsonElement v)
    {
        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    private static string? AsStr(JsonElement v)
    {
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        };
    }

    /// <summary>The row's other fields, secrets left out.</summary>
    private static Dictionary<string, JsonElement> Rest(JsonElement row, HashSet<string> modelled)
    {
        var rest = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in row.EnumerateObject())
            if (!modelled.Contains(p.Name) && !s_secretFields.Contains(p.Name)) rest[p.Name] = p.Value;
        return rest;
    }

    private static HashSet<string> Fields(params string[] names) => new(names, StringComparer.Ordinal);

    private static long RequireId(JsonElement row, string name, string what) =>
        Int(row, name) ?? throw new DciApiException($"openDCIM: a {what} has no numeric {name}.", 200, null, $"A {what} has no numeric {name}.", null, "GET", what);

    internal DciDataCenter MapDataCenter(JsonElement r) => new()
    {
        Id = RequireId(r, "DataCenterID", "datacenter"), Name = Str(r, "Name"), DeliveryAddress = Str(r, "DeliveryAddress"),
        Administrator = Str(r, "Administrator"), SquareFootage = Int(r, "SquareFootage"), MaxKW = Int(r, "MaxkW"), Connection = _c,
        ExtensionData = Rest(r, s_dataCenterFields),
    };

    internal DciCabinet MapCabinet(JsonElement r) => new()
    {
        Id = RequireId(r, "CabinetID", "cabinet"), Location = Str(r, "Location"), DataCenterId = Int(r, "DataCenterID"),
        DataCenterName = Str(r, "DataCenterName"), AssignedTo = Int(r, "AssignedTo"), CabinetHeight = Int(r, "CabinetHeight"),
        Model = Str(r, "Model"), Notes = Str(r, "Notes"), Rights = Str(r, "Rights"), Connection = _c,
        ExtensionData = Rest(r, s_cabinetFields),
    };

    /// <summary>One pass over the row's fields (a device has some 45): the hot path of a 50,000-device list.</summary>
    internal DciDevice MapDevice(JsonElement r)
    {
        var device = new DciDevice { Connection = _c };
        var rest = new Dictionary<string, JsonElement>(40, StringComparer.Ordinal);
        var hasId = false;
        foreach (var p in r.EnumerateObject())
        {
            var v = p.Value;
            switch (p.Name)
            {
                case "DeviceID": if (AsInt(v) is { } id) { device.Id = id; hasId = true; } break;
                case "Label": device.Label = AsStr(v); break;
                case "DeviceType": device.DeviceType = AsStr(v); break;
                case "Cabinet": device.Cabinet = AsInt(v); break;
                case "Position": device.Position = AsInt(v); break;
                case "Height": device.Height = AsInt(v); break;
                case "Owner": device.Owner = AsInt(v); break;
                case "PrimaryContact": device.PrimaryContact = AsInt(v); break;
                case "TemplateID": device.TemplateId = AsInt(v); break;
                case "ParentDevice": device.ParentDevice = AsInt(v); break;
                case "SerialNo": device.SerialNo = AsStr(v); break;
                case "AssetTag": device.AssetTag = AsStr(v); break;
                case "PrimaryIP": device.PrimaryIP = AsStr(v); break;
                case "Status": device.Status = AsStr(v); break;
                case "Notes": device.Notes = AsStr(v); break;
                case "Rights": device.Rights = AsStr(v); break;
                default:
                    if (!s_secretFields.Contains(p.Name)) rest[p.Name] = v;
                    break;
            }
        }
        if (!hasId) RequireId(r, "DeviceID", "device");
        device.ExtensionData = rest;
        return device;
    }

    internal DciDepartment MapDepartment(JsonElement r) => new()
    {
        Id = RequireId(r, "DeptID", "department"), Name = Str(r, "Name"), ExecSponsor = Str(r, "ExecSponsor"), SDM = Str(r, "SDM"),
        Classification = Str(r, "Classification"), DeptColor = Str(r, "DeptColor"), Connection = _c,
        ExtensionData = Rest(r, s_departmentFields),
    };

    /// <summary>A person as a DciUser: the e-mail (or the UserID when there is none), the name; the APIKey is never kept.</summary>
    internal DciUser MapPerson(JsonElement r)
    {
        var full = $"{Str(r, "FirstName")} {Str(r, "LastName")}".Trim();
        var admin = Int(r, "SiteAdmin") is > 0;
        return new DciUser
        {
            Id = RequireId(r, "PersonID", "person"),
            Email = Str(r, "Email") is { Length: > 0 } email ? email : Str(r, "UserID"),
            FullName = full.Length == 0 ? null : full,
            PhoneNumber = Str(r, "Phone1") is { Length: > 0 } phone ? phone : null,
            Roles = new List<string> { admin ? "@admin" : "@user" },
            State = Int(r, "Disabled") is > 0 ? "disabled" : "active",
            Connection = _c,
            ExtensionData = Rest(r, s_personFields),
        };
    }

    // ------------------------------------------------------------------ inventory

    public IAsyncEnumerable<DciDataCenter> ListDataCentersAsync(CancellationToken ct = default) => Map(StreamAsync("datacenter", "datacenter", null, ct), MapDataCenter);

    public IAsyncEnumerable<DciCabinet> ListCabinetsAsync(long? dataCenterId = null, CancellationToken ct = default) =>
        Map(StreamAsync("cabinet", "cabinet", dataCenterId is { } id ? new[] { Pair("DataCenterID", id) } : null, ct), MapCabinet);

    public IAsyncEnumerable<DciDepartment> ListDepartmentsAsync(CancellationToken ct = default) => Map(StreamAsync("department", "department", null, ct), MapDepartment);

    public IAsyncEnumerable<DciDevice> ListDevicesAsync(DciDeviceQuery? query = null, CancellationToken ct = default)
    {
        query ??= new DciDeviceQuery();
        var q = new List<KeyValuePair<string, string>>();
        if (query.Id is { } id) q.Add(Pair("DeviceID", id));
        if (query.Label is { } label) q.Add(new("Label", label));
        if (query.DeviceType is { } type) q.Add(new("DeviceType", type));
        if (query.Cabinet is { } cabinet) q.Add(Pair("Cabinet", cabinet));
        if (query.Owner is { } owner) q.Add(Pair("Owner", owner));
        if (query.SerialNo is { } serial) q.Add(new("SerialNo", serial));
        if (query.AssetTag is { } tag) q.Add(new("AssetTag", tag));
        // Its mere presence turns every filter into a substring match.
        if (query.Substring) q.Add(new("wildcards", "1"));
        if (query.Attributes is { Count: > 0 } attributes)
            q.Add(new("attributes", string.Join(",", attributes.Append("DeviceID").Distinct(StringComparer.OrdinalIgnoreCase))));
        return Map(StreamAsync("device", "device", q, ct), MapDevice);
    }

    /// <summary>One device by id: /device?DeviceID=n (23.x has no GET /device/{id}).</summary>
    public async Task<DciDevice> GetDeviceAsync(long id, CancellationToken ct = default)
    {
        await foreach (var device in ListDevicesAsync(new DciDeviceQuery { Id = id }, ct).ConfigureAwait(false))
            if (device.Id == id) return device;
        throw new DciApiException($"GET device?DeviceID={id}: openDCIM has no device {id}.", 404, null, $"No device with DeviceID {id}.", null, "GET", "device")
        {
            Kind = DciErrorKind.NotFound,
        };
    }

    /// <summary>PUT /device/{label}; openDCIM upper-cases the label and answers the object, which is read again by its id.</summary>
    public async Task<DciDevice> CreateDeviceAsync(DciNewDevice device, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        var answer = await CallAsync(HttpMethod.Put, "device/" + DciRequest.Segment(device.Label), null, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("Cabinet", device.Cabinet);
            w.WriteNumber("Position", device.Position);
            w.WriteNumber("Height", device.Height);
            w.WriteString("DeviceType", device.DeviceType);
            if (device.TemplateId is { } t) w.WriteNumber("TemplateID", t);
            if (device.Owner is { } o) w.WriteNumber("Owner", o);
            if (device.PrimaryContact is { } pc) w.WriteNumber("PrimaryContact", pc);
            if (device.SerialNo is { } s) w.WriteString("SerialNo", s);
            if (device.AssetTag is { } a) w.WriteString("AssetTag", a);
            if (device.PrimaryIP is { } ip) w.WriteString("PrimaryIP", ip);
            if (device.Notes is { } n) w.WriteString("Notes", n);
            w.WriteEndObject();
        }, ct).ConfigureAwait(false);
        var created = CreatedRow(answer, "device", "DeviceID", "PUT", "device");
        return await GetDeviceAsync(RequireId(created, "DeviceID", "device"), ct).ConfigureAwait(false);
    }

    /// <summary>POST /device/{id} with only the given fields (its answer is a bare {error:false}), then the device read again.</summary>
    public async Task<DciDevice> UpdateDeviceAsync(long id, IReadOnlyDictionary<string, object> changes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0) return await GetDeviceAsync(id, ct).ConfigureAwait(false);
        await CallAsync(HttpMethod.Post, "device/" + DciRequest.Id(id), null, w =>
        {
            w.WriteStartObject();
            foreach (var (name, value) in changes)
            {
                switch (value)
                {
                    case long n: w.WriteNumber(name, n); break;
                    case int n: w.WriteNumber(name, n); break;
                    default: w.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                }
            }
            w.WriteEndObject();
        }, ct).ConfigureAwait(false);
        return await GetDeviceAsync(id, ct).ConfigureAwait(false);
    }

    public Task DeleteDeviceAsync(long id, CancellationToken ct = default) => CallAsync(HttpMethod.Delete, "device/" + DciRequest.Id(id), null, null, ct);

    /// <summary>
    /// PUT /people/{userid}: a contact (openDCIM people have a UserID, names and contact details, no password here);
    /// the answer's id arrives as a string, so the person is read again from the people list.
    /// </summary>
    public async Task<DciUser> CreatePersonAsync(string userId, string? firstName, string? lastName, string? email, string? phone,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var answer = await CallAsync(HttpMethod.Put, "people/" + DciRequest.Segment(userId), null, w =>
        {
            w.WriteStartObject();
            if (firstName is not null) w.WriteString("FirstName", firstName);
            if (lastName is not null) w.WriteString("LastName", lastName);
            if (email is not null) w.WriteString("Email", email);
            if (phone is not null) w.WriteString("Phone1", phone);
            w.WriteEndObject();
        }, ct).ConfigureAwait(false);
        var id = RequireId(CreatedRow(answer, "people", "PersonID", "PUT", "people"), "PersonID", "person");
        await foreach (var person in Map(StreamAsync("people", "people", null, ct), MapPerson).ConfigureAwait(false))
            if (person.Id == id) return person;
        throw new DciApiException($"PUT people: person {id} was created but is not listed.", 200, null, "The new person is not listed.", null, "PUT", "people");
    }

    /// <summary>PUT /department/{name}; the answer is a map keyed by the new id, with string values.</summary>
    public async Task<DciDepartment> CreateDepartmentAsync(string name, string? execSponsor = null, string? sdm = null, string? classification = null,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var answer = await CallAsync(HttpMethod.Put, "department/" + DciRequest.Segment(name), null, w =>
        {
            w.WriteStartObject();
            if (execSponsor is not null) w.WriteString("ExecSponsor", execSponsor);
            if (sdm is not null) w.WriteString("SDM", sdm);
            if (classification is not null) w.WriteString("Classification", classification);
            w.WriteEndObject();
        }, ct).ConfigureAwait(false);
        var id = RequireId(CreatedRow(answer, "department", "DeptID", "PUT", "department"), "DeptID", "department");
        await foreach (var d in ListDepartmentsAsync(ct).ConfigureAwait(false))
            if (d.Id == id) return d;
        throw new DciApiException($"PUT department: department {id} was created but is not listed.", 200, null, "The new department is not listed.", null, "PUT", "department");
    }

    /// <summary>PUT /cabinet (no id in the URL); the answer is a map keyed by the new id, with string values.</summary>
    public async Task<DciCabinet> CreateCabinetAsync(long dataCenterId, string location, long height, long? assignedTo = null, string? model = null,
        string? notes = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        var answer = await CallAsync(HttpMethod.Put, "cabinet", null, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("DataCenterID", dataCenterId);
            w.WriteString("Location", location);
            w.WriteNumber("CabinetHeight", height);
            if (assignedTo is { } a) w.WriteNumber("AssignedTo", a);
            if (model is not null) w.WriteString("Model", model);
            if (notes is not null) w.WriteString("Notes", notes);
            w.WriteEndObject();
        }, ct).ConfigureAwait(false);
        var id = RequireId(CreatedRow(answer, "cabinet", "CabinetID", "PUT", "cabinet"), "CabinetID", "cabinet");
        await foreach (var c in ListCabinetsAsync(dataCenterId, ct).ConfigureAwait(false))
            if (c.Id == id) return c;
        throw new DciApiException($"PUT cabinet: cabinet {id} was created but is not listed.", 200, null, "The new cabinet is not listed.", null, "PUT", "cabinet");
    }

    /// <summary>The created row of a PUT answer: <c>key:{...}</c> (device, people) or <c>key:{"7":{...}}</c> (cabinet, department).</summary>
    internal static JsonElement CreatedRow(JsonElement answer, string key, string idField, string method, string path)
    {
        if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty(key, out var value))
        {
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(idField, out _)) return value;
            if (value.ValueKind == JsonValueKind.Object)
                foreach (var entry in value.EnumerateObject())
                    if (entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty(idField, out _)) return entry.Value;
            if (value.ValueKind == JsonValueKind.Array)
                foreach (var row in value.EnumerateArray())
                    if (row.ValueKind == JsonValueKind.Object && row.TryGetProperty(idField, out _)) return row;
        }
        throw new DciOutcomeUnknownException(method, path, $"the answer does not show the created {key} (no {idField})");
    }

    private static KeyValuePair<string, string> Pair(string name, long value) => new(name, value.ToString(CultureInfo.InvariantCulture));

    private static async IAsyncEnumerable<T> Map<T>(IAsyncEnumerable<JsonElement> rows, Func<JsonElement, T> map)
    {
        await foreach (var row in rows.ConfigureAwait(false)) yield return map(row);
    }

    // ------------------------------------------------------------------ the server seam: devices of type Server

    public async IAsyncEnumerable<DciServer> ListAsync(DciQuery? query = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        // Cabinet and department names are small lists, read once so each server names its rack and owner.
        var cabinets = new Dictionary<long, string?>();
        await foreach (var c in ListCabinetsAsync(null, ct).ConfigureAwait(false)) cabinets[c.Id] = c.Location;
        var departments = new Dictionary<long, string?>();
        await foreach (var d in ListDepartmentsAsync(ct).ConfigureAwait(false)) departments[d.Id] = d.Name;
        await foreach (var device in ListDevicesAsync(new DciDeviceQuery { DeviceType = "Server" }, ct).ConfigureAwait(false))
            yield return AsServer(device, cabinets, departments);
    }

    public IAsyncEnumerable<DciLookupResult<DciServer>> GetManyAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        DciIdLookup.PickFromList(ids, ListAsync(null, ct), s => s.Id, id => new DciApiException($"openDCIM has no server (device of type Server) {id}.", 404, null,
            $"No server with DeviceID {id}.", null, "GET", "device") { Kind = DciErrorKind.NotFound });

    public async Task<DciServer> GetAsync(long id, CancellationToken ct = default)
    {
        await foreach (var r in GetManyAsync(new[] { id }, ct).ConfigureAwait(false))
            if (r.Item is { } s) return s;
            else throw r.Error!;
        throw new InvalidOperationException("not reached");
    }

    private DciServer AsServer(DciDevice device, IReadOnlyDictionary<long, string?> cabinets, IReadOnlyDictionary<long, string?> departments)
    {
        var cabinetName = device.Cabinet is { } c && cabinets.TryGetValue(c, out var cn) ? cn : null;
        var ownerName = device.Owner is { } o && departments.TryGetValue(o, out var on) ? on : null;
        var extension = new Dictionary<string, JsonElement>(device.ExtensionData ?? new(), StringComparer.Ordinal)
        {
            ["DeviceType"] = Text(device.DeviceType),
            ["SerialNo"] = Text(device.SerialNo),
            ["AssetTag"] = Text(device.AssetTag),
            ["PrimaryIP"] = Text(device.PrimaryIP),
            ["Owner"] = Text(device.Owner?.ToString(CultureInfo.InvariantCulture)),
            ["OwnerDepartment"] = Text(ownerName),
            ["Status"] = Text(device.Status),
            ["Notes"] = Text(device.Notes),
        };
        var server = new DciServer
        {
            Id = device.Id,
            Name = device.Label,
            State = device.Status,
            Rack = device.Cabinet is { } cab ? new DciRack { Id = cab, Name = cabinetName, Connection = _c } : null,
            Unit = device.Position is { } p ? (int)p : null,
            Barcode = device.AssetTag,
            Connection = _c,
            ExtensionData = extension,
        };
        if (device.PrimaryIP is { Length: > 0 } ip)
            server.Ip.Add(new DciIpAddress { Name = ip, Family = ip.Contains(':') ? "ipv6" : "ipv4", ServerId = device.Id, Server = device.Label, Connection = _c });
        return server;
    }

    private static readonly JsonElement s_null = JsonDocument.Parse("null").RootElement.Clone();

    private static JsonElement Text(string? value) => value is null ? s_null : JsonSerializer.SerializeToElement(value, DciJsonContext.Default.String);

    private DciNotSupportedException NotSupported(string operation) => new(DciPlatform.OpenDcim, operation);

    public Task<DciTask> PowerAsync(long id, DciPowerAction action, CancellationToken ct = default) => throw NotSupported("Power control");
    public Task<DciTask> SuspendAsync(long id, CancellationToken ct = default) => throw NotSupported("Suspend-DciServer");
    public Task<DciTask> ResumeAsync(long id, CancellationToken ct = default) => throw NotSupported("Resume-DciServer");
    public Task<DciServer> SetOwnerAsync(long id, long userId, CancellationToken ct = default) => throw NotSupported("Set-DciServerOwner");
    public Task<DciServer> RemoveOwnerAsync(long id, CancellationToken ct = default) => throw NotSupported("Remove-DciServerOwner");
    public IAsyncEnumerable<DciIpAddress> ListIpAsync(long serverId, CancellationToken ct = default) => throw NotSupported("Get-DciIpAddress");
    public Task<DciTask> AddIpAsync(long serverId, DciAddIpRequest request, CancellationToken ct = default) => throw NotSupported("Add-DciServerIp");
    public Task<DciTask> RemoveIpAsync(long serverId, long ipId, CancellationToken ct = default) => throw NotSupported("Remove-DciServerIp");
    public Task<DciTask> StartDiagnosticAsync(long id, DciDiagnosticRequest request, CancellationToken ct = default) => throw NotSupported("Start-DciServerDiagnostic");
    public Task<DciTask> ClearDiskAsync(long id, DciClearDiskMode mode, CancellationToken ct = default) => throw NotSupported("Clear-DciServerDisk");
    public Task<DciTask> InstallOsAsync(long id, DciOsInstallRequest request, CancellationToken ct = default) => throw NotSupported("Install-DciServerOs");

    // ------------------------------------------------------------------ the user seam: people

    IAsyncEnumerable<DciUser> IDciUserOperations.ListAsync(DciQuery? query, CancellationToken ct) => Map(StreamAsync("people", "people", null, ct), MapPerson);

    IAsyncEnumerable<DciLookupResult<DciUser>> IDciUserOperations.GetManyAsync(IEnumerable<long> ids, CancellationToken ct) =>
        DciIdLookup.PickFromList(ids, Map(StreamAsync("people", "people", null, ct), MapPerson), p => p.Id,
            id => new DciApiException($"openDCIM has no person {id}.", 404, null, $"No person with PersonID {id}.", null, "GET", "people") { Kind = DciErrorKind.NotFound });

    public Task<DciUser> CreateAsync(DciNewUser user, CancellationToken ct = default) => throw NotSupported("New-DciUser");
    public Task DeleteAsync(long id, CancellationToken ct = default) => throw NotSupported("Remove-DciUser");

    IAsyncEnumerable<DciOsTemplate> IDciOsTemplateOperations.ListAsync(DciQuery? query, CancellationToken ct) => throw NotSupported("Get-DciOsTemplate");
}
