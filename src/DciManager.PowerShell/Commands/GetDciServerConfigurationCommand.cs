using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;

namespace DciManager.Commands;

/// <summary>Lists server configurations with the number of free servers of each.</summary>
[Cmdlet(VerbsCommon.Get, "DciServerConfiguration")]
[OutputType(typeof(DciServerConfiguration))]
public sealed class GetDciServerConfigurationCommand : DciCmdlet
{
    /// <summary>Configuration string; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DciConfigurationCompleter))]
    public string? Configuration { get; set; }

    /// <summary>Only configurations with at least one free server.</summary>
    [Parameter]
    public SwitchParameter Available { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var pattern = Configuration is null ? null : DciNamePattern.Parse(Configuration);
        WriteList(ct => connection.Servers.ListConfigurationsAsync(null, ct),
                c => (pattern?.IsMatch(c.Configuration ?? "") ?? true) && (!Available || c.FreeServerCount > 0));
    }
}
