using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Platforms.Imco;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO firewall profiles (GET network/firewall_profiles), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciFirewallProfile", DefaultParameterSetName = "List")]
[OutputType(typeof(DciFirewallProfile))]
public sealed class GetDciFirewallProfileCommand : ImcoListCmdlet<DciFirewallProfile>
{
    protected override string What => "firewall profile";
    internal override IAsyncEnumerable<DciFirewallProfile> List(ImcoClient imco, CancellationToken ct) => imco.ListFirewallProfilesAsync(ct);
    internal override Task<DciFirewallProfile> Get(ImcoClient imco, string id, CancellationToken ct) => imco.GetFirewallProfileAsync(id, ct);
}
