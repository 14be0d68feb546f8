using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DciManager.Simulator.Imco;

/// <summary>A refusal in one of IMCO's three error body forms.</summary>
internal sealed class ImcoException : Exception
{
    private ImcoException(int status, string message, Dictionary<string, List<string>>? errors, bool raw) : base(message)
    {
        Status = status; Errors = errors; Raw = raw;
    }

    public int Status { get; }
    /// <summary>Validation form {"errors":{field:[msg]}} when set.</summary>
    public Dictionary<string, List<string>>? Errors { get; }
    /// <summary>Raw text body (no JSON) when true.</summary>
    public bool Raw { get; }

    public static ImcoException General(int status, string message) => new(status, message, null, false);
    public static ImcoException Text(int status, string text) => new(status, text, null, true);
    public static ImcoException Validation(Dictionary<string, List<string>> errors) =>
        new(ImcoInferred.ValidationStatus, "Validation failed", errors, false);
    public static ImcoException Invalid(string field, string message) => Validation(new() { [field] = new() { message } });
    public static ImcoException NotFound(string kind) => General(ImcoInferred.NotFoundStatus, kind + " not found");
}

/// <summary>Collects field messages; throws one 422 listing all of them.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = new();
        list.Add(message);
    }
    public void ThrowIfAny() { if (_errors.Count > 0) throw ImcoException.Validation(_errors); }
}

/// <summary>
/// The IMCO platform in memory: resources as JSON objects (their wire shape), servers with their pending state steps.
/// Every access runs under the host's <see cref="SimulatorState.Sync"/>, so the shared ledger needs no second lock.
/// </summary>
internal sealed class ImcoStore
{
    private readonly SimulatorState _state;
    private readonly TimeSpan _step;
    private readonly Random _random;
    private readonly HashSet<string> _usedIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> _collections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _byId = new(StringComparer.Ordinal);
    private readonly List<ImcoServer> _servers = new();
    private readonly Dictionary<string, ImcoServer> _serverById = new(StringComparer.Ordinal);
    private readonly HashSet<ImcoServer> _moving = new();
    private readonly List<JsonObject> _auditEvents = new();
    private int _nextServerIndex;
    private long _nextLedgerId;

    internal sealed class ImcoServer
    {
        public required JsonObject Json { get; init; }
        public required int Index { get; init; }
        public string Id => (string)Json["id"]!;
        public string Name => (string)Json["name"]!;
        public string State { get => (string)Json["state"]!; set => Json["state"] = value; }
        public readonly Queue<(DateTimeOffset At, string State)> Steps = new();
        public readonly List<JsonObject> Events = new();
        public bool Gone;
    }

    public ImcoStore(SimulatorState state, SimulatorOptions options)
    {
        _state = state;
        _step = options.OperationDuration ?? ImcoInferred.StepDuration;
        _random = new Random(options.Seed);
        lock (state.Sync) Seed(Math.Max(0, options.Servers));
    }

    public object Sync => _state.Sync;

    /// <summary>The simulator's clock (SimulatorOptions.Clock).</summary>
    public DateTimeOffset Now => _state.Now;

    // ------------------------------------------------------------------ seed

    private string NewId()
    {
        Span<byte> b = stackalloc byte[12];
        string id;
        do { _random.NextBytes(b); id = Convert.ToHexString(b).ToLowerInvariant(); } while (!_usedIds.Add(id));
        return id;
    }

    private JsonObject Add(string collection, JsonObject o)
    {
        var id = NewId();
        var withId = new JsonObject { ["id"] = id };
        foreach (var (k, v) in o.ToList()) { o.Remove(k); withId[k] = v; }
        if (!_collections.TryGetValue(collection, out var list)) _collections[collection] = list = new();
        list.Add(withId);
        _byId[id] = withId;
        return withId;
    }

    private IReadOnlyList<JsonObject> All(string collection) =>
        _collections.TryGetValue(collection, out var list) ? list : (IReadOnlyList<JsonObject>)Array.Empty<JsonObject>();

    private static string S(JsonObject o, string key) => (string?)o[key] ?? "";

