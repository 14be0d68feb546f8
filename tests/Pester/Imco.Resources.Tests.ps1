#Requires -Version 7.4
# The IMCO-only cmdlets (issue 14, "Cmdlets", second bullet) in real pwsh against the simulator's IMCO mode over mutual TLS:
# each cmdlet's happy path, -WhatIf sends nothing (ledger), commission with -Wait, decommission refused locally for an
# operational server and done for an inactive one, a 422 with every field message in one record, bad ids refused before
# any request, and Dci.NotSupported on a DCImanager 6 connection.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DciTestModule
    $script:credentials = Join-Path ([System.IO.Path]::GetTempPath()) ('imco-resources-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    $script:sim = Start-DciTestSimulator -Servers 6 -OperationMs 40 -ExtraArgs '--platform', 'imco', '--credentials-dir', $credentials, '--enable-control'
    $script:uri = $sim.Uri -replace '^http:', 'https:'
    $script:apiKey = Join-Path $credentials 'api-key'
    $script:imco = Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath $apiKey -PassThru
    # The simulator's own endpoints (ledger, stats, raw API) with the same client certificate.
    $script:clientCert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Join-Path $credentials 'api-key.pfx'), 'imco-simulator-key-password')
    function script:Sim([string]$Path, [string]$Method = 'GET', $Body) {
        $arguments = @{ Uri = "$uri/$Path"; Method = $Method; Certificate = $clientCert; SkipCertificateCheck = $true }
        if ($null -ne $Body) { $arguments.Body = ($Body | ConvertTo-Json -Compress); $arguments.ContentType = 'application/json' }
        Invoke-RestMethod @arguments
    }
    function script:Get-Ledger { @((Sim '_sim/ledger').list) }
    function script:Get-RequestCount { (Sim '_sim/stats').requests }
    function script:New-TestServer([string]$Name) {
        $account = Get-DciCloudAccount -Name 'Amazon Web Services production'
        $plan = $account | Get-DciServerPlan -Name 'us-east-1 small'
        $template = Get-DciTemplate -Name 'Ubuntu 22.04 web'
        New-DciServer -Name $Name -TemplateId $template.Id -ServerPlanId $plan.Id -CloudAccountId $account.Id -Wait -TimeoutSec 60
    }
    $script:unknownId = 'ffffffffffffffffffffff01'
}

