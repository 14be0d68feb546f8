using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace DciManager.Simulator;

internal readonly record struct ApiResult(int Status, ArrayBufferWriter<byte> Body);

internal sealed class Ctx
{
    public required string Method;
    public required string[] P;
    public required IQueryCollection Query;
    public JsonElement Body;
    public User? User;
    public DateTimeOffset Now;
    public User Me => User!;
    public bool IsAdmin => User?.IsAdmin == true;
    public void RequireAdmin() { if (!IsAdmin) throw ApiException.Forbidden(); }
}

/// <summary>Routes and handlers of auth/v4, dci/v3 and ip/v3. Handlers run under <see cref="SimulatorState.Sync"/>.</summary>
internal sealed partial class Api
{
    private sealed record Route(string Service, string[] Pattern, string Method, bool Public, Func<Ctx, ApiResult> Handler);

    private readonly SimulatorState S;
    private readonly List<Route> _routes = new();
    private readonly FieldSet _serverFields, _addressFields, _userFields, _taskFields, _templateFields, _locationFields, _networkFields, _poolFields, _configFields;

    private static readonly string[] Actions =
        { "power_on", "power_off", "power_reset", "suspend", "resume", "operation_diag", "operation_clear_hdd", "operation_os" };

    public Api(SimulatorState state)
    {
        S = state;
        (_serverFields, _addressFields, _userFields, _taskFields, _templateFields, _locationFields, _networkFields, _poolFields, _configFields) = Prototypes();

        Add("auth/v4", "public/token", "POST", PublicToken, isPublic: true);
        Add("auth/v4", "public/key", "POST", PublicKey, isPublic: true);
        Add("auth/v4", "user/{}/key", "POST", UserKey);
        Add("auth/v4", "user", "GET", UserList);
        Add("auth/v4", "token", "POST", LongToken);
        Add("auth/v4", "setting/{}", "POST", AuthSetting);
        Add("auth/v4", "setting/{}", "GET", AuthSettingGet);
        Add("auth/v4", "whoami", "GET", WhoAmI);

        Add("dci/v3", "server", "GET", ServerList);
        Add("dci/v3", "server/configuration", "GET", Configurations);
        Add("dci/v3", "server/{}", "GET", ServerGet);
        Add("dci/v3", "server/{}/ip", "GET", ServerIpList);
        Add("dci/v3", "server/{}/ip", "POST", AddIp);
        Add("dci/v3", "server/{}/ip/{}", "POST", RemoveIp);
        Add("dci/v3", "server/{}/ip/{}", "DELETE", RemoveIp);
        Add("dci/v3", "server/{}/owner", "POST", OwnerSet);
        Add("dci/v3", "server/{}/owner", "DELETE", OwnerDelete);
        foreach (var a in Actions) { var op = a; Add("dci/v3", "server/{}/" + op, "POST", c => StartAction(c, op)); }
        Add("dci/v3", "user", "GET", UserList);
        Add("dci/v3", "user", "POST", UserCreate);
        Add("dci/v3", "user/{}", "GET", UserGet);
        Add("dci/v3", "user/{}", "DELETE", UserDelete);
        Add("dci/v3", "ip", "GET", IpList);
        Add("dci/v3", "os_template", "GET", c => SmallList(S.Templates, SimulatorState.WriteTemplate, _templateFields, c));
        Add("dci/v3", "os_template/{}", "GET", c => One(S.Templates.FirstOrDefault(t => t.Id == Id(c.P[0])), SimulatorState.WriteTemplate, "OS template", c.P[0]));
        Add("dci/v3", "location", "GET", c => SmallList(S.Locations, SimulatorState.WriteLocation, _locationFields, c));
        Add("dci/v3", "location/{}", "GET", c => One(S.Locations.FirstOrDefault(t => t.Id == Id(c.P[0])), SimulatorState.WriteLocation, "location", c.P[0]));
        Add("dci/v3", "task", "GET", TaskList);
        Add("dci/v3", "task/{}", "GET", TaskGet);
        Add("dci/v3", "setting/{}", "POST", DciSetting);

        Add("ip/v3", "ipnet", "GET", c => SmallList(S.Networks, S.WriteNetwork, _networkFields, c));
        Add("ip/v3", "ipnet/{}", "GET", c => One(S.Networks.FirstOrDefault(t => t.Id == Id(c.P[0])), S.WriteNetwork, "network", c.P[0]));
        Add("ip/v3", "ippool", "GET", c => SmallList(S.Pools, S.WritePool, _poolFields, c));
        Add("ip/v3", "ippool/{}", "GET", c => One(S.Pools.FirstOrDefault(t => t.Id == Id(c.P[0])), S.WritePool, "pool", c.P[0]));
        Add("ip/v3", "ip", "GET", IpList);
        AddInventoryRoutes();
    }

