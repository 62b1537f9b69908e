# Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.
# awsmfa for fish. `awsmfa init --install fish` copies it into awsmfa's data folder and adds the line that sources
# the copy to config.fish: no node at each start. (It also loads as it is, as a conf.d file.)

# mfa [CODE] [awsmfa env options]: start an MFA session in this shell, or take the cached one. The old session is
# replaced only once the new one is in hand: on failure nothing changes and the status is awsmfa's.
function mfa --description 'Start an AWS MFA session (awsmfa env)'
    __awsmfa_quick $argv; and return 0
    set -l out (command awsmfa env --mfa-shell fish $argv)
    or return
    set -q out[1]; or return 0 # --help: nothing to apply
    __awsmfa_unset
    string join \n -- $out | source
    # fish's set keeps an earlier failure in $status (a variable __awsmfa_unset removed first): the session is applied.
    return 0
end

# __awsmfa_quick [--profile P]: take the profile's cached session from the file awsmfa keeps for the shells
# (<cache>/profiles/P.env), with builtins only (and one date for the clock fish lacks): no node, no source. The file
# is data: NAME=value lines, of awsmfa's names only. It is used only when mfa got no argument but the profile, the
# file and its folder are this user's, both AWS files are as awsmfa found them (__awsmfa_unchanged), and the session
# has more than 5 minutes left; anything else returns 1 and awsmfa decides, as without this function.
function __awsmfa_quick
    set -l profile
    if test (count $argv) -eq 0
        # >>> contract: profile-precedence
        for candidate in "$AWS_PROFILE" "$AWS_DEFAULT_PROFILE" "$AWSMFA_PROFILE" default
        # <<< contract: profile-precedence
            if test -n "$candidate"
                set profile $candidate
                break
            end
        end
    else if test (count $argv) -eq 1; and string match -q -- '--profile=*' $argv[1]
        set profile (string replace -- '--profile=' '' $argv[1])
    else if test (count $argv) -eq 2; and contains -- $argv[1] --profile -p
        set profile $argv[2]
    else
        return 1
    end
    # >>> contract: profile-pattern
    string match -qr '^[ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@+-]{1,128}$' -- $profile; or return 1
    # <<< contract: profile-pattern
    # >>> contract: cache-folder
    set -l dir
    if test -n "$AWSMFA_CACHE_DIR"
        set dir $AWSMFA_CACHE_DIR/profiles
    else if test -e /System/Library/CoreServices/SystemVersion.plist
        set dir $HOME/Library/Caches/awsmfa/profiles
    else if test -n "$XDG_CACHE_HOME"
        set dir $XDG_CACHE_HOME/awsmfa/profiles
    else
        set dir $HOME/.cache/awsmfa/profiles
    end
    set -l file $dir/$profile.env
    # <<< contract: cache-folder
    test -f $file; and not test -L $file; and test -O $file; and not test -L $dir; and test -O $dir; or return 1
    set -l config $HOME/.aws/config
    test -n "$AWS_CONFIG_FILE"; and set config $AWS_CONFIG_FILE
    set -l credentials $HOME/.aws/credentials
    test -n "$AWS_SHARED_CREDENTIALS_FILE"; and set credentials $AWS_SHARED_CREDENTIALS_FILE
    string match -q -r '[~$]' -- "$config$credentials"; and return 1
    string match -q -- '/*' $config; and string match -q -- '/*' $credentials; or return 1
    set -l names
    set -l values
    set -l expires
    set -l region
    set -l from_config
    set -l from_credentials
    set -l config_stat
    set -l credentials_stat
    # The whole file in one read, cut into names and values by two string calls: a read and a split per line cost
    # fish more than all the rest of mfa. A line that is not NAME=value refuses the file.
    read -z -l text <$file
    set -l lines (string split -n \n -- $text)
    string match -qrv '^[A-Z_]+=' -- $lines; and return 1
    set -l keys (string replace -r '=.*' '' -- $lines)
    set -l all (string replace -r '^[^=]*=' '' -- $lines)
    for key in $keys
        set -l value $all[1]
        set -e all[1]
        switch $key
            case AWSMFA_EXPIRES
                set expires $value
            case AWSMFA_CONFIG_FILE
                set from_config $value
            case AWSMFA_CREDENTIALS_FILE
                set from_credentials $value
            case AWSMFA_CONFIGURED_REGION
                set region $value
            case AWSMFA_CONFIG_STAT
                set config_stat $value
            case AWSMFA_CREDENTIALS_STAT
                set credentials_stat $value
            # >>> contract: session-names
            case AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWSMFA_PROFILE
            # <<< contract: session-names
                # The file names its profile: one renamed to another profile's name is not that profile's session.
                if test $key = AWSMFA_PROFILE; and test "$value" != "$profile"
                    return 1
                end
                set -a names $key
                set -a values "$value"
            case '*'
                return 1
        end
    end
    # Made from these very files: another AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE or HOME is awsmfa's to resolve.
    test "$from_config" = "$config"; and test "$from_credentials" = "$credentials"; or return 1
    __awsmfa_unchanged $config "$config_stat" $dir/$profile.config; and __awsmfa_unchanged $credentials "$credentials_stat" $dir/$profile.credentials; or return 1
    # >>> contract: margin
    set -l margin 300
    set -l count 6
    # <<< contract: margin
    string match -qr '^[0-9]{1,12}$' -- "$expires"; and test (count $names) -eq $count; or return 1
    # fish has no clock: now is the file's mtime plus its age (builtin path, fish 3.5), else date's.
    set -l now
    if builtin -q path
        set now (math (path mtime -- $file) + (path mtime --relative -- $file))
    else
        set now (date +%s); or return 1
    end
    test $expires -gt (math $now + $margin); or return 1
    __awsmfa_unset
    # >>> contract: set-aside
    set -l aside
    if set -q AWS_PROFILE
        set -a aside AWS_PROFILE
        test -n "$AWS_PROFILE"; and set -gx AWSMFA_AWS_PROFILE $AWS_PROFILE
        set -e -g AWS_PROFILE 2>/dev/null
    end
    if set -q AWS_DEFAULT_PROFILE
        set -a aside AWS_DEFAULT_PROFILE
        test -n "$AWS_DEFAULT_PROFILE"; and set -gx AWSMFA_AWS_DEFAULT_PROFILE $AWS_DEFAULT_PROFILE
        set -e -g AWS_DEFAULT_PROFILE 2>/dev/null
    end
    set -q aside[1]; and set aside ' ('(string join ' and ' $aside)' set aside until mfa-unset)'
    # <<< contract: set-aside
    for name in $names
        set -gx $name $values[1]
        set -e values[1]
    end
    # The profile's region, as awsmfa env exports it: not over a region of the user's own.
    if test -n "$region"; and not set -q AWS_REGION
        set -gx AWS_REGION $region
        set -gx AWS_DEFAULT_REGION $region
        set -gx AWSMFA_REGION $region
    end
    # >>> contract: served-line
    # Said once, on stderr, with builtins only; AWSMFA_QUIET=1 keeps it quiet.
    test "$AWSMFA_QUIET" = 1; or printf 'awsmfa: %s: cached session, %dh %02dm left%s\\n' $profile (math --scale=0 "($expires - $now) / 3600") (math --scale=0 "($expires - $now) % 3600 / 60") "$aside" >&2
    # <<< contract: served-line
    return 0
