#Requires -Version 7.4
# Invoke-DciPower, Suspend-DciServer and Resume-DciServer.

Describe 'Power, suspend and resume' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 48 -OperationMs 150
        Connect-Dci -Uri $sim.Uri -Credential $sim.Credential

        # A free server that is powered on, for the power tests.
        $script:server = Get-DciServer -Free -Sort id | Where-Object PowerStatus -eq 'on' | Select-Object -First 1
        # An owned, active server, for suspend and resume.
        $script:customer = Get-DciServer -Filter "owner_email IS NOT null AND state EQ 'active'" -Sort id | Select-Object -First 1
    }

    AfterAll {
        if (Get-Command Disconnect-Dci -ErrorAction SilentlyContinue) { Disconnect-Dci -All -ErrorAction SilentlyContinue }
        Stop-DciTestSimulator $script:sim
    }

    It 'found the servers it needs' {
        $server | Should -Not -BeNullOrEmpty
        $server.PowerStatus | Should -Be 'on'
        $customer | Should -Not -BeNullOrEmpty
        $customer.State | Should -Be 'active'
    }

    Context 'Invoke-DciPower' {
        It 'powers a server off with -Wait and emits the complete task' {
            $task = $server | Invoke-DciPower -Action Off -Wait -Confirm:$false
            @($task).Count | Should -Be 1
            $task | Should -BeOfType ([DciManager.Client.DciTask])
            $task.Status | Should -Be 'complete'
            $task.ServerId | Should -Be $server.Id
            $task.Name | Should -Be 'power_off'
            (Get-DciServer -Id $server.Id).PowerStatus | Should -Be 'off'
        }

        It 'powers a server on with -Wait' {
            $task = Invoke-DciPower -ServerId $server.Id -Action On -Wait -Confirm:$false
            $task.Status | Should -Be 'complete'
            (Get-DciServer -Id $server.Id).PowerStatus | Should -Be 'on'
        }

        It 'resets a server with -Wait' {
            $task = $server | Invoke-DciPower -Action Reset -Wait -Confirm:$false
            $task.Status | Should -Be 'complete'
            $task.Name | Should -Be 'power_reset'
            (Get-DciServer -Id $server.Id).PowerStatus | Should -Be 'on'
        }

        It 'emits the started task without -Wait, and Wait-DciTask finishes it' {
            $task = $server | Invoke-DciPower -Action Reset -Confirm:$false
            @($task).Count | Should -Be 1
            $task | Should -BeOfType ([DciManager.Client.DciTask])
            $task.Id | Should -BeGreaterThan 0
            $done = $task | Wait-DciTask
            $done.Status | Should -Be 'complete'
            $done.Id | Should -Be $task.Id
        }

        It 'changes nothing with -WhatIf' {
            $before = @(Get-DciTask -Server $server).Count
            $output = $server | Invoke-DciPower -Action Off -WhatIf
            $output | Should -BeNullOrEmpty
            (Get-DciServer -Id $server.Id).PowerStatus | Should -Be 'on'
            @(Get-DciTask -Server $server).Count | Should -Be $before
        }

        It 'refuses a server id of 0 before sending anything' {
            { Invoke-DciPower -ServerId 0 -Action On -Confirm:$false } | Should -Throw
        }
    }

    Context 'Suspend-DciServer and Resume-DciServer' {
        It 'suspends a server with -Wait' {
            $task = $customer | Suspend-DciServer -Wait -Confirm:$false
            $task.Status | Should -Be 'complete'
            $after = Get-DciServer -Id $customer.Id
            $after.State | Should -Be 'suspended'
            $after.SwitchConnection | Where-Object { $_.IsIpmiConnection -ne $true } | ForEach-Object {
                $_.AdminStatus | Should -Be 'down'
            }
        }

        It 'refuses to suspend a suspended server with a ResourceExists error' {
            $output = $customer | Suspend-DciServer -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            @($problems).Count | Should -Be 1
            $problems[0].CategoryInfo.Category.ToString() | Should -Be 'ResourceExists'
        }

        It 'resumes a server with -Wait' {
            $task = $customer | Resume-DciServer -Wait
            $task.Status | Should -Be 'complete'
            $after = Get-DciServer -Id $customer.Id
            $after.State | Should -Be 'active'
            $after.SwitchConnection | Where-Object { $_.IsIpmiConnection -ne $true } | ForEach-Object {
                $_.AdminStatus | Should -Be 'up'
            }
        }
    }

    Context 'Bulk' {
        It 'resets every web server once and emits one complete task per server' {
            $web = @(Get-DciServer -Name web*)
            $web.Count | Should -BeGreaterThan 0
            $tasks = @(Get-DciServer -Name web* | Invoke-DciPower -Action Reset -Wait -Confirm:$false)
            $tasks.Count | Should -Be $web.Count
            $tasks | ForEach-Object { $_.Status | Should -Be 'complete' }
            (@($tasks.ServerId | Sort-Object) -join ',') | Should -Be (@($web.Id | Sort-Object) -join ',')
            @($tasks.Id | Sort-Object -Unique).Count | Should -Be $web.Count
        }

        It 'works strictly one after another with -ThrottleLimit 1' {
            $some = @(Get-DciServer -Free -Sort id | Select-Object -First 3)
            $tasks = @($some | Invoke-DciPower -Action On -Wait -ThrottleLimit 1 -Confirm:$false)
            $tasks.Count | Should -Be 3
            $tasks | ForEach-Object { $_.Status | Should -Be 'complete' }
            (@($tasks.ServerId) -join ',') | Should -Be (@($some.Id) -join ',')
        }
    }
}