    private void Seed(int serverCount)
    {
        var now = _state.Now;
        var providers = new[] { ("AWS", "Amazon Web Services", new[] { "us-east-1", "eu-west-1" }, "t3"),
                                ("Microsoft Azure", "Azure", new[] { "westeurope", "eastus" }, "Standard_B"),
                                ("Google Cloud", "GCE", new[] { "europe-west1", "us-central1" }, "e2") };
        var plans = new[] { ("small", 2048, 1.0, 20), ("medium", 4096, 2.0, 40), ("large", 8192, 4.0, 80) };
        int location = 0;
        foreach (var (name, provider, realms, flavour) in providers)
        {
            var p = Add("cloud_providers", new JsonObject { ["name"] = name });
            var pid = S(p, "id");
            foreach (var realmName in realms)
            {
                var locationId = NewId();
                location++;
                var r = Add("realms", new JsonObject
                {
                    ["name"] = realmName, ["location_id"] = locationId, ["cloud_provider_id"] = pid,
                    ["provider_name"] = realmName, ["deprecated"] = false, ["resource_type"] = "realm",
                });
                foreach (var (size, memory, cpus, storage) in plans)
                {
                    Add("server_plans", new JsonObject
                    {
                        ["name"] = $"{realmName} {size}", ["memory"] = memory, ["cpus"] = cpus, ["storage"] = storage,
                        ["location_id"] = locationId, ["realm_id"] = S(r, "id"), ["realm_provider_name"] = realmName,
                        ["flavour_provider_name"] = $"{flavour}.{size}", ["cloud_provider_id"] = pid, ["resource_type"] = "server_plan",
                    });
                }
                Add("storage_plans", new JsonObject
                {
                    ["name"] = $"{realmName} standard disk", ["min_size"] = 1, ["max_size"] = 1024, ["cloud_provider_id"] = pid,
                    ["location_id"] = locationId, ["realm_id"] = S(r, "id"), ["realm_provider_name"] = realmName,
                    ["flavour_provider_name"] = "standard", ["deprecated"] = false, ["resource_type"] = "storage_plan",
                });
            }
            Add("cloud_accounts", new JsonObject
            {
                ["name"] = $"{provider} production", ["subscription_id"] = null, ["remote_id"] = $"acct-{location:D4}",
                ["cloud_provider_id"] = pid, ["supports_importing"] = true, ["supports_importing_vpcs"] = true,
                ["supports_importing_floating_ips"] = true, ["supports_importing_volumes"] = true, ["supports_importing_policies"] = false,
                ["state"] = "idle", ["error_event_id"] = null, ["resource_type"] = "cloud_account",
            });
        }

        foreach (var image in new[] { "Ubuntu 22.04 x86_64", "Debian 12 x86_64", "Rocky Linux 9 x86_64", "Windows Server 2022" })
            Add("generic_images", new JsonObject { ["name"] = image });
        var images = All("generic_images");
        var templateNames = new[] { ("Ubuntu 22.04 web", 0), ("Ubuntu 22.04 base", 0), ("Debian 12 database", 1), ("Rocky 9 application", 2), ("Windows 2022 base", 3) };
        foreach (var (name, image) in templateNames)
        {
            Add("templates", new JsonObject
            {
                ["name"] = name, ["generic_image_id"] = S(images[image], "id"), ["run_list"] = new JsonArray(),
                ["configuration_attributes"] = new JsonObject(), ["cookbook_versions"] = new JsonObject(),
                ["state"] = "compiled", ["resource_type"] = "template", ["label_ids"] = new JsonArray(),
            });
        }
        foreach (var name in new[] { "default", "operations" })
        {
            Add("ssh_profiles", new JsonObject
            {
                ["name"] = name, ["public_key"] = $"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{name}simulatorkey {name}@imco-sim",
                ["private_key"] = null, ["resource_type"] = "ssh_profile", ["label_ids"] = new JsonArray(),
            });
        }
        Add("firewall_profiles", new JsonObject
        {
            ["name"] = "Default", ["description"] = "Default firewall profile: SSH only", ["default"] = true,
            ["rules"] = new JsonArray(Rule("tcp", 22, 22, "0.0.0.0/0")), ["resource_type"] = "firewall_profile", ["label_ids"] = new JsonArray(),
        });
        Add("firewall_profiles", new JsonObject
        {
            ["name"] = "Web", ["description"] = "SSH, HTTP and HTTPS", ["default"] = false,
            ["rules"] = new JsonArray(Rule("tcp", 22, 22, "0.0.0.0/0"), Rule("tcp", 80, 80, "0.0.0.0/0"), Rule("tcp", 443, 443, "0.0.0.0/0")),
            ["resource_type"] = "firewall_profile", ["label_ids"] = new JsonArray(),
        });
        var accounts = All("cloud_accounts");
        for (int v = 0; v < 2; v++)
        {
            var vpc = Add("vpcs", new JsonObject
            {
                ["name"] = $"vpc-{v + 1}", ["cidr"] = $"10.{v + 1}.0.0/16", ["state"] = "available", ["cloud_account_id"] = S(accounts[v], "id"),
                ["realm_provider_name"] = S(RealmsOf(S(accounts[v], "cloud_provider_id"))[0], "provider_name"), ["has_vpn"] = false,
                ["allowed_subnet_types"] = new JsonArray("public", "private"), ["brownfield"] = false, ["resource_type"] = "vpc", ["label_ids"] = new JsonArray(),
            });
            for (int n = 0; n < 2; n++)
            {
                Add("subnets", new JsonObject
                {
                    ["name"] = $"vpc-{v + 1}-{(n == 0 ? "public" : "private")}", ["cidr"] = $"10.{v + 1}.{n}.0/24", ["state"] = "available",
                    ["type"] = n == 0 ? "public" : "private", ["vpc_id"] = S(vpc, "id"), ["server_creation_disabled"] = false,
                    ["brownfield"] = false, ["resource_type"] = "subnet",
                });
            }
        }
        for (int i = 0; i < ImcoInferred.FloatingIpCount; i++)
        {
            var account = accounts[i % accounts.Count];
            Add("floating_ips", new JsonObject
            {
                ["name"] = $"fip-{i + 1:D2}", ["address"] = $"198.51.100.{i + 10}", ["state"] = "detached", ["cloud_account_id"] = S(account, "id"),
                ["realm_id"] = S(RealmsOf(S(account, "cloud_provider_id"))[0], "id"), ["attached_server_id"] = null,
                ["brownfield"] = false, ["resource_type"] = "floating_ip", ["label_ids"] = new JsonArray(),
            });
        }
        for (int i = 0; i < ImcoInferred.VolumeCount; i++)
        {
            var account = accounts[i % accounts.Count];
            var plan = All("storage_plans").First(p => S(p, "cloud_provider_id") == S(account, "cloud_provider_id"));
            Add("volumes", new JsonObject
            {
                ["name"] = $"vol-{i + 1:D2}", ["size"] = 10 * (1 + i % 5), ["state"] = "detached", ["device"] = null,
                ["storage_plan_id"] = S(plan, "id"), ["cloud_account_id"] = S(account, "id"), ["realm_id"] = S(plan, "realm_id"),
                ["attached_server_id"] = null, ["brownfield"] = false, ["resource_type"] = "volume", ["label_ids"] = new JsonArray(),
            });
        }

        var roles = new[] { "web", "db", "app", "cache" };
        var templates = All("templates");
        var ssh = All("ssh_profiles");
        var firewall = All("firewall_profiles");
        for (int i = 1; i <= serverCount; i++)
        {
            var account = accounts[(i - 1) % accounts.Count];
            var providerPlans = All("server_plans").Where(p => S(p, "cloud_provider_id") == S(account, "cloud_provider_id")).ToList();
            var plan = providerPlans[(i - 1) / accounts.Count % providerPlans.Count];
            var s = NewServer($"{roles[(i - 1) % roles.Length]}-{i:D3}", S(templates[(i - 1) % templates.Count], "id"), S(plan, "id"),
                S(account, "id"), S(firewall[(i - 1) % firewall.Count], "id"), new[] { S(ssh[0], "id") }, null, null, new JsonArray());
            s.State = "operational";
            AssignAddresses(s);
            AddServerEvent(s, now, "info", "Server commissioned", "The server was commissioned");
            AddServerEvent(s, now, "info", "Server operational", "The server is operational");
        }
        Audit(now, "Customer ready", $"{serverCount} servers, {templates.Count} templates and {accounts.Count} cloud accounts seeded");
    }

