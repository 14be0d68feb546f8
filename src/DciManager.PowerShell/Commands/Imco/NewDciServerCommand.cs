using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Platforms.Imco;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Commissions IMCO cloud servers (POST cloud/servers) and emits them; with -Wait, once they are inactive or operational.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.New, "DciServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DciCloudServer))]
public sealed class NewDciServerCommand : ImcoCmdlet
{
    /// <summary>The new server's name; names piped in commission one server each.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The blueprint template (Get-DciTemplate) the server is built from.</summary>
    [Parameter(Mandatory = true)]
    [ValidateImcoId("template")]
    public string TemplateId { get; set; } = "";

    /// <summary>The server plan (Get-DciServerPlan): size and realm.</summary>
    [Parameter(Mandatory = true)]
    [ValidateImcoId("server plan")]
    public string ServerPlanId { get; set; } = "";

    /// <summary>The cloud account (Get-DciCloudAccount) the server is billed to; the plan must be of its cloud provider.</summary>
    [Parameter(Mandatory = true)]
    [ValidateImcoId("cloud account")]
    public string CloudAccountId { get; set; } = "";

    /// <summary>The SSH profiles (Get-DciSshProfile) whose keys are installed: one is sent as ssh_profile_id, several as ssh_profile_ids (IMCO 9 and later).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("SSH profile")]
    public string[]? SshProfileId { get; set; }

    /// <summary>The firewall profile (Get-DciFirewallProfile); IMCO's default profile when left out.</summary>
    [Parameter]
    [ValidateImcoId("firewall profile")]
    public string? FirewallProfileId { get; set; }

    /// <summary>Labels to put on the server.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("label")]
    public string[]? LabelId { get; set; }

    /// <summary>Wait until each server is inactive (or operational); a server that ends commission_stalled is an error record.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>How long -Wait waits, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 1800;

    private readonly List<(DciConnection Connection, string Id)> _commissioned = new();

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (!ShouldProcess($"{Name} on {connection.PanelAddress}", "Commission server")) return;
        var request = new ImcoNewServer
        {
            Name = Name, TemplateId = TemplateId, ServerPlanId = ServerPlanId, CloudAccountId = CloudAccountId,
            SshProfileId = SshProfileId is [var one] ? one : null, SshProfileIds = SshProfileId is { Length: > 1 } several ? several : null,
            FirewallProfileId = FirewallProfileId, LabelIds = LabelId,
        };
        DciCloudServer server;
        try { server = Call(ct => Imco(connection).CommissionServerAsync(request, ct)); }
        catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, Name); return; }
        if (Wait) _commissioned.Add((connection, server.Id));
        else WriteObject(server);
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        WaitForCloudServers(_commissioned, "Commissioning IMCO servers",
            s => s.State is "inactive" or "operational",
            s => s.State is "commission_stalled" or "stalled" ? "could not be commissioned" : null,
            TimeSpan.FromSeconds(TimeoutSec));
    }
}
