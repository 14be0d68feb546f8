namespace DciManager.Simulator;

/// <summary>Deterministic inventory: the same options (seed, server count) always give the same data.</summary>
internal static class Seeder
{
    private sealed record Config(string Name, string Board, string Vendor, string Cpu, int CpuCount, int Cores, int RamGb, int RamModules,
        (string Model, int SizeGb, string Type)[] Disks);

    private static readonly Config[] Configs =
    {
        new("i9-9900K-64Gb-2x1024NVMe", "WS Z390 PRO", "ASUS", "Intel Core i9-9900K", 1, 8, 64, 4,
            new[] { ("Samsung PM983 1TB", 1024, "nvme"), ("Samsung PM983 1TB", 1024, "nvme") }),
        new("E-2146G-64Gb-1920SSD-3840SSD", "X11SCL-F", "Supermicro", "Intel Xeon E-2146G", 1, 6, 64, 4,
            new[] { ("Micron 5300 PRO 1.92TB", 1920, "ssd"), ("Micron 5300 PRO 3.84TB", 3840, "ssd") }),
        new("E5-2650v4-128Gb-2x480SSD", "X10DRi", "Supermicro", "Intel Xeon E5-2650 v4", 2, 12, 128, 8,
            new[] { ("Intel SSD D3-S4510 480GB", 480, "ssd"), ("Intel SSD D3-S4510 480GB", 480, "ssd") }),
        new("EPYC-7402P-256Gb-2x3840NVMe", "H11SSL-i", "Supermicro", "AMD EPYC 7402P", 1, 24, 256, 8,
            new[] { ("Samsung PM9A3 3.84TB", 3840, "nvme"), ("Samsung PM9A3 3.84TB", 3840, "nvme") }),
        new("2xGold-6226R-384Gb-2x960SSD-4xA100", "X11DPG-OT-CPU", "Supermicro", "Intel Xeon Gold 6226R", 2, 16, 384, 12,
            new[] { ("Samsung PM883 960GB", 960, "ssd"), ("Samsung PM883 960GB", 960, "ssd") }),
    };

    // prefix, weight, configuration indexes
    private static readonly (string Prefix, int Weight, int[] Configs)[] Kinds =
    {
        ("node", 40, new[] { 0, 1, 2, 3 }),
        ("web", 25, new[] { 0, 1 }),
        ("db", 15, new[] { 2, 3 }),
        ("stor", 10, new[] { 1 }),
        ("gpu", 10, new[] { 4 }),
    };

    private static readonly (string Name, string Phone)[] People =
    {
        ("Alice Johnson", "+1-555-0101"), ("Bob Smith", "+1-555-0102"), ("Carol Diaz", "+1-555-0103"), ("Dmitry Ivanov", "+7-900-555-0104"),
        ("Eva Novak", "+420-555-0105"), ("Frank Müller", "+49-555-0106"), ("Grace Lee", "+82-555-0107"), ("Hugo Martin", "+33-555-0108"),
    };