end

# __awsmfa_unchanged FILE RECORD STAMP: whether an AWS file is as awsmfa recorded it when it wrote the profile's
# file: absent then (RECORD -) and now, or its mtime, to the nanosecond, between those of the two stamp files
# awsmfa left around the recorded one (STAMP.<mtime>.lo and .hi). fish has no stat but test -nt/-ot: a restored
# older file, a rename, a deletion or a new file is seen without a fork (src/cache/shell-files.ts says what is not).
function __awsmfa_unchanged --argument-names file record stamp
    if test "$record" = -
        not test -e $file
        return
    end
    set -l mtime (string split : -- $record)[3]
    string match -qr '^[0-9]{10,20}$' -- "$mtime"; or return 1
    test -O $stamp.$mtime.lo; and test -O $stamp.$mtime.hi; and test $file -nt $stamp.$mtime.lo; and test $file -ot $stamp.$mtime.hi
end

# mfa-unset [--forget] [--profile P]: remove the session from this shell (__awsmfa_unset) and put back the
# AWS_PROFILE (and AWS_DEFAULT_PROFILE) it set aside, unless that was set again since. With arguments, awsmfa unset
# does it all (--forget also deletes the cached session), or refuses them: none is ever ignored.
function mfa-unset --description 'Remove the AWS MFA session variables'
    if set -q argv[1]
        set -l out (command awsmfa unset --mfa-shell fish $argv)
        or return
        string join \n -- $out | source
        return 0
    end
    __awsmfa_unset
    # >>> contract: set-aside-restore
    if set -q AWSMFA_AWS_PROFILE
        test -n "$AWSMFA_AWS_PROFILE"; and not set -q AWS_PROFILE; and set -gx AWS_PROFILE $AWSMFA_AWS_PROFILE
        set -e -g AWSMFA_AWS_PROFILE
    end
    if set -q AWSMFA_AWS_DEFAULT_PROFILE
        test -n "$AWSMFA_AWS_DEFAULT_PROFILE"; and not set -q AWS_DEFAULT_PROFILE; and set -gx AWS_DEFAULT_PROFILE $AWSMFA_AWS_DEFAULT_PROFILE
        set -e -g AWSMFA_AWS_DEFAULT_PROFILE
    end
    # <<< contract: set-aside-restore
    return 0
