using System.Management.Automation;
using System.Security;
using DciManager.Client;
using DciManager.PowerShell.Completers;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Reinstalls the operating system of servers (POST server/{id}/operation_os). Destroys the data on them.</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsLifecycle.Install, "DciServerOs", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ServerObjectSet)]
[OutputType(typeof(DciTask))]
public sealed class InstallDciServerOsCommand : DciDisruptiveServerTaskCmdlet
{
    /// <summary>The OS template id (Get-DciOsTemplate).</summary>
    [Parameter(Mandatory = true)]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(DciOsTemplateIdCompleter))]
    public long OsTemplateId { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public SecureString? RootPassword { get; set; }

    /// <summary>Public SSH keys to authorise for root (e.g. the text of id_ed25519.pub).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidatePattern(@"^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( .*)?$")]
    public string[] SshKey { get; set; } = Array.Empty<string>();

    [Parameter]
    public DciRaidLevel Raid { get; set; } = DciRaidLevel.None;

    protected override void BeginProcessing()
    {
        if (RootPassword!.Length == 0) ThrowParameterError("The root password must not be empty.", nameof(RootPassword), null);
        base.BeginProcessing();
    }

    protected override void ProcessRecord()
    {
        var request = new DciOsInstallRequest { OsTemplateId = OsTemplateId, RootPassword = RootPassword!, SshPublicKeys = SshKey, Raid = Raid };
        StartTask($"Reinstall the OS from template {OsTemplateId} (erases the disks)",
            (connection, serverId, ct) => connection.ServerOps.InstallOsAsync(serverId, request, ct));
    }
}
