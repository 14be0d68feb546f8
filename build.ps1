#!/usr/bin/env pwsh
#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packages or demonstrates DciManager.PowerShell.

.DESCRIPTION
    A thin wrapper over the dotnet CLI: everything it does can also be done with dotnet alone.
      Build    dotnet build DciManager.PowerShell.sln -c Release   (assembles the module in out/DciManager/)
      Test     Build, then dotnet test (xunit) and tests/Pester/Invoke-Pester.ps1 (Pester, in a child pwsh);
               ends with one line "N passed, N failed" over both
      Package  Build, then dotnet pack src/DciManager.PowerShell -o out/package (the PowerShell Gallery package)
      Demo     Build, start the simulator on a free loopback port (or -Port), and open an interactive pwsh
               with the module imported and connected; leaving that shell stops the simulator

    pwsh may be the repository's pinned .NET tool: `dotnet tool restore`, then `dotnet pwsh ./build.ps1`.

.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Test
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo -Port 5080
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string]$Task = 'Build',

    [string]$Configuration = 'Release',

    # Demo: the simulator's port on 127.0.0.1 (0, the default, picks a free one).
    [ValidateRange(0, 65535)]
    [int]$Port = 0,

    # Demo and Test: use what the last Release build assembled (the test suite checks the demo this way).
    [switch]$NoBuild
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

function Get-PwshCommand {
    <#
        How to start a child pwsh like this one: the pwsh executable, or, when pwsh runs as a .NET tool
        (the process is dotnet), dotnet with this pwsh's pwsh.dll.
    #>
    $process = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'pwsh') { return @($process) }
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if (Test-Path -LiteralPath $dll -PathType Leaf) { return @($process, $dll) }
    @(Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh'))
}

function Invoke-Counted {
    <#
        Runs a test command, echoing its output, and returns @{ Passed; Failed } read from its summary
        lines with $Pattern (groups 'failed' and 'passed'); a command that failed without a failing count
        counts as one failure.
    #>
    param([string[]]$Command, [string]$Pattern)
    Write-Host "> $($Command -join ' ')" -ForegroundColor Cyan
    $passed = 0; $failed = 0
    Push-Location -LiteralPath $RepoRoot
    try {
        & $Command[0] @($Command | Select-Object -Skip 1) 2>&1 | ForEach-Object {
            $line = "$_"
            Write-Host $line
            $match = [regex]::Match($line, $Pattern)
            if ($match.Success) {
                $passed += [int]$match.Groups['passed'].Value
                $failed += [int]$match.Groups['failed'].Value
            }
        }
        $code = $LASTEXITCODE
    }
    finally {
        Pop-Location
    }
    if ($code -ne 0 -and $failed -eq 0) { $failed = 1 }
    @{ Passed = $passed; Failed = $failed }
}

function Invoke-Test {
    Assert-Release 'Test'
    Invoke-Build

    $xunit = Invoke-Counted @('dotnet', 'test', $Solution, '-c', $Configuration, '--no-build', '-nologo') `
        '(Passed|Failed)!\s+-\s+Failed:\s+(?<failed>\d+),\s+Passed:\s+(?<passed>\d+)'
    # A child pwsh, so the module's assemblies are not loaded (and locked) in this session.
    $pester = Invoke-Counted ((Get-PwshCommand) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $RepoRoot 'tests' 'Pester' 'Invoke-Pester.ps1'))) `
        '^PESTER-TOTALS passed=(?<passed>\d+) failed=(?<failed>\d+)'

    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($pester.Passed) passed, $($pester.Failed) failed"
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
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
    if (-not $NoBuild) { Invoke-Build }

    $adminPassword = 'demo-password'
    Import-Module (Join-Path $RepoRoot 'tests' 'Pester' 'TestHelpers.psm1') -Force
    $simulator = Start-DciTestSimulator -Port $Port -AdminPassword $adminPassword -OperationMs 2000
    try {
        Write-Host "Simulator: $($simulator.Uri) (admin@example.com / $adminPassword; operations take 2 s). Leave the shell with 'exit' to stop it." -ForegroundColor Green
        # The child shell reads the address and password from its environment, not from its command line.
        $env:DCI_DEMO_URI = $simulator.Uri
        $env:DCI_DEMO_PASSWORD = $adminPassword
        $startup = @"
Import-Module '$($ModuleManifest -replace "'", "''")'
Connect-Dci -Uri `$env:DCI_DEMO_URI -Credential ([pscredential]::new('admin@example.com', (ConvertTo-SecureString `$env:DCI_DEMO_PASSWORD -AsPlainText -Force)))
Remove-Item Env:DCI_DEMO_PASSWORD
Write-Host "Connected to `$env:DCI_DEMO_URI as admin@example.com. Try:" -ForegroundColor Green
Write-Host '  Get-DciServer -Free | Select-Object -First 3'
Write-Host '  Get-DciServer -Name web-00* | Invoke-DciPower -Action Reset -Wait -Force'
Write-Host '  Get-DciUser | Format-Table'
"@
        $pwsh = Get-PwshCommand
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoLogo -NoExit -Command $startup
    }
    finally {
        Remove-Item Env:DCI_DEMO_URI, Env:DCI_DEMO_PASSWORD -ErrorAction SilentlyContinue
        Stop-DciTestSimulator $simulator
        Write-Host 'Simulator stopped.'
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' {
        # The closing line is what CI reads, so a build that fails before any test still prints one.
        try { Invoke-Test }
        catch { Write-Host $_.Exception.Message; Write-Host '0 passed, 1 failed'; exit 1 }
    }
    'Package' { Invoke-Package }
    'Demo' { Invoke-Demo }
}
