using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Creates an IMCO SSH profile (POST cloud/ssh_profiles) from an OpenSSH public key and emits it.</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.New, "DciSshProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DciSshProfile))]
public sealed class NewDciSshProfileCommand : ImcoCmdlet
{
    /// <summary>The profile's name (unique).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The OpenSSH public key (one line, e.g. the content of ~/.ssh/id_ed25519.pub).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string PublicKey { get; set; } = "";

    /// <summary>Labels to put on the profile.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("label")]
    public string[]? LabelId { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (!ShouldProcess($"{Name} on {connection.PanelAddress}", "Create SSH profile")) return;
        try { WriteObject(Call(ct => Imco(connection).CreateSshProfileAsync(Name, PublicKey, LabelId, ct))); }
        catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, Name); }
    }
}
