# Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.
# awsmfa for PowerShell. `awsmfa init --install pwsh` copies it into awsmfa's data folder and shows the line that
# loads the copy, for $PROFILE: no node at each start (awsmfa init pwsh | Out-String | Invoke-Expression starts it).
# The functions are global: the init line may run inside a script block or a module, whose own functions vanish.

# Invoke-AwsmfaForShell COMMAND ARGUMENTS: awsmfa's output for this shell to apply (env, unset), decoded as the UTF-8
# awsmfa writes (PowerShell decodes a native command's output in [Console]::OutputEncoding); $LASTEXITCODE is its.
function global:Invoke-AwsmfaForShell {
    param([string] $Command, [string[]] $Arguments = @())
    $encoding = [Console]::OutputEncoding
    try {
        [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)
        $out = & (Get-Command -Name awsmfa -CommandType Application,ExternalScript | Select-Object -First 1) $Command --mfa-shell pwsh @Arguments
        $status = $LASTEXITCODE
    } finally {
        [Console]::OutputEncoding = $encoding
    }
    $global:LASTEXITCODE = $status
    $out
}

# mfa [CODE] [awsmfa env options]: start an MFA session in this shell, or take the cached one. The old session is
# replaced only once the new one is in hand. On failure nothing changes, $LASTEXITCODE is awsmfa's and $? is
# False, so `mfa 000000 && aws s3 ls` stops. An advanced function, as only its $PSCmdlet.WriteError() sets $? for
# the caller (about_Automatic_Variables); PowerShell then takes -d, -p and other one-dash words as its own
# parameters, so give mfa the long options (--profile, --duration-seconds), or put them after --.
function global:mfa {
    [CmdletBinding(PositionalBinding = $false)]
    param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments = @())
    $out = Invoke-AwsmfaForShell env $Arguments
    if ($LASTEXITCODE -ne 0) {
        $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
            [System.Exception]::new("awsmfa failed (exit status $LASTEXITCODE); the session was left as it was"),
            'AwsmfaFailed', [System.Management.Automation.ErrorCategory]::NotSpecified, $null))
        return
    }
    if (-not $out) { return }  # --help: nothing to apply
    Clear-AwsmfaSession
    ($out -join "`n") | Invoke-Expression
}

# mfa-unset [--forget] [--profile P]: remove the session from this shell (Clear-AwsmfaSession) and put back the
# AWS_PROFILE (and AWS_DEFAULT_PROFILE) it set aside, unless that was set again since. With arguments, awsmfa unset
# does it all (--forget also deletes the cached session), or refuses them, with $? False: none is ever ignored.
function global:mfa-unset {
    [CmdletBinding(PositionalBinding = $false)]
    param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments = @())
    if ($Arguments.Count -gt 0) {
        $out = Invoke-AwsmfaForShell unset $Arguments
        if ($LASTEXITCODE -ne 0) {
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                [System.Exception]::new("awsmfa failed (exit status $LASTEXITCODE); the session was left as it was"),
                'AwsmfaFailed', [System.Management.Automation.ErrorCategory]::NotSpecified, $null))
        } elseif ($out) {
            ($out -join "`n") | Invoke-Expression
        }
        return
    }
    Clear-AwsmfaSession
    # >>> contract: set-aside-restore
    foreach ($pair in @('AWS_PROFILE', 'AWSMFA_AWS_PROFILE'), @('AWS_DEFAULT_PROFILE', 'AWSMFA_AWS_DEFAULT_PROFILE')) {
        $kept = [Environment]::GetEnvironmentVariable($pair[1])
        if ($kept -and -not (Test-Path -Path "Env:$($pair[0])")) { Set-Item -Path "Env:$($pair[0])" -Value $kept }
        Remove-Item -Path "Env:$($pair[1])" -ErrorAction SilentlyContinue
    }
    # <<< contract: set-aside-restore
}

