using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO templates (GET blueprint/templates), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciTemplate", DefaultParameterSetName = "List")]
[OutputType(typeof(DciCloudTemplate))]
public sealed class GetDciTemplateCommand : ImcoCmdlet
{
    /// <summary>Names; wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Ids (24 hex characters), each read with GET blueprint/templates/{id}.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("template")]
    public string[] Id { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var imco = Imco(connection);
        WriteResources(connection, "template", ParameterSetName == "Id" ? Id : null, Name,
            ct => imco.ListTemplatesAsync(ct), (id, ct) => imco.GetTemplateAsync(id, ct), x => x.Name);
    }
}
