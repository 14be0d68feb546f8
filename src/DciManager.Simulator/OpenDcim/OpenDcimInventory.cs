namespace DciManager.Simulator.OpenDcim;

/// <summary>The openDCIM tables. Guarded by <see cref="Sync"/>; rows are immutable once stored (writers swap clones).</summary>
internal sealed class OpenDcimInventory
{
    public readonly object Sync = new();
    public readonly List<OdRecord> People = new();
    public readonly List<OdRecord> Departments = new();
    public readonly List<OdRecord> DataCenters = new();
    public readonly List<OdRecord> Cabinets = new();
    public readonly List<OdRecord> Templates = new();
    private readonly Dictionary<long, OdRecord> _devices = new();
    private OdRecord[]? _devicesByLabel;
    private long _nextDeviceId = 1;

    public int DeviceCount { get { lock (Sync) return _devices.Count; } }

    public void AddDevice(OdRecord d)
    {
        _devices[d.Id] = d;
        _nextDeviceId = Math.Max(_nextDeviceId, d.Id + 1);
        _devicesByLabel = null;
    }

    public long NewDeviceId() => _nextDeviceId++;

    public OdRecord? Device(long id) => _devices.GetValueOrDefault(id);

    public void RemoveDevice(long id) { _devices.Remove(id); _devicesByLabel = null; }

    public IEnumerable<OdRecord> AllDevices => _devices.Values;

    /// <summary>Every device ordered by Label (the list is cached until the next write; callers must hold the lock).</summary>
    public OdRecord[] DevicesByLabel()
    {
        if (_devicesByLabel is null)
        {
            var label = OdSchemas.Device["Label"].Slot;
            var arr = _devices.Values.ToArray();
            Array.Sort(arr, (a, b) =>
            {
                int c = string.Compare(a.Strs[label], b.Strs[label], StringComparison.OrdinalIgnoreCase);
                return c != 0 ? c : a.Id.CompareTo(b.Id);
            });
            _devicesByLabel = arr;
        }
        return _devicesByLabel;
    }

    public static void Replace(List<OdRecord> table, OdRecord updated)
    {
        int i = table.FindIndex(r => r.Id == updated.Id);
        if (i >= 0) table[i] = updated; else table.Add(updated);
    }

    public static OdRecord? Find(List<OdRecord> table, long id) => table.FirstOrDefault(r => r.Id == id);

    public static long NextId(List<OdRecord> table) => table.Count == 0 ? 1 : table.Max(r => r.Id) + 1;

    public OdRecord? PersonByUserId(string userId)
    {
        // MySQL's case-insensitive collation: "Viewer" finds "viewer".
        var slot = OdSchemas.People["UserID"].Slot;
        return People.FirstOrDefault(p => string.Equals(p.Strs[slot], userId, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Who is calling, as People::GetUserRights leaves it. An unknown user is a Person with every right revoked.</summary>
internal sealed class OdCaller
{
    public static readonly OdCaller Nobody = new(null, "", Array.Empty<long>());

    public OdCaller(OdRecord? person, string userId, long[] departments)
    {
        Person = person;
        UserId = userId;
        Departments = departments;
        if (person is null) return;
        Read = person.Int("ReadAccess") != 0;
        Write = person.Int("WriteAccess") != 0;
        Delete = person.Int("DeleteAccess") != 0;
        ContactAdmin = person.Int("ContactAdmin") != 0;
        SiteAdmin = person.Int("SiteAdmin") != 0;
    }

    public OdRecord? Person { get; }
    public string UserId { get; }
    public long[] Departments { get; }
    public bool Read { get; }
    public bool Write { get; }
    public bool Delete { get; }
    public bool ContactAdmin { get; }
    public bool SiteAdmin { get; }

    /// <summary>See <see cref="OpenDcimInferred.RightsModel"/>.</summary>
    public string RightsFor(long ownerDept, long cabinetDept)
    {
        if (SiteAdmin || Write) return "Write";
        if ((ownerDept != 0 && Departments.Contains(ownerDept)) || (cabinetDept != 0 && Departments.Contains(cabinetDept))) return "Write";
        return Read ? "Read" : "None";
    }
}
