using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Platforms.Imco;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO VPCs (GET network/vpcs), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciVpc", DefaultParameterSetName = "List")]
[OutputType(typeof(DciVpc))]
public sealed class GetDciVpcCommand : ImcoListCmdlet<DciVpc>
{
    protected override string What => "VPC";
    internal override IAsyncEnumerable<DciVpc> List(ImcoClient imco, CancellationToken ct) => imco.ListVpcsAsync(ct);
    internal override Task<DciVpc> Get(ImcoClient imco, string id, CancellationToken ct) => imco.GetVpcAsync(id, ct);
}
