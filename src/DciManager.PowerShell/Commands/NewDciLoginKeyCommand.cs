using System.Management.Automation;
using DciManager.Client;
using DciManager.PowerShell.Completers;

using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>
/// Creates a one-time login key for a user (POST auth/v4/user/{email}/key, valid one hour) and emits it
/// with the ready login link https://host/auth/key-v4/&lt;key&gt;.
/// </summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5)]
[Cmdlet(VerbsCommon.New, "DciLoginKey", SupportsShouldProcess = true, DefaultParameterSetName = "User")]
[OutputType(typeof(DciLoginKey))]
public sealed class NewDciLoginKeyCommand : DciCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "User", ValueFromPipeline = true, Position = 0)]
    [ValidateNotNull]
    public DciUser? User { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Email")]
    [ValidatePattern(@"^[^@\s/'""\\]+@[^@\s/'""\\]+$")]
    [ArgumentCompleter(typeof(DciUserEmailCompleter))]
    public string Email { get; set; } = "";

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection(User);
        var who = User?.Email ?? Email;
        if (string.IsNullOrEmpty(who)) who = User!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!ShouldProcess(who, "Create a one-time login key")) return;
        try
        {
            WriteObject(connection.Dci5 is { } dci5
                ? Call(ct => dci5.CreateLoginKeyAsync(who, ct))
                : Call(ct => connection.Auth.CreateLoginKeyAsync(who, ct)));
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, (object?)User ?? who);
        }
    }
}
