# Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.
# awsmfa for fish. In ~/.config/fish/config.fish:  awsmfa init fish | source
# or, starting no node, as a conf.d file:  ln -s (awsmfa init --path fish) ~/.config/fish/conf.d/awsmfa.fish

# mfa [CODE] [awsmfa env options]: start an MFA session in this shell, or take the cached one. The old session is
# replaced only once the new one is in hand: on failure nothing changes and the status is awsmfa's.
function mfa --description 'Start an AWS MFA session (awsmfa env)'
    __awsmfa_quick $argv; and return 0
    set -l out (command awsmfa env --mfa-shell fish $argv)
    or return
    set -q out[1]; or return 0 # --help: nothing to apply
    mfa-unset
    string join \n -- $out | source
    # fish's set keeps an earlier failure in $status (a variable mfa-unset removed first): the session is applied.
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
    while read -l --line line
        set -l parts (string split -m 1 = -- $line)
        switch $parts[1]
            case AWSMFA_EXPIRES
                set expires $parts[2]
            case AWSMFA_CONFIG_FILE
                set from_config $parts[2]
            case AWSMFA_CREDENTIALS_FILE
                set from_credentials $parts[2]
            case AWSMFA_CONFIGURED_REGION
                set region $parts[2]
            case AWSMFA_CONFIG_STAT
                set config_stat $parts[2]
            case AWSMFA_CREDENTIALS_STAT
                set credentials_stat $parts[2]
            # >>> contract: session-names
            case AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWSMFA_PROFILE
            # <<< contract: session-names
                # The file names its profile: one renamed to another profile's name is not that profile's session.
                if test $parts[1] = AWSMFA_PROFILE; and test "$parts[2]" != "$profile"
                    return 1
                end
                set -a names $parts[1]
                set -a values "$parts[2]"
            case '*'
                return 1
        end
    end <$file
    # Made from these very files: another AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE or HOME is awsmfa's to resolve.
    test "$from_config" = "$config"; and test "$from_credentials" = "$credentials"; or return 1
    __awsmfa_unchanged $config "$config_stat" $dir/$profile.config; and __awsmfa_unchanged $credentials "$credentials_stat" $dir/$profile.credentials; or return 1
    # >>> contract: margin
    set -l margin 300
    set -l count 6
    # <<< contract: margin
    string match -qr '^[0-9]{1,12}$' -- "$expires"; and test (count $names) -eq $count; or return 1
    set -l now (date +%s); or return 1
    test $expires -gt (math $now + $margin); or return 1
    mfa-unset
    set -e -g AWS_PROFILE AWS_DEFAULT_PROFILE 2>/dev/null
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
    test "$AWSMFA_QUIET" = 1; or printf 'awsmfa: %s: cached session, %dh %02dm left\\n' $profile (math --scale=0 "($expires - $now) / 3600") (math --scale=0 "($expires - $now) % 3600 / 60") >&2
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

# mfa-unset: remove the session variables from this shell, and the region only when awsmfa exported it.
function mfa-unset --description 'Remove the AWS MFA session variables'
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
