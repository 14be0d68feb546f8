using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO VPCs (GET network/vpcs), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciVpc", DefaultParameterSetName = "List")]
[OutputType(typeof(DciVpc))]
public sealed class GetDciVpcCommand : ImcoCmdlet
{
    /// <summary>Names; wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Ids (24 hex characters), each read with GET network/vpcs/{id}.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("VPC")]
    public string[] Id { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var imco = Imco(connection);
        WriteResources(connection, "VPC", ParameterSetName == "Id" ? Id : null, Name,
            ct => imco.ListVpcsAsync(ct), (id, ct) => imco.GetVpcAsync(id, ct), x => x.Name);
    }
}
