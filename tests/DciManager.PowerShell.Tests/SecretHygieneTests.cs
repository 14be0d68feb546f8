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
    [Fact]
    public async Task Imco_no_private_key_or_key_password_reaches_any_stream_error_or_json_of_the_connection()
    {
        var directory = Path.Combine(Path.GetTempPath(), "imco-hygiene-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var session = await ModuleSession.StartAsync(new DciManager.Simulator.SimulatorOptions
            {
                Platform = DciManager.Simulator.SimulatedPlatform.Imco,
                Urls = "https://127.0.0.1:0",
                Servers = 4,
                CredentialsDirectory = directory,
            }, connect: false);
            var c = session.Simulator.ImcoCredentials!;
            session.Set("encrypted", c.EncryptedKeyApiKeyDirectory);
            session.Set("wrongCa", c.WrongCaApiKeyDirectory);
            session.Set("keyPw", ModuleSession.Credential("x", DciManager.Simulator.Imco.ImcoCredentials.KeyPassword).Password);
            session.Set("wrongPw", ModuleSession.Credential("x", "Wr0ng-Key-Passw0rd").Password);
            var result = session.Run("""
                $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
                $c = Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath $encrypted -KeyPassword $keyPw -PassThru
                $c
                [System.Management.Automation.PSSerializer]::Serialize($c, 4)
                $c.psobject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" }
                @(Invoke-DciRestMethod -Path cloud/servers)[0]
                Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath $encrypted -KeyPassword $wrongPw -NotDefault
                Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath $encrypted -NotDefault
                Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath $wrongCa -NotDefault
                """);
            var secrets = File.ReadAllLines(c.ClientKeyPath).Concat(File.ReadAllLines(Path.Combine(c.EncryptedKeyApiKeyDirectory, "private", "cert.key")))
                .Where(l => !l.StartsWith("-----", StringComparison.Ordinal) && l.Length >= 16).ToList();
            secrets.Add(DciManager.Simulator.Imco.ImcoCredentials.KeyPassword);
            secrets.Add("Wr0ng-Key-Passw0rd");
            Assert.True(secrets.Count > 40);
            Assert.NotEmpty(result.Verbose);
            Assert.NotEmpty(result.Debug);
            // The wrong password, the missing password and the refused certificate (each terminating error is also in the error stream).
            Assert.True(3 == result.Errors.Select(e => e.Exception.Message).Distinct().Count(), string.Join("\n", result.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)));
            Assert.All(result.Errors, e => Assert.True(e.CategoryInfo.Category == ErrorCategory.AuthenticationError, e.FullyQualifiedErrorId + ": " + e));
            var everything = result.AllText + "\n" + string.Join("\n", result.Errors.Select(e => e.Exception.ToString() + e.ErrorDetails?.Message));
            Assert.Contains("admin@example.com", everything);
            foreach (var secret in secrets)
                Assert.DoesNotContain(secret, everything);
            Assert.DoesNotContain("PRIVATE KEY-----", everything);
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }
}
