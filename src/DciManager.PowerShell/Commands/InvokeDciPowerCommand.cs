using System.Management.Automation;
using DciManager.Client;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Powers servers on, off or resets them: POST server/{id}/power_on|power_off|power_reset on DCImanager 6,
/// server.poweron|poweroff|reboot on DCImanager 5, PUT cloud/servers/{id}/boot|shutdown|reboot on IMCO. DCImanager
/// answers with a task; IMCO with the server, whose state then moves (-Wait: until operational, or inactive for Off).
/// </summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5, DciPlatform.Imco)]
[Cmdlet(VerbsLifecycle.Invoke, "DciPower", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ServerObjectSet)]
[OutputType(typeof(DciTask), typeof(DciCloudServer))]
public sealed class InvokeDciPowerCommand : DciDisruptiveServerTaskCmdlet
{
    [Parameter(Mandatory = true)]
    public DciPowerAction Action { get; set; }

    protected override void ProcessRecord() =>
        StartTaskOrCloudAction($"Power {Action.ToString().ToLowerInvariant()}", async (connection, serverId, ct) =>
            connection.Imco is { } imco
                ? (DciObject)await (Action switch
                {
                    DciPowerAction.On => imco.BootAsync(serverId, ct),
                    DciPowerAction.Off => imco.ShutdownAsync(serverId, ct),
                    _ => imco.RebootAsync(serverId, ct),
                }).ConfigureAwait(false)
                : await connection.ServerOps.PowerAsync(DciIds.ToNumber(serverId, connection.Platform), Action, ct).ConfigureAwait(false));

    protected override (Func<DciCloudServer, bool> IsDone, string Name)? CloudGoal =>
        Action == DciPowerAction.Off
            ? (s => s.State == "inactive", "inactive")
            : (s => s.State == "operational", "operational");
}