    private static JsonObject Rule(string protocol, int min, int max, string source) =>
        new() { ["ip_protocol"] = protocol, ["min_port"] = min, ["max_port"] = max, ["source"] = source };

    private List<JsonObject> RealmsOf(string providerId) => All("realms").Where(r => S(r, "cloud_provider_id") == providerId).ToList();

    private ImcoServer NewServer(string name, string templateId, string planId, string accountId, string firewallId, IReadOnlyList<string> sshIds,
        string? subnetId, string? vpcId, JsonArray labels)
    {
        var id = NewId();
        var plan = _byId[planId];
        var json = new JsonObject
        {
            ["id"] = id, ["name"] = name, ["fqdn"] = $"{name}.{S(plan, "realm_provider_name")}.imco-sim.example", ["state"] = "commissioning",
            ["public_ip"] = null, ["private_ip"] = null, ["template_id"] = templateId, ["server_plan_id"] = planId,
            ["cloud_account_id"] = accountId, ["firewall_profile_id"] = firewallId,
            ["ssh_profile_id"] = sshIds.Count > 0 ? sshIds[0] : null, ["ssh_profile_ids"] = new JsonArray(sshIds.Select(x => (JsonNode?)x).ToArray()),
            ["server_array_id"] = null, ["subnet_id"] = subnetId, ["vpc_id"] = vpcId, ["privateness"] = false,
            ["brownfield_state"] = "Pure", ["resource_type"] = "server", ["label_ids"] = labels,
        };
        var s = new ImcoServer { Json = json, Index = ++_nextServerIndex };
        _servers.Add(s);
        _serverById[id] = s;
        return s;
    }

