#Requires -Version 7.4
# openDCIM behind the same module (issue 13): both sign-ins, every inventory cmdlet, the pipelines, a create/update/delete
# cycle, the read-only user's refusals and the "Access Denied" page, against the simulator's openDCIM mode.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-DciTestModule
    $script:sim = Start-DciTestSimulator -Servers 0 -ExtraArgs '--platform', 'opendcim'
    $script:api = "$($sim.Uri)/api/v1"
    function script:Key([string]$text) { ConvertTo-SecureString $text -AsPlainText -Force }
    function script:Basic([string]$user, [string]$password) { [pscredential]::new($user, (Key $password)) }
    $script:admin = Connect-Dci -Platform OpenDcim -Uri $api -UserId dcadmin -ApiKey (Key 'dcadmin-key-7f3a9c') -PassThru
}

AfterAll {
    Disconnect-Dci -All -ErrorAction SilentlyContinue
    Stop-DciTestSimulator $script:sim
}

Describe 'Connect-Dci -Platform OpenDcim' {
    It 'connects with UserID/APIKey headers' {
        $admin.Platform | Should -Be 'OpenDcim'
        $admin.AuthMethod | Should -Be 'ApiKey'
        $admin.UserEmail | Should -Be 'dcadmin'
    }

    It 'connects with HTTP Basic' {
        $basic = Connect-Dci -Platform OpenDcim -Uri $api -Credential (Basic 'writer' 'writer-pass') -PassThru -NotDefault
        $basic.AuthMethod | Should -Be 'Basic'
        @(Get-DciDataCenter -Connection $basic).Count | Should -Be 2
        Disconnect-Dci -Connection $basic
    }

    It 'reports a refused API key ("Access Denied", HTTP 200) as an authentication error' {
        $err = $null
        try { Connect-Dci -Platform OpenDcim -Uri $api -UserId dcadmin -ApiKey (Key 'not-the-key-0000') -NotDefault -ErrorAction Stop }
        catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.FullyQualifiedErrorId | Should -BeLike 'Dci.Api.AccessDenied*'
        $err.Exception.Message | Should -Match 'Access Denied'
        $err.Exception.Message | Should -Not -Match 'not-the-key-0000'
    }

    It 'reports refused Basic credentials as an authentication error' {
        $err = $null
        try { Connect-Dci -Platform OpenDcim -Uri $api -Credential (Basic 'writer' 'wrong-pass-zz') -NotDefault -ErrorAction Stop }
        catch { $err = $_ }
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match '401'
    }

    It 'refuses DCImanager sign-ins on openDCIM and openDCIM sign-ins elsewhere, before any request' {
        { Connect-Dci -Platform OpenDcim -Uri $api -Token (Key 'x') -ErrorAction Stop } | Should -Throw '*openDCIM signs in*'
        { Connect-Dci -Uri $api -UserId a -ApiKey (Key 'x') -ErrorAction Stop } | Should -Throw '*-Platform OpenDcim*'
    }
}

