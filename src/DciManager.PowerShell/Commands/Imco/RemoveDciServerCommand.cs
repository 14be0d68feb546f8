using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Decommissions IMCO cloud servers (DELETE cloud/servers/{id}); only an inactive, stalled or commission_stalled server
/// may go, so the engine reads its state first and refuses any other without sending the DELETE.
/// </summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Remove, "DciServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Server")]
[OutputType(typeof(void))]
public sealed class RemoveDciServerCommand : ImcoCmdlet
{
    /// <summary>The servers to decommission (DciCloudServer objects, from the pipeline); each on the connection it came from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Server", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public DciCloudServer[]? Server { get; set; }

    /// <summary>The ids of the servers to decommission.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("server")]
    public string[]? Id { get; set; }

    /// <summary>Decommission without asking for confirmation (-WhatIf still only tells).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Wait until each server is gone.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>How long -Wait waits, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 1800;

    private readonly List<(DciConnection Connection, string Id)> _decommissioned = new();

    protected override void ProcessRecord()
    {
        foreach (var (connection, id, target) in ServerTargets(Server, Id))
        {
            var label = target is DciCloudServer { Name: { } name } ? $"server {name} ({id})" : $"server {id}";
            if (!ConfirmUnlessForced($"{label} on {connection.PanelAddress}", "Decommission server", Force)) continue;
            try { Call(ct => Imco(connection).DecommissionServerAsync(id, ct)); }
            catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, target); continue; }
            if (Wait) _decommissioned.Add((connection, id));
        }
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        WaitForCloudServers(_decommissioned, "Decommissioning IMCO servers", _ => false, _ => null, TimeSpan.FromSeconds(TimeoutSec),
            goneIsDone: true, writeDone: false);
    }
}
