using System.Globalization;

namespace DciManager.Simulator.Dci5;

/// <summary>An application error: answered as an error doc in an HTTP 200.</summary>
internal sealed class D5Error : Exception
{
    public D5Error(string type, string obj, string message) : base(message) { Type = type; Object = obj; }
    public string Type { get; }
    public string Object { get; }

    public static D5Error Value(string obj, string msg) => new("value", obj, msg);
    public static D5Error NoElement(string elid) => new("value", "elid", $"The element '{elid}' does not exist");
    public static D5Error Access() => new(Dci5Inferred.TypeAccess, "", "Access denied: insufficient privileges");
}

/// <summary>One call: its parameters (query and form merged, form wins) and the caller.</summary>
internal sealed class D5Request
{
    public Dictionary<string, string> P = new(StringComparer.Ordinal);
    public string Func = "";
    public D5User User = null!;
    public string Host = "";

    public string? Get(string name) => P.TryGetValue(name, out var v) ? v : null;
    public bool Has(string name) => P.ContainsKey(name);
    public bool Submit => Get("sok") is { Length: > 0 } s && s != "no";
    public string Need(string name) => Get(name) is { Length: > 0 } v ? v : throw D5Error.Value(name, $"The field '{name}' is required");
}

/// <summary>The DCImanager 5 function catalogue (reference section 1.6), each answering one doc.</summary>
internal sealed class Dci5Functions
{
    private readonly Dci5State _s;
    private readonly Dictionary<string, Func<D5Request, Node>> _table;

    public Dci5Functions(Dci5State state)
    {
        _s = state;
        _table = new(StringComparer.Ordinal)
        {
            ["session.newkey"] = NewKey,
            ["server"] = ServerList,
            ["server.edit"] = ServerEdit,
            ["server.poweron"] = r => Power(r, "power_on"),
            ["server.poweroff"] = r => Power(r, "power_off"),
            ["server.reboot"] = r => Power(r, "power_reset"),
            ["server.disable"] = r => Disable(r, true),
            ["server.enable"] = r => Disable(r, false),
            ["server.operations"] = Operations,
            ["server.opercancel"] = OperCancel,
            ["server.connection"] = ConnectionList,
            ["server.connection.edit"] = ConnectionEdit,
            ["server.connection.on"] = r => ConnectionSwitch(r, true),
            ["server.connection.off"] = r => ConnectionSwitch(r, false),
            ["server.connection.autocreateipmi"] = AutoCreateIpmi,
            ["ipmiredirect"] = IpmiRedirect,
            ["iplist"] = IpList,
            ["iplist.edit"] = IpEdit,
            ["iplist.delete"] = IpDelete,
            ["osmgr"] = OsList,
            ["user"] = UserList,
            ["user.edit"] = UserEdit,
            ["user.delete"] = UserDelete,
            ["rack"] = RackList,
            ["switch"] = SwitchList,
            ["switch.port"] = SwitchPorts,
            ["switch.port.on"] = r => SwitchPortSet(r, true),
            ["switch.port.off"] = r => SwitchPortSet(r, false),
            ["switch.port.refresh"] = SwitchPortRefresh,
            ["pdu"] = PduList,
            ["pdu.port"] = PduPorts,
            ["pdu.on"] = r => PduSet(r, true),
            ["pdu.off"] = r => PduSet(r, false),
            ["chassistempl"] = ChassisList,
            ["traffic"] = r => Traffic(r, "traffic"),
            ["trafficpie"] = r => Traffic(r, "trafficpie"),
            ["trafficburstable"] = r => Traffic(r, "trafficburstable"),
            ["trafficburstable_pie"] = r => Traffic(r, "trafficpie"),
            ["currentdetails"] = CurrentDetails,
            ["longtask"] = LongTasks,
        };
    }

    /// <summary>Every function this mode answers (func=auth is handled before dispatch).</summary>
    public IEnumerable<string> Names => _table.Keys.Prepend("auth");

    private static readonly HashSet<string> UserFunctions = new(StringComparer.Ordinal)
    {
        "server", "server.poweron", "server.poweroff", "server.reboot", "server.operations", "server.opercancel", "ipmiredirect",
        "iplist", "osmgr", "traffic", "trafficpie", "trafficburstable", "trafficburstable_pie", "currentdetails",
    };

    public Node Execute(D5Request r)
    {
        if (!_table.TryGetValue(r.Func, out var handler))
            throw new D5Error("missed", Dci5Inferred.UnknownFuncObject, $"Unknown function '{r.Func}'");
        if (!r.User.IsAdmin && !UserFunctions.Contains(r.Func)) throw D5Error.Access();
        lock (_s.Sync)
        {
            _s.Advance();
            return handler(r);
        }
    }

