using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Deletes IMCO SSH profiles (DELETE cloud/ssh_profiles/{id}).</summary>
[DciPlatforms(DciPlatform.Imco)]
[Cmdlet(VerbsCommon.Remove, "DciSshProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "SshProfile")]
[OutputType(typeof(void))]
public sealed class RemoveDciSshProfileCommand : ImcoCmdlet
{
    /// <summary>The SSH profiles to delete (from the pipeline); each on the connection it came from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "SshProfile", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public DciSshProfile[]? SshProfile { get; set; }

    /// <summary>The ids of the SSH profiles to delete.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [ValidateNotNullOrEmpty]
    [ValidateImcoId("SSH profile")]
    public string[]? Id { get; set; }

    /// <summary>Delete without asking for confirmation (-WhatIf still only tells).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var (connection, id, target, label) in ResourceTargets(SshProfile, Id, "SSH profile"))
        {
            if (!ConfirmUnlessForced($"{label} on {connection.PanelAddress}", "Delete SSH profile", Force)) continue;
            try { Call(ct => Imco(connection).DeleteSshProfileAsync(id, ct)); }
            catch (Exception ex) when (ex is DciException or ArgumentException) { WriteEngineError(ex, target); }
        }
    }
}
