using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists the OS templates that Install-DciServerOs and Start-DciServerDiagnostic can use.</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.Get, "DciOsTemplate")]
[OutputType(typeof(DciOsTemplate))]
public sealed class GetDciOsTemplateCommand : DciCmdlet
{
    /// <summary>Template name; wildcards allowed (Ubuntu*).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var query = new DciListQuery { Names = DciNameMatch.For(Name) };
        WriteList(ct => connection.OsTemplateOps.ListAsync(query, ct));
    }
}
