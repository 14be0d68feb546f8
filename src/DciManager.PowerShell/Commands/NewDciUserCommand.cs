using System.Management.Automation;
using System.Security;
using DciManager.Client;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Creates a DCImanager user (POST dci/v3/user) and emits it.</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.New, "DciUser", SupportsShouldProcess = true)]
[OutputType(typeof(DciUser))]
public sealed class NewDciUserCommand : DciCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidatePattern(@"^[^@\s'""\\]+@[^@\s'""\\]+\.[^@\s'""\\]+$")]
    [ValidateLength(3, 254)]
    public string Email { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    public string FullName { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateNotNull]
    public SecureString? Password { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PhoneNumber")]
    [ValidatePattern(@"^\+?[0-9 ()\-]{3,32}$")]
    public string? Phone { get; set; }

    [Parameter]
    public DciUserRole Role { get; set; } = DciUserRole.User;

    protected override void ProcessRecord()
    {
        if (Password!.Length == 0) ThrowParameterError("The password must not be empty.", nameof(Password), null);
        var connection = ResolveConnection();
        if (!ShouldProcess(Email, $"Create {Role} user")) return;
        var request = new DciNewUser { Email = Email, FullName = FullName, Password = Password, PhoneNumber = Phone, Role = Role };
        try
        {
            WriteObject(Call(ct => connection.UserOps.CreateAsync(request, ct)));
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, Email);
        }
    }
}
