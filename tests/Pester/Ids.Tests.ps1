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
}
