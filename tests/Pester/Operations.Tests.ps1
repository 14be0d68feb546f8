#Requires -Version 7.4
# Diagnostics, disk wipe, OS install, settings, tasks and OS templates.

Describe 'Server operations' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 48 -OperationMs 150
        Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
        $script:pw = ConvertTo-SecureString 'r00t-pass!' -AsPlainText -Force
        # One free server per test, so that no test meets another test's running operation.
        $script:servers = @(Get-DciServer -Free -Sort id | Select-Object -First 6)
        $script:diagTask = $null
    }

    AfterAll {
        if (Get-Command Disconnect-Dci -ErrorAction SilentlyContinue) { Disconnect-Dci -All -ErrorAction SilentlyContinue }
        Stop-DciTestSimulator $script:sim
    }

    It 'found free servers to work on' {
        $servers.Count | Should -Be 6
    }

    Context 'Get-DciOsTemplate' {
        It 'lists the OS templates, template 12 among them' {
            $templates = @(Get-DciOsTemplate)
            $templates.Count | Should -BeGreaterThan 0
            $templates | ForEach-Object { $_ | Should -BeOfType ([DciManager.Client.DciOsTemplate]) }
            $twelve = @($templates | Where-Object Id -eq 12)
            $twelve.Count | Should -Be 1
            $twelve[0].Name | Should -Not -BeNullOrEmpty
            (@(Get-DciOsTemplate -Name $twelve[0].Name).Id) | Should -Contain 12
        }
    }

    Context 'Start-DciServerDiagnostic' {
        It 'runs diagnostics with -Wait' {
            $task = $servers[0] | Start-DciServerDiagnostic -Wait -Confirm:$false
            @($task).Count | Should -Be 1
            $task | Should -BeOfType ([DciManager.Client.DciTask])
            $task.Status | Should -Be 'complete'
            $task.ServerId | Should -Be $servers[0].Id
            $task.Name | Should -Be 'operation_diag'
            $script:diagTask = $task
        }

        It 'refuses an IPMI pool without -SetupIpmi before sending anything' {
            { $servers[0] | Start-DciServerDiagnostic -IpmiPool (Get-DciIpPool -Name ipmi) -Confirm:$false } | Should -Throw
        }
    }

    Context 'Clear-DciServerDisk' {
        It 'wipes the disks with -Mode Fast -Wait' {
            $task = $servers[1] | Clear-DciServerDisk -Mode Fast -Confirm:$false -Wait
            @($task).Count | Should -Be 1
            $task.Status | Should -Be 'complete'
            $task.Name | Should -Be 'operation_clear_hdd'
        }

        It 'sends nothing with -WhatIf' {
            $before = @(Get-DciTask -Server $servers[1]).Count
            $output = $servers[1] | Clear-DciServerDisk -Mode Full -WhatIf
            $output | Should -BeNullOrEmpty
            @(Get-DciTask -Server $servers[1]).Count | Should -Be $before
        }
    }

    Context 'Install-DciServerOs' {
        It 'installs template 12 and Wait-DciTask waits for it' {
            $task = $servers[2] | Install-DciServerOs -OsTemplateId 12 -RootPassword $pw -Confirm:$false | Wait-DciTask
            @($task).Count | Should -Be 1
            $task.Status | Should -Be 'complete'
            $task.Name | Should -Be 'operation_os'
            (Get-DciServer -Id $servers[2].Id).OsTemplate.Id | Should -Be 12
        }

        It 'installs with an SSH key and -Wait' {
            $key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0aaaa ops@example.com'
            $task = $servers[3] | Install-DciServerOs -OsTemplateId 12 -RootPassword $pw -SshKey $key -Wait -Confirm:$false
            $task.Status | Should -Be 'complete'
            (Get-DciServer -Id $servers[3].Id).OsTemplate.Id | Should -Be 12
        }

        It 'writes an error for an unknown OS template' {
            $before = (Get-DciServer -Id $servers[4].Id).OsTemplate
            $output = $servers[4] | Install-DciServerOs -OsTemplateId 99999 -RootPassword $pw -Confirm:$false -Wait -ErrorVariable problems -ErrorAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            @($problems).Count | Should -BeGreaterThan 0
            $after = (Get-DciServer -Id $servers[4].Id).OsTemplate
            if ($null -ne $before) { $after.Id | Should -Be $before.Id } else { $after | Should -BeNullOrEmpty }
        }

        It 'refuses a malformed SSH key before sending anything' {
            { $servers[4] | Install-DciServerOs -OsTemplateId 12 -RootPassword $pw -SshKey 'not a key' -Confirm:$false } | Should -Throw
        }

        It 'does not show the root password' {
            $everything = @($servers[5] | Install-DciServerOs -OsTemplateId 12 -RootPassword $pw -Confirm:$false -Verbose 4>&1)
            ($everything | Out-String) | Should -Not -BeLike '*r00t-pass!*'
            $task = @($everything | Where-Object { $_ -is [DciManager.Client.DciTask] })
            $task.Count | Should -Be 1
            $done = $task | Wait-DciTask
            $done.Status | Should -Be 'complete'
            ($done | Format-List * | Out-String) | Should -Not -BeLike '*r00t-pass!*'
        }
    }

    Context 'Set-DciSetting' {
        It 'changes a global setting' {
            $output = Set-DciSetting -Name operation_change_boot_order -Value true -Confirm:$false -ErrorVariable problems
            $output | Should -BeNullOrEmpty
            @($problems).Count | Should -Be 0
        }

        It 'refuses a malformed setting name before sending anything' {
            { Set-DciSetting -Name 'bad name!' -Value x -Confirm:$false } | Should -Throw
        }
    }

    Context 'Get-DciTask and Wait-DciTask' {
        It 'lists the tasks of a server, newest first' {
            $tasks = @(Get-DciTask -Server $servers[0])
            $tasks.Count | Should -BeGreaterThan 0
            $tasks | ForEach-Object { $_ | Should -BeOfType ([DciManager.Client.DciTask]) }
            $tasks | ForEach-Object { $_.ServerId | Should -Be $servers[0].Id }
            $tasks.Name | Should -Contain 'operation_diag'
            $tasks[0].Id | Should -Be (@($tasks.Id) | Measure-Object -Maximum).Maximum
            @($servers[0] | Get-DciTask).Count | Should -Be $tasks.Count
        }

        It 'gets a task by -Id and filters by -Status' {
            $diagTask | Should -Not -BeNullOrEmpty
            $one = @(Get-DciTask -Id $diagTask.Id)
            $one.Count | Should -Be 1
            $one[0].Status | Should -Be 'complete'
            Get-DciTask -ServerId $servers[0].Id -Status complete | ForEach-Object { $_.Status | Should -Be 'complete' }
        }

        It 'waits for tasks given by -Id' {
            $done = Wait-DciTask -Id $diagTask.Id
            $done.Status | Should -Be 'complete'
            $done.Id | Should -Be $diagTask.Id
        }

        It 'formats tasks as a table without errors' {
            { Get-DciTask -Server $servers[0] | Format-Table | Out-String } | Should -Not -Throw
        }
    }
}
