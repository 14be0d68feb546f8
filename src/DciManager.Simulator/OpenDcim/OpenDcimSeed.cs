using System.Globalization;

namespace DciManager.Simulator.OpenDcim;

/// <summary>A seeded openDCIM account: People row (when <see cref="PersonId"/> &gt; 0), API key and htpasswd password.</summary>
public sealed record OpenDcimAccount(int PersonId, string UserId, string ApiKey, string? BasicPassword, string Rights);

/// <summary>The class properties of openDCIM 23.04 (other-seed-apis.md 2.6, observed key order).</summary>
internal static class OdSchemas
{
    private static (string, OdKind) I(string n) => (n, OdKind.Int);
    private static (string, OdKind) S(string n) => (n, OdKind.Str);

    public static readonly OdSchema Device = new("DeviceID", new[]
    {
        I("DeviceID"), S("Label"), S("SerialNo"), S("AssetTag"), S("PrimaryIP"), S("SNMPVersion"), S("v3SecurityLevel"),
        S("v3AuthProtocol"), S("v3AuthPassphrase"), S("v3PrivProtocol"), S("v3PrivPassphrase"), S("SNMPCommunity"),
        I("SNMPFailureCount"), S("Hypervisor"), S("APIUsername"), S("APIPassword"), I("APIPort"), S("ProxMoxRealm"),
        I("Owner"), I("EscalationTimeID"), I("EscalationID"), I("PrimaryContact"), I("Cabinet"), I("Position"), I("Height"),
        I("Ports"), I("FirstPortNum"), I("TemplateID"), I("NominalWatts"), I("PowerSupplyCount"), S("DeviceType"),
        I("ChassisSlots"), I("RearChassisSlots"), I("ParentDevice"), S("MfgDate"), S("InstallDate"), S("WarrantyCo"),
        S("WarrantyExpire"), S("Notes"), S("Status"), ("Rights", OdKind.Dynamic), I("HalfDepth"), I("BackSide"),
        S("AuditStamp"), S("CustomValues"), I("Weight"),
    }, new[] { "DeviceID", "Label", "Cabinet", "Position", "Height", "Status", "DeviceType", "Rights" });

    public static readonly OdSchema Cabinet = new("CabinetID", new[]
    {
        I("CabinetID"), I("DataCenterID"), S("Location"), S("LocationSortable"), I("AssignedTo"), I("ShowCabinetLabel"),
        I("ZoneID"), I("CabRowID"), I("CabinetHeight"), S("Model"), S("Keylock"), I("MaxKW"), I("MaxWeight"),
        S("InstallationDate"), I("MapX1"), I("MapY1"), I("MapX2"), I("MapY2"), S("FrontEdge"), S("Notes"), S("U1Position"),
        ("Rights", OdKind.Dynamic),
    });

    public static readonly OdSchema DataCenter = new("DataCenterID", new[]
    {
        I("DataCenterID"), S("Name"), I("SquareFootage"), S("DeliveryAddress"), S("countryCode"), S("Administrator"),
        I("MaxkW"), S("DrawingFileName"), I("EntryLogging"), S("dcconfig"), I("ContainerID"), I("MapX"), I("MapY"), S("U1Position"),
    });

    public static readonly OdSchema People = new("PersonID", new[]
    {
        I("PersonID"), S("UserID"), S("LastName"), S("FirstName"), S("Phone1"), S("Phone2"), S("countryCode"), S("Email"),
        I("AdminOwnDevices"), I("ReadAccess"), I("WriteAccess"), I("DeleteAccess"), I("ContactAdmin"), I("RackRequest"),
        I("RackAdmin"), I("BulkOperations"), I("SiteAdmin"), S("APIKey"), I("Disabled"), S("LastActivity"), S("ExpirationDate"),
    });

    /// <summary>What a non-ContactAdmin sees of /people (observed: only these three, in this order).</summary>
    public static readonly string[] PeoplePublic = { "PersonID", "FirstName", "LastName" };

    public static readonly OdSchema Department = new("DeptID", new[]
    {
        I("DeptID"), S("Name"), S("ExecSponsor"), S("SDM"), S("Classification"), S("DeptColor"),
    });

    public static readonly OdSchema DeviceTemplate = new("TemplateID", new[]
    {
        I("TemplateID"), I("ManufacturerID"), S("Model"), I("Height"), I("Weight"), I("Wattage"), S("DeviceType"), I("PSCount"),
        I("NumPorts"), S("Notes"), S("FrontPictureFile"), S("RearPictureFile"), I("ChassisSlots"), I("RearChassisSlots"),
        S("SNMPVersion"), S("CustomValues"), I("GlobalID"),
    });

