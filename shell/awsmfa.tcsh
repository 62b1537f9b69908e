# awsmfa for tcsh and csh. In ~/.tcshrc:  eval "`awsmfa init tcsh`"
# (`awsmfa init tcsh` prints this file without its comments and with the command that runs awsmfa filled in;
# every command ends in ';' because eval "`...`" joins the lines into one.)

# mfa-unset: remove the session variables from this shell.
alias mfa-unset 'unsetenv AWS_ACCESS_KEY_ID ; unsetenv AWS_SECRET_ACCESS_KEY ; unsetenv AWS_SESSION_TOKEN ; unsetenv AWS_CREDENTIAL_EXPIRATION' ;

# mfa [CODE] [awsmfa env options]: start an MFA session in this shell, or take the cached one. The old session is
# replaced only once the new one is in hand: on failure nothing changes and the status is awsmfa's. No output
# (--help) means nothing to apply. The arguments are taken as words (\!*:q) and handed on as words ($...:q), so
# they reach awsmfa as any command would get them and are never parsed again as code.
alias mfa 'set _awsmfa_args = (\!*:q) ; set _awsmfa_out = "`@AWSMFA@ env --mfa-shell tcsh $_awsmfa_args:q`" && if ($#_awsmfa_out) eval "mfa-unset ; $_awsmfa_out" ; set _awsmfa_status = $status ; unset _awsmfa_out _awsmfa_args ; ( exit $_awsmfa_status )' ;
