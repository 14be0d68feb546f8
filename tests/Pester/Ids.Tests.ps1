#Requires -Version 7.4
# Many ids in one request: lists and pipeline input of ids are looked up in batches, in the order given.

Describe 'Get- by many ids' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 600 -ExtraArgs '--enable-control'
        Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
        function Get-SimRequestCount { (Invoke-RestMethod -Uri "$($sim.Uri)/_sim/stats").requests }
    }

    AfterAll {
        Disconnect-Dci -All -ErrorAction SilentlyContinue
        Stop-DciTestSimulator $script:sim
    }

    It 'gets 200 servers given as a list with one request, in the order given' {
        $before = Get-SimRequestCount
        $servers = @(Get-DciServer -Id (200..1))
        (Get-SimRequestCount) - $before | Should -Be 1
        $servers.Count | Should -Be 200
        $servers.Id | Should -Be (200..1)
    }

    It 'gets 200 piped server ids with one request, in the order given' {
        $before = Get-SimRequestCount
        $servers = @(1..200 | Get-DciServer)
        (Get-SimRequestCount) - $before | Should -Be 1
        $servers.Id | Should -Be (1..200)
    }

    It 'gets racks, switches, PDUs and locations by many ids the same way' -ForEach @(
        @{ Command = 'Get-DciRack'; Ids = @(3, 1, 99999, 2) }
        @{ Command = 'Get-DciSwitch'; Ids = @(4, 99999, 2) }
        @{ Command = 'Get-DciPdu'; Ids = @(2, 99999, 1) }
        @{ Command = 'Get-DciLocation'; Ids = @(2, 99999, 1) }
    ) {
        $before = Get-SimRequestCount
        $found = @(& $Command -Id $Ids -ErrorVariable notFound -ErrorAction SilentlyContinue)
        (Get-SimRequestCount) - $before | Should -Be 1
        $found.Id | Should -Be @($Ids | Where-Object { $_ -ne 99999 })
        @($notFound).Count | Should -Be 1
        $notFound[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $notFound[0].TargetObject | Should -Be 99999
    }

    It 'writes one ObjectNotFound error per missing id and the rest still come' {
        $servers = @(Get-DciServer -Id 7, 9999, 3 -ErrorVariable notFound -ErrorAction SilentlyContinue)
        $servers.Id | Should -Be @(7, 3)
        $notFound.Count | Should -Be 1
        $notFound[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $notFound[0].FullyQualifiedErrorId | Should -Be 'Dci.Api.404,DciManager.Commands.GetDciServerCommand'
        $notFound[0].TargetObject | Should -Be 9999
    }

    It 'still gets the servers of piped tasks by their ServerId' {
        $tasks = @(Get-DciTask | Select-Object -First 3)
        $tasks.Count | Should -Be 3
        @($tasks | Get-DciServer).Id | Should -Be @($tasks.ServerId)
    }

    Context 'ids in every platform''s form' {
        It 'takes ids as numbers or as numeric text, as DCImanager 5 writes them' {
            @(Get-DciServer -Id '7', 3).Id | Should -Be @(7, 3)
            (Invoke-DciPower -ServerId '11' -Action On -Force).ServerId | Should -Be 11
        }

        It 'refuses an IMCO id on DCImanager 6 with one InvalidArgument error per id, before anything is sent, and goes on with the others' {
            $hex = '5f3a9c0e2b7d4a1e8c6f0b12'
            $before = Get-SimRequestCount
            $servers = @(Get-DciServer -Id $hex, 4 -ErrorVariable bad -ErrorAction SilentlyContinue)
            $servers.Id | Should -Be @(4)
            @($bad).Count | Should -Be 1
            $bad[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $bad[0].Exception.Message | Should -BeLike "*'$hex' is not a DCImanager6 server id*"
            $tasks = @(Invoke-DciPower -ServerId $hex -Action Off -Force -ErrorVariable refused -ErrorAction SilentlyContinue)
            $tasks.Count | Should -Be 0
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'Dci.InvalidId,*'
            $refused[0].TargetObject | Should -Be $hex
            # One request: the lookup of server 4; nothing for the hex id, nothing for the refused power-off.
            (Get-SimRequestCount) - $before | Should -Be 1
        }

        It 'refuses text that is no platform''s id while parameters bind' -ForEach @(
            @{ Text = 'web01' }, @{ Text = '0' }, @{ Text = '-3' }, @{ Text = '5f3a9c0e2b7d4a1e8c6f0b1' }, @{ Text = '5f3a9c0e2b7d4a1e8c6f0b1z' }
        ) {
            $before = Get-SimRequestCount
            { Invoke-DciPower -ServerId $Text -Action On -Force } | Should -Throw -ErrorId 'ParameterArgumentValidationError,DciManager.Commands.InvokeDciPowerCommand'
            { Get-DciServer -Id $Text } | Should -Throw "*'$Text' is not an id*"
            (Get-SimRequestCount) - $before | Should -Be 0
        }
    }
}
