using System.Management.Automation;
using DciManager.Client;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Powers servers on, off or resets them (POST server/{id}/power_on|power_off|power_reset).</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsLifecycle.Invoke, "DciPower", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ServerObjectSet)]
[OutputType(typeof(DciTask))]
public sealed class InvokeDciPowerCommand : DciDisruptiveServerTaskCmdlet
{
    [Parameter(Mandatory = true)]
    public DciPowerAction Action { get; set; }

    protected override void ProcessRecord() =>
        StartTask($"Power {Action.ToString().ToLowerInvariant()}",
            (connection, serverId, ct) => connection.ServerOps.PowerAsync(serverId, Action, ct));
}
