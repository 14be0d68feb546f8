using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Lists servers. Every filter runs on the DCImanager (where=...), pages are fetched as the pipeline
/// consumes them, and Select-Object -First stops further page requests.
/// </summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5, DciPlatform.OpenDcim, DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciServer", DefaultParameterSetName = ListSet)]
[OutputType(typeof(DciServer), typeof(DciCloudServer))]
public sealed class GetDciServerCommand : DciCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "ServerId";
    private const string ServerSet = "Server";
    private const string UserSet = "User";
    private const string RackSet = "Rack";
    private const string LocationSet = "Location";
    private const string SwitchSet = "Switch";
    private const string PduSet = "Pdu";

    /// <summary>One or more server ids in their platform's form: numbers (DCImanager, openDCIM) or 24-hex strings (IMCO).</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, Position = 0)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ValidateDciId]
    [ArgumentCompleter(typeof(DciServerIdCompleter))]
    public string[] ServerId { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Servers to read again, from the pipeline: DciServer objects, objects that name a server (DciTask,
    /// DciIpAddress: their ServerId) or plain ids. Each is read on the connection it came from.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ServerSet, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    [DciServerTransformation]
    public DciServer[] Server { get; set; } = Array.Empty<DciServer>();

    /// <summary>The servers a user owns: pipe users in (Get-DciUser -Email x | Get-DciServer).</summary>
    [Parameter(Mandatory = true, ParameterSetName = UserSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public DciUser? User { get; set; }

    /// <summary>Server names; wildcards allowed (web*). A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = ListSet, Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateCount(1, 100)]
    [ValidateLength(1, 255)]
    [ArgumentCompleter(typeof(DciServerNameCompleter))]
    public string[]? Name { get; set; }

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

    /// <summary>The server's state (DCImanager: e.g. 'ok'; IMCO: operational, inactive, stalled ...); wildcards allowed.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    public string? State { get; set; }

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

    // Racks, locations, switches and PDUs bind by value on their own type, so their Id is never read as a server id.

    /// <summary>The servers in this rack: a DciRack (from the pipeline) or a rack name (wildcards allowed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = RackSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(DciRackNameCompleter))]
    public DciRack? Rack { get; set; }

    /// <summary>The servers in this location: a DciLocation (from the pipeline) or a location name (wildcards allowed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LocationSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(DciLocationNameCompleter))]
    public DciLocation? Location { get; set; }

    /// <summary>The servers cabled to this switch: a DciSwitch (from the pipeline) or a switch name (wildcards allowed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = SwitchSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    [ArgumentCompleter(typeof(DciSwitchNameCompleter))]
    public DciSwitch? Switch { get; set; }

    /// <summary>The servers this PDU feeds, as a DciPdu (from the pipeline).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PduSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public DciPdu? Pdu { get; set; }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case RackSet or LocationSet or SwitchSet or PduSet:
                WriteInventoryServers();
                return;
            case IdSet:
                WriteByIds(ResolveConnection(), ServerId);
                return;
            case ServerSet:
                foreach (var server in Server) WriteByIds(ResolveConnection(server), new[] { server.Key });
                return;
            case UserSet:
                WriteOwnedBy(User!);
                return;
        }

        var connection = ResolveConnection();
        // A raw where expression and server-side sorting are DCImanager 6 query text.
        if (Filter is not null) RequirePlatform(connection, "Get-DciServer -Filter");
        if (Sort is not null) RequirePlatform(connection, "Get-DciServer -Sort");
        var names = DciNameMatch.For(Name);
        var query = new DciListQuery
        {
            Names = names,
            Owner = Owner is null ? null : DciNamePattern.Parse(Owner),
            Configuration = Configuration is null ? null : DciNamePattern.Parse(Configuration),
            Free = Free,
            State = State is null ? null : DciNamePattern.Parse(State),
            NativeFilter = Filter,
            Sort = Sort is null ? null : DciSortKey.Parse(Sort),
        };

        // The platform narrows and matches; a name counts as found only on a server that passed the other filters.
        var target = query.IsEmpty ? null : query.ToString();
        if (connection.Imco is { } imco) WriteList(ct => imco.ListServersAsync(query, ct), target: target);
        else WriteList(ct => connection.ServerOps.ListAsync(query, ct), target: target);
        foreach (var missing in names?.NamesNotFound() ?? Enumerable.Empty<string>())
            WriteError(DciErrors.NotFound($"a server named '{missing}' on {connection.PanelAddress}", missing));
    }

    /// <summary>Batched: 200 ids cost one list request, not 200 GETs (IMCO: one unfiltered list, picked from).</summary>
    private void WriteByIds(DciConnection connection, IReadOnlyList<string> ids)
    {
        if (connection.Imco is { } imco)
        {
            var valid = PlatformIds(connection, ids);
            if (valid.Count > 0) WriteKeyedLookups(ct => imco.GetServersAsync(valid, ct), valid);
        }
        else LookUpIds<DciServer>(connection, NumericIds(connection, ids), connection.ServerOps.GetManyAsync);
    }

    private void WriteOwnedBy(DciUser user)
    {
        var connection = ResolveConnection(user);
        if (string.IsNullOrEmpty(user.Email))
        {
            WriteError(new ErrorRecord(new ArgumentException($"User {user.Id} has no e-mail, so its servers cannot be listed."),
                "Dci.UserWithoutEmail", ErrorCategory.InvalidArgument, user));
            return;
        }
        var query = new DciListQuery { Owner = DciNamePattern.Exactly(user.Email) };
        WriteList(ct => connection.ServerOps.ListAsync(query, ct), target: user.Email);
    }

    /// <summary>One filtered server list per rack, location, switch or PDU piped in (racks + 1 requests for Get-DciRack | Get-DciServer).</summary>
    private void WriteInventoryServers()
    {
        var byId = new[] { new DciSortKey(nameof(DciServer.Id), Descending: false) };
        (DciObject source, DciListQuery query) = ParameterSetName switch
        {
            RackSet => ((DciObject)Rack!, new DciListQuery { Rack = DciPlaceMatch.For(Rack!.Id, Rack.Name, "rack"), Sort = byId }),
            LocationSet => (Location!, new DciListQuery { Location = DciPlaceMatch.For(Location!.Id, Location.Name, "location"), Sort = byId }),
            SwitchSet => (Switch!, new DciListQuery { Switch = DciPlaceMatch.For(Switch!.Id, Switch.Name, "switch"), Sort = byId }),
            _ => (Pdu!, new DciListQuery { Pdu = DciPlaceMatch.For(Pdu!.Id, Pdu.Name, "PDU"), Sort = byId }),
        };
        var connection = ResolveConnection(source);
        RequirePlatform(connection, $"Get-DciServer -{ParameterSetName}");
        WriteList(ct => connection.ServerOps.ListAsync(query, ct), target: query.ToString());
    }
}
