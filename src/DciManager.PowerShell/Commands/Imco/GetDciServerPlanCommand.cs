using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Lists IMCO server plans per cloud provider (GET cloud/cloud_providers/{id}/server_plans): of the providers given, of
/// the cloud accounts piped in (each on its own connection), else of every provider; or reads plans by id.
/// </summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciServerPlan", DefaultParameterSetName = "List")]
[OutputType(typeof(DciServerPlan))]
public sealed class GetDciServerPlanCommand : ImcoCmdlet
{
    /// <summary>Plan names; wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [Parameter(ParameterSetName = "CloudAccount", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>The cloud providers whose plans to list (a cloud account's CloudProviderId).</summary>
    [Parameter(ParameterSetName = "List")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("cloud provider")]
    public string[]? CloudProviderId { get; set; }

    /// <summary>The cloud accounts (Get-DciCloudAccount, from the pipeline) whose cloud providers' plans to list.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "CloudAccount", ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public DciCloudAccount[]? CloudAccount { get; set; }

    /// <summary>Only the plans of this realm (v3 asks IMCO with ?realm_id=; v2 has no such parameter and is narrowed here).</summary>
    [Parameter(ParameterSetName = "List")]
    [Parameter(ParameterSetName = "CloudAccount")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("realm")]
    public string? RealmId { get; set; }

    /// <summary>Plan ids (24 hex characters), each read with GET cloud/server_plans/{id}.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("server plan")]
    public string[] Id { get; set; } = Array.Empty<string>();

    private readonly HashSet<(DciConnection, string)> _providersListed = new();
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
            var connection = _connection = ResolveConnection();
            WriteResources(connection, "server plan", Id, null, _ => throw new InvalidOperationException(), Imco(connection).GetServerPlanAsync, p => p.Name);
            return;
        }
        var providers = new List<(DciConnection Connection, string Id, object Target)>();
        if (ParameterSetName == "CloudAccount")
        {
            foreach (var account in CloudAccount!.Where(a => a is not null))
                providers.Add((ResolveConnection(account.Connection is null ? null : account), account.CloudProviderId ?? "", account));
        }
        else
        {
            var connection = ResolveConnection();
            var ids = CloudProviderId ?? Call(ct => Imco(connection).ListCloudProvidersAsync(ct).ToListAsync(ct)).Select(p => p.Id!).ToArray();
            providers.AddRange(ids.Select(id => (connection, id, (object)id)));
        }
        // Several accounts of one provider are piped in: its plans are listed once.
        foreach (var (connection, provider, target) in providers.Where(p => _providersListed.Add((p.Connection, p.Id.ToLowerInvariant()))))
        {
            _connection = connection;
            try { WriteStream(ct => Imco(connection).ListServerPlansAsync(provider, RealmId, ct), p => _names?.Matches(p.Name) ?? true); }
            catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, target); }
        }
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        foreach (var missing in _names?.NamesNotFound() ?? Enumerable.Empty<string>())
            WriteError(DciErrors.NotFound($"a server plan named '{missing}' on {_connection?.PanelAddress}", missing));
    }
}
