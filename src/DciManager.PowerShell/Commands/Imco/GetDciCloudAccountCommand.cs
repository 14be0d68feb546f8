using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Platforms.Imco;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO cloud accounts (GET settings/cloud_accounts), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciCloudAccount", DefaultParameterSetName = "List")]
[OutputType(typeof(DciCloudAccount))]
public sealed class GetDciCloudAccountCommand : ImcoListCmdlet<DciCloudAccount>
{
    protected override string What => "cloud account";
    internal override IAsyncEnumerable<DciCloudAccount> List(ImcoClient imco, CancellationToken ct) => imco.ListCloudAccountsAsync(ct);
    internal override Task<DciCloudAccount> Get(ImcoClient imco, string id, CancellationToken ct) => imco.GetCloudAccountAsync(id, ct);
}
