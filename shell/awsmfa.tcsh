# Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.
# awsmfa for tcsh and csh. `awsmfa init --install tcsh` copies it (and awsmfa-quick.tcsh) into awsmfa's data folder
# and adds the line that sources the copy to ~/.tcshrc: no node at each start. (`awsmfa init tcsh` prints it
# without its comments for eval "`awsmfa init tcsh`", which starts node each time: every command ends in ';'
# because eval "`...`" joins the lines into one.)

# _awsmfa_unset: remove the session variables from this shell, and the region only when awsmfa exported it (what mfa
# does before it applies a new session: what was set aside stays aside). (tcsh substitutes variables of a whole line
# before `if` runs, so unset ones are read through printenv.)
# >>> contract: variables
alias _awsmfa_unset 'if ("`printenv AWSMFA_REGION`" != "" && "`printenv AWS_REGION`" == "`printenv AWSMFA_REGION`") unsetenv AWS_REGION ; if ("`printenv AWSMFA_REGION`" != "" && "`printenv AWS_DEFAULT_REGION`" == "`printenv AWSMFA_REGION`") unsetenv AWS_DEFAULT_REGION ; if ("`printenv AWSMFA_SERVER_PID`" != "") unsetenv AWS_CONTAINER_CREDENTIALS_FULL_URI ; if ("`printenv AWSMFA_SERVER_PID`" != "") unsetenv AWS_CONTAINER_AUTHORIZATION_TOKEN ; unsetenv AWSMFA_SERVER_PID ; if ("`printenv AWS_SHARED_CREDENTIALS_FILE`" == "/dev/null/hidden-by-awsmfa") unsetenv AWS_SHARED_CREDENTIALS_FILE ; if ("`printenv AWS_CONFIG_FILE`" == "/dev/null/hidden-by-awsmfa") unsetenv AWS_CONFIG_FILE ; if ("`printenv BOTO_CONFIG`" == "/dev/null/hidden-by-awsmfa") unsetenv BOTO_CONFIG ; unsetenv AWS_ACCESS_KEY_ID ; unsetenv AWS_SECRET_ACCESS_KEY ; unsetenv AWS_SESSION_TOKEN ; unsetenv AWS_CREDENTIAL_EXPIRATION ; unsetenv AWS_SESSION_EXPIRATION ; unsetenv AWSMFA_PROFILE ; unsetenv AWSMFA_REGION' ;
# <<< contract: variables

# _awsmfa_restore: put back the AWS_PROFILE (and AWS_DEFAULT_PROFILE) a session set aside, unless set again since.
# >>> contract: set-aside-restore
alias _awsmfa_restore 'if ("x`printenv AWSMFA_AWS_PROFILE`" != x && $?AWS_PROFILE == 0) setenv AWS_PROFILE "`printenv AWSMFA_AWS_PROFILE`" ; unsetenv AWSMFA_AWS_PROFILE ; if ("x`printenv AWSMFA_AWS_DEFAULT_PROFILE`" != x && $?AWS_DEFAULT_PROFILE == 0) setenv AWS_DEFAULT_PROFILE "`printenv AWSMFA_AWS_DEFAULT_PROFILE`" ; unsetenv AWSMFA_AWS_DEFAULT_PROFILE' ;
# <<< contract: set-aside-restore

# _awsmfa_unset_by_awsmfa: mfa-unset's arguments handed to awsmfa unset word for word (as mfa hands its own to env,
# through a private file), and what it prints applied: nothing when it fails or refuses them.
alias _awsmfa_unset_by_awsmfa 'set _awsmfa_file = "`mktemp`" && \awsmfa unset --mfa-shell tcsh $_awsmfa_args:q >! $_awsmfa_file:q && set _awsmfa_out = "`cat $_awsmfa_file:q`" && if ($#_awsmfa_out) eval "$_awsmfa_out" ; set _awsmfa_status = $status ; rm -f $_awsmfa_file:q ; unset _awsmfa_out _awsmfa_file ; ( exit $_awsmfa_status )' ;

# mfa-unset [--forget] [--profile P]: remove the session from this shell and put back what it set aside; with
# arguments, awsmfa unset does it all (--forget also deletes the cached session), or refuses them: none is ignored.
# A one-line if runs one command: the one to run is chosen into a variable, then evaluated.
alias mfa-unset 'set _awsmfa_args = ( \!* ) ; set _awsmfa_do = "_awsmfa_unset ; _awsmfa_restore" ; if ( $#_awsmfa_args ) set _awsmfa_do = _awsmfa_unset_by_awsmfa ; eval "$_awsmfa_do" ; set _awsmfa_status = $status ; unset _awsmfa_args _awsmfa_do ; ( exit $_awsmfa_status )' ;

