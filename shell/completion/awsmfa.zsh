# Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.
# Completion of awsmfa and mfa for zsh, read by ../awsmfa.zsh at the first TAB (awsmfa init zsh prints it after
# that file). Its lists are rendered from the CLI's own definitions. bashcompinit gives _awsmfa_complete its compgen.
(( $+functions[compgen] )) || { autoload -U +X bashcompinit && bashcompinit }

# _awsmfa_complete: completion (through zsh's bashcompinit) of awsmfa and mfa (which takes awsmfa env's options):
# commands, options, --shell values, and profile names as the AWS CLI reads them (awsmfa complete-profiles).
# Profile names come from files others may write: they are offered literally (never compgen -W, which expands its
# word list) and quoted with ${(q)...}, because bashcompinit hands COMPREPLY to compadd -Q, which inserts each word
# as it is. (bashcompinit rather than a native _arguments function: one definition for both shells, which the
# tests drive the same way.)
_awsmfa_complete() {
  setopt local_options ksh_arrays sh_word_split # bash's arrays (from 0) and word splitting
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} sub=env at=1 options=''
  # awsmfa help COMMAND: the command's words, one word further on (and no options).
  [ "${COMP_WORDS[0]}" != mfa ] && [ "${COMP_WORDS[1]}" = help ] && [ "$COMP_CWORD" -gt 1 ] && at=2
  [ "${COMP_WORDS[0]}" = mfa ] || sub=${COMP_WORDS[at]}
  case $prev in
    --profile|-p|--update-profile|-u)
      local name quoted
      COMPREPLY=()
      while IFS= read -r name; do
        quoted=${(q)name}
        # (q) leaves ! bare, which an interactive zsh takes for history (and keeps the \ of \!): single quotes.
        [[ $name == *!* ]] && quoted=${(qq)name}
        # What was typed is a prefix of the name, or of its quoted form (as an earlier completion inserted it).
        [[ $name == "$cur"* || $quoted == "$cur"* ]] && COMPREPLY+=("$quoted")
      done < <(command awsmfa complete-profiles 2>/dev/null)
      return 0 ;;
    --shell|-s)
      # >>> contract: dialects
      # shellcheck disable=SC2207
      COMPREPLY=($(compgen -W 'bash zsh sh ksh fish tcsh elvish pwsh cmd dotenv env-file json' -- "$cur"))
      # <<< contract: dialects
      return 0 ;;
  esac
  # A command of two words (keys import): after its first word, its second words; then both words name it.
  # >>> contract: command-groups
  case $sub in
    keys) [ "$COMP_CWORD" -eq $((at + 1)) ] && options='import add list move remove'; sub="keys ${COMP_WORDS[at+1]}" ;;
  esac
  # <<< contract: command-groups
  if [ -n "$options" ]; then
    :
  elif [ "${COMP_WORDS[0]}" != mfa ] && [ "$COMP_CWORD" -eq "$at" ]; then
    # >>> contract: commands
    options='env exec serve credential-process unset clear status whoami devices profiles init login logout console rotate keys help'
    # <<< contract: commands
  elif [ "$at" -eq 1 ]; then
    # >>> contract: command-options
    case $sub in
      env) options='--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --help'; [ "${COMP_WORDS[0]}" = mfa ] || options="$options --shell" ;;
      exec) options='--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --server --help' ;;
      serve) options='--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --shell --help' ;;
      credential-process) options='--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --help' ;;
      unset) options='--verbose --quiet --shell --forget --profile --help' ;;
      clear) options='--verbose --quiet --profile --help' ;;
      status) options='--verbose --quiet --profile --json --short --help' ;;
      whoami) options='--verbose --quiet --profile --json --timeout --help' ;;
      devices) options='--verbose --quiet --profile --save --json --timeout --help' ;;
      profiles) options='--verbose --quiet --json --help' ;;
      init) options='bash zsh fish tcsh elvish pwsh cmd --verbose --quiet --path --install --help' ;;
      login) options='--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --update-profile --print-env --shell --help' ;;
      logout) options='--verbose --quiet --update-profile --profile --serial-number --mfa-serial --help' ;;
      console) options='--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --print --destination --federation-token --help' ;;
      rotate) options='--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --delete --help' ;;
      'keys import') options='--verbose --quiet --profile --to --credential-process --help'; case $prev in --to) options='keyring file' ;; esac ;;
      'keys add') options='--verbose --quiet --profile --to --credential-process --help'; case $prev in --to) options='keyring file' ;; esac ;;
      'keys list') options='--verbose --quiet --check --json --help' ;;
      'keys move') options='--verbose --quiet --profile --to --credential-process --help'; case $prev in --to) options='keyring file aws-files' ;; esac ;;
      'keys remove') options='--verbose --quiet --profile --all-profiles --help' ;;
    esac
    # <<< contract: command-options
  fi
  # shellcheck disable=SC2207
  COMPREPLY=($(compgen -W "$options" -- "$cur"))
}