    private static Node Doc() => new("doc");
    private static Node Ok() => Doc().Flag("ok");

    // ------------------------------------------------------------------ lookups

    private static int? ParseId(string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private IEnumerable<D5Server> Visible(D5User u) => u.IsAdmin ? _s.Servers : _s.Servers.Where(s => s.OwnerId == u.Id);

    /// <summary>The server named by <paramref name="field"/> (elid or plid); a user's foreign server is refused as access.</summary>
    private D5Server ServerOf(D5Request r, string field = "elid")
    {
        var text = r.Get(field);
        if (string.IsNullOrWhiteSpace(text)) throw D5Error.Value(field, $"The field '{field}' is required");
        if (ParseId(text) is not { } id || !_s.ServerById.TryGetValue(id, out var s)) throw D5Error.NoElement(text);
        if (!r.User.IsAdmin && s.OwnerId != r.User.Id) throw D5Error.Access();
        return s;
    }

    /// <summary>Group operations take elid=1, 2, 3 (reference: [I]).</summary>
    private List<D5Server> ServersOf(D5Request r)
    {
        var text = r.Get("elid");
        if (string.IsNullOrWhiteSpace(text)) throw D5Error.Value("elid", "The field 'elid' is required");
        var list = new List<D5Server>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var single = new D5Request { P = new(r.P) { ["elid"] = part }, Func = r.Func, User = r.User };
            list.Add(ServerOf(single));
        }
        return list;
    }

    private string OwnerName(D5Server s) => s.OwnerId is { } o ? _s.FindUser(o)?.Name ?? "" : "";

    // ------------------------------------------------------------------ auth keys

    private Node NewKey(D5Request r)
    {
        var name = r.Need("username");
        var key = r.Need("key");
        var user = _s.FindUser(name) ?? throw D5Error.Value("username", $"The user '{name}' does not exist");
        if (key.Length < Dci5Inferred.MinKeyLength) throw D5Error.Value("key", $"The key must be at least {Dci5Inferred.MinKeyLength} characters");
        _s.Keys[key] = (user.Id, _s.Now + Dci5Inferred.KeyLifetime);
        return Ok();
    }

    // ------------------------------------------------------------------ servers

    private static readonly Dictionary<string, string> Hints = new(StringComparer.Ordinal)
    {
        ["poweron"] = "The server is powered on",
        ["poweroff"] = "The server is powered off",
        ["powererror"] = "The power state could not be read or changed",
        ["disabled"] = "The server is disabled: its switch ports are off",
        ["blocked"] = "The server is blocked",
        ["hwproblem"] = "Hardware problem detected",
        ["diag_in_progress"] = "Diagnostics in progress",
        ["install_in_progress"] = "Operating system installation in progress",
        ["operation_failed"] = "The last operation failed",
    };

    private Node ServerList(D5Request r)
    {
        if (r.Get("clickstat") == "title")
        {
            var s = ServerOf(r);
            var field = r.Need("hint_field");
            string hint = Hints.TryGetValue(field, out var h) ? h : field;
            if (field is "install_in_progress" or "diag_in_progress" && s.Operation is { } op)
                hint += string.Create(CultureInfo.InvariantCulture, $" (started {op.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss})");
            if (field == "operation_failed" && s.OperationFailed) hint += $" on {s.Name}";
            return Doc().Add("value", hint);
        }
        var doc = Doc();
        var visible = Visible(r.User);
        doc.Children = new List<Node>(r.User.IsAdmin ? _s.Servers.Count : 16);
        foreach (var s in visible) doc.Children.Add(ServerRow(s));
        return doc;
    }

    private Node ServerRow(D5Server s)
    {
        var row = new Node("elem")
            .Add("id", s.Id.ToString(CultureInfo.InvariantCulture))
            .Field("name", s.Name)
            .Field("hostname", s.Hostname)
            .Field("ip", s.MainIp)
            .Field("owner", OwnerName(s))
            .Field("type", s.Type)
            .Field("chassis_templ", s.Chassis)
            .Field("gen_chassis_name", s.GenChassis)
            .Add("rack", string.Create(CultureInfo.InvariantCulture, $"{s.Rack.Name} {s.Unit}"))
            .Field("ipmi", s.Ipmi?.Name)
            .Field("mac", s.Mac)
            .Field("ostemplate", s.Template);
        foreach (var f in _s.FlagsOf(s)) row.Flag(f);
        return row;
    }

