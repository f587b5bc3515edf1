#Requires -Version 5.1
#Requires -RunAsAdministrator
<#
.SYNOPSIS
  Installs the Patchboard agent as a scheduled task that runs as SYSTEM every 5 minutes, or
  removes it (-Uninstall).

.DESCRIPTION
  Copies patchboard-agent.ps1 to $env:ProgramFiles\Patchboard (writable by SYSTEM and
  Administrators only: the task runs it as SYSTEM) and registers the task \Patchboard\Patchboard
  agent. Enrol first, or after: see agent/README.md.

    .\install-task.ps1 [-AgentScript ..\patchboard-agent.ps1]
    .\install-task.ps1 -Uninstall [-RemoveConfig]
#>
[CmdletBinding()]
param(
  [string]$AgentScript = (Join-Path (Split-Path -Parent $PSScriptRoot) 'patchboard-agent.ps1'),
  [string]$InstallDir = (Join-Path $env:ProgramFiles 'Patchboard'),
  [switch]$Uninstall,
  # With -Uninstall: also delete the token, state and log in $env:ProgramData\Patchboard.
  [switch]$RemoveConfig
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$TaskName = 'Patchboard agent'
$TaskPath = '\Patchboard\'
$DataDir = Join-Path $env:ProgramData 'Patchboard'

if ($Uninstall) {
  Unregister-ScheduledTask -TaskName $TaskName -TaskPath $TaskPath -Confirm:$false -ErrorAction SilentlyContinue
  Remove-Item -Recurse -Force -LiteralPath $InstallDir -ErrorAction SilentlyContinue
  if ($RemoveConfig) { Remove-Item -Recurse -Force -LiteralPath $DataDir -ErrorAction SilentlyContinue }
  Write-Output "Removed the task $TaskPath$TaskName and $InstallDir$(if ($RemoveConfig) { " and $DataDir" })."
  return
}

# The script runs as SYSTEM: only SYSTEM and Administrators may change it; users may read it.
New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
$acl = New-Object Security.AccessControl.DirectorySecurity
$acl.SetAccessRuleProtection($true, $false)
$inherit = [Security.AccessControl.InheritanceFlags]'ContainerInherit, ObjectInherit'
$none = [Security.AccessControl.PropagationFlags]::None
foreach ($rule in @(@('S-1-5-18', 'FullControl'), @('S-1-5-32-544', 'FullControl'), @('S-1-5-32-545', 'ReadAndExecute'))) {
  $who = New-Object Security.Principal.SecurityIdentifier($rule[0])
  $acl.AddAccessRule((New-Object Security.AccessControl.FileSystemAccessRule($who, $rule[1], $inherit, $none, 'Allow')))
}
Set-Acl -LiteralPath $InstallDir -AclObject $acl
$installed = Join-Path $InstallDir 'patchboard-agent.ps1'
Copy-Item -Force -LiteralPath $AgentScript -Destination $installed
New-Item -ItemType Directory -Force -Path $DataDir | Out-Null

$arguments = '-NoProfile -NonInteractive -ExecutionPolicy Bypass -File "{0}" run -LogFile "{1}"' -f $installed, (Join-Path $DataDir 'agent.log')
$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument $arguments
# Every 5 minutes from a minute from now, with a random delay so that a fleet does not poll at once;
# no RepetitionDuration: indefinitely.
$trigger = New-ScheduledTaskTrigger -Once -At (Get-Date).AddMinutes(1) -RepetitionInterval (New-TimeSpan -Minutes 5) -RandomDelay (New-TimeSpan -Seconds 90)
$principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
# One run at a time; an install may take long, but not forever.
$settings = New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Hours 2) -StartWhenAvailable -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
Register-ScheduledTask -TaskName $TaskName -TaskPath $TaskPath -Action $action -Trigger $trigger -Principal $principal -Settings $settings -Description 'Patchboard agent: reports hotfixes and runs patch jobs (agent/README.md)' -Force | Out-Null
Write-Output "Installed $installed and the task $TaskPath$TaskName (SYSTEM, every 5 minutes; log: $DataDir\agent.log)."
if (-not (Test-Path -LiteralPath (Join-Path $DataDir 'agent.json'))) {
  Write-Output "Now enrol: & '$installed' enrol https://patchboard.example.com pbe_..."
}
