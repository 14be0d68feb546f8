#Requires -Version 7.4
# IMCO servers through the module's shared server cmdlets (issue 14, "Cmdlets", first bullet), in real pwsh over mutual
# TLS: Get-DciServer -Name/-State/-Id, Invoke-DciPower On/Off/Reset with -Wait following the state, a stalled server as
# an error that names the state, the bulk pipeline over 200 servers with the throttle, and ids of the wrong form.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DciTestModule
    $script:credentials = Join-Path ([System.IO.Path]::GetTempPath()) ('imco-servers-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    $script:sim = Start-DciTestSimulator -Servers 200 -OperationMs 60 -ExtraArgs '--platform', 'imco', '--credentials-dir', $credentials, '--enable-control'
    $script:uri = $sim.Uri -replace '^http:', 'https:'
    $script:imco = Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath (Join-Path $credentials 'api-key') -PassThru
    $script:clientCert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Join-Path $credentials 'api-key.pfx'), 'imco-simulator-key-password')
    function script:Sim([string]$Path, [string]$Method = 'GET', $Body) {
        $arguments = @{ Uri = "$uri/$Path"; Method = $Method; Certificate = $clientCert; SkipCertificateCheck = $true }
        if ($null -ne $Body) { $arguments.Body = ($Body | ConvertTo-Json -Compress); $arguments.ContentType = 'application/json' }
        Invoke-RestMethod @arguments
    }
    function script:Get-RequestCount { (Sim '_sim/stats').requests }
    function script:Get-Ledger { @((Sim '_sim/ledger').list) }
}