AfterAll {
    Disconnect-Dci -All -ErrorAction SilentlyContinue
    Stop-DciTestSimulator $script:sim
    if ($script:credentials -and (Test-Path -LiteralPath $credentials)) { Remove-Item -LiteralPath $credentials -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'IMCO lists' {
    It 'Get-DciTemplate lists, matches -Name wildcards and reads -Id' {
        $all = @(Get-DciTemplate)
        $all.Count | Should -Be 5
        $all[0] | Should -BeOfType ([DciManager.Client.DciCloudTemplate])
        $all[0].Connection | Should -Be $imco
        @(Get-DciTemplate -Name 'ubuntu*').Name | Should -Be @('Ubuntu 22.04 web', 'Ubuntu 22.04 base')
        (Get-DciTemplate -Id $all[2].Id).Name | Should -Be $all[2].Name
    }

    It 'writes ObjectNotFound for an unknown id and a plain name that matches nothing, and goes on with the others' {
        $templates = @(Get-DciTemplate)
        $found = @(Get-DciTemplate -Id $unknownId, $templates[1].Id -ErrorVariable notFound -ErrorAction SilentlyContinue)
        $found.Id | Should -Be $templates[1].Id
        $notFound.Count | Should -Be 1
        $notFound[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $null = Get-DciVpc -Name 'no-such-vpc' -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'Dci.NotFound,*'
    }

    It 'refuses an id that is not 24 hex characters before any request' -ForEach @(
        @{ Command = { Get-DciTemplate -Id 'not-an-id' } }
        @{ Command = { Get-DciVolume -Id '12345' } }
        @{ Command = { Get-DciSubnet -VpcId 'zzzzzzzzzzzzzzzzzzzzzzzz' } }
        @{ Command = { Get-DciEvent -ServerId 'web-001' } }
        @{ Command = { Remove-DciServer -Id '5aabb7521de0240abb00000' -Force } }
        @{ Command = { Connect-DciVolume -Id 'ffffffffffffffffffffff01' -Server 'not-a-server' } }
    ) {
        $before = Get-RequestCount
        { & $Command -ErrorAction Stop } | Should -Throw '*24 hexadecimal*'
        Get-RequestCount | Should -Be $before
    }

    It 'Get-DciCloudAccount | Get-DciServerPlan lists each provider''s plans once, narrowed by -RealmId' {
        $accounts = @(Get-DciCloudAccount)
        $accounts.Count | Should -Be 3
        @($accounts | Get-DciServerPlan).Count | Should -Be 18
        $before = Get-RequestCount
        $plans = @($accounts[0], $accounts[0] | Get-DciServerPlan)
        Get-RequestCount | Should -Be ($before + 1) -Because 'a provider named by two accounts is listed once'
        $plans.Count | Should -Be 6
        $plans | ForEach-Object { $_.CloudProviderId | Should -Be $accounts[0].CloudProviderId }
        $realm = @(Get-DciServerPlan -CloudProviderId $plans[0].CloudProviderId -RealmId $plans[0].RealmId)
        $realm.Count | Should -Be 3
        $realm.RealmId | Sort-Object -Unique | Should -Be $plans[0].RealmId
        @(Get-DciServerPlan -Name '*small').Count | Should -Be 6
        (Get-DciServerPlan -Id $plans[1].Id).Name | Should -Be $plans[1].Name
    }

    It 'an unknown provider or VPC is an ObjectNotFound record and the others are still listed' {
        $provider = (Get-DciCloudAccount -Name 'GCE production').CloudProviderId
        $plans = @(Get-DciServerPlan -CloudProviderId $unknownId, $provider -ErrorVariable missing -ErrorAction SilentlyContinue)
        $plans.Count | Should -Be 6
        $missing.Count | Should -Be 1
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $missing[0].TargetObject | Should -Be $unknownId
        $subnets = @(Get-DciSubnet -VpcId $unknownId, (Get-DciVpc -Name vpc-1).Id -ErrorVariable noVpc -ErrorAction SilentlyContinue)
        $subnets.Count | Should -Be 2
        $noVpc.Count | Should -Be 1
        $noVpc[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'narrows server plans by realm on API v2 too (v2 has no realm_id parameter)' {
        $v2 = Connect-Dci -Platform Imco -Uri $uri -ApiKeyPath $apiKey -ApiVersion v2 -NotDefault -PassThru
        try {
            $plan = Get-DciServerPlan -Name 'us-east-1 large'
            $realm = @(Get-DciServerPlan -Connection $v2 -CloudProviderId $plan.CloudProviderId -RealmId $plan.RealmId)
            $realm.Count | Should -Be 3
            $realm.RealmId | Sort-Object -Unique | Should -Be $plan.RealmId
        }
        finally { Disconnect-Dci -Connection $v2 }
    }

    It 'Get-DciFirewallProfile shows the default profile and its rules' {
        $profiles = @(Get-DciFirewallProfile)
        $profiles.Count | Should -Be 2
        ($profiles | Where-Object IsDefault).Name | Should -Be 'Default'
        (Get-DciFirewallProfile -Name web).Rules.MinPort | Should -Be @(22, 80, 443)
    }

    It 'Get-DciVpc | Get-DciSubnet walks to the subnets; -VpcId and -Name narrow' {
        $vpcs = @(Get-DciVpc)
        $vpcs.Count | Should -Be 2
        @($vpcs | Get-DciSubnet).Count | Should -Be 4
        @(Get-DciSubnet).Count | Should -Be 4
        $private = @(Get-DciSubnet -VpcId $vpcs[1].Id -Name '*private')
        $private.Name | Should -Be 'vpc-2-private'
        $private.VpcId | Should -Be $vpcs[1].Id
        (Get-DciSubnet -Id $private.Id).Cidr | Should -Be $private.Cidr
    }

    It 'Get-DciSshProfile never keeps a stored private key' {
        $secret = "-----BEGIN OPENSSH PRIVATE KEY-----`nb3BlbnNzaC1rZXktdjEAAAAAc2VjcmV0LWtleS1ieXRlcw==`n-----END OPENSSH PRIVATE KEY-----"
        $null = Sim 'v3/cloud/ssh_profiles' POST @{ name = 'with-private'; public_key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIwithprivate test'; private_key = $secret }
        $profile = Get-DciSshProfile -Name with-private
        $profile.HasPrivateKey | Should -BeTrue
        (Get-DciSshProfile -Name default).HasPrivateKey | Should -BeFalse
        $shown = ($profile | Format-List * | Out-String) + ($profile | ConvertTo-Json -Depth 5) + "$profile" + ($profile.AdditionalProperties | ConvertTo-Json)
        $shown | Should -Not -Match 'b3BlbnNzaC1rZXktdjEAAAAAc2VjcmV0LWtleS1ieXRlcw'
        $shown | Should -Not -Match 'PRIVATE KEY'
        # Nor the request traces: -Debug shows the answer's bodies with the key masked.
        $traces = Get-DciSshProfile -Id $profile.Id -Debug -Verbose 5>&1 4>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] -or $_ -is [System.Management.Automation.VerboseRecord] } | Out-String
        $traces | Should -Match 'ssh_profiles'
        $traces | Should -Not -Match 'b3BlbnNzaC1rZXktdjEAAAAAc2VjcmV0LWtleS1ieXRlcw'
        $profile | Remove-DciSshProfile -Force
    }
}

Describe 'Commission and decommission' {
    It 'New-DciServer -Wait emits the server once it is inactive' {
        $vm = New-TestServer 'pester-commission'
        $vm | Should -BeOfType ([DciManager.Client.DciCloudServer])
        $vm.State | Should -Be 'inactive'
        $vm.Connection | Should -Be $imco
        (Sim "v3/cloud/servers/$($vm.Id)").state | Should -Be 'inactive'
        @(Get-Ledger | Where-Object { $_.operation -eq 'commission' -and $_.detail -eq $vm.Id }).Count | Should -Be 1
    }

    It 'New-DciServer -Wait for many servers polls one list for all of them, not one GET per server' {
        $account = Get-DciCloudAccount -Name 'Amazon Web Services production'
        $plan = $account | Get-DciServerPlan -Name 'us-east-1 small'
        $template = Get-DciTemplate -Name 'Ubuntu 22.04 web'
        $names = 1..12 | ForEach-Object { 'pester-bulk-{0:D2}' -f $_ }
        $before = Get-RequestCount
        $servers = @($names | New-DciServer -TemplateId $template.Id -ServerPlanId $plan.Id -CloudAccountId $account.Id -Wait -TimeoutSec 60)
        $requests = (Get-RequestCount) - $before
        $servers.Count | Should -Be 12
        $servers.State | Sort-Object -Unique | Should -Be 'inactive'
        # 12 POSTs, then a GET cloud/servers per poll for all twelve.
        ($requests - 12) | Should -BeLessThan 6
    }

    It 'New-DciServer without -Wait emits the server as IMCO answers (commissioning), with the profiles and labels given' {
        $account = Get-DciCloudAccount -Name 'Azure production'
        $plan = $account | Get-DciServerPlan -Name 'westeurope small'
        $ssh = @(Get-DciSshProfile -Name default, operations)
        $web = Get-DciFirewallProfile -Name Web
        $vm = New-DciServer -Name pester-nowait -TemplateId (Get-DciTemplate -Name 'Debian 12 database').Id -ServerPlanId $plan.Id -CloudAccountId $account.Id `
            -SshProfileId $ssh.Id -FirewallProfileId $web.Id -LabelId 'aaaaaaaaaaaaaaaaaaaaaaa1'
        $vm.State | Should -Be 'commissioning'
        $vm.SshProfileIds | Should -Be $ssh.Id
        $vm.FirewallProfileId | Should -Be $web.Id
        $vm.LabelIds | Should -Be 'aaaaaaaaaaaaaaaaaaaaaaa1'
        (New-DciServer -Name pester-one-key -TemplateId $vm.TemplateId -ServerPlanId $plan.Id -CloudAccountId $account.Id -SshProfileId $ssh[1].Id).SshProfileId | Should -Be $ssh[1].Id
    }

    It 'New-DciServer -Wait reports a commission_stalled server as an error naming its state' {
        $account = Get-DciCloudAccount -Name 'Amazon Web Services production'
        $plan = $account | Get-DciServerPlan -Name 'us-east-1 small'
        $out = @(New-DciServer -Name pester-stall-01 -TemplateId (Get-DciTemplate -Name 'Ubuntu 22.04 base').Id -ServerPlanId $plan.Id -CloudAccountId $account.Id -Wait -TimeoutSec 60 -ErrorVariable failed -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $failed.Count | Should -Be 1
        $failed[0].Exception.Message | Should -Match 'commission_stalled'
        # The record's target is the server as last seen: its events say why.
        $stalled = $failed[0].TargetObject
        $stalled | Should -BeOfType ([DciManager.Client.DciCloudServer])
        @(Get-DciEvent -Server $stalled -Level error).Header | Should -Contain 'Server commission stalled'
        @(Get-DciEvent -Server $stalled -Level error, warning).Level | Sort-Object -Unique | Should -Be 'error'
    }

    It 'New-DciServer -Wait reports a server still commissioning at -TimeoutSec as a timeout whose outcome is unknown' {
        # A second simulator on the same credentials whose commissions never end.
        $slow = Start-DciTestSimulator -Servers 0 -OperationMs 3600000 -ExtraArgs '--platform', 'imco', '--credentials-dir', $credentials
        try {
            $c = Connect-Dci -Platform Imco -Uri ($slow.Uri -replace '^http:', 'https:') -ApiKeyPath $apiKey -NotDefault -PassThru
            $account = Get-DciCloudAccount -Connection $c -Name 'Amazon Web Services production'
            $plan = $account | Get-DciServerPlan -Name 'us-east-1 small'
            $template = Get-DciTemplate -Connection $c -Name 'Ubuntu 22.04 web'
            $out = @(New-DciServer -Connection $c -Name never-done -TemplateId $template.Id -ServerPlanId $plan.Id -CloudAccountId $account.Id -Wait -TimeoutSec 1 -ErrorVariable late -ErrorAction SilentlyContinue)
            $out.Count | Should -Be 0
            $late.Count | Should -Be 1
            $late[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $late[0].FullyQualifiedErrorId | Should -BeLike 'Dci.WaitTimeout,*'
            $late[0].Exception.Message | Should -Match 'commissioning'
            $late[0].Exception.Message | Should -Match 'unknown'
            $late[0].TargetObject.Name | Should -Be 'never-done'
        }
        finally {
            if ($c) { Disconnect-Dci -Connection $c }
            Stop-DciTestSimulator $slow
        }
    }

    It 'New-DciServer -WhatIf sends nothing' {
        $account = Get-DciCloudAccount -Name 'Amazon Web Services production'
        $plan = $account | Get-DciServerPlan -Name 'us-east-1 small'
        $template = Get-DciTemplate -Name 'Ubuntu 22.04 web'
        $before = @(Get-Ledger).Count
        New-DciServer -Name pester-whatif -TemplateId $template.Id -ServerPlanId $plan.Id -CloudAccountId $account.Id -WhatIf
        @(Get-Ledger).Count | Should -Be $before
    }

    It 'reports a 422 with every field message in one error record' {
        $before = @(Get-Ledger).Count
        $out = @(New-DciServer -Name pester-422 -TemplateId $unknownId -ServerPlanId 'ffffffffffffffffffffff02' -CloudAccountId 'ffffffffffffffffffffff03' -ErrorVariable refused -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $refused.Count | Should -Be 1
        $refused[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $refused[0].Exception.Message | Should -Match 'template_id'
        $refused[0].Exception.Message | Should -Match 'server_plan_id'
        $refused[0].Exception.Message | Should -Match 'cloud_account_id'
        @(Get-Ledger).Count | Should -Be $before
    }

    It 'Remove-DciServer refuses an operational server locally: no DELETE is sent' {
        $servers = Sim 'v3/cloud/servers'
        $operational = $servers | Where-Object state -eq 'operational' | Select-Object -First 1
        $before = @(Get-Ledger).Count
        Remove-DciServer -Id $operational.id -Force -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused.Count | Should -Be 1
        $refused[0].Exception.Message | Should -Match 'operational'
        @(Get-Ledger).Count | Should -Be $before
        (Sim "v3/cloud/servers/$($operational.id)").state | Should -Be 'operational'
    }

    It 'Remove-DciServer -WhatIf sends nothing' {
        $vm = New-TestServer 'pester-remove-whatif'
        $before = @(Get-Ledger).Count
        $vm | Remove-DciServer -WhatIf
        $vm | Remove-DciServer -Force -WhatIf
        Get-DciVolume -Name vol-09 | Remove-DciVolume -Force -WhatIf
        @(Get-Ledger).Count | Should -Be $before -Because '-Force skips the question, -WhatIf still only tells'
    }

    It 'Remove-DciServer -Wait decommissions an inactive server until it is gone, and goes on past a refused one' {
        $vm = New-TestServer 'pester-remove'
        $servers = Sim 'v3/cloud/servers'
        $operational = $servers | Where-Object state -eq 'operational' | Select-Object -First 1
        Remove-DciServer -Id $operational.id, $vm.Id -Force -Wait -TimeoutSec 60 -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused.Count | Should -Be 1
        @(Get-Ledger | Where-Object { $_.operation -eq 'decommission' -and $_.detail -eq $vm.Id }).Count | Should -Be 1
        { Sim "v3/cloud/servers/$($vm.Id)" } | Should -Throw
    }

    It 'Get-DciEvent lists a server''s events and the audit log' {
        $vm = New-TestServer 'pester-events'
        $events = @($vm | Get-DciEvent)
        $events.Header | Should -Contain 'Server inactive'
        $events | ForEach-Object { $_.ServerId | Should -Be $vm.Id }
        $events[0] | Should -BeOfType ([DciManager.Client.DciCloudEvent])
        @(Get-DciEvent -ServerId $vm.Id).Count | Should -Be $events.Count
        (Get-DciEvent -Audit).Description | Should -Contain 'Server pester-events commissioning started'
        @(Get-DciEvent -ServerId $unknownId -ErrorVariable notFound -ErrorAction SilentlyContinue).Count | Should -Be 0
        $notFound[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'SSH profiles, volumes and floating IPs' {
    It 'New-DciSshProfile creates and Remove-DciSshProfile deletes; -WhatIf sends nothing' {
        $before = @(Get-Ledger).Count
        New-DciSshProfile -Name pester-key -PublicKey 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIpester pester@example.com' -WhatIf
        @(Get-Ledger).Count | Should -Be $before
        $profile = New-DciSshProfile -Name pester-key -PublicKey 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIpester pester@example.com'
        $profile.Name | Should -Be 'pester-key'
        $profile.HasPrivateKey | Should -BeFalse
        $profile | Remove-DciSshProfile -WhatIf
        Get-DciSshProfile -Name pester-key | Should -Not -BeNullOrEmpty
        $profile | Remove-DciSshProfile -Force
        Get-DciSshProfile -Name pester-key -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'New-DciSshProfile lists every field IMCO refused in one record' {
        New-DciSshProfile -Name default -PublicKey 'not a key' -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused.Count | Should -Be 1
        $refused[0].Exception.Message | Should -Match 'name'
        $refused[0].Exception.Message | Should -Match 'public_key'
    }

    It 'creates, attaches, lists by server, detaches and deletes a volume' {
        $vm = New-TestServer 'pester-volumes'
        $account = Get-DciCloudAccount -Name 'Amazon Web Services production'
        $plan = (Get-DciVolume -Name vol-01).StoragePlanId
        $before = @(Get-Ledger).Count
        New-DciVolume -Name pester-vol -Size 30 -CloudAccountId $account.Id -StoragePlanId $plan -WhatIf
        @(Get-Ledger).Count | Should -Be $before
        $volume = New-DciVolume -Name pester-vol -Size 30 -CloudAccountId $account.Id -StoragePlanId $plan
        $volume.State | Should -Be 'detached'
        $volume.Size | Should -Be 30
        $volume | Connect-DciVolume -Server $vm -WhatIf
        (Get-DciVolume -Id $volume.Id).State | Should -Be 'detached'
        $attached = $volume | Connect-DciVolume -Server $vm
        $attached.State | Should -Be 'attached'
        $attached.AttachedServerId | Should -Be $vm.Id
        $attached.Device | Should -Not -BeNullOrEmpty
        ($vm | Get-DciVolume).Id | Should -Be $volume.Id
        $detached = $attached | Disconnect-DciVolume
        $detached.State | Should -Be 'detached'
        $detached.AttachedServerId | Should -BeNullOrEmpty
        $detached | Remove-DciVolume -WhatIf
        Get-DciVolume -Id $volume.Id | Should -Not -BeNullOrEmpty
        $detached | Remove-DciVolume -Force
        Get-DciVolume -Id $volume.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'a refused volume in a pipeline does not stop the others' {
        $vm = New-TestServer 'pester-volumes-2'
        $attached = Get-DciVolume -Name vol-07 | Connect-DciVolume -Server $vm.Id
        $free = Get-DciVolume -Name vol-08
        $attached, $free | Remove-DciVolume -Force -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused.Count | Should -Be 1
        $refused[0].Exception.Message | Should -Match 'detach'
        Get-DciVolume -Id $free.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-DciVolume -Id $attached.Id | Should -Not -BeNullOrEmpty
    }

    It 'attaches and detaches floating IPs; attaching an attached one is a 422 record' {
        $vm = New-TestServer 'pester-fip'
        $ip = Get-DciFloatingIp -Name fip-02
        $attached = $ip | Connect-DciFloatingIp -Server $vm
        $attached.State | Should -Be 'attached'
        $attached.AttachedServerId | Should -Be $vm.Id
        (Get-DciFloatingIp -ServerId $vm.Id).Address | Should -Be $ip.Address
        $ip | Connect-DciFloatingIp -Server $vm -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused.Count | Should -Be 1
        $refused[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $before = @(Get-Ledger).Count
        $attached | Disconnect-DciFloatingIp -WhatIf
        @(Get-Ledger).Count | Should -Be $before
        ($attached | Disconnect-DciFloatingIp).State | Should -Be 'detached'
        @($vm | Get-DciFloatingIp).Count | Should -Be 0
    }
}

Describe 'On other platforms' {
    BeforeAll {
        $script:dci6 = Start-DciTestSimulator -Servers 2 -ExtraArgs '--enable-control'
        $script:dci6Connection = Connect-Dci -Uri $dci6.Uri -Credential $dci6.Credential -NotDefault -PassThru
        function script:Get-Dci6RequestCount { (Invoke-RestMethod -Uri "$($dci6.Uri)/_sim/stats").requests }
    }
    AfterAll {
        Disconnect-Dci -Connection $script:dci6Connection -ErrorAction SilentlyContinue
        Stop-DciTestSimulator $script:dci6
    }

    It '<Name> writes Dci.NotSupported before any request on DCImanager 6' -ForEach @(
        @{ Name = 'Get-DciTemplate'; Call = { param($c) Get-DciTemplate -Connection $c } }
        @{ Name = 'Get-DciSshProfile'; Call = { param($c) Get-DciSshProfile -Connection $c } }
        @{ Name = 'New-DciSshProfile'; Call = { param($c) New-DciSshProfile -Connection $c -Name x -PublicKey 'ssh-ed25519 AAAA x' } }
        @{ Name = 'Remove-DciSshProfile'; Call = { param($c) Remove-DciSshProfile -Connection $c -Id 'ffffffffffffffffffffff01' -Force } }
        @{ Name = 'Get-DciCloudAccount'; Call = { param($c) Get-DciCloudAccount -Connection $c } }
        @{ Name = 'Get-DciServerPlan'; Call = { param($c) Get-DciServerPlan -Connection $c } }
        @{ Name = 'Get-DciFirewallProfile'; Call = { param($c) Get-DciFirewallProfile -Connection $c } }
        @{ Name = 'Get-DciVpc'; Call = { param($c) Get-DciVpc -Connection $c } }
        @{ Name = 'Get-DciSubnet'; Call = { param($c) Get-DciSubnet -Connection $c } }
        @{ Name = 'Get-DciFloatingIp'; Call = { param($c) Get-DciFloatingIp -Connection $c } }
        @{ Name = 'Connect-DciFloatingIp'; Call = { param($c) Connect-DciFloatingIp -Connection $c -Id 'ffffffffffffffffffffff01' -Server 'ffffffffffffffffffffff02' } }
        @{ Name = 'Disconnect-DciFloatingIp'; Call = { param($c) Disconnect-DciFloatingIp -Connection $c -Id 'ffffffffffffffffffffff01' } }
        @{ Name = 'Get-DciVolume'; Call = { param($c) Get-DciVolume -Connection $c } }
        @{ Name = 'New-DciVolume'; Call = { param($c) New-DciVolume -Connection $c -Name x -Size 1 -CloudAccountId 'ffffffffffffffffffffff01' -StoragePlanId 'ffffffffffffffffffffff02' } }
        @{ Name = 'Remove-DciVolume'; Call = { param($c) Remove-DciVolume -Connection $c -Id 'ffffffffffffffffffffff01' -Force } }
        @{ Name = 'Connect-DciVolume'; Call = { param($c) Connect-DciVolume -Connection $c -Id 'ffffffffffffffffffffff01' -Server 'ffffffffffffffffffffff02' } }
        @{ Name = 'Disconnect-DciVolume'; Call = { param($c) Disconnect-DciVolume -Connection $c -Id 'ffffffffffffffffffffff01' } }
        @{ Name = 'Get-DciEvent'; Call = { param($c) Get-DciEvent -Connection $c -Audit } }
        @{ Name = 'New-DciServer'; Call = { param($c) New-DciServer -Connection $c -Name x -TemplateId 'ffffffffffffffffffffff01' -ServerPlanId 'ffffffffffffffffffffff02' -CloudAccountId 'ffffffffffffffffffffff03' } }
        @{ Name = 'Remove-DciServer'; Call = { param($c) Remove-DciServer -Connection $c -Id 'ffffffffffffffffffffff01' -Force } }
    ) {
        $before = Get-Dci6RequestCount
        $err = $null
        try { & $Call $dci6Connection -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'Dci.NotSupported,*'
        $err.CategoryInfo.Category | Should -Be 'NotImplemented'
        Get-Dci6RequestCount | Should -Be $before
    }
}