    private Node ServerForm(D5Server s)
    {
        var doc = Doc()
            .Add("elid", s.Id.ToString(CultureInfo.InvariantCulture))
            .Add("name", s.Name)
            .Add("mac", s.Mac)
            .Add("notes", s.Notes)
            .Add("type", s.Type)
            .Add("owner", s.OwnerId?.ToString(CultureInfo.InvariantCulture) ?? "no_owner")
            .Add("disabled", s.Disabled ? "on" : "off")
            .Add("hostname", s.Hostname);
        var owners = new Node("slist").Attr("name", "owner").Child(new Node("val", "No owner").Attr("key", "no_owner"));
        foreach (var u in _s.Users) owners.Child(new Node("val", u.Name).Attr("key", u.Id.ToString(CultureInfo.InvariantCulture)));
        return doc.Child(owners);
    }

    private Node ServerEdit(D5Request r)
    {
        var s = ServerOf(r);
        if (!r.Submit) return ServerForm(s);
        // The submit replaces the form: every field not sent is cleared (Dci5Inferred.ServerFormFields).
        int? owner = null;
        var ownerText = r.Get("owner");
        if (!string.IsNullOrEmpty(ownerText) && ownerText != "no_owner")
        {
            var u = ParseId(ownerText) is { } oid ? _s.FindUser(oid) : _s.FindUser(ownerText);
            owner = (u ?? throw D5Error.Value("owner", $"The user '{ownerText}' does not exist")).Id;
        }
        var before = s.OwnerId;
        s.Name = r.Get("name") ?? "";
        s.Mac = r.Get("mac") ?? "";
        s.Notes = r.Get("notes") ?? "";
        s.Type = r.Get("type") ?? "";
        s.OwnerId = owner;
        var now = _s.Now;
        if (before != owner)
        {
            if (before is { } b && owner is null) _s.Shared.AddExternalLedger(s.Id, "owner_delete", now, $"user {b}");
            if (owner is { } o) _s.Shared.AddExternalLedger(s.Id, "owner_set", now, $"user {o}");
        }
        return Ok();
    }

    private Node Power(D5Request r, string kind)
    {
        foreach (var s in ServersOf(r))
        {
            if (s.Operation is not null) throw D5Error.Value(Dci5Inferred.BusyObject, $"The server {s.Name} has an operation in progress");
        }
        foreach (var s in ServersOf(r)) _s.Start(s, kind, r.Func);
        return Ok();
    }

    private Node Disable(D5Request r, bool disable)
    {
        foreach (var s in ServersOf(r))
        {
            if (s.Disabled == disable) continue;
            s.Disabled = disable;
            if (s.Data?.Port is { } p) p.AdminUp = !disable;
            _s.Shared.AddExternalLedger(s.Id, disable ? "suspend" : "resume", _s.Now, r.Func);
        }
        return Ok();
    }

    private Node Operations(D5Request r)
    {
        var s = ServerOf(r);
        if (!r.Submit)
        {
            var doc = Doc()
                .Add("elid", s.Id.ToString(CultureInfo.InvariantCulture))
                .Add("operation", "ostemplate")
                .Add("ostemplate", s.Template ?? "")
                .Add("hostname", s.Hostname)
                .Add("ipaddr", s.MainIp);
            var list = new Node("slist").Attr("name", "ostemplate");
            foreach (var t in _s.Templates) list.Child(new Node("val", t.Name).Attr("key", t.Key));
            doc.Child(list);
            var ops = new Node("slist").Attr("name", "operation");
            foreach (var o in Dci5Inferred.Operations) ops.Child(new Node("val", o).Attr("key", o));
            return doc.Child(ops);
        }
        var operation = r.Get("operation");
        if (string.IsNullOrEmpty(operation))
            operation = r.Get("diag") == "on" ? "diag" : r.Get("clearhdd") == "on" ? "clearhdd" : r.Get("rescue") == "on" ? "rescue" : "";
        if (Array.IndexOf(Dci5Inferred.Operations, operation) < 0)
            throw D5Error.Value("operation", $"Unknown operation '{operation}'");
        if (s.Operation is not null) throw D5Error.Value(Dci5Inferred.BusyObject, $"The server {s.Name} has an operation in progress");
        switch (operation)
        {
            case "ostemplate":
            {
                var key = r.Need("ostemplate");
                var t = _s.Templates.FirstOrDefault(x => x.Key == key || x.Name == key) ?? throw D5Error.Value("ostemplate", $"Unknown OS template '{key}'");
                var passwd = r.Need("passwd");
                if (r.Get("confirm") is { } confirm && confirm != passwd) throw D5Error.Value("confirm", "The passwords do not match");
                if (r.Get("hostname") is { Length: > 0 } hn) s.Hostname = hn;
                _s.Start(s, "operation_os", r.Func, t.Key);
                break;
            }
            case "diag": _s.Start(s, "operation_diag", r.Func); break;
            case "clearhdd": _s.Start(s, "operation_clear_hdd", r.Func, r.Get("fullhddclear") == "on" ? "full" : null); break;
            default: _s.Start(s, "rescue", r.Func); break;
        }
        return Ok();
    }

