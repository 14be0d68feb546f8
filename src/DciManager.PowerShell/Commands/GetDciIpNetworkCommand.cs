using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IP networks (IPmanager ip/v3/ipnet).</summary>
[Cmdlet(VerbsCommon.Get, "DciIpNetwork", DefaultParameterSetName = "List")]
[OutputType(typeof(DciIpNetwork))]
public sealed class GetDciIpNetworkCommand : DciCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [Alias("NetworkId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    /// <summary>Network name, e.g. 203.0.113.0/24; wildcards allowed.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    [ArgumentCompleter(typeof(DciNetworkNameCompleter))]
    public string? Name { get; set; }

    [Parameter(ParameterSetName = "List")]
    [ValidateSet("IPv4", "IPv6")]
    public string? Family { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (ParameterSetName == "Id")
        {
            LookUpIds<DciIpNetwork>(connection, Id, connection.Ip.GetNetworksAsync);
            return;
        }
        var query = new DciListQuery
        {
            Names = DciNameMatch.For(Name),
            Family = Family is null ? null : Family == "IPv6" ? DciAddressFamily.IPv6 : DciAddressFamily.IPv4,
        };
        WriteList(ct => connection.Ip.ListNetworksAsync(query, ct));
    }
}