    private void AssignAddresses(ImcoServer s)
    {
        if (s.Json["public_ip"] is null) s.Json["public_ip"] = $"203.0.{113 + s.Index / 250 % 100}.{1 + s.Index % 250}";
        if (s.Json["private_ip"] is null) s.Json["private_ip"] = $"10.200.{s.Index / 250 % 250}.{1 + s.Index % 250}";
    }

    private void AddServerEvent(ImcoServer s, DateTimeOffset at, string level, string header, string description) =>
        s.Events.Add(Event(at, level, header, $"{description} ({s.Name})"));

    private void Audit(DateTimeOffset at, string header, string description) => _auditEvents.Add(Event(at, "info", header, description));

    private JsonObject Event(DateTimeOffset at, string level, string header, string description) => new()
    {
        ["id"] = NewId(), ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["level"] = level, ["header"] = header, ["description"] = description,
    };

    private void Ledger(string operation, int serverIndex, string id, DateTimeOffset now) =>
        _state.AddLedger(++_nextLedgerId, serverIndex, operation, now, id);

    // ------------------------------------------------------------------ time

    /// <summary>Applies every due state step (called under the lock at the start of every request).</summary>
    public void Advance(DateTimeOffset now)
    {
        if (_moving.Count == 0) return;
        List<ImcoServer>? settled = null;
        foreach (var s in _moving)
        {
            while (s.Steps.Count > 0 && s.Steps.Peek().At <= now)
            {
                var (at, next) = s.Steps.Dequeue();
                if (next == "gone")
                {
                    s.Gone = true;
                    Audit(at, "Server decommissioned", $"Server {s.Name} was decommissioned");
                    continue;
                }
                s.State = next;
                if (next == "operational") AssignAddresses(s);
                bool stalled = next is "stalled" or "commission_stalled";
                AddServerEvent(s, at, stalled ? "error" : "info", "Server " + next.Replace('_', ' '),
                    stalled ? $"The server stalled (simulated failure)" : $"The server is {next.Replace('_', ' ')}");
            }
            if (s.Steps.Count == 0) (settled ??= new()).Add(s);
        }
        if (settled is null) return;
        foreach (var s in settled)
        {
            _moving.Remove(s);
            if (!s.Gone) continue;
            _servers.Remove(s);
            _serverById.Remove(s.Id);
            DetachAll(s.Id);
        }
    }

    private void DetachAll(string serverId)
    {
        foreach (var o in All("floating_ips").Concat(All("volumes")))
        {
            if ((string?)o["attached_server_id"] != serverId) continue;
            o["attached_server_id"] = null;
            o["state"] = "detached";
            if (o.ContainsKey("device")) o["device"] = null;
        }
    }

