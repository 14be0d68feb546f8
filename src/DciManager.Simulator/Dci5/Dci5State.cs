using System.Globalization;
using System.Security.Cryptography;
using DciManager.Simulator.Dci5;

namespace DciManager.Simulator
{
    public sealed partial class SimulatorState
    {
        /// <summary>In-process control of the DCImanager 5 mode; null in other modes.</summary>
        public Dci5Control? Dci5 { get; internal set; }

        /// <summary>Records a DCImanager 5 operation in the shared ledger (same record type and /_sim/ledger as DCImanager 6).</summary>
        internal void AddExternalLedger(int serverId, string operation, DateTimeOffset at, string? detail)
        {
            lock (Sync) AddLedger(0, serverId, operation, at, detail);
        }
    }
}

namespace DciManager.Simulator.Dci5
{
    /// <summary>Test handle on the DCImanager 5 mode: its clock and its envelope switch.</summary>
    public sealed class Dci5Control
    {
        private readonly Dci5State _state;
        internal Dci5Control(Dci5State state) => _state = state;

        /// <summary>Moves the mode's clock forward (session idle expiry, operation durations) without waiting.</summary>
        public void AdvanceClock(TimeSpan by) { lock (_state.Sync) _state.ClockOffset += by; }

        /// <summary>One-row lists arrive as a bare object instead of a one-element array (both occur in the field).</summary>
        public bool SingleRowAsObject { get; set; }

        /// <summary>Session ids currently valid (for secret-leak checks).</summary>
        public IReadOnlyList<string> ActiveSessions()
        {
            lock (_state.Sync) { var now = _state.Now; return _state.Sessions.Values.Where(s => _state.Alive(s, now)).Select(s => s.Id).ToList(); }
        }

        public int ServerCount { get { lock (_state.Sync) return _state.Servers.Count; } }

        /// <summary>Flags of one server as func=server shows them now.</summary>
        public IReadOnlyList<string> Flags(int serverId)
        {
            lock (_state.Sync)
            {
                _state.Advance();
                return _state.ServerById.TryGetValue(serverId, out var s) ? _state.FlagsOf(s) : Array.Empty<string>();
            }
        }
    }

    internal sealed class D5User
    {
        public int Id;
        public string Name = "", RealName = "", Email = "", Password = "";
        public int Level = Dci5Inferred.LevelUser;
        public bool IsAdmin => Level >= Dci5Inferred.LevelAdmin;
    }

    internal sealed class D5Operation
    {
        public long Id;
        public string Kind = "";      // power_on, power_off, power_reset, operation_os, operation_diag, operation_clear_hdd, rescue
        public string Func = "";
        public DateTimeOffset StartedAt, DueAt;
        public bool WillFail;
        public string? Template;
        public string Status = "run"; // run, ok, err, cancelled
    }

    internal sealed class D5Connection
    {
        public int Id;
        public string Type = "";      // Switch, IPMI, PDU
        public string Name = "";
        public D5SwitchPort? Port;
        public D5PduPort? Outlet;
        public string IpmiIp = "";
        public DateTimeOffset BusyUntil;
    }

    internal sealed class D5Ip
    {
        public int Id;
        public int Family;
        public UInt128 Value;
        public string Text = "";
        public string Domain = "";
        public string Pool = "";
    }

    internal sealed class D5Server
    {
        public int Id;
        public string Name = "", Hostname = "", Mac = "", Notes = "", Type = Dci5Inferred.ServerType, Chassis = "", GenChassis = "";
        public int? OwnerId;
        public D5Rack Rack = null!;
        public int Unit;
        public bool PowerOn;
        public bool PowerError, Disabled, HwProblem, OperationFailed;
        public string? Template;
        public D5Operation? Operation;
        public readonly List<D5Connection> Connections = new();
        public readonly List<D5Ip> Ips = new();
        public string MainIp => Ips.Count > 0 ? Ips[0].Text : "";
        public D5Connection? Ipmi => Connections.FirstOrDefault(c => c.Type == "IPMI");
        public D5Connection? Data => Connections.FirstOrDefault(c => c.Type == "Switch");
    }

    internal sealed class D5Rack
    {
        public int Id;
        public string Name = "", Location = "";
        public int Units;
        public readonly List<D5Server> Servers = new();
    }

    internal sealed class D5Switch
    {
        public int Id;
        public string Name = "", Model = "", Ip = "";
        public D5Rack Rack = null!;
        public readonly List<D5SwitchPort> Ports = new();
    }

