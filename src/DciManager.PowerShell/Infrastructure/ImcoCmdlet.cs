using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.Client.Platforms.Imco;
using DciManager.Commands;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>
/// Base of the IMCO-only cmdlets: the connection's IMCO client, the one way Get-* cmdlets pick by -Id or -Name, the
/// servers a cmdlet was given (objects or ids); waits use the one state wait of <see cref="DciCmdlet.WaitForCloudServers"/>.
/// </summary>
public abstract class ImcoCmdlet : DciCmdlet
{
    internal ImcoClient Imco(DciConnection connection) => connection.Imco!;

    /// <summary>
    /// A Get-* cmdlet's output: with ids, each one read by GET {collection}/{id} (an unknown id is an ObjectNotFound
    /// record, the others go on); otherwise the list, narrowed to names matching <paramref name="names"/> (wildcards,
    /// ignoring case; a plain name that matches nothing is an ObjectNotFound record) and to <paramref name="keep"/>.
    /// </summary>
    internal void WriteResources<T>(DciConnection connection, string what, string[]? ids, string[]? names,
        Func<CancellationToken, IAsyncEnumerable<T>> list, Func<string, CancellationToken, Task<T>> get, Func<T, string?> nameOf,
        Func<T, bool>? keep = null) where T : DciObject
    {
        if (ids is { Length: > 0 })
        {
            foreach (var id in ids.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                T item;
                try { item = Call(ct => get(id, ct)); }
                catch (DciException ex) { WriteEngineError(ex, id); continue; }
                if (keep is null || keep(item)) WriteObject(item);
            }
            return;
        }
        var patterns = DciNameMatch.For(names);
        WriteList(list, x => (patterns?.Matches(nameOf(x)) ?? true) && (keep is null || keep(x)));
        foreach (var missing in patterns?.NamesNotFound() ?? Enumerable.Empty<string>())
            WriteError(DciErrors.NotFound($"a {what} named '{missing}' on {connection.PanelAddress}", missing));
    }

    /// <summary>
    /// The servers a cmdlet was given: DciCloudServer objects (each on the connection it came from) or ids (on -Connection
    /// or the default one), in that order.
    /// </summary>
    internal IEnumerable<(DciConnection Connection, string Id, object Target)> ServerTargets(DciCloudServer[]? servers, string[]? serverIds)
    {
        foreach (var server in servers ?? Array.Empty<DciCloudServer>())
        {
            if (server is null) continue;
            var connection = ResolveConnection(server.Connection is null ? null : server);
            if (string.IsNullOrEmpty(server.Id))
            {
                WriteError(new ErrorRecord(new ArgumentException($"The server '{server}' has no Id."), "Dci.InvalidParameter", ErrorCategory.InvalidArgument, server));
                continue;
            }
            yield return (connection, server.Id, server);
        }
        if (serverIds is { Length: > 0 })
        {
            var connection = ResolveConnection();
            foreach (var id in serverIds) yield return (connection, id, id);
        }
    }

    /// <summary>
    /// The resources a cmdlet was given: objects (each on the connection it came from) or ids (on -Connection or the
    /// default one), with the label ShouldProcess shows.
    /// </summary>
    internal IEnumerable<(DciConnection Connection, string Id, object Target, string Label)> ResourceTargets<T>(T[]? items, string[]? ids, string what)
        where T : DciObject, IImcoResource
    {
        foreach (var item in items ?? Array.Empty<T>())
        {
            if (item is null) continue;
            yield return (ResolveConnection(item.Connection is null ? null : item), item.Id ?? "", item, $"{what} {item.Name} ({item.Id})");
        }
        if (ids is { Length: > 0 })
        {
            var connection = ResolveConnection();
            foreach (var id in ids) yield return (connection, id, id, $"{what} {id}");
        }
    }

    /// <summary>The error for a server object from another connection than the resource it is to be attached to, else null.</summary>
    internal static ErrorRecord? ServerMismatch(DciConnection connection, DciCloudServer server)
    {
        if (server.Connection is not { } own || ReferenceEquals(own, connection)) return null;
        return new ErrorRecord(new InvalidOperationException($"The server '{server}' came from {own}, not from {connection}: a server and what is attached to it must be on one IMCO."),
            "Dci.ConnectionMismatch", ErrorCategory.InvalidArgument, server);
    }
}