    private void Add(string service, string pattern, string method, Func<Ctx, ApiResult> handler, bool isPublic = false) =>
        _routes.Add(new Route(service, pattern.Split('/'), method, isPublic, handler));

    // ------------------------------------------------------------------ dispatch

    /// <summary>Finds the route; throws 404/405. Returns the route index and captured parameters.</summary>
    public (int Route, string[] Params) Match(string method, string path)
    {
        if (method is not ("GET" or "POST" or "DELETE")) throw ApiException.MethodNotAllowed(method);
        var segs = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int start = segs.Length > 0 && segs[0] == "api" ? 1 : 0;
        if (segs.Length - start < 3) throw ApiException.NotFound($"Unknown path {path}");
        var service = segs[start] + "/" + segs[start + 1];
        int n = segs.Length - start - 2;
        bool pathMatched = false;
        for (int r = 0; r < _routes.Count; r++)
        {
            var route = _routes[r];
            if (route.Service != service || route.Pattern.Length != n) continue;
            bool ok = true;
            for (int i = 0; i < n && ok; i++)
            {
                var p = route.Pattern[i];
                if (p != "{}" && p != segs[start + 2 + i]) ok = false;
            }
            if (!ok) continue;
            // A literal route (server/configuration) wins over a parameter route (server/{id}) for GET.
            if (route.Method != method) { pathMatched = true; continue; }
            var ps = new List<string>();
            for (int i = 0; i < n; i++) if (route.Pattern[i] == "{}") ps.Add(Uri.UnescapeDataString(segs[start + 2 + i]));
            return (r, ps.ToArray());
        }
        if (pathMatched) throw ApiException.MethodNotAllowed(method);
        throw ApiException.NotFound($"Unknown path {path}");
    }

    public bool IsPublic(int route) => _routes[route].Public;

    /// <summary>Runs a matched route under the state lock: advance tasks, authenticate, execute.</summary>
    public ApiResult Execute(int route, Ctx c, string? token, Exception? bodyError)
    {
        lock (S.Sync)
        {
            c.Now = S.Now;
            S.Advance(c.Now);
            var r = _routes[route];
            if (!r.Public)
            {
                c.User = S.Authenticate(token, c.Now) ?? throw ApiException.Unauthorized();
            }
            if (bodyError is not null) throw bodyError;
            return r.Handler(c);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static ApiResult Ok(ArrayBufferWriter<byte> body, int status = 200) => new(status, body);
    private static ApiResult Ok(Action<Utf8JsonWriter> write, int status = 200) => new(status, Json.Build(write));
    private static ApiResult Empty() => Ok(w => { w.WriteStartObject(); w.WriteEndObject(); });
    private static ApiResult IdTask(int id, long task) => Ok(w => { w.WriteStartObject(); w.WriteNumber("id", id); w.WriteNumber("task", task); w.WriteEndObject(); });
    private static ApiResult IdOnly(int id, int status = 200) => Ok(w => { w.WriteStartObject(); w.WriteNumber("id", id); w.WriteEndObject(); }, status);

    private static int Id(string p) => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;

    private sealed class Item
    {
        public ReadOnlyMemory<byte> Json;
        private JsonElement _el;
        public JsonElement Element
        {
            get
            {
                if (_el.ValueKind == JsonValueKind.Undefined)
                {
                    using var d = JsonDocument.Parse(Json);
                    _el = d.RootElement.Clone();
                }
                return _el;
            }
        }
    }

    private static Item ToItem<T>(T x, Action<Utf8JsonWriter, T> write) => new() { Json = Json.Build(w => write(w, x), 512).WrittenMemory };

    private static ApiResult SmallList<T>(IEnumerable<T> items, Action<Utf8JsonWriter, T> write, FieldSet fields, Ctx c)
    {
        var list = items.Select(x => ToItem(x, write)).ToList();
        return Ok(ListQuery.Execute(list, i => i.Json, i => i.Element, fields, c.Query));
    }

    private static ApiResult One<T>(T? item, Action<Utf8JsonWriter, T> write, string what, string id) where T : class =>
        item is null ? throw ApiException.NotFound($"{what} {id} not found") : Ok(w => write(w, item));

    private static JsonElement Field(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) ? v : default;

    private static string? Str(JsonElement body, string name)
    {
        var v = Field(body, name);
        return v.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.String => v.GetString(),
            _ => throw ApiException.BadRequest(name, $"{name} must be a string"),
        };
    }

    private static int? Int(JsonElement body, string name)
    {
        var v = Field(body, name);
        switch (v.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null: return null;
            case JsonValueKind.Number when v.TryGetInt32(out var i): return i;
            case JsonValueKind.String when int.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var j): return j;
            default: throw ApiException.BadRequest(name, $"{name} must be an integer");
        }
    }

