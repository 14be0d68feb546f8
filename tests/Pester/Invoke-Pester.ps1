#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester 5 suite of DciManager.PowerShell against the built module (out/DciManager/).

.DESCRIPTION
    Every *.Tests.ps1 file in this folder starts its own DciManager.Simulator on a free loopback port.
    Build first: dotnet build DciManager.PowerShell.sln -c Release. Pester itself is restored from NuGet
    (the version pinned in build/TestTools/TestTools.csproj), so only the .NET SDK is needed.
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

# --- Pester, restored from NuGet -------------------------------------------------------------------
# The version is pinned once, in build/TestTools/TestTools.csproj; `dotnet restore` of that project puts
# the package into the NuGet packages folder, and the module is imported from there (no PowerShell Gallery).
function Import-PinnedPester([string]$RepoRoot) {
    $toolsProject = Join-Path $RepoRoot 'build' 'TestTools' 'TestTools.csproj'
    $pin = [regex]::Match((Get-Content -LiteralPath $toolsProject -Raw), 'Include="Pester"\s+Version="\[([^\]]+)\]"')
    if (-not $pin.Success) { throw "No pinned Pester version in '$toolsProject'." }
    $version = $pin.Groups[1].Value

    $restoreOutput = & dotnet restore $toolsProject --nologo 2>&1
    if ($LASTEXITCODE -ne 0) { throw "dotnet restore of '$toolsProject' failed:`n$($restoreOutput -join "`n")" }
    $packagesLine = @(& dotnet nuget locals global-packages --list) -match '^global-packages:\s*' | Select-Object -First 1
    if (-not $packagesLine) { throw 'dotnet nuget locals did not name the NuGet packages folder.' }
    $packages = ($packagesLine -replace '^global-packages:\s*', '').Trim()
    $manifest = Join-Path $packages 'pester' $version.ToLowerInvariant() 'tools' 'Pester.psd1'
    if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) { throw "Pester $version was restored, but '$manifest' is missing." }

    Get-Module -Name Pester | Remove-Module -Force -ErrorAction SilentlyContinue
    Import-Module -Name $manifest -Force -ErrorAction Stop
    Get-Module -Name Pester
}

$repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..') -ErrorAction Stop).ProviderPath
try {
    $pester = Import-PinnedPester $repoRoot
}
catch {
    Write-Host "Could not restore Pester: $($_.Exception.Message)"
    Write-Totals 0 1
    exit 1
}
Write-Host "Using Pester $($pester.Version) from $($pester.ModuleBase)"

# --- The module under test ------------------------------------------------------------------------
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
