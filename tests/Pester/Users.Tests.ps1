#Requires -Version 7.4
# Users, one-time login keys, API tokens and the session lifetime.

Describe 'Users and sign-in' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 48
        Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
        $script:password = ConvertTo-SecureString 'Str0ng-pass!' -AsPlainText -Force
        $script:newEmail = 'pester.user@example.com'
    }

    AfterAll {
        if (Get-Command Disconnect-Dci -ErrorAction SilentlyContinue) { Disconnect-Dci -All -ErrorAction SilentlyContinue }
        Stop-DciTestSimulator $script:sim
    }

    Context 'Get-DciUser' {
        It 'lists the users, the administrator among them' {
            $users = @(Get-DciUser)
            $users.Count | Should -BeGreaterThan 1
            $users | ForEach-Object { $_ | Should -BeOfType ([DciManager.Client.DciUser]) }
            $users.Email | Should -Contain 'admin@example.com'
            $users.Email | Should -Contain 'user01@example.com'
            ($users | Where-Object Email -eq 'admin@example.com').Role | Should -Be 'Admin'
            ($users | Where-Object Email -eq 'user01@example.com').Role | Should -Be 'User'
        }

        It 'filters by e-mail with a wildcard' {
            $some = @(Get-DciUser -Email 'user0*')
            $some.Count | Should -BeGreaterThan 0
            $some | ForEach-Object { $_.Email | Should -BeLike 'user0*' }
            $some.Email | Should -Contain 'user01@example.com'
            $some.Email | Should -Not -Contain 'admin@example.com'
        }

        It 'gets users by -Id' {
            $admin = Get-DciUser -Email 'admin@example.com'
            (Get-DciUser -Id $admin.Id).Email | Should -Be 'admin@example.com'
        }

        It 'formats users as a table without errors' {
            { Get-DciUser | Format-Table | Out-String } | Should -Not -Throw
        }
    }

    Context 'New-DciUser and Remove-DciUser' {
        It 'creates a user and emits it' {
            $user = New-DciUser -Email $newEmail -FullName 'Pester User' -Password $password
            @($user).Count | Should -Be 1
            $user | Should -BeOfType ([DciManager.Client.DciUser])
            $user.Email | Should -Be $newEmail
            $user.FullName | Should -Be 'Pester User'
            $user.Role | Should -Be 'User'
            $user.Id | Should -BeGreaterThan 0
            (Get-DciUser -Email $newEmail).Id | Should -Be $user.Id
        }

        It 'creates nothing with -WhatIf' {
            $output = New-DciUser -Email 'whatif.user@example.com' -FullName 'What If' -Password $password -WhatIf
            $output | Should -BeNullOrEmpty
            Get-DciUser -Email 'whatif.user@example.com' | Should -BeNullOrEmpty
        }

        It 'writes a ResourceExists error for an e-mail that exists' {
            $output = New-DciUser -Email $newEmail -FullName 'Again' -Password $password -ErrorVariable problems -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            @($problems).Count | Should -Be 1
            $problems[0].CategoryInfo.Category.ToString() | Should -Be 'ResourceExists'
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'Dci.Api.409,*'
            @(Get-DciUser -Email $newEmail).Count | Should -Be 1
        }

        It 'refuses an invalid e-mail before sending anything' {
            { New-DciUser -Email 'not an email' -FullName 'x' -Password $password } | Should -Throw
        }

        It 'creates an administrator with -Role Admin' {
            $admin = New-DciUser -Email 'pester.admin@example.com' -FullName 'Pester Admin' -Password $password -Role Admin
            $admin.Role | Should -Be 'Admin'
            $admin.IsAdmin | Should -BeTrue
        }

        It 'deletes users with Remove-DciUser -Confirm:$false' {
            $user = Get-DciUser -Email 'pester.admin@example.com'
            $output = $user | Remove-DciUser -Confirm:$false
            $output | Should -BeNullOrEmpty
            Get-DciUser -Email 'pester.admin@example.com' | Should -BeNullOrEmpty

            $temporary = New-DciUser -Email 'pester.temp@example.com' -FullName 'Temp' -Password $password
            Remove-DciUser -UserId $temporary.Id -Confirm:$false
            Get-DciUser -Email 'pester.temp@example.com' | Should -BeNullOrEmpty
        }

        It 'deletes nothing with -WhatIf' {
            Get-DciUser -Email $newEmail | Remove-DciUser -WhatIf
            @(Get-DciUser -Email $newEmail).Count | Should -Be 1
        }
    }

    Context 'New-DciLoginKey and Connect-Dci -Key' {
        It 'creates a one-time key with a login link that signs the user in once' {
            $loginKey = New-DciLoginKey -Email 'user01@example.com' -Confirm:$false
            @($loginKey).Count | Should -Be 1
            $loginKey | Should -BeOfType ([DciManager.Client.DciLoginKey])
            $loginKey.Key | Should -Not -BeNullOrEmpty
            $loginKey.LoginUri | Should -Not -BeNullOrEmpty
            $loginKey.LoginUri.ToString() | Should -BeLike '*/auth/key-v4/*'
            $loginKey.LoginUri.ToString() | Should -BeLike "$($sim.Uri)*"
            "$loginKey" | Should -Not -BeLike "*$($loginKey.Key)*"

            $key = ConvertTo-SecureString $loginKey.Key -AsPlainText -Force
            $key | Should -BeOfType ([securestring])
            $connection = Connect-Dci -Uri $sim.Uri -Key $key -NotDefault -PassThru
            try {
                $connection.UserEmail | Should -Be 'user01@example.com'
                $connection.IsOpen | Should -BeTrue
                (Get-DciConnection).UserEmail | Should -Be 'admin@example.com'
                $mine = @(Get-DciServer -Connection $connection)
                $mine | ForEach-Object { $_.OwnerEmail | Should -Be 'user01@example.com' }
            }
            finally {
                Disconnect-Dci -Connection $connection
            }

            # The key works once.
            { Connect-Dci -Uri $sim.Uri -Key $key -NotDefault } | Should -Throw
        }

        It 'takes the user from the pipeline' {
            $loginKey = Get-DciUser -Email 'user02@example.com' | New-DciLoginKey -Confirm:$false
            $loginKey.LoginUri.ToString() | Should -BeLike '*/auth/key-v4/*'
        }
    }

    Context 'New-DciApiToken and Connect-Dci -Token' {
        It 'creates a token as a SecureString that Connect-Dci -Token accepts' {
            $apiToken = New-DciApiToken -ExpiresAt (Get-Date).AddDays(30) -Description 'pester' -Confirm:$false
            @($apiToken).Count | Should -Be 1
            $apiToken | Should -BeOfType ([DciManager.Client.DciApiToken])
            $apiToken.Token | Should -BeOfType ([securestring])
            $apiToken.Token.Length | Should -BeGreaterThan 0
            $plain = [System.Net.NetworkCredential]::new('', $apiToken.Token).Password
            "$apiToken" | Should -Not -BeLike "*$plain*"

            $connection = Connect-Dci -Uri $sim.Uri -Token $apiToken.Token -NotDefault -PassThru
            try {
                $connection.IsOpen | Should -BeTrue
                $connection.UserEmail | Should -Be 'admin@example.com'
                (Get-DciServer -Id 1 -Connection $connection).Id | Should -Be 1
            }
            finally {
                Disconnect-Dci -Connection $connection
            }
        }

        It 'refuses an expiry in the past before sending anything' {
            { New-DciApiToken -ExpiresAt (Get-Date).AddDays(-1) -Confirm:$false } | Should -Throw
        }

        It 'refuses a wrong token' {
            $wrong = ConvertTo-SecureString 'not-a-token' -AsPlainText -Force
            { Connect-Dci -Uri $sim.Uri -Token $wrong -NotDefault } | Should -Throw
        }
    }

    Context 'Set-DciSessionLifetime' {
        It 'sets the idle session lifetime' {
            $output = Set-DciSessionLifetime -Minutes 120 -Confirm:$false -ErrorVariable problems
            $output | Should -BeNullOrEmpty
            @($problems).Count | Should -Be 0
            (Invoke-DciRestMethod -Path 'auth/v4/setting/token_ttl').value | Should -Be '120'
        }

        It 'refuses a lifetime out of range' {
            { Set-DciSessionLifetime -Minutes 0 -Confirm:$false } | Should -Throw
        }
    }
}
