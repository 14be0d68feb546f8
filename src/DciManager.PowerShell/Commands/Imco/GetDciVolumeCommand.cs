using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists IMCO volumes (GET storage/volumes), those attached to servers (GET cloud/servers/{id}/volumes), or reads them by id.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciVolume", DefaultParameterSetName = "List")]
[OutputType(typeof(DciVolume))]
public sealed class GetDciVolumeCommand : ImcoCmdlet
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

    /// <summary>Ids (24 hex characters), each read with GET storage/volumes/{id}.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("volume")]
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
        if (ParameterSetName is "List" or "Id")
        {
            var connection = ResolveConnection();
            var imco = Imco(connection);
            WriteResources(connection, "volume", ParameterSetName == "Id" ? Id : null, Name, imco.ListVolumesAsync, imco.GetVolumeAsync, x => x.Name);
            return;
        }
        foreach (var (connection, id, target) in ServerTargets(Server, ServerId))
        {
            _connection = connection;
            try { WriteStream(ct => Imco(connection).ListServerVolumesAsync(id, ct), x => _names?.Matches(x.Name) ?? true); }
            catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, target); }
        }
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        if (ParameterSetName is "List" or "Id") return;
        foreach (var missing in _names?.NamesNotFound() ?? Enumerable.Empty<string>())
            WriteError(DciErrors.NotFound($"a volume named '{missing}' attached to these servers on {_connection?.PanelAddress}", missing));
    }
}