end

# __awsmfa_unset: remove the session variables, and the region only when awsmfa exported it (what mfa does before it
# applies a new session: what was set aside stays aside).
function __awsmfa_unset
    if set -q AWSMFA_REGION; and set -q AWS_REGION; and test "$AWS_REGION" = "$AWSMFA_REGION"
        set -e -g AWS_REGION AWS_DEFAULT_REGION
    end
    # >>> contract: variables
    if set -q AWSMFA_SERVER_PID
        set -e -g AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN AWSMFA_SERVER_PID
    end
    if test "$AWS_SHARED_CREDENTIALS_FILE" = /dev/null/hidden-by-awsmfa
        set -e -g AWS_SHARED_CREDENTIALS_FILE
    end
    if test "$AWS_CONFIG_FILE" = /dev/null/hidden-by-awsmfa
        set -e -g AWS_CONFIG_FILE
    end
    if test "$BOTO_CONFIG" = /dev/null/hidden-by-awsmfa
        set -e -g BOTO_CONFIG
    end
    set -e -g AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWSMFA_PROFILE AWSMFA_REGION
    # <<< contract: variables
    return 0
end

# mfa-prompt: the time left of the session in this shell ("[aws 11h 42m] "), for fish_prompt; runs no node, only date.
function mfa-prompt --description 'Time left of the AWS MFA session'
    set -q AWS_CREDENTIAL_EXPIRATION; or return 0
    set -l end (date -d $AWS_CREDENTIAL_EXPIRATION +%s 2>/dev/null; or date -j -u -f '%Y-%m-%dT%H:%M:%SZ' $AWS_CREDENTIAL_EXPIRATION +%s 2>/dev/null)
    or return 0
    set -l left (math $end - (date +%s))
    if test $left -gt 0
        printf '[aws %dh %02dm] ' (math --scale=0 $left / 3600) (math --scale=0 $left % 3600 / 60)
    else
        printf '[aws expired] '
    end
end

# Completion of awsmfa and mfa: completion/awsmfa.fish beside this file's real path (a conf.d link is followed),
# read at the first TAB so that a new shell does not parse it; it defines __awsmfa_complete anew.
function __awsmfa_complete
    set -l self (realpath -- (functions --details __awsmfa_complete))
    source (string replace -r '/[^/]*$' '' -- $self)/completion/awsmfa.fish; and __awsmfa_complete
end
complete -c awsmfa -f -a '(__awsmfa_complete)'
complete -c mfa -f -a '(__awsmfa_complete)'