# mfa [CODE] [awsmfa env options]: start an MFA session in this shell, or take the cached one. First the quick path
# (awsmfa-quick.tcsh beside this file, whose folder awsmfa init writes in: tcsh cannot tell a sourced file where it
# is, so this file as it is in shell/ runs awsmfa every time). Else awsmfa: the old session is replaced only once
# the new one is in hand: on failure nothing changes and the status is awsmfa's. No output (--help) means nothing
# to apply. The arguments are parsed once, as any command's are (set ... = ( \!* )), and handed on word for word
# ($...:q) to awsmfa run as a plain command: inside `...` tcsh would parse them again. Its output goes through a
# private file of mktemp's (0600), removed at once; >! writes it even with noclobber. tcsh drops empty words when
# it expands a list, so an empty argument ('') does not reach awsmfa.
alias mfa 'set _awsmfa_served = 0 ; set _awsmfa_file = /dev/null/awsmfa ; if ( -f @AWSMFA_SHELL_DIR@/awsmfa-quick.tcsh ) source @AWSMFA_SHELL_DIR@/awsmfa-quick.tcsh \!* ; set _awsmfa_args = ( \!* ) ; ( exit $_awsmfa_served ) && set _awsmfa_file = "`mktemp`" && \awsmfa env --mfa-shell tcsh $_awsmfa_args:q >! $_awsmfa_file:q && set _awsmfa_out = "`cat $_awsmfa_file:q`" && if ($#_awsmfa_out) eval "_awsmfa_unset ; $_awsmfa_out" ; set _awsmfa_status = $status ; if ($_awsmfa_served) set _awsmfa_status = 0 ; if ($_awsmfa_served == 0) rm -f $_awsmfa_file:q ; unset _awsmfa_out _awsmfa_args _awsmfa_file _awsmfa_served ; ( exit $_awsmfa_status )' ;

# Completion of awsmfa and mfa (which takes awsmfa env's options), with tcsh's complete: the command, every option
# after -- (tcsh's patterns cannot tell which command came first), --shell values, and profile names as the AWS CLI
# reads them (awsmfa complete-profiles), which tcsh offers as words and does not evaluate.
# >>> contract: completion
complete awsmfa 'p/1/(env exec serve credential-process unset clear status whoami devices profiles init login logout console rotate keys help)/' 'n/--profile/`\awsmfa complete-profiles | grep -x "[A-Za-z0-9_.@+-]*"`/' 'n/-p/`\awsmfa complete-profiles | grep -x "[A-Za-z0-9_.@+-]*"`/' 'n/--update-profile/`\awsmfa complete-profiles | grep -x "[A-Za-z0-9_.@+-]*"`/' 'n/-u/`\awsmfa complete-profiles | grep -x "[A-Za-z0-9_.@+-]*"`/' 'n/--shell/(bash zsh sh ksh fish tcsh elvish pwsh cmd dotenv env-file json)/' 'n/-s/(bash zsh sh ksh fish tcsh elvish pwsh cmd dotenv env-file json)/' 'n/init/(bash zsh fish tcsh elvish pwsh cmd)/' 'n/help/(env exec serve credential-process unset clear status whoami devices profiles init login logout console rotate keys)/' 'n/keys/(import add list move remove)/' 'n/--to/(keyring file aws-files)/' 'c/--/(verbose quiet code token-code profile serial-number mfa-serial duration-seconds region no-region endpoint-url role-arn direct role-session-name code-command timeout force no-cache min-remaining shell server forget json short save path install update-profile print-env print destination federation-token delete to credential-process check all-profiles help)/' ;
complete mfa 'n/--profile/`\awsmfa complete-profiles | grep -x "[A-Za-z0-9_.@+-]*"`/' 'n/-p/`\awsmfa complete-profiles | grep -x "[A-Za-z0-9_.@+-]*"`/' 'c/--/(verbose quiet code token-code profile serial-number mfa-serial duration-seconds region no-region endpoint-url role-arn direct role-session-name code-command timeout force no-cache min-remaining help)/' ;
# <<< contract: completion