    private Node OperCancel(D5Request r)
    {
        var s = ServerOf(r);
        if (!_s.Cancel(s)) throw D5Error.Value(Dci5Inferred.BusyObject, $"The server {s.Name} has no operation in progress");
        return Ok();
    }

    // ------------------------------------------------------------------ connections

    private Node ConnectionList(D5Request r)
    {
        var s = ServerOf(r);
        var doc = Doc();
        var now = _s.Now;
        foreach (var c in s.Connections)
        {
            var row = new Node("elem")
                .Add("id", c.Id.ToString(CultureInfo.InvariantCulture))
                .Add("name", c.Name)
                .Add("type", c.Type)
                .Field("device", c.Port?.Switch.Name ?? c.Outlet?.Pdu.Name)
                .Field("port", c.Port?.Identity ?? c.Outlet?.Identity)
                .Field("ip", c.IpmiIp);
            if (c.Port is { } p) row.Add("status", p.AdminUp ? "on" : "off");
            if (c.Outlet is { } o) row.Add("status", o.Power ? "on" : "off");
            row.Flag("func_in_progress", c.BusyUntil > now);
            doc.Child(row);
        }
        return doc;
    }

    private D5Connection ConnectionOf(D5Request r, out D5Server server)
    {
        server = ServerOf(r, "plid");
        var text = r.Get("elid") ?? "";
        var id = ParseId(text);
        return server.Connections.FirstOrDefault(c => c.Id == id) ?? throw D5Error.NoElement(text);
    }

    private Node ConnectionEdit(D5Request r)
    {
        var c = ConnectionOf(r, out var server);
        if (!r.Submit)
        {
            var doc = Doc().Add("elid", c.Id.ToString(CultureInfo.InvariantCulture)).Add("type", c.Type);
            return c.Type switch
            {
                "IPMI" => doc.Add("ipmiip", c.IpmiIp).Add("ip", c.IpmiIp),
                "PDU" => doc.Add("port", c.Outlet?.Identity ?? ""),
                _ => doc.Add("port", c.Port?.Identity ?? ""),
            };
        }
        switch (c.Type)
        {
            case "IPMI":
                var ip = r.Get("ipmiip") ?? r.Get("ip") ?? "";
                if (ip.Length > 0 && !Ip.TryParse(ip, out _, out _)) throw D5Error.Value("ipmiip", $"'{ip}' is not an IP address");
                c.IpmiIp = ip;
                c.Name = ip;
                break;
            case "Switch":
            {
                var identity = r.Get("port") ?? "";
                if (identity.Length == 0) { if (c.Port is { } old) old.Server = null; c.Port = null; break; }
                var sw = c.Port?.Switch ?? _s.Switches.First(x => x.Rack == server.Rack);
                var port = sw.Ports.FirstOrDefault(p => p.Identity == identity || p.Id.ToString(CultureInfo.InvariantCulture) == identity)
                    ?? throw D5Error.Value("port", $"The switch {sw.Name} has no port '{identity}'");
                if (port.Server is not null && port.Server != server) throw new D5Error("exists", "port", $"The port {identity} is connected to {port.Server.Hostname}");
                if (c.Port is { } prev) prev.Server = null;
                port.Server = server;
                c.Port = port;
                c.Name = $"{sw.Name} {port.Identity}";
                break;
            }
        }
        return Ok();
    }

    private Node ConnectionSwitch(D5Request r, bool on)
    {
        var c = ConnectionOf(r, out var server);
        if (c.Type != "Switch" || c.Port is null) throw D5Error.Value("elid", "Only a Switch connection can be switched on or off");
        c.Port.AdminUp = on;
        c.BusyUntil = _s.Now + _s.DurationOf("power_on") / 3;
        _s.Shared.AddExternalLedger(server.Id, on ? "port_enable" : "port_disable", _s.Now, $"switch {c.Port.Switch.Id} port {c.Port.Id}");
        return Ok();
    }

