using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Lists switch ports: every port of a switch (-Switch), or the ports a server is cabled to (-Server, as its
/// switch_connection names them). Both bind by value from the pipeline.
/// </summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.Get, "DciSwitchPort", DefaultParameterSetName = SwitchSet)]
[OutputType(typeof(DciSwitchPort))]
public sealed class GetDciSwitchPortCommand : DciCmdlet
{
    private const string SwitchSet = "Switch";
    private const string ServerSet = "Server";

    /// <summary>The switch whose ports to list: a DciSwitch (from the pipeline) or a switch name.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SwitchSet, ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(DciSwitchNameCompleter))]
    public DciSwitch? Switch { get; set; }

    /// <summary>The server whose ports to list (from the pipeline).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ServerSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public DciServer? Server { get; set; }

    /// <summary>Port name (e.g. GigabitEthernet1/0/12); wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    public string? Description { get; set; }

    protected override void ProcessRecord()
    {
        var query = new DciListQuery { Description = Description is null ? null : DciNamePattern.Parse(Description) };
        if (ParameterSetName == ServerSet)
        {
            var server = Server!;
            var connection = ResolveConnection(server);
            RequirePlatform(connection, "Get-DciSwitchPort -Server (DCImanager 5 names a port's server by host name only)");
            try
            {
                WriteStream(ct => connection.Inventory.ListServerPortsAsync(server, query, ct));
            }
            catch (DciException ex)
            {
                WriteEngineError(ex, server);
            }
            return;
        }

        var sw = Switch!;
        var swConnection = ResolveConnection(sw);
        try
        {
            long id = sw.Id > 0 ? sw.Id : FindSwitchByName(swConnection, sw.Name!);
            WriteStream(ct => swConnection.InventoryOps.ListSwitchPortsAsync(id, query, ct));
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, sw);
        }
    }

    /// <summary>A switch typed by name: exactly one switch must have it.</summary>
    private long FindSwitchByName(DciConnection connection, string name)
    {
        var query = new DciListQuery { Names = DciNameMatch.For(name) };
        var found = Call(async ct =>
        {
            var list = new List<DciSwitch>();
            await foreach (var s in connection.InventoryOps.ListSwitchesAsync(query, ct).ConfigureAwait(false)) list.Add(s);
            return list;
        });
        if (found.Count == 1) return found[0].Id;
        ThrowParameterError(found.Count == 0 ? $"No switch is named '{name}'." : $"{found.Count} switches match '{name}'; name one.", "Switch", name);
        return 0;
    }
}