    public static void Seed(SimulatorState s, SimulatorOptions o, string adminPassword)
    {
        var rng = new Random(o.Seed);
        var epoch = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        // Users
        s.Users.Add(new User { Id = 1, Email = o.AdminEmail, FullName = "Administrator", Phone = "+1-555-0100", Password = adminPassword, IsAdmin = true });
        for (int i = 0; i < People.Length; i++)
            s.Users.Add(new User { Id = i + 2, Email = $"user{i + 1:D2}@example.com", FullName = People[i].Name, Phone = People[i].Phone, Password = o.UserPassword });
        s.NextUserId = s.Users.Count;

        s.Locations.Add(new Location(1, "DC1 Amsterdam"));
        s.Locations.Add(new Location(2, "DC2 Frankfurt"));

        s.Templates.Add(new OsTemplate(12, "Ubuntu 24.04 LTS", new[] { "linux", "ubuntu" }));
        s.Templates.Add(new OsTemplate(13, "Debian 12", new[] { "linux", "debian" }));
        s.Templates.Add(new OsTemplate(14, "AlmaLinux 9", new[] { "linux", "rhel" }));
        s.Templates.Add(new OsTemplate(15, "Rocky Linux 9", new[] { "linux", "rhel" }));
        s.Templates.Add(new OsTemplate(21, "Windows Server 2022", new[] { "windows" }));
        s.Templates.Add(new OsTemplate(31, "VMware ESXi 8.0", new[] { "hypervisor", "vmware" }));

        // Networks
        Network Net(int id, string cidr, string vlan, string note)
        {
            var parts = cidr.Split('/');
            Ip.TryParse(parts[0], out var b, out var fam);
            var n = new Network { Id = id, Name = cidr, Family = fam, Prefix = int.Parse(parts[1]), Base = b, Vlan = vlan, Note = note };
            n.Gateway = n.Base + 1;
            s.Networks.Add(n);
            return n;
        }
        var pub1 = Net(1, "203.0.113.0/24", "100", "Public IPv4 DC1");
        var pub2 = Net(2, "198.51.100.0/24", "200", "Public IPv4 DC2");
        var pub6 = Net(3, "2001:db8:100::/64", "100", "Public IPv6");
        var ipmi = Net(4, "10.20.0.0/16", "900", "IPMI management");
        var priv = Net(5, "10.10.0.0/16", "300", "Private network");
        var tiny = Net(6, "192.0.2.0/29", "400", "Tiny test network");
        var cgn = Net(7, "100.64.0.0/16", "500", "Customer block");

        PoolRange Full(Network n) => new() { Net = n, Start = n.Base + 2, End = n.Family == 2 ? n.Last - 1 : n.Last };
        s.Pools.Add(new Pool { Id = 1, Name = "public", Note = "Public addresses", IsPublic = true, Ranges = { Full(pub1), Full(pub2), Full(cgn), Full(pub6) } });
        s.Pools.Add(new Pool { Id = 2, Name = "private", Note = "Private addresses", Ranges = { Full(priv) } });
        s.Pools.Add(new Pool { Id = 3, Name = "ipmi", Note = "IPMI addresses", Ranges = { Full(ipmi) } });
        s.Pools.Add(new Pool { Id = 4, Name = "tiny", Note = "Two addresses (exhaustion tests)", IsPublic = true,
            Ranges = { new PoolRange { Net = tiny, Start = tiny.Base + 2, End = tiny.Base + 3 } } });

        // Servers
        int n = Math.Max(0, o.Servers);
        var owned = new bool[n];
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
        for (int i = 0; i < (n + 1) / 3; i++) owned[order[i]] = true;

        var counters = new Dictionary<string, int>();
        int totalWeight = Kinds.Sum(k => k.Weight);
        int ownedIndex = 0, freeIndex = 0;
        var inventory = new InventorySeeder(s, n, o.Seed);
        var publicRanges = s.Pools[0].Ranges.Where(r => r.Net.Family == 2).ToList();
        int rangeIdx = 0;
        UInt128 nextPublic = publicRanges[0].Start;
        for (int i = 1; i <= n; i++)
        {
            int roll = rng.Next(totalWeight);
            var kind = Kinds[0];
            foreach (var k in Kinds) { if (roll < k.Weight) { kind = k; break; } roll -= k.Weight; }
            counters[kind.Prefix] = counters.GetValueOrDefault(kind.Prefix) + 1;
            var cfg = Configs[kind.Configs[rng.Next(kind.Configs.Length)]];
            int loc = rng.Next(2) + 1;
            rng.Next(); // was the rack number; racks are placed by the inventory (keeps the stream stable)
            var name = $"{kind.Prefix}-{counters[kind.Prefix]:D3}";
            var srv = new Server
            {
                Id = i, Name = name, Domain = $"{name}.dc{loc}.example.net", Configuration = cfg.Name,
                LocationId = loc, Location = s.Locations[loc - 1],
                Barcode = $"BC{o.Seed % 100:D2}{i:D6}", Efi = rng.Next(2) == 0,
                Hardware = new Hardware
                {
                    Board = cfg.Board, BoardVendor = cfg.Vendor, Cpu = cfg.Cpu, CpuCount = cfg.CpuCount, Cores = cfg.Cores * cfg.CpuCount,
                    Threads = cfg.Cores * cfg.CpuCount * 2, RamGb = cfg.RamGb, RamModules = cfg.RamModules, Disks = cfg.Disks,
                },
            };
            inventory.Mount(srv);

            int? template = null;
            if (owned[i - 1])
            {
                var user = s.Users[1 + ownedIndex % People.Length];
                srv.OwnerId = user.Id;
                srv.PowerStatus = rng.Next(10) == 0 ? "off" : "on";
                if (ownedIndex % 7 == 3)
                {
                    srv.State = "suspended";
                    srv.StateInfo = "Switch ports disabled";
                    srv.PowerStatus = "off";
                    foreach (var c in srv.Switches.Where(c => !c.IsIpmi)) { c.AdminStatus = "down"; c.OperStatus = "down"; }
                }
                template = s.Templates[rng.Next(s.Templates.Count)].Id;
                ownedIndex++;
            }
            else
            {
                srv.IsNew = freeIndex % 4 == 1;
                srv.PowerStatus = rng.Next(2) == 0 ? "on" : "off";
                if (!srv.IsNew && rng.Next(2) == 0) template = s.Templates[rng.Next(s.Templates.Count)].Id;
                freeIndex++;
            }
            rng.Next(); // keep the stream stable if fields are added later
            srv.OsTemplateId = template;
            s.Servers.Add(srv);

            if (template is not null || (!srv.IsNew && rng.Next(3) == 0))
            {
                var created = epoch + TimeSpan.FromHours(rng.Next(24 * 300)) + TimeSpan.FromSeconds(rng.Next(3600));
                var op = template is not null ? "operation_os" : "power_on";
                var dur = template is not null ? TimeSpan.FromMinutes(12) : TimeSpan.FromSeconds(20);
                var t = new SimTask
                {
                    Id = ++s.NextTaskId, Name = op, ServerId = i, Status = "complete", CreatedAt = created, RunningAt = created,
                    DueAt = created + dur, FinishedAt = created + dur, Seeded = true, OsTemplateId = template,
                };
                s.Tasks.Add(t);
                s.TasksById[t.Id] = t;
                srv.Operation = t;
            }

            if (srv.OwnerId is not null && rangeIdx < publicRanges.Count)
            {
                var r = publicRanges[rangeIdx];
                s.AddAddress(r.Net, s.Pools[0], nextPublic, srv.Domain, srv, "active");
                nextPublic++;
                if (nextPublic > r.End && ++rangeIdx < publicRanges.Count) nextPublic = publicRanges[rangeIdx].Start;
            }
        }
        inventory.StockWarehouse();
        s.RecountServers();
        foreach (var c in Configs) if (s.Servers.Any(x => x.Configuration == c.Name)) s.ConfigurationOrder.Add(c.Name);
    }
}
