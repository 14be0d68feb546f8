using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace DciManager.Simulator.OpenDcim;

/// <summary>
/// The openDCIM 23.04 mode (<c>--platform opendcim</c>): the REST v1 API under /api/v1/ as
/// /work/shared/reference/opendcim-observed.md records it, quirks included. Decisions are in <see cref="OpenDcimInferred"/>.
/// </summary>
public sealed partial class OpenDcimSimulation : ISimulatedPlatform
{
    private readonly SimulatorState _state;
    private readonly OpenDcimAuthMode _auth;
    private readonly OpenDcimInventory _inv = new();
    private long _cookieRequests;

    internal OpenDcimSimulation(SimulatorOptions options, SimulatorState state)
    {
        _state = state;
        _auth = options.OpenDcimAuth;
        lock (_inv.Sync) OpenDcimSeed.Seed(_inv, options.Devices);
    }

    /// <summary>The seeded accounts (People rows, API keys, htpasswd passwords).</summary>
    public static IReadOnlyList<OpenDcimAccount> Accounts => OpenDcimSeed.Accounts;

    public OpenDcimAuthMode AuthMode => _auth;

    public int DeviceCount => _inv.DeviceCount;

    /// <summary>Requests that sent a PHPSESSID cookie back (a client should keep cookies off).</summary>
    public long CookieRequests => Interlocked.Read(ref _cookieRequests);

    /// <summary>A device's Label by id (null when it does not exist), for tests.</summary>
    public string? DeviceLabel(long id) { lock (_inv.Sync) return _inv.Device(id)?.Str("Label"); }

    // ------------------------------------------------------------------ pipeline

    async Task ISimulatedPlatform.ProcessAsync(HttpContext ctx, string path)
    {
        if (!(path.StartsWith(OpenDcimInferred.ApiPrefix + "/", StringComparison.Ordinal)))
        {
            await ApacheAsync(ctx, 404);
            return;
        }
        if (ctx.Request.Cookies.ContainsKey("PHPSESSID")) Interlocked.Increment(ref _cookieRequests);

        bool basicVhost = _auth == OpenDcimAuthMode.Basic ||
                          (_auth == OpenDcimAuthMode.Both && ctx.Request.Headers.ContainsKey("Authorization"));
        OdCaller? caller = basicVhost ? AuthenticateBasic(ctx) : AuthenticateKey(ctx);
        if (caller is null)
        {
            if (basicVhost)
            {
                ctx.Response.Headers["WWW-Authenticate"] = "Basic realm=\"openDCIM\"";
                await ApacheAsync(ctx, 401);
            }
            else
            {
                SessionHeaders(ctx);
                await TextAsync(ctx, 200, OpenDcimPages.AccessDeniedContentType, OpenDcimPages.AccessDenied);
            }
            return;
        }
        SessionHeaders(ctx);

        var segments = path[(OpenDcimInferred.ApiPrefix.Length + 1)..].Split('/');
        var method = ctx.Request.Method.ToUpperInvariant();
        var routes = Routes.Where(r => r.Matches(segments)).ToList();
        var route = routes.FirstOrDefault(r => r.Method == method);
        if (route is null)
        {
            if (routes.Count == 0) await SlimNotFoundAsync(ctx);
            else await SlimMethodNotAllowedAsync(ctx, string.Join(", ", routes.Select(r => r.Method)));
            return;
        }
        var arg = segments.Length > 1 ? segments[1] : "";
        var parameters = await ParametersAsync(ctx);
        await route.Handler(this, new Call(ctx, caller, arg, parameters));
    }

    IEnumerable<string> ISimulatedPlatform.Banner(SimulatorHost host, SimulatorOptions options) =>
        OpenDcimBanner.Lines(this, host.BaseAddress.ToString().TrimEnd('/'), options);

