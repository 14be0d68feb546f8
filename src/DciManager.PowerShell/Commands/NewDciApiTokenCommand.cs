using System.Management.Automation;
using DciManager.Client;

namespace DciManager.Commands;

/// <summary>Creates a long-lived API token (POST auth/v4/token) for unattended use; the token is a SecureString.</summary>
[Cmdlet(VerbsCommon.New, "DciApiToken", SupportsShouldProcess = true)]
[OutputType(typeof(DciApiToken))]
public sealed class NewDciApiTokenCommand : DciCmdlet
{
    /// <summary>When the token stops working (local time unless the DateTime says otherwise).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public DateTime ExpiresAt { get; set; }

    [Parameter]
    [ValidateLength(0, 255)]
    public string? Description { get; set; }

    protected override void ProcessRecord()
    {
        var expiresAt = new DateTimeOffset(ExpiresAt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(ExpiresAt, DateTimeKind.Local) : ExpiresAt);
        if (expiresAt <= DateTimeOffset.Now)
            ThrowParameterError($"The expiry {ExpiresAt:u} is in the past; give a future date.", nameof(ExpiresAt), ExpiresAt);
        var connection = ResolveConnection();
        if (!ShouldProcess(connection.BaseUri.ToString(), $"Create an API token valid until {expiresAt:u}")) return;
        try
        {
            WriteObject(Call(ct => connection.Auth.CreateApiTokenAsync(expiresAt, Description, ct)));
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, null);
        }
    }
}