    /// <summary>Device::MakeSafe's valid DeviceType set.</summary>
    public static readonly string[] DeviceTypes =
        { "Server", "Appliance", "Storage Array", "Switch", "Chassis", "Patch Panel", "Physical Infrastructure", "CDU", "Sensor" };

    public const string NoDate = "1969-12-31";
    public const string NoStamp = "1969-12-31 00:00:00";

    public static OdRecord NewDevice()
    {
        var d = Device.New();
        d.Set("SNMPVersion", "2c").Set("Hypervisor", "None").Set("MfgDate", NoDate).Set("InstallDate", NoDate)
            .Set("WarrantyExpire", NoDate).Set("AuditStamp", NoStamp).Set("CustomValues", (string?)null)
            .Set("Status", OpenDcimInferred.DefaultStatus).Set("DeviceType", OpenDcimInferred.DefaultDeviceType).Set("FirstPortNum", 1);
        return d;
    }

    public static OdRecord NewCabinet()
    {
        var c = Cabinet.New();
        c.Set("InstallationDate", NoDate).Set("FrontEdge", "Top").Set("U1Position", "Default").Set("ShowCabinetLabel", 1);
        return c;
    }

    public static OdRecord NewPerson()
    {
        var p = People.New();
        p.Set("LastActivity", "0000-00-00 00:00:00").Set("ExpirationDate", "0000-00-00");
        return p;
    }
}

/// <summary>The seeded openDCIM inventory: two data centers, six cabinets, ~38 devices of several types, people with rights.</summary>
internal static class OpenDcimSeed
{
    /// <summary>The accounts (People rows + htpasswd). Passwords are for the Basic vhost, keys for the UserID/APIKey vhost.</summary>
    public static readonly OpenDcimAccount[] Accounts =
    {
        new(1, "dcadmin", "dcadmin-key-7f3a9c", "admin-pass", "SiteAdmin, ContactAdmin, Read, Write, Delete"),
        new(2, "viewer", "viewer-key-2b81d0", "viewer-pass", "Read only"),
        new(3, "writer", "writer-key-5c47e2", "writer-pass", "Read, Write, Delete"),
        new(4, "deptuser", "deptuser-key-9e10aa", "deptuser-pass", "Read; Write on Finance (DeptID 2) devices as a member"),
        new(5, "numkey", "1000", "numkey-pass", "Read only; numeric-looking key (PHP == makes 1e3 match)"),
        new(6, "norights", "norights-key-0d0d0d", "norights-pass", "none (devices come back Rights:None)"),
        new(0, "apacheonly", "", "apache-pass", "htpasswd only, no People row: no rights"),
    };

    /// <summary>Department memberships (fac_DeptContacts): PersonID → DeptIDs.</summary>
    public static readonly Dictionary<long, long[]> Memberships = new() { [4] = new long[] { 2 } };

    private static readonly (string First, string Last, string Phone, string Email)[] PersonNames =
    {
        ("Dana", "Admin", "+1 617 555 0101", "dana.admin@example.com"),
        ("Val", "Viewer", "+1 617 555 0102", "val.viewer@example.com"),
        ("Wes", "Writer", "+1 617 555 0103", "wes.writer@example.com"),
        ("Fay", "Finance", "+1 617 555 0104", "fay.finance@example.com"),
        ("Nick", "Numeric", "+1 617 555 0105", "nick.numeric@example.com"),
        ("Ned", "Nobody", "+1 617 555 0106", "ned.nobody@example.com"),
    };

