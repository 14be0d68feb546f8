#Requires -Version 7.4
# Tab completion in the real shell: names a server chose are data, never code; lookups are small and cached.

Describe 'Tab completion' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-DciTestModule

        function Get-Completion([string]$Line) {
            (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
        }

        # Tab gives up after a short budget and the next Tab joins the lookup still under way.
        function Get-CompletionUntilAnswered([string]$Line) {
            for ($tab = 0; $tab -lt 40; $tab++) {
                $offered = @(Get-Completion $Line)
                if ($offered.Count -gt 0) { return $offered }
            }
            @()
        }
    }

    Context 'against a look-alike server that names its servers to break out of quotes' {
        BeforeAll {
            # Each name tries to end the single-quoted completion text and run a command.
            $script:hostileNames = @(
                "web-01$([char]0x2019); Set-Content pwned.txt x; $([char]0x2018)"
                "web-02'; Set-Content pwned.txt x; '"
                "web-03$([char]0x201A); Set-Content pwned.txt x; $([char]0x201B)"
                'web-04$(Set-Content pwned.txt x)'
                '-Force'
                "web 05`nSet-Content pwned.txt x"
            )
            $port = Get-DciFreeTcpPort
            $script:listener = [System.Net.HttpListener]::new()
            $listener.Prefixes.Add("http://127.0.0.1:$port/")
            $listener.Start()
            $serverList = @{ list = @(for ($i = 0; $i -lt $hostileNames.Count; $i++) { @{ id = $i + 1; name = $hostileNames[$i] } }); size = $hostileNames.Count } |
                ConvertTo-Json -Depth 4 -Compress
            $script:serverPs = [powershell]::Create()
            $null = $serverPs.AddScript({
                param($listener, $serverList)
                while ($listener.IsListening) {
                    try { $context = $listener.GetContext() } catch { break }
                    $path = $context.Request.Url.AbsolutePath
                    $status = 200
                    if ($path -like '*/auth/v4/public/token') { $status = 201; $body = '{"token":"look-alike-token","id":"1"}' }
                    elseif ($path -like '*/auth/v4/whoami') { $body = '{"id":1,"email":"admin@example.com","roles":["@admin"],"state":"active"}' }
                    elseif ($path -like '*/dci/v3/server') { $body = $serverList }
                    else { $status = 404; $body = '{"error":{"code":404,"msg":"not found","value":null}}' }
                    $bytes = [System.Text.Encoding]::UTF8.GetBytes($body)
                    $context.Response.StatusCode = $status
                    $context.Response.ContentType = 'application/json; charset=utf-8'
                    $context.Response.ContentLength64 = $bytes.Length
                    $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                    $context.Response.Close()
                }
            }).AddArgument($listener).AddArgument($serverList)
            $script:serverHandle = $serverPs.BeginInvoke()
            $script:hostile = Connect-Dci -Uri "http://127.0.0.1:$port" -Credential ([pscredential]::new('admin@example.com', (New-DciTestSecureString 'pw'))) -PassThru
        }

        AfterAll {
            Disconnect-Dci -All -ErrorAction SilentlyContinue
            $listener.Stop()
            $listener.Close()
            $serverPs.Dispose()
        }

        It 'completes every hostile name as one string argument equal to the name' {
            $offered = @(Get-CompletionUntilAnswered 'Get-DciServer -Name ')
            $offered.Count | Should -Be $hostileNames.Count
            foreach ($completion in $offered) {
                $line = 'Get-DciServer -Name ' + $completion.CompletionText
                $errors = $null
                $ast = [System.Management.Automation.Language.Parser]::ParseInput($line, [ref]$null, [ref]$errors)
                $errors | Should -BeNullOrEmpty -Because $line
                $ast.EndBlock.Statements.Count | Should -Be 1 -Because $line
                $command = $ast.EndBlock.Statements[0].PipelineElements
                $command.Count | Should -Be 1 -Because $line
                $command[0].CommandElements.Count | Should -Be 3 -Because $line
                $argument = $command[0].CommandElements[2]
                $argument | Should -BeOfType ([System.Management.Automation.Language.StringConstantExpressionAst]) -Because $line
                $argument.Value | Should -BeExactly $completion.ListItemText
            }
            @($offered.ListItemText | Sort-Object) | Should -Be @($hostileNames | Sort-Object)
        }

        It 'runs none of the hostile text when the completed line is run' {
            Push-Location -LiteralPath $TestDrive
            try {
                foreach ($completion in @(Get-CompletionUntilAnswered 'Get-DciServer -Name ')) {
                    $line = 'Get-DciServer -Name ' + $completion.CompletionText
                    $found = @(Invoke-Expression $line)
                    $found.Count | Should -Be 1 -Because $line
                    $found[0].Name | Should -BeExactly $completion.ListItemText
                }
                Test-Path -LiteralPath (Join-Path $TestDrive 'pwned.txt') | Should -BeFalse
            }
            finally {
                Pop-Location
            }
        }
    }

    Context 'against the simulator' {
        BeforeAll {
            $script:sim = Start-DciTestSimulator -Servers 3000 -ExtraArgs '--enable-control'
            Connect-Dci -Uri $sim.Uri -Credential $sim.Credential
            function Get-SimRequestCount { (Invoke-RestMethod -Uri "$($sim.Uri)/_sim/stats").requests }
        }

        AfterAll {
            Disconnect-Dci -All -ErrorAction SilentlyContinue
            Stop-DciTestSimulator $script:sim
        }

        It 'asks once for the typed prefix and answers a narrower one from the complete wider list' {
            $before = Get-SimRequestCount
            $names = @(Get-CompletionUntilAnswered 'Get-DciServer -Name web-01')
            $names.Count | Should -BeGreaterThan 0
            $names.Count | Should -BeLessThan 100
            $names | ForEach-Object { $_.ListItemText | Should -BeLike 'web-01*' }
            (Get-SimRequestCount) - $before | Should -Be 1

            $narrower = @(Get-Completion 'Get-DciServer -Name web-010')
            $narrower.Count | Should -BeGreaterThan 0
            $narrower | ForEach-Object { $_.ListItemText | Should -BeLike 'web-010*' }
            $again = @(Get-Completion 'Get-DciServer -Name web-01')
            $again.Count | Should -Be $names.Count
            (Get-SimRequestCount) - $before | Should -Be 1
        }

        It 'offers at most 100 names for an empty word on a big panel, in one request' {
            $before = Get-SimRequestCount
            $names = @(Get-CompletionUntilAnswered 'Get-DciServer -Name ')
            $names.Count | Should -Be 100
            (Get-SimRequestCount) - $before | Should -Be 1
        }
    }
}
