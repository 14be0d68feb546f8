using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DciManager.Simulator;

internal sealed partial class Api
{
    private static readonly Regex EmailRx = new(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    // ================================================================== auth/v4

    private ApiResult TokenAnswer(Session s) => Ok(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", s.UserId.ToString(CultureInfo.InvariantCulture));
        w.WriteString("token", s.Token);
        w.WriteBoolean("confirmed", true);
        w.WriteEndObject();
    }, 201);

    private ApiResult PublicToken(Ctx c)
    {
        var email = Require(Str(c.Body, "email"), "email");
        var password = Require(Str(c.Body, "password"), "password");
        var u = S.Users.FirstOrDefault(x => string.Equals(x.Email, email, StringComparison.OrdinalIgnoreCase));
        if (u is null || u.Password != password || u.State != "active") throw ApiException.Unauthorized("Invalid email or password");
        return TokenAnswer(S.CreateSession(u.Id, c.Now));
    }

    private ApiResult PublicKey(Ctx c)
    {
        var key = Require(Str(c.Body, "key"), "key");
        if (!S.Keys.TryGetValue(key, out var k) || k.Used || c.Now >= k.ExpiresAt || S.FindUser(k.UserId) is null)
            throw ApiException.Unauthorized("Invalid, used or expired key");
        k.Used = true;
        return TokenAnswer(S.CreateSession(k.UserId, c.Now));
    }

