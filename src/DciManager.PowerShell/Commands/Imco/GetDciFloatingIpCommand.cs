using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Platforms.Imco;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO floating IPs (GET network/floating_ips), those attached to servers (GET cloud/servers/{id}/floating_ips), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciFloatingIp", DefaultParameterSetName = "List")]
[OutputType(typeof(DciFloatingIp))]
public sealed class GetDciFloatingIpCommand : ImcoAttachableListCmdlet<DciFloatingIp>
{
    protected override string What => "floating IP";
    internal override IAsyncEnumerable<DciFloatingIp> List(ImcoClient imco, CancellationToken ct) => imco.ListFloatingIpsAsync(ct);
    internal override Task<DciFloatingIp> Get(ImcoClient imco, string id, CancellationToken ct) => imco.GetFloatingIpAsync(id, ct);
    internal override IAsyncEnumerable<DciFloatingIp> ListAttachedTo(ImcoClient imco, string serverId, CancellationToken ct) => imco.ListServerFloatingIpsAsync(serverId, ct);
}
