using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IP pools (IPmanager ip/v3/ippool) with their usage counters.</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
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
        if (connection.Dci5 is { } dci5)
        {
            // DCImanager 5's address types (iptype): named only, numbered by their order.
            if (ParameterSetName == "Id") RequirePlatform(connection, "Get-DciIpPool -Id");
            var pattern = Name is null ? null : DciNamePattern.Parse(Name);
            WriteList(ct => dci5.ListPoolsAsync(ct), p => pattern?.IsMatch(p.Name ?? "") ?? true);
            return;
        }
        if (ParameterSetName == "Id")
        {
            LookUpIds<DciIpPool>(connection, Id, connection.Ip.GetPoolsAsync);
            return;
        }
        var query = new DciListQuery { Names = DciNameMatch.For(Name) };
        WriteList(ct => connection.Ip.ListPoolsAsync(query, ct));
    }
}
