using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Platforms.Imco;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO volumes (GET storage/volumes), those attached to servers (GET cloud/servers/{id}/volumes), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciVolume", DefaultParameterSetName = "List")]
[OutputType(typeof(DciVolume))]
public sealed class GetDciVolumeCommand : ImcoAttachableListCmdlet<DciVolume>
{
    protected override string What => "volume";
    internal override IAsyncEnumerable<DciVolume> List(ImcoClient imco, CancellationToken ct) => imco.ListVolumesAsync(ct);
    internal override Task<DciVolume> Get(ImcoClient imco, string id, CancellationToken ct) => imco.GetVolumeAsync(id, ct);
    internal override IAsyncEnumerable<DciVolume> ListAttachedTo(ImcoClient imco, string serverId, CancellationToken ct) => imco.ListServerVolumesAsync(serverId, ct);
}
