using DciManager.Client;

namespace DciManager.PowerShell.Completers;

/// <summary>Completes location names.</summary>
public sealed class DciLocationNameCompleter : DciCompleter<DciLocation>
{
    private protected override string Kind => "location";
    private protected override IAsyncEnumerable<DciLocation> List(DciConnection c, CancellationToken ct) => c.Inventory.ListLocationsAsync(new DciQuery { OrderBy = "name asc" }, ct);
    private protected override CompletionItem? ToItem(DciLocation l) => l.Name is null ? null : new(l.Name, $"{l.Id}");
}

/// <summary>Completes rack names, showing each rack's location and fill.</summary>
public sealed class DciRackNameCompleter : DciCompleter<DciRack>
{
    private protected override string Kind => "rack";
    private protected override IAsyncEnumerable<DciRack> List(DciConnection c, CancellationToken ct) => c.Inventory.ListRacksAsync(new DciQuery { OrderBy = "name asc" }, ct);
    private protected override CompletionItem? ToItem(DciRack r) => r.Name is null ? null : new(r.Name, $"{r.Id}: {r.Location?.Name} ({r.DeviceCount}/{r.Units} units)");
}

/// <summary>Completes switch names, showing each switch's rack.</summary>
public sealed class DciSwitchNameCompleter : DciCompleter<DciSwitch>
{
    private protected override string Kind => "switch";
    private protected override IAsyncEnumerable<DciSwitch> List(DciConnection c, CancellationToken ct) => c.Inventory.ListSwitchesAsync(new DciQuery { OrderBy = "name asc" }, ct);
    private protected override CompletionItem? ToItem(DciSwitch s) => s.Name is null ? null : new(s.Name, $"{s.Id}: {s.Purpose} switch in {s.Rack?.Name}");
}
