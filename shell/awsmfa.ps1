# awsmfa for PowerShell. In $PROFILE:  awsmfa init pwsh | Out-String | Invoke-Expression
# (`awsmfa init pwsh` prints this file with the command that runs awsmfa filled in.)

# mfa [CODE] [awsmfa env options]: start an MFA session in this shell, or take the cached one. The old session is
# replaced only once the new one is in hand: on failure nothing changes and $LASTEXITCODE is awsmfa's.
function mfa {
    $out = @AWSMFA@ env --shell pwsh @args
    if ($LASTEXITCODE -ne 0 -or -not $out) { return }  # failed, or --help: nothing to apply
    mfa-unset
    ($out -join "`n") | Invoke-Expression
}

# mfa-unset: remove the session variables from this shell.
function mfa-unset {
    foreach ($name in 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION') {
        Remove-Item -Path "Env:$name" -ErrorAction SilentlyContinue
    }
}
