using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IP addresses: all of them (GET dci/v3/ip) or a server's (GET dci/v3/server/{id}/ip).</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.Get, "DciIpAddress", DefaultParameterSetName = "All")]
[OutputType(typeof(DciIpAddress))]
public sealed class GetDciIpAddressCommand : DciCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "Server", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    public DciServer? Server { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "ServerId", ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(DciServerIdCompleter))]
    public long ServerId { get; set; }

    /// <summary>The address itself; wildcards allowed (203.0.113.*).</summary>
    [Parameter(ParameterSetName = "All", Position = 0)]
    [Parameter(ParameterSetName = "Server")]
    [Parameter(ParameterSetName = "ServerId")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 64)]
    public string? Address { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection(Server);
        var address = Address is null ? null : DciNamePattern.Parse(Address);
        try
        {
            if (ParameterSetName == "All")
            {
                RequirePlatform(connection, "Get-DciIpAddress without a server (DCImanager 5 lists addresses per server)");
                var query = new DciListQuery { Names = DciNameMatch.For(Address) };
                WriteStream(ct => connection.Ip.ListAddressesAsync(query, ct));
                return;
            }
            var serverId = Server?.Id ?? ServerId;
            WriteStream(ct => connection.ServerOps.ListIpAsync(serverId, ct), ip => address?.IsMatch(ip.Name ?? "") ?? true);
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, (object?)Server ?? ServerId);
        }
    }
}
