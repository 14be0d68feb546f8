#Requires -Version 7.4
<#
    Helpers shared by the Pester suite (and by build.ps1 -Task Demo):
    - Get-DciRepoRoot          the repository root (two levels above this folder)
    - Import-DciTestModule     imports the built module from out/DciManager/DciManager.psd1 (globally)
    - Start-DciTestSimulator   starts DciManager.Simulator on a free loopback port and waits until it listens
    - Stop-DciTestSimulator    stops a simulator started by Start-DciTestSimulator
    - New-DciTestSecureString  a SecureString from plain text (test data only)
#>
Set-StrictMode -Version 3.0

function Get-DciRepoRoot {
    [CmdletBinding()]
    [OutputType([string])]
    param()
    (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
}

function Get-DciModuleManifestPath {
    [CmdletBinding()]
    [OutputType([string])]
    param()
    Join-Path (Get-DciRepoRoot) 'out' 'DciManager' 'DciManager.psd1'
}

function Get-DciSimulatorPath {
    [CmdletBinding()]
    [OutputType([string])]
    param()
    if ($env:DCI_SIMULATOR_DLL) { return $env:DCI_SIMULATOR_DLL }
    Join-Path (Get-DciRepoRoot) 'src' 'DciManager.Simulator' 'bin' 'Release' 'net8.0' 'DciManager.Simulator.dll'
}

function Import-DciTestModule {
    <#
        Imports out/DciManager/DciManager.psd1 into the global session state, so the cmdlets are visible
        to the test scripts (an import from inside this module would otherwise stay private to it).
    #>
    [CmdletBinding()]
    param()
    $manifest = Get-DciModuleManifestPath
    if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
        throw "The built module is missing: '$manifest' does not exist. Run 'dotnet build DciManager.PowerShell.sln -c Release' (or ./build.ps1) in '$(Get-DciRepoRoot)' first."
    }
    $expectedBase = Split-Path -Parent $manifest
    $loaded = @(Get-Module -Name DciManager)
    foreach ($module in $loaded) {
        if ([System.IO.Path]::GetFullPath($module.ModuleBase).TrimEnd([char[]]'\/') -ne [System.IO.Path]::GetFullPath($expectedBase).TrimEnd([char[]]'\/')) {
            throw "Another DciManager module is already loaded from '$($module.ModuleBase)'. Start a new pwsh session to test the module in '$expectedBase'."
        }
    }
    if ($loaded.Count -eq 0) {
        Import-Module -Name $manifest -Global -ErrorAction Stop
    }
}

function New-DciTestSecureString {
    [CmdletBinding()]
    [OutputType([securestring])]
    param([Parameter(Mandatory)][string]$PlainText)
    ConvertTo-SecureString -String $PlainText -AsPlainText -Force
}

function Get-DciFreeTcpPort {
    [CmdletBinding()]
    [OutputType([int])]
    param()
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try {
        ([System.Net.IPEndPoint]$listener.LocalEndpoint).Port
    }
    finally {
        $listener.Stop()
    }
}

function Test-DciTcpPort {
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory)][int]$Port)
    $client = [System.Net.Sockets.TcpClient]::new()
    try {
        $attempt = $client.ConnectAsync([System.Net.IPAddress]::Loopback, $Port)
        if (-not $attempt.Wait(1000)) { return $false }
        return $client.Connected
    }
    catch {
        return $false
    }
    finally {
        $client.Dispose()
    }
}

function ConvertTo-DciArgumentString {
    # Start-Process joins -ArgumentList with spaces without quoting; quote what needs it.
    param([string[]]$Arguments)
    $quoted = foreach ($argument in $Arguments) {
        if ($argument -eq '' -or $argument -match '[\s"]') { '"' + ($argument -replace '"', '\"') + '"' } else { $argument }
    }
    $quoted -join ' '
}

function Get-DciSimulatorLog {
    param($Simulator)
    $text = foreach ($path in @($Simulator.LogPath, $Simulator.ErrorLogPath)) {
        if ($path -and (Test-Path -LiteralPath $path)) { Get-Content -LiteralPath $path -Raw -ErrorAction SilentlyContinue }
    }
    ($text | Where-Object { $_ }) -join [Environment]::NewLine
}