# _awsmfa_zsh: zsh's own completion of awsmfa and mfa, for what zsh shows beside each word: commands and options
# with the help's descriptions (_describe). The values of --profile and --shell come from _awsmfa_complete above,
# handed to zsh exactly as bashcompinit's _bash_complete hands them (unquoted, then quoted by compadd).
_awsmfa_zsh() {
  local -a described names
  local -A descriptions
  local sub=env name at=2
  # awsmfa help COMMAND: the command's words, one word further on (and no options).
  [[ $words[1] != mfa && $words[2] == help && CURRENT -gt 2 ]] && at=3
  [[ $words[1] == mfa ]] || sub=$words[at]
  case $words[CURRENT-1] in
    --profile|-p|--update-profile|-u|--shell|-s)
      local -a COMP_WORDS COMPREPLY
      local COMP_CWORD=$((CURRENT - 1))
      COMP_WORDS=("${(@)words}")
      _awsmfa_complete
      # As bashcompinit hands them over: unquoted ((Q)), then quoted again by zsh itself for the command line.
      compadd - "${(@)${(Q@)COMPREPLY}:#*\ }"
      compadd -S ' ' - ${${(M)${(Q)COMPREPLY}:#*\ }% }
      return ;;
  esac
  # >>> contract: zsh-descriptions
  descriptions=(
    env 'print shell lines that set an MFA session'\''s credentials'
    exec 'run a command with an MFA session in its environment'
    serve 'serve a profile'\''s credentials on 127.0.0.1 for the AWS SDKs and CLI, renewed before they expire'
    credential-process 'print a session as a credential_process'\''s JSON, for profiles that use awsmfa'
    unset 'print the lines that clear the session variables'
    clear 'delete cached sessions'
    status 'show the MFA session in use and how long it has left'
    whoami 'show who the credentials in effect belong to'
    devices 'list your MFA devices, and save one as the profile'\''s mfa_serial'
    profiles 'list the profiles of ~/.aws with their MFA device, role and cached session'
    init 'print the shell functions mfa and mfa-unset, for your shell'\''s rc file'
    login 'write an MFA session into a profile of ~/.aws/credentials'
    logout 'remove a session profile written by awsmfa login'
    console 'open the AWS console in your browser, signed in with the session'
    rotate 'replace the profile'\''s access key with a new one, under an MFA policy'
    keys 'long-term keys off the disk: import, add, list, move, remove'
    help 'show the help of awsmfa or of a command'
    keys/import 'move a profile'\''s long-term keys from ~/.aws/credentials into the OS keyring or an encrypted file'
    keys/add 'store new long-term keys for a profile, typed on the terminal, without writing them to any file'
    keys/list 'list where each profile'\''s long-term keys live (key ids only, never a secret)'
    keys/move 'move a profile'\''s long-term keys to another store, or back into ~/.aws/credentials'
    keys/remove 'delete a profile'\''s long-term keys from their store (after a key rotation, or to forget them)'
    --verbose 'Explain each step on stderr (never secrets); show stack traces'
    --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show'
    --code 'The 6-digit code from your MFA device (or give it as the argument)'
    --token-code 'The 6-digit code from your MFA device (or give it as the argument)'
    --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)'
    --serial-number 'MFA device ARN (default: mfa_serial of the profile)'
    --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)'
    --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS'\''s 12 hours)'
    --region 'STS region, also exported with the session (default: AWS_REGION, the profile'\''s region, else us-east-1)'
    --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session'
    --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)'
    --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)'
    --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)'
    --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)'
    --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)'
    --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
    --force 'Ask STS for a new session even when a cached one is still valid (needs a code)'
    --no-cache 'Read and keep the session in awsmfa'\''s cache'
    --min-remaining 'Reuse a cached session only with more than this left: 300s, 5m, 1h (default 5m)'
    --shell 'Output dialect: bash, zsh, sh, dash, posix, ksh, mksh, ksh93, pdksh, fish, tcsh, csh, elvish, pwsh, powershell, cmd, dotenv, env-file, json, process; detected from the calling shell when not given'
    --server 'Serve the credentials from a local endpoint (127.0.0.1, the container credentials protocol) that renews them before they expire, instead of putting them in the command'\''s environment; it ends with the command'
    --forget 'Also delete the cached session of the profile'
    --json 'Print a JSON document'
    --short 'Print only the time left of the session in use (11h 42m), or "expired"'
    --save 'Write the device (the only one, or the one you pick) as mfa_serial of the profile'
    --path 'Print where the shell'\''s file is in awsmfa'\''s package, to source it (or link it) directly'
    --install 'Copy the shell'\''s file into awsmfa'\''s data folder and add the line that loads it to the shell'\''s rc file (once): no node at each start'
    --update-profile 'Profile to write the session into (default: session-<device name>)'
    --print-env 'Also print the lines that set the session in this shell (see awsmfa env)'
    --print 'Print the sign-in URL on stdout instead of opening a browser (it is a secret for 15 minutes)'
    --destination 'The console page to land on (default: the console'\''s home in the profile'\''s region)'
    --federation-token 'Without a role: sign in with a GetFederationToken session of your long-term keys, which has no MFA context'
    --delete 'The user'\''s other access key, to delete before rotating (IAM allows two)'
    --to 'The store: keyring (the OS keyring: macOS Keychain, Windows Credential Manager, Secret Service) or file (an age-encrypted file); default keyring'
    --credential-process 'Point the profile'\''s credential_process at awsmfa, so the AWS CLI and SDKs keep working with it (default; --no-credential-process leaves it out)'
    --check 'Open the stores and check that each secret is there'
    --all-profiles 'Also from every other profile that names the same key (otherwise such a profile is a refusal)'
    unset/--profile 'With --forget: the profile (default: AWS_PROFILE, else default)'
    clear/--profile 'Delete only the sessions this profile uses'
    status/--profile 'Profile whose cached session to show (default: AWS_PROFILE, else default)'
    whoami/--profile 'Profile whose keys to ask about when the environment holds none'
    devices/--timeout 'Give up on IAM after this long: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
    logout/--update-profile 'The session profile to remove (default: session-<device name>)'
    logout/--profile 'Without --update-profile: the profile whose MFA device names the session profile'
    logout/--serial-number 'Without --update-profile: the MFA device that names the session profile'
    logout/--mfa-serial 'Without --update-profile: the MFA device that names the session profile'
    keys/import/--profile 'Profile whose keys to import (default: AWS_PROFILE, else default)'
    keys/add/--profile 'Profile the keys are for (default: AWS_PROFILE, else default)'
    keys/move/--profile 'Profile whose keys to move (default: AWS_PROFILE, else default)'
    keys/move/--to 'Where to: keyring, file, aws-files'
    keys/remove/--profile 'Profile whose keys to delete (default: AWS_PROFILE, else default)'
  )
  # <<< contract: zsh-descriptions
  # >>> contract: zsh-groups
  case $sub in
    keys) (( CURRENT == at + 1 )) && names=(import add list move remove); sub=keys/$words[at+1] ;;
  esac
  # <<< contract: zsh-groups
  if (( $#names )); then
    sub=${sub%%/*} # the second words' descriptions are under FIRST/SECOND
  elif [[ $words[1] != mfa && CURRENT -eq at ]]; then
    # >>> contract: zsh-commands
    names=(env exec serve credential-process unset clear status whoami devices profiles init login logout console rotate keys help)
    # <<< contract: zsh-commands
  elif (( at == 2 )); then
    case $sub in
      # >>> contract: zsh-options
      env) names=(--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --shell); [[ $words[1] == mfa ]] && names=(${names:#--shell}) ;;
      exec) names=(--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --server) ;;
      serve) names=(--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --shell) ;;
      credential-process) names=(--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining) ;;
      unset) names=(--verbose --quiet --shell --forget --profile) ;;
      clear) names=(--verbose --quiet --profile) ;;
      status) names=(--verbose --quiet --profile --json --short) ;;
      whoami) names=(--verbose --quiet --profile --json --timeout) ;;
      devices) names=(--verbose --quiet --profile --save --json --timeout) ;;
      profiles) names=(--verbose --quiet --json) ;;
      init) names=(bash zsh fish tcsh elvish pwsh cmd --verbose --quiet --path --install) ;;
      login) names=(--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --update-profile --print-env --shell) ;;
      logout) names=(--verbose --quiet --update-profile --profile --serial-number --mfa-serial) ;;
      console) names=(--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --print --destination --federation-token) ;;
      rotate) names=(--verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --delete) ;;
      keys/import) [[ $words[CURRENT-1] == (--to) ]] && { compadd - keyring file; return }; names=(--verbose --quiet --profile --to --credential-process) ;;
      keys/add) [[ $words[CURRENT-1] == (--to) ]] && { compadd - keyring file; return }; names=(--verbose --quiet --profile --to --credential-process) ;;
      keys/list) names=(--verbose --quiet --check --json) ;;
      keys/move) [[ $words[CURRENT-1] == (--to) ]] && { compadd - keyring file aws-files; return }; names=(--verbose --quiet --profile --to --credential-process) ;;
      keys/remove) names=(--verbose --quiet --profile --all-profiles) ;;
      # <<< contract: zsh-options
    esac
  fi
  [[ $sub == mfa || $words[1] == mfa ]] && sub=env # mfa's options are env's
  for name in $names; do
    name=${name//:/\\:}
    described+=("$name${descriptions[$sub/$name]+:$descriptions[$sub/$name]}")
    [[ -n ${descriptions[$sub/$name]+set} ]] || described[-1]+=${descriptions[$name]+:$descriptions[$name]}
  done
  _describe 'awsmfa' described
}