    private ApiResult UserKey(Ctx c)
    {
        c.RequireAdmin();
        var u = FindUserByRef(c.P[0]);
        var key = new OneTimeKey { Key = $"{u.Id}-{Guid.NewGuid()}", UserId = u.Id, ExpiresAt = c.Now + Inferred.KeyLifetime };
        S.Keys[key.Key] = key;
        return Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", u.Id.ToString(CultureInfo.InvariantCulture));
            w.WriteString("key", key.Key);
            w.WriteEndObject();
        }, 201);
    }

    private ApiResult LongToken(Ctx c)
    {
        var text = Require(Str(c.Body, "expires_at"), "expires_at");
        if (!DateTime.TryParseExact(text, Inferred.ExpiresAtFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exp))
            throw ApiException.BadRequest("expires_at", $"expires_at must have the form YYYY-MM-DD HH:MM:SS, got '{text}'");
        var expires = new DateTimeOffset(exp, TimeSpan.Zero);
        if (expires <= c.Now) throw ApiException.BadRequest("expires_at", "expires_at must be in the future");
        var description = Str(c.Body, "description") ?? "";
        var id = ++S.NextTokenId;
        var s = S.CreateSession(c.Me.Id, c.Now, expires, id);
        return Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", id.ToString(CultureInfo.InvariantCulture));
            w.WriteString("token", s.Token);
            w.WriteString("expires_at", SimulatorState.Time(expires));
            w.WriteString("description", description);
            w.WriteEndObject();
        }, 201);
    }

    private static string? ScalarText(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        _ => null,
    };

    private ApiResult AuthSetting(Ctx c)
    {
        c.RequireAdmin();
        var name = c.P[0];
        var value = ScalarText(Field(c.Body, "value")) ?? throw ApiException.BadRequest("value", "value is required");
        if (name == "token_ttl")
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) ||
                minutes < Inferred.TokenTtlMinMinutes || minutes > Inferred.TokenTtlMaxMinutes)
                throw ApiException.BadRequest("value", $"value must be a number of minutes from {Inferred.TokenTtlMinMinutes} to {Inferred.TokenTtlMaxMinutes}");
            S.TokenTtl = TimeSpan.FromMinutes(minutes);
        }
        else S.Settings["auth/" + name] = value;
        return Empty();
    }

    private ApiResult AuthSettingGet(Ctx c)
    {
        c.RequireAdmin();
        var name = c.P[0];
        string? value = name == "token_ttl"
            ? ((long)Math.Round(S.TokenTtl.TotalMinutes)).ToString(CultureInfo.InvariantCulture)
            : S.Settings.GetValueOrDefault("auth/" + name);
        if (value is null) throw ApiException.NotFound($"Setting {name} not found");
        return Ok(w => { w.WriteStartObject(); w.WriteString("name", name); w.WriteString("value", value); w.WriteEndObject(); });
    }

    private ApiResult WhoAmI(Ctx c)
    {
        var u = c.Me;
        return Ok(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("id", u.Id);
            w.WriteString("email", u.Email);
            w.WriteStartArray("roles");
            w.WriteStringValue(u.IsAdmin ? "@admin" : "@user");
            w.WriteEndArray();
            w.WriteString("state", u.State);
            w.WriteEndObject();
        });
    }

    // ================================================================== users

    private ApiResult UserList(Ctx c)
    {
        c.RequireAdmin();
        S.RecountServers();
        return SmallList(S.Users, S.WriteUser, _userFields, c);
    }

    private ApiResult UserGet(Ctx c)
    {
        c.RequireAdmin();
        S.RecountServers();
        var u = S.FindUser(Id(c.P[0])) ?? throw ApiException.NotFound($"User {c.P[0]} not found");
        return Ok(w => S.WriteUser(w, u));
    }

    private ApiResult UserCreate(Ctx c)
    {
        c.RequireAdmin();
        var email = Require(Str(c.Body, "email"), "email").Trim();
        if (!EmailRx.IsMatch(email)) throw ApiException.BadRequest("email", $"'{email}' is not a valid e-mail address");
        var password = Require(Str(c.Body, "password"), "password");
        var role = Str(c.Body, "role") ?? "@user";
        if (!Inferred.UserRoles.Contains(role)) throw ApiException.BadRequest("role", $"role must be one of {string.Join(", ", Inferred.UserRoles)}");
        var fullName = Str(c.Body, "full_name") ?? "";
        var phone = Str(c.Body, "phone_number") ?? "";
        if (S.Users.Any(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)))
            throw ApiException.Conflict($"User with e-mail {email} already exists", "email");
        var user = new User
        {
            Id = ++S.NextUserId, Email = email, Password = password, FullName = fullName, Phone = phone,
            IsAdmin = role is "@admin" or "admin",
        };
        S.Users.Add(user);
        S.AddLedger(0, 0, "user_create", c.Now, $"user {user.Id} {email}");
        return IdOnly(user.Id, Inferred.UserCreateStatus);
    }

    private ApiResult UserDelete(Ctx c)
    {
        c.RequireAdmin();
        var u = S.FindUser(Id(c.P[0])) ?? throw ApiException.NotFound($"User {c.P[0]} not found");
        if (u.Id == c.Me.Id) throw ApiException.Conflict("You cannot delete yourself");
        int owned = S.Servers.Count(s => s.OwnerId == u.Id);
        if (owned > 0) throw ApiException.Conflict($"User {u.Email} owns {owned} server(s); release them first");
        S.Users.Remove(u);
        foreach (var k in S.Sessions.Where(kv => kv.Value.UserId == u.Id).Select(kv => kv.Key).ToList()) S.Sessions.Remove(k);
        S.AddLedger(0, 0, "user_delete", c.Now, $"user {u.Id} {u.Email}");
        return IdOnly(u.Id);
    }

    // ================================================================== servers

    private ApiResult ServerList(Ctx c) =>
        Ok(ListQuery.Execute(VisibleServers(c), S.ServerJson, S.ServerElement, _serverFields, c.Query));

    private ApiResult ServerGet(Ctx c)
    {
        var s = VisibleServer(c, c.P[0]);
        var json = S.ServerJson(s);
        var buf = new System.Buffers.ArrayBufferWriter<byte>(json.Length);
        buf.Write(json.Span);
        return Ok(buf);
    }

    private ApiResult Configurations(Ctx c)
    {
        var rows = S.ConfigurationOrder.Select(name => (name, S.Servers.Count(s => s.Configuration == name && s.OwnerId is null))).ToList();
        return SmallList(rows, WriteConfiguration, _configFields, c);
    }

    private ApiResult ServerIpList(Ctx c)
    {
        var s = VisibleServer(c, c.P[0]);
        return SmallList(s.Ips, S.WriteAddress, _addressFields, c);
    }

    private ApiResult IpList(Ctx c)
    {
        IEnumerable<Address> rows = S.Addresses;
        if (!c.IsAdmin) rows = rows.Where(a => a.ServerId is { } sid && S.Servers[sid - 1].OwnerId == c.Me.Id);
        return SmallList(rows, S.WriteAddress, _addressFields, c);
    }

    private ApiResult OwnerSet(Ctx c)
    {
        c.RequireAdmin();
        var s = VisibleServer(c, c.P[0]);
        var ownerId = Int(c.Body, "owner") ?? throw ApiException.BadRequest("owner", "owner (user id) is required");
        var u = S.FindUser(ownerId) ?? throw ApiException.NotFound($"User {ownerId} not found", "owner");
        if (s.OwnerId is { } cur)
            throw ApiException.Conflict($"Server {s.Id} already belongs to {S.FindUser(cur)?.Email ?? cur.ToString(CultureInfo.InvariantCulture)}", "owner");
        s.OwnerId = u.Id;
        s.Touch();
        S.AddLedger(0, s.Id, "owner_set", c.Now, $"user {u.Id}");
        return IdOnly(s.Id);
    }

    private ApiResult OwnerDelete(Ctx c)
    {
        c.RequireAdmin();
        var s = VisibleServer(c, c.P[0]);
        if (s.OwnerId is not { } cur) throw ApiException.Conflict($"Server {s.Id} has no owner");
        s.OwnerId = null;
        s.Touch();
        S.AddLedger(0, s.Id, "owner_delete", c.Now, $"user {cur}");
        return IdOnly(s.Id);
    }

    private static void CheckIdle(Server s)
    {
        if (s.Busy)
            throw ApiException.Conflict($"Server {s.Id} already has an operation in progress ({s.Operation!.Name}, task {s.Operation.Id})");
    }

    private string Enum(JsonElement body, string field, string[] allowed, string? fallback)
    {
        var v = Str(body, field) ?? fallback ?? throw ApiException.BadRequest(field, $"{field} is required");
        if (!allowed.Contains(v)) throw ApiException.BadRequest(field, $"{field} must be one of {string.Join(", ", allowed)}; got '{v}'");
        return v;
    }

    private void CheckTemplate(int id)
    {
        if (!S.Templates.Any(t => t.Id == id)) throw ApiException.BadRequest("os_template_id", $"Unknown OS template {id}");
    }

    private ApiResult StartAction(Ctx c, string op)
    {
        if (op is "operation_diag" or "operation_clear_hdd" or "suspend" or "resume") c.RequireAdmin();
        var s = VisibleServer(c, c.P[0]);
        var b = c.Body;
        Action<SimTask>? configure = null;
        switch (op)
        {
            case "operation_os":
            {
                var tid = Int(b, "os_template_id") ?? throw ApiException.BadRequest("os_template_id", "os_template_id is required");
                CheckTemplate(tid);
                Enum(b, "hdd_raid", Inferred.HddRaidModes, "none");
                Str(b, "password");
                var keys = Field(b, "ssh_pub_keys");
                if (keys.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
                {
                    if (keys.ValueKind != JsonValueKind.Array || keys.EnumerateArray().Any(k => k.ValueKind != JsonValueKind.String))
                        throw ApiException.BadRequest("ssh_pub_keys", "ssh_pub_keys must be an array of strings");
                }
                configure = t => t.OsTemplateId = tid;
                break;
            }
            case "operation_clear_hdd":
            {
                var mode = Enum(b, "clear_hdd", Inferred.ClearHddModes, null);
                configure = t => t.ClearHdd = mode;
                break;
            }
            case "operation_diag":
            {
                Bool(b, "setup_ipmi");
                var pool = Int(b, "ipmi_pool");
                if (pool is > 0 && S.Pools.All(p => p.Id != pool)) throw ApiException.NotFound($"Pool {pool} not found", "ipmi_pool");
                var tid = Int(b, "os_template_id");
                if (tid is > 0) CheckTemplate(tid.Value);
                var mode = Enum(b, "clear_hdd", Inferred.ClearHddModes, "none");
                configure = t => { t.ClearHdd = mode; t.OsTemplateId = tid is > 0 ? tid : null; };
                break;
            }
        }
        CheckIdle(s);
        if (op == "suspend" && s.State != "active") throw ApiException.Conflict($"Server {s.Id} is already {s.State}");
        if (op == "resume" && s.State != "suspended") throw ApiException.Conflict($"Server {s.Id} is not suspended (state {s.State})");
        var task = S.StartTask(s, op, c.Now, configure);
        return IdTask(s.Id, task.Id);
    }

    // ================================================================== IP addresses

    private ApiResult AddIp(Ctx c)
    {
        var s = VisibleServer(c, c.P[0]);
        var b = c.Body;
        var family = Str(b, "family");
        if (family is not null and not ("ipv4" or "ipv6")) throw ApiException.BadRequest("family", "family must be ipv4 or ipv6");
        var ipName = Str(b, "ip_name");
        var netId = Int(b, "ip_net");
        var poolId = Int(b, "ip_pool");
        var domain = Str(b, "domain");
        var setMain = Bool(b, "set_as_main_ipv4") ?? false;
        Int(b, "userspace");
        Network? net = null;
        Pool? pool = null;
        if (netId is > 0) net = S.Networks.FirstOrDefault(n => n.Id == netId) ?? throw ApiException.NotFound($"Network {netId} not found", "ip_net");
        if (poolId is > 0) pool = S.Pools.FirstOrDefault(p => p.Id == poolId) ?? throw ApiException.NotFound($"Pool {poolId} not found", "ip_pool");

        UInt128 value;
        if (!string.IsNullOrWhiteSpace(ipName))
        {
            if (!Ip.TryParse(ipName, out value, out var fam)) throw ApiException.BadRequest("ip_name", $"'{ipName}' is not a valid IP address");
            var famName = fam == 2 ? "ipv4" : "ipv6";
            if (family is not null && family != famName) throw ApiException.BadRequest("family", $"{ipName} is not an {family} address");
            if (net is not null && (net.Family != fam || !net.Contains(value)))
                throw ApiException.BadRequest("ip_name", $"{ipName} is outside network {net.Name}");
            net ??= S.Networks.FirstOrDefault(n => n.Family == fam && n.Contains(value))
                ?? throw ApiException.BadRequest("ip_name", $"{ipName} is outside every known network");
            if (pool is not null && !pool.Ranges.Any(r => r.Net == net && r.Contains(value)))
                throw ApiException.BadRequest("ip_name", $"{ipName} is outside pool {pool.Name}");
            pool ??= S.PoolOf(net, value);
            if (net.IsReserved(value)) throw ApiException.BadRequest("ip_name", $"{ipName} is reserved (network, broadcast or gateway address)");
            if (S.AddressByValue.ContainsKey((fam, value))) throw ApiException.Conflict($"Address {ipName} is already in use", "ip_name");
        }
        else
        {
            var fam = family == "ipv6" ? 10 : 2;
            List<PoolRange> ranges;
            if (pool is not null) ranges = pool.Ranges.Where(r => r.Net.Family == fam && (net is null || r.Net == net)).ToList();
            else if (net is not null)
            {
                if (net.Family != fam) throw ApiException.BadRequest("family", $"Network {net.Name} is not {(fam == 2 ? "ipv4" : "ipv6")}");
                ranges = new() { new PoolRange { Net = net, Start = net.Base + 1, End = net.Family == 2 ? net.Last - 1 : net.Last } };
            }
            else throw ApiException.BadRequest("ip_pool", "ip_pool, ip_net or ip_name is required");
            if (ranges.Count == 0)
                throw ApiException.BadRequest("family", $"Pool {pool!.Name} has no {(fam == 2 ? "ipv4" : "ipv6")} addresses");
            UInt128? found = null;
            foreach (var r in ranges)
            {
                for (var v = r.Start; v <= r.End && v >= r.Start; v++)
                {
                    if (r.Net.IsReserved(v) || S.AddressByValue.ContainsKey((fam, v))) continue;
                    found = v; net = r.Net; break;
                }
                if (found is not null) break;
            }
            if (found is null) throw ApiException.Conflict($"No free addresses left in {(pool is not null ? "pool " + pool.Name : "network " + net!.Name)}", "ip_pool");
            value = found.Value;
            pool ??= S.PoolOf(net!, value);
        }
        var addr = S.AddAddress(net!, pool, value, string.IsNullOrEmpty(domain) ? s.Domain : domain, s, "allocating");
        var task = S.StartTask(s, Inferred.TaskIpAdd, c.Now, t => { t.AddressId = addr.Id; t.SetMain = setMain; });
        return IdTask(s.Id, task.Id);
    }

    private ApiResult RemoveIp(Ctx c)
    {
        var s = VisibleServer(c, c.P[0]);
        int ipId = Id(c.P[1]);
        var addr = s.Ips.FirstOrDefault(a => a.Id == ipId) ?? throw ApiException.NotFound($"Address {c.P[1]} not found on server {s.Id}");
        if (addr.Status != "active") throw ApiException.Conflict($"Address {addr.Name} is {addr.Status}");
        var task = S.StartTask(s, Inferred.TaskIpRemove, c.Now, t => t.AddressId = addr.Id);
        return IdTask(s.Id, task.Id);
    }

    // ================================================================== tasks, settings

    private ApiResult TaskList(Ctx c)
    {
        IEnumerable<SimTask> rows = S.Tasks;
        if (!c.IsAdmin) rows = rows.Where(t => S.Servers[t.ServerId - 1].OwnerId == c.Me.Id);
        return SmallList(rows, S.WriteTask, _taskFields, c);
    }

    private ApiResult TaskGet(Ctx c)
    {
        long id = long.TryParse(c.P[0], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
        if (!S.TasksById.TryGetValue(id, out var t) || (!c.IsAdmin && S.Servers[t.ServerId - 1].OwnerId != c.Me.Id))
            throw ApiException.NotFound($"Task {c.P[0]} not found");
        return Ok(w => S.WriteTask(w, t));
    }

    private ApiResult DciSetting(Ctx c)
    {
        c.RequireAdmin();
        var value = ScalarText(Field(c.Body, "value")) ?? throw ApiException.BadRequest("value", "value is required");
        S.Settings["dci/" + c.P[0]] = value;
        return Empty();
    }
}
