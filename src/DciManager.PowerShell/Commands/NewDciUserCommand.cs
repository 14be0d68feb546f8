using System.Management.Automation;
using System.Security;
using DciManager.Client;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Creates a DCImanager user (POST dci/v3/user, or user.edit on DCImanager 5) and emits it; on openDCIM, with
/// -UserId, a person (PUT /people/{userid}), who has names and contact details but no password there.
/// </summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5, DciPlatform.OpenDcim)]
[Cmdlet(VerbsCommon.New, "DciUser", SupportsShouldProcess = true, DefaultParameterSetName = UserSet)]
[OutputType(typeof(DciUser))]
public sealed class NewDciUserCommand : DciCmdlet
{
    private const string UserSet = "User";
    private const string PersonSet = "Person";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = UserSet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PersonSet)]
    [ValidatePattern(@"^[^@\s'""\\]+@[^@\s'""\\]+\.[^@\s'""\\]+$")]
    [ValidateLength(3, 254)]
    public string? Email { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = UserSet)]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    public string FullName { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = UserSet)]
    [ValidateNotNull]
    public SecureString? Password { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PhoneNumber")]
    [ValidatePattern(@"^\+?[0-9 ()\-]{3,32}$")]
    public string? Phone { get; set; }

    [Parameter(ParameterSetName = UserSet)]
    public DciUserRole Role { get; set; } = DciUserRole.User;

    /// <summary>openDCIM: the person's UserID (their login name), the key of PUT /people/{userid}.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PersonSet)]
    [ValidatePattern(@"^[A-Za-z0-9._@-]{1,80}$")]
    public string? UserId { get; set; }

    [Parameter(ParameterSetName = PersonSet)]
    [ValidateLength(1, 80)]
    public string? FirstName { get; set; }

    [Parameter(ParameterSetName = PersonSet)]
    [ValidateLength(1, 80)]
    public string? LastName { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (ParameterSetName == PersonSet)
        {
            if (connection.OpenDcim is not { } openDcim)
            {
                ThrowParameterError("-UserId creates an openDCIM person; on this platform give -Email, -FullName and -Password.", nameof(UserId), UserId);
                return;
            }
            if (!ShouldProcess($"{UserId} on {connection.PanelAddress}", "Create person")) return;
            try { WriteObject(Call(ct => openDcim.CreatePersonAsync(UserId!, FirstName, LastName, Email, Phone, ct))); }
            catch (DciException ex) { WriteEngineError(ex, UserId); }
            return;
        }
        if (Password!.Length == 0) ThrowParameterError("The password must not be empty.", nameof(Password), null);
        if (!ShouldProcess($"{Email} on {connection.PanelAddress}", $"Create user ({Role})")) return;
        var request = new DciNewUser { Email = Email!, FullName = FullName, Password = Password, PhoneNumber = Phone, Role = Role };
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
