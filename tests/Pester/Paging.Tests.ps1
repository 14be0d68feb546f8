#Requires -Version 7.4
# Read-ahead paging as the shell meets it: stopping early costs one request, a full listing asks for every page once
# and emits in order (issue 15 §3). 2,600 servers are six pages of 500.

Describe 'Paging' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 2600 -ExtraArgs '--enable-control'
        Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
        # Control requests are not counted by the simulator.
        $script:statsUri = ([string]$sim.Uri).TrimEnd('/') + '/_sim/stats'
    }

    AfterAll {
        if (Get-Command Disconnect-Dci -ErrorAction SilentlyContinue) { Disconnect-Dci -All -ErrorAction SilentlyContinue }
        Stop-DciTestSimulator $script:sim
    }

    It 'makes exactly one request for Select-Object -First 1' {
        $before = (Invoke-RestMethod -Uri $statsUri).requests
        $first = @(Get-DciServer -Sort id | Select-Object -First 1)
        $after = (Invoke-RestMethod -Uri $statsUri).requests
        $first.Count | Should -Be 1
        $first[0].Id | Should -Be 1
        $after - $before | Should -Be 1
    }

    It 'makes one request for a consumer that stops within the first page' {
        $before = (Invoke-RestMethod -Uri $statsUri).requests
        $some = @(Get-DciServer -Sort id | Select-Object -First 500)
        $after = (Invoke-RestMethod -Uri $statsUri).requests
        $some.Count | Should -Be 500
        $after - $before | Should -Be 1
    }

    It 'asks for every page once and emits the servers in order' {
        $before = (Invoke-RestMethod -Uri $statsUri).requests
        $all = @(Get-DciServer -Sort id)
        $after = (Invoke-RestMethod -Uri $statsUri).requests
        $all.Count | Should -Be 2600
        ($all.Id -join ',') | Should -Be ((1..2600) -join ',')
        $after - $before | Should -Be 6
    }
}
