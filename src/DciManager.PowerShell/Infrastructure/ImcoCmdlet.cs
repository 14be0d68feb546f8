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
