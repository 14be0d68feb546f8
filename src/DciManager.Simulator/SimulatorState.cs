using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace DciManager.Simulator;

/// <summary>
/// The whole in-memory platform. Every access goes through <see cref="Sync"/>; tasks are advanced lazily
/// (under the lock, in due order) at the start of every request and of every public read.
/// </summary>
public sealed partial class SimulatorState
{
    internal readonly object Sync = new();
    internal readonly SimulatorOptions Options;
    internal readonly List<User> Users = new();
    internal readonly List<Server> Servers = new();
    internal readonly List<Network> Networks = new();
    internal readonly List<Pool> Pools = new();
    internal readonly List<OsTemplate> Templates = new();
    internal readonly List<Location> Locations = new();
    internal readonly List<Address> Addresses = new();
    internal readonly Dictionary<(int Family, UInt128 Value), Address> AddressByValue = new();
    internal readonly List<SimTask> Tasks = new();
    internal readonly Dictionary<long, SimTask> TasksById = new();
    internal readonly List<SimTask> ActiveTasks = new();
    internal readonly Dictionary<string, Session> Sessions = new(StringComparer.Ordinal);
    internal readonly Dictionary<string, OneTimeKey> Keys = new(StringComparer.Ordinal);
    internal readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal);
    internal readonly List<string> ConfigurationOrder = new();
    internal TimeSpan TokenTtl;
    internal long NextTaskId;
    internal int NextAddressId;
    internal int NextUserId;
    internal long NextTokenId;
    private readonly List<LedgerEntry> _ledger = new();
    private readonly List<(int Remaining, string? Operation)> _failRequests = new();
    private readonly List<SeededUser> _seededUsers = new();
    private long _requestCount;
    private long _connectionCount;

    // Suspension
    private DateTimeOffset _lastRequest;
    private bool _asleep;
    private DateTimeOffset? _wakingSince;

    internal SimulatorState(SimulatorOptions options, string adminPassword)
    {
        Options = options;
        TokenTtl = options.TokenLifetime;
        Seeder.Seed(this, options, adminPassword);
        foreach (var u in Users) _seededUsers.Add(new SeededUser(u.Id, u.Email, u.Password, u.IsAdmin));
        _lastRequest = DateTimeOffset.UtcNow;
    }

    /// <summary>The simulator's clock: sessions, operations and suspension all read it (tests give a clock they move).</summary>
    internal DateTimeOffset Now => Options.Clock.GetUtcNow();

    // ------------------------------------------------------------------ public test API

    /// <summary>Every operation actually executed (tasks, plus user_create, user_delete, owner_set, owner_delete).</summary>
    public IReadOnlyList<LedgerEntry> Ledger { get { lock (Sync) return _ledger.ToList(); } }

    /// <summary>Every session and long-lived token stops working (401 3001).</summary>
    public void RevokeAllTokens() { lock (Sync) Sessions.Clear(); }

    /// <summary>Session and long-lived tokens that are currently valid (for secret-leak checks in tests).</summary>
    public IReadOnlyList<string> ActiveTokens()
    {
        lock (Sync) { var now = Now; return Sessions.Values.Where(x => Valid(x, now)).Select(x => x.Token).ToList(); }
    }

    /// <summary>The platform goes to sleep now (503 5003 until woken for WakeUpTime).</summary>
    public void SuspendNow() { lock (Sync) { _asleep = true; _wakingSince = null; } }

    public bool IsSuspended { get { lock (Sync) return _asleep; } }

    public FaultInjector Faults { get; } = new();

    /// <summary>The next <paramref name="count"/> started tasks (of <paramref name="operation"/>, or any) end with status "fail".</summary>
    public void FailNextOperations(int count, string? operation = null)
    {
        if (count <= 0) return;
        lock (Sync) _failRequests.Add((count, string.IsNullOrEmpty(operation) ? null : operation));
    }

    /// <summary>API requests received (control endpoints excluded), including refused ones.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>TCP connections accepted (before any TLS handshake, so refused handshakes count too): shows whether clients reuse connections.</summary>
    public long ConnectionCount => Interlocked.Read(ref _connectionCount);

    public IReadOnlyList<SeededUser> SeededUsers => _seededUsers;

    public int ServerCount { get { lock (Sync) return Servers.Count; } }

    /// <summary>Current idle token lifetime (changed by POST auth/v4/setting/token_ttl).</summary>
    public TimeSpan TokenLifetime { get { lock (Sync) return TokenTtl; } }

    public ServerInfo? GetServer(int id)
    {
        lock (Sync)
        {
            Advance(Now);
            return id >= 1 && id <= Servers.Count ? Info(Servers[id - 1]) : null;
        }
    }

    public IReadOnlyList<ServerInfo> GetServers()
    {
        lock (Sync) { Advance(Now); return Servers.Select(Info).ToList(); }
    }

    /// <summary>The server exactly as GET dci/v3/server/{id} returns it.</summary>
    public string? GetServerJson(int id)
    {
        lock (Sync)
        {
            Advance(Now);
            return id >= 1 && id <= Servers.Count ? System.Text.Encoding.UTF8.GetString(ServerJson(Servers[id - 1]).Span) : null;
        }
    }

    public IReadOnlyList<UserInfo> GetUsers()
    {
        lock (Sync) { RecountServers(); return Users.Select(u => new UserInfo(u.Id, u.Email, u.FullName, u.IsAdmin, u.ServerCount)).ToList(); }
    }

    public IReadOnlyList<TaskInfo> GetTasks()
    {
        lock (Sync) { Advance(Now); return Tasks.Select(t => new TaskInfo(t.Id, t.Name, t.ServerId, t.Status, t.CreatedAt, t.FinishedAt)).ToList(); }
    }

    /// <summary>Addresses currently known (any status).</summary>
    public IReadOnlyList<(int Id, string Address, int? ServerId, string Status, string Pool)> GetAddresses()
    {
        lock (Sync) { Advance(Now); return Addresses.Select(a => (a.Id, a.Name, a.ServerId, a.Status, a.Pool?.Name ?? "")).ToList(); }
    }

    private ServerInfo Info(Server s) => new(s.Id, s.Name, s.State, s.PowerStatus, OwnerEmail(s), s.OwnerId, s.IsNew, s.OsTemplateId,
        s.Configuration, s.Operation?.Id, s.Operation?.Name, s.Operation?.Status, s.Ips.Select(a => a.Name).ToList(),
        s.Switches.Where(c => !c.IsIpmi).Select(c => c.AdminStatus).ToList());

    // ------------------------------------------------------------------ request bookkeeping

    /// <summary>The idle clock starts when the host is listening.</summary>
    internal void ResetIdleClock() { lock (Sync) _lastRequest = Now; }

    internal void CountRequest() => Interlocked.Increment(ref _requestCount);

    internal void CountConnection() => Interlocked.Increment(ref _connectionCount);

    /// <summary>Suspension gate: true = serve, false = answer 503 (not executed).</summary>
    internal bool Admit()
    {
        lock (Sync)
        {
            var now = Now;
            if (!_asleep && Options.SuspendAfterIdle is { } idle && now - _lastRequest >= idle) { _asleep = true; _wakingSince = null; }
            _lastRequest = now;
            if (!_asleep) return true;
            _wakingSince ??= now;
            if (now - _wakingSince.Value >= Options.WakeUpTime)
            {
                _asleep = false;
                _wakingSince = null;
                return true;
            }
            return false;
        }
    }

    /// <summary>
    /// Consumes one pending <see cref="FailNextOperations"/> request matching <paramref name="operation"/>;
    /// every mode's operations draw on the same list (POST /_sim/fail-operations).
    /// </summary>
    internal bool TakeFailure(string operation)
    {
        lock (Sync)
        {
            for (int i = 0; i < _failRequests.Count; i++)
            {
                var (remaining, fop) = _failRequests[i];
                if (fop is not null && fop != operation) continue;
                if (remaining <= 1) _failRequests.RemoveAt(i); else _failRequests[i] = (remaining - 1, fop);
                return true;
            }
            return false;
        }
    }

    internal void AddLedger(long taskId, int serverId, string op, DateTimeOffset at, string? detail = null) =>
        _ledger.Add(new LedgerEntry(taskId, serverId, op, at, detail));

    internal void RecountServers()
    {
        foreach (var u in Users) u.ServerCount = 0;
        var byId = Users.ToDictionary(u => u.Id);
        foreach (var s in Servers) if (s.OwnerId is { } o && byId.TryGetValue(o, out var u)) u.ServerCount++;
    }

    internal User? FindUser(int id) => Users.FirstOrDefault(u => u.Id == id);
    internal string? OwnerEmail(Server s) => s.OwnerId is { } o ? FindUser(o)?.Email : null;

    // ------------------------------------------------------------------ tasks

    internal TimeSpan DurationOf(string op, string? clearHdd)
    {
        if (Options.OperationDuration is { } d) return d;
        return op switch
        {
            "power_on" or "power_off" or "power_reset" => Inferred.PowerDuration,
            "suspend" or "resume" => Inferred.SuspendResumeDuration,
            Inferred.TaskIpAdd or Inferred.TaskIpRemove => Inferred.IpDuration,
            "operation_clear_hdd" => clearHdd == "full" ? Inferred.ClearHddFullDuration : Inferred.ClearHddFastDuration,
            "operation_diag" => Inferred.DiagDuration,
            "operation_os" => Inferred.OsInstallDuration,
            _ => Inferred.PowerDuration,
        };
    }

    internal SimTask StartTask(Server s, string op, DateTimeOffset now, Action<SimTask>? configure = null)
    {
        var t = new SimTask { Id = ++NextTaskId, Name = op, ServerId = s.Id, CreatedAt = now, Status = "created" };
        configure?.Invoke(t);
        var dur = DurationOf(op, t.ClearHdd);
        var created = TimeSpan.FromTicks(Math.Min((long)(dur.Ticks * Inferred.CreatedFraction), Inferred.CreatedCap.Ticks));
        t.RunningAt = now + created;
        t.DueAt = now + dur;
        t.WillFail = TakeFailure(op);
        Tasks.Add(t);
        TasksById[t.Id] = t;
        ActiveTasks.Add(t);
        // Address tasks belong to IPmanager and run beside the server's own operation (Inferred.IpTasksRunBesideOperations).
        if (!Inferred.IsIpTask(op)) s.Operation = t;
        // Effects visible while the task runs.
        switch (op)
        {
            case "suspend": t.PreviousState = s.State; s.State = "suspending"; break;
            case "resume": t.PreviousState = s.State; s.State = "resuming"; break;
            case Inferred.TaskIpRemove:
                if (t.AddressId is { } rid && s.Ips.FirstOrDefault(a => a.Id == rid) is { } ra) ra.Status = "deleting";
                break;
        }
        s.Touch();
        AddLedger(t.Id, s.Id, op, now);
        return t;
    }

    /// <summary>Catches up every due task transition, in due order.</summary>
    internal void Advance(DateTimeOffset now)
    {
        if (ActiveTasks.Count == 0) return;
        List<SimTask>? done = null;
        foreach (var t in ActiveTasks.OrderBy(t => t.DueAt).ThenBy(t => t.Id))
        {
            if (t.Status == "created" && now >= t.RunningAt)
            {
                t.Status = "running";
                Servers[t.ServerId - 1].Touch();
            }
            if (now >= t.DueAt)
            {
                Finish(t);
                (done ??= new()).Add(t);
            }
        }
        if (done is not null) foreach (var t in done) ActiveTasks.Remove(t);
    }

    private void Finish(SimTask t)
    {
        var s = Servers[t.ServerId - 1];
        t.FinishedAt = t.DueAt;
        bool ok = !t.WillFail;
        t.Status = ok ? "complete" : "fail";
        if (!ok) t.FailMessage = $"Operation {t.Name} failed (simulated failure)";
        Address? addr = t.AddressId is { } aid ? s.Ips.FirstOrDefault(a => a.Id == aid) : null;
        switch (t.Name)
        {
            case "power_on" when ok: s.PowerStatus = "on"; break;
            case "power_off" when ok: s.PowerStatus = "off"; break;
            case "power_reset" when ok: s.PowerStatus = "on"; break;
            case "suspend":
                if (ok)
                {
                    s.State = "suspended";
                    s.StateInfo = "Switch ports disabled";
                    foreach (var c in s.Switches.Where(c => !c.IsIpmi)) { c.AdminStatus = "down"; c.OperStatus = "down"; }
                }
                else s.State = t.PreviousState ?? "active";
                break;
            case "resume":
                if (ok)
                {
                    s.State = "active";
                    s.StateInfo = "";
                    foreach (var c in s.Switches.Where(c => !c.IsIpmi)) { c.AdminStatus = "up"; c.OperStatus = "up"; }
                }
                else s.State = t.PreviousState ?? "suspended";
                break;
            case "operation_os" when ok:
                s.OsTemplateId = t.OsTemplateId;
                s.PowerStatus = "on";
                break;
            case "operation_clear_hdd" when ok:
                if (t.ClearHdd is not null and not "none") s.OsTemplateId = null;
                break;
            case "operation_diag" when ok:
                s.IsNew = false;
                if (t.ClearHdd is not null and not "none") s.OsTemplateId = null;
                if (t.OsTemplateId is > 0) s.OsTemplateId = t.OsTemplateId;
                break;
            case Inferred.TaskIpAdd when addr is not null:
                if (ok)
                {
                    addr.Status = "active";
                    if (t.SetMain && addr.Net.Family == 2) { s.Ips.Remove(addr); s.Ips.Insert(0, addr); }
                }
                else RemoveAddress(s, addr);
                break;
            case Inferred.TaskIpRemove when addr is not null:
                if (ok) RemoveAddress(s, addr); else addr.Status = "active";
                break;
        }
        s.Touch();
    }

    internal void RemoveAddress(Server s, Address a)
    {
        s.Ips.Remove(a);
        Addresses.Remove(a);
        AddressByValue.Remove((a.Net.Family, a.Value));
    }

    internal Address AddAddress(Network net, Pool? pool, UInt128 value, string domain, Server? s, string status)
    {
        var a = new Address
        {
            Id = ++NextAddressId, Value = value, Name = Ip.Format(value, net.Family), Net = net, Pool = pool,
            Domain = domain, ServerId = s?.Id, Status = status,
        };
        Addresses.Add(a);
        AddressByValue[(net.Family, value)] = a;
        if (s is not null) { s.Ips.Add(a); s.Touch(); }
        return a;
    }

    internal Pool? PoolOf(Network net, UInt128 v) => Pools.FirstOrDefault(p => p.Ranges.Any(r => r.Net == net && r.Contains(v)));

    // ------------------------------------------------------------------ auth

    internal string NewToken(int userId) => $"{userId}-{Guid.NewGuid()}";

    internal Session CreateSession(int userId, DateTimeOffset now, DateTimeOffset? expiresAt = null, long? tokenId = null)
    {
        if (Sessions.Count > 20000) PurgeSessions(now);
        var s = new Session { Token = NewToken(userId), UserId = userId, LastUsed = now, ExpiresAt = expiresAt, TokenId = tokenId };
        Sessions[s.Token] = s;
        return s;
    }

    private void PurgeSessions(DateTimeOffset now)
    {
        foreach (var k in Sessions.Where(kv => !Valid(kv.Value, now)).Select(kv => kv.Key).ToList()) Sessions.Remove(k);
    }

    private bool Valid(Session s, DateTimeOffset now) =>
        s.ExpiresAt is { } exp ? now < exp : now - s.LastUsed < TokenTtl;

    /// <summary>Validates and slides a token; null when missing, unknown, expired or revoked.</summary>
    internal User? Authenticate(string? token, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token) || !Sessions.TryGetValue(token, out var s)) return null;
        if (!Valid(s, now)) { Sessions.Remove(token); return null; }
        var u = FindUser(s.UserId);
        if (u is null) { Sessions.Remove(token); return null; }
        s.LastUsed = now;
        return u;
    }

    // ------------------------------------------------------------------ JSON

    internal ReadOnlyMemory<byte> ServerJson(Server s)
    {
        if (s.Json is null || s.JsonVersion != s.Version)
        {
            var buf = new ArrayBufferWriter<byte>(2048);
            using (var w = Json.Writer(buf)) WriteServer(w, s);
            s.Json = buf.WrittenSpan.ToArray();
            s.JsonVersion = s.Version;
        }
        return s.Json;
    }

    internal JsonElement ServerElement(Server s)
    {
        if (s.ElementVersion != s.Version || s.Element.ValueKind == JsonValueKind.Undefined)
        {
            using var doc = JsonDocument.Parse(ServerJson(s));
            s.Element = doc.RootElement.Clone();
            s.ElementVersion = s.Version;
        }
        return s.Element;
    }

    internal static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    internal void WriteServer(Utf8JsonWriter w, Server s)
    {
        w.WriteStartObject();
        w.WriteNumber("id", s.Id);
        w.WriteString("name", s.Name);
        w.WriteString("domain", s.Domain);
        w.WriteString("configuration", s.Configuration);
        w.WriteString("state", s.State);
        w.WriteString("state_info", s.StateInfo);
        w.WriteString("power_status", s.PowerStatus);
        var owner = OwnerEmail(s);
        if (owner is null) w.WriteNull("owner_email"); else w.WriteString("owner_email", owner);
        if (s.OwnerId is { } oid) w.WriteNumber("owner", oid); else w.WriteNull("owner");
        w.WriteBoolean("is_new", s.IsNew);
        w.WriteNumber("location_id", s.LocationId);
        if (s.Location is { } loc) WriteRef(w, "location", loc.Id, loc.Name); else w.WriteNull("location");
        w.WriteStartObject("rack");
        w.WriteNumber("id", s.RackId);
        w.WriteString("name", s.RackName);
        w.WriteEndObject();
        w.WriteNumber("unit", s.Unit);
        w.WriteString("barcode", s.Barcode);
        w.WriteStartArray("ip");
        foreach (var a in s.Ips) WriteAddress(w, a);
        w.WriteEndArray();
        w.WritePropertyName("operation");
        if (s.Operation is null) w.WriteNullValue(); else WriteOperation(w, s.Operation);
        w.WritePropertyName("os_template");
        var tpl = s.OsTemplateId is { } tid ? Templates.FirstOrDefault(t => t.Id == tid) : null;
        if (tpl is null) w.WriteNullValue(); else WriteTemplate(w, tpl);
        var h = s.Hardware;
        w.WriteStartObject("hardware_info");
        w.WriteStartObject("motherboard");
        w.WriteString("model", h.Board);
        w.WriteString("vendor", h.BoardVendor);
        w.WriteEndObject();
        w.WriteStartObject("cpu");
        w.WriteString("model", h.Cpu);
        w.WriteNumber("count", h.CpuCount);
        w.WriteNumber("cores", h.Cores);
        w.WriteNumber("threads", h.Threads);
        w.WriteEndObject();
        w.WriteStartObject("ram");
        w.WriteNumber("total_gb", h.RamGb);
        w.WriteNumber("modules", h.RamModules);
        w.WriteEndObject();
        w.WriteStartArray("disks");
        foreach (var d in h.Disks)
        {
            w.WriteStartObject();
            w.WriteString("model", d.Model);
            w.WriteNumber("size_gb", d.SizeGb);
            w.WriteString("type", d.Type);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("perform_info");
        w.WriteEndObject();
        w.WriteStartObject("settings");
        w.WriteBoolean("efi", s.Efi);
        w.WriteEndObject();
        w.WriteStartArray("switch_connection");
        foreach (var c in s.Switches)
        {
            w.WriteStartObject();
            w.WriteNumber("id", c.Id);
            w.WriteNumber("switch", c.SwitchId);
            w.WriteString("switch_name", c.SwitchName);
            w.WriteNumber("connection_id", c.ConnectionId);
            w.WriteString("description", c.Description);
            w.WriteString("admin_status", c.AdminStatus);
            w.WriteString("oper_status", c.OperStatus);
            w.WriteBoolean("do_not_collect_traffic", c.DoNotCollectTraffic);
            w.WriteBoolean("is_ipmi_connection", c.IsIpmi);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("pdu_connection");
        w.WriteNumber("port_id", s.PduPort);
        w.WriteString("port_identity", s.PduPortIdentity);
        w.WriteNumber("pdu_id", s.PduId);
        w.WriteString("pdu_name", s.PduName);
        w.WriteNumber("connection_id", s.PduConnectionId);
        w.WriteString("power_status", "on");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal void WriteOperation(Utf8JsonWriter w, SimTask t)
    {
        w.WriteStartObject();
        w.WriteNumber("id", t.Id);
        w.WriteString("name", t.Name);
        w.WriteString("status", t.Status);
        WriteStatusInfo(w, t);
        w.WriteStartArray("progress_info");
        if (t.Status != "created")
        {
            w.WriteStartObject();
            w.WriteString("step", t.Name);
            w.WriteString("status", t.Status);
            w.WriteNumber("percent", t.Status == "running" ? 50 : 100);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteStatusInfo(Utf8JsonWriter w, SimTask t)
    {
        w.WriteStartObject("status_info");
        if (t.FailMessage is not null) w.WriteString("msg", t.FailMessage);
        w.WriteEndObject();
    }

    internal void WriteTask(Utf8JsonWriter w, SimTask t)
    {
        w.WriteStartObject();
        w.WriteNumber("id", t.Id);
        w.WriteNumber("consul_id", t.Id);
        w.WriteString("name", t.Name);
        w.WriteNumber("server_id", t.ServerId);
        w.WriteString("status", t.Status);
        w.WriteString("created_at", Time(t.CreatedAt));
        if (t.FinishedAt is { } f) w.WriteString("finished_at", Time(f)); else w.WriteNull("finished_at");
        WriteStatusInfo(w, t);
        w.WriteEndObject();
    }

    internal static void WriteTemplate(Utf8JsonWriter w, OsTemplate t)
    {
        w.WriteStartObject();
        w.WriteNumber("id", t.Id);
        w.WriteString("name", t.Name);
        w.WriteStartArray("tags");
        foreach (var tag in t.Tags) w.WriteStringValue(tag);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    internal void WriteAddress(Utf8JsonWriter w, Address a)
    {
        w.WriteStartObject();
        w.WriteNumber("id", a.Id);
        w.WriteString("name", a.Name);
        w.WriteString("domain", a.Domain);
        w.WriteString("family", a.Net.FamilyName);
        w.WriteString("gateway", Ip.Format(a.Net.Gateway, a.Net.Family));
        w.WriteString("network", a.Net.Name);
        if (a.ServerId is not { } sid) { w.WriteNull("server"); w.WriteNull("server_id"); }
        else { w.WriteString("server", sid >= 1 && sid <= Servers.Count ? Servers[sid - 1].Name : ""); w.WriteNumber("server_id", sid); }
        w.WriteNumber("ipnet", a.Net.Id);
        if (a.Pool is null) w.WriteNull("ippool"); else w.WriteNumber("ippool", a.Pool.Id);
        w.WriteString("status", a.Status);
        w.WriteStartObject("status_info");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal void WriteUser(Utf8JsonWriter w, User u)
    {
        w.WriteStartObject();
        w.WriteNumber("id", u.Id);
        w.WriteString("email", u.Email);
        w.WriteString("full_name", u.FullName);
        w.WriteString("phone_number", u.Phone);
        w.WriteNumber("server_count", u.ServerCount);
        w.WriteStartArray("roles");
        w.WriteStringValue(u.IsAdmin ? "@admin" : "@user");
        w.WriteEndArray();
        w.WriteNumber("vlans_per_user", u.VlansPerUser);
        w.WriteString("state", u.State);
        w.WriteEndObject();
    }

    internal void WriteNetwork(Utf8JsonWriter w, Network n)
    {
        int used = Addresses.Count(a => a.Net == n);
        w.WriteStartObject();
        w.WriteNumber("id", n.Id);
        w.WriteString("name", n.Name);
        w.WriteNumber("family", n.Family);
        w.WriteNumber("mask", n.Prefix);
        w.WriteString("gateway", Ip.Format(n.Gateway, n.Family));
        w.WriteNumber("userspace", n.Userspace);
        w.WriteString("vlan", n.Vlan);
        w.WriteString("note", n.Note);
        w.WriteString("size", n.Size.ToString());
        w.WriteString("using_ip", used.ToString(CultureInfo.InvariantCulture));
        w.WriteString("total_ip", n.TotalUsable.ToString());
        w.WriteEndObject();
    }

    internal void WritePool(Utf8JsonWriter w, Pool p)
    {
        int u4 = 0, u6 = 0;
        foreach (var a in Addresses) if (a.Pool == p) { if (a.Net.Family == 2) u4++; else u6++; }
        UInt128 t4 = 0, t6 = 0;
        foreach (var r in p.Ranges)
        {
            var c = r.Count;
            if (r.Contains(r.Net.Gateway)) c -= 1;
            if (r.Net.Family == 2) t4 += c; else t6 += c;
        }
        w.WriteStartObject();
        w.WriteNumber("id", p.Id);
        w.WriteString("name", p.Name);
        w.WriteNumber("userspace", p.Userspace);
        w.WriteString("note", p.Note);
        w.WriteString("is_public", p.IsPublic ? "true" : "false");
        w.WriteString("using_ip", (u4 + u6).ToString(CultureInfo.InvariantCulture));
        w.WriteString("using_ipv4", u4.ToString(CultureInfo.InvariantCulture));
        w.WriteString("using_ipv6", u6.ToString(CultureInfo.InvariantCulture));
        w.WriteString("total_ip", (t4 + t6).ToString());
        w.WriteString("total_ipv4", t4.ToString());
        w.WriteString("total_ipv6", t6.ToString());
        w.WriteEndObject();
    }

    internal static void WriteLocation(Utf8JsonWriter w, Location l)
    {
        w.WriteStartObject();
        w.WriteNumber("id", l.Id);
        w.WriteString("name", l.Name);
        w.WriteEndObject();
    }
}
