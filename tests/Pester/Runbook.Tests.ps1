#Requires -Version 7.4
# The provisioning runbook of the operations issue, step by step, and the suspend / resume / release runbook.

Describe 'Provisioning runbook' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 48 -OperationMs 150
        Connect-Dci -Uri $sim.Uri -Credential $sim.Credential

        $script:pw = ConvertTo-SecureString 'Str0ng-pass!' -AsPlainText -Force
        $script:rootPw = ConvertTo-SecureString 'r00t-pass!' -AsPlainText -Force
        $script:key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0aaaa ops@example.com'
    }

    AfterAll {
        if (Get-Command Disconnect-Dci -ErrorAction SilentlyContinue) { Disconnect-Dci -All -ErrorAction SilentlyContinue }
        Stop-DciTestSimulator $script:sim
    }

    Context 'Provision a server for a new customer' {
        It 'picks a free E-2146G server' {
            $script:server = Get-DciServer -Free -Configuration 'E-2146G*' | Select-Object -First 1
            @($server).Count | Should -Be 1
            $server.Configuration | Should -BeLike 'E-2146G*'
            $server.IsFree | Should -BeTrue
        }

        It 'creates the user' {
            $script:user = New-DciUser -Email ops@example.com -FullName 'Ops' -Password $pw -Role User
            $user.Email | Should -Be 'ops@example.com'
            $user.Role | Should -Be 'User'
        }

        It 'gives the server to the user' {
            $owned = $server | Set-DciServerOwner -User $user
            @($owned).Count | Should -Be 1
            $owned.Id | Should -Be $server.Id
            $owned.OwnerEmail | Should -Be 'ops@example.com'
        }

        It 'adds a main IPv4 address from the public pool' {
            $ipTask = $server | Add-DciServerIp -Pool (Get-DciIpPool -Name public) -Family IPv4 -SetAsMain
            @($ipTask).Count | Should -Be 1
            $ipTask | Should -BeOfType ([DciManager.Client.DciTask])
            # Address tasks run beside server operations; waiting here checks the allocation itself.
            $done = $ipTask | Wait-DciTask
            $done.Status | Should -Be 'complete'
        }

        It 'installs the OS with an SSH key' {
            $osTask = $server | Install-DciServerOs -OsTemplateId 12 -RootPassword $rootPw -SshKey $key -Confirm:$false | Wait-DciTask
            @($osTask).Count | Should -Be 1
            $osTask.Status | Should -Be 'complete'
            ($osTask | Format-List * | Out-String) | Should -Not -BeLike '*r00t-pass!*'
        }

        It 'resets the server' {
            $power = $server | Invoke-DciPower -Action Reset -Wait -Force
            @($power).Count | Should -Be 1
            $power.Status | Should -Be 'complete'
        }

        It 'leaves the server owned, installed, on and with an active main IPv4 address' {
            $after = Get-DciServer -Id $server.Id
            $after.OwnerEmail | Should -Be 'ops@example.com'
            $after.State | Should -Be 'active'
            $after.PowerStatus | Should -Be 'on'
            $after.OsTemplate.Id | Should -Be 12
            $ipv4 = @($after.Ip | Where-Object { $_.Family -eq 'ipv4' -and $_.Status -eq 'active' })
            $ipv4.Count | Should -BeGreaterThan 0
            $after.MainIp | Should -Not -BeNullOrEmpty
            @(Get-DciServer -Owner 'ops@example.com').Id | Should -Contain $server.Id
            $after.Operation.Status | Should -Be 'complete'
        }
    }

    Context 'Suspend, resume and release a customer server' {
        It 'picks an owned, active server' {
            $script:customer = Get-DciServer -Filter "owner_email IS NOT null AND state EQ 'active'" -Sort id |
                Where-Object OwnerEmail -ne 'ops@example.com' | Select-Object -First 1
            $customer | Should -Not -BeNullOrEmpty
            $customer.State | Should -Be 'active'
        }

        It 'suspends it' {
            $task = $customer | Suspend-DciServer -Wait -Confirm:$false
            $task.Status | Should -Be 'complete'
            $suspended = Get-DciServer -Id $customer.Id
            $suspended.State | Should -Be 'suspended'
            $suspended.SwitchConnection | Where-Object { $_.IsIpmiConnection -ne $true } | ForEach-Object {
                $_.AdminStatus | Should -Be 'down'
            }
        }

        It 'resumes it' {
            $task = $customer | Resume-DciServer -Wait
            $task.Status | Should -Be 'complete'
            (Get-DciServer -Id $customer.Id).State | Should -Be 'active'
        }

        It 'releases it' {
            $released = $customer | Remove-DciServerOwner -Confirm:$false
            @($released).Count | Should -Be 1
            $released.IsFree | Should -BeTrue
        }

        It 'leaves the server free and active' {
            $after = Get-DciServer -Id $customer.Id
            $after.OwnerEmail | Should -BeNullOrEmpty
            $after.IsFree | Should -BeTrue
            $after.State | Should -Be 'active'
            @(Get-DciServer -Free).Id | Should -Contain $customer.Id
        }
    }
}

Describe 'Provisioning runbook, as written in the issue' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 48 -OperationMs 150
        Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
    }

    AfterAll {
        if (Get-Command Disconnect-Dci -ErrorAction SilentlyContinue) { Disconnect-Dci -All -ErrorAction SilentlyContinue }
        Stop-DciTestSimulator $script:sim
    }

    It 'runs end to end without errors and leaves the server provisioned' {
        $pw = ConvertTo-SecureString 'Str0ng-pass!' -AsPlainText -Force
        $rootPw = ConvertTo-SecureString 'r00t-pass!' -AsPlainText -Force
        $key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0aaaa ops@example.com'
        # Any error record of the runbook fails the test.
        $ErrorActionPreference = 'Stop'

        $server = Get-DciServer -Free -Configuration 'E-2146G*' | Select-Object -First 1
        $user   = New-DciUser -Email ops@example.com -FullName 'Ops' -Password $pw -Role User
        $server | Set-DciServerOwner -User $user
        $server | Add-DciServerIp -Pool (Get-DciIpPool -Name public) -Family IPv4 -SetAsMain | Wait-DciTask
        $server | Install-DciServerOs -OsTemplateId 12 -RootPassword $rootPw -SshKey $key -Confirm:$false | Wait-DciTask
        $server | Invoke-DciPower -Action Reset -Wait -Force

        $after = Get-DciServer -Id $server.Id
        $after.OwnerEmail | Should -Be 'ops@example.com'
        $after.OsTemplate.Id | Should -Be 12
        $after.PowerStatus | Should -Be 'on'
        $after.State | Should -Be 'active'
        @($after.Ip | Where-Object { $_.Family -eq 'ipv4' -and $_.Status -eq 'active' }).Count | Should -BeGreaterThan 0
    }
}