/// <summary>
/// Base of the IMCO Get-* cmdlets that list one collection: all of it, with -Name wildcards matched as it streams (a
/// plain name that matches nothing is an ObjectNotFound error), or -Id, each read by its own GET.
/// </summary>
public abstract class ImcoListCmdlet<T> : ImcoCmdlet where T : DciObject, IImcoResource
{
    /// <summary>Names; wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Ids (24 hex characters), each read by its own GET.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("resource")]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>What one of them is called in errors ("template", "VPC").</summary>
    protected abstract string What { get; }

    internal abstract IAsyncEnumerable<T> List(ImcoClient imco, CancellationToken ct);
    internal abstract Task<T> Get(ImcoClient imco, string id, CancellationToken ct);

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var imco = Imco(connection);
        WriteResources(connection, What, ParameterSetName == "Id" ? Id : null, Name, ct => List(imco, ct), (id, ct) => Get(imco, id, ct), x => x.Name);
    }
}

/// <summary>
/// Base of Get-DciFloatingIp and Get-DciVolume, the IMCO resources that attach to servers: all of them, by id, or
/// those attached to servers (objects from the pipeline, or ids), with -Name matched as they stream and a plain name
/// that matched nothing reported once at the end.
/// </summary>
public abstract class ImcoAttachableListCmdlet<T> : ImcoCmdlet where T : DciObject, IImcoResource
{
    /// <summary>Names; wildcards allowed. A plain name that matches nothing is an error.</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [Parameter(ParameterSetName = "Server", Position = 0)]
    [Parameter(ParameterSetName = "ServerId", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only the ones attached to these servers (DciCloudServer objects, from the pipeline).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Server", ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public DciCloudServer[]? Server { get; set; }

    /// <summary>Only the ones attached to the servers with these ids.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ServerId")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("server")]
    public string[]? ServerId { get; set; }

    /// <summary>Ids (24 hex characters), each read by its own GET.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("resource")]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>What one of them is called in errors ("floating IP", "volume").</summary>
    protected abstract string What { get; }

    internal abstract IAsyncEnumerable<T> List(ImcoClient imco, CancellationToken ct);
    internal abstract Task<T> Get(ImcoClient imco, string id, CancellationToken ct);
    internal abstract IAsyncEnumerable<T> ListAttachedTo(ImcoClient imco, string serverId, CancellationToken ct);

    private DciNameMatch? _names;
    private DciConnection? _connection;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _names = DciNameMatch.For(Name);
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName is "List" or "Id")
        {
            var connection = ResolveConnection();
            var imco = Imco(connection);
            WriteResources(connection, What, ParameterSetName == "Id" ? Id : null, Name, ct => List(imco, ct), (id, ct) => Get(imco, id, ct), x => x.Name);
            return;
        }
        foreach (var (connection, id, target) in ServerTargets(Server, ServerId))
        {
            _connection = connection;
            try { WriteStream(ct => ListAttachedTo(Imco(connection), id, ct), x => _names?.Matches(x.Name) ?? true); }
            catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, target); }
        }
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        if (ParameterSetName is "List" or "Id") return;
        foreach (var missing in _names?.NamesNotFound() ?? Enumerable.Empty<string>())
            WriteError(DciErrors.NotFound($"a {What} named '{missing}' attached to these servers on {_connection?.PanelAddress}", missing));
    }
}

/// <summary>Lets a -Server parameter take a DciCloudServer or its id (24 hex characters, checked while parameters bind).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DciCloudServerTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is not string text) return value;
        try { return new DciCloudServer { Id = ImcoId.Validate(text, "server") }; }
        catch (ArgumentException ex) { throw new ArgumentTransformationMetadataException(ex.Message.Split(" (Parameter", 2)[0], ex); }
    }
}

/// <summary>Checks IMCO ids (24 hex characters) while parameters bind, so a bad id is refused before any request.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateImcoIdAttribute : ValidateEnumeratedArgumentsAttribute
{
    private readonly string _what;

    public ValidateImcoIdAttribute(string what) => _what = what;

    protected override void ValidateElement(object element)
    {
        try
        {
            ImcoId.Validate(element as string ?? element?.ToString() ?? "", _what);
        }
        catch (ArgumentException ex)
        {
            throw new ValidationMetadataException(ex.Message.Split(" (Parameter", 2)[0]);
        }
    }
}
