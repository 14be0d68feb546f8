using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Detaches IMCO floating IPs from their server (DELETE network/floating_ips/{id}/attached_server) and emits each as it now is.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommunications.Disconnect, "DciFloatingIp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "FloatingIp")]
[OutputType(typeof(DciFloatingIp))]
public sealed class DisconnectDciFloatingIpCommand : ImcoCmdlet
{
    /// <summary>The floating IPs to detach (from the pipeline); each on the connection it came from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "FloatingIp", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public DciFloatingIp[]? FloatingIp { get; set; }

    /// <summary>The ids of the floating IPs to detach.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("floating IP")]
    public string[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (connection, id, target, label) in ResourceTargets(FloatingIp, Id, "floating IP"))
        {
            if (!ShouldProcess($"{label} on {connection.PanelAddress}", "Detach from its server")) continue;
            try { WriteObject(Call(ct => Imco(connection).DetachFloatingIpAsync(id, ct))); }
            catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, target); }
        }
    }
}
