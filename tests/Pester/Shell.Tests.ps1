#Requires -Version 7.4
# What the module feels like in the shell: objects PowerShell can navigate, serialize and export, views
# whose headers are properties, parameters that follow PowerShell's habits, and -Debug in a runbook.

Describe 'Objects and parameters that feel native' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 48 -ExtraArgs '--enable-control'
        $script:connection = Connect-Dci -Uri $sim.Uri -Credential $sim.Credential -PassThru
        $script:server = Get-DciServer -Id 1
    }

    AfterAll {
        Disconnect-Dci -All -ErrorAction SilentlyContinue
        Stop-DciTestSimulator $script:sim
    }

    Context 'Nested data' {
        It 'navigates hardware info, settings and unknown fields with dots' {
            $server.HardwareInfo.cpu.cores | Should -BeGreaterThan 0
            $server.HardwareInfo.cpu.cores | Should -BeOfType ([long])
            $server.HardwareInfo.disks[0].size_gb | Should -BeGreaterThan 0
            $server.Settings.efi | Should -BeOfType ([bool])
            $server.AdditionalProperties.owner | Should -BeOfType ([long])
        }

        It 'converts a server to JSON that holds the data, not the engine, and warns of no cycle' {
            $json = $server | ConvertTo-Json -Depth 12 -WarningVariable warnings -WarningAction SilentlyContinue
            @($warnings).Count | Should -Be 0
            $json | Should -Not -Match 'ValueKind'
            $json | Should -Not -Match 'DciServerApi|Transport|Options'
            $back = $json | ConvertFrom-Json
            $back.HardwareInfo.cpu.cores | Should -Be $server.HardwareInfo.cpu.cores
            $back.Name | Should -Be $server.Name
        }

        It 'exports servers to CSV with readable cells' {
            $path = Join-Path $TestDrive 'servers.csv'
            Get-DciServer -Id 1, 2 | Export-Csv -LiteralPath $path
            $rows = Import-Csv -LiteralPath $path
            $rows[0].Ip | Should -Be $server.MainIp
            $rows[0].HardwareInfo | Should -Match '"cores":'
            Get-Content -LiteralPath $path -Raw | Should -Not -Match 'System\.Collections|System\.Text\.Json'
        }

        It 'returns integers from Invoke-DciRestMethod as Int64, as ConvertFrom-Json does' {
            $raw = Invoke-DciRestMethod -Method Get -Path 'dci/v3/server/1'
            $raw.id | Should -BeOfType ([long])
            $raw.hardware_info.cpu.cores | Should -BeOfType ([long])
        }
    }

    Context 'Connections' {
        It 'shows who is connected where, not engine objects' {
            $text = Get-DciConnection | Format-List * | Out-String
            $text | Should -Match 'IsDefault\s+: True'
            $text | Should -Match "BaseUri\s+: $([regex]::Escape($sim.Uri))"
            $text | Should -Match 'UserEmail\s+: admin@example.com'
            $text | Should -Match 'AuthMethod\s+: Password'
            $text | Should -Not -Match 'DciServerApi|DciUserApi|DciConnectionOptions|Transport'
        }

        It 'marks the default among all connections' {
            $other = Connect-Dci -Uri $sim.Uri -Credential $sim.Credential -NotDefault -PassThru
            try {
                $all = @(Get-DciConnection -All)
                $all.Count | Should -Be 2
                @($all | Where-Object IsDefault).Id | Should -Be $connection.Id
                $other.IsDefault | Should -BeFalse
            }
            finally { Disconnect-Dci -Connection $other }
        }
    }

    Context 'Views' {
        It 'heads every server column with a property name, so Where-Object and Format-Table take what they see' {
            $lines = (Get-DciServer -Id 1 | Format-Table | Out-String -Width 120) -split "`r?`n" | Where-Object { $_.Trim() }
            $headers = $lines[0] -split '\s+' | Where-Object { $_ }
            foreach ($header in $headers) { $server.PSObject.Properties[$header] | Should -Not -BeNullOrEmpty -Because "'$header' is a column" }
            @(Get-DciServer | Where-Object PowerStatus -eq 'on').Count | Should -BeGreaterThan 0
        }

        It 'shows the longest configuration name and the rack whole at 120 columns' {
            $gpu = Get-DciServer -Configuration '2xGold*' | Select-Object -First 1
            $text = $gpu | Format-Table | Out-String -Width 120
            $text | Should -Match ([regex]::Escape($gpu.Configuration))
            $text | Should -Match "$($gpu.Rack.Name) U$($gpu.Unit)"
        }

        It 'shows task dates with their offset and the login link whole' {
            $text = Get-DciTask | Select-Object -First 1 | Format-Table | Out-String -Width 120
            $text | Should -Match '[+-]\d\d:\d\d'
            $key = New-DciLoginKey -Email user01@example.com
            ($key | Format-Table | Out-String -Width 120) | Should -Match ([regex]::Escape($key.LoginUri))
        }
    }

    Context 'Parameters' {
        It 'takes several names and reports a plain name that matches nothing' {
            $found = @(Get-DciServer -Name web-001, web-002, no-such-server -ErrorVariable problems -ErrorAction SilentlyContinue)
            $found.Name | Sort-Object | Should -Be @('web-001', 'web-002')
            @($problems).Count | Should -Be 1
            $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            "$($problems[0])" | Should -BeLike '*no-such-server*'
            Get-DciServer -Name 'zz*' -ErrorVariable silent -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            @($silent).Count | Should -Be 0
        }

        It 'carries the message of the server about a failed task in ErrorDetails' {
            $null = Invoke-RestMethod -Method Post -Uri "$($sim.Uri)/_sim/fail-operations" -Body '{"count":1,"operation":"power_on"}' -ContentType 'application/json'
            Invoke-DciPower -ServerId 14 -Action On -Force -Wait -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            @($problems).Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'Dci.TaskFailed,*'
            $said = (Get-DciTask -ServerId 14 | Select-Object -First 1).StatusInfo.msg
            $said | Should -Not -BeNullOrEmpty
            $problems[0].ErrorDetails.Message | Should -Be $said
        }

        It 'reports a task id that names no task at once, and waits for the others' {
            $task = Invoke-DciPower -ServerId 15 -Action On -Force
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $done = @(Wait-DciTask -Id $task.Id, 987654 -TimeoutSec 120 -ErrorVariable problems -ErrorAction SilentlyContinue)
            $done.Id | Should -Be @($task.Id)
            @($problems).Count | Should -Be 1
            $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $problems[0].TargetObject | Should -Be 987654
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 100 -Because 'an unknown id must not wait out the timeout'
        }

        It 'closes every connection with -All quietly when none is open' {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$((Get-Module DciManager).Path -replace "'", "''")'; Disconnect-Dci -All; Disconnect-Dci")
                $null = $ps.Invoke()
                @($ps.Streams.Error).Count | Should -Be 1 -Because 'only the plain Disconnect-Dci, with no default to close, is an error'
                $ps.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'Dci.NotConnected,*'
            }
            finally { $ps.Dispose() }
        }

        It 'spells every timeout -TimeoutSec and still takes the old names' {
            (Invoke-DciPower -ServerId 11 -Action On -Force -Wait -TimeoutSec 60).Status | Should -Be 'complete'
            (Invoke-DciPower -ServerId 12 -Action On -Force -Wait -TimeoutSeconds 60).Status | Should -Be 'complete'
            $task = Invoke-DciPower -ServerId 13 -Action On -Force
            (Wait-DciTask -Id $task.Id -Timeout 60).Status | Should -Be 'complete'
            (Get-Command Wait-DciTask).Parameters.Keys | Should -Contain 'TimeoutSec'
        }

        It 'removes a user by e-mail, as Get- and New-DciUser take it, and reports an unknown e-mail' {
            $pw = ConvertTo-SecureString 'Leaving-Pw-123' -AsPlainText -Force
            $null = New-DciUser -Email leaving@example.com -FullName 'Leaving' -Password $pw -Role User -Confirm:$false
            Remove-DciUser -Email LEAVING@example.com -Confirm:$false
            Get-DciUser -Email leaving@example.com | Should -BeNullOrEmpty
            Remove-DciUser -Email leaving@example.com -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
            @($problems).Count | Should -Be 1
            $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'refuses a body that contains itself with a clear error instead of overflowing the stack' {
            $h = @{ name = 'x' }
            $h.self = $h
            { Invoke-DciRestMethod -Method Post -Path 'dci/v3/setting/x' -Body $h -WhatIf } |
                Should -Throw -ExpectedMessage '*deeper than 64 levels*'
        }

        It 'sends a string inside a hashtable body as a string, not as JSON text' {
            $answer = Invoke-DciRestMethod -Method Post -Path 'dci/v3/user' -Body @{ email = 'not-an-email'; password = 'Pw-123456'; full_name = 'x'; roles = @('@user') } -ErrorVariable problems -ErrorAction SilentlyContinue
            @($problems).Count | Should -Be 1
            "$($problems[0])" | Should -Not -BeLike '*not valid JSON*'
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'Dci.Api.400,*'
        }

        It 'never prompts for -Debug in a non-interactive shell' {
            { Get-DciServer -Id 1 -Debug 5>$null } | Should -Not -Throw
            $lines = @(Get-DciServer -Id 1 -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
            ($lines.Message -join "`n") | Should -Match 'GET .*dci/v3/server.*200 OK'
        }
    }
}
