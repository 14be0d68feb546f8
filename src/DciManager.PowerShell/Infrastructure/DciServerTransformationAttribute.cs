using System.Collections;
using System.Globalization;
using System.Management.Automation;
using DciManager.Client;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>
/// Lets only server-shaped input reach a -Server parameter: DciServer and DciCloudServer (IMCO) objects, objects that name a server
/// (DciTask, DciIpAddress and DciSwitchPort by their ServerId, with their connection), Select-Object copies of servers, and
/// plain ids. A user, pool or template is never read as a server because it also has an Id.
/// </summary>
/// <remarks>
/// Input that is not server-shaped is handed back unchanged, so PowerShell can still bind it to another
/// pipeline parameter of the cmdlet (e.g. a rack) or refuse it with its own "cannot be bound" error. Property
/// bags that would otherwise be converted to a DciServer by PowerShell (a PSCustomObject with an Id) are
/// refused here, since nothing says their Id is a server's.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DciServerTransformationAttribute : ArgumentTransformationAttribute
{
    private const string ServerTypeName = "DciManager.Client.DciServer";
    private const string CloudServerTypeName = "DciManager.Client.DciCloudServer";

    /// <summary>An IMCO server as the server cmdlets address it: its hex id, with its name for confirmations.</summary>
    private static DciServer CloudReference(string id, string? name, DciConnection? connection)
    {
        var reference = DciServer.Reference(id, connection);
        reference.Name = name;
        return reference;
    }

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is null || value is string || value is not IEnumerable items || value is IDictionary)
            return ToServer(inputData) ?? inputData;

        var servers = new List<DciServer>();
        foreach (var item in items)
        {
            // One element that is not a server: give the whole list back for PowerShell to refuse as it is.
            if (ToServer(item) is not { } server) return inputData;
            servers.Add(server);
        }
        return servers.ToArray();
    }

    /// <summary>The server <paramref name="input"/> stands for, or null when it is not server-shaped.</summary>
    private static DciServer? ToServer(object? input)
    {
        var value = input is PSObject wrapped ? wrapped.BaseObject : input;
        switch (value)
        {
            case DciServer server:
                return server;
            case DciCloudServer cloud:
                return CloudReference(cloud.Id, cloud.Name, cloud.Connection);
            case DciObject and IDciServerLink { ServerId: > 0 } link:
                return DciServer.Reference(link.ServerId!.Value, ((DciObject)link).Connection);
            case string hex when DciIds.IsImcoId(hex.Trim()):
                return DciServer.Reference(hex, null);
            case int or long or short or uint or ushort or byte or sbyte or ulong:
            case string text when long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                return TryId(value, out var id)
                    ? DciServer.Reference(id, null)
                    : throw new ArgumentTransformationMetadataException(DciIds.Describe(value.ToString()));
            case PSCustomObject when input is PSObject bag:
                return FromPropertyBag(bag);
            default:
                return null;
        }
    }

    /// <summary>A Select-Object copy of a server keeps its Id; any other bag must say ServerId.</summary>
    private static DciServer FromPropertyBag(PSObject bag)
    {
        var names = bag.TypeNames;
        var connection = bag.Properties["Connection"]?.Value is DciConnection c ? c : null;
        if (names.Contains("Deserialized." + ServerTypeName))
            throw new ArgumentTransformationMetadataException(
                "This server was deserialized (Import-Clixml, a job or a remote session) and no longer knows its connection. " +
                "Get it again with Get-DciServer, or give -ServerId with -Connection.");
        if (bag.Properties["ServerId"]?.Value is { } serverId && TryId(serverId, out var sid))
            return DciServer.Reference(sid, connection);
        if (names.Contains("Selected." + ServerTypeName) && bag.Properties["Id"]?.Value is { } selectedId && TryId(selectedId, out var id))
            return DciServer.Reference(id, connection);
        if (names.Contains("Selected." + CloudServerTypeName) && bag.Properties["Id"]?.Value is { } cloudId && DciIds.IsImcoId(cloudId.ToString()))
            return CloudReference(cloudId.ToString()!, bag.Properties["Name"]?.Value as string, connection);
        throw new ArgumentTransformationMetadataException(
            $"An object of type {names.FirstOrDefault() ?? "PSCustomObject"} does not say which server it is: it needs a ServerId property. " +
            "Pipe servers from Get-DciServer, or give -ServerId.");
    }

    private static bool TryId(object value, out long id)
    {
        value = value is PSObject p ? p.BaseObject : value;
        id = 0;
        switch (value)
        {
            case string s:
                return long.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
            case int or long or short or uint or ushort or byte or sbyte:
                id = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                return id > 0;
            case ulong big when big <= long.MaxValue:
                id = (long)big;
                return id > 0;
            default:
                return false;
        }
    }
}