# Clear-AwsmfaSession: remove the session variables, and the region only when awsmfa exported it (what mfa does before
# it applies a new session: what was set aside stays aside).
function global:Clear-AwsmfaSession {
    if ($env:AWSMFA_REGION -and $env:AWS_REGION -eq $env:AWSMFA_REGION) {
        Remove-Item -Path Env:AWS_REGION, Env:AWS_DEFAULT_REGION -ErrorAction SilentlyContinue
    }
    # >>> contract: variables
    if ($env:AWSMFA_SERVER_PID) { foreach ($name in 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWSMFA_SERVER_PID') { Remove-Item -Path "Env:$name" -ErrorAction SilentlyContinue } }
    if ($env:AWS_SHARED_CREDENTIALS_FILE -eq '/dev/null/hidden-by-awsmfa') { Remove-Item -Path Env:AWS_SHARED_CREDENTIALS_FILE -ErrorAction SilentlyContinue }
    if ($env:AWS_CONFIG_FILE -eq '/dev/null/hidden-by-awsmfa') { Remove-Item -Path Env:AWS_CONFIG_FILE -ErrorAction SilentlyContinue }
    if ($env:BOTO_CONFIG -eq '/dev/null/hidden-by-awsmfa') { Remove-Item -Path Env:BOTO_CONFIG -ErrorAction SilentlyContinue }
    foreach ($name in 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_SESSION_EXPIRATION', 'AWSMFA_PROFILE', 'AWSMFA_REGION') {
    # <<< contract: variables
        Remove-Item -Path "Env:$name" -ErrorAction SilentlyContinue
    }
}

# Completion of awsmfa and mfa: commands, options, --shell values, and profile names as the AWS CLI reads them.
$global:AwsmfaCompleter = {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | ForEach-Object { $_.ToString() })
    $previous = if ($words.Count -ge 2 -and $wordToComplete -eq '') { $words[-1] } elseif ($words.Count -ge 3) { $words[-2] } else { '' }
    $candidates = if ($previous -in '--profile', '-p', '--update-profile', '-u') {
        @(& (Get-Command -Name awsmfa -CommandType Application,ExternalScript | Select-Object -First 1) complete-profiles 2>$null)
    } elseif ($previous -in '--shell', '-s') {
        # >>> contract: dialects
        'bash', 'zsh', 'sh', 'ksh', 'fish', 'tcsh', 'elvish', 'pwsh', 'cmd', 'dotenv', 'env-file', 'json'
        # <<< contract: dialects
    } elseif ($words[0] -eq 'awsmfa' -and $words.Count -le 2 -and $wordToComplete -ne '' -and -not $wordToComplete.StartsWith('-')) {
        # >>> contract: commands
        'env', 'exec', 'serve', 'credential-process', 'unset', 'clear', 'status', 'whoami', 'devices',
        'profiles', 'init', 'login', 'logout', 'console', 'rotate', 'keys', 'help'
        # <<< contract: commands
    } else {
        # >>> contract: options
        '--verbose', '--quiet', '--code', '--token-code', '--profile', '--serial-number', '--mfa-serial',
        '--duration-seconds', '--region', '--no-region', '--endpoint-url', '--role-arn', '--direct',
        '--role-session-name', '--code-command', '--timeout', '--force', '--no-cache', '--min-remaining',
        '--shell', '--server', '--forget', '--json', '--short', '--save', '--path', '--install',
        '--update-profile', '--print-env', '--print', '--destination', '--federation-token', '--delete',
        '--to', '--credential-process', '--check', '--all-profiles', '--help'
        # <<< contract: options
    }
    # What is inserted is the exact word: a name that is not plain (a space, ;, $(), a quote, a leading @ or -) goes
    # in single quotes with every quote character PowerShell ends them with (' and U+2018-U+201B) doubled. The
    # characters are named by code: Windows PowerShell reads a file without a BOM in the ANSI code page.
    $quotes = "['$([char]0x2018)$([char]0x2019)$([char]0x201A)$([char]0x201B)]"
    $candidates | Where-Object { $_.StartsWith($wordToComplete, [System.StringComparison]::Ordinal) } | ForEach-Object {
        $text = if ($_ -cmatch '^[A-Za-z0-9_][A-Za-z0-9_.-]*$') { $_ } else { "'" + ($_ -replace $quotes, '$0$0') + "'" }
        [System.Management.Automation.CompletionResult]::new($text, $_, 'ParameterValue', $_)
    }
}
Register-ArgumentCompleter -Native -CommandName awsmfa -ScriptBlock $global:AwsmfaCompleter
Register-ArgumentCompleter -CommandName mfa -ParameterName Arguments -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    & $global:AwsmfaCompleter $wordToComplete $commandAst 0
}