    public static void Seed(OpenDcimInventory inv, int? deviceCount)
    {
        // People: the accounts, then three contacts with keys of their own (an empty key would let '' == '' in).
        foreach (var a in Accounts.Where(a => a.PersonId > 0))
        {
            var n = PersonNames[a.PersonId - 1];
            var p = OdSchemas.NewPerson();
            p.Set("PersonID", a.PersonId).Set("UserID", a.UserId).Set("FirstName", n.First).Set("LastName", n.Last)
                .Set("Phone1", n.Phone).Set("countryCode", "US").Set("Email", n.Email).Set("APIKey", a.ApiKey);
            switch (a.UserId)
            {
                case "dcadmin":
                    foreach (var r in new[] { "ReadAccess", "WriteAccess", "DeleteAccess", "ContactAdmin", "RackRequest", "RackAdmin", "BulkOperations", "SiteAdmin" }) p.Set(r, 1);
                    break;
                case "writer": p.Set("ReadAccess", 1).Set("WriteAccess", 1).Set("DeleteAccess", 1); break;
                case "viewer" or "deptuser" or "numkey": p.Set("ReadAccess", 1); break;
            }
            inv.People.Add(p);
        }
        foreach (var (id, uid, first, last) in new[] { (7, "jsmith", "John", "Smith"), (8, "mgarcia", "Maria", "Garcia"), (9, "lchen", "Li", "Chen") })
        {
            var p = OdSchemas.NewPerson();
            p.Set("PersonID", id).Set("UserID", uid).Set("FirstName", first).Set("LastName", last).Set("countryCode", "US")
                .Set("Email", $"{uid}@example.com").Set("Phone1", $"+1 408 555 01{id:D2}").Set("APIKey", $"{uid}-key-{id * 7919:x}")
                .Set("ReadAccess", 1);
            inv.People.Add(p);
        }

        foreach (var (id, name, sponsor, sdm, cls) in new[]
        {
            (1, "IT Operations", "Dana Admin", "John Smith", "Department"),
            (2, "Finance", "Fay Finance", "Maria Garcia", "Department"),
            (3, "Research", "Li Chen", "John Smith", "Executive"),
            (4, "Web Hosting", "Maria Garcia", "Li Chen", "Customer"),
        })
        {
            var d = OdSchemas.Department.New();
            d.Set("DeptID", id).Set("Name", name).Set("ExecSponsor", sponsor).Set("SDM", sdm).Set("Classification", cls)
                .Set("DeptColor", OpenDcimInferred.DefaultDeptColor);
            inv.Departments.Add(d);
        }

        foreach (var (id, name, sqft, addr, kw) in new[]
        {
            (1, "DC-East", 12000, "100 Harbor St, Boston MA", 800),
            (2, "DC-West", 9000, "2200 Orchard Pkwy, San Jose CA", 600),
        })
        {
            var dc = OdSchemas.DataCenter.New();
            dc.Set("DataCenterID", id).Set("Name", name).Set("SquareFootage", sqft).Set("DeliveryAddress", addr).Set("countryCode", "US")
                .Set("Administrator", "Dana Admin").Set("MaxkW", kw).Set("DrawingFileName", $"{name.ToLowerInvariant()}.png")
                .Set("dcconfig", (string?)null).Set("U1Position", "Default");
            inv.DataCenters.Add(dc);
        }

        var cabinets = new[] { ("A01", 1, 1), ("A02", 1, 2), ("A03", 1, 0), ("W01", 2, 4), ("W02", 2, 3), ("W03", 2, 0) };
        for (int i = 0; i < cabinets.Length; i++)
        {
            var (loc, dc, dept) = cabinets[i];
            var c = OdSchemas.NewCabinet();
            c.Set("CabinetID", i + 1).Set("DataCenterID", dc).Set("Location", loc).Set("LocationSortable", loc).Set("AssignedTo", dept)
                .Set("CabinetHeight", 42).Set("Model", "APC AR3100").Set("Keylock", $"K-{loc}").Set("MaxKW", 8).Set("MaxWeight", 1000)
                .Set("MapX1", 10 + i * 40).Set("MapY1", 20).Set("MapX2", 40 + i * 40).Set("MapY2", 80);
            inv.Cabinets.Add(c);
        }

        foreach (var (id, mfr, model, height, type, ports, watts) in new[]
        {
            (1, 1, "PowerEdge R650", 2, "Server", 4, 750), (2, 2, "Catalyst 9300-48T", 1, "Switch", 48, 350),
            (3, 3, "AP8941", 0, "CDU", 0, 0), (4, 1, "PowerEdge MX7000", 10, "Chassis", 2, 3000),
        })
        {
            var t = OdSchemas.DeviceTemplate.New();
            t.Set("TemplateID", id).Set("ManufacturerID", mfr).Set("Model", model).Set("Height", height).Set("DeviceType", type)
                .Set("NumPorts", ports).Set("Wattage", watts).Set("PSCount", type == "CDU" ? 0 : 2).Set("SNMPVersion", "2c")
                .Set("CustomValues", (string?)null).Set("ChassisSlots", type == "Chassis" ? 8 : 0);
            inv.Templates.Add(t);
        }

        var devices = SeededDevices(cabinets.Select(c => c.Item1).ToArray(), new long[] { 1, 2, 3, 4, 3, 1 });
        int total = deviceCount ?? devices.Count;
        for (int i = 0; i < Math.Min(total, devices.Count); i++) inv.AddDevice(devices[i]);
        var rng = new Random(13);
        for (int n = devices.Count; n < total; n++)
        {
            int cab = n % cabinets.Length;
            var d = Server(n + 1, $"SRV-G{n + 1:D6}", cab + 1, 1 + (n / cabinets.Length) % 40, new long[] { 1, 2, 3, 4, 3, 1 }[cab],
                new long[] { 3, 7, 8, 9 }[n % 4], cabinets[cab].Item2, rng);
            inv.AddDevice(d);
        }
    }