function Start-DciTestSimulator {
    <#
        Starts DciManager.Simulator (dotnet from PATH) on 127.0.0.1 and waits until the port accepts TCP
        connections. Returns [pscustomobject]@{ Uri; Process; Credential; LogPath; ErrorLogPath; Port; AdminPassword }.
    #>
    [CmdletBinding()]
    param(
        [ValidateRange(0, 1000000)]
        [int]$Servers = 48,

        [ValidateRange(0, 3600000)]
        [int]$OperationMs = 150,

        [string[]]$ExtraArgs = @(),

        # 0 picks a free loopback port.
        [ValidateRange(0, 65535)]
        [int]$Port = 0,

        # Empty: a random password for this run.
        [string]$AdminPassword = '',

        [ValidateRange(1, 600)]
        [int]$TimeoutSeconds = 60,

        # Starts after a lost race for a picked port (internal).
        [Parameter(DontShow)]
        [ValidateRange(1, 5)]
        [int]$Attempt = 1
    )

    $dll = Get-DciSimulatorPath
    if (-not (Test-Path -LiteralPath $dll -PathType Leaf)) {
        throw "The simulator is not built: '$dll' does not exist. Run 'dotnet build DciManager.PowerShell.sln -c Release' in '$(Get-DciRepoRoot)' first."
    }
    $dotnet = Get-Command -Name dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $dotnet) {
        throw "dotnet is not on PATH; the simulator needs the .NET 8 (or later) runtime with ASP.NET Core."
    }

    $portWasPicked = $Port -eq 0
    if ($portWasPicked) {
        $Port = Get-DciFreeTcpPort
    }
    elseif (Test-DciTcpPort -Port $Port) {
        throw "Port $Port on 127.0.0.1 is already in use; stop what listens there or choose another port."
    }
    if (-not $AdminPassword) {
        $AdminPassword = 'pester-' + [guid]::NewGuid().ToString('N').Substring(0, 16)
    }

    $uri = "http://127.0.0.1:$Port"
    $stamp = [guid]::NewGuid().ToString('N').Substring(0, 8)
    $logPath = Join-Path ([System.IO.Path]::GetTempPath()) "dci-simulator-$Port-$stamp.log"
    $errorLogPath = Join-Path ([System.IO.Path]::GetTempPath()) "dci-simulator-$Port-$stamp.err.log"

    $arguments = @(
        $dll
        '--urls', $uri
        '--admin-password', $AdminPassword
        '--servers', [string]$Servers
        '--operation-ms', [string]$OperationMs
    ) + @($ExtraArgs | Where-Object { $null -ne $_ })

    $process = Start-Process -FilePath $dotnet.Source `
        -ArgumentList (ConvertTo-DciArgumentString $arguments) `
        -WorkingDirectory (Split-Path -Parent $dll) `
        -RedirectStandardOutput $logPath `
        -RedirectStandardError $errorLogPath `
        -NoNewWindow -PassThru

    $simulator = [pscustomobject]@{
        Uri           = $uri
        Process       = $process
        Credential    = [pscredential]::new('admin@example.com', (New-DciTestSecureString $AdminPassword))
        LogPath       = $logPath
        ErrorLogPath  = $errorLogPath
        Port          = $Port
        AdminPassword = $AdminPassword
    }

    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        # Ready when this process says it listens: a port that accepts could be another simulator's, when two
        # started side by side picked the same free port (the loser exits with "cannot listen").
        if ((Test-DciTcpPort -Port $Port) -and (Select-String -LiteralPath $logPath -Pattern 'Press Ctrl+C to stop.' -SimpleMatch -Quiet -ErrorAction SilentlyContinue)) { break }
        if ($process.HasExited) {
            $log = Get-DciSimulatorLog $simulator
            if ($portWasPicked -and $Attempt -lt 5 -and $log -match 'cannot listen') {
                Stop-DciTestSimulator -Simulator $simulator
                $again = @{} + $PSBoundParameters
                $again.Remove('Port')
                $again.Attempt = $Attempt + 1
                return Start-DciTestSimulator @again
            }
            throw "The simulator exited (code $($process.ExitCode)) before listening on $uri. Its output:$([Environment]::NewLine)$log"
        }
        if ([DateTime]::UtcNow -gt $deadline) {
            $log = Get-DciSimulatorLog $simulator
            Stop-DciTestSimulator -Simulator $simulator -KeepLog
            throw "The simulator did not listen on $uri within $TimeoutSeconds s. Its output:$([Environment]::NewLine)$log"
        }
        Start-Sleep -Milliseconds 200
    }
    $simulator
}

function Stop-DciTestSimulator {
    <# Kills a simulator started by Start-DciTestSimulator (a $null simulator is ignored) and deletes its logs unless -KeepLog. #>
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipeline)]
        [AllowNull()]
        [object]$Simulator,

        [switch]$KeepLog
    )
    process {
        if ($null -eq $Simulator) { return }
        $process = $Simulator.Process
        if ($null -ne $process) {
            try {
                if (-not $process.HasExited) {
                    $process.Kill($true)
                    $null = $process.WaitForExit(10000)
                }
            }
            catch {
                Write-Warning "Could not stop the simulator process $($process.Id): $($_.Exception.Message)"
            }
        }
        if (-not $KeepLog) {
            foreach ($path in @($Simulator.LogPath, $Simulator.ErrorLogPath)) {
                if ($path -and (Test-Path -LiteralPath $path)) { Remove-Item -LiteralPath $path -Force -ErrorAction SilentlyContinue }
            }
        }
    }
}

Export-ModuleMember -Function Get-DciRepoRoot, Get-DciModuleManifestPath, Get-DciSimulatorPath, Import-DciTestModule,
    New-DciTestSecureString, Get-DciFreeTcpPort, Test-DciTcpPort, Start-DciTestSimulator, Stop-DciTestSimulator, Get-DciSimulatorLog
