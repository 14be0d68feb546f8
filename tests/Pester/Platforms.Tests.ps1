#Requires -Version 7.4
# One runbook, two platforms: the same script against the DCImanager 6 and the DCImanager 5 simulators, the
# connection being the only difference (issue 12). Then what only DCImanager 5 connections have to prove.

BeforeDiscovery {
    $script:platforms = @(
        @{ Platform = 'DCImanager6'; SimArgs = @(); AdminName = 'admin@example.com' }
        @{ Platform = 'DCImanager5'; SimArgs = @('--platform', 'dcimanager5'); AdminName = 'admin' }
    )
}

Describe 'The provisioning runbook on <Platform>' -ForEach $script:platforms {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 24 -OperationMs 200 -ExtraArgs $SimArgs
        $admin = [pscredential]::new($AdminName, (New-DciTestSecureString $sim.AdminPassword))
        # The only platform-specific line of the runbook.
        Connect-Dci -Uri $sim.Uri -Credential $admin -Platform $Platform

        $script:pw = ConvertTo-SecureString 'Str0ng-pass!' -AsPlainText -Force
        $script:rootPw = ConvertTo-SecureString 'r00t-pass!' -AsPlainText -Force
    }

    AfterAll {
        Disconnect-Dci -All -ErrorAction SilentlyContinue
        Stop-DciTestSimulator $script:sim
    }

    It 'the connection says its platform' {
        (Get-DciConnection).Platform | Should -Be $Platform
    }

    It 'finds a free server' {
        $script:server = Get-DciServer -Free | Select-Object -First 1
        @($server).Count | Should -Be 1
        $server.IsFree | Should -BeTrue
        $server.Connection.Platform | Should -Be $Platform
    }

    It 'creates a user' {
        $script:user = New-DciUser -Email 'runbook@example.com' -FullName 'Run Book' -Password $pw
        $user.Email | Should -Be 'runbook@example.com'
        $user.Role | Should -Be 'User'
        @(Get-DciUser -Email 'runbook@example.com').Count | Should -Be 1
    }

    It 'assigns the server to the user' {
        $owned = $server | Set-DciServerOwner -User $user
        $owned.Id | Should -Be $server.Id
        $owned.OwnerEmail | Should -Be 'runbook@example.com'
        $owned.Name | Should -Be $server.Name
        @(Get-DciServer -Free | Where-Object Id -eq $server.Id).Count | Should -Be 0
    }

    It 'adds an address from the public pool' {
        $before = @($server | Get-DciIpAddress).Count
        $done = $server | Add-DciServerIp -Pool (Get-DciIpPool -Name public) -Family IPv4 | Wait-DciTask
        $done.Status | Should -Be 'complete'
        @($server | Get-DciIpAddress).Count | Should -Be ($before + 1)
    }

    It 'installs an OS and waits' {
        $template = Get-DciOsTemplate | Select-Object -First 1
        $done = $server | Install-DciServerOs -OsTemplateId $template.Id -RootPassword $rootPw -Force -Wait
        @($done).Count | Should -Be 1
        $done.Status | Should -Be 'complete'
        $done.ServerId | Should -Be $server.Id
        ($done | Format-List * | Out-String) | Should -Not -BeLike '*r00t-pass!*'
    }

    It 'resets the server and waits' {
        $done = $server | Invoke-DciPower -Action Reset -Force -Wait
        $done.Status | Should -Be 'complete'
        (Get-DciServer -Id $server.Id).PowerStatus | Should -Be 'on'
    }

    It 'releases the server and removes the user' {
        $released = $server | Remove-DciServerOwner
        $released.IsFree | Should -BeTrue
        $released.Name | Should -Be $server.Name
        $user | Remove-DciUser -Confirm:$false
        @(Get-DciUser -Email 'runbook@example.com').Count | Should -Be 0
    }
}

