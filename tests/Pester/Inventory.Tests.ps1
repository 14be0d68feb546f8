#Requires -Version 7.4
# The physical plant: locations, racks, switches and their ports, PDUs, warehouse stock, and the pipelines between them and servers.

Describe 'Inventory' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 48
        Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
        $script:all = @(Get-DciServer)
    }

    AfterAll {
        if (Get-Command Disconnect-Dci -ErrorAction SilentlyContinue) { Disconnect-Dci -All -ErrorAction SilentlyContinue }
        Stop-DciTestSimulator $script:sim
    }

    Context 'Racks and locations' {
        It 'lists racks named Rack0001... whose device counts add up to the servers' {
            $racks = @(Get-DciRack)
            $racks.Count | Should -BeGreaterThan 1
            $racks | ForEach-Object { $_ | Should -BeOfType ([DciManager.Client.DciRack]); $_.Name | Should -Match '^Rack\d{4}$' }
            ($racks | Measure-Object DeviceCount -Sum).Sum | Should -Be $all.Count
        }

        It 'sorts on the server with -Sort and filters -Name with wildcards' {
            $sorted = @(Get-DciRack -Sort 'device_count desc')
            $counts = @($sorted.DeviceCount)
            $counts | Should -Be @($counts | Sort-Object -Descending)
            @(Get-DciRack -Name 'rack0001').Name | Should -Be 'Rack0001'
            @(Get-DciRack -Name 'Rack000[12]').Name | Should -Be @('Rack0001', 'Rack0002')
        }

        It 'Get-DciRack -Name R | Get-DciServer lists exactly the servers in that rack' {
            $rack = Get-DciRack -Name Rack0002
            $servers = @($rack | Get-DciServer)
            $servers.Count | Should -Be $rack.DeviceCount
            $servers.Count | Should -BeGreaterThan 0
            $servers | ForEach-Object { $_.Rack.Name | Should -Be 'Rack0002'; $_.Unit | Should -BeGreaterThan 0 }
            @($servers.Id | Sort-Object) | Should -Be @($all | Where-Object { $_.Rack.Name -eq 'Rack0002' } | ForEach-Object Id | Sort-Object)
        }

        It 'never reads a piped rack as a server id (a rack binds to -Rack by value)' {
            # Rack 1's id is also a server id; reading it as one would return server 1.
            $rack = Get-DciRack -Name Rack0001
            $servers = @($rack | Get-DciServer)
            $servers.Count | Should -Be $rack.DeviceCount
            $servers.Count | Should -BeGreaterThan 1
            $servers | ForEach-Object { $_.Rack.Id | Should -Be $rack.Id }
            if (($all | Where-Object Id -eq 1).Rack.Name -ne 'Rack0001') { $servers.Id | Should -Not -Contain 1 }
        }

        It 'Get-DciLocation -Name | Get-DciRack lists that location''s racks, and its servers' {
            $location = Get-DciLocation -Name 'DC2*'
            $location | Should -BeOfType ([DciManager.Client.DciLocation])
            $racks = @($location | Get-DciRack)
            $racks.Count | Should -BeGreaterThan 0
            $racks | ForEach-Object { $_.LocationId | Should -Be $location.Id }
            @($location | Get-DciServer).Count | Should -Be @($all | Where-Object LocationId -eq $location.Id).Count
            @(Get-DciRack -Location $location.Name).Count | Should -Be $racks.Count
        }

        It 'shows location, rack and unit in the server table' {
            $text = $all[0] | Format-Table | Out-String -Width 250
            $text | Should -BeLike "*$($all[0].Rack.Name) U$($all[0].Unit)*"
            $text | Should -BeLike "*$($all[0].Location.Name)*"
        }

        It 'takes a rack name for -Rack' {
            @(Get-DciServer -Rack Rack0003).Count | Should -Be (Get-DciRack -Name Rack0003).DeviceCount
        }
    }

    Context 'Switches and their ports' {
        It 'Get-DciServer -Name | Get-DciSwitchPort lists the ports the server is cabled to' {
            $server = Get-DciServer -Name web-001
            $ports = @($server | Get-DciSwitchPort)
            $ports.Count | Should -Be $server.SwitchConnection.Count
            foreach ($port in $ports) {
                $port | Should -BeOfType ([DciManager.Client.DciSwitchPort])
                $port.ServerName | Should -Be 'web-001'
                $port.Description | Should -BeIn $server.SwitchConnection.Description
            }
        }

        It 'lists a switch''s ports from the pipeline and its servers' {
            $switch = Get-DciRack -Name Rack0001 | Get-DciSwitch | Where-Object Purpose -eq 'data'
            $ports = @($switch | Get-DciSwitchPort)
            $ports.Count | Should -Be $switch.PortCount
            $cabled = @($ports | Where-Object Server)
            @($switch | Get-DciServer).Count | Should -Be $cabled.Count
            @(Get-DciSwitchPort -Switch $switch.Name -Description 'GigabitEthernet1/0/1').Description | Should -Be 'GigabitEthernet1/0/1'
        }

        It 'disables and enables a port seen in the server''s switch_connection' {
            $server = Get-DciServer -Filter "state EQ 'active'" | Select-Object -First 1
            $port = $server | Get-DciSwitchPort | Where-Object { -not $_.IsIpmiConnection } | Select-Object -First 1
            $port.AdminStatus | Should -Be 'up'

            $port | Disable-DciSwitchPort -WhatIf
            ((Get-DciServer -Id $server.Id).SwitchConnection | Where-Object Id -eq $port.Id).AdminStatus | Should -Be 'up'

            $off = $port | Disable-DciSwitchPort -Confirm:$false
            $off.AdminStatus | Should -Be 'down'
            ((Get-DciServer -Id $server.Id).SwitchConnection | Where-Object Id -eq $port.Id).AdminStatus | Should -Be 'down'

            $on = $off | Enable-DciSwitchPort -Confirm:$false
            $on.AdminStatus | Should -Be 'up'
            ((Get-DciServer -Id $server.Id).SwitchConnection | Where-Object Id -eq $port.Id).AdminStatus | Should -Be 'up'
        }

        It 'asks before disabling (ConfirmImpact High)' {
            (Get-Command Disable-DciSwitchPort).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
                Should -Be 'High'
        }
    }

    Context 'PDUs and the warehouse' {
        It 'lists one PDU per rack' {
            $pdus = @(Get-DciPdu)
            $pdus.Count | Should -Be @(Get-DciRack).Count
            @(Get-DciRack -Name Rack0001 | Get-DciPdu).Rack.Name | Should -Be 'Rack0001'
        }

        It 'lists each warehouse type, sorted on the server, none of it in a rack' {
            foreach ($type in 'Switch', 'Pdu', 'Ups', 'Chassis', 'SparePart') {
                $items = @(Get-DciWarehouseItem -Type $type -Sort 'warehouse_status desc')
                $items.Count | Should -BeGreaterThan 0
                $items | ForEach-Object { $_.Type | Should -Be $type }
                @($items.WarehouseStatus) | Should -Be @($items.WarehouseStatus | Sort-Object -Descending -CaseSensitive)
            }
            @(Get-DciWarehouseItem -Type Ups -Status in_stock) | ForEach-Object { $_.WarehouseStatus | Should -Be 'in_stock' }
            { Get-DciWarehouseItem -Type Ups -Sort 'no_such_field' -ErrorAction Stop } | Should -Throw -ErrorId 'Dci.Api.400*'
        }
    }

    Context 'Completion and views' {
        It 'completes rack, location and switch names' {
            (TabExpansion2 -inputScript 'Get-DciRack -Name Rack000' -cursorColumn 24).CompletionMatches.CompletionText | Should -Contain 'Rack0001'
            (TabExpansion2 -inputScript 'Get-DciServer -Rack Rack000' -cursorColumn 26).CompletionMatches.CompletionText | Should -Contain 'Rack0002'
            (TabExpansion2 -inputScript 'Get-DciLocation -Name DC' -cursorColumn 24).CompletionMatches.CompletionText | Should -Contain "'DC1 Amsterdam'"
            (TabExpansion2 -inputScript 'Get-DciSwitchPort -Switch sw-' -cursorColumn 28).CompletionMatches.CompletionText | Should -Contain 'sw-rack0001'
        }

        It 'formats every inventory object as a table' {
            { Get-DciLocation | Format-Table | Out-String } | Should -Not -Throw
            (Get-DciRack | Format-Table | Out-String) | Should -BeLike '*Rack0001*'
            (Get-DciSwitch | Format-Table | Out-String -Width 200) | Should -BeLike '*sw-rack0001*'
            (Get-DciServer -Name web-001 | Get-DciSwitchPort | Format-Table | Out-String -Width 200) | Should -BeLike '*web-001*'
            { Get-DciPdu | Format-Table | Out-String } | Should -Not -Throw
            (Get-DciWarehouseItem -Type Chassis | Format-Table | Out-String -Width 200) | Should -BeLike '*Chassis*'
        }
    }
}
