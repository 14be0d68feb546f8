using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Turns switch ports on (admin status up).</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsLifecycle.Enable, "DciSwitchPort", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DciSwitchPort))]
public sealed class EnableDciSwitchPortCommand : DciSwitchPortStateCmdlet
{
    protected override bool Enable => true;
}