    Task ISimulatedPlatform.WriteFaultAsync(HttpContext ctx, int status, string message) =>
        status == 500
            ? TextAsync(ctx, 500, OpenDcimPages.SlimHtmlContentType, OpenDcimPages.InjectedError(message))
            : ApacheAsync(ctx, status);

    private sealed record Call(HttpContext Ctx, OdCaller Caller, string Arg, Dictionary<string, string> Params);

    private sealed record Route(string Method, string[] Pattern, Func<OpenDcimSimulation, Call, Task> Handler)
    {
        public bool Matches(string[] segments)
        {
            if (segments.Length != Pattern.Length) return false;
            for (int i = 0; i < segments.Length; i++)
            {
                if (segments[i].Length == 0) return false;
                if (Pattern[i] != "*" && !string.Equals(Pattern[i], segments[i], StringComparison.Ordinal)) return false;
            }
            return true;
        }
    }

    // Registration order is Slim's: get, post, put, delete (the 405 lists methods in this order, e.g. "POST, PUT, DELETE").
    // GET /device/{id} is absent, as in 23.04 (the route is commented out there).
    private static readonly Route[] Routes =
    {
        new("GET", new[] { "people" }, (s, c) => s.GetPeopleAsync(c)),
        new("GET", new[] { "department" }, (s, c) => s.GetListAsync(c, "department", s._inv.Departments, OdSchemas.Department, "Name")),
        new("GET", new[] { "datacenter" }, (s, c) => s.GetListAsync(c, "datacenter", s._inv.DataCenters, OdSchemas.DataCenter, "Name")),
        new("GET", new[] { "datacenter", "*" }, (s, c) => s.GetDataCenterAsync(c)),
        new("GET", new[] { "cabinet" }, (s, c) => s.GetCabinetsAsync(c)),
        new("GET", new[] { "device" }, (s, c) => s.GetDevicesAsync(c)),
        new("GET", new[] { "devicetemplate" }, (s, c) => s.GetListAsync(c, "devicetemplate", s._inv.Templates, OdSchemas.DeviceTemplate, "Model")),
        new("POST", new[] { "people", "*" }, (s, c) => s.UpdatePersonAsync(c)),
        new("POST", new[] { "cabinet", "*" }, (s, c) => s.UpdateCabinetAsync(c)),
        new("POST", new[] { "device", "*" }, (s, c) => s.UpdateDeviceAsync(c)),
        new("PUT", new[] { "people", "*" }, (s, c) => s.CreatePersonAsync(c)),
        new("PUT", new[] { "department", "*" }, (s, c) => s.CreateDepartmentAsync(c)),
        new("PUT", new[] { "cabinet" }, (s, c) => s.CreateCabinetAsync(c)),
        new("PUT", new[] { "device", "*" }, (s, c) => s.CreateDeviceAsync(c)),
        new("DELETE", new[] { "cabinet", "*" }, (s, c) => s.DeleteCabinetAsync(c)),
        new("DELETE", new[] { "device", "*" }, (s, c) => s.DeleteDeviceAsync(c)),
    };

    // ------------------------------------------------------------------ authentication

