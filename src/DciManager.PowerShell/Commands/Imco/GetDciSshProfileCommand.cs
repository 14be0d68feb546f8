using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Platforms.Imco;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO SSH profiles (GET cloud/ssh_profiles), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciSshProfile", DefaultParameterSetName = "List")]
[OutputType(typeof(DciSshProfile))]
public sealed class GetDciSshProfileCommand : ImcoListCmdlet<DciSshProfile>
{
    protected override string What => "SSH profile";
    internal override IAsyncEnumerable<DciSshProfile> List(ImcoClient imco, CancellationToken ct) => imco.ListSshProfilesAsync(ct);
    internal override Task<DciSshProfile> Get(ImcoClient imco, string id, CancellationToken ct) => imco.GetSshProfileAsync(id, ct);
}