    private void Schedule(ImcoServer s, DateTimeOffset now, string first, params string[] then)
    {
        s.State = first;
        s.Steps.Clear();
        var at = now;
        foreach (var state in then) { at += _step; s.Steps.Enqueue((at, state)); }
        _moving.Add(s);
        AddServerEvent(s, now, "info", "Server " + first.Replace('_', ' '), $"The server is {first.Replace('_', ' ')}");
    }

    private bool Stalls(ImcoServer s, string operation) =>
        s.Name.Contains(ImcoInferred.StallMarker, StringComparison.OrdinalIgnoreCase) || _state.TakeFailure(operation);

    // ------------------------------------------------------------------ requests (all under the lock)

    internal sealed record Request(string Method, string Version, string[] P, Microsoft.AspNetCore.Http.IQueryCollection Query, JsonElement Body, DateTimeOffset Now);

    internal readonly record struct Reply(int Status, ArrayBufferWriter<byte>? Body);

    private static Reply Json(int status, Action<Utf8JsonWriter> write, int capacity = 1024) => new(status, DciManager.Simulator.Json.Build(write, capacity));
    private static Reply One(JsonObject o, int status = ImcoInferred.OkStatus) => Json(status, w => o.WriteTo(w));
    private static Reply Many(IEnumerable<JsonObject> items, int capacity = 4096) => Json(ImcoInferred.OkStatus, w =>
    {
        w.WriteStartArray();
        foreach (var o in items) o.WriteTo(w);
        w.WriteEndArray();
    }, capacity);
    private static readonly Reply Deleted = new(ImcoInferred.DeletedStatus, null);

    public Reply Ping(Request r) => Json(ImcoInferred.OkStatus, w =>
    {
        w.WriteStartObject(); w.WriteString("status", "ok"); w.WriteString("api_version", r.Version); w.WriteEndObject();
    });

    private ImcoServer ServerOf(string id) =>
        _serverById.TryGetValue(id, out var s) && !s.Gone ? s : throw ImcoException.NotFound("Server");

    private JsonObject Get(string collection, string id, string kind) =>
        _byId.TryGetValue(id, out var o) && All(collection).Contains(o) ? o : throw ImcoException.NotFound(kind);

    public Reply ListServers(Request r) => Many(_servers.Select(s => s.Json), 1024 + _servers.Count * 700);
    public Reply GetServer(Request r) => One(ServerOf(r.P[0]).Json);
    public Reply ServerEvents(Request r) => Many(ServerOf(r.P[0]).Events);
    public Reply ServerFloatingIps(Request r) { var s = ServerOf(r.P[0]); return Many(All("floating_ips").Where(o => (string?)o["attached_server_id"] == s.Id)); }
    public Reply ServerVolumes(Request r) { var s = ServerOf(r.P[0]); return Many(All("volumes").Where(o => (string?)o["attached_server_id"] == s.Id)); }

    public Reply Commission(Request r)
    {
        var errors = new FieldErrors();
        var name = RequiredString(r.Body, "name", errors);
        var template = Reference(r.Body, "template_id", "templates", errors, required: true);
        var plan = Reference(r.Body, "server_plan_id", "server_plans", errors, required: true);
        var account = Reference(r.Body, "cloud_account_id", "cloud_accounts", errors, required: true);
        var firewall = Reference(r.Body, "firewall_profile_id", "firewall_profiles", errors, required: false);
        var subnet = Reference(r.Body, "subnet_id", "subnets", errors, required: false);
        var sshIds = new List<string>();
        if (Reference(r.Body, "ssh_profile_id", "ssh_profiles", errors, required: false) is { } one) sshIds.Add(S(one, "id"));
        foreach (var id in StringList(r.Body, "ssh_profile_ids", errors))
        {
            if (Find("ssh_profiles", id) is null) errors.Add("ssh_profile_ids", $"{id} {ImcoInferred.Missing}");
            else if (!sshIds.Contains(id)) sshIds.Add(id);
        }
        var labels = StringList(r.Body, "label_ids", errors);
        if (plan is not null && account is not null && S(plan, "cloud_provider_id") != S(account, "cloud_provider_id"))
            errors.Add("server_plan_id", "does not belong to the cloud provider of the cloud account");
        errors.ThrowIfAny();

        firewall ??= All("firewall_profiles").First(f => (bool?)f["default"] == true);
        var s = NewServer(name!, S(template!, "id"), S(plan!, "id"), S(account!, "id"), S(firewall, "id"), sshIds,
            subnet is null ? null : S(subnet, "id"), subnet is null ? null : S(subnet, "vpc_id"), new JsonArray(labels.Select(x => (JsonNode?)x).ToArray()));
        Schedule(s, r.Now, "commissioning", Stalls(s, "commission") ? "commission_stalled" : "inactive");
        Ledger("commission", s.Index, s.Id, r.Now);
        Audit(r.Now, "Server commissioned", $"Server {s.Name} commissioning started");
        return One(s.Json, ImcoInferred.CreatedStatus);
    }

