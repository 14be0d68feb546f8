#Requires -Version 7.4
# Only server-shaped input reaches a server, objects go back to their own panel, and what takes servers down
# asks first (issue: hardening, wrong target). This suite runs with -NonInteractive, so a prompt is an error.

Describe 'Targeting: the right servers, on the right panel, after asking' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:simA = Start-DciTestSimulator -Servers 24 -OperationMs 100
        $script:simB = Start-DciTestSimulator -Servers 24 -OperationMs 100
        $script:a = Connect-Dci -Uri $simA.Uri -Credential $simA.Credential -PassThru
        $script:b = Connect-Dci -Uri $simB.Uri -Credential $simB.Credential -NotDefault -PassThru

        function script:TaskCount([object]$Connection) { @(Get-DciTask -Connection $Connection).Count }
    }

    AfterAll {
        Disconnect-Dci -All -ErrorAction SilentlyContinue
        Stop-DciTestSimulator $script:simA
        Stop-DciTestSimulator $script:simB
    }

    Context 'Objects that are not servers' {
        It 'refuses a user, a pool, an OS template and a process piped into an action, and starts nothing' {
            $before = TaskCount $a
            $inputs = @(
                Get-DciUser -Email user01@example.com
                Get-DciIpPool -Name public
                Get-DciOsTemplate | Select-Object -First 1
                Get-Process -Id $PID
            )
            $inputs | Invoke-DciPower -Action Off -Force -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            @($problems).Count | Should -Be 4
            $problems | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InputObjectNotBound,*' }
            TaskCount $a | Should -Be $before
        }

        It 'never reinstalls the server whose id a user has' {
            $user = Get-DciUser -Email user01@example.com
            $pw = ConvertTo-SecureString 'Root-Pw-1' -AsPlainText -Force
            $user | Install-DciServerOs -OsTemplateId 12 -RootPassword $pw -Force -ErrorVariable problems -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty
            @($problems).Count | Should -Be 1
            (Get-DciServer -Id $user.Id).Operation.Name | Should -Not -Be 'os_install'
        }

        It 'refuses a property bag whose Id nothing says is a server, with a message that says so' {
            $before = TaskCount $a
            [pscustomobject]@{ Id = 3 } | Invoke-DciPower -Action On -Force -ErrorVariable problems -ErrorAction SilentlyContinue
            @($problems).Count | Should -Be 1
            "$($problems[0])" | Should -BeLike '*ServerId*'
            TaskCount $a | Should -Be $before
        }

        It 'lists the servers a user owns when the user is piped into Get-DciServer' {
            $user = Get-DciUser -Email user01@example.com
            $owned = @($user | Get-DciServer)
            $owned.Count | Should -BeGreaterThan 0
            $owned | ForEach-Object { $_.OwnerEmail | Should -Be 'user01@example.com' }
            $owned.Count | Should -Be @(Get-DciServer -Owner user01@example.com).Count
        }
    }

    Context 'Servers in every shape' {
        It 'takes a list of ids on the command line' {
            $tasks = @(Invoke-DciPower -ServerId 1, 2, 3 -Action On -Force -Wait)
            $tasks.ServerId | Sort-Object | Should -Be @(1, 2, 3)
        }

        It 'takes plain ids, tasks and Select-Object copies of servers from the pipeline' {
            @(4, 5 | Invoke-DciPower -Action On -Force -Wait).ServerId | Sort-Object | Should -Be @(4, 5)
            $task = Invoke-DciPower -ServerId 6 -Action On -Force -Wait
            ($task | Get-DciServer).Id | Should -Be 6
            (Get-DciServer -Id 7 | Select-Object Id, Name | Invoke-DciPower -Action On -Force -Wait).ServerId | Should -Be 7
            ([pscustomobject]@{ ServerId = 8 } | Invoke-DciPower -Action On -Force -Wait).ServerId | Should -Be 8
        }
    }

    Context 'Two panels' {
        It 'refuses an object from panel A given -Connection of panel B, and sends B nothing' {
            $server = Get-DciServer -Id 1 -Connection $a
            $beforeA = TaskCount $a
            $beforeB = TaskCount $b
            $server | Invoke-DciPower -Action On -Connection $b -Force -ErrorVariable problems -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty
            @($problems).Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'Dci.ConnectionMismatch,DciManager.Commands.InvokeDciPowerCommand'
            "$($problems[0])" | Should -BeLike "*$($simA.Uri)*$($simB.Uri)*"
            TaskCount $a | Should -Be $beforeA
            TaskCount $b | Should -Be $beforeB
        }

        It 'sends a task from panel B back to panel B, whatever the default is' {
            $task = Invoke-DciPower -ServerId 2 -Action On -Connection $b -Force -Wait
            ($task | Get-DciServer).Connection.Id | Should -Be $b.Id
            ($task | Invoke-DciPower -Action On -Force -Wait).Connection.Id | Should -Be $b.Id
        }

        It 'names the panel in every confirmation' {
            $lines = @(Get-DciServer -Id 3 -Connection $b | Invoke-DciPower -Action On -Confirm:$false -Verbose 4>&1 |
                    Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            ($lines -join "`n") | Should -BeLike "*server 3 (*) on $($simB.Uri)*"
        }
    }

    Context 'What takes servers down asks first' {
        It 'asks before a mass reset, so a non-interactive shell without -Force does nothing' -ForEach @(
            @{ Command = { Get-DciServer | Invoke-DciPower -Action Reset } }
            @{ Command = { Get-DciServer -Id 9 | Invoke-DciPower -Action Off } }
            @{ Command = { Get-DciServer -Id 9 | Start-DciServerDiagnostic -ClearDisk Fast -OsTemplateId 12 } }
            @{ Command = { Get-DciServer -Id 9 | Clear-DciServerDisk -Mode Fast } }
        ) {
            $before = TaskCount $a
            $Command | Should -Throw -ExpectedMessage '*NonInteractive*'
            TaskCount $a | Should -Be $before
        }

        It 'goes ahead with -Force, and -WhatIf with -Force still only tells' {
            $before = TaskCount $a
            Get-DciServer -Id 10 | Invoke-DciPower -Action Reset -Force -WhatIf | Should -BeNullOrEmpty
            TaskCount $a | Should -Be $before
            (Get-DciServer -Id 10 | Invoke-DciPower -Action Reset -Force -Wait).Status | Should -Be 'complete'
        }
    }
}
