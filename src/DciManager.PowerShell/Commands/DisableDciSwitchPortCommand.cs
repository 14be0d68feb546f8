using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Turns switch ports off (admin status down). ConfirmImpact High: it cuts the cabled server off that network.
/// </summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsLifecycle.Disable, "DciSwitchPort", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DciSwitchPort))]
public sealed class DisableDciSwitchPortCommand : DciSwitchPortStateCmdlet
{
    protected override bool Enable => false;
}
