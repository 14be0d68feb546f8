#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester 5 suite of DciManager.PowerShell against the built module (out/DciManager/).

.DESCRIPTION
    Every *.Tests.ps1 file in this folder starts its own DciManager.Simulator on a free loopback port.
    Build first: dotnet build DciManager.PowerShell.sln -c Release
    Ends with one line "PESTER-TOTALS passed=<n> failed=<n>" and exit code 1 when anything failed.

.PARAMETER Path
    Test files to run (default: every *.Tests.ps1 in this folder).

.PARAMETER TestResultPath
    Also write NUnit XML results to this file.
#>
[CmdletBinding()]
param(
    [string[]]$Path,
    [string]$TestResultPath
)

# No script-wide $ErrorActionPreference or strict mode here: the test files run in scopes below this
# script and would inherit them. Calls that must not fail say -ErrorAction Stop.

function Write-Totals([int]$Passed, [int]$Failed) {
    Write-Host "PESTER-TOTALS passed=$Passed failed=$Failed"
}

function Get-Count($Result, [string]$Name) {
    $property = $Result.PSObject.Properties[$Name]
    if ($property -and $null -ne $property.Value) { [int]$property.Value } else { 0 }
}

# --- Pester 5 -------------------------------------------------------------------------------------
function Find-Pester5 {
    Get-Module -ListAvailable -Name Pester |
        Where-Object { $_.Version.Major -eq 5 } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
}

$pester = Find-Pester5
if (-not $pester) {
    Write-Host 'Pester 5 is not installed; installing it for the current user from the PowerShell Gallery.'
    try {
        Install-Module -Name Pester -MinimumVersion 5.5 -MaximumVersion 5.99.99 -Scope CurrentUser -Force -SkipPublisherCheck -AllowClobber -ErrorAction Stop
    }
    catch {
        Write-Host "Could not install Pester 5: $($_.Exception.Message)"
        Write-Host 'Install it by hand (Install-Module Pester -MinimumVersion 5.5 -Scope CurrentUser) and run this script again.'
        exit 1
    }
    $pester = Find-Pester5
    if (-not $pester) {
        Write-Host 'Install-Module reported success but no Pester 5.x is available to Get-Module -ListAvailable; check $env:PSModulePath.'
        exit 1
    }
}
Get-Module -Name Pester | Remove-Module -Force -ErrorAction SilentlyContinue
Import-Module -Name $pester.Path -Force -ErrorAction Stop
Write-Host "Using Pester $($pester.Version) from $($pester.ModuleBase)"

# --- The module under test ------------------------------------------------------------------------
$repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..') -ErrorAction Stop).ProviderPath
$manifest = Join-Path $repoRoot 'out' 'DciManager' 'DciManager.psd1'
if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
    Write-Host "The built module is missing: '$manifest'. Run 'dotnet build DciManager.PowerShell.sln -c Release' (or ./build.ps1) in '$repoRoot' first."
    Write-Totals 0 1
    exit 1
}

# --- Run ------------------------------------------------------------------------------------------
if (-not $Path) {
    $Path = @(Get-ChildItem -LiteralPath $PSScriptRoot -Filter '*.Tests.ps1' -File | Sort-Object Name | ForEach-Object FullName)
}
if ($Path.Count -eq 0) {
    Write-Host "No *.Tests.ps1 files in $PSScriptRoot."
    Write-Totals 0 1
    exit 1
}

$configuration = New-PesterConfiguration -ErrorAction Stop
$configuration.Run.Path = [string[]]$Path
$configuration.Run.PassThru = $true
$configuration.Run.Exit = $false
$configuration.Output.Verbosity = 'Detailed'
if ($TestResultPath) {
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'NUnitXml'
    $configuration.TestResult.OutputPath = $TestResultPath
}

$result = Invoke-Pester -Configuration $configuration

if ($null -eq $result) {
    Write-Host 'Invoke-Pester returned no result.'
    Write-Totals 0 1
    exit 1
}
$passed = Get-Count $result 'PassedCount'
# Failed tests, plus test files that failed before their tests could run (discovery errors).
$failed = (Get-Count $result 'FailedCount') + (Get-Count $result 'FailedContainersCount')
if ($failed -eq 0 -and "$($result.Result)" -ne 'Passed') {
    # A failing BeforeAll/AfterAll outside of any test still fails the run.
    $failed = [Math]::Max(1, (Get-Count $result 'FailedBlocksCount'))
}
if ($passed -eq 0 -and $failed -eq 0) {
    Write-Host 'No test ran.'
    $failed = 1
}

Write-Totals $passed $failed
if ($failed -gt 0) { exit 1 }
exit 0
