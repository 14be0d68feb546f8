#Requires -Version 7.4
# Set-DciServerOwner and Remove-DciServerOwner.

Describe 'Server ownership' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 48
        Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
        $password = ConvertTo-SecureString 'Str0ng-pass!' -AsPlainText -Force
        $script:u = New-DciUser -Email 'owner.pester@example.com' -FullName 'Owner Pester' -Password $password
    }

    AfterAll {
        if (Get-Command Disconnect-Dci -ErrorAction SilentlyContinue) { Disconnect-Dci -All -ErrorAction SilentlyContinue }
        Stop-DciTestSimulator $script:sim
    }

    It 'has a user to give servers to' {
        $u | Should -BeOfType ([DciManager.Client.DciUser])
        $u.Email | Should -Be 'owner.pester@example.com'
    }

    It 'assigns the first three free servers to a user and emits the updated servers' {
        $freeBefore = @(Get-DciServer -Free).Count
        $owned = @(Get-DciServer -Free | Select-Object -First 3 | Set-DciServerOwner -User $u)
        $owned.Count | Should -Be 3
        $owned | ForEach-Object {
            $_ | Should -BeOfType ([DciManager.Client.DciServer])
            $_.OwnerEmail | Should -Be $u.Email
            $_.IsFree | Should -BeFalse
        }
        @($owned.Id | Sort-Object -Unique).Count | Should -Be 3
        @(Get-DciServer -Owner $u.Email).Count | Should -Be 3
        @(Get-DciServer -Free).Count | Should -Be ($freeBefore - 3)
    }

    It 'writes a ResourceExists error for a server that has an owner while the others succeed' {
        $taken = @(Get-DciServer -Filter 'owner_email IS NOT null' -Sort id | Where-Object OwnerEmail -ne $u.Email | Select-Object -First 2)
        $free = @(Get-DciServer -Free -Sort id | Select-Object -First 2)
        $taken.Count | Should -Be 2
        $free.Count | Should -Be 2
        $mixed = $taken + $free

        $result = @($mixed | Set-DciServerOwner -User $u -ErrorVariable problems -ErrorAction SilentlyContinue)

        (@($result.Id | Sort-Object) -join ',') | Should -Be (@($free.Id | Sort-Object) -join ',')
        $result | ForEach-Object { $_.OwnerEmail | Should -Be $u.Email }
        @($problems).Count | Should -Be 2
        foreach ($problem in $problems) {
            $problem.CategoryInfo.Category.ToString() | Should -Be 'ResourceExists'
            $problem.FullyQualifiedErrorId | Should -BeExactly 'Dci.Api.409,DciManager.Commands.SetDciServerOwnerCommand'
        }
        (@($problems.TargetObject.Id | Sort-Object) -join ',') | Should -Be (@($taken.Id | Sort-Object) -join ',')

        # The servers that had an owner keep it.
        foreach ($server in $taken) {
            (Get-DciServer -Id $server.Id).OwnerEmail | Should -Be $server.OwnerEmail
        }
    }

    It 'assigns by -ServerId and -UserId' {
        $free = Get-DciServer -Free -Sort id | Select-Object -First 1
        $server = Set-DciServerOwner -ServerId $free.Id -UserId $u.Id
        $server.Id | Should -Be $free.Id
        $server.OwnerEmail | Should -Be $u.Email
    }

    It 'changes nothing with -WhatIf' {
        $free = Get-DciServer -Free -Sort id | Select-Object -First 1
        $output = $free | Set-DciServerOwner -User $u -WhatIf
        $output | Should -BeNullOrEmpty
        (Get-DciServer -Id $free.Id).OwnerEmail | Should -BeNullOrEmpty
    }

    It 'refuses a call without a new owner before sending anything' {
        $free = Get-DciServer -Free -Sort id | Select-Object -First 1
        { $free | Set-DciServerOwner } | Should -Throw
    }

    It 'frees the servers with Remove-DciServerOwner -Confirm:$false' {
        $mine = @(Get-DciServer -Owner $u.Email)
        $mine.Count | Should -BeGreaterThan 0
        $freeBefore = @(Get-DciServer -Free).Count

        $released = @($mine | Remove-DciServerOwner -Confirm:$false)

        $released.Count | Should -Be $mine.Count
        $released | ForEach-Object {
            $_ | Should -BeOfType ([DciManager.Client.DciServer])
            $_.OwnerEmail | Should -BeNullOrEmpty
            $_.IsFree | Should -BeTrue
        }
        Get-DciServer -Owner $u.Email | Should -BeNullOrEmpty
        @(Get-DciServer -Free).Count | Should -Be ($freeBefore + $mine.Count)
    }

    It 'writes a ResourceExists error when releasing a free server' {
        $free = Get-DciServer -Free -Sort id | Select-Object -First 1
        $output = $free | Remove-DciServerOwner -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        @($problems).Count | Should -Be 1
        $problems[0].CategoryInfo.Category.ToString() | Should -Be 'ResourceExists'
    }
}
