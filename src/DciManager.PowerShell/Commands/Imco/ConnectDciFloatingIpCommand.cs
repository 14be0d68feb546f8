using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Attaches IMCO floating IPs to a server (POST network/floating_ips/{id}/attached_server) and emits each as it now is.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommunications.Connect, "DciFloatingIp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "FloatingIp")]
[OutputType(typeof(DciFloatingIp))]
public sealed class ConnectDciFloatingIpCommand : ImcoCmdlet
{
    /// <summary>The floating IPs to attach (from the pipeline); each on the connection it came from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "FloatingIp", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public DciFloatingIp[]? FloatingIp { get; set; }

    /// <summary>The ids of the floating IPs to attach.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("floating IP")]
    public string[]? Id { get; set; }

    /// <summary>The server to attach to: a DciCloudServer (Get-DciServer) or its id.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    [DciCloudServerTransformation]
    public DciCloudServer? Server { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (connection, id, target, label) in ResourceTargets(FloatingIp, Id, "floating IP"))
        {
            if (ServerMismatch(connection, Server!) is { } mismatch) { WriteError(mismatch); continue; }
            if (!ShouldProcess($"{label} on {connection.PanelAddress}", $"Attach to server {Server}")) continue;
            try { WriteObject(Call(ct => Imco(connection).AttachFloatingIpAsync(id, Server!.Id!, ct))); }
            catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, target); }
        }
    }
}
