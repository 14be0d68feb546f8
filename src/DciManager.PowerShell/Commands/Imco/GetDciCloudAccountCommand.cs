using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO cloud accounts (GET settings/cloud_accounts), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciCloudAccount", DefaultParameterSetName = "List")]
[OutputType(typeof(DciCloudAccount))]
public sealed class GetDciCloudAccountCommand : ImcoCmdlet
{
    /// <summary>Names; wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Ids (24 hex characters), each read with GET settings/cloud_accounts/{id}.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("cloud account")]
    public string[] Id { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var imco = Imco(connection);
        WriteResources(connection, "cloud account", ParameterSetName == "Id" ? Id : null, Name,
            ct => imco.ListCloudAccountsAsync(ct), (id, ct) => imco.GetCloudAccountAsync(id, ct), x => x.Name);
    }
}