Describe 'openDCIM inventory' {
    It 'lists data centers, by name too' {
        (Get-DciDataCenter).Name | Should -Be @('DC-East', 'DC-West')
        (Get-DciDataCenter -Name 'dc-w*').Id | Should -Be 2
        Get-DciDataCenter -Name Nowhere -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'lists cabinets of a piped data center, with -Location wildcards' {
        $cabinets = Get-DciDataCenter -Name DC-East | Get-DciCabinet
        $cabinets.Location | Should -Be @('A01', 'A02', 'A03')
        (Get-DciCabinet -DataCenter DC-West -Location 'W0[12]').Location | Should -Be @('W01', 'W02')
        $cabinets[0].Connection.Id | Should -Be $admin.Id
    }

    It 'runs Get-DciDataCenter | Get-DciCabinet | Get-DciDevice -DeviceType Server' {
        $servers = Get-DciDataCenter -Name DC-East | Get-DciCabinet | Get-DciDevice -DeviceType Server
        $servers.Count | Should -BeGreaterThan 3
        $servers.DeviceType | Sort-Object -Unique | Should -Be 'Server'
        $servers.Cabinet | Sort-Object -Unique | Should -Be @(1, 2, 3)
    }

    It 'matches -Label wildcards exactly (the server search is a substring one)' {
        $devices = Get-DciDevice -Label 'SRV-A01-*'
        $devices.Label | Should -Be @('SRV-A01-01', 'SRV-A01-02', 'SRV-A01-03')
        (Get-DciDevice -Label 'srv-a01-01').Id | Should -Be 3
        Get-DciDevice -Label 'NO-SUCH-BOX' -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'filters by id, cabinet, department, serial and asset tag' {
        (Get-DciDevice -Id 3).Label | Should -Be 'SRV-A01-01'
        $one = Get-DciDevice -Id 3
        (Get-DciDevice -SerialNo $one.SerialNo).Id | Should -Be 3
        (Get-DciDevice -AssetTag $one.AssetTag).Id | Should -Be 3
        (Get-DciDevice -Cabinet A01).Cabinet | Sort-Object -Unique | Should -Be 1
        $owned = Get-DciDepartment -Name 'IT Operations' | Get-DciDevice
        $owned.Owner | Sort-Object -Unique | Should -Be 1
    }

    It 'trims fields with -Property' {
        $d = Get-DciDevice -Id 3 -Property Label, Position
        $d.Label | Should -Be 'SRV-A01-01'
        $d.Position | Should -Be 1
        $d.Height | Should -BeNullOrEmpty
    }

    It 'lists departments' {
        (Get-DciDepartment).Name | Sort-Object | Should -Be @('Finance', 'IT Operations', 'Research', 'Web Hosting')
    }

    It 'lists people with Get-DciUser and never shows an APIKey' {
        $people = Get-DciUser
        $people.Count | Should -BeGreaterThan 5
        $text = ($people | Format-List * | Out-String) + ($people | ConvertTo-Json -Depth 5) + ($people | Format-Table | Out-String)
        $text | Should -Not -Match 'dcadmin-key-7f3a9c|viewer-key-2b81d0|writer-key-5c47e2'
        $text | Should -Not -Match 'APIKey'
    }

    It 'keeps every APIKey out of -Debug traces of GET /people (the answer shows them to a contact admin)' {
        $trace = Get-DciUser -Debug 5>&1 4>&1 *>&1 | Out-String
        $trace | Should -Match 'people'
        $trace | Should -Not -Match 'dcadmin-key-7f3a9c|viewer-key-2b81d0|writer-key-5c47e2'
    }

    It 'finds servers by name and by id with Get-DciServer' {
        (Get-DciServer -Name 'SRV-A02-*').Name | Should -Be @('SRV-A02-01', 'SRV-A02-02', 'SRV-A02-03')
        (Get-DciServer -Id 3).Name | Should -Be 'SRV-A01-01'
    }

    It 'lists servers with Get-DciServer: devices of type Server, as DciServer objects' {
        $servers = Get-DciServer
        $servers.Count | Should -Be @(Get-DciDevice -DeviceType Server).Count
        $srv = $servers | Where-Object Name -eq 'SRV-A01-01'
        $srv.Id | Should -Be 3
        $srv.Rack.Name | Should -Be 'A01'
        $srv.Unit | Should -Be 1
        $srv.AdditionalProperties.OwnerDepartment | Should -Be 'IT Operations'
        $srv.Connection.Platform | Should -Be 'OpenDcim'
    }

    It 'answers power, OS and owner cmdlets with Dci.NotSupported before any request' {
        foreach ($call in { Invoke-DciPower -ServerId 3 -Action On -Confirm:$false }, { Get-DciRack }, { Get-DciOsTemplate }) {
            $err = $null
            try { & $call -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'Dci.NotSupported*'
            $err.CategoryInfo.Category | Should -Be 'NotImplemented'
        }
    }
}

Describe 'create, update, delete' {
    It 'does nothing with -WhatIf' {
        $before = @(Get-DciDevice).Count
        New-DciDevice -Label 'pester-box-01' -Cabinet A02 -Position 30 -Height 1 -DeviceType Server -WhatIf | Should -BeNullOrEmpty
        Get-DciDevice -Id 3 | Set-DciDevice -Notes 'what if' -WhatIf | Should -BeNullOrEmpty
        Get-DciDevice -Id 3 | Remove-DciDevice -WhatIf
        @(Get-DciDevice).Count | Should -Be $before
        (Get-DciDevice -Id 3).Notes | Should -Not -Be 'what if'
    }

    It 'creates a device (label upper-cased), updates it, deletes it' {
        $d = New-DciDevice -Label 'pester-box-01' -Cabinet A02 -Position 30 -Height 1 -DeviceType Server -Owner Finance -SerialNo 'SN-PESTER-1'
        $d.Label | Should -Be 'PESTER-BOX-01'
        $d.Cabinet | Should -Be 2
        $d.Owner | Should -Be 2
        $d.Id | Should -BeOfType [long]
        $changed = $d | Set-DciDevice -Notes 'refreshed 2026' -Position 31
        $changed.Notes | Should -Be 'refreshed 2026'
        $changed.Position | Should -Be 31
        (Get-DciDevice -Id $d.Id).Notes | Should -Be 'refreshed 2026'
        $d | Remove-DciDevice -Confirm:$false
        Get-DciDevice -Id $d.Id -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It "runs Get-DciDevice -Label 'SRV-A01-*' | Set-DciDevice -Notes" {
        $out = Get-DciDevice -Label 'SRV-A01-*' | Set-DciDevice -Notes 'refreshed 2026'
        $out.Count | Should -Be 3
        (Get-DciDevice -Label 'SRV-A01-*').Notes | Sort-Object -Unique | Should -Be 'refreshed 2026'
    }

    It 'creates a department and a cabinet' {
        $dept = New-DciDepartment -Name 'Pester Dept' -Classification Customer
        $dept.Name | Should -Be 'Pester Dept'
        $dept.Id | Should -BeGreaterThan 4
        $cab = Get-DciDataCenter -Name DC-West | New-DciCabinet -Location W09 -Height 48 -AssignedTo $dept
        $cab.Location | Should -Be 'W09'
        $cab.DataCenterId | Should -Be 2
        $cab.CabinetHeight | Should -Be 48
        $cab.AssignedTo | Should -Be $dept.Id
    }

    It 'reports an existing department (an HTML 500 page) as one clear error record' {
        New-DciDepartment -Name 'Finance' -ErrorVariable e -ErrorAction SilentlyContinue
        $e.Count | Should -Be 1
        $e[0].Exception.Message | Should -Match 'Duplicate entry'
        $e[0].Exception.Message | Should -Match 'HTTP 500'
        $e[0].Exception.Message | Should -Not -Match '<'
    }
}

Describe 'the read-only user' {
    BeforeAll {
        $script:viewer = Connect-Dci -Platform OpenDcim -Uri $api -UserId viewer -ApiKey (Key 'viewer-key-2b81d0') -PassThru -NotDefault
    }

    It 'reads' {
        @(Get-DciDevice -Connection $viewer -Label 'SRV-A01-*').Count | Should -Be 3
    }

    It 'is refused an update (401) and a delete (403) as error records' {
        $d = Get-DciDevice -Connection $viewer -Id 4
        $d | Set-DciDevice -Notes 'nope' -ErrorVariable e1 -ErrorAction SilentlyContinue
        $e1[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $e1[0].Exception.Message | Should -Match 'Access Denied.*401'
        $d | Remove-DciDevice -Confirm:$false -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $e2[0].Exception.Message | Should -Match '403'
        (Get-DciDevice -Id 4).Notes | Should -Not -Be 'nope'
    }

    It 'sees no APIKey in -Debug traces' {
        $trace = Get-DciDevice -Connection $viewer -Id 4 -Debug 5>&1 4>&1 *>&1 | Out-String
        $trace | Should -Not -Match 'viewer-key-2b81d0'
    }
}

Describe 'New-DciUser on openDCIM (people)' {
    It 'creates a person with -UserId, reads it back, and keeps no APIKey' {
        New-DciUser -Connection $admin -UserId jdoe -FirstName Jane -LastName Doe -Email jane.doe@example.com -WhatIf | Should -BeNullOrEmpty
        @(Get-DciUser -Connection $admin | Where-Object FullName -eq 'Jane Doe').Count | Should -Be 0

        $person = New-DciUser -Connection $admin -UserId jdoe -FirstName Jane -LastName Doe -Email jane.doe@example.com
        $person | Should -BeOfType ([DciManager.Client.DciUser])
        $person.FullName | Should -Be 'Jane Doe'
        $person.Email | Should -Be 'jane.doe@example.com'
        $person.Connection.Id | Should -Be $admin.Id
        (Get-DciUser -Connection $admin | Where-Object Id -eq $person.Id).FullName | Should -Be 'Jane Doe'
        ($person | Format-List * | Out-String) | Should -Not -Match 'APIKey'
    }

    It 'reports a UserID that exists as the server refused it' {
        New-DciUser -Connection $admin -UserId viewer -FirstName Twice -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @($problems).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'Dci.Api.*,DciManager.Commands.NewDciUserCommand'
        "$($problems[0])" | Should -BeLike '*already*'
    }
}
