namespace DciManager.Simulator.OpenDcim;

/// <summary>What the simulator prints at startup in openDCIM mode: where it listens, the accounts and how to connect.</summary>
internal static class OpenDcimBanner
{
    public static IEnumerable<string> Lines(OpenDcimSimulation sim, string url, SimulatorOptions options)
    {
        var api = url + OpenDcimInferred.ApiPrefix;
        yield return $"openDCIM 23.04 simulator listening on {api}";
        yield return $"Auth: {sim.AuthMode switch
        {
            OpenDcimAuthMode.Basic => "HTTP Basic (Apache vhost) only",
            OpenDcimAuthMode.ApiKey => "UserID/APIKey headers only",
            _ => "both (" + OpenDcimInferred.BothModesRule + ")",
        }}";
        yield return $"Devices: {sim.DeviceCount}; control endpoints: {(options.EnableControl ? "enabled (/_sim/*)" : "disabled")}";
        yield return "Accounts (UserID / APIKey / Basic password / rights):";
        foreach (var a in OpenDcimSimulation.Accounts)
            yield return $"  {a.UserId,-11} {(a.ApiKey.Length == 0 ? "-" : a.ApiKey),-22} {a.BasicPassword ?? "-",-14} {a.Rights}";
        var skip = options.Https ? " -SkipCertificateCheck" : "";
        yield return $"Connect-Dci -Platform OpenDcim -Uri {api} -UserId dcadmin -ApiKey (Read-Host -AsSecureString 'APIKey'){skip}";
        yield return $"Connect-Dci -Platform OpenDcim -Uri {api} -Credential (Get-Credential dcadmin){skip}";
        yield return $"curl -H 'UserID: dcadmin' -H 'APIKey: dcadmin-key-7f3a9c' -H 'Accept: application/json' {api}/device";
    }
}
