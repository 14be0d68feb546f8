using System.Management.Automation;
using DciManager.Client;

namespace DciManager.PowerShell.Tests;

public sealed class ConnectionTests
{
    [Fact]
    public async Task Connect_reads_a_credential_from_a_SecretManagement_vault_at_run_time()
    {
        await using var session = await ModuleSession.StartAsync(connect: false);
        // Stands in for Microsoft.PowerShell.SecretManagement's Get-Secret: the module looks it up by name at run time.
        session.Run("""
            function Get-Secret { [CmdletBinding()] param($Vault, $Name)
                if ($Vault -ne 'runbooks' -or $Name -ne 'dci-admin') { throw "no secret $Name in $Vault" }
                $cred }
            """).ThrowOnError();
        var connection = session.Run("Connect-Dci -Uri $uri -Vault runbooks -SecretName dci-admin -PassThru").ThrowOnError().Objects<DciConnection>().Single();
        Assert.Equal(session.Simulator.AdminEmail, connection.UserEmail);

        var missing = Assert.Single(session.Run("Connect-Dci -Uri $uri -Vault runbooks -SecretName nope").AllErrors);
        Assert.Equal("Dci.SecretNotFound,DciManager.Commands.ConnectDciCommand", missing.FullyQualifiedErrorId);
        Assert.Contains("nope", missing.Exception.Message);
    }

    [Fact]
    public async Task Connect_with_a_vault_says_clearly_when_SecretManagement_is_missing()
    {
        await using var session = await ModuleSession.StartAsync(connect: false);
        var error = Assert.Single(session.Run("Connect-Dci -Uri $uri -Vault runbooks -SecretName dci-admin").AllErrors);
        Assert.Equal("Dci.SecretManagementMissing,DciManager.Commands.ConnectDciCommand", error.FullyQualifiedErrorId);
        Assert.Contains("SecretManagement", error.Exception.Message);
    }

    [Fact]
    public async Task A_one_time_key_and_a_long_lived_token_both_sign_in()
    {
        await using var session = await ModuleSession.StartAsync();
        var result = session.Run("""
            $key = New-DciLoginKey -Email user01@example.com -Confirm:$false
            $secureKey = [System.Net.NetworkCredential]::new('', $key.Key).SecurePassword
            $asUser = Connect-Dci -Uri $uri -Key $secureKey -NotDefault -PassThru
            $token = New-DciApiToken -ExpiresAt ([datetime]::Now.AddDays(30)) -Description 'runbook' -Confirm:$false
            $asToken = Connect-Dci -Uri $uri -Token $token.Token -NotDefault -PassThru
            $asUser, $asToken, $key
            """).ThrowOnError();
        var connections = result.Objects<DciConnection>();
        Assert.Equal("user01@example.com", connections[0].UserEmail);
        Assert.Equal(DciAuthMethod.Key, connections[0].AuthMethod);
        Assert.Equal(DciAuthMethod.Token, connections[1].AuthMethod);
        var key = result.Objects<DciLoginKey>().Single();
        Assert.Contains("/auth/key-v4/", Assert.IsType<Uri>(key.LoginUri).ToString());
        Assert.DoesNotContain(key.Key, key.ToString());

        // The key works once.
        session.Set("keyText", key.Key);
        var reuse = Assert.Single(session.Run("Connect-Dci -Uri $uri -Key ([System.Net.NetworkCredential]::new('', $keyText).SecurePassword)").AllErrors);
        Assert.Equal(ErrorCategory.AuthenticationError, reuse.CategoryInfo.Category);

        // -NotDefault kept the admin connection as the default.
        Assert.Equal(session.Simulator.AdminEmail, session.Run("Get-DciConnection").ThrowOnError().Objects<DciConnection>().Single().UserEmail);
        Assert.Equal(3, session.Run("Get-DciConnection -All").ThrowOnError().Objects<DciConnection>().Length);
    }

    [Fact]
    public async Task A_bad_uri_is_refused_before_any_request()
    {
        await using var session = await ModuleSession.StartAsync(connect: false);
        var error = Assert.Single(session.Run("Connect-Dci -Uri 'ftp://example.com' -Credential $cred").AllErrors);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(0, session.Simulator.State.RequestCount);
    }

    [Fact]
    public async Task Disconnecting_the_default_never_falls_back_to_another_connection()
    {
        await using var session = await ModuleSession.StartAsync();
        session.Set("userCred", ModuleSession.Credential("user01@example.com", "user-password"));
        session.Run("$other = Connect-Dci -Uri $uri -Credential $userCred -NotDefault -PassThru").ThrowOnError();
        session.Run("Disconnect-Dci").ThrowOnError();

        var error = Assert.Single(session.Run("Get-DciServer").AllErrors);
        Assert.StartsWith("Dci.NotConnected,", error.FullyQualifiedErrorId);
        Assert.NotEmpty(session.Run("Get-DciServer -Connection $other").ThrowOnError().Output);
        Assert.Single(session.Run("Get-DciConnection -All").ThrowOnError().Objects<DciConnection>());
    }
}

public sealed class TlsConnectionTests
{
    [Fact]
    public async Task A_self_signed_panel_is_refused_by_default_and_SkipCertificateCheck_trusts_only_that_connection()
    {
        await using var session = await ModuleSession.StartAsync(new DciManager.Simulator.SimulatorOptions { Https = true, Urls = "https://127.0.0.1:0" }, connect: false);
        Assert.Equal("https", session.Simulator.BaseAddress.Scheme);

        var refused = Assert.Single(session.Run("Connect-Dci -Uri $uri -Credential $cred").AllErrors);
        Assert.Contains("certificate", refused.Exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("-SkipCertificateCheck", refused.Exception.Message);
        Assert.Equal(ErrorCategory.ConnectionError, refused.CategoryInfo.Category);

        session.Run("Connect-Dci -Uri $uri -Credential $cred -SkipCertificateCheck").ThrowOnError();
        Assert.Equal(48, session.Run("Get-DciServer").ThrowOnError().Output.Length);

        // The trust was that connection's alone: a second one in the same process still validates.
        Assert.Single(session.Run("Connect-Dci -Uri $uri -Credential $cred -NotDefault").AllErrors);
        Assert.Equal(48, session.Run("Get-DciServer").ThrowOnError().Output.Length);
    }
}