    internal sealed class D5SwitchPort
    {
        public int Id;
        public D5Switch Switch = null!;
        public string Identity = "";
        public string Desc = "";
        public bool AdminUp = true;
        public D5Server? Server;
    }

    internal sealed class D5Pdu
    {
        public int Id;
        public string Name = "", Model = "", Ip = "";
        public D5Rack Rack = null!;
        public readonly List<D5PduPort> Ports = new();
    }

    internal sealed class D5PduPort
    {
        public int Id;
        public D5Pdu Pdu = null!;
        public string Identity = "";
        public bool Power = true;
        public D5Server? Server;
    }

    internal sealed class D5Session
    {
        public string Id = "";
        public int UserId;
        public DateTimeOffset LastUsed;
        public string? ClientIp;
    }

    internal sealed class D5Template
    {
        public int Id;
        public string Key = "", Name = "";
        public string[] Tags = Array.Empty<string>();
    }

    internal sealed class D5Pool
    {
        public string Name = "";
        public readonly List<(int Family, UInt128 Start, UInt128 End)> Ranges = new();
    }

    /// <summary>
    /// The DCImanager 5 panel's memory: a copy of the DCImanager 6 seeded inventory taken at start, re-shaped into
    /// COREmanager 5 lists. Every access holds <see cref="Sync"/>; operations advance lazily on the mode's clock.
    /// </summary>
    internal sealed class Dci5State
    {
        internal readonly object Sync = new();
        internal readonly SimulatorState Shared;
        internal readonly SimulatorOptions Options;
        internal readonly List<D5User> Users = new();
        internal readonly List<D5Server> Servers = new();
        internal readonly Dictionary<int, D5Server> ServerById = new();
        internal readonly List<D5Rack> Racks = new();
        internal readonly List<D5Switch> Switches = new();
        internal readonly List<D5Pdu> Pdus = new();
        internal readonly List<D5Template> Templates = new();
        internal readonly List<D5Pool> Pools = new();
        internal readonly List<(string Name, int Count)> Chassis = new();
        internal readonly HashSet<(int, UInt128)> UsedIps = new();
        internal readonly Dictionary<string, D5Session> Sessions = new(StringComparer.Ordinal);
        internal readonly Dictionary<string, (int UserId, DateTimeOffset Expires)> Keys = new(StringComparer.Ordinal);
        internal readonly List<(D5Operation Op, D5Server Server)> Active = new();
        internal readonly List<(D5Operation Op, int ServerId)> History = new();
        internal TimeSpan ClockOffset;
        internal int NextUserId, NextIpId, NextConnectionId;
        internal long NextOperationId;

        public Dci5State(SimulatorState shared)
        {
            Shared = shared;
            Options = shared.Options;
            lock (shared.Sync) Seed(shared);
        }

        internal DateTimeOffset Now => DateTimeOffset.UtcNow + ClockOffset;

        internal bool Alive(D5Session s, DateTimeOffset now) => now - s.LastUsed <= Options.TokenLifetime;

