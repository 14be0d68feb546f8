using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO SSH profiles (GET cloud/ssh_profiles), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciSshProfile", DefaultParameterSetName = "List")]
[OutputType(typeof(DciSshProfile))]
public sealed class GetDciSshProfileCommand : ImcoCmdlet
{
    /// <summary>Names; wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Ids (24 hex characters), each read with GET cloud/ssh_profiles/{id}.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("SSH profile")]
    public string[] Id { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var imco = Imco(connection);
        WriteResources(connection, "SSH profile", ParameterSetName == "Id" ? Id : null, Name,
            ct => imco.ListSshProfilesAsync(ct), (id, ct) => imco.GetSshProfileAsync(id, ct), x => x.Name);
    }
}
