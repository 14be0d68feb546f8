using System.Management.Automation;
using DciManager.Client;
using DciManager.Client.Query;
using DciManager.PowerShell.Completers;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Lists DCImanager users (admin only).</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5, DciPlatform.OpenDcim)]
[Cmdlet(VerbsCommon.Get, "DciUser", DefaultParameterSetName = "List")]
[OutputType(typeof(DciUser))]
public sealed class GetDciUserCommand : DciCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "Id")]
    [Alias("UserId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = Array.Empty<long>();

    /// <summary>E-mail; wildcards allowed (*@example.com).</summary>
    [Parameter(ParameterSetName = "List", Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 255)]
    [ArgumentCompleter(typeof(DciUserEmailCompleter))]
    public string? Email { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (ParameterSetName == "Id")
        {
            LookUpIds<DciUser>(connection, Id, connection.UserOps.GetManyAsync);
            return;
        }
        var query = new DciListQuery { Names = DciNameMatch.For(Email) };
        WriteList(ct => connection.UserOps.ListAsync(query, ct));
    }
}
