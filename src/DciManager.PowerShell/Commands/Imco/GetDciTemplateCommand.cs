using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Platforms.Imco;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO templates (GET blueprint/templates), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciTemplate", DefaultParameterSetName = "List")]
[OutputType(typeof(DciCloudTemplate))]
public sealed class GetDciTemplateCommand : ImcoListCmdlet<DciCloudTemplate>
{
    protected override string What => "template";
    internal override IAsyncEnumerable<DciCloudTemplate> List(ImcoClient imco, CancellationToken ct) => imco.ListTemplatesAsync(ct);
    internal override Task<DciCloudTemplate> Get(ImcoClient imco, string id, CancellationToken ct) => imco.GetTemplateAsync(id, ct);
}