    private Node AutoCreateIpmi(D5Request r)
    {
        var s = ServerOf(r, "plid");
        if (s.Ipmi is not null) throw new D5Error("exists", "connection", $"The server {s.Name} already has an IPMI connection");
        var pool = _s.Pools.First(p => p.Name == "ipmi");
        var ip = _s.Allocate(pool, 2, null, out _) ?? throw D5Error.Value("ipmiip", "The IPMI pool is exhausted");
        var c = new D5Connection { Id = ++_s.NextConnectionId, Type = "IPMI", Name = ip.Text, IpmiIp = ip.Text, BusyUntil = _s.Now + _s.DurationOf("power_on") / 3 };
        s.Connections.Add(c);
        _s.Shared.AddExternalLedger(s.Id, "connection_create", _s.Now, $"IPMI {ip.Text}");
        return Doc().Add("id", c.Id.ToString(CultureInfo.InvariantCulture));
    }

    private Node IpmiRedirect(D5Request r)
    {
        var s = ServerOf(r);
        var value = r.Get("value");
        var c = (string.IsNullOrEmpty(value) ? s.Ipmi : s.Connections.FirstOrDefault(x => x.Type == "IPMI" && x.Name == value))
            ?? throw D5Error.Value("value", $"The server {s.Name} has no IPMI connection '{value}'");
        return Doc().Add("ok", $"https://{r.Host}{Dci5Inferred.IpmiProxyPath}{s.Id}/{Uri.EscapeDataString(c.Name)}");
    }

    // ------------------------------------------------------------------ addresses

    private Node IpList(D5Request r)
    {
        var s = ServerOf(r);
        var doc = Doc();
        foreach (var family in new[] { 2, 10 })
        {
            var ips = s.Ips.Where(i => i.Family == family).ToList();
            if (ips.Count == 0) continue;
            var name = family == 2 ? "ipv4" : "ipv6";
            doc.Child(new Node("elem").Add("id", name).Add("ip", family == 2 ? "IPv4" : "IPv6").Add("type", "group"));
            foreach (var ip in ips)
                doc.Child(new Node("elem").Add("id", ip.Id.ToString(CultureInfo.InvariantCulture)).Add("ip", ip.Text).Field("domain", ip.Domain).Add("type", name));
        }
        return doc;
    }

    private Node IpEdit(D5Request r)
    {
        var s = ServerOf(r, "plid");
        var elid = r.Get("elid");
        if (!string.IsNullOrEmpty(elid))
        {
            var ip = s.Ips.FirstOrDefault(i => i.Id == ParseId(elid)) ?? throw D5Error.NoElement(elid);
            if (!r.Submit)
                return Doc().Add("elid", elid).Add("ip", ip.Text).Add("domain", ip.Domain).Add("family", ip.Family == 2 ? "ipv4" : "ipv6");
            ip.Domain = r.Get("domain") ?? "";
            return Ok();
        }
        if (!r.Submit)
        {
            var form = Doc().Add("family", "ipv4").Add("iptype", "public").Add("ip", "").Add("domain", s.Hostname);
            var types = new Node("slist").Attr("name", "iptype");
            foreach (var p in _s.Pools) types.Child(new Node("val", p.Name).Attr("key", p.Name));
            return form.Child(types);
        }
        var familyText = r.Get("family") ?? "ipv4";
        int family = familyText switch { "ipv4" => 2, "ipv6" => 10, _ => throw D5Error.Value("family", $"Unknown family '{familyText}'") };
        var iptype = r.Get("iptype") is { Length: > 0 } t ? t : "public";
        var pool = _s.Pools.FirstOrDefault(p => p.Name == iptype) ?? throw D5Error.Value("iptype", $"Unknown IP type '{iptype}'");
        var wanted = r.Get("ip");
        var added = _s.Allocate(pool, family, wanted, out var error);
        if (added is null)
        {
            throw error switch
            {
                "exists" => new D5Error("exists", "ip", $"The address {wanted} is already in use"),
                "exhausted" => D5Error.Value("iptype", $"No free {familyText} address in '{iptype}'"),
                _ => D5Error.Value("ip", $"'{wanted}' is not a {familyText} address of '{iptype}'"),
            };
        }
        added.Domain = r.Get("domain") ?? "";
        added.Pool = pool.Name;
        s.Ips.Add(added);
        _s.Shared.AddExternalLedger(s.Id, "ip_add", _s.Now, added.Text);
        return Doc().Add("ip", added.Text).Add("id", added.Id.ToString(CultureInfo.InvariantCulture));
    }