Describe 'DCImanager 5 connections' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 12 -OperationMs 200 -ExtraArgs @('--platform', 'dcimanager5', '--enable-control')
        $script:admin = [pscredential]::new('admin', (New-DciTestSecureString $sim.AdminPassword))
        $script:c5 = Connect-Dci -Uri $sim.Uri -Credential $admin -Platform DCImanager5 -PassThru
    }

    AfterAll {
        Disconnect-Dci -All -ErrorAction SilentlyContinue
        Stop-DciTestSimulator $script:sim
    }

    It 'an operation DCImanager 5 lacks here is one NotSupported error, and nothing is sent' {
        # Control calls are not counted: the count moves only when the module sends something.
        $stats = "$($sim.Uri)/_sim/stats"
        $before = (Invoke-RestMethod $stats).requests
        $err = $null
        try { Get-DciTask -ErrorAction Stop } catch { $err = $_ }
        (Invoke-RestMethod $stats).requests | Should -Be $before
        $err.FullyQualifiedErrorId | Should -BeLike 'Dci.NotSupported,*'
        $err.CategoryInfo.Category | Should -Be 'NotImplemented'
        $err.Exception.Message | Should -BeLike '*DCImanager5*'
        { Wait-DciTask -Id 3 -ErrorAction Stop } | Should -Throw -ErrorId 'Dci.NotSupported,*'
        # Tab completion sends DCImanager 6 list queries: on DCImanager 5 it offers nothing and sends nothing.
        $before = (Invoke-RestMethod $stats).requests
        @((TabExpansion2 -inputScript 'Get-DciServer -Name ' -cursorColumn 20).CompletionMatches).Count | Should -Be 0
        (Invoke-RestMethod $stats).requests | Should -Be $before
        { Get-DciServer -Sort 'name desc' -ErrorAction Stop } | Should -Throw -ErrorId 'Dci.NotSupported,*'
    }

    It 'serves racks, switches, switch ports (on/off) and PDUs' {
        $rack = Get-DciRack | Select-Object -First 1
        $rack.Name | Should -Not -BeNullOrEmpty
        $switch = Get-DciSwitch -Rack $rack.Name | Select-Object -First 1
        $switch.Rack.Name | Should -Be $rack.Name
        (Get-DciSwitch -Id $switch.Id).Id | Should -Be $switch.Id
        $port = $switch | Get-DciSwitchPort | Where-Object AdminStatus -eq 'up' | Select-Object -First 1
        $port.SwitchId | Should -Be $switch.Id
        ($port | Disable-DciSwitchPort -Confirm:$false).AdminStatus | Should -Be 'down'
        ($port | Enable-DciSwitchPort -Confirm:$false).AdminStatus | Should -Be 'up'
        @(Get-DciPdu).Count | Should -BeGreaterThan 0
        { Get-DciRack -Sort 'name' -ErrorAction Stop } | Should -Throw -ErrorId 'Dci.NotSupported,*'
    }

    It 'the neutral query narrows DCImanager 5 lists client-side: names with a [set], a rack object, a user by e-mail' {
        $all = @(Get-DciServer)
        $name = $all[0].Name
        $pattern = $name.Substring(0, $name.Length - 1).ToUpperInvariant() + '[' + $name[-1] + ']'
        $expected = @($all | Where-Object Name -like $pattern | ForEach-Object Id | Sort-Object)
        $expected.Count | Should -BeLessThan $all.Count
        @(Get-DciServer -Name $pattern | ForEach-Object Id | Sort-Object) | Should -Be $expected

        # A rack object narrows by its id (DCImanager 5 takes no filter: the engine checks it).
        $switches = @(Get-DciSwitch)
        $rack = Get-DciRack | Where-Object { $r = $_; @($switches | Where-Object { $_.Rack.Name -eq $r.Name }).Count -gt 0 } | Select-Object -First 1
        $inRack = @(Get-DciSwitch -Rack $rack)
        $inRack.Count | Should -BeLessThan $switches.Count
        $inRack.Count | Should -BeGreaterThan 0
        $inRack | ForEach-Object { $_.Rack.Id | Should -Be $rack.Id }

        $null = New-DciUser -Email 'leaving5@example.com' -FullName 'Leaving Five' -Password (ConvertTo-SecureString 'Str0ng-pass!' -AsPlainText -Force)
        Remove-DciUser -Email 'LEAVING5@example.com' -Confirm:$false
        @(Get-DciUser -Email 'leaving5@example.com').Count | Should -Be 0
    }

    It 'Invoke-DciRestMethod -Function returns the unwrapped doc; -Path is refused there' {
        $form = Invoke-DciRestMethod -Function server.edit -Parameter @{ elid = 3 }
        $form.elid.'$' | Should -Be '3'
        $form.name.'$' | Should -Not -BeNullOrEmpty
        { Invoke-DciRestMethod -Path dci/v3/server -ErrorAction Stop } | Should -Throw -ErrorId 'Dci.NotSupported,*'
    }

    It 'changing an owner keeps the name and notes of the server' {
        Invoke-DciRestMethod -Function server.edit -Parameter @{ elid = 4; sok = 'ok'; name = 'web-keep'; notes = 'rack note'; type = 'server'; owner = 'no_owner' } -Confirm:$false | Out-Null
        $user = Get-DciUser | Where-Object Email -ne 'admin' | Select-Object -First 1
        Set-DciServerOwner -ServerId 4 -User $user | Out-Null
        $form = Invoke-DciRestMethod -Function server.edit -Parameter @{ elid = 4 }
        $form.name.'$' | Should -Be 'web-keep'
        $form.notes.'$' | Should -Be 'rack note'
        $form.owner.'$' | Should -Be ([string]$user.Id)
        Remove-DciServerOwner -ServerId 4 | Out-Null
        (Invoke-DciRestMethod -Function server.edit -Parameter @{ elid = 4 }).notes.'$' | Should -Be 'rack note'
    }

    It 'an error doc in an HTTP 200 is an error record with the category of its type' {
        Get-DciServer -Id 999 -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Invoke-DciRestMethod -Function server.poweron -Parameter @{ elid = 'nope' } -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'Dci.Api.value,*'
        $refused[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'suspends and resumes with -Wait by the disabled flag' {
        (Suspend-DciServer -ServerId 5 -Wait).Status | Should -Be 'complete'
        (Get-DciServer -Id 5).State | Should -Be 'suspended'
        (Resume-DciServer -ServerId 5 -Wait).Status | Should -Be 'complete'
        (Get-DciServer -Id 5).State | Should -Not -Be 'suspended'
    }

    It 'connects with -AuthInfo (stateless) and on /manager/dcimgr; no secret reaches a trace' {
        $c = Connect-Dci -Uri "$($sim.Uri)/manager/dcimgr" -AuthInfo $admin -Platform DCImanager5 -NotDefault -PassThru
        $c.AuthMethod | Should -Be 'AuthInfo'
        $trace = Get-DciServer -Connection $c -Verbose -Debug 4>&1 5>&1 | Where-Object { $_ -is [System.Management.Automation.InformationalRecord] } | Out-String
        $trace | Should -BeLike '*manager/dcimgr*'
        $trace | Should -Not -BeLike "*$($sim.AdminPassword)*"
        @(Get-DciServer -Connection $c).Count | Should -Be 12
    }

    It 'a wrong password is an authentication error that does not repeat it' {
        $bad = [pscredential]::new('admin', (New-DciTestSecureString 'wrong-secret-123'))
        $err = $null
        try { Connect-Dci -Uri $sim.Uri -Credential $bad -Platform DCImanager5 -NotDefault } catch { $err = $_ }
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        ($err | Out-String) | Should -Not -BeLike '*wrong-secret-123*'
    }

    It 'New-DciLoginKey emits a sign-in link that works once' {
        $key = New-DciLoginKey -Email 'user01@example.com' -Confirm:$false -ErrorAction SilentlyContinue
        if (-not $key) { $key = Get-DciUser | Where-Object Email -eq 'user01' | New-DciLoginKey -Confirm:$false }
        $key.LoginUri.Query | Should -BeLike '*func=auth*'
        $answer = Invoke-RestMethod -Uri ($key.LoginUri.AbsoluteUri + '&out=json')
        $answer.doc.auth | Should -Not -BeNullOrEmpty
        "$key" | Should -Not -BeLike "*$($key.Key)*"
    }
}
