# awsmfa for zsh. In ~/.zshrc:  eval "$(awsmfa init zsh)"   or, starting no node:  source <this file>
# (also an oh-my-zsh custom plugin or a zinit snippet as it is; `awsmfa init --path zsh` prints where it is.)

# mfa [CODE] [awsmfa env options]: start an MFA session in this shell, or take the cached one. The old session is
# replaced only once the new one is in hand: on failure nothing changes and the status is awsmfa's.
mfa() {
  emulate -L zsh
  local _awsmfa_out
  _awsmfa_out=$(command awsmfa env --mfa-shell zsh "$@") || return
  [ -n "$_awsmfa_out" ] || return 0 # --help: nothing to apply
  mfa-unset
  eval "$_awsmfa_out"
}

# mfa-unset: remove the session variables from this shell, and the region only when awsmfa exported it.
mfa-unset() {
  if [ -n "${AWSMFA_REGION:-}" ] && [ "${AWS_REGION:-}" = "$AWSMFA_REGION" ]; then
    unset AWS_REGION AWS_DEFAULT_REGION
  fi
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWSMFA_PROFILE AWSMFA_REGION
}

# mfa-prompt: the time left of the session in this shell ("[aws 11h42m] "), for PS1/PROMPT; runs no node, only date.
mfa-prompt() {
  [ -n "${AWS_CREDENTIAL_EXPIRATION:-}" ] || return 0
  local end left
  end=$(date -d "$AWS_CREDENTIAL_EXPIRATION" +%s 2>/dev/null ||
        date -j -u -f '%Y-%m-%dT%H:%M:%SZ' "$AWS_CREDENTIAL_EXPIRATION" +%s 2>/dev/null) || return 0
  left=$(( end - $(date +%s) ))
  if [ "$left" -gt 0 ]; then printf '[aws %dh%02dm] ' $((left / 3600)) $((left % 3600 / 60)); else printf '[aws expired] '; fi
}