AfterAll {
    Disconnect-Dci -All -ErrorAction SilentlyContinue
    Stop-DciTestSimulator $script:sim
    if ($script:credentials -and (Test-Path -LiteralPath $credentials)) { Remove-Item -LiteralPath $credentials -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Get-DciServer on IMCO' {
    It 'lists the cloud servers with their hex ids and a power status read from the state' {
        $servers = @(Get-DciServer)
        $servers.Count | Should -Be 200
        $servers[0] | Should -BeOfType ([DciManager.Client.DciCloudServer])
        $servers[0].Id | Should -Match '^[0-9a-f]{24}$'
        $servers[0].State | Should -Be 'operational'
        $servers[0].PowerStatus | Should -Be 'on'
        ($servers[0] | Format-Table | Out-String) | Should -Match 'operational'
    }

    It 'matches -Name wildcards and several names, and reports a plain name that matched nothing' {
        $web = @(Get-DciServer -Name 'web-00*')
        $web.Name | Should -Be @('web-001', 'web-005', 'web-009')
        $two = @(Get-DciServer -Name 'db-002', 'nosuch' -ErrorVariable missing -ErrorAction SilentlyContinue)
        $two.Name | Should -Be @('db-002')
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'gets servers by -Id in the order given from one list request, with ObjectNotFound for an unknown id' {
        $some = @(Get-DciServer -Name 'app-00*')
        $before = Get-RequestCount
        $found = @(Get-DciServer -Id $some[1].Id, 'ffffffffffffffffffffff01', $some[0].Id.ToUpperInvariant() -ErrorVariable notFound -ErrorAction SilentlyContinue)
        (Get-RequestCount) - $before | Should -Be 1
        $found.Name | Should -Be @($some[1].Name, $some[0].Name)
        $notFound[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $notFound[0].TargetObject | Should -Be 'ffffffffffffffffffffff01'
        @($some[0] | Get-DciServer).Id | Should -Be $some[0].Id
    }

    It 'completes server names on IMCO from its list, matched as they stream' {
        $line = 'Get-DciServer -Name web-00'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $completions.CompletionText | Should -Be @('web-001', 'web-005', 'web-009')
        $completions[0].ToolTip | Should -Match '^[0-9a-f]{24}: operational$'
        $line = 'Get-DciServer -Name nosuch'
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches).Count | Should -Be 0
    }

    It 'refuses a DCImanager id, owners and raw filters on IMCO before anything is sent' {
        $before = Get-RequestCount
        Get-DciServer -Id 42 -ErrorVariable bad -ErrorAction SilentlyContinue
        $bad[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $bad[0].Exception.Message | Should -BeLike "*'42' is not an IMCO server id*"
        { Get-DciServer -Owner 'user01@example.com' -ErrorAction Stop } | Should -Throw -ErrorId 'Dci.NotSupported*'
        { Get-DciServer -Filter "name EQ 'x'" -ErrorAction Stop } | Should -Throw -ErrorId 'Dci.NotSupported*'
        (Get-RequestCount) - $before | Should -Be 0
    }

    It 'refuses IMCO servers piped to a cmdlet IMCO does not serve, with Dci.NotSupported and nothing sent' {
        $server = Get-DciServer -Name 'web-001'
        $before = Get-RequestCount
        { $server | Suspend-DciServer -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'Dci.NotSupported*'
        (Get-RequestCount) - $before | Should -Be 0
    }
}

Describe 'Invoke-DciPower on IMCO' {
    It 'shuts a server down and waits until it is inactive, then boots it and waits until it is operational' {
        $server = Get-DciServer -Name 'cache-004'
        $off = $server | Invoke-DciPower -Action Off -Force -Wait -TimeoutSec 60
        $off | Should -BeOfType ([DciManager.Client.DciCloudServer])
        $off.State | Should -Be 'inactive'
        $off.PowerStatus | Should -Be 'off'
        $on = Invoke-DciPower -ServerId $server.Id -Action On -Force -Wait -TimeoutSec 60
        $on.State | Should -Be 'operational'
        $on.Name | Should -Be 'cache-004'
    }

    It 'without -Wait emits the server as IMCO answered the action, its state already moving' {
        $server = Get-DciServer -Name 'cache-008'
        $answer = $server | Invoke-DciPower -Action Reset -Force
        $answer.State | Should -Be 'booting'
        @(Get-Ledger | Where-Object { $_.operation -eq 'reboot' -and $_.detail -eq $server.Id }).Count | Should -Be 1
    }

    It 'reports a server that stalls as an error naming the state, and the other servers still finish' {
        Sim '_sim/fail-operations' -Method Post -Body @{ count = 1; operation = 'reboot' } | Out-Null
        $servers = @(Get-DciServer -Name 'db-010', 'db-014')
        $done = @($servers | Invoke-DciPower -Action Reset -Force -Wait -TimeoutSec 60 -ThrottleLimit 1 -ErrorVariable failed -ErrorAction SilentlyContinue)
        $done.Count | Should -Be 1
        $done[0].State | Should -Be 'operational'
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'Dci.ServerStateFailed,*'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $failed[0].Exception.Message | Should -BeLike '*stalled*'
    }

    It 'refuses an action IMCO does not allow from the state (422) with the field message, and goes on' {
        $stalled = @(Get-DciServer -State stalled)
        $stalled.Count | Should -Be 1
        $results = @($stalled[0], (Get-DciServer -Name 'web-013') | Invoke-DciPower -Action On -Force -ErrorVariable refused -ErrorAction SilentlyContinue)
        @($refused).Count | Should -Be 2   # neither a stalled nor an operational server boots
        $refused[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $refused[0].Exception.Message | Should -BeLike '*cannot boot*'
        $results.Count | Should -Be 0
    }

    It 'resets 200 servers from the pipeline with the throttle and waits for all of them with one list per poll' {
        $before = Get-RequestCount
        $servers = @(Get-DciServer -State operational)
        $servers.Count | Should -BeGreaterOrEqual 190
        $back = @($servers | Invoke-DciPower -Action Reset -Force -Wait -ThrottleLimit 16 -TimeoutSec 120)
        $back.Count | Should -Be $servers.Count
        @($back | Where-Object State -ne 'operational').Count | Should -Be 0
        @($back.Id | Sort-Object -Unique).Count | Should -Be $servers.Count
        # One list, one reboot per server, and then one GET cloud/servers per poll: far fewer than one GET per server per poll.
        $requests = (Get-RequestCount) - $before
        $requests | Should -BeLessThan (1 + $servers.Count + 60)
    }

    It 'asks first (ConfirmImpact High): without -Force in a non-interactive shell nothing is sent' {
        $before = Get-RequestCount
        { Get-DciServer -Name 'web-001' | Invoke-DciPower -Action Off -ErrorAction Stop } | Should -Throw
        (Get-RequestCount) - $before | Should -Be 1   # the Get-DciServer list only
    }
}
