using System.Management.Automation;
using DciManager.Client;

namespace DciManager.Commands;

/// <summary>Changes a global DCImanager setting (POST dci/v3/setting/{name}), e.g. operation_change_boot_order.</summary>
[Cmdlet(VerbsCommon.Set, "DciSetting", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class SetDciSettingCommand : DciCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidatePattern("^[A-Za-z][A-Za-z0-9_]{0,127}$")]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [AllowEmptyString]
    public string Value { get; set; } = "";

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        if (!ShouldProcess($"setting {Name} on {connection.BaseUri}", $"Set to '{Value}'")) return;
        try
        {
            Call(ct => connection.Settings.SetAsync(Name, Value, ct));
        }
        catch (DciException ex)
        {
            WriteEngineError(ex, Name);
        }
    }
}