    public Reply UpdateServer(Request r)
    {
        var s = ServerOf(r.P[0]);
        var errors = new FieldErrors();
        var name = RequiredString(r.Body, "name", errors);
        errors.ThrowIfAny();
        s.Json["name"] = name;
        Ledger("rename", s.Index, s.Id, r.Now);
        Audit(r.Now, "Server updated", $"Server renamed to {name}");
        return One(s.Json);
    }

    public Reply ServerAction(Request r)
    {
        var s = ServerOf(r.P[0]);
        var action = r.P[1];
        var allowed = action switch
        {
            "boot" => ImcoInferred.BootFrom,
            "reboot" => ImcoInferred.RebootFrom,
            "shutdown" => ImcoInferred.ShutdownFrom,
            _ => ImcoInferred.OverrideFrom,
        };
        if (!allowed.Contains(s.State))
            throw ImcoException.Invalid("state", $"cannot {action} a server that is {s.State} (allowed from: {string.Join(", ", allowed)})");
        switch (action)
        {
            case "boot":
            case "reboot":
                Schedule(s, r.Now, "booting", "bootstrapping", Stalls(s, action) ? "stalled" : "operational");
                break;
            case "shutdown":
                Schedule(s, r.Now, "shutting_down", Stalls(s, action) ? "stalled" : "inactive");
                break;
            default:
                Schedule(s, r.Now, "operational");
                AssignAddresses(s);
                break;
        }
        Ledger(action, s.Index, s.Id, r.Now);
        Audit(r.Now, "Server " + action, $"Server {s.Name}: {action}");
        return One(s.Json);
    }

    public Reply Decommission(Request r)
    {
        var s = ServerOf(r.P[0]);
        if (!ImcoInferred.DecommissionFrom.Contains(s.State))
            throw ImcoException.Invalid("state", $"cannot decommission a server that is {s.State} (allowed from: {string.Join(", ", ImcoInferred.DecommissionFrom)})");
        Schedule(s, r.Now, "decommissioning", "gone");
        Ledger("decommission", s.Index, s.Id, r.Now);
        Audit(r.Now, "Server decommission", $"Server {s.Name} decommissioning started");
        return Deleted;
    }

    // ---- plain collections

    public Reply List(string collection) => Many(All(collection));
    public Reply GetOne(string collection, string kind, string id) => One(Get(collection, id, kind));

    public Reply ServerPlansOf(Request r)
    {
        var provider = Get("cloud_providers", r.P[0], "Cloud provider");
        var realm = r.Version == "v3" ? r.Query["realm_id"].ToString() : "";
        return Many(All("server_plans").Where(p => S(p, "cloud_provider_id") == S(provider, "id") && (realm.Length == 0 || S(p, "realm_id") == realm)));
    }

    public Reply ChildrenOf(Request r, string parentCollection, string parentKind, string collection, string key)
    {
        var parent = Get(parentCollection, r.P[0], parentKind);
        return Many(All(collection).Where(p => S(p, key) == S(parent, "id")));
    }

    public Reply PolicyAssignments(Request r)
    {
        Get("cloud_accounts", r.P[0], "Cloud account");
        return Many(Array.Empty<JsonObject>());
    }

    public Reply AuditEvents(Request r) => Many(_auditEvents, 1024 + _auditEvents.Count * 200);
    public Reply SystemEvents(Request r) => Many(Array.Empty<JsonObject>());

