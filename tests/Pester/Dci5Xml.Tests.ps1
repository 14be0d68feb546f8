#Requires -Version 7.4
# DCImanager 5 in XML mode: Connect-Dci -Dci5Format Xml against the DCImanager 5 simulator, and the cmdlets on it.

Describe 'DCImanager 5 connections in XML mode' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule
        $script:sim = Start-DciTestSimulator -Servers 12 -OperationMs 200 -ExtraArgs @('--platform', 'dcimanager5')
        $script:admin = [pscredential]::new('admin', (New-DciTestSecureString $sim.AdminPassword))
        $script:cx = Connect-Dci -Uri $sim.Uri -Credential $admin -Platform DCImanager5 -Dci5Format Xml -PassThru
    }

    AfterAll {
        Disconnect-Dci -All -ErrorAction SilentlyContinue
        Stop-DciTestSimulator $script:sim
    }

    It 'asks out=xml on every call, reads the XML answers, and no secret reaches the trace' {
        $trace = Get-DciServer -Verbose -Debug 4>&1 5>&1 | Where-Object { $_ -is [System.Management.Automation.InformationalRecord] } | Out-String
        $trace | Should -BeLike '*out=xml*'
        $trace | Should -Not -BeLike '*out=json*'
        $trace | Should -BeLike '*body: <?xml*'
        $trace | Should -Not -BeLike "*$($sim.AdminPassword)*"
        $servers = @(Get-DciServer)
        $servers.Count | Should -Be 12
        $servers | ForEach-Object { $_.PowerStatus | Should -BeIn @('on', 'off') }
        $servers | ForEach-Object { $_.Connection | Should -Be $cx }
    }

    It 'runs Connect-Dci example 6: Get-DciServer | Invoke-DciPower -Action Reset -Wait' {
        $done = @(Get-DciServer | Select-Object -First 2 | Invoke-DciPower -Action Reset -Wait -Force)
        $done.Count | Should -Be 2
        $done | ForEach-Object { $_.Status | Should -Be 'complete' }
        (Get-DciServer -Id $done[0].ServerId).PowerStatus | Should -Be 'on'
    }

    It 'an XML error doc in HTTP 200 is an error record of its kind' {
        $err = $null
        try { Invoke-DciPower -ServerId 999 -Action On -Force -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.ErrorType | Should -Be 'value'
    }

    It 'Invoke-DciRestMethod -Function returns the unwrapped doc read from XML' {
        $form = Invoke-DciRestMethod -Function server.edit -Parameter @{ elid = 1 }
        $form.name.'$' | Should -Not -BeNullOrEmpty
    }

    It '-Dci5Format with another platform is refused before anything is sent' {
        { Connect-Dci -Uri $sim.Uri -Credential $admin -Dci5Format Xml -NotDefault -ErrorAction Stop } |
            Should -Throw -ErrorId 'Dci.InvalidParameter,*'
    }
}