    private Node IpDelete(D5Request r)
    {
        var s = ServerOf(r, "plid");
        var elid = r.Need("elid");
        foreach (var part in elid.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var ip = s.Ips.FirstOrDefault(i => i.Id == ParseId(part) || i.Text == part)
                ?? throw new D5Error(Dci5Inferred.DeleteMissing, "iplist", $"The address '{part}' is not assigned to {s.Name}");
            s.Ips.Remove(ip);
            _s.Release(ip);
            _s.Shared.AddExternalLedger(s.Id, "ip_remove", _s.Now, ip.Text);
        }
        return Ok();
    }

    // ------------------------------------------------------------------ catalogue lists

    private Node OsList(D5Request r)
    {
        var doc = Doc();
        foreach (var t in _s.Templates)
            doc.Child(new Node("elem").Add("id", t.Key).Add("name", t.Key).Add("osname", t.Name).Add("tags", string.Join(",", t.Tags)).Add("state", "ok"));
        return doc;
    }

    private Node ChassisList(D5Request r)
    {
        var doc = Doc();
        int id = 0;
        foreach (var (name, count) in _s.Chassis)
            doc.Child(new Node("elem").Add("id", (++id).ToString(CultureInfo.InvariantCulture)).Add("name", name).Add("count", count.ToString(CultureInfo.InvariantCulture)));
        return doc;
    }

