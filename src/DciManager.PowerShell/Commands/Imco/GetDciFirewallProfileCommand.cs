using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO firewall profiles (GET network/firewall_profiles), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciFirewallProfile", DefaultParameterSetName = "List")]
[OutputType(typeof(DciFirewallProfile))]
public sealed class GetDciFirewallProfileCommand : ImcoCmdlet
{
    /// <summary>Names; wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Ids (24 hex characters), each read with GET network/firewall_profiles/{id}.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("firewall profile")]
    public string[] Id { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var imco = Imco(connection);
        WriteResources(connection, "firewall profile", ParameterSetName == "Id" ? Id : null, Name,
            ct => imco.ListFirewallProfilesAsync(ct), (id, ct) => imco.GetFirewallProfileAsync(id, ct), x => x.Name);
    }
}
