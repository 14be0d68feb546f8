#Requires -Version 7.4
# Connect-Dci, Get-DciConnection, Disconnect-Dci and the -Connection parameter, against a private simulator.

Describe 'Connections' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 48
        $script:userCredential = [pscredential]::new('user01@example.com', (New-DciTestSecureString 'user-password'))
    }

    AfterAll {
        if (Get-Command Disconnect-Dci -ErrorAction SilentlyContinue) { Disconnect-Dci -All -ErrorAction SilentlyContinue }
        Stop-DciTestSimulator $script:sim
    }

    BeforeEach {
        # Every test starts without connections.
        Disconnect-Dci -All -ErrorAction SilentlyContinue
    }

    Context 'Connect-Dci -Credential' {
        It 'is silent without -PassThru and makes the connection the default' {
            $output = Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
            $output | Should -BeNullOrEmpty

            $connections = @(Get-DciConnection)
            $connections.Count | Should -Be 1
            $connections[0] | Should -BeOfType ([DciManager.Client.DciConnection])
            $connections[0].IsOpen | Should -BeTrue
            $connections[0].UserEmail | Should -Be 'admin@example.com'
            @(Get-DciServer).Count | Should -Be 48
        }

        It 'emits the DciConnection with -PassThru' {
            $connection = Connect-Dci -Uri $sim.Uri -Credential $sim.Credential -PassThru
            @($connection).Count | Should -Be 1
            $connection | Should -BeOfType ([DciManager.Client.DciConnection])
            $connection.IsOpen | Should -BeTrue
            $connection.UserEmail | Should -Be 'admin@example.com'
            $connection.BaseUri.Port | Should -Be $sim.Port
            (Get-DciConnection).Id | Should -Be $connection.Id
        }

        It 'does not show the password in the connection' {
            $connection = Connect-Dci -Uri $sim.Uri -Credential $sim.Credential -PassThru
            "$connection" | Should -Not -BeLike "*$($sim.AdminPassword)*"
            ($connection | Format-List * | Out-String) | Should -Not -BeLike "*$($sim.AdminPassword)*"
        }

        It 'throws a terminating authentication error for a wrong password, without the password' {
            $bad = [pscredential]::new('admin@example.com', (New-DciTestSecureString 'not-the-password-42'))
            $record = { Connect-Dci -Uri $sim.Uri -Credential $bad } | Should -Throw -PassThru
            $record.CategoryInfo.Category.ToString() | Should -Be 'AuthenticationError'
            ($record | Out-String) | Should -Not -BeLike '*not-the-password-42*'
            @(Get-DciConnection -All).Count | Should -Be 0
        }

        It 'refuses an address that is not http or https before connecting' {
            { Connect-Dci -Uri 'ftp://127.0.0.1' -Credential $sim.Credential } | Should -Throw
        }
    }

    Context 'Disconnect-Dci' {
        It 'closes the default connection; cmdlets then say to run Connect-Dci' {
            $connection = Connect-Dci -Uri $sim.Uri -Credential $sim.Credential -PassThru
            Disconnect-Dci
            Get-DciConnection | Should -BeNullOrEmpty
            $connection.IsOpen | Should -BeFalse
            { Get-DciServer } | Should -Throw -ExpectedMessage '*Connect-Dci*'
        }

        It 'refuses a closed connection passed with -Connection' {
            $connection = Connect-Dci -Uri $sim.Uri -Credential $sim.Credential -PassThru
            Disconnect-Dci
            { Get-DciServer -Connection $connection } | Should -Throw -ExpectedMessage '*Connect-Dci*'
        }

        It 'writes an error when there is nothing to disconnect' {
            Disconnect-Dci -ErrorVariable problems -ErrorAction SilentlyContinue
            @($problems).Count | Should -BeGreaterThan 0
        }
    }

    Context 'Two connections' {
        It 'keeps the default with -NotDefault and uses the other one through -Connection' {
            $admin = Connect-Dci -Uri $sim.Uri -Credential $sim.Credential -PassThru
            $user = Connect-Dci -Uri $sim.Uri -Credential $userCredential -NotDefault -PassThru

            $user.UserEmail | Should -Be 'user01@example.com'
            (Get-DciConnection).UserEmail | Should -Be 'admin@example.com'
            (Get-DciConnection).Id | Should -Be $admin.Id
            @(Get-DciConnection -All).Count | Should -Be 2

            # A server of user01 is visible through both connections; every object remembers its connection.
            $mine = Get-DciServer -Owner 'user01@example.com' | Select-Object -First 1
            $mine | Should -Not -BeNullOrEmpty
            $viaUser = Get-DciServer -Id $mine.Id -Connection $user
            $viaUser.Id | Should -Be $mine.Id
            $viaUser.Connection.Id | Should -Be $user.Id
            (Get-DciServer -Id $mine.Id).Connection.Id | Should -Be $admin.Id

            # A server of somebody else is not visible to user01.
            $other = Get-DciServer -Free | Select-Object -First 1
            $result = Get-DciServer -Id $other.Id -Connection $user -ErrorVariable problems -ErrorAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            @($problems).Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'Dci.Api.404,*'

            # Objects that came from a connection go back through it.
            ($viaUser | Get-DciIpAddress | Select-Object -First 1).Connection.Id | Should -Be $user.Id
        }

        It 'disconnects only the connection given with -Connection' {
            $admin = Connect-Dci -Uri $sim.Uri -Credential $sim.Credential -PassThru
            $user = Connect-Dci -Uri $sim.Uri -Credential $userCredential -NotDefault -PassThru

            Disconnect-Dci -Connection $user
            $user.IsOpen | Should -BeFalse
            $admin.IsOpen | Should -BeTrue
            @(Get-DciConnection -All).Count | Should -Be 1
            (Get-DciConnection).UserEmail | Should -Be 'admin@example.com'
            @(Get-DciServer).Count | Should -Be 48
        }

        It 'closes every connection with -All' {
            $null = Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
            $null = Connect-Dci -Uri $sim.Uri -Credential $userCredential -NotDefault
            Disconnect-Dci -All
            @(Get-DciConnection -All).Count | Should -Be 0
            { Get-DciServer } | Should -Throw -ExpectedMessage '*Connect-Dci*'
        }
    }

    Context 'Where credentials may go (issue 10, points 15, 17-19)' {
        It 'refuses a user name and password in -Uri without repeating them' {
            $uri = "http://admin:Uri-Pass-4242@127.0.0.1:$($sim.Port)"
            $caught = $null
            try { Connect-Dci -Uri $uri -Credential $sim.Credential -ErrorAction Stop } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'Dci.InvalidParameter*'
            ($caught | Out-String) + "$($caught.TargetObject)" + $caught.Exception.Message | Should -Not -BeLike '*Uri-Pass-4242*'
            @(Get-DciConnection).Count | Should -Be 0
        }

        It 'refuses plain http to another host unless -AllowUnencryptedAuthentication is given' {
            $caught = $null
            try { Connect-Dci -Uri 'http://dci.example.invalid' -Credential $sim.Credential -ErrorAction Stop } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'Dci.InvalidArgument*'
            $caught.Exception.Message | Should -BeLike '*-AllowUnencryptedAuthentication*'
            (Get-Command Connect-Dci).Parameters['AllowUnencryptedAuthentication'].SwitchParameter | Should -BeTrue
        }

        It 'connects to the loopback simulator over plain http without the switch' {
            Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
            (Get-DciConnection).IsOpen | Should -BeTrue
        }

        It 'drops the password on Disconnect-Dci' {
            $connection = Connect-Dci -Uri $sim.Uri -Credential $sim.Credential -PassThru
            Disconnect-Dci -Connection $connection
            $session = $connection.GetType().GetField('_session', [System.Reflection.BindingFlags]'NonPublic,Instance').GetValue($connection)
            $session.GetType().GetField('_credential', [System.Reflection.BindingFlags]'NonPublic,Instance').GetValue($session) | Should -BeNullOrEmpty
            ($session.KnownSecrets -contains $sim.AdminPassword) | Should -BeFalse
        }

        It 'writes no secret to disk when an error record is exported with Export-Clixml' {
            Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
            # Built at run time, so the script line that Export-Clixml records does not hold it.
            $secret = 'Clixml-Secret-' + (Get-Random -Minimum 1000 -Maximum 9999)
            $body = '{"email":"bad","password":"' + $secret + '"}'
            $caught = $null
            try { Invoke-DciRestMethod -Method Post -Path dci/v3/user -Body $body -ErrorAction Stop -Confirm:$false } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $file = Join-Path ([System.IO.Path]::GetTempPath()) ("dci-err-" + [guid]::NewGuid().ToString('N') + '.xml')
            try {
                $caught | Export-Clixml -Path $file -Depth 5
                Get-Content -Raw $file | Should -Not -BeLike "*$secret*"
            }
            finally { Remove-Item $file -ErrorAction SilentlyContinue }
        }
    }
}