        private void Seed(SimulatorState s)
        {
            foreach (var u in s.Users)
            {
                var name = u.IsAdmin ? Dci5Inferred.AdminName : u.Email.Split('@')[0];
                Users.Add(new D5User
                {
                    Id = u.Id, Name = name, RealName = u.FullName, Email = u.Email, Password = u.Password,
                    Level = u.IsAdmin ? Dci5Inferred.LevelAdmin : Dci5Inferred.LevelUser,
                });
            }
            NextUserId = Users.Max(u => u.Id);

            foreach (var t in s.Templates)
                Templates.Add(new D5Template { Id = t.Id, Key = t.Name.Replace(' ', Dci5Inferred.TemplateKeySpace), Name = t.Name, Tags = t.Tags });
            foreach (var p in s.Pools)
            {
                var pool = new D5Pool { Name = p.Name };
                foreach (var r in p.Ranges) pool.Ranges.Add((r.Net.Family, r.Start, r.End));
                Pools.Add(pool);
            }
            foreach (var a in s.Addresses) UsedIps.Add((a.Net.Family, a.Value));
            // Network and gateway addresses are never handed out.
            foreach (var n in s.Networks) { UsedIps.Add((n.Family, n.Base)); UsedIps.Add((n.Family, n.Gateway)); }

            var racks = new Dictionary<int, D5Rack>();
            foreach (var r in s.Racks)
            {
                var rack = new D5Rack { Id = r.Id, Name = r.Name, Location = r.Location.Name, Units = r.Units };
                racks[r.Id] = rack;
                Racks.Add(rack);
            }
            var ports = new Dictionary<int, D5SwitchPort>();
            foreach (var sw in s.Switches)
            {
                var d = new D5Switch { Id = sw.Id, Name = sw.Name, Model = sw.Model, Ip = sw.Ip, Rack = racks[sw.Rack.Id] };
                foreach (var p in sw.Ports)
                {
                    var port = new D5SwitchPort { Id = p.Id, Switch = d, Identity = p.Description, Desc = "", AdminUp = p.AdminStatus == "up" };
                    d.Ports.Add(port);
                    ports[p.Id] = port;
                }
                Switches.Add(d);
            }
            var outlets = new Dictionary<int, D5PduPort>();
            foreach (var p in s.Pdus)
            {
                var d = new D5Pdu { Id = p.Id, Name = p.Name, Model = p.Model, Ip = p.Ip, Rack = racks[p.Rack.Id] };
                foreach (var o in p.Ports)
                {
                    var outlet = new D5PduPort { Id = o.Id, Pdu = d, Identity = o.Identity, Power = o.PowerStatus == "on" };
                    d.Ports.Add(outlet);
                    outlets[o.Id] = outlet;
                }
                Pdus.Add(d);
            }

            foreach (var src in s.Servers)
            {
                var rack = racks[src.RackId];
                var srv = new D5Server
                {
                    Id = src.Id, Name = src.Name, Hostname = src.Domain, OwnerId = src.OwnerId, Rack = rack, Unit = src.Unit,
                    PowerOn = src.PowerStatus == "on", Disabled = src.State == "suspended", HwProblem = src.Id % Dci5Inferred.HwProblemEvery == 0,
                    Chassis = src.Configuration, GenChassis = $"{src.Hardware.BoardVendor} {src.Hardware.Board}",
                    Mac = string.Create(CultureInfo.InvariantCulture, $"0c:c4:7a:{(src.Id >> 16) & 255:x2}:{(src.Id >> 8) & 255:x2}:{src.Id & 255:x2}"),
                    Template = src.OsTemplateId is { } tid ? Templates.FirstOrDefault(t => t.Id == tid)?.Key : null,
                };
                rack.Servers.Add(srv);
                foreach (var c in src.Switches)
                {
                    if (c.Port is null || !ports.TryGetValue(c.Port.Id, out var port)) continue;
                    port.Server = srv;
                    if (c.IsIpmi)
                    {
                        var ipmiIp = $"10.20.{src.Id / 250}.{src.Id % 250 + 1}";
                        srv.Connections.Add(new D5Connection { Id = ++NextConnectionId, Type = "IPMI", Name = ipmiIp, IpmiIp = ipmiIp, Port = port });
                        if (Ip.TryParse(ipmiIp, out var v, out var fam)) UsedIps.Add((fam, v));
                    }
                    else
                    {
                        srv.Connections.Add(new D5Connection { Id = ++NextConnectionId, Type = "Switch", Name = $"{port.Switch.Name} {port.Identity}", Port = port });
                    }
                }
                if (outlets.TryGetValue(src.PduPort, out var outlet))
                {
                    outlet.Server = srv;
                    srv.Connections.Add(new D5Connection { Id = ++NextConnectionId, Type = "PDU", Name = $"{outlet.Pdu.Name} {outlet.Identity}", Outlet = outlet });
                }
                foreach (var a in src.Ips)
                    srv.Ips.Add(new D5Ip { Id = a.Id, Family = a.Net.Family, Value = a.Value, Text = a.Name, Domain = a.Domain, Pool = a.Pool?.Name ?? "" });
                Servers.Add(srv);
                ServerById[srv.Id] = srv;
            }
            NextIpId = Math.Max(s.NextAddressId, s.Addresses.Count == 0 ? 0 : s.Addresses.Max(a => a.Id));
            foreach (var g in s.Servers.GroupBy(x => x.Configuration)) Chassis.Add((g.Key, g.Count()));
        }

        // ------------------------------------------------------------------ auth

        internal D5User? FindUser(string name) => Users.FirstOrDefault(u => u.Name == name);
        internal D5User? FindUser(int id) => Users.FirstOrDefault(u => u.Id == id);

        internal D5Session OpenSession(D5User user, string? clientIp)
        {
            var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(Dci5Inferred.SessionIdHexLength / 2)).ToLowerInvariant();
            var s = new D5Session { Id = id, UserId = user.Id, LastUsed = Now, ClientIp = clientIp };
            Sessions[id] = s;
            return s;
        }

        // ------------------------------------------------------------------ operations

