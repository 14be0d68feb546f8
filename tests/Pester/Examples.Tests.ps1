#Requires -Version 7.4
<#
    Runs every ```powershell block of docs/*.md (help, including about_ topics) and README.md against the
    simulator: one It per block, found when Pester discovers this file, so a new example is tested without
    touching this file.

    How a block runs
    - Each markdown file gets its own runspace with the built module imported. A file whose blocks change
      the panel (a line with a Dci cmdlet other than Get-/Connect-/Disconnect- and no -WhatIf) also gets its own simulator, so it cannot break the
      examples of another file; read-only files share one simulator.
    - Each block runs in a fresh child scope after this prelude, the stand-in for what a reader has
      already set up or would type at a prompt:
        $ConfirmPreference = 'None'      a person answers the confirmation prompt; the suite is non-interactive
        $cred, $credential               the simulator's admin PSCredential (admin@example.com)
        $pw, $rootPw                     SecureStrings (a new user's password, a root password)
        $key                             an SSH public key (string); ~/.ssh/id_ed25519.pub holds the same key
        $server                          a new, free server (only when the block uses $server)
        $dc2                             a second, non-default connection (only when the block uses $dc2)
        Get-Credential, Read-Host        answer as a person would: the admin credential, a SecureString
      ~ is a temporary home folder, the working folder is the repository root, and the block starts
      connected to the simulator (the default connection of its runspace).
    - Host rule: every panel address in a block is the simulator: any host name that starts with "dci" and
      ends in ".example.com" (with or without https://, e.g. https://dci.example.com, dci-ams.example.com)
      and README's http://127.0.0.1:5080 and :5090 are replaced by the simulator's URI. Other example.com names
      (e-mail addresses, reverse-DNS domains) are left alone.
    - A block passes when it ends without a terminating error, writes no error record, and finishes within
      $BlockTimeoutSec. A block that demonstrates an error says so in $ExpectedErrors, with the error id.
    - Blocks that cannot run here are listed, with the reason, in $SkippedBlocks (the only skip list).
    - openDCIM: the blocks of a page whose help says "Platforms: openDCIM." and any block that says
      -Platform OpenDcim run against an openDCIM simulator (one per page), connected as its dcadmin with
      -UserId/-ApiKey; there $cred is dcadmin's HTTP Basic credential. The host rule is the same (dcim.example.com
      starts with "dci"), so -Uri https://dcim.example.com/api/v1 reaches the simulator's /api/v1.
    - IMCO: the blocks of a page whose help says "Platforms: IMCO." and any block that says -Platform Imco run against
      the one IMCO simulator (over mutual TLS; each page's examples use their own servers, volumes and addresses, so
      the pages share it), connected with -ApiKeyPath; the API key is also at ~/imco-api-key (folder) and ~/Downloads/api-key.zip, and
      https://clients.example.com is the simulator.
#>

BeforeDiscovery {
    $repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath

    # "<file> <title>" of blocks that cannot run against the simulator, with the reason.
    $SkippedBlocks = @{
        'docs/Connect-Dci.md Example 3: Sign in in an unattended runbook'                    = 'reads a SecretManagement vault (none here)'
        'docs/Connect-Dci.md Example 4: Use a long-lived API token'                           = 'reads a SecretManagement vault (none here)'
        'docs/Disconnect-Dci.md Example 2: Clean up at the end of a runbook'                  = 'reads a SecretManagement vault (none here)'
        'docs/New-DciApiToken.md Example 1: Create a token for a runbook and store it in a vault' = 'writes a SecretManagement vault (none here)'
        'docs/about_DciManager_Connections.md Signing in'                                     = 'reads a SecretManagement vault (none here)'
        'docs/about_DciManager_Connections.md Disconnecting'                                  = 'reads a SecretManagement vault (none here)'
        'docs/New-DciLoginKey.md Example 1: Send a customer a login link'                     = 'sends mail through an SMTP server (none here)'
        'docs/about_DciManager.md The simulator'                                              = 'starts the simulator with dotnet run and stays in the foreground'
        'README.md Install'                                                                   = 'installs a package from a PSResource repository'
        "docs/Invoke-DciRestMethod.md Example 4: Read a server's form on DCImanager 5"          = 'needs a DCImanager 5 connection (Platforms.Tests.ps1 runs -Function against that simulator)'
        'docs/Connect-Dci.md Example 6: Connect to a DCImanager 5 panel that answers only XML'  = 'needs a DCImanager 5 panel (Dci5Xml.Tests.ps1 runs these commands against that simulator)'
        'README.md IMCO'                                                                      = 'needs an IMCO simulator and its API key folder (Imco.Connect.Tests.ps1 runs the same calls against it)'
    }

    # Blocks that demonstrate an error: the error ids (wildcards) they must write, and nothing else.
    $ExpectedErrors = @{
        'docs/about_DciManager.md Errors' = @('Dci.Api.409,*')
    }

    function Get-ExampleBlock([string]$Path, [string]$RelativePath) {
        $lines = [System.IO.File]::ReadAllLines($Path)
        $title = ''
        $inBlock = $false
        $code = $null
        $startLine = 0
        for ($i = 0; $i -lt $lines.Count; $i++) {
            $line = $lines[$i]
            if (-not $inBlock -and $line -match '^#{1,6}\s+(.+)$') { $title = $Matches[1].Trim(); continue }
            if (-not $inBlock -and $line.Trim() -eq '```powershell') { $inBlock = $true; $code = [System.Collections.Generic.List[string]]::new(); $startLine = $i + 2; continue }
            if ($inBlock -and $line.Trim() -eq '```') {
                $inBlock = $false
                [pscustomobject]@{ File = $RelativePath; Title = $title; Line = $startLine; Code = ($code -join "`n") }
                continue
            }
            if ($inBlock) { $code.Add($line) }
        }
    }

    $markdown = @(Get-ChildItem -LiteralPath (Join-Path $repoRoot 'docs') -Filter '*.md' -File | Sort-Object Name) +
        @(Get-Item -LiteralPath (Join-Path $repoRoot 'README.md'))
    $statefulVerb = '(?<![\w-])(?!Get-)(?!Connect-)(?!Disconnect-)[A-Z][a-z]+-Dci\w+'

    $Files = foreach ($markdownFile in $markdown) {
        $relative = [System.IO.Path]::GetRelativePath($repoRoot, $markdownFile.FullName) -replace '\\', '/'
        $blocks = @(Get-ExampleBlock $markdownFile.FullName $relative)
        if ($blocks.Count -eq 0) { continue }
        $seen = @{}
        $pageIsOpenDcim = [System.IO.File]::ReadAllText($markdownFile.FullName) -match '(?m)^Platforms: openDCIM\.\s*$'
        $pageIsImco = [System.IO.File]::ReadAllText($markdownFile.FullName) -match '(?m)^Platforms: IMCO\.\s*$'
        $tests = foreach ($block in $blocks) {
            $key = "$($block.File) $($block.Title)"
            if ($seen.ContainsKey($key)) { $key = "$key (line $($block.Line))" }
            $seen[$key] = $true
            @{
                Key            = $key
                Name           = if ($SkippedBlocks[$key]) { "$key (skipped: $($SkippedBlocks[$key]))" } else { $key }
                Code           = $block.Code
                Skip           = [bool]$SkippedBlocks[$key]
                SkipReason     = $SkippedBlocks[$key]
                ExpectedErrors = @($ExpectedErrors[$key] | Where-Object { $_ })
                OpenDcim       = $pageIsOpenDcim -or $block.Code -match '-Platform\s+OpenDcim\b'
                Imco           = $pageIsImco -or $block.Code -match '-Platform\s+Imco\b'
            }
        }
        # IMCO blocks change their own IMCO simulator, never the DCImanager one.
        $changingLines = @($tests | Where-Object { -not $_.Imco } | ForEach-Object { $_.Code -split "`n" } | Where-Object { $_ -match $statefulVerb -and $_ -notmatch '-WhatIf\b' })
        $changesState = $changingLines.Count -gt 0
        @{ MarkdownPath = $relative; OwnSimulator = $changesState; HasOpenDcim = [bool]@($tests | Where-Object { $_.OpenDcim }); HasImco = [bool]@($tests | Where-Object { $_.Imco }); Blocks = @($tests) }
    }

    # An entry that names no block (say, a renamed example) would silently stop applying: fail instead.
    $allKeys = @($Files | ForEach-Object { $_.Blocks } | ForEach-Object { $_.Key })
    $StaleSkips = @($SkippedBlocks.Keys + $ExpectedErrors.Keys | Where-Object { $_ -notin $allKeys })
}

