using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists openDCIM data centers (GET /datacenter).</summary>
[DciPlatforms(DciPlatform.OpenDcim)]
[Cmdlet(VerbsCommon.Get, "DciDataCenter", DefaultParameterSetName = "List")]
[OutputType(typeof(DciDataCenter))]
public sealed class GetDciDataCenterCommand : OpenDcimCmdlet
{
    /// <summary>Data center names; wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Data center ids (DataCenterID).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        WritePicked(connection, "data center", ParameterSetName == "Id" ? Id : null, Name, ct => Od(connection).ListDataCentersAsync(ct), x => x.Id, x => x.Name);
    }
}