    private static bool? Bool(JsonElement body, string name)
    {
        var v = Field(body, name);
        return v.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(v.GetString(), out var b) => b,
            _ => throw ApiException.BadRequest(name, $"{name} must be a boolean"),
        };
    }

    private static string Require(string? v, string name) => string.IsNullOrEmpty(v) ? throw ApiException.BadRequest(name, $"{name} is required") : v;

    private Server VisibleServer(Ctx c, string idText)
    {
        int id = Id(idText);
        if (id < 1 || id > S.Servers.Count) throw ApiException.NotFound($"Server {idText} not found");
        var s = S.Servers[id - 1];
        if (!c.IsAdmin && s.OwnerId != c.Me.Id) throw ApiException.NotFound($"Server {idText} not found");
        return s;
    }

    private IReadOnlyList<Server> VisibleServers(Ctx c) => c.IsAdmin ? S.Servers : S.Servers.Where(s => s.OwnerId == c.Me.Id).ToList();

    private User FindUserByRef(string r)
    {
        int id = Id(r);
        var u = id > 0 ? S.FindUser(id) : S.Users.FirstOrDefault(x => string.Equals(x.Email, r, StringComparison.OrdinalIgnoreCase));
        return u ?? throw ApiException.NotFound($"User {r} not found");
    }

    // ------------------------------------------------------------------ prototypes (filterable fields)

    private (FieldSet, FieldSet, FieldSet, FieldSet, FieldSet, FieldSet, FieldSet, FieldSet, FieldSet) Prototypes()
    {
        var net = S.Networks[0];
        var addr = new Address { Id = 1, Name = "203.0.113.9", Net = net, Pool = S.Pools[0], Domain = "x", ServerId = 1 };
        var task = new SimTask { Id = 1, Name = "power_on", ServerId = 1, Status = "complete", FinishedAt = DateTimeOffset.UnixEpoch, FailMessage = "x" };
        var srv = new Server
        {
            Id = 1, Name = "x", OwnerId = 1, Operation = task, OsTemplateId = S.Templates[0].Id, Location = S.Locations[0],
            Hardware = new Hardware { Disks = new[] { ("x", 1, "ssd") } },
            Switches = { new SwitchConnection() }, Ips = { addr },
        };
        FieldSet Of(Action<Utf8JsonWriter> write) => FieldSet.FromPrototype(Json.Build(write).WrittenSpan);
        return (
            Of(w => S.WriteServer(w, srv)),
            Of(w => S.WriteAddress(w, addr)),
            Of(w => S.WriteUser(w, S.Users[0])),
            Of(w => S.WriteTask(w, task)),
            Of(w => SimulatorState.WriteTemplate(w, S.Templates[0])),
            Of(w => SimulatorState.WriteLocation(w, S.Locations[0])),
            Of(w => S.WriteNetwork(w, net)),
            Of(w => S.WritePool(w, S.Pools[0])),
            Of(w => WriteConfiguration(w, ("x", 1))));
    }

    private static void WriteConfiguration(Utf8JsonWriter w, (string Name, int Free) c)
    {
        w.WriteStartObject();
        w.WriteString("configuration", c.Name);
        w.WriteNumber("free_server_count", c.Free);
        w.WriteEndObject();
    }
}