    private static List<OdRecord> SeededDevices(string[] locations, long[] owners)
    {
        var rng = new Random(3);
        var list = new List<OdRecord>();
        long[] contacts = { 3, 7, 8, 9 };
        int id = 0;
        for (int c = 0; c < locations.Length; c++)
        {
            var loc = locations[c];
            int cab = c + 1, dc = loc[0] == 'A' ? 1 : 2;
            long owner = owners[c];
            list.Add(Device(++id, $"PDU-{loc}-A", "CDU", cab, 0, 0, owner, contacts[id % 4], 3, rng).Set("Ports", 0));
            list.Add(Device(++id, $"SW-{loc}-01", "Switch", cab, 42, 1, owner, contacts[id % 4], 2, rng)
                .Set("Ports", 48).Set("PrimaryIP", $"10.{dc}.{cab}.250").Set("NominalWatts", 350));
            for (int s = 1; s <= 3; s++)
                list.Add(Server(++id, $"SRV-{loc}-{s:D2}", cab, 1 + (s - 1) * 2, owner, contacts[id % 4], dc, rng));
            switch (loc)
            {
                case "A02":
                    var chassis = Device(++id, "CH-A02-01", "Chassis", cab, 10, 10, owner, 8, 4, rng).Set("ChassisSlots", 8).Set("Ports", 2);
                    list.Add(chassis);
                    for (int b = 1; b <= 2; b++)
                        list.Add(Device(++id, $"BL-A02-01-{b}", "Server", cab, b, 0, owner, 8, 0, rng)
                            .Set("ParentDevice", chassis.Id).Set("PrimaryIP", $"10.1.2.{100 + b}").Set("Ports", 2));
                    break;
                case "A03":
                    list.Add(Device(++id, "FW-A03-01", "Appliance", cab, 20, 1, owner, 9, 0, rng).Set("PrimaryIP", "10.1.3.1"));
                    list.Add(Device(++id, "PP-A03-01", "Patch Panel", cab, 41, 1, owner, 9, 0, rng).Set("Ports", 24));
                    break;
                case "W01":
                    list.Add(Device(++id, "SAN-W01-01", "Storage Array", cab, 20, 4, owner, 7, 0, rng).Set("PrimaryIP", "10.2.4.20"));
                    break;
                case "W02":
                    list.Add(Device(++id, "FW-W02-01", "Appliance", cab, 20, 1, owner, 9, 0, rng).Set("PrimaryIP", "10.2.5.1").Set("Status", "Reserved"));
                    break;
            }
        }
        return list;
    }

    private static OdRecord Server(int id, string label, int cab, int position, long owner, long contact, int dc, Random rng) =>
        Device(id, label, "Server", cab, position, 2, owner, contact, 1, rng)
            .Set("PrimaryIP", $"10.{dc}.{cab}.{id % 250 + 1}").Set("Ports", 4).Set("NominalWatts", 750).Set("PowerSupplyCount", 2);

    private static OdRecord Device(int id, string label, string type, int cab, int position, int height, long owner, long contact, int template, Random rng)
    {
        var d = OdSchemas.NewDevice();
        d.Set("DeviceID", id).Set("Label", label).Set("DeviceType", type).Set("Cabinet", cab).Set("Position", position).Set("Height", height)
            .Set("Owner", owner).Set("PrimaryContact", contact).Set("TemplateID", template)
            .Set("SerialNo", "SN" + rng.Next(0x100000, 0xFFFFFF).ToString("X6", CultureInfo.InvariantCulture))
            .Set("AssetTag", $"AT-{id:D6}").Set("InstallDate", "2023-04-15");
        return d;
    }
}
