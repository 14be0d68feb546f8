using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists the subnets of IMCO VPCs (GET network/vpcs/{id}/subnets): of the VPCs given or piped in, else of every VPC; or reads subnets by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciSubnet", DefaultParameterSetName = "List")]
[OutputType(typeof(DciSubnet))]
public sealed class GetDciSubnetCommand : ImcoCmdlet
{
    /// <summary>Subnet names; wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [Parameter(ParameterSetName = "Vpc", Position = 0)]
    [Parameter(ParameterSetName = "VpcId", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>The VPCs whose subnets to list (Get-DciVpc objects, from the pipeline).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Vpc", ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public DciVpc[]? Vpc { get; set; }

    /// <summary>The ids of the VPCs whose subnets to list.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "VpcId")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("VPC")]
    public string[]? VpcId { get; set; }

    /// <summary>Subnet ids (24 hex characters), each read with GET network/subnets/{id}.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("subnet")]
    public string[] Id { get; set; } = Array.Empty<string>();

    private DciNameMatch? _names;
    private DciConnection? _connection;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _names = DciNameMatch.For(Name);
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Id")
        {
            var connection = ResolveConnection();
            WriteResources(connection, "subnet", Id, null, _ => throw new InvalidOperationException(), Imco(connection).GetSubnetAsync, s => s.Name);
            return;
        }
        var vpcs = new List<(DciConnection Connection, string Id, object Target)>();
        if (ParameterSetName == "Vpc")
        {
            foreach (var vpc in Vpc!.Where(v => v is not null)) vpcs.Add((ResolveConnection(vpc.Connection is null ? null : vpc), vpc.Id ?? "", vpc));
        }
        else
        {
            var connection = ResolveConnection();
            var ids = VpcId ?? Call(ct => Imco(connection).ListVpcsAsync(ct).ToListAsync(ct)).Select(v => v.Id!).ToArray();
            vpcs.AddRange(ids.Select(id => (connection, id, (object)id)));
        }
        foreach (var (connection, id, target) in vpcs)
        {
            _connection = connection;
            try { WriteStream(ct => Imco(connection).ListSubnetsAsync(id, ct), s => _names?.Matches(s.Name) ?? true); }
            catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, target); }
        }
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        foreach (var missing in _names?.NamesNotFound() ?? Enumerable.Empty<string>())
            WriteError(DciErrors.NotFound($"a subnet named '{missing}' on {_connection?.PanelAddress}", missing));
    }
}