    public Reply CreateSshProfile(Request r)
    {
        var errors = new FieldErrors();
        var name = RequiredString(r.Body, "name", errors);
        var key = RequiredString(r.Body, "public_key", errors);
        var privateKey = OptionalString(r.Body, "private_key", errors);
        var labels = StringList(r.Body, "label_ids", errors);
        if (name is not null && All("ssh_profiles").Any(p => S(p, "name") == name)) errors.Add("name", ImcoInferred.Taken);
        if (key is not null && !(key.StartsWith("ssh-", StringComparison.Ordinal) || key.StartsWith("ecdsa-", StringComparison.Ordinal)))
            errors.Add("public_key", "is not a valid OpenSSH public key");
        errors.ThrowIfAny();
        var p = Add("ssh_profiles", new JsonObject
        {
            ["name"] = name, ["public_key"] = key, ["private_key"] = privateKey, ["resource_type"] = "ssh_profile",
            ["label_ids"] = new JsonArray(labels.Select(x => (JsonNode?)x).ToArray()),
        });
        Ledger("ssh_profile_create", 0, S(p, "id"), r.Now);
        Audit(r.Now, "SSH profile created", $"SSH profile {name} created");
        return One(p, ImcoInferred.CreatedStatus);
    }

    public Reply UpdateSshProfile(Request r)
    {
        var p = Get("ssh_profiles", r.P[0], "SSH profile");
        var errors = new FieldErrors();
        var name = OptionalString(r.Body, "name", errors);
        var key = OptionalString(r.Body, "public_key", errors);
        if (name is not null && All("ssh_profiles").Any(o => o != p && S(o, "name") == name)) errors.Add("name", ImcoInferred.Taken);
        errors.ThrowIfAny();
        if (name is not null) p["name"] = name;
        if (key is not null) p["public_key"] = key;
        Ledger("ssh_profile_update", 0, S(p, "id"), r.Now);
        return One(p);
    }

    public Reply DeleteSshProfile(Request r)
    {
        var p = Get("ssh_profiles", r.P[0], "SSH profile");
        var id = S(p, "id");
        int users = _servers.Count(s => !s.Gone && ((JsonArray)s.Json["ssh_profile_ids"]!).Any(x => (string?)x == id));
        if (users > 0) throw ImcoException.Invalid("base", $"SSH profile is in use by {users} server(s)");
        Remove("ssh_profiles", p);
        Ledger("ssh_profile_delete", 0, id, r.Now);
        Audit(r.Now, "SSH profile deleted", $"SSH profile {S(p, "name")} deleted");
        return Deleted;
    }

    public Reply CreateVolume(Request r)
    {
        var errors = new FieldErrors();
        var name = RequiredString(r.Body, "name", errors);
        var account = Reference(r.Body, "cloud_account_id", "cloud_accounts", errors, required: true);
        var plan = Reference(r.Body, "storage_plan_id", "storage_plans", errors, required: true);
        int? size = null;
        if (!r.Body.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind == JsonValueKind.Null) errors.Add("size", ImcoInferred.Blank);
        else if (sizeElement.ValueKind != JsonValueKind.Number || !sizeElement.TryGetInt32(out var n)) errors.Add("size", "must be an integer");
        else if (plan is not null && (n < (int)plan["min_size"]! || n > (int)plan["max_size"]!))
            errors.Add("size", $"must be between {(int)plan["min_size"]!} and {(int)plan["max_size"]!}");
        else size = n;
        if (plan is not null && account is not null && S(plan, "cloud_provider_id") != S(account, "cloud_provider_id"))
            errors.Add("storage_plan_id", "does not belong to the cloud provider of the cloud account");
        var labels = StringList(r.Body, "label_ids", errors);
        errors.ThrowIfAny();
        var v = Add("volumes", new JsonObject
        {
            ["name"] = name, ["size"] = size, ["state"] = "detached", ["device"] = null, ["storage_plan_id"] = S(plan!, "id"),
            ["cloud_account_id"] = S(account!, "id"), ["realm_id"] = S(plan!, "realm_id"), ["attached_server_id"] = null,
            ["brownfield"] = false, ["resource_type"] = "volume", ["label_ids"] = new JsonArray(labels.Select(x => (JsonNode?)x).ToArray()),
        });
        Ledger("volume_create", 0, S(v, "id"), r.Now);
        Audit(r.Now, "Volume created", $"Volume {name} created");
        return One(v, ImcoInferred.CreatedStatus);
    }

