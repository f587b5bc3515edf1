#Requires -Version 5.1
<#
.SYNOPSIS
  Patchboard agent for Windows: enrols the host, reports its hotfixes, and runs the jobs of
  deployments (docs/agent-protocol.md, the application/json form).

.DESCRIPTION
  It runs the commands the server sends as argv (& $program @arguments), never through
  Invoke-Expression, and only programs and cmdlets on its allow-list. Install and security notes:
  agent/README.md.

    patchboard-agent.ps1 enrol URL ENROLMENT_TOKEN [HOSTNAME]
    patchboard-agent.ps1 report      send Get-HotFix now
    patchboard-agent.ps1 run         one pass: report if changed, then claim and run due jobs
    (any of them with -LogFile PATH to append the log to a file as well)

  The configuration (url, hostname, token, allow) is a JSON file readable by SYSTEM and
  Administrators only: $env:ProgramData\Patchboard\agent.json, or $env:PATCHBOARD_CONF.
#>
[CmdletBinding()]
param(
  [Parameter(Mandatory = $true, Position = 0)][ValidateSet('enrol', 'report', 'run', 'version')][string]$Command,
  [Parameter(Position = 1)][string]$Url,
  [Parameter(Position = 2)][string]$EnrolmentToken,
  [Parameter(Position = 3)][string]$HostName = $env:COMPUTERNAME,
  # Also append the log here (the scheduled task has no console); kept under 5 MB.
  [string]$LogFile
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
# Windows PowerShell 5.1 offers TLS 1.0 by default; the server needs 1.2.
[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

$AgentVersion = '0.1.0'
$ConfigPath = if ($env:PATCHBOARD_CONF) { $env:PATCHBOARD_CONF } else { Join-Path $env:ProgramData 'Patchboard\agent.json' }
$StateDir = if ($env:PATCHBOARD_STATE_DIR) { $env:PATCHBOARD_STATE_DIR } else { Join-Path $env:ProgramData 'Patchboard' }
$MaxOutput = 65536   # bytes of output kept per command (the tail): the server keeps no more
$MaxClaims = 50      # jobs per pass, and steps per job: a guard against a server that loops
# What worker/src/deploy/commands/windows.ts generates; the config's "allow" adds more (the
# program of a snapshot hook, for one).
$AllowedCommands = @('Get-HotFix', 'Install-WindowsUpdate', 'Test-Path', 'sc.exe', 'wusa.exe')
$script:Config = $null
$script:StepLog = $null

function Write-AgentLog([string]$Message) {
  $line = '{0} patchboard-agent: {1}' -f (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ'), $Message
  [Console]::Error.WriteLine($line)
  if ($LogFile) {
    if ((Test-Path -LiteralPath $LogFile) -and (Get-Item -LiteralPath $LogFile).Length -gt 5 * 1024 * 1024) { Move-Item -Force -LiteralPath $LogFile -Destination "$LogFile.1" }
    Add-Content -LiteralPath $LogFile -Value $line -Encoding UTF8
  }
  # During a step, what the agent says is sent with the step's results too.
  if ($null -ne $script:StepLog) { [void]$script:StepLog.AppendLine($line) }
}

# The last $MaxOutput bytes of a text, as UTF-8.
function Limit-Output([string]$Text) {
  $bytes = [Text.Encoding]::UTF8.GetBytes($Text)
  if ($bytes.Length -le $MaxOutput) { return $Text }
  return [Text.Encoding]::UTF8.GetString($bytes, $bytes.Length - $MaxOutput, $MaxOutput)
}

# One HTTP exchange; answers Status and Body whatever the status (204, 409 and errors included).
function Invoke-Patchboard([string]$Method, [string]$Path, [object]$Body = $null, [string]$Token = $script:Config.token) {
  $request = @{
    Method          = $Method
    Uri             = $script:Config.url + $Path
    Headers         = @{ Authorization = "Bearer $Token"; Accept = 'application/json' }
    UserAgent       = "patchboard-agent-ps1/$AgentVersion"
    UseBasicParsing = $true
    TimeoutSec      = 300
  }
  if ($null -ne $Body) {
    $request.Body = [Text.Encoding]::UTF8.GetBytes($Body.json)
    $request.ContentType = $Body.type
  }
  if ($PSVersionTable.PSVersion.Major -ge 7) { $request.SkipHttpErrorCheck = $true }
  try {
    $response = Invoke-WebRequest @request
    $content = $response.Content
    if ($content -is [byte[]]) { $content = [Text.Encoding]::UTF8.GetString($content) }
    return [pscustomobject]@{ Status = [int]$response.StatusCode; Body = [string]$content }
  } catch [Net.WebException] {
    # Windows PowerShell throws for every status >= 400: read the answer from the exception.
    $answer = $_.Exception.Response
    if ($null -eq $answer) { return [pscustomobject]@{ Status = 0; Body = $_.Exception.Message } }
    $reader = New-Object IO.StreamReader($answer.GetResponseStream())
    return [pscustomobject]@{ Status = [int]$answer.StatusCode; Body = $reader.ReadToEnd() }
  }
}

function Read-Config {
  if (-not (Test-Path -LiteralPath $ConfigPath)) { throw "cannot read ${ConfigPath}: enrol first (patchboard-agent.ps1 enrol URL TOKEN)" }
  $script:Config = Get-Content -LiteralPath $ConfigPath -Raw | ConvertFrom-Json
  foreach ($key in 'url', 'hostname', 'token') {
    if (-not $script:Config.PSObject.Properties[$key] -or -not $script:Config.$key) { throw "$ConfigPath lacks $key" }
  }
}

# Only SYSTEM and Administrators may read the file: it holds the host's token.
function Protect-File([string]$Path) {
  $acl = New-Object Security.AccessControl.FileSecurity
  $acl.SetAccessRuleProtection($true, $false)
  foreach ($sid in 'S-1-5-18', 'S-1-5-32-544') {
    $who = New-Object Security.Principal.SecurityIdentifier($sid)
    $acl.AddAccessRule((New-Object Security.AccessControl.FileSystemAccessRule($who, 'FullControl', 'Allow')))
  }
  Set-Acl -LiteralPath $Path -AclObject $acl
}

function Get-HotFixJson {
  $hotfixes = @(Get-HotFix | Select-Object -Property @('Source', 'Description', 'HotFixID', 'InstalledBy', 'InstalledOn'))
  return ConvertTo-Json -InputObject $hotfixes -Depth 3
}

# Sends Get-HotFix; remembers its hash so that `run` reports only changes.
function Send-Report {
  $json = Get-HotFixJson
  $answer = Invoke-Patchboard PUT "/v1/hosts/$($script:Config.hostname)/software" @{ json = $json; type = 'application/x-windows-hotfix+json' }
  if ($answer.Status -ne 200) { throw "software report refused: HTTP $($answer.Status) $($answer.Body)" }
  New-Item -ItemType Directory -Force -Path $StateDir | Out-Null
  Set-Content -LiteralPath (Join-Path $StateDir 'last-report.sha256') -Value (Get-TextHash $json)
  Write-AgentLog 'software report sent'
  return $answer.Body
}

function Get-TextHash([string]$Text) {
  $sha = [Security.Cryptography.SHA256]::Create()
  return [BitConverter]::ToString($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($Text)))
}

function Send-ReportIfChanged {
  $last = Join-Path $StateDir 'last-report.sha256'
  if ((Test-Path -LiteralPath $last) -and ((Get-Content -LiteralPath $last -Raw).Trim() -eq (Get-TextHash (Get-HotFixJson)))) { return }
  [void](Send-Report)
}

# The built-in allow-list and the config's "allow" entries.
function Get-AllowList {
  $extra = $script:Config.PSObject.Properties['allow']
  return @($AllowedCommands) + @(if ($null -ne $extra) { $extra.Value })
}

<#
  Runs argv without Invoke-Expression and maps the outcome to an exit code, as
  worker/src/deploy/commands/windows.ts reads it: a program's own exit code; for a cmdlet 0 when it
  succeeded, 1 when its only output was the boolean False, 2 when it failed; 126 when the program
  is not on the allow-list, 127 when it is not installed.
#>
function Invoke-Argv([string[]]$Argv) {
  $program = $Argv[0]
  $arguments = @($Argv | Select-Object -Skip 1)
  # An exact name from the list (-contains never matches wildcards), before Get-Command sees it.
  if ((Get-AllowList) -notcontains $program) {
    Write-AgentLog "refused $program (not on the allow-list)"
    return @{ 'exit' = 126; 'output' = "patchboard-agent: refused: $program is not on the allow-list of this agent`n" }
  }
  # Aliases are never followed (sc is Set-Content; sc.exe is the service tool).
  $resolved = Get-Command -Name $program -CommandType @('Cmdlet', 'Function', 'Application') -ErrorAction SilentlyContinue | Select-Object -First 1
  if ($null -eq $resolved) { return @{ 'exit' = 127; 'output' = "patchboard-agent: $program is not installed`n" } }
  if ($resolved.CommandType -eq 'Application') {
    # A native program's stderr must not become a terminating error.
    $ErrorActionPreference = 'Continue'
    $output = & $resolved.Source @arguments 2>&1 | Out-String
    return @{ 'exit' = $LASTEXITCODE; 'output' = $output }
  }
  try {
    $result = @(& $resolved @arguments -ErrorAction Stop)
    $output = $result | Out-String -Width 250
    if ($result.Count -eq 1 -and $result[0] -is [bool] -and -not $result[0]) { return @{ 'exit' = 1; 'output' = $output } }
    return @{ 'exit' = 0; 'output' = $output }
  } catch {
    return @{ 'exit' = 2; 'output' = ($_ | Out-String) }
  }
}

# Runs a step's commands: a failed `run` ends the step, a probe's exit code is the server's to judge.
function Invoke-Step($Instruction) {
  $results = New-Object Collections.ArrayList
  foreach ($command in $Instruction.commands) {
    if ($command.mode -eq 'report') {
      try { $outcome = @{ 'exit' = 0; 'output' = Send-Report } } catch { $outcome = @{ 'exit' = 1; 'output' = "$_" } }
    } else {
      $outcome = Invoke-Argv @($command.argv)
    }
    Write-AgentLog ("job {0} {1}: {2} {3} -> exit {4}" -f $Instruction.job, $Instruction.step, $command.mode, (@($command.argv) -join ' '), $outcome.exit)
    [void]$results.Add(@{ 'exit' = [int]$outcome.exit; 'output' = (Limit-Output ([string]$outcome.output)) })
    if ($command.mode -eq 'run' -and $outcome.exit -ne 0) { break }
  }
  return , $results.ToArray()
}

# Follows a claimed job to `step done`; a 409 (lease lost) abandons it.
function Invoke-Job($Instruction) {
  for ($steps = 0; $steps -lt $MaxClaims; $steps++) {
    if ($Instruction.job -isnot [int] -and $Instruction.job -isnot [long]) { throw 'instruction without a job id' }
    if ($Instruction.step -eq 'done') {
      $result = $Instruction.PSObject.Properties['result']
      $reason = $Instruction.PSObject.Properties['reason']
      Write-AgentLog ("job {0} ended: {1}{2}" -f $Instruction.job, $(if ($result) { $result.Value } else { 'unknown' }), $(if ($reason) { " ($($reason.Value))" } else { '' }))
      return
    }
    $script:StepLog = New-Object Text.StringBuilder
    Write-AgentLog "job $($Instruction.job): step $($Instruction.step)"
    $results = Invoke-Step $Instruction
    $body = @{ lease = $Instruction.lease; step = $Instruction.step; results = $results; log = (Limit-Output $script:StepLog.ToString()) }
    $script:StepLog = $null
    $answer = Invoke-Patchboard POST "/v1/agent/jobs/$($Instruction.job)/events" @{ json = (ConvertTo-Json -InputObject $body -Depth 4); type = 'application/json' }
    if ($answer.Status -eq 409) { Write-AgentLog "job $($Instruction.job): lease lost, abandoning the job"; return }
    if ($answer.Status -ne 200) { throw "step report failed: HTTP $($answer.Status) $($answer.Body)" }
    $Instruction = $answer.Body | ConvertFrom-Json
  }
  throw "job $($Instruction.job): too many steps, leaving it"
}

function Invoke-Run {
  Read-Config
  try { Send-ReportIfChanged } catch { Write-AgentLog "continuing without a software report: $_" }
  for ($claims = 0; $claims -lt $MaxClaims; $claims++) {
    $answer = Invoke-Patchboard GET '/v1/agent/jobs'
    if ($answer.Status -eq 204) { return }
    if ($answer.Status -ne 200) { throw "claiming a job failed: HTTP $($answer.Status) $($answer.Body)" }
    Invoke-Job ($answer.Body | ConvertFrom-Json)
  }
}

# The OS build with its update revision (10.0.20348.2849): what Microsoft's fixed builds compare to.
function Get-WindowsBuild {
  $nt = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
  $version = [Environment]::OSVersion.Version
  return '{0}.{1}.{2}.{3}' -f $version.Major, $version.Minor, $nt.CurrentBuildNumber, $nt.UBR
}

function Invoke-Enrol {
  if (-not $Url -or -not $EnrolmentToken) { throw 'usage: patchboard-agent.ps1 enrol URL ENROLMENT_TOKEN [HOSTNAME]' }
  if ($Url -notmatch '^https://' -and $Url -notmatch '^http://(127\.0\.0\.1|localhost)([:/]|$)') { throw "the URL must start with https:// (got $Url)" }
  $name = $HostName.ToLowerInvariant()
  if ($name -notmatch '^[a-z0-9_.-]+$') { throw "unusable hostname: $name" }
  $script:Config = [pscustomobject]@{ url = $Url.TrimEnd('/'); hostname = $name; token = '' }
  $body = ConvertTo-Json -InputObject @{ hostname = $name; osFamily = 'windows'; osRelease = Get-WindowsBuild }
  $answer = Invoke-Patchboard POST '/v1/agent/enrol' @{ json = $body; type = 'application/json' } -Token $EnrolmentToken
  if ($answer.Status -ne 201) { throw "enrolment refused: HTTP $($answer.Status) $($answer.Body)" }
  $enrolled = $answer.Body | ConvertFrom-Json
  $script:Config = [pscustomobject]@{ url = $script:Config.url; hostname = $enrolled.hostname; token = $enrolled.token; allow = @() }
  New-Item -ItemType Directory -Force -Path (Split-Path -Parent $ConfigPath) | Out-Null
  # Protected while still empty, so the token is never in a file others can read.
  Set-Content -LiteralPath $ConfigPath -Value ''
  Protect-File $ConfigPath
  Set-Content -LiteralPath $ConfigPath -Value (ConvertTo-Json -InputObject $script:Config) -Encoding UTF8
  Write-AgentLog "enrolled as $($enrolled.hostname); token stored in $ConfigPath"
  try { [void](Send-Report) } catch { Write-AgentLog "the first software report failed; run will retry: $_" }
}

try {
  switch ($Command) {
    'enrol' { Invoke-Enrol }
    'report' { Read-Config; [void](Send-Report) }
    'run' { Invoke-Run }
    'version' { "patchboard-agent.ps1 $AgentVersion" }
  }
} catch {
  Write-AgentLog "error: $_"
  exit 1
}
