#Requires -Version 7.4
# README's first command: build.ps1 -Task Demo starts the simulator, opens a pwsh with the module imported and
# connected, and stops the simulator when that shell ends. The child shell reads its commands from stdin here.

Describe 'build.ps1 -Task Demo' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:repo = Get-DciRepoRoot
        $script:pwsh = [Environment]::ProcessPath
        $script:pwshArgs = @(if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -ne 'pwsh') { Join-Path $PSHOME 'pwsh.dll' })

        function script:Invoke-Demo([string[]]$Commands, [string[]]$Extra = @()) {
            $arguments = $pwshArgs + @('-NoProfile', '-File', (Join-Path $repo 'build.ps1'), '-Task', 'Demo', '-NoBuild') + $Extra
            $output = ($Commands + 'exit') -join "`n" | & $pwsh @arguments 2>&1 | ForEach-Object { "$_" }
            [pscustomobject]@{ Output = ($output -join "`n"); ExitCode = $LASTEXITCODE }
        }
    }

    It 'leaves the user connected, prints three commands to try, and stops the simulator on exit' {
        $result = Invoke-Demo @('"servers: $(@(Get-DciServer).Count)"', '"default: $((Get-DciConnection).UserEmail)"')
        $result.Output | Should -Match 'Simulator: http://127\.0\.0\.1:(\d+)'
        $port = [int]([regex]::Match($result.Output, 'Simulator: http://127\.0\.0\.1:(\d+)').Groups[1].Value)
        $result.Output | Should -Match 'servers: 48'
        $result.Output | Should -Match 'default: admin@example.com'
        ([regex]::Matches($result.Output, '(?m)^  (Get|Invoke)-Dci')).Count | Should -BeGreaterOrEqual 3
        $result.Output | Should -Match 'Simulator stopped'
        Test-DciTcpPort -Port $port | Should -BeFalse
    }

    It 'takes -Port, and says so clearly when the port is taken' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $busy = ([System.Net.IPEndPoint]$listener.LocalEndpoint).Port
            $result = Invoke-Demo @() @('-Port', "$busy")
            $result.ExitCode | Should -Not -Be 0
            $result.Output | Should -Match "Port $busy on 127.0.0.1 is already in use"
        }
        finally { $listener.Stop() }
    }
}
