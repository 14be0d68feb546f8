using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Closes a connection (the default one unless -Connection is given) and forgets its token.</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5, DciPlatform.OpenDcim, DciPlatform.Imco)]
[Cmdlet(VerbsCommunications.Disconnect, "Dci")]
[OutputType(typeof(void))]
public sealed class DisconnectDciCommand : DciCmdlet
{
    /// <summary>Close every connection of this runspace.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    protected override void ProcessRecord()
    {
        var store = DciConnectionStore.Current;
        var targets = All ? store.All : new[] { Connection ?? store.Default }.OfType<DciConnection>().ToArray();
        // "Close everything" with nothing open is already done (a cleanup step in a runbook must not fail);
        // closing the default when there is none is a mistake worth saying.
        if (targets.Count == 0)
        {
            if (!All) WriteError(DciErrors.NotConnected());
            return;
        }
        foreach (var connection in targets)
        {
            store.Remove(connection);
            connection.Dispose();
            WriteVerboseLine($"Disconnected from {connection.BaseUri}.");
        }
    }
}
