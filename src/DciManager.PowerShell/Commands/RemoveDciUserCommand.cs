using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Completers;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Deletes DCImanager users (DELETE dci/v3/user/{id}).</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.Remove, "DciUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "User")]
[OutputType(typeof(void))]
public sealed class RemoveDciUserCommand : DciCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "User", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    public DciUser? User { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "UserId")]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(DciUserIdCompleter))]
    public long UserId { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection(User);
        var id = User?.Id ?? UserId;
        var label = User?.Email is { } email ? $"user {id} ({email})" : $"user {id}";
        if (!ShouldProcess(label, "Delete user")) return;
        try
        {
            Call(ct => connection.UserOps.DeleteAsync(id, ct));
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, (object?)User ?? id);
        }
    }
}
