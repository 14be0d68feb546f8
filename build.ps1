#!/usr/bin/env pwsh
#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packages or demonstrates DciManager.PowerShell.

.DESCRIPTION
    A thin wrapper over the dotnet CLI: everything it does can also be done with dotnet alone.
      Build    dotnet build DciManager.PowerShell.sln -c Release   (assembles the module in out/DciManager/)
      Test     Build, then dotnet test (xunit) and tests/Pester/Invoke-Pester.ps1 (Pester 5, in a child pwsh)
      Package  Build, then dotnet pack src/DciManager.PowerShell -o out/package (the PowerShell Gallery package)
      Demo     Build, start the simulator on http://127.0.0.1:5080, import the module, connect and list servers;
               the simulator keeps running afterwards

.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string]$Task = 'Build',

    [string]$Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
# Native commands are checked by exit code below, one by one.
$PSNativeCommandUseErrorActionPreference = $false

$RepoRoot = $PSScriptRoot
$Solution = Join-Path $RepoRoot 'DciManager.PowerShell.sln'
$ModuleManifest = Join-Path $RepoRoot 'out' 'DciManager' 'DciManager.psd1'

function Invoke-Native {
    <# Runs a native command in the repository root and throws when its exit code is not 0. #>
    param(
        [Parameter(Mandatory)][string]$FilePath,
        [string[]]$ArgumentList = @()
    )
    Write-Host "> $FilePath $($ArgumentList -join ' ')" -ForegroundColor Cyan
    Push-Location -LiteralPath $RepoRoot
    try {
        & $FilePath @ArgumentList | Out-Host
        $code = $LASTEXITCODE
    }
    finally {
        Pop-Location
    }
    if ($code -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $code."
    }
}

function Assert-Dotnet {
    if (-not (Get-Command -Name dotnet -CommandType Application -ErrorAction SilentlyContinue)) {
        throw 'dotnet is not on PATH. Install the .NET SDK pinned in global.json.'
    }
}

function Assert-Release([string]$What) {
    if ($Configuration -ne 'Release') {
        throw "$What needs the Release build (out/DciManager/ and the simulator under bin/Release); run with -Configuration Release."
    }
}

function Invoke-Build {
    Assert-Dotnet
    Invoke-Native dotnet @('build', $Solution, '-c', $Configuration, '-nologo')
    if ($Configuration -eq 'Release') {
        if (-not (Test-Path -LiteralPath $ModuleManifest -PathType Leaf)) {
            throw "The build succeeded but did not assemble the module: '$ModuleManifest' is missing."
        }
        Write-Host "Module: $(Split-Path -Parent $ModuleManifest)" -ForegroundColor Green
    }
    else {
        Write-Warning "Only Release builds assemble out/DciManager/; this $Configuration build did not."
    }
}

function Invoke-Test {
    Assert-Release 'Test'
    Invoke-Build
    $failures = @()

    try {
        Invoke-Native dotnet @('test', $Solution, '-c', $Configuration, '--no-build', '-nologo')
    }
    catch {
        $failures += "xunit: $($_.Exception.Message)"
    }

    # A child pwsh, so the module's assemblies are not loaded (and locked) in this session.
    $pwsh = (Get-Process -Id $PID).Path
    if (-not $pwsh) { $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh') }
    $pester = Join-Path $RepoRoot 'tests' 'Pester' 'Invoke-Pester.ps1'
    try {
        Invoke-Native $pwsh @('-NoProfile', '-NonInteractive', '-File', $pester)
    }
    catch {
        $failures += "Pester: $($_.Exception.Message)"
    }

    if ($failures.Count -gt 0) {
        throw "Tests failed:$([Environment]::NewLine)$($failures -join [Environment]::NewLine)"
    }
    Write-Host 'All tests passed.' -ForegroundColor Green
}

function Invoke-Package {
    Invoke-Build
    $packageDirectory = Join-Path $RepoRoot 'out' 'package'
    if (Test-Path -LiteralPath $packageDirectory) {
        Remove-Item -LiteralPath $packageDirectory -Recurse -Force
    }
    Invoke-Native dotnet @('pack', (Join-Path $RepoRoot 'src' 'DciManager.PowerShell'), '-c', $Configuration, '-o', $packageDirectory, '-nologo')
    $packages = @(Get-ChildItem -LiteralPath $packageDirectory -Filter '*.nupkg' -File -ErrorAction SilentlyContinue)
    if ($packages.Count -eq 0) {
        throw "dotnet pack produced no .nupkg in '$packageDirectory'."
    }
    Write-Host 'Packages:' -ForegroundColor Green
    $packages | Sort-Object Name | ForEach-Object { Write-Host ("  {0}  ({1:N0} bytes)" -f $_.FullName, $_.Length) }
}

function Invoke-Demo {
    Assert-Release 'Demo'
    Invoke-Build

    $port = 5080
    $adminPassword = 'demo-password'
    Import-Module (Join-Path $RepoRoot 'tests' 'Pester' 'TestHelpers.psm1') -Force
    $simulator = Start-DciTestSimulator -Port $port -AdminPassword $adminPassword -OperationMs 2000
    Write-Host "Simulator listening on $($simulator.Uri) (process $($simulator.Process.Id), log $($simulator.LogPath))." -ForegroundColor Green

    try {
        Import-Module $ModuleManifest -Global
        Connect-Dci -Uri $simulator.Uri -Credential $simulator.Credential

        Write-Host ''
        Write-Host 'PS> Get-DciServer | Select-Object -First 5 | Format-Table' -ForegroundColor Cyan
        Get-DciServer | Select-Object -First 5 | Format-Table | Out-Host

        Write-Host 'PS> Get-DciServerConfiguration' -ForegroundColor Cyan
        Get-DciServerConfiguration | Format-Table | Out-Host
    }
    catch {
        Stop-DciTestSimulator $simulator -KeepLog
        throw
    }

    Write-Host "The simulator keeps running at $($simulator.Uri) (admin@example.com / $adminPassword); operations take 2 s."
    Write-Host 'Try it:'
    Write-Host "  Import-Module $ModuleManifest"
    Write-Host "  Connect-Dci -Uri $($simulator.Uri) -Credential (Get-Credential admin@example.com)"
    Write-Host '  Get-DciServer -Name web* | Invoke-DciPower -Action Reset -Wait'
    Write-Host 'If you ran ./build.ps1 in this pwsh session, the module is imported here and connected already.'
    Write-Host "Stop the simulator with: Stop-Process -Id $($simulator.Process.Id)" -ForegroundColor Yellow
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Package' { Invoke-Package }
    'Demo' { Invoke-Demo }
}
