using DciManager.Client.Query;

namespace DciManager.Client.Platforms;

// The seam the cmdlets call. DCImanager 6 implements it with its Api classes (DciServerApi, DciUserApi,
// DciOsTemplateApi, DciInventoryApi), DCImanager 5 with Platforms/Dci5/Dci5Client; DciConnection picks the
// implementation by its Platform (ServerOps, UserOps, OsTemplateOps, InventoryOps). Lists take the neutral
// Query/DciListQuery: DCImanager 6 translates it into where/orderby text (Api/Dci6ListQuery) and checks the exact
// patterns on what comes back; platforms whose lists take no filter stream everything through Query/DciListFilter.
//
// A third platform (openDCIM, IMCO) plugs in with:
//   - Platforms/<Name>/<Name>WirePolicy : DciWirePolicy (auth on each attempt, body encoding, "session refused"),
//     its secret field names added to Redactor when they are new, and its login passed to DciSession for re-login;
//   - Platforms/<Name>/<Name>Client implementing these interfaces (lists end in DciListFilter.ApplyUnfiltered, or a
//     translation of DciListQuery into the platform's own filter followed by DciListFilter.Apply), mapping its wire rows to the common models and
//     throwing DciApiException with a DciErrorKind (error records take their category from it) or
//     DciNotSupportedException for what it lacks;
//   - a DciConnection.Connect<Name>Async and a branch in Connect-Dci; [DciPlatforms(...)] on every cmdlet it serves
//     (README's platforms column and each help page's "Platforms:" line are checked against it);
//   - waits: a branch in DciTaskApi.WaitAsync if its operations are not task ids;
//   - tests copied from Dci5ClientTests/Dci5StreamingTests (reader, errors, secrets, fuzzed bodies) and a third
//     entry in tests/Pester/Platforms.Tests.ps1 (-ForEach), so the same runbook runs there unchanged.

/// <summary>Servers: list, look up, and the actions on one server.</summary>
internal interface IDciServerOperations
{
    IAsyncEnumerable<DciServer> ListAsync(DciListQuery? query = null, CancellationToken ct = default);
    IAsyncEnumerable<DciLookupResult<DciServer>> GetManyAsync(IEnumerable<long> ids, CancellationToken ct = default);
    Task<DciServer> GetAsync(long id, CancellationToken ct = default);
    Task<DciTask> PowerAsync(long id, DciPowerAction action, CancellationToken ct = default);
    Task<DciTask> SuspendAsync(long id, CancellationToken ct = default);
    Task<DciTask> ResumeAsync(long id, CancellationToken ct = default);
    Task<DciServer> SetOwnerAsync(long id, long userId, CancellationToken ct = default);
    Task<DciServer> RemoveOwnerAsync(long id, CancellationToken ct = default);
    IAsyncEnumerable<DciIpAddress> ListIpAsync(long serverId, CancellationToken ct = default);
    Task<DciTask> AddIpAsync(long serverId, DciAddIpRequest request, CancellationToken ct = default);
    Task<DciTask> RemoveIpAsync(long serverId, long ipId, CancellationToken ct = default);
    Task<DciTask> StartDiagnosticAsync(long id, DciDiagnosticRequest request, CancellationToken ct = default);
    Task<DciTask> ClearDiskAsync(long id, DciClearDiskMode mode, CancellationToken ct = default);
    Task<DciTask> InstallOsAsync(long id, DciOsInstallRequest request, CancellationToken ct = default);
}

/// <summary>Users.</summary>
internal interface IDciUserOperations
{
    IAsyncEnumerable<DciUser> ListAsync(DciListQuery? query = null, CancellationToken ct = default);
    IAsyncEnumerable<DciLookupResult<DciUser>> GetManyAsync(IEnumerable<long> ids, CancellationToken ct = default);
    Task<DciUser> CreateAsync(DciNewUser user, CancellationToken ct = default);
    Task DeleteAsync(long id, CancellationToken ct = default);
}

/// <summary>OS templates.</summary>
internal interface IDciOsTemplateOperations
{
    IAsyncEnumerable<DciOsTemplate> ListAsync(DciListQuery? query = null, CancellationToken ct = default);
}

/// <summary>The physical plant: racks, switches and their ports, PDUs.</summary>
internal interface IDciInventoryOperations
{
    IAsyncEnumerable<DciRack> ListRacksAsync(DciListQuery? query = null, CancellationToken ct = default);
    IAsyncEnumerable<DciSwitch> ListSwitchesAsync(DciListQuery? query = null, CancellationToken ct = default);
    IAsyncEnumerable<DciSwitchPort> ListSwitchPortsAsync(long switchId, DciListQuery? query = null, CancellationToken ct = default);
    Task<DciSwitchPort> SetPortEnabledAsync(long switchId, long portId, bool enabled, CancellationToken ct = default);
    IAsyncEnumerable<DciPdu> ListPdusAsync(DciListQuery? query = null, CancellationToken ct = default);

    // By many ids: one result per id, in the order given. A platform whose lists take id filters batches them
    // (DCImanager 6); one that cannot filter lists once and picks (the defaults below).
    IAsyncEnumerable<DciLookupResult<DciRack>> GetRacksAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        DciIdLookup.PickFromList(ids, ListRacksAsync(null, ct), r => r.Id ?? 0, id => DciPager.NotFound("GET", "rack", "Rack", id));

    IAsyncEnumerable<DciLookupResult<DciSwitch>> GetSwitchesAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        DciIdLookup.PickFromList(ids, ListSwitchesAsync(null, ct), s => s.Id, id => DciPager.NotFound("GET", "switch", "Switch", id));

    IAsyncEnumerable<DciLookupResult<DciPdu>> GetPdusAsync(IEnumerable<long> ids, CancellationToken ct = default) =>
        DciIdLookup.PickFromList(ids, ListPdusAsync(null, ct), p => p.Id, id => DciPager.NotFound("GET", "pdu", "Pdu", id));
}
