using System.Management.Automation;
using System.Net;
using DciManager.Client;

namespace DciManager.PowerShell.Tests;

public sealed class SecretHygieneTests
{
    [Fact]
    public async Task No_password_token_key_or_cookie_reaches_any_stream_error_or_ToString()
    {
        await using var session = await ModuleSession.StartAsync(connect: false);
        session.Set("userPw", ModuleSession.Credential("x", "N3w-user-Secret!").Password);
        session.Set("rootPw", ModuleSession.Credential("x", "R00t-Secret-Pw!").Password);
        session.Set("wrongCred", ModuleSession.Credential(session.Simulator.AdminEmail, "Wr0ng-Secret-Pw!"));
        var result = session.Run("""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            Connect-Dci -Uri $uri -Credential $wrongCred
            Connect-Dci -Uri $uri -Credential $cred -PassThru
            Get-DciServer -Id 1
            $user = New-DciUser -Email secret.keeper@example.com -FullName 'Keeper' -Password $userPw -Confirm:$false
            $user
            New-DciUser -Email secret.keeper@example.com -FullName 'Keeper' -Password $userPw -Confirm:$false
            $key = New-DciLoginKey -User $user -Confirm:$false
            $key
            $keyConnection = Connect-Dci -Uri $uri -Key ([System.Net.NetworkCredential]::new('', $key.Key).SecurePassword) -NotDefault -PassThru
            $keyConnection
            $token = New-DciApiToken -ExpiresAt ([datetime]::Now.AddDays(2)) -Description 'ci' -Confirm:$false
            $token
            Connect-Dci -Uri $uri -Token $token.Token -NotDefault -PassThru
            $free = @(Get-DciServer -Free)[0]
            $free | Set-DciServerOwner -User $user
            $free | Install-DciServerOs -OsTemplateId 12 -RootPassword $rootPw -Confirm:$false -Wait
            $free | Install-DciServerOs -OsTemplateId 99999 -RootPassword $rootPw -Confirm:$false
            Set-DciSessionLifetime -Minutes 90 -Confirm:$false
            Invoke-DciRestMethod -Method Post -Path 'auth/v4/public/token' -Body @{ email = 'admin@example.com'; password = 'Body-Secret-Pw!' } -Confirm:$false
            """);

        var secrets = new List<string> { session.Simulator.AdminPassword, "N3w-user-Secret!", "R00t-Secret-Pw!", "Wr0ng-Secret-Pw!", "Body-Secret-Pw!" };
        secrets.AddRange(session.Simulator.State.ActiveTokens());
        var key = result.Objects<DciLoginKey>().Single();
        secrets.Add(key.Key);
        secrets.Add(new NetworkCredential("", result.Objects<DciApiToken>().Single().Token).Password);
        Assert.True(secrets.Count >= 8);

        Assert.NotEmpty(result.Verbose);
        Assert.NotEmpty(result.Debug);
        Assert.True(result.Errors.Length >= 3, "the wrong password, the duplicate user and the unknown template are errors");
        var everything = result.AllText + "\n" + string.Join("\n", result.Errors.Select(e => e.Exception.ToString() + e.ErrorDetails?.RecommendedAction));
        foreach (var secret in secrets)
            Assert.DoesNotContain(secret, everything);
        Assert.Contains("***", everything);
    }
}
