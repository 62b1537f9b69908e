# Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.
# awsmfa for bash. `awsmfa init --install bash` copies it into awsmfa's data folder and adds the line that sources the
# copy to ~/.bashrc: no node at each start. (`awsmfa init bash` prints it, with awsmfa's absolute path put in when
# awsmfa is not on PATH, for eval "$(awsmfa init bash)", which starts node each time.)

# mfa [CODE] [awsmfa env options]: start an MFA session in this shell, or take the cached one. The old session is
# replaced only once the new one is in hand: on failure nothing changes and the status is awsmfa's.
mfa() {
  _awsmfa_quick "$@" && return 0
  local _awsmfa_out
  _awsmfa_out=$(command awsmfa env --mfa-shell bash "$@") || return
  [ -n "$_awsmfa_out" ] || return 0 # --help: nothing to apply
  _awsmfa_unset
  eval "$_awsmfa_out"
}

# _awsmfa_quick [--profile P]: take the profile's cached session from the file awsmfa keeps for the shells
# (<cache>/profiles/P.env), with builtins only: no node, no eval. The file is data: NAME=value lines, of awsmfa's
# names only. It is used only when mfa got no argument but the profile, the file and its folder are this user's,
# both AWS files are as awsmfa found them (_awsmfa_unchanged), and the session has more than 5 minutes left;
# anything else returns 1 and awsmfa decides, as without this function.
_awsmfa_quick() {
  local profile dir file config credentials line name value expires='' region='' from_config='' from_credentials='' config_stat='' credentials_stat='' now i
  local -a names=() values=()
  case $#:${1:-} in
    # >>> contract: profile-precedence
    0:) profile=${AWS_PROFILE:-${AWS_DEFAULT_PROFILE:-${AWSMFA_PROFILE:-default}}} ;;
    # <<< contract: profile-precedence
    1:--profile=*) profile=${1#--profile=} ;;
    2:--profile|2:-p) profile=$2 ;;
    *) return 1 ;;
  esac
  # Patterns, not =~: bash compiles a regex on every use, and ^[...]{1,128}$ cost more than the rest of mfa.
  # >>> contract: profile-pattern
  [[ -n $profile && ${#profile} -le 128 && $profile != *[!ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@+-]* ]] || return 1
  # <<< contract: profile-pattern
  # >>> contract: cache-folder
  if [ -n "${AWSMFA_CACHE_DIR:-}" ]; then
    dir=$AWSMFA_CACHE_DIR/profiles
  else
    case ${OSTYPE:-} in
      darwin*) dir=$HOME/Library/Caches/awsmfa/profiles ;;
      *) dir=${XDG_CACHE_HOME:-$HOME/.cache}/awsmfa/profiles ;;
    esac
  fi
  file=$dir/$profile.env
  # <<< contract: cache-folder
  [ -f "$file" ] && [ ! -L "$file" ] && [ -O "$file" ] && [ ! -L "$dir" ] && [ -O "$dir" ] || return 1
  config=${AWS_CONFIG_FILE:-$HOME/.aws/config}
  credentials=${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}
  case $config:$credentials in /*:/*) ;; *) return 1 ;; esac
  case $config$credentials in *'~'* | *'$'*) return 1 ;; esac
  while IFS= read -r line; do
    name=${line%%=*}
    value=${line#*=}
    case $name in
      AWSMFA_EXPIRES) expires=$value ;;
      AWSMFA_CONFIG_FILE) from_config=$value ;;
      AWSMFA_CREDENTIALS_FILE) from_credentials=$value ;;
      AWSMFA_CONFIGURED_REGION) region=$value ;;
      AWSMFA_CONFIG_STAT) config_stat=$value ;;
      AWSMFA_CREDENTIALS_STAT) credentials_stat=$value ;;
      # >>> contract: session-names
      AWS_ACCESS_KEY_ID | AWS_SECRET_ACCESS_KEY | AWS_SESSION_TOKEN | AWS_CREDENTIAL_EXPIRATION | AWS_SESSION_EXPIRATION | AWSMFA_PROFILE)
      # <<< contract: session-names
        # The file names its profile: one renamed to another profile's name is not that profile's session.
        [ "$name" != AWSMFA_PROFILE ] || [ "$value" = "$profile" ] || return 1
        names+=("$name")
        values+=("$value") ;;
      *) return 1 ;;
    esac
  done <"$file"
  # Made from these very files: another AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE or HOME is awsmfa's to resolve.
  [ "$from_config" = "$config" ] && [ "$from_credentials" = "$credentials" ] || return 1
  _awsmfa_unchanged "$config" "$config_stat" "$dir/$profile.config" &&
    _awsmfa_unchanged "$credentials" "$credentials_stat" "$dir/$profile.credentials" || return 1
  now=${EPOCHSECONDS:-}
  [ -n "$now" ] || now=$(date +%s) || return 1 # bash before 5.0 has no clock of its own
  # >>> contract: margin
  local margin=300 count=6
  # <<< contract: margin
  [[ -n $expires && ${#expires} -le 12 && $expires != *[!0123456789]* ]] && [ "$expires" -gt $((now + margin)) ] && [ "${#names[@]}" -eq "$count" ] || return 1
  _awsmfa_unset
  # >>> contract: set-aside
  local aside=''
  if [ -n "${AWS_PROFILE+set}" ]; then aside=${aside:+$aside and }AWS_PROFILE; [ -z "$AWS_PROFILE" ] || export AWSMFA_AWS_PROFILE="$AWS_PROFILE"; unset AWS_PROFILE; fi
  if [ -n "${AWS_DEFAULT_PROFILE+set}" ]; then aside=${aside:+$aside and }AWS_DEFAULT_PROFILE; [ -z "$AWS_DEFAULT_PROFILE" ] || export AWSMFA_AWS_DEFAULT_PROFILE="$AWS_DEFAULT_PROFILE"; unset AWS_DEFAULT_PROFILE; fi
  [ -z "$aside" ] || aside=' ('$aside' set aside until mfa-unset)'
  # <<< contract: set-aside
  for i in "${!names[@]}"; do
    export "${names[i]}=${values[i]}"
  done
  # The profile's region, as awsmfa env exports it: not over a region of the user's own.
  if [ -n "$region" ] && [ -z "${AWS_REGION+set}" ]; then
    export AWS_REGION="$region" AWS_DEFAULT_REGION="$region" AWSMFA_REGION="$region"
  fi
  # >>> contract: served-line
  # Said once, on stderr, with builtins only; AWSMFA_QUIET=1 keeps it quiet.
  [ "${AWSMFA_QUIET:-}" = 1 ] || printf 'awsmfa: %s: cached session, %dh %02dm left%s\n' "$profile" $(((expires - now) / 3600)) $(((expires - now) % 3600 / 60)) "$aside" >&2
  # <<< contract: served-line
}

# _awsmfa_unchanged FILE RECORD STAMP: whether an AWS file is as awsmfa recorded it when it wrote the profile's file:
# absent then (RECORD -) and now, or its mtime, to the nanosecond, between those of the two stamp files awsmfa left
# around the recorded one (STAMP.<mtime>.lo and .hi). bash has no stat but test -nt/-ot: a restored older file,
# a rename, a deletion or a new file is seen without a fork (src/cache/shell-files.ts says what is not).
_awsmfa_unchanged() {
  if [ "$2" = - ]; then
    [ ! -e "$1" ]
    return
  fi
  local mtime=${2#*:*:}
  mtime=${mtime%%:*}
  [[ ${#mtime} -ge 10 && ${#mtime} -le 20 && $mtime != *[!0123456789]* ]] && [ -O "$3.$mtime.lo" ] && [ -O "$3.$mtime.hi" ] && [ "$1" -nt "$3.$mtime.lo" ] && [ "$1" -ot "$3.$mtime.hi" ]
}

# mfa-unset [--forget] [--profile P]: remove the session from this shell (_awsmfa_unset) and put back the AWS_PROFILE
# (and AWS_DEFAULT_PROFILE) it set aside, unless that was set again since. With arguments, awsmfa unset does it all
# (--forget also deletes the cached session), or refuses them: none is ever ignored.
mfa-unset() {
  if [ $# -gt 0 ]; then
    local _awsmfa_out
    _awsmfa_out=$(command awsmfa unset --mfa-shell bash "$@") || return
    eval "$_awsmfa_out"
    return
  fi
  _awsmfa_unset
  # >>> contract: set-aside-restore
  [ -z "${AWSMFA_AWS_PROFILE:-}" ] || [ -n "${AWS_PROFILE+set}" ] || export AWS_PROFILE="$AWSMFA_AWS_PROFILE"
  unset AWSMFA_AWS_PROFILE
  [ -z "${AWSMFA_AWS_DEFAULT_PROFILE:-}" ] || [ -n "${AWS_DEFAULT_PROFILE+set}" ] || export AWS_DEFAULT_PROFILE="$AWSMFA_AWS_DEFAULT_PROFILE"
  unset AWSMFA_AWS_DEFAULT_PROFILE
  # <<< contract: set-aside-restore
}

# _awsmfa_unset: remove the session variables, and the region only when awsmfa exported it (what mfa does before it
# applies a new session: what was set aside stays aside).
_awsmfa_unset() {
  if [ -n "${AWSMFA_REGION:-}" ] && [ "${AWS_REGION:-}" = "$AWSMFA_REGION" ]; then
    unset AWS_REGION AWS_DEFAULT_REGION
  fi
  # >>> contract: variables
  if [ -n "${AWSMFA_SERVER_PID:-}" ]; then unset AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN AWSMFA_SERVER_PID; fi
  [ "${AWS_SHARED_CREDENTIALS_FILE:-}" != /dev/null/hidden-by-awsmfa ] || unset AWS_SHARED_CREDENTIALS_FILE
  [ "${AWS_CONFIG_FILE:-}" != /dev/null/hidden-by-awsmfa ] || unset AWS_CONFIG_FILE
  [ "${BOTO_CONFIG:-}" != /dev/null/hidden-by-awsmfa ] || unset BOTO_CONFIG
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWSMFA_PROFILE AWSMFA_REGION
  # <<< contract: variables
}

# mfa-prompt: the time left of the session in this shell ("[aws 11h 42m] "), for PS1/PROMPT; runs no node, only date.
mfa-prompt() {
  [ -n "${AWS_CREDENTIAL_EXPIRATION:-}" ] || return 0
  local end left
  end=$(date -d "$AWS_CREDENTIAL_EXPIRATION" +%s 2>/dev/null ||
        date -j -u -f '%Y-%m-%dT%H:%M:%SZ' "$AWS_CREDENTIAL_EXPIRATION" +%s 2>/dev/null) || return 0
  left=$(( end - $(date +%s) ))
  if [ "$left" -gt 0 ]; then printf '[aws %dh %02dm] ' $((left / 3600)) $((left % 3600 / 60)); else printf '[aws expired] '; fi
}

# Completion of awsmfa and mfa: completion/awsmfa.bash, beside this file, read at the first TAB (so that a new shell
# does not parse it), found from this file's own path with links followed; it defines _awsmfa_complete anew.
# (awsmfa init bash prints that file after this one, which replaces this function before it ever runs.)
# shellcheck disable=SC2317
_awsmfa_complete() {
  local self=${BASH_SOURCE[0]} link hops=0
  while [ -L "$self" ] && [ $((hops += 1)) -le 40 ]; do
    link=$(command readlink -- "$self") || return 0
    case $link in
      /*) self=$link ;;
      *) [[ $self == */* ]] && self=${self%/*}/$link || self=$link ;;
    esac
  done
  [[ $self == */* ]] || self=./$self
  # shellcheck source=/dev/null
  . "${self%/*}/completion/awsmfa.bash" && _awsmfa_complete
}
complete -F _awsmfa_complete awsmfa mfa
