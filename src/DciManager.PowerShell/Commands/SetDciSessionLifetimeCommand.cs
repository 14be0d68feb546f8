using System.Management.Automation;
using DciManager.Client;

namespace DciManager.Commands;

/// <summary>Sets how long an idle session token lives, for every user (POST auth/v4/setting/token_ttl).</summary>
[Cmdlet(VerbsCommon.Set, "DciSessionLifetime", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class SetDciSessionLifetimeCommand : DciCmdlet
{
    /// <summary>Idle lifetime in minutes (1 to 600000; the platform default is 60).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateRange(1, 600000)]
    public int Minutes { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (!ShouldProcess(connection.BaseUri.ToString(), $"Set the session lifetime to {Minutes} minutes")) return;
        try
        {
            Call(ct => connection.Auth.SetSessionLifetimeAsync(TimeSpan.FromMinutes(Minutes), ct));
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, Minutes);
        }
    }
}