    /// <summary>The Basic vhost: Apache checks htpasswd and sets REMOTE_USER; the API headers play no part.</summary>
    private OdCaller? AuthenticateBasic(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())); }
        catch (FormatException) { return null; }
        int colon = decoded.IndexOf(':');
        if (colon < 0) return null;
        var (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
        var account = OpenDcimSeed.Accounts.FirstOrDefault(a => a.BasicPassword is not null && a.UserId == user);
        if (account is null || account.BasicPassword != password) return null;
        // A valid htpasswd user without a People row is a user with no rights (RequireDefinedUser is off).
        lock (_inv.Sync) return CallerFor(_inv.PersonByUserId(user), user);
    }

    /// <summary>The key vhost: both headers present, then People.APIKey == APIKey with PHP's loose ==.</summary>
    private OdCaller? AuthenticateKey(HttpContext ctx)
    {
        if (!ctx.Request.Headers.TryGetValue("UserID", out var userIds) || !ctx.Request.Headers.TryGetValue("APIKey", out var keys)) return null;
        var userId = userIds.ToString();
        var key = keys.ToString();
        lock (_inv.Sync)
        {
            var person = _inv.PersonByUserId(userId);
            // An unknown UserID leaves an empty Person whose APIKey is '': an empty APIKey header matches it.
            return PhpLooseEquals(person?.Str("APIKey") ?? "", key) ? CallerFor(person, userId) : null;
        }
    }

    private static OdCaller CallerFor(OdRecord? person, string userId) =>
        person is null ? new OdCaller(null, userId, Array.Empty<long>())
            : new OdCaller(person, userId, OpenDcimSeed.Memberships.GetValueOrDefault(person.Id) ?? Array.Empty<long>());

    [GeneratedRegex(@"^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$")]
    private static partial Regex PhpNumericString();

    /// <summary>PHP 8 string == string: numerically when both are numeric strings ("1e3" == "1000"), else byte for byte.</summary>
    internal static bool PhpLooseEquals(string a, string b)
    {
        if (PhpNumericString().IsMatch(a) && PhpNumericString().IsMatch(b) &&
            double.TryParse(a.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) &&
            double.TryParse(b.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
            return x == y;
        return string.Equals(a, b, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ parameters

    /// <summary><c>getQueryParams() ?: getParsedBody()</c>: any query parameter hides the body; a JSON body needs
    /// Content-Type application/json (otherwise it is silently ignored); form bodies work too.</summary>
    private static async Task<Dictionary<string, string>> ParametersAsync(HttpContext ctx)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ctx.Request.Query.Count > 0)
        {
            foreach (var (k, v) in ctx.Request.Query) result[k] = v.Count > 0 ? v[^1] ?? "" : "";
            return result;
        }
        var type = ctx.Request.ContentType ?? "";
        if (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            using var ms = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted);
            try
            {
                using var doc = JsonDocument.Parse(ms.ToArray());
                if (doc.RootElement.ValueKind != JsonValueKind.Object) return result;
                foreach (var p in doc.RootElement.EnumerateObject())
                    result[p.Name] = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString() ?? "",
                        JsonValueKind.True => "1",
                        JsonValueKind.False or JsonValueKind.Null => "",
                        _ => p.Value.GetRawText(),
                    };
            }
            catch (JsonException) { /* Slim's getParsedBody() is null for bad JSON: no parameters */ }
        }
        else if (ctx.Request.HasFormContentType)
        {
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
            foreach (var (k, v) in form) result[k] = v.Count > 0 ? v[^1] ?? "" : "";
        }
        return result;
    }

    // ------------------------------------------------------------------ GET

    private Task GetPeopleAsync(Call c)
    {
        var q = OdQuery.From(OdSchemas.People, c.Params);
        // Not a ContactAdmin: only PersonID, FirstName, LastName (observed); a ContactAdmin sees everyone's APIKey.
        var attributes = c.Caller.ContactAdmin ? q.Attributes
            : (q.Attributes?.Where(OdSchemas.PeoplePublic.Contains).ToArray() ?? OdSchemas.PeoplePublic);
        List<OdRecord> rows;
        lock (_inv.Sync)
            rows = _inv.People.Where(q.Matches)
                .OrderBy(p => p.Str("LastName"), StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Str("FirstName"), StringComparer.OrdinalIgnoreCase).ToList();
        return JsonAsync(c.Ctx, 200, w =>
        {
            w.WriteStartArray("people");
            foreach (var p in rows) OdWriter.Write(w, p, attributes, null, redact: false);
            w.WriteEndArray();
        });
    }

    private Task GetListAsync(Call c, string key, List<OdRecord> table, OdSchema schema, string orderBy)
    {
        var q = OdQuery.From(schema, c.Params);
        List<OdRecord> rows;
        lock (_inv.Sync) rows = table.Where(q.Matches).OrderBy(r => r.Str(orderBy), StringComparer.OrdinalIgnoreCase).ToList();
        return JsonAsync(c.Ctx, 200, w =>
        {
            w.WriteStartArray(key);
            foreach (var r in rows) OdWriter.Write(w, r, q.Attributes, null, redact: false);
            w.WriteEndArray();
        });
    }

    private Task GetDataCenterAsync(Call c)
    {
        OdRecord? dc;
        lock (_inv.Sync) dc = OpenDcimInventory.Find(_inv.DataCenters, OdRecord.PhpInt(c.Arg));
        if (dc is null) return ErrorAsync(c.Ctx, 400, "The requested resource does not exist.");
        // A list of one, not an object (observed).
        return JsonAsync(c.Ctx, 200, w =>
        {
            w.WriteStartArray("datacenter");
            OdWriter.Write(w, dc, null, null, redact: false);
            w.WriteEndArray();
        });
    }

    private Task GetCabinetsAsync(Call c)
    {
        var q = OdQuery.From(OdSchemas.Cabinet, c.Params);
        List<(OdRecord Cabinet, string Rights, string DataCenterName)> rows;
        lock (_inv.Sync)
            rows = _inv.Cabinets.Where(q.Matches).OrderBy(r => r.Str("LocationSortable"), StringComparer.OrdinalIgnoreCase)
                .Select(r => (r, c.Caller.RightsFor(0, r.Int("AssignedTo")),
                    OpenDcimInventory.Find(_inv.DataCenters, r.Int("DataCenterID"))?.Str("Name") ?? ""))
                .ToList();
        return JsonAsync(c.Ctx, 200, w =>
        {
            w.WriteStartArray("cabinet");
            foreach (var (cab, rights, dcName) in rows)
                // The route adds DataCenterName only when DataCenterID survived attributes= (isset($c->DataCenterID)).
                OdWriter.Write(w, cab, q.Attributes, rights, redact: false,
                    (jw, _, hasDc) => { if (hasDc) jw.WriteString("DataCenterName", dcName); });
            w.WriteEndArray();
        });
    }

    /// <summary>Streams the list: 50,000 devices go out in chunks through one Utf8JsonWriter, never as one string.</summary>
    private async Task GetDevicesAsync(Call c)
    {
        var q = OdQuery.From(OdSchemas.Device, c.Params);
        OdRecord[] all;
        Dictionary<long, long> cabinetDept;
        lock (_inv.Sync)
        {
            all = _inv.DevicesByLabel();
            cabinetDept = _inv.Cabinets.ToDictionary(r => r.Id, r => r.Int("AssignedTo"));
        }
        var ctx = c.Ctx;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = OpenDcimPages.JsonContentType;
        var ct = ctx.RequestAborted;
        int owner = OdSchemas.Device["Owner"].Slot, cabinet = OdSchemas.Device["Cabinet"].Slot;
        await using var w = new Utf8JsonWriter(ctx.Response.Body);
        w.WriteStartObject();
        w.WriteBoolean("error", false);
        w.WriteNumber("errorcode", 200);
        w.WriteStartArray("device");
        foreach (var d in all)
        {
            if (!q.Matches(d)) continue;
            var rights = c.Caller.RightsFor(d.Ints[owner], cabinetDept.GetValueOrDefault(d.Ints[cabinet]));
            OdWriter.Write(w, d, q.Attributes, rights, redact: rights == "None");
            if (w.BytesPending > 32 * 1024) await w.FlushAsync(ct);
        }
        w.WriteEndArray();
        w.WriteEndObject();
        await w.FlushAsync(ct);
    }

    // ------------------------------------------------------------------ devices

    private static readonly HashSet<string> NotWritable = new(StringComparer.Ordinal) { "DeviceID", "Rights" };

    private Task CreateDeviceAsync(Call c)
    {
        var label = c.Arg.ToUpperInvariant();
        OdRecord created;
        lock (_inv.Sync)
        {
            var cab = OpenDcimInventory.Find(_inv.Cabinets, OdRecord.PhpInt(c.Params.GetValueOrDefault("Cabinet")));
            if (cab is null) return ErrorAsync(c.Ctx, 404, "Cabinet not found");
            if (c.Caller.RightsFor(0, cab.Int("AssignedTo")) != "Write") return ErrorAsync(c.Ctx, 401, "Access Denied");
            var d = OdSchemas.NewDevice();
            if (c.Params.TryGetValue("TemplateID", out var tid) && OpenDcimInventory.Find(_inv.Templates, OdRecord.PhpInt(tid)) is { } t)
            {
                d.Set("Height", t.Int("Height")).Set("DeviceType", t.Str("DeviceType")).Set("NominalWatts", t.Int("Wattage"))
                    .Set("PowerSupplyCount", t.Int("PSCount")).Set("Ports", t.Int("NumPorts")).Set("Weight", t.Int("Weight"))
                    .Set("ChassisSlots", t.Int("ChassisSlots")).Set("RearChassisSlots", t.Int("RearChassisSlots")).Set("SNMPVersion", t.Str("SNMPVersion"));
            }
            Apply(d, c.Params);
            d.Set("DeviceID", _inv.NewDeviceId()).Set("Label", label);
            _inv.AddDevice(d);
            created = d;
            Ledger(d.Id, "opendcim.device.create", label);
        }
        var rights = c.Caller.RightsFor(created.Int("Owner"), 0);
        // An object, not a list; ids are ints (observed).
        return JsonAsync(c.Ctx, 200, w =>
        {
            w.WritePropertyName("device");
            OdWriter.Write(w, created, null, rights, redact: false);
        });
    }

    private static void Apply(OdRecord d, Dictionary<string, string> parameters)
    {
        foreach (var (name, value) in parameters)
            if (!NotWritable.Contains(name) && d.Schema.ByName.TryGetValue(name, out var f)) d.SetText(f, value);
        if (!OdSchemas.DeviceTypes.Contains(d.Str("DeviceType"))) d.Set("DeviceType", OpenDcimInferred.DefaultDeviceType);
    }

    private Task UpdateDeviceAsync(Call c)
    {
        lock (_inv.Sync)
        {
            var d = _inv.Device(OdRecord.PhpInt(c.Arg));
            if (d is null) return ErrorAsync(c.Ctx, 404, "No device found with DeviceID " + c.Arg);
            var cabDept = OpenDcimInventory.Find(_inv.Cabinets, d.Int("Cabinet"))?.Int("AssignedTo") ?? 0;
            if (c.Caller.RightsFor(d.Int("Owner"), cabDept) != "Write") return ErrorAsync(c.Ctx, 401, "Access Denied");
            if (c.Params.TryGetValue("Cabinet", out var cabinet) && OpenDcimInventory.Find(_inv.Cabinets, OdRecord.PhpInt(cabinet)) is null)
                return ErrorAsync(c.Ctx, 401, OpenDcimInferred.UpdateFailed);
            var changed = c.Params.Keys.Where(k => !NotWritable.Contains(k) && OdSchemas.Device.ByName.ContainsKey(k)).ToList();
            if (changed.Count > 0)
            {
                var u = d.Clone();
                Apply(u, c.Params);
                if (OpenDcimInferred.UpdateUpperCasesLabel) u.Set("Label", u.Str("Label")?.ToUpperInvariant());
                _inv.AddDevice(u);
                Ledger(u.Id, "opendcim.device.update", string.Join(",", changed));
            }
        }
        return BareOkAsync(c.Ctx);
    }

    private Task DeleteDeviceAsync(Call c)
    {
        lock (_inv.Sync)
        {
            var d = _inv.Device(OdRecord.PhpInt(c.Arg));
            if (d is null) return ErrorAsync(c.Ctx, 404, "Device doesn't exist");
            var cabDept = OpenDcimInventory.Find(_inv.Cabinets, d.Int("Cabinet"))?.Int("AssignedTo") ?? 0;
            // POST refuses with 401, DELETE with 403 (observed).
            if (c.Caller.RightsFor(d.Int("Owner"), cabDept) != "Write") return ErrorAsync(c.Ctx, 403, "Unauthorized");
            _inv.RemoveDevice(d.Id);
            Ledger(d.Id, "opendcim.device.delete", d.Str("Label"));
        }
        return BareOkAsync(c.Ctx);
    }

    // ------------------------------------------------------------------ cabinets, departments, people

    private Task CreateCabinetAsync(Call c)
    {
        OdRecord cab;
        lock (_inv.Sync)
        {
            if (!c.Caller.SiteAdmin) return ErrorAsync(c.Ctx, 401, "Access Denied");
            if (new[] { "DataCenterID", "Location", "CabinetHeight" }.Any(k => string.IsNullOrEmpty(c.Params.GetValueOrDefault(k))))
                return ErrorAsync(c.Ctx, 400, OpenDcimInferred.CabinetMissingParameters);
            if (OpenDcimInventory.Find(_inv.DataCenters, OdRecord.PhpInt(c.Params["DataCenterID"])) is null)
                return ErrorAsync(c.Ctx, 400, OpenDcimInferred.ResourceDoesNotExist);
            cab = OdSchemas.NewCabinet();
            ApplyAll(cab, c.Params);
            cab.Set("CabinetID", OpenDcimInventory.NextId(_inv.Cabinets));
            if (!c.Params.ContainsKey("LocationSortable")) cab.Set("LocationSortable", cab.Str("Location"));
            _inv.Cabinets.Add(cab);
            Ledger(cab.Id, "opendcim.cabinet.create", cab.Str("Location"));
        }
        // Keyed by id, every value a string, unset numbers "" (the in-memory object, observed).
        return KeyedAsync(c.Ctx, "cabinet", cab, Given(cab.Schema, c.Params), allStrings: true);
    }

    private Task UpdateCabinetAsync(Call c)
    {
        OdRecord cab;
        lock (_inv.Sync)
        {
            if (!c.Caller.SiteAdmin) return ErrorAsync(c.Ctx, OpenDcimInferred.SiteAdminRefusalStatus, "Access Denied");
            var old = OpenDcimInventory.Find(_inv.Cabinets, OdRecord.PhpInt(c.Arg));
            if (old is null) return ErrorAsync(c.Ctx, 400, OpenDcimInferred.ResourceDoesNotExist);
            cab = old.Clone();
            ApplyAll(cab, c.Params);
            OpenDcimInventory.Replace(_inv.Cabinets, cab);
            Ledger(cab.Id, "opendcim.cabinet.update", string.Join(",", c.Params.Keys));
        }
        return KeyedAsync(c.Ctx, "cabinet", cab, Given(cab.Schema, c.Params), allStrings: false);
    }

    private Task DeleteCabinetAsync(Call c)
    {
        lock (_inv.Sync)
        {
            if (!c.Caller.SiteAdmin) return ErrorAsync(c.Ctx, OpenDcimInferred.SiteAdminRefusalStatus, "Access Denied");
            var cab = OpenDcimInventory.Find(_inv.Cabinets, OdRecord.PhpInt(c.Arg));
            if (cab is null) return ErrorAsync(c.Ctx, 404, "Failed to delete cabinet with CabinetID " + c.Arg);
            _inv.Cabinets.Remove(cab);
            if (OpenDcimInferred.DeletingCabinetDeletesItsDevices)
                foreach (var d in _inv.AllDevices.Where(d => d.Int("Cabinet") == cab.Id).ToList())
                {
                    _inv.RemoveDevice(d.Id);
                    Ledger(d.Id, "opendcim.device.delete", d.Str("Label"));
                }
            Ledger(cab.Id, "opendcim.cabinet.delete", cab.Str("Location"));
        }
        return BareOkAsync(c.Ctx);
    }

    private Task CreateDepartmentAsync(Call c)
    {
        OdRecord dept;
        var name = c.Arg;
        lock (_inv.Sync)
        {
            if (!c.Caller.SiteAdmin) return ErrorAsync(c.Ctx, OpenDcimInferred.SiteAdminRefusalStatus, "Access Denied");
            if (_inv.Departments.Any(d => string.Equals(d.Str("Name"), name, StringComparison.OrdinalIgnoreCase)))
                // The unique key fails inside PDO; Slim shows its error page with the stack trace (observed).
                return TextAsync(c.Ctx, 500, OpenDcimPages.SlimHtmlContentType, OpenDcimPages.DuplicateDepartment(name));
            dept = OdSchemas.Department.New();
            ApplyAll(dept, c.Params);
            dept.Set("DeptID", OpenDcimInventory.NextId(_inv.Departments)).Set("Name", name);
            var stored = dept.Clone();
            if (string.IsNullOrEmpty(stored.Str("DeptColor"))) stored.Set("DeptColor", OpenDcimInferred.DefaultDeptColor);
            _inv.Departments.Add(stored);
            Ledger(dept.Id, "opendcim.department.create", name);
        }
        var given = new Dictionary<string, string>(Given(dept.Schema, c.Params)) { ["Name"] = name };
        return KeyedAsync(c.Ctx, "department", dept, given, allStrings: true);
    }

    private Task CreatePersonAsync(Call c)
    {
        OdRecord person;
        var userId = c.Arg;
        lock (_inv.Sync)
        {
            if (_inv.PersonByUserId(userId) is not null)
                return ErrorAsync(c.Ctx, 403, "UserID already in database.  Use the update API to modify record.");
            // The route sets 401 for a non-ContactAdmin but falls through and creates the person anyway (observed bug).
            person = OdSchemas.NewPerson();
            ApplyAll(person, c.Params);
            person.Set("PersonID", OpenDcimInventory.NextId(_inv.People)).Set("UserID", userId);
            _inv.People.Add(person);
            Ledger(person.Id, "opendcim.people.create", userId);
        }
        var given = new Dictionary<string, string>(Given(person.Schema, c.Params)) { ["UserID"] = userId };
        return JsonAsync(c.Ctx, 200, w =>
        {
            w.WritePropertyName("people");
            OdWriter.WriteInMemory(w, person, given, allStrings: true);
        });
    }

    private Task UpdatePersonAsync(Call c)
    {
        OdRecord person;
        lock (_inv.Sync)
        {
            if (!c.Caller.ContactAdmin) return ErrorAsync(c.Ctx, 401, "Access Denied");
            var old = _inv.PersonByUserId(c.Arg);
            if (old is null && OpenDcimInferred.PeopleUpdateAcceptsPersonId && long.TryParse(c.Arg, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                old = OpenDcimInventory.Find(_inv.People, pid);
            if (old is null) return ErrorAsync(c.Ctx, 404, $"UserID={c.Arg} not found in database.");
            person = old.Clone();
            ApplyAll(person, c.Params);
            OpenDcimInventory.Replace(_inv.People, person);
            Ledger(person.Id, "opendcim.people.update", string.Join(",", c.Params.Keys));
        }
        var given = Given(person.Schema, c.Params);
        return JsonAsync(c.Ctx, 200, w =>
        {
            w.WriteString("message", $"People resource for UserID={person.Str("UserID")} updated successfully.");
            w.WritePropertyName("people");
            OdWriter.WriteInMemory(w, person, given, allStrings: false);
        });
    }

    /// <summary>Sets every named property except the id (and dynamic ones).</summary>
    private static void ApplyAll(OdRecord r, Dictionary<string, string> parameters)
    {
        foreach (var (name, value) in parameters)
            if (r.Schema.ByName.TryGetValue(name, out var f) && f != r.Schema.Id && f.Kind != OdKind.Dynamic) r.SetText(f, value);
    }

    private static IReadOnlyDictionary<string, string> Given(OdSchema schema, Dictionary<string, string> parameters) =>
        parameters.Where(p => schema.ByName.TryGetValue(p.Key, out var f) && f != schema.Id && f.Kind != OdKind.Dynamic)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private Task KeyedAsync(HttpContext ctx, string key, OdRecord r, IReadOnlyDictionary<string, string> given, bool allStrings) =>
        JsonAsync(ctx, 200, w =>
        {
            w.WriteStartObject(key);
            w.WritePropertyName(r.Id.ToString(CultureInfo.InvariantCulture));
            OdWriter.WriteInMemory(w, r, given, allStrings);
            w.WriteEndObject();
        });

    private void Ledger(long id, string operation, string? detail)
    {
        lock (_state.Sync) _state.AddLedger(0, (int)id, operation, DateTimeOffset.UtcNow, detail);
    }

    // ------------------------------------------------------------------ writing

    private static void SessionHeaders(HttpContext ctx)
    {
        // PHP's session on every answer (observed); the cookie is never honoured (OpenDcimInferred.SessionCookieBypassesHeaders).
        ctx.Response.Headers.SetCookie = "PHPSESSID=" + Guid.NewGuid().ToString("N")[..26] + "; path=/";
        ctx.Response.Headers.Expires = "Thu, 19 Nov 1981 08:52:00 GMT";
        ctx.Response.Headers.CacheControl = "no-store, no-cache, must-revalidate";
        ctx.Response.Headers.Pragma = "no-cache";
    }

    private static Task JsonAsync(HttpContext ctx, int status, Action<Utf8JsonWriter> payload)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("error", status >= 300);
            w.WriteNumber("errorcode", status);
            payload(w);
            w.WriteEndObject();
        }
        return BytesAsync(ctx, status, OpenDcimPages.JsonContentType, buffer.WrittenMemory);
    }

    /// <summary>POST and DELETE answer only the flags, no object (observed).</summary>
    private static Task BareOkAsync(HttpContext ctx) => JsonAsync(ctx, 200, _ => { });

    private static Task ErrorAsync(HttpContext ctx, int status, string message) =>
        JsonAsync(ctx, status, w => w.WriteString("message", message));

    private static bool WantsJson(HttpContext ctx) =>
        ctx.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    private static Task SlimNotFoundAsync(HttpContext ctx) => WantsJson(ctx)
        ? SlimJsonAsync(ctx, 404, "Not found")
        : TextAsync(ctx, 404, OpenDcimPages.SlimHtmlContentType, OpenDcimPages.SlimNotFound());

    private static Task SlimMethodNotAllowedAsync(HttpContext ctx, string allowed)
    {
        ctx.Response.Headers.Allow = allowed;
        return WantsJson(ctx)
            ? SlimJsonAsync(ctx, 405, "Method not allowed. Must be one of: " + allowed)
            : TextAsync(ctx, 405, OpenDcimPages.SlimHtmlContentType, OpenDcimPages.SlimMethodNotAllowed(allowed));
    }

    /// <summary>Slim's own JSON error: {"message": …}, no openDCIM envelope.</summary>
    private static Task SlimJsonAsync(HttpContext ctx, int status, string message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteEndObject();
        }
        return BytesAsync(ctx, status, "application/json", buffer.WrittenMemory);
    }

    private static Task ApacheAsync(HttpContext ctx, int status)
    {
        var host = ctx.Request.Host;
        return TextAsync(ctx, status, OpenDcimPages.ApacheContentType,
            OpenDcimPages.Apache(status, host.Host, host.Port ?? (ctx.Request.IsHttps ? 443 : 80)));
    }

    private static Task TextAsync(HttpContext ctx, int status, string contentType, string text) =>
        BytesAsync(ctx, status, contentType, Encoding.UTF8.GetBytes(text));

    private static async Task BytesAsync(HttpContext ctx, int status, string contentType, ReadOnlyMemory<byte> bytes)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }
}