    private Node LongTasks(D5Request r)
    {
        var doc = Doc();
        foreach (var (op, serverId) in _s.History.TakeLast(200))
        {
            doc.Child(new Node("elem")
                .Add("id", op.Id.ToString(CultureInfo.InvariantCulture))
                .Add("name", op.Func)
                .Add("elid", serverId.ToString(CultureInfo.InvariantCulture))
                .Add("status", op.Status)
                .Add("start", op.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)));
        }
        return doc;
    }

    // ------------------------------------------------------------------ users

    private static Node UserRow(D5User u) => new Node("elem")
        .Add("id", u.Id.ToString(CultureInfo.InvariantCulture))
        .Add("name", u.Name)
        .Add("level", u.Level.ToString(CultureInfo.InvariantCulture))
        .Field("realname", u.RealName)
        .Field("email", u.Email);

    private Node UserList(D5Request r)
    {
        var doc = Doc();
        foreach (var u in _s.Users) doc.Child(UserRow(u));
        return doc;
    }

    private static int Level(string? text) => text switch
    {
        null or "" or "lvUser" => Dci5Inferred.LevelUser,
        "lvAdmin" => Dci5Inferred.LevelAdmin,
        _ when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && (n == Dci5Inferred.LevelUser || n == Dci5Inferred.LevelAdmin) => n,
        _ => throw D5Error.Value("level", $"Unknown level '{text}'"),
    };

    private Node UserEdit(D5Request r)
    {
        var elid = r.Get("elid");
        if (!string.IsNullOrEmpty(elid))
        {
            var u = (ParseId(elid) is { } id ? _s.FindUser(id) : null) ?? throw D5Error.NoElement(elid);
            if (!r.Submit)
                return Doc().Add("elid", elid).Add("name", u.Name).Add("realname", u.RealName).Add("email", u.Email)
                    .Add("level", u.Level.ToString(CultureInfo.InvariantCulture));
            var name = r.Need("name");
            if (name != u.Name && _s.FindUser(name) is not null) throw new D5Error("exists", "user", $"The user '{name}' already exists");
            int level = Level(r.Get("level"));
            u.Name = name;
            u.RealName = r.Get("realname") ?? "";
            u.Email = r.Get("email") ?? "";
            u.Level = level;
            if (r.Get("passwd") is { Length: > 0 } pw) u.Password = pw;
            return Ok();
        }
        if (!r.Submit) return Doc().Add("name", "").Add("realname", "").Add("email", "").Add("level", "lvUser");
        var newName = r.Need("name");
        var passwd = r.Need("passwd");
        if (r.Get("confirm") is { } confirm && confirm != passwd) throw D5Error.Value("confirm", "The passwords do not match");
        if (_s.FindUser(newName) is not null) throw new D5Error("exists", "user", $"The user '{newName}' already exists");
        var user = new D5User { Id = ++_s.NextUserId, Name = newName, Password = passwd, Level = Level(r.Get("level")), RealName = r.Get("realname") ?? "", Email = r.Get("email") ?? "" };
        _s.Users.Add(user);
        _s.Shared.AddExternalLedger(0, "user_create", _s.Now, $"user {user.Id} {user.Name}");
        return Doc().Add("id", user.Id.ToString(CultureInfo.InvariantCulture));
    }

    private Node UserDelete(D5Request r)
    {
        var elid = r.Need("elid");
        foreach (var part in elid.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var u = (ParseId(part) is { } id ? _s.FindUser(id) : null) ?? throw new D5Error(Dci5Inferred.DeleteMissing, "user", $"The user '{part}' does not exist");
            if (u.Id == r.User.Id) throw D5Error.Value("elid", "You cannot delete yourself");
            _s.Users.Remove(u);
            foreach (var s in _s.Servers.Where(s => s.OwnerId == u.Id)) s.OwnerId = null;
            foreach (var key in _s.Sessions.Where(x => x.Value.UserId == u.Id).Select(x => x.Key).ToList()) _s.Sessions.Remove(key);
            _s.Shared.AddExternalLedger(0, "user_delete", _s.Now, $"user {u.Id} {u.Name}");
        }
        return Ok();
    }

    // ------------------------------------------------------------------ racks, switches, PDUs

    private Node RackList(D5Request r)
    {
        var doc = Doc();
        foreach (var k in _s.Racks)
            doc.Child(new Node("elem")
                .Add("id", k.Id.ToString(CultureInfo.InvariantCulture))
                .Add("name", k.Name)
                .Add("datacenter", k.Location)
                .Add("size", k.Units.ToString(CultureInfo.InvariantCulture))
                .Add("devices", k.Servers.Count.ToString(CultureInfo.InvariantCulture)));
        return doc;
    }

    private Node SwitchList(D5Request r)
    {
        var doc = Doc();
        foreach (var w in _s.Switches)
            doc.Child(new Node("elem")
                .Add("id", w.Id.ToString(CultureInfo.InvariantCulture))
                .Add("name", w.Name)
                .Add("rack", w.Rack.Name)
                .Add("rack_id", w.Rack.Id.ToString(CultureInfo.InvariantCulture))
                .Add("ip", w.Ip)
                .Add("device", w.Model)
                .Add("ports", w.Ports.Count.ToString(CultureInfo.InvariantCulture)));
        return doc;
    }

    private D5Switch SwitchOf(string? text) =>
        (ParseId(text) is { } id ? _s.Switches.FirstOrDefault(w => w.Id == id) : null) ?? throw D5Error.NoElement(text ?? "");

    private static Node PortRow(D5SwitchPort p, string name = "elem") => new Node(name)
        .Add("id", p.Id.ToString(CultureInfo.InvariantCulture))
        .Add("identity", p.Identity)
        .Field("serverhname", p.Server?.Hostname)
        .Field("desc", p.Desc)
        .Add("speed", Inferred.PortSpeedMbps.ToString(CultureInfo.InvariantCulture))
        .Flag("disabled", !p.AdminUp);

    private Node SwitchPorts(D5Request r)
    {
        var sw = SwitchOf(r.Get("elid"));
        var doc = Doc();
        foreach (var p in sw.Ports) doc.Child(PortRow(p));
        return doc;
    }

    private D5SwitchPort PortOf(string? text) =>
        (ParseId(text) is { } id && id >= 1 ? _s.Switches.SelectMany(w => w.Ports).FirstOrDefault(p => p.Id == id) : null) ?? throw D5Error.NoElement(text ?? "");

    private Node SwitchPortSet(D5Request r, bool on)
    {
        foreach (var part in r.Need("elid").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var p = PortOf(part);
            p.AdminUp = on;
            _s.Shared.AddExternalLedger(p.Server?.Id ?? 0, on ? "port_enable" : "port_disable", _s.Now, $"switch {p.Switch.Id} port {p.Id}");
        }
        return Ok();
    }

    private Node SwitchPortRefresh(D5Request r)
    {
        var identity = r.Need("elid");
        var candidates = r.Get("plid") is { Length: > 0 } plid ? SwitchOf(plid).Ports : _s.Switches.SelectMany(w => w.Ports);
        var p = candidates.FirstOrDefault(x => x.Identity == identity) ?? PortOf(identity);
        var doc = Doc();
        foreach (var c in PortRow(p, "doc").Children!) doc.Child(c);
        return doc.Add("switch", p.Switch.Name);
    }

    private Node PduList(D5Request r)
    {
        var doc = Doc();
        foreach (var p in _s.Pdus)
            doc.Child(new Node("elem")
                .Add("id", p.Id.ToString(CultureInfo.InvariantCulture))
                .Add("name", p.Name)
                .Add("rack_id", p.Rack.Id.ToString(CultureInfo.InvariantCulture))
                .Add("rack", p.Rack.Name)
                .Add("ip", p.Ip)
                .Add("device", p.Model)
                .Add("ports", p.Ports.Count.ToString(CultureInfo.InvariantCulture)));
        return doc;
    }

    private Node PduPorts(D5Request r)
    {
        var text = r.Get("elid");
        var pdu = (ParseId(text) is { } id ? _s.Pdus.FirstOrDefault(p => p.Id == id) : null) ?? throw D5Error.NoElement(text ?? "");
        var doc = Doc();
        foreach (var o in pdu.Ports)
            doc.Child(new Node("elem")
                .Add("id", o.Id.ToString(CultureInfo.InvariantCulture))
                .Add("identity", o.Identity)
                .Field("serverhname", o.Server?.Hostname)
                .Add("power", o.Power ? "1" : "0"));
        return doc;
    }

    private Node PduSet(D5Request r, bool on)
    {
        foreach (var part in r.Need("elid").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var o = (ParseId(part) is { } id && id >= 1 ? _s.Pdus.SelectMany(p => p.Ports).FirstOrDefault(x => x.Id == id) : null) ?? throw D5Error.NoElement(part);
            o.Power = on;
            if (!on && o.Server is { } s && Dci5Inferred.PduOffPowersServerOff) s.PowerOn = false;
            _s.Shared.AddExternalLedger(o.Server?.Id ?? 0, on ? "pdu_port_on" : "pdu_port_off", _s.Now, $"pdu {o.Pdu.Id} port {o.Id}");
        }
        return Ok();
    }

    // ------------------------------------------------------------------ reports

    private static long Bytes(int serverId, string period, int salt)
    {
        unchecked
        {
            uint h = 2166136261;
            foreach (var ch in period) h = (h ^ ch) * 16777619;
            h = (h ^ (uint)serverId) * 16777619;
            h = (h ^ (uint)salt) * 16777619;
            return (long)(h % 5000) * 1024L * 1024L * 37L;
        }
    }

    private static string Gib(long bytes) => (bytes / 1073741824.0).ToString("0.00", CultureInfo.InvariantCulture);

    private List<D5Server> ReportServers(D5Request r) =>
        r.Get("elid") is { Length: > 0 } ? ServersOf(r) : Visible(r.User).ToList();

    private static string Period(D5Request r)
    {
        var period = r.Get("period") is { Length: > 0 } p ? p : "currentmonth";
        if (Array.IndexOf(Dci5Inferred.Periods, period) < 0) throw D5Error.Value("period", $"Unknown period '{period}'");
        return period;
    }

    private Node Traffic(D5Request r, string kind)
    {
        var period = Period(r);
        var servers = ReportServers(r);
        var container = new Node(kind == "trafficpie" ? "traffpie" : "traff");
        long total = servers.Sum(s => Bytes(s.Id, period, 1) + Bytes(s.Id, period, 2));
        foreach (var s in servers)
        {
            long rx = Bytes(s.Id, period, 1), tx = Bytes(s.Id, period, 2);
            var row = new Node("elem").Add("id", s.Id.ToString(CultureInfo.InvariantCulture)).Add("hostname", s.Hostname);
            switch (kind)
            {
                case "traffic":
                    row.Child(new Node("rx", Gib(rx)).Attr("orig", rx.ToString(CultureInfo.InvariantCulture)));
                    row.Child(new Node("tx", Gib(tx)).Attr("orig", tx.ToString(CultureInfo.InvariantCulture)));
                    break;
                case "trafficpie":
                    row.Add("percent", (total == 0 ? 0 : (rx + tx) * 100.0 / total).ToString("0.00", CultureInfo.InvariantCulture));
                    break;
                default:
                    row.Add("burst", (Bytes(s.Id, period, 3) % 1000).ToString(CultureInfo.InvariantCulture));
                    break;
            }
            container.Child(row);
        }
        return Doc().Child(new Node("reportdata").Child(container));
    }

    private Node CurrentDetails(D5Request r)
    {
        var s = ServerOf(r);
        var period = Period(r);
        var traff = new Node("traff");
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int day = 0; day < 7; day++)
        {
            long rx = Bytes(s.Id, period + day, 1) / 30, tx = Bytes(s.Id, period + day, 2) / 30;
            traff.Child(new Node("elem")
                .Add("date", start.AddDays(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Add("hostname", s.Hostname)
                .Child(new Node("rx", Gib(rx)).Attr("orig", rx.ToString(CultureInfo.InvariantCulture)))
                .Child(new Node("tx", Gib(tx)).Attr("orig", tx.ToString(CultureInfo.InvariantCulture))));
        }
        return Doc().Child(new Node("reportdata").Child(traff));
    }
}
