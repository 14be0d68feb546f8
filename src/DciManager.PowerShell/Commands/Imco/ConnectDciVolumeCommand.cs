using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Attaches IMCO volumes to a server (POST storage/volumes/{id}/attached_server) and emits each as it now is.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommunications.Connect, "DciVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Volume")]
[OutputType(typeof(DciVolume))]
public sealed class ConnectDciVolumeCommand : ImcoCmdlet
{
    /// <summary>The volumes to attach (from the pipeline); each on the connection it came from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Volume", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public DciVolume[]? Volume { get; set; }

    /// <summary>The ids of the volumes to attach.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("volume")]
    public string[]? Id { get; set; }

    /// <summary>The server to attach to: a DciCloudServer (Get-DciServer) or its id.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    [DciCloudServerTransformation]
    public DciCloudServer? Server { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (connection, id, target, label) in ResourceTargets(Volume, Id, "volume"))
        {
            if (ServerMismatch(connection, Server!) is { } mismatch) { WriteError(mismatch); continue; }
            if (!ShouldProcess($"{label} on {connection.PanelAddress}", $"Attach to server {Server}")) continue;
            try { WriteObject(Call(ct => Imco(connection).AttachVolumeAsync(id, Server!.Id!, ct))); }
            catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, target); }
        }
    }
}
