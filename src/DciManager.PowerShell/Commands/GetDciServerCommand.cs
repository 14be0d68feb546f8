using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Lists servers. Every filter runs on the DCImanager (where=...), pages are fetched as the pipeline
/// consumes them, and Select-Object -First stops further page requests.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DciServer", DefaultParameterSetName = ListSet)]
[OutputType(typeof(DciServer))]
public sealed class GetDciServerCommand : DciCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "ServerId";

    /// <summary>One or more server ids, also piped in as numbers (DciTask and DciIpAddress objects bind by their ServerId).</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(DciServerIdCompleter))]
    public long[] ServerId { get; set; } = Array.Empty<long>();

    /// <summary>Server name; wildcards allowed (web*).</summary>
    [Parameter(ParameterSetName = ListSet, Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    [ArgumentCompleter(typeof(DciServerNameCompleter))]
    public string? Name { get; set; }

    /// <summary>Only servers without an owner.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter Free { get; set; }

    /// <summary>Owner e-mail; wildcards allowed.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    [ArgumentCompleter(typeof(DciUserEmailCompleter))]
    public string? Owner { get; set; }

    /// <summary>Configuration string, e.g. 'i9-9900K*'; wildcards allowed.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    [ArgumentCompleter(typeof(DciConfigurationCompleter))]
    public string? Configuration { get; set; }

    /// <summary>A raw DCImanager where expression, e.g. "location_id EQ 2 AND is_new EQ false"; combined with the other filters by AND.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ValidateDciFilter]
    public string? Filter { get; set; }

    /// <summary>Sort field and direction, e.g. 'name', 'name desc', 'id desc'.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ValidateDciSort]
    public string? Sort { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (ParameterSetName == IdSet)
        {
            // Batched: 200 ids cost one list request, not 200 GETs.
            LookUpIds<DciServer>(connection, ServerId, connection.Servers.GetManyAsync);
            return;
        }

        var name = Name is null ? null : DciWildcard.For("name", Name);
        var owner = Owner is null ? null : DciWildcard.For("owner_email", Owner);
        var configuration = Configuration is null ? null : DciWildcard.For("configuration", Configuration);
        var query = new DciQuery
        {
            Where = DciFilter.All(
                name?.Filter,
                owner?.Filter,
                configuration?.Filter,
                Free ? DciFilter.IsNull("owner_email") : null,
                Filter is null ? null : DciFilter.Raw(Filter)),
            OrderBy = Sort is null ? null : DciOrderBy.Parse(Sort),
        };

        WriteList(ct => connection.Servers.ListAsync(query, ct),
            server => (name?.Matches(server.Name) ?? true)
                      && (owner?.Matches(server.OwnerEmail) ?? true)
                      && (configuration?.Matches(server.Configuration) ?? true),
            target: query.Where?.ToString());
    }
}
