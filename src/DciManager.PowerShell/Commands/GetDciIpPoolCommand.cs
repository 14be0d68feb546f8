using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IP pools (IPmanager ip/v3/ippool) with their usage counters.</summary>
[Cmdlet(VerbsCommon.Get, "DciIpPool", DefaultParameterSetName = "List")]
[OutputType(typeof(DciIpPool))]
public sealed class GetDciIpPoolCommand : DciCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [Alias("PoolId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    /// <summary>Pool name; wildcards allowed.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    [ArgumentCompleter(typeof(DciPoolNameCompleter))]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (ParameterSetName == "Id")
        {
            LookUpIds<DciIpPool>(connection, Id, connection.Ip.GetPoolsAsync);
            return;
        }
        var name = Name is null ? null : DciWildcard.For("name", Name);
        WriteList(ct => connection.Ip.ListPoolsAsync(new DciQuery { Where = name?.Filter }, ct), p => name?.Matches(p.Name) ?? true);
    }
}
