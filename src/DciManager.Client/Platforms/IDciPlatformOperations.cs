using DciManager.Client.Query;

namespace DciManager.Client.Platforms;

// The seam the cmdlets call. DCImanager 6 implements it with its Api classes (DciServerApi, DciUserApi,
// DciOsTemplateApi), DCImanager 5 with Dci5Client; a third platform implements the same interfaces and throws
// DciNotSupportedException (before sending anything) for what it lacks. A DciQuery's where/order text is
// DCImanager 6 syntax: platforms without it list everything and the cmdlets' client-side matches filter.

/// <summary>Servers: list, look up, and the actions on one server.</summary>
internal interface IDciServerOperations
{
    IAsyncEnumerable<DciServer> ListAsync(DciQuery? query = null, CancellationToken ct = default);
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
    IAsyncEnumerable<DciUser> ListAsync(DciQuery? query = null, CancellationToken ct = default);
    IAsyncEnumerable<DciLookupResult<DciUser>> GetManyAsync(IEnumerable<long> ids, CancellationToken ct = default);
    Task<DciUser> CreateAsync(DciNewUser user, CancellationToken ct = default);
    Task DeleteAsync(long id, CancellationToken ct = default);
}

/// <summary>OS templates.</summary>
internal interface IDciOsTemplateOperations
{
    IAsyncEnumerable<DciOsTemplate> ListAsync(DciQuery? query = null, CancellationToken ct = default);
}

/// <summary>The physical plant: racks, switches and their ports, PDUs.</summary>
internal interface IDciInventoryOperations
{
    IAsyncEnumerable<DciRack> ListRacksAsync(DciQuery? query = null, CancellationToken ct = default);
    IAsyncEnumerable<DciSwitch> ListSwitchesAsync(DciQuery? query = null, CancellationToken ct = default);
    IAsyncEnumerable<DciSwitchPort> ListSwitchPortsAsync(long switchId, DciQuery? query = null, CancellationToken ct = default);
    Task<DciSwitchPort> SetPortEnabledAsync(long switchId, long portId, bool enabled, CancellationToken ct = default);
    IAsyncEnumerable<DciPdu> ListPdusAsync(DciQuery? query = null, CancellationToken ct = default);
}
