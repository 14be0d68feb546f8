using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists a server's IMCO events (GET cloud/servers/{id}/events) or the audit log (GET audit/events), oldest first.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Get, "DciEvent", DefaultParameterSetName = "Audit")]
[OutputType(typeof(DciCloudEvent))]
public sealed class GetDciEventCommand : ImcoCmdlet
{
    /// <summary>The servers whose events to list (DciCloudServer objects, from the pipeline).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Server", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public DciCloudServer[]? Server { get; set; }

    /// <summary>The ids of the servers whose events to list.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ServerId")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("server")]
    public string[]? ServerId { get; set; }

    /// <summary>The audit log (every change made through the API); what the cmdlet lists without -Server or -ServerId.</summary>
    [Parameter(ParameterSetName = "Audit")]
    public SwitchParameter Audit { get; set; }

    /// <summary>Only events of these levels (info, warning, error).</summary>
    [Parameter]
    [ValidateSet("info", "warning", "error")]
    public string[]? Level { get; set; }

    protected override void ProcessRecord()
    {
        bool Keep(DciCloudEvent e) => Level is null || Level.Contains(e.Level, StringComparer.OrdinalIgnoreCase);
        if (ParameterSetName == "Audit")
        {
            var connection = ResolveConnection();
            WriteList(Imco(connection).ListAuditEventsAsync, Keep);
            return;
        }
        foreach (var (connection, id, target) in ServerTargets(Server, ServerId))
        {
            try { WriteStream(ct => Imco(connection).ListServerEventsAsync(id, ct), Keep); }
            catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, target); }
        }
    }
}