        internal TimeSpan DurationOf(string kind)
        {
            if (Options.OperationDuration is { } d) return d;
            return kind switch
            {
                "operation_os" => Dci5Inferred.InstallDuration,
                "operation_diag" => Dci5Inferred.DiagDuration,
                "operation_clear_hdd" or "rescue" => Dci5Inferred.ClearDiskDuration,
                _ => Dci5Inferred.PowerDuration,
            };
        }

        internal D5Operation Start(D5Server s, string kind, string func, string? template = null)
        {
            var now = Now;
            var op = new D5Operation
            {
                Id = ++NextOperationId, Kind = kind, Func = func, StartedAt = now, DueAt = now + DurationOf(kind), Template = template,
                WillFail = Shared.TakeFailure(kind),
            };
            s.Operation = op;
            s.OperationFailed = false;
            if (kind.StartsWith("power_", StringComparison.Ordinal)) s.PowerError = false;
            Active.Add((op, s));
            History.Add((op, s.Id));
            Shared.AddExternalLedger(s.Id, kind, now, $"{func}{(template is null ? "" : " " + template)}");
            return op;
        }

        /// <summary>Finishes every operation that is due on the mode's clock.</summary>
        internal void Advance()
        {
            if (Active.Count == 0) return;
            var now = Now;
            for (int i = Active.Count - 1; i >= 0; i--)
            {
                var (op, s) = Active[i];
                if (op.DueAt > now) continue;
                Active.RemoveAt(i);
                Finish(s, op);
            }
        }

        private static void Finish(D5Server s, D5Operation op)
        {
            if (s.Operation == op) s.Operation = null;
            op.Status = op.WillFail ? "err" : "ok";
            if (op.WillFail)
            {
                if (op.Kind.StartsWith("power_", StringComparison.Ordinal)) s.PowerError = true;
                else s.OperationFailed = true;
                return;
            }
            switch (op.Kind)
            {
                case "power_on": case "power_reset": s.PowerOn = true; break;
                case "power_off": s.PowerOn = false; break;
                case "operation_os": s.Template = op.Template; s.PowerOn = true; break;
                case "operation_diag": case "operation_clear_hdd": case "rescue": s.PowerOn = true; break;
            }
        }

        internal bool Cancel(D5Server s)
        {
            if (s.Operation is not { } op) return false;
            Active.RemoveAll(x => x.Op == op);
            op.Status = "cancelled";
            s.Operation = null;
            Shared.AddExternalLedger(s.Id, "operation_cancel", Now, op.Kind);
            return true;
        }

        /// <summary>The flags func=server shows for a server (presence = true).</summary>
        internal IReadOnlyList<string> FlagsOf(D5Server s)
        {
            var flags = new List<string>(4);
            bool rebooting = s.Operation?.Kind == "power_reset";
            if (!rebooting) flags.Add(s.PowerOn ? "poweron" : "poweroff");
            if (s.PowerError) flags.Add("powererror");
            if (s.Disabled) flags.Add("disabled");
            if (s.HwProblem) flags.Add("hwproblem");
            switch (s.Operation?.Kind)
            {
                case "operation_os" or "operation_clear_hdd" or "rescue": flags.Add("install_in_progress"); break;
                case "operation_diag": flags.Add("diag_in_progress"); break;
            }
            if (s.OperationFailed) flags.Add("operation_failed");
            return flags;
        }

        // ------------------------------------------------------------------ addresses

        internal D5Ip? Allocate(D5Pool pool, int family, string? wanted, out string? error)
        {
            error = null;
            if (!string.IsNullOrEmpty(wanted))
            {
                if (!Ip.TryParse(wanted, out var v, out var fam) || fam != family) { error = "value"; return null; }
                if (!pool.Ranges.Any(r => r.Family == fam && v >= r.Start && v <= r.End)) { error = "value"; return null; }
                if (UsedIps.Contains((fam, v))) { error = "exists"; return null; }
                return Take(fam, v);
            }
            foreach (var r in pool.Ranges.Where(r => r.Family == family))
            {
                for (var v = r.Start; v <= r.End; v++)
                {
                    if (!UsedIps.Contains((family, v))) return Take(family, v);
                    if (v == r.End) break;
                }
            }
            error = "exhausted";
            return null;
        }

        private D5Ip Take(int family, UInt128 v)
        {
            UsedIps.Add((family, v));
            return new D5Ip { Id = ++NextIpId, Family = family, Value = v, Text = Ip.Format(v, family) };
        }

        internal void Release(D5Ip ip) => UsedIps.Remove((ip.Family, ip.Value));
    }
}
