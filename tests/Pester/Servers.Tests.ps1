#Requires -Version 7.4
# The foundation journey: listing and filtering servers, configurations, IP networks and pools, the raw API.

Describe 'Servers' {
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

    Context 'Get-DciServer' {
        It 'lists every server as DciServer objects that know their connection' {
            $all.Count | Should -Be 48
            $all | ForEach-Object { $_ | Should -BeOfType ([DciManager.Client.DciServer]) }
            @($all.Id | Sort-Object -Unique).Count | Should -Be 48
            $all | ForEach-Object { $_.Connection | Should -Not -BeNullOrEmpty }
        }

        It 'narrows by -State on the server (where state CP) and matches the exact pattern' {
            $byState = @($all | Group-Object State)
            $byState.Count | Should -BeGreaterThan 1
            foreach ($group in $byState) {
                $found = @(Get-DciServer -State $group.Name -Verbose 4>&1)
                $trace = @($found | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
                $servers = @($found | Where-Object { $_ -is [DciManager.Client.DciServer] })
                $servers.Count | Should -Be $group.Count
                ($trace -join "`n") | Should -Match "where=state CP '%$($group.Name)%'"
            }
            @(Get-DciServer -State 'nosuchstate*').Count | Should -Be 0
        }

        It 'stops after Select-Object -First 3 with -Free -Configuration' {
            $free = @(Get-DciServer -Free -Configuration 'i9-9900K*' | Select-Object -First 3)
            $free.Count | Should -Be 3
            foreach ($server in $free) {
                $server.OwnerEmail | Should -BeNullOrEmpty
                $server.IsFree | Should -BeTrue
                $server.Configuration | Should -BeLike 'i9-9900K*'
            }
        }

        It 'returns every free server of a configuration with -Free -Configuration' {
            $free = @(Get-DciServer -Free -Configuration 'i9-9900K*')
            $expected = @($all | Where-Object { $_.IsFree -and $_.Configuration -like 'i9-9900K*' })
            $free.Count | Should -Be $expected.Count
            $free.Count | Should -BeGreaterThan 0
        }

        It 'filters by name with a wildcard' {
            $web = @(Get-DciServer -Name web*)
            $web.Count | Should -BeGreaterThan 0
            $web | ForEach-Object { $_.Name | Should -BeLike 'web*' }
            $web.Count | Should -Be @($all | Where-Object Name -like 'web*').Count
        }

        It 'finds one server by its exact name' {
            $name = $all[0].Name
            $found = @(Get-DciServer -Name $name)
            $found.Count | Should -Be 1
            $found[0].Id | Should -Be $all[0].Id
        }

        It 'treats filter syntax in a name as a literal value' {
            @(Get-DciServer -Name "x' OR name CP '%").Count | Should -Be 0
        }

        It 'gets servers by -Id' {
            $server = Get-DciServer -Id 5
            @($server).Count | Should -Be 1
            $server.Id | Should -Be 5
            (@(Get-DciServer -Id 3, 5).Id -join ',') | Should -Be '3,5'
        }

        It 'gets the server of a task piped by its ServerId' {
            # A task names itself by Id and its server by ServerId: piping it must reach the server.
            $task = Get-DciServer -Id 7 | Invoke-DciPower -Action On -Confirm:$false
            @($task).Count | Should -Be 1
            $task | Should -BeOfType ([DciManager.Client.DciTask])
            $task.ServerId | Should -Be 7
            $task.Id | Should -Not -Be 7
            ($task | Get-DciServer).Id | Should -Be 7
            $null = $task | Wait-DciTask
        }

        It 'sorts with -Sort' {
            $ids = @((Get-DciServer -Sort 'id desc').Id)
            $ids.Count | Should -Be 48
            $ids[0] | Should -Be 48
            ($ids -join ',') | Should -Be ((@($ids | Sort-Object -Descending)) -join ',')
        }

        It 'passes a raw where expression with -Filter' {
            $dc2 = @(Get-DciServer -Filter 'location_id EQ 2')
            $dc2.Count | Should -BeGreaterThan 0
            $dc2.Count | Should -BeLessThan 48
            $dc2 | ForEach-Object { $_.LocationId | Should -Be 2 }
            $dc2.Count | Should -Be @($all | Where-Object LocationId -eq 2).Count
        }

        It 'combines -Filter with the other filters' {
            $both = @(Get-DciServer -Free -Filter 'location_id EQ 2')
            $both.Count | Should -Be @($all | Where-Object { $_.IsFree -and $_.LocationId -eq 2 }).Count
        }

        It 'writes a non-terminating 404 error for an unknown -Id and goes on with the others' {
            $result = @(Get-DciServer -Id 999999 -ErrorVariable problems -ErrorAction SilentlyContinue)
            $result.Count | Should -Be 0
            @($problems).Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeExactly 'Dci.Api.404,DciManager.Commands.GetDciServerCommand'
            $problems[0].CategoryInfo.Category.ToString() | Should -Be 'ObjectNotFound'

            $mixed = @(Get-DciServer -Id 3, 999999, 5 -ErrorVariable problems2 -ErrorAction SilentlyContinue)
            ($mixed.Id -join ',') | Should -Be '3,5'
            @($problems2).Count | Should -Be 1
        }

        It 'refuses a malformed raw filter with an invalid-argument error' {
            $record = $null
            try {
                $null = Get-DciServer -Filter 'name EQQ 1' -ErrorAction Stop
            }
            catch {
                $record = $_
            }
            $record | Should -Not -BeNullOrEmpty
            $record.FullyQualifiedErrorId | Should -BeLike 'Dci.Api.400*'
            $record.CategoryInfo.Category.ToString() | Should -Be 'InvalidArgument'
        }

        It 'refuses an empty name before sending anything' {
            { Get-DciServer -Name '' } | Should -Throw
        }
    }

    Context 'Formatting' {
        It 'formats servers as a table without errors' {
            { Get-DciServer | Format-Table | Out-String } | Should -Not -Throw
            $text = Get-DciServer | Format-Table | Out-String -Width 250
            $text | Should -Not -BeNullOrEmpty
            $text | Should -BeLike "*$($all[0].Name)*"
        }

        It 'formats servers as a list without errors' {
            { Get-DciServer -Id 1 | Format-List | Out-String } | Should -Not -Throw
        }

        It 'formats configurations, networks and pools without errors' {
            { Get-DciServerConfiguration | Format-Table | Out-String } | Should -Not -Throw
            { Get-DciIpNetwork | Format-Table | Out-String } | Should -Not -Throw
            { Get-DciIpPool | Format-Table | Out-String } | Should -Not -Throw
        }
    }

    Context 'Get-DciServerConfiguration' {
        It 'lists configurations with the number of free servers of each' {
            $configurations = @(Get-DciServerConfiguration)
            $configurations.Count | Should -BeGreaterThan 0
            $configurations | ForEach-Object { $_ | Should -BeOfType ([DciManager.Client.DciServerConfiguration]) }
            $configurations.Configuration | Should -Contain 'i9-9900K-64Gb-2x1024NVMe'
            $configurations.Configuration | Should -Contain 'E-2146G-64Gb-1920SSD-3840SSD'

            $freeTotal = ($configurations | Measure-Object -Property FreeServerCount -Sum).Sum
            $freeTotal | Should -Be @($all | Where-Object IsFree).Count

            $i9 = $configurations | Where-Object Configuration -eq 'i9-9900K-64Gb-2x1024NVMe'
            $i9.FreeServerCount | Should -Be @($all | Where-Object { $_.IsFree -and $_.Configuration -eq 'i9-9900K-64Gb-2x1024NVMe' }).Count
        }

        It 'filters by a configuration wildcard and by -Available' {
            $e2146 = @(Get-DciServerConfiguration -Configuration 'E-2146G*')
            $e2146.Count | Should -Be 1
            $e2146[0].Configuration | Should -Be 'E-2146G-64Gb-1920SSD-3840SSD'
            Get-DciServerConfiguration -Available | ForEach-Object { $_.FreeServerCount | Should -BeGreaterThan 0 }
        }
    }

    Context 'IP networks and pools' {
        It 'lists IP networks' {
            $networks = @(Get-DciIpNetwork)
            $networks.Count | Should -BeGreaterThan 0
            $networks | ForEach-Object { $_ | Should -BeOfType ([DciManager.Client.DciIpNetwork]) }
            $networks | ForEach-Object { $_.Name | Should -Not -BeNullOrEmpty }
            $first = @(Get-DciIpNetwork -Name $networks[0].Name)
            $first.Count | Should -Be 1
            $first[0].Id | Should -Be $networks[0].Id
            @(Get-DciIpNetwork -Id $networks[0].Id).Count | Should -Be 1
        }

        It 'lists IP pools, among them public, private, ipmi and tiny' {
            $pools = @(Get-DciIpPool)
            $pools | ForEach-Object { $_ | Should -BeOfType ([DciManager.Client.DciIpPool]) }
            foreach ($name in 'public', 'private', 'ipmi', 'tiny') {
                $pools.Name | Should -Contain $name
            }
            $public = @(Get-DciIpPool -Name public)
            $public.Count | Should -Be 1
            $public[0].Name | Should -Be 'public'
        }
    }

    Context 'Invoke-DciRestMethod' {
        It 'returns the list envelope of a raw GET with size and list' {
            $response = Invoke-DciRestMethod -Method Get -Path 'dci/v3/server' -Query @{ where = 'owner_email IS null' }
            @($response).Count | Should -Be 1
            $response.size | Should -Be @($all | Where-Object IsFree).Count
            @($response.list).Count | Should -BeGreaterThan 0
            @($response.list).Count | Should -BeLessOrEqual $response.size
            $response.list | ForEach-Object { $_.owner_email | Should -BeNullOrEmpty }
        }

        It 'passes a limit in the query' {
            $response = Invoke-DciRestMethod -Path 'dci/v3/server' -Query @{ limit = '0,5' }
            @($response.list).Count | Should -Be 5
            $response.size | Should -Be 48
        }

        It 'refuses a path outside the API pattern before sending anything' {
            { Invoke-DciRestMethod -Path 'not a path' } | Should -Throw
        }
    }
}
