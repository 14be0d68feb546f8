@{
    RootModule           = 'DciManager.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6c0f3f3e-8a53-4d3e-9b5e-2f6f0d1f4a21'
    Author               = 'DciManager.PowerShell contributors'
    CompanyName          = 'DciManager.PowerShell'
    Copyright            = '(c) 2026 DciManager.PowerShell contributors. MIT License.'
    Description          = 'Manage bare-metal data centers with ISPsystem DCImanager 6 from PowerShell: servers, power, owners, IP addresses, OS installs, diagnostics, switch ports, users and tasks, as objects that pipe into each other.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('DciManager.Format.ps1xml')
    TypesToProcess       = @('DciManager.Types.ps1xml')
    CmdletsToExport      = @(
        'Add-DciServerIp'
        'Clear-DciServerDisk'
        'Connect-Dci'
        'Disable-DciSwitchPort'
        'Disconnect-Dci'
        'Enable-DciSwitchPort'
        'Get-DciCabinet'
        'Get-DciConnection'
        'Get-DciDataCenter'
        'Get-DciDepartment'
        'Get-DciDevice'
        'Get-DciIpAddress'
        'Get-DciIpNetwork'
        'Get-DciIpPool'
        'Get-DciLocation'
        'Get-DciOsTemplate'
        'Get-DciPdu'
        'Get-DciRack'
        'Get-DciServer'
        'Get-DciServerConfiguration'
        'Get-DciSwitch'
        'Get-DciSwitchPort'
        'Get-DciTask'
        'Get-DciUser'
        'Get-DciWarehouseItem'
        'Install-DciServerOs'
        'Invoke-DciPower'
        'Invoke-DciRestMethod'
        'New-DciApiToken'
        'New-DciCabinet'
        'New-DciDepartment'
        'New-DciDevice'
        'New-DciLoginKey'
        'New-DciUser'
        'Remove-DciDevice'
        'Remove-DciServerIp'
        'Remove-DciServerOwner'
        'Remove-DciUser'
        'Resume-DciServer'
        'Set-DciDevice'
        'Set-DciServerOwner'
        'Set-DciSessionLifetime'
        'Set-DciSetting'
        'Start-DciServerDiagnostic'
        'Suspend-DciServer'
        'Wait-DciTask'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('PSEdition_Core', 'Windows', 'Linux', 'MacOS', 'DCImanager', 'ISPsystem', 'BareMetal')
            ProjectUri   = 'https://github.com/dcimanager-powershell/DciManager.PowerShell'
            LicenseUri   = 'https://github.com/dcimanager-powershell/DciManager.PowerShell/blob/main/LICENSE'
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
