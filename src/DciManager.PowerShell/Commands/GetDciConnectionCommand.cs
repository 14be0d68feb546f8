using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists the open connections of this runspace (the default one unless -All).</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5, DciPlatform.OpenDcim, DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciConnection")]
[OutputType(typeof(DciConnection))]
public sealed class GetDciConnectionCommand : PSCmdlet
{
    [Parameter]
    public SwitchParameter All { get; set; }

    protected override void ProcessRecord()
    {
        var store = DciConnectionStore.Current;
        if (All)
        {
            WriteObject(store.All, enumerateCollection: true);
            return;
        }
        if (store.Default is { } connection) WriteObject(connection);
    }
}