    public Reply DeleteVolume(Request r)
    {
        var v = Get("volumes", r.P[0], "Volume");
        if (v["attached_server_id"] is not null) throw ImcoException.Invalid("state", "volume is attached to a server; detach it first");
        Remove("volumes", v);
        Ledger("volume_delete", 0, S(v, "id"), r.Now);
        Audit(r.Now, "Volume deleted", $"Volume {S(v, "name")} deleted");
        return Deleted;
    }

    /// <summary>POST /network/floating_ips/{id}/attached_server and /storage/volumes/{id}/attached_server.</summary>
    public Reply Attach(Request r, string collection, string kind, string ledgerName)
    {
        var o = Get(collection, r.P[0], kind);
        var errors = new FieldErrors();
        var serverId = RequiredString(r.Body, "attached_server_id", errors);
        ImcoServer? s = null;
        if (serverId is not null && !(_serverById.TryGetValue(serverId, out s) && !s.Gone)) errors.Add("attached_server_id", ImcoInferred.Missing);
        else if (s is not null && s.State == "decommissioning") errors.Add("attached_server_id", "server is being decommissioned");
        if (o["attached_server_id"] is not null) errors.Add("attached_server_id", $"{kind.ToLowerInvariant()} is already attached to a server; detach it first");
        errors.ThrowIfAny();
        o["attached_server_id"] = s!.Id;
        o["state"] = "attached";
        if (collection == "volumes") o["device"] = "/dev/xvdf";
        Ledger(ledgerName + "_attach", s.Index, S(o, "id"), r.Now);
        Audit(r.Now, kind + " attached", $"{kind} {S(o, "name")} attached to {s.Name}");
        return One(o);
    }

    public Reply Detach(Request r, string collection, string kind, string ledgerName)
    {
        var o = Get(collection, r.P[0], kind);
        var serverId = (string?)o["attached_server_id"];
        if (serverId is null) throw ImcoException.Invalid("attached_server_id", $"{kind.ToLowerInvariant()} is not attached to a server");
        o["attached_server_id"] = null;
        o["state"] = "detached";
        if (collection == "volumes") o["device"] = null;
        Ledger(ledgerName + "_detach", _serverById.TryGetValue(serverId, out var s) ? s.Index : 0, S(o, "id"), r.Now);
        Audit(r.Now, kind + " detached", $"{kind} {S(o, "name")} detached");
        return Deleted;
    }

    private void Remove(string collection, JsonObject o)
    {
        _collections[collection].Remove(o);
        _byId.Remove(S(o, "id"));
    }

    // ---- body fields

    private JsonObject? Find(string collection, string id) => _byId.TryGetValue(id, out var o) && All(collection).Contains(o) ? o : null;

    private static string? OptionalString(JsonElement body, string field, FieldErrors errors)
    {
        if (!body.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String) { errors.Add(field, "must be a string"); return null; }
        return v.GetString();
    }

    private static string? RequiredString(JsonElement body, string field, FieldErrors errors)
    {
        bool present = body.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null;
        var s = OptionalString(body, field, errors);
        if (present && v.ValueKind != JsonValueKind.String) return null;
        if (string.IsNullOrWhiteSpace(s)) { errors.Add(field, ImcoInferred.Blank); return null; }
        return s;
    }

    private JsonObject? Reference(JsonElement body, string field, string collection, FieldErrors errors, bool required)
    {
        var id = required ? RequiredString(body, field, errors) : OptionalString(body, field, errors);
        if (id is null) return null;
        var o = Find(collection, id);
        if (o is null) errors.Add(field, ImcoInferred.Missing);
        return o;
    }

    private static List<string> StringList(JsonElement body, string field, FieldErrors errors)
    {
        var list = new List<string>();
        if (!body.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return list;
        if (v.ValueKind != JsonValueKind.Array) { errors.Add(field, "must be an array of ids"); return list; }
        foreach (var x in v.EnumerateArray())
        {
            if (x.ValueKind == JsonValueKind.String) list.Add(x.GetString()!);
            else { errors.Add(field, "must be an array of ids"); break; }
        }
        return list;
    }
}
