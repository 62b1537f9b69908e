# Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.
# shellcheck shell=bash
# Completion of awsmfa and mfa for bash, read by ../awsmfa.bash at the first TAB (awsmfa init bash prints it
# after that file). Its lists are rendered from the CLI's own definitions.

# _awsmfa_complete: completion of awsmfa and mfa (which takes awsmfa env's options): commands, options, --shell
# values, and profile names as the AWS CLI reads them (awsmfa complete-profiles). Profile names come from files
# others may write (a team's AWS_CONFIG_FILE): they are offered literally, never through compgen -W (which expands
# $(...), `...`, ${...} and braces in its word list), and each is quoted (printf %q) so the command line gets the
# exact name.
_awsmfa_complete() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} sub=env at=1 options=''
  # awsmfa help COMMAND: the command's words, one word further on (and no options).
  [ "${COMP_WORDS[0]}" != mfa ] && [ "${COMP_WORDS[1]}" = help ] && [ "$COMP_CWORD" -gt 1 ] && at=2
  [ "${COMP_WORDS[0]}" = mfa ] || sub=${COMP_WORDS[at]}
  case $prev in
    --profile|-p|--update-profile|-u)
      local name quoted after=''
      # A word of one COMP_WORDBREAKS character (a name starting with = or :): readline inserts after it.
      [[ ${#cur} -eq 1 && ${COMP_WORDBREAKS-} == *"$cur"* ]] && after=$cur
      COMPREPLY=()
      while IFS= read -r name; do
        printf -v quoted %q "$name"
        # What was typed is a prefix of the name, or of its quoted form (as an earlier completion inserted it).
        [[ $name == "$cur"* || $quoted == "$cur"* ]] && COMPREPLY+=("${quoted#"$after"}")
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
