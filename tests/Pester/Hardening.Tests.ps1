#Requires -Version 7.4
# Issue 10 in the shell: raw paths, unsendable numbers, closed connections.

Describe 'Hardening' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 8
    }

    AfterAll {
        if (Get-Command Disconnect-Dci -ErrorAction SilentlyContinue) { Disconnect-Dci -All -ErrorAction SilentlyContinue }
        Stop-DciTestSimulator $script:sim
    }

    BeforeEach {
        Disconnect-Dci -All -ErrorAction SilentlyContinue
        Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
    }

    Context 'Invoke-DciRestMethod (point 14)' {
        It 'refuses a path that climbs out of the API: <Path>' -ForEach @(
            @{ Path = 'dci/v3/../../../_sim/stats' }
            @{ Path = 'dci/v3/%2e%2e/%2e%2e/%2e%2e/_sim/stats' }
        ) {
            $caught = $null
            try { Invoke-DciRestMethod -Path $Path -ErrorAction Stop } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'Dci.InvalidParameter*'
            $caught.Exception.Message | Should -BeLike '*leaves the API*'
        }

        It 'refuses NaN and Infinity in a body with a clear error: <Name>' -ForEach @(
            @{ Name = 'NaN'; Value = [double]::NaN }
            @{ Name = 'Infinity'; Value = [double]::PositiveInfinity }
            @{ Name = 'float -Infinity'; Value = [float]::NegativeInfinity }
        ) {
            $caught = $null
            try { Invoke-DciRestMethod -Method Post -Path dci/v3/setting/x -Body @{ v = $Value } -WhatIf -ErrorAction Stop } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'Dci.InvalidParameter*'
            $caught.Exception.Message | Should -BeLike '*JSON cannot carry*'
        }

        It 'sends a double beyond the decimal range as a number' {
            { Invoke-DciRestMethod -Method Post -Path dci/v3/setting/x -Body @{ v = 1e300 } -WhatIf -ErrorAction Stop } | Should -Not -Throw
        }
    }

    Context 'A closed connection (point 12)' {
        It 'says the connection was closed, not "Cannot access a disposed object"' {
            $connection = Get-DciConnection
            Disconnect-Dci -Connection $connection
            $caught = $null
            try { Get-DciServer -Id 1 -Connection $connection -ErrorAction Stop } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.Exception.Message | Should -BeLike '*closed*'
            $caught.Exception.Message | Should -Not -BeLike '*disposed object*'
            $caught.FullyQualifiedErrorId | Should -BeLike 'Dci.ConnectionClosed*'
        }
    }

    Context 'Disconnect-Dci from another runspace during a bulk run (point 12)' {
        BeforeAll {
            $script:lagging = Start-DciTestSimulator -Servers 6 -ExtraArgs '--enable-control'
        }
        AfterAll { Stop-DciTestSimulator $script:lagging }

        It 'reports the closed connection (in-flight POSTs outcome unknown), never a disposed object' {
            $connection = Connect-Dci -Uri $lagging.Uri -Credential $lagging.Credential -PassThru
            $servers = @(Get-DciServer -Connection $connection)
            $fault = @{ kind = 'Latency'; method = 'POST'; path_contains = 'power_reset'; count = -1; delay_ms = 1500 } | ConvertTo-Json
            Invoke-RestMethod -Method Post -Uri "$($lagging.Uri)/_sim/faults" -Body $fault -ContentType 'application/json' | Out-Null
            $closer = Start-ThreadJob -ScriptBlock {
                param($c, $manifest)
                Import-Module $manifest
                Start-Sleep -Milliseconds 500
                Disconnect-Dci -Connection $c
            } -ArgumentList $connection, (Get-DciModuleManifestPath)
            $errors = $null
            $terminating = $null
            try { $servers | Invoke-DciPower -Action Reset -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null }
            catch { $terminating = $_ }
            $closer | Wait-Job | Receive-Job -ErrorAction SilentlyContinue
            $closer | Remove-Job
            Invoke-RestMethod -Method Delete -Uri "$($lagging.Uri)/_sim/faults" | Out-Null

            $all = @($errors) + @($terminating | Where-Object { $_ })
            $all.Count | Should -BeGreaterThan 0
            foreach ($record in $all) {
                $record.Exception.Message | Should -Not -BeLike '*disposed object*'
                $record.FullyQualifiedErrorId | Should -Match '^Dci\.(OutcomeUnknown|ConnectionClosed),'
                $record.Exception.Message | Should -BeLike '*closed*'
            }
        }
    }

    Context 'A wait that meets an outage (issue 9, section 4)' {
        BeforeAll {
            $script:slow = Start-DciTestSimulator -Servers 4 -OperationMs 600000 -ExtraArgs '--enable-control'
        }
        AfterAll { Stop-DciTestSimulator $script:slow }

        It 'keeps polling until its timeout, then names the task, reports Dci.Transport and emits the task' {
            Connect-Dci -Uri $slow.Uri -Credential $slow.Credential
            $task = Invoke-DciPower -ServerId 2 -Action Reset -Confirm:$false
            $fault = @{ kind = 'ResetBeforeProcessing'; method = 'GET'; path_contains = 'dci/v3/task'; count = -1 } | ConvertTo-Json
            Invoke-RestMethod -Method Post -Uri "$($slow.Uri)/_sim/faults" -Body $fault -ContentType 'application/json' | Out-Null
            try {
                $errors = $null
                $out = @(Wait-DciTask -Id $task.Id -TimeoutSec 2 -ErrorVariable errors -ErrorAction SilentlyContinue)
            }
            finally {
                Invoke-RestMethod -Method Delete -Uri "$($slow.Uri)/_sim/faults" | Out-Null
            }
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'Dci.Transport,*'
            $errors[0].ErrorDetails.Message | Should -BeLike "*Task $($task.Id) *"
            $out.Count | Should -Be 1
            $out[0].Id | Should -Be $task.Id
        }
    }
}