# One outer block, so that the discovered files reach its BeforeAll (it starts their simulators).
Describe 'Examples in help and README' -ForEach @(@{ Files = $Files; StaleSkips = $StaleSkips }) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:repoRoot = Get-DciRepoRoot
        $script:manifest = Get-DciModuleManifestPath
        $script:BlockTimeoutSec = 60

        # Every simulator this file needs, started side by side (each takes about a second to listen): one
        # shared by the read-only files, one for each file that changes state. Each file stops its own.
        $helpers = Join-Path $PSScriptRoot 'TestHelpers.psm1'
        $hasImco = [bool]@($Files | Where-Object HasImco)
        $names = @('shared') + @($Files | Where-Object OwnSimulator | ForEach-Object MarkdownPath) +
            @($Files | Where-Object HasOpenDcim | ForEach-Object { "opendcim:$($_.MarkdownPath)" }) + @(if ($hasImco) { 'imco' })
        $script:simulators = @{}
        # The IMCO simulator creates its CA, server certificate and client API key in this folder.
        $script:imcoCredentials = Join-Path ([System.IO.Path]::GetTempPath()) ('dci-examples-imco-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $imcoArgs = @('--platform', 'imco', '--credentials-dir', $imcoCredentials)
        $started = $names | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:helpers
            $platform = if ($_.StartsWith('opendcim:')) { @('--platform', 'opendcim') } elseif ($_ -eq 'imco') { $using:imcoArgs } else { @() }
            [pscustomobject]@{ Name = $_; Simulator = (Start-DciTestSimulator -OperationMs 20 -ExtraArgs $platform) }
        }
        foreach ($entry in @($started)) { $simulators[$entry.Name] = $entry.Simulator }
        # The IMCO mode serves HTTPS only (on the port Start-DciTestSimulator gave it).
        if ($hasImco) { $simulators['imco'].Uri = $simulators['imco'].Uri -replace '^http:', 'https:' }
        if ($simulators.Count -ne $names.Count) { throw "Only $($simulators.Count) of $($names.Count) simulators started." }
        $script:exampleHome = Join-Path ([System.IO.Path]::GetTempPath()) ('dci-examples-home-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $null = New-Item -ItemType Directory -Path (Join-Path $exampleHome '.ssh') -Force
        $script:sshKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTheExamplesSuiteOnly0123456789ab admin@example.com'
        Set-Content -LiteralPath (Join-Path $exampleHome '.ssh' 'id_ed25519.pub') -Value $sshKey
        if ($hasImco) {
            # Where a reader keeps IMCO's API key: unpacked (~/imco-api-key) or as downloaded (~/Downloads/api-key.zip).
            Copy-Item -LiteralPath (Join-Path $imcoCredentials 'api-key') -Destination (Join-Path $exampleHome 'imco-api-key') -Recurse
            $null = New-Item -ItemType Directory -Path (Join-Path $exampleHome 'Downloads') -Force
            Copy-Item -LiteralPath (Join-Path $imcoCredentials 'api-key.zip') -Destination (Join-Path $exampleHome 'Downloads' 'api-key.zip')
        }

        # Runs in the example's runspace before each block, in the same child scope as the block.
        $script:prelude = {
            param([string]$Uri, [string]$AdminPassword, [string]$SshKey, [bool]$OpenDcim, [bool]$Imco, [string]$Code)
            $ErrorActionPreference = 'Continue'
            $ConfirmPreference = 'None'
            if (@(Get-DciConnection -All).Count -gt 0) { Disconnect-Dci -All }
            $cred = if ($OpenDcim) { [pscredential]::new('dcadmin', (ConvertTo-SecureString 'admin-pass' -AsPlainText -Force)) }
                    else { [pscredential]::new('admin@example.com', (ConvertTo-SecureString $AdminPassword -AsPlainText -Force)) }
            $credential = $cred
            $pw = ConvertTo-SecureString 'Initial-Passw0rd!' -AsPlainText -Force
            $rootPw = ConvertTo-SecureString 'Root-Passw0rd!' -AsPlainText -Force
            $key = $SshKey
            function Get-Credential {
                param([Parameter(Position = 0)][string]$UserName = 'admin@example.com', [string]$Message, [string]$Title)
                [pscredential]::new($UserName, $cred.Password)
            }
            function Read-Host {
                param([Parameter(Position = 0)][object]$Prompt, [switch]$AsSecureString, [switch]$MaskInput)
                # On openDCIM the secret a reader types is the API key of the account the example names.
                $typed = if ($OpenDcim) { 'dcadmin-key-7f3a9c' } else { 'Typed-Passw0rd!' }
                if ($AsSecureString) { ConvertTo-SecureString $typed -AsPlainText -Force } else { 'typed' }
            }
            if ($Imco) {
                # The API key folder IMCO hands out, as a reader keeps it (~/imco-api-key).
                Connect-Dci -Platform Imco -Uri $Uri -ApiKeyPath (Join-Path $HOME 'imco-api-key') -ErrorAction Stop
                $Code = $null
                . ([scriptblock]::Create($args[0]))
                return
            }
            if ($OpenDcim) {
                Connect-Dci -Platform OpenDcim -Uri "$Uri/api/v1" -UserId dcadmin -ApiKey (ConvertTo-SecureString 'dcadmin-key-7f3a9c' -AsPlainText -Force) -ErrorAction Stop
                $Code = $null
                . ([scriptblock]::Create($args[0]))
                return
            }
            Connect-Dci -Uri $Uri -Credential $cred -ErrorAction Stop
            if ($Code -match '\$server\b') { $server = Get-DciServer -Free -Filter 'is_new EQ true' -ErrorAction Stop | Select-Object -First 1 }
            if ($Code -match '\$dc2\b') { $dc2 = Connect-Dci -Uri $Uri -Credential $cred -NotDefault -PassThru -ErrorAction Stop }
            $Code = $null
            . ([scriptblock]::Create($args[0]))
        }

        function script:ConvertTo-RunnableCode([string]$Code, [string]$Uri) {
            $Code = [regex]::Replace($Code, '(?<![\w@.-])(?:https?://)?dci[\w-]*\.example\.com(?![\w.-])', $Uri)
            # IMCO's placeholder portal (issue 14 spells it https://clients.example.com).
            $Code = [regex]::Replace($Code, '(?<![\w@.-])(?:https?://)?clients\.example\.com(?![\w.-])', $Uri)
            # README's simulator addresses: 5080 (DCImanager 6) and 5090 (the openDCIM quick start).
            $Code.Replace('http://127.0.0.1:5080', $Uri).Replace('http://127.0.0.1:5090', $Uri)
        }

        function script:New-ExampleRunspace {
            $state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
            $state.ImportPSModule([string[]]@($manifest))
            $runspace = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace($state)
            $runspace.Open()
            $setup = [powershell]::Create()
            try {
                $setup.Runspace = $runspace
                $null = $setup.AddScript({
                        param($HomePath, $WorkingPath)
                        (Get-PSProvider FileSystem).Home = $HomePath
                        Set-Variable -Name HOME -Value $HomePath -Scope Global -Force
                        Set-Location -LiteralPath $WorkingPath
                        $global:ProgressPreference = 'SilentlyContinue'
                    }).AddArgument($exampleHome).AddArgument($repoRoot).Invoke()
                if ($setup.HadErrors) { throw "The example runspace could not be set up: $($setup.Streams.Error -join '; ')" }
            }
            finally { $setup.Dispose() }
            $runspace
        }

        function script:Invoke-Example($Runspace, $Simulator, [string]$Code, [bool]$OpenDcim = $false, [bool]$Imco = $false) {
            $runnable = ConvertTo-RunnableCode $Code $Simulator.Uri
            $ps = [powershell]::Create()
            try {
                $ps.Runspace = $Runspace
                $null = $ps.AddScript($prelude.ToString(), $true).AddArgument($Simulator.Uri).AddArgument($Simulator.AdminPassword).AddArgument($sshKey).AddArgument($OpenDcim).AddArgument($Imco).AddArgument($runnable).AddArgument($runnable)
                $noInput = [System.Management.Automation.PSDataCollection[psobject]]::new()
                $noInput.Complete()
                $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
                $async = $ps.BeginInvoke($noInput, $output)
                $finished = $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($BlockTimeoutSec))
                $terminating = $null
                if ($finished) {
                    try { $ps.EndInvoke($async) }
                    catch [System.Management.Automation.MethodInvocationException] { $terminating = $_.Exception.InnerException }
                }
                else {
                    $ps.Stop()
                }
                [pscustomobject]@{
                    Finished    = $finished
                    Terminating = $terminating
                    Errors      = @($ps.Streams.Error)
                    Output      = @($output)
                }
            }
            finally { $ps.Dispose() }
        }

        function script:Format-ErrorList($Errors) {
            (@($Errors) | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }) -join [Environment]::NewLine
        }
    }

    AfterAll {
        if ($script:simulators) { $script:simulators.Values | Stop-DciTestSimulator }
        if ($script:exampleHome -and (Test-Path -LiteralPath $script:exampleHome)) { Remove-Item -LiteralPath $script:exampleHome -Recurse -Force -ErrorAction SilentlyContinue }
        if ($script:imcoCredentials -and (Test-Path -LiteralPath $script:imcoCredentials)) { Remove-Item -LiteralPath $script:imcoCredentials -Recurse -Force -ErrorAction SilentlyContinue }
    }

    Describe 'The example skip list' {
        It 'names only blocks that exist' -TestCases @{ Stale = $StaleSkips } {
            $Stale | Should -BeNullOrEmpty -Because 'a skip or expected-error entry must name an existing "<file> <title>" block'
        }
    }

    Describe 'The example runner' {
        BeforeAll {
            $script:runnerRunspace = New-ExampleRunspace
        }
        AfterAll {
            if ($script:runnerRunspace) { $script:runnerRunspace.Dispose() }
        }

        It 'reports the error records and the terminating error of a block' {
            $failing = Invoke-Example $runnerRunspace $simulators['shared'] "Get-DciServer -Id 4711`nthrow 'stopped here'"
            $failing.Finished | Should -BeTrue
            @($failing.Errors).FullyQualifiedErrorId | Should -BeLike 'Dci.Api.404,*'
            $failing.Terminating.Message | Should -Be 'stopped here'
        }

        It 'points the placeholder panel hosts at the simulator and defines the prelude variables' {
            $code = "(Connect-Dci dci-fra.example.com -Credential `$cred -NotDefault -PassThru).BaseUri.Authority; `$pw.GetType().Name; `$key; (Get-Credential).UserName"
            $result = Invoke-Example $runnerRunspace $simulators['shared'] $code
            $result.Errors | Should -BeNullOrEmpty
            $result.Output | Should -Be @(([uri]$simulators['shared'].Uri).Authority, 'SecureString', $sshKey, 'admin@example.com')
        }
    }

    Describe 'Examples in <MarkdownPath>' -ForEach $Files {
        BeforeAll {
            $script:simulatorName = if ($OwnSimulator) { $MarkdownPath } else { 'shared' }
            $script:simulator = $simulators[$simulatorName]
            $script:runspace = New-ExampleRunspace
        }

        AfterAll {
            if ($script:runspace) { $script:runspace.Dispose() }
            if ($OwnSimulator) {
                Stop-DciTestSimulator $simulators[$simulatorName]
                $simulators.Remove($simulatorName)
            }
            if ($HasOpenDcim) {
                Stop-DciTestSimulator $simulators["opendcim:$MarkdownPath"]
                $simulators.Remove("opendcim:$MarkdownPath")
            }
        }

        It '<Name>' -ForEach $Blocks {
            if ($Skip) { Set-ItResult -Skipped -Because $SkipReason; return }
            $target = if ($OpenDcim) { $simulators["opendcim:$MarkdownPath"] } elseif ($Imco) { $simulators['imco'] } else { $simulator }
            $result = Invoke-Example $runspace $target $Code $OpenDcim $Imco
            $result.Finished | Should -BeTrue -Because "an example must finish within $BlockTimeoutSec s"
            $result.Terminating | Should -BeNullOrEmpty -Because "the example must not stop with an error: $($result.Terminating.Message)"
            if ($ExpectedErrors.Count -gt 0) {
                $result.Errors | Should -Not -BeNullOrEmpty -Because 'this example demonstrates an error'
                $unexpected = @($result.Errors | Where-Object { $id = $_.FullyQualifiedErrorId; -not @($ExpectedErrors | Where-Object { $id -like $_ }) })
                $unexpected | Should -BeNullOrEmpty -Because "only $($ExpectedErrors -join ', ') is expected, got:`n$(Format-ErrorList $unexpected)"
            }
            else {
                $result.Errors | Should -BeNullOrEmpty -Because "an example must write no error record, got:`n$(Format-ErrorList $result.Errors)"
            }
        }
    }
}
