#Requires -Version 7.4
# Connect-Dci -Platform Imco (issue 14) in real pwsh against the simulator's IMCO mode over mutual TLS: every credential
# form, the refused certificates as AuthenticationErrors that name the certificate, Get-DciConnection, Invoke-DciRestMethod
# GET and PUT, and the private key and its password nowhere in what the shell shows.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DciTestModule
    $script:creds = Join-Path ([System.IO.Path]::GetTempPath()) ('dci-imco-pester-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    $script:sim = Start-DciTestSimulator -Servers 8 -OperationMs 50 -ExtraArgs '--platform', 'imco', '--credentials-dir', $creds
    # The IMCO mode serves HTTPS only (it turns the http:// address into https://).
    $script:uri = $sim.Uri -replace '^http://', 'https://'
    $script:keyPasswordText = 'imco-simulator-key-password'
    $script:keyPassword = ConvertTo-SecureString $keyPasswordText -AsPlainText -Force
    $script:apiKey = Join-Path $creds 'api-key'
    $script:encrypted = Join-Path $creds 'api-key-encrypted-key'

    function script:Get-ConnectError([scriptblock]$Connect) {
        $err = $null
        try { & $Connect } catch { $err = $_ }
        $err
    }
}

AfterAll {
    Disconnect-Dci -All -ErrorAction SilentlyContinue
    Stop-DciTestSimulator $script:sim
    Remove-Item -LiteralPath $script:creds -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Connect-Dci -Platform Imco: each credential form' {
    It 'connects with the API key folder (-ApiKeyPath) and shows who and where in Get-DciConnection' {
        $c = Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath $apiKey -PassThru
        $c.Platform | Should -Be 'Imco'
        $c.AuthMethod | Should -Be 'Certificate'
        $c.UserEmail | Should -Be 'admin@example.com'
        (Get-DciConnection).Platform | Should -Be 'Imco'
        (Get-DciConnection | Out-String) | Should -Match 'Imco'
    }

    It 'connects with the zip, a path relative to the current location' {
        Push-Location $creds
        try { $c = Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath ./api-key.zip -NotDefault -PassThru }
        finally { Pop-Location }
        $c.UserEmail | Should -Be 'admin@example.com'
        Disconnect-Dci -Connection $c
    }

    It 'connects with -CertificatePath, -KeyPath and -CaCertificatePath' {
        $c = Connect-Dci -Platform Imco -Uri $uri -CertificatePath (Join-Path $apiKey 'cert.crt') -KeyPath (Join-Path $apiKey 'private' 'cert.key') `
            -CaCertificatePath (Join-Path $apiKey 'ca_cert.pem') -NotDefault -PassThru
        $c.Platform | Should -Be 'Imco'
        Disconnect-Dci -Connection $c
    }

    It 'connects with an encrypted key and -KeyPassword, from PEM paths and from the folder' {
        $a = Connect-Dci -Platform Imco -Uri $uri -CertificatePath (Join-Path $encrypted 'cert.crt') -KeyPath (Join-Path $encrypted 'private' 'cert.key') `
            -CaCertificatePath (Join-Path $encrypted 'ca_cert.pem') -KeyPassword $keyPassword -NotDefault -PassThru
        $b = Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath $encrypted -KeyPassword $keyPassword -NotDefault -PassThru
        $a.UserEmail | Should -Be 'admin@example.com'
        $b.UserEmail | Should -Be 'admin@example.com'
        Disconnect-Dci -Connection $a
        Disconnect-Dci -Connection $b
    }

    It 'connects with -Certificate from the PFX' {
        $pfx = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12FromFile((Join-Path $creds 'api-key.pfx'), $keyPasswordText)
        $c = Connect-Dci -Platform Imco -Uri $uri -Certificate $pfx -CaCertificatePath (Join-Path $apiKey 'ca_cert.pem') -NotDefault -PassThru
        $c.UserEmail | Should -Be 'admin@example.com'
        Disconnect-Dci -Connection $c
    }

    It 'takes the API version from the address or -ApiVersion, and refuses a conflict before anything is sent' {
        $c = Connect-Dci -Platform Imco -Uri "$uri/v2" -ApiKeyPath $apiKey -NotDefault -PassThru
        (Invoke-DciRestMethod -Path ping -Connection $c).api_version | Should -Be 'v2'
        Disconnect-Dci -Connection $c
        $err = Get-ConnectError { Connect-Dci -Platform Imco -Uri "$uri/v3" -ApiVersion v2 -ApiKeyPath $apiKey -NotDefault -ErrorAction Stop }
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'refuses certificate parameters without -Platform Imco, and other sign-ins with it' {
        $err = Get-ConnectError { Connect-Dci -Uri $uri -ApiKeyPath $apiKey -ErrorAction Stop }
        $err.Exception.Message | Should -Match 'Platform Imco'
        $err = Get-ConnectError { Connect-Dci -Platform Imco -Uri $uri -Credential $sim.Credential -ErrorAction Stop }
        $err.Exception.Message | Should -Match 'client certificate'
    }
}

Describe 'Connect-Dci -Platform Imco: refused certificates are AuthenticationErrors that name the certificate' {
    It 'a certificate signed by another CA is refused in the TLS handshake' {
        $err = Get-ConnectError { Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath (Join-Path $creds 'api-key-wrong-ca') -NotDefault -ErrorAction Stop }
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.FullyQualifiedErrorId | Should -BeLike 'Dci.Api.CertificateRefused*'
        $err.Exception.Message | Should -Match 'CN=admin@example.com'
        $err.Exception.Message | Should -Match 'Some Other CA'
        $err.Exception.Message | Should -Match 'expires'
    }

    It 'an expired certificate' {
        $err = Get-ConnectError { Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath (Join-Path $creds 'api-key-expired') -NotDefault -ErrorAction Stop }
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'CN=expired@example.com'
        $err.Exception.Message | Should -Match 'expired'
    }

    It 'no client certificate to offer (a certificate without its private key)' {
        $publicOnly = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadCertificateFromFile((Join-Path $apiKey 'cert.crt'))
        $err = Get-ConnectError { Connect-Dci -Platform Imco -Uri $uri -Certificate $publicOnly -NotDefault -ErrorAction Stop }
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'CN=admin@example.com'
        $err.Exception.Message | Should -Match 'no private key'
    }

    It 'a server certificate not signed by the given CA' {
        $err = Get-ConnectError {
            Connect-Dci -Platform Imco -Uri $uri -CertificatePath (Join-Path $apiKey 'cert.crt') -KeyPath (Join-Path $apiKey 'private' 'cert.key') `
                -CaCertificatePath (Join-Path $creds 'other-ca' 'ca_cert.pem') -NotDefault -ErrorAction Stop
        }
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'not signed by the CA given'
    }

    It 'a wrong key password' {
        $err = Get-ConnectError { Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath $encrypted -KeyPassword (ConvertTo-SecureString 'wrong-pass-4471' -AsPlainText -Force) -NotDefault -ErrorAction Stop }
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'CN=admin@example.com'
        ($err | Out-String) | Should -Not -Match 'wrong-pass-4471'
    }
}

Describe 'Invoke-DciRestMethod on IMCO' {
    BeforeAll {
        $script:imco = Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath $apiKey -NotDefault -PassThru
    }

    It 'GETs a bare list as objects' {
        $servers = Invoke-DciRestMethod -Path cloud/servers -Connection $imco
        @($servers).Count | Should -Be 8
        $servers[0].id | Should -Match '^[0-9a-f]{24}$'
        # Item by item down the pipeline, as Invoke-RestMethod sends a JSON array.
        @(Invoke-DciRestMethod -Path cloud/servers -Connection $imco | Select-Object -ExpandProperty id).Count | Should -Be 8
    }

    It 'PUTs an action and returns the server' {
        $servers = Invoke-DciRestMethod -Path cloud/servers -Connection $imco
        $running = $servers | Where-Object { $_.state -eq 'operational' } | Select-Object -First 1
        $running | Should -Not -BeNullOrEmpty
        $answer = Invoke-DciRestMethod -Method Put -Path "cloud/servers/$($running.id)/reboot" -Connection $imco -Confirm:$false
        $answer.id | Should -Be $running.id
        $answer.state | Should -Not -Be 'operational'
        $renamed = Invoke-DciRestMethod -Method Put -Path "cloud/servers/$($running.id)" -Body @{ name = 'renamed-by-pester' } -Connection $imco -Confirm:$false
        $renamed.name | Should -Be 'renamed-by-pester'
    }

    It 'writes IMCO field messages as one error record' {
        $err = $null
        Invoke-DciRestMethod -Method Post -Path cloud/servers -Body @{} -Connection $imco -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match 'template_id'
        $err[0].Exception.Message | Should -Match 'cloud_account_id'
    }
}

Describe 'The private key and its password appear nowhere' {
    It 'is in no output, verbose or debug line, error record or ConvertTo-Json of the connection' {
        $secrets = @($keyPasswordText)
        foreach ($keyFile in @((Join-Path $apiKey 'private' 'cert.key'), (Join-Path $encrypted 'private' 'cert.key'))) {
            $secrets += @(Get-Content -LiteralPath $keyFile | Where-Object { $_ -notmatch '^-----' -and $_.Length -ge 16 })
        }
        $secrets.Count | Should -BeGreaterThan 20

        $all = & {
            $c = Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath $encrypted -KeyPassword $keyPassword -NotDefault -PassThru -Verbose -Debug
            $c
            $c | Format-List * | Out-String
            $c | ConvertTo-Json -Depth 5
            $c | Get-Member | Out-String
            Invoke-DciRestMethod -Path cloud/servers -Connection $c -Verbose -Debug | Select-Object -First 1 | ConvertTo-Json
            try { Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath $encrypted -KeyPassword (ConvertTo-SecureString 'wrong' -AsPlainText -Force) -NotDefault -Verbose -Debug -ErrorAction Stop }
            catch { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String }
            try { Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath (Join-Path $creds 'api-key-wrong-ca') -NotDefault -Verbose -Debug -ErrorAction Stop }
            catch { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }
            Disconnect-Dci -Connection $c
        } *>&1 | Out-String -Width 400
        $all | Should -Match 'admin@example.com'
        $all | Should -Match 'GET /v3/ping'
        foreach ($secret in $secrets) {
            $all.Contains($secret) | Should -BeFalse -Because "the key or password text '$($secret.Substring(0, 8))...' must not be shown"
        }
        $all | Should -Not -Match 'BEGIN [A-Z ]*PRIVATE KEY'
    }
}
