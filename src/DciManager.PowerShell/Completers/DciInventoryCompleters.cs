using DciManager.Client;

namespace DciManager.PowerShell.Completers;

/// <summary>Completes location names.</summary>
public sealed class DciLocationNameCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.LocationName;
}

/// <summary>Completes rack names, showing each rack's location and fill.</summary>
public sealed class DciRackNameCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.RackName;
}

/// <summary>Completes switch names, showing each switch's rack.</summary>
public sealed class DciSwitchNameCompleter : DciCompleter
{
    private protected override DciCompletionKind Kind => DciCompletionKind.SwitchName;
}
