#Requires -Version 7.4
# Get-DciIpAddress, Add-DciServerIp and Remove-DciServerIp.

Describe 'IP addresses' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 48
        Connect-Dci -Uri $sim.Uri -Credential $sim.Credential

        # Owned, active servers (each has an address from the public pool).
        $script:customers = @(Get-DciServer -Filter "owner_email IS NOT null AND state EQ 'active'" -Sort id)
        $script:s = $customers[0]
        $script:addr = $null
    }

    AfterAll {
        if (Get-Command Disconnect-Dci -ErrorAction SilentlyContinue) { Disconnect-Dci -All -ErrorAction SilentlyContinue }
        Stop-DciTestSimulator $script:sim
    }

    It 'found owned, active servers to work on' {
        $customers.Count | Should -BeGreaterThan 4
        $s | Should -BeOfType ([DciManager.Client.DciServer])
    }

    Context 'Get-DciIpAddress' {
        It 'lists every address' {
            $all = @(Get-DciIpAddress)
            $all.Count | Should -BeGreaterThan 0
            $all | ForEach-Object { $_ | Should -BeOfType ([DciManager.Client.DciIpAddress]) }
            $all | ForEach-Object { $_.Name | Should -Not -BeNullOrEmpty }
        }

        It 'lists the addresses of one server, each naming its server' {
            $mine = @(Get-DciIpAddress -Server $s)
            $mine.Count | Should -BeGreaterThan 0
            $mine | ForEach-Object { $_.ServerId | Should -Be $s.Id }
            @($s | Get-DciIpAddress).Count | Should -Be $mine.Count
            @(Get-DciIpAddress -ServerId $s.Id).Count | Should -Be $mine.Count
        }

        It 'filters by address' {
            $one = (Get-DciIpAddress -Server $s | Select-Object -First 1).Name
            $found = @(Get-DciIpAddress -Address $one)
            $found.Count | Should -Be 1
            $found[0].Name | Should -Be $one
        }

        It 'formats addresses as a table without errors' {
            { Get-DciIpAddress | Format-Table | Out-String } | Should -Not -Throw
        }
    }

    Context 'Add-DciServerIp and Remove-DciServerIp' {
        It 'adds an IPv4 address from the public pool as the main address' {
            $before = @((Get-DciIpAddress -Server $s).Name)
            $task = $s | Add-DciServerIp -Pool (Get-DciIpPool -Name public) -Family IPv4 -SetAsMain -Wait
            @($task).Count | Should -Be 1
            $task | Should -BeOfType ([DciManager.Client.DciTask])
            $task.Status | Should -Be 'complete'
            $task.ServerId | Should -Be $s.Id

            $new = @(Get-DciIpAddress -Server $s | Where-Object { $_.Name -notin $before })
            $new.Count | Should -Be 1
            $new[0].Family | Should -Be 'ipv4'
            $new[0].Status | Should -Be 'active'
            $script:addr = $new[0].Name
            (Get-DciServer -Id $s.Id).MainIp | Should -Be $script:addr
        }

        It 'shows the new address as active in the list of all addresses' {
            $script:addr | Should -Not -BeNullOrEmpty
            $listed = @(Get-DciIpAddress -Address $script:addr)
            $listed.Count | Should -Be 1
            $listed[0].Status | Should -Be 'active'
        }

        It 'removes the address with Remove-DciServerIp -Wait' {
            $script:addr | Should -Not -BeNullOrEmpty
            $task = Get-DciIpAddress -Server $s | Where-Object Name -eq $script:addr | Remove-DciServerIp -Wait -Confirm:$false
            @($task).Count | Should -Be 1
            $task.Status | Should -Be 'complete'
            Get-DciIpAddress -Server $s | Where-Object Name -eq $script:addr | Should -BeNullOrEmpty
        }

        It 'changes nothing with -WhatIf' {
            $before = @(Get-DciIpAddress -Server $s).Count
            $output = $s | Add-DciServerIp -Pool (Get-DciIpPool -Name public) -WhatIf
            $output | Should -BeNullOrEmpty
            $removed = Get-DciIpAddress -Server $s | Remove-DciServerIp -WhatIf
            $removed | Should -BeNullOrEmpty
            @(Get-DciIpAddress -Server $s).Count | Should -Be $before
        }

        It 'refuses an invalid -Address before sending any request' {
            $before = @(Get-DciIpAddress -Server $s).Count
            $record = { $s | Add-DciServerIp -Address '300.1.1.1' -Confirm:$false } | Should -Throw -PassThru
            $record.FullyQualifiedErrorId | Should -BeLike 'Dci.InvalidParameter*'
            $record.CategoryInfo.Category.ToString() | Should -Be 'InvalidArgument'
            { Add-DciServerIp -ServerId $s.Id -Address '2001:db8::1' -Family IPv4 } | Should -Throw
            { Add-DciServerIp -ServerId $s.Id } | Should -Throw
            @(Get-DciIpAddress -Server $s).Count | Should -Be $before
        }

        It 'eventually writes a ResourceExists error when the tiny pool runs out' {
            $tiny = Get-DciIpPool -Name tiny
            $tiny | Should -Not -BeNullOrEmpty
            $refusals = @()
            $added = 0
            foreach ($server in ($customers | Select-Object -Skip 1 -First 5)) {
                $problems = $null
                $task = $server | Add-DciServerIp -Pool $tiny -Family IPv4 -Wait -ErrorVariable problems -ErrorAction SilentlyContinue
                if ($task) { $added++ }
                $refusals += @($problems | Where-Object { $_.CategoryInfo.Category.ToString() -eq 'ResourceExists' })
                if ($refusals.Count -gt 0) { break }
            }
            $added | Should -BeGreaterThan 0
            $refusals.Count | Should -BeGreaterThan 0
            $refusals[0].FullyQualifiedErrorId | Should -BeLike 'Dci.Api.409,*'
        }
    }
}
