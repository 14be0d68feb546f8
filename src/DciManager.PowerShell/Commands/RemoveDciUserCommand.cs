using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

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

    /// <summary>The user's e-mail, as Get-DciUser and New-DciUser take it; matched exactly (no wildcards: a delete names one user).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Email")]
    [ValidateNotNullOrEmpty]
    [ValidateLength(3, 255)]
    [ArgumentCompleter(typeof(DciUserEmailCompleter))]
    public string? Email { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection(User);
        var user = User;
        if (Email is not null && (user = FindByEmail(connection, Email)) is null) return;
        var id = user?.Id ?? UserId;
        var label = user?.Email is { } email ? $"user {id} ({email}) on {connection.PanelAddress}" : $"user {id} on {connection.PanelAddress}";
        if (!ShouldProcess(label, "Delete user")) return;
        try
        {
            Call(ct => connection.UserOps.DeleteAsync(id, ct));
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, (object?)user ?? id);
        }
    }

    /// <summary>The user with exactly this e-mail (without regard to case), or null after an ObjectNotFound error.</summary>
    private DciUser? FindByEmail(DciConnection connection, string email)
    {
        var query = new DciListQuery { Names = DciNameMatch.Exactly(email) };
        DciUser? found = null;
        try
        {
            found = Call(async ct =>
            {
                await foreach (var candidate in connection.UserOps.ListAsync(query, ct).ConfigureAwait(false))
                    return candidate;
                return null;
            });
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, email);
            return null;
        }
        if (found is null) WriteError(DciErrors.NotFound($"a user with the e-mail '{email}' on {connection.PanelAddress}", email));
        return found;
    }
}
