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
    string match -qr '^[A-Za-z0-9_.@+-]{1,128}$' -- $profile; or return 1
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
    test "$AWSMFA_QUIET" = 1; or printf 'awsmfa: %s: cached session, %dh%02dm left\\n' $profile (math --scale=0 "($expires - $now) / 3600") (math --scale=0 "($expires - $now) % 3600 / 60") >&2
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
    set -e -g AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWSMFA_PROFILE AWSMFA_REGION
    # <<< contract: variables
    return 0
end

# mfa-prompt: the time left of the session in this shell ("[aws 11h42m] "), for fish_prompt; runs no node, only date.
function mfa-prompt --description 'Time left of the AWS MFA session'
    set -q AWS_CREDENTIAL_EXPIRATION; or return 0
    set -l end (date -d $AWS_CREDENTIAL_EXPIRATION +%s 2>/dev/null; or date -j -u -f '%Y-%m-%dT%H:%M:%SZ' $AWS_CREDENTIAL_EXPIRATION +%s 2>/dev/null)
    or return 0
    set -l left (math $end - (date +%s))
    if test $left -gt 0
        printf '[aws %dh%02dm] ' (math --scale=0 $left / 3600) (math --scale=0 $left % 3600 / 60)
    else
        printf '[aws expired] '
    end
end

# Completion of awsmfa and mfa (which takes awsmfa env's options): commands, options, --shell values, and profile
# names as the AWS CLI reads them (awsmfa complete-profiles).
# >>> contract: completion
complete -c awsmfa -f -n __fish_use_subcommand -a env -d 'print shell lines that set an MFA session\'s credentials'
complete -c awsmfa -f -n __fish_use_subcommand -a exec -d 'run a command with an MFA session in its environment'
complete -c awsmfa -f -n __fish_use_subcommand -a credential-process -d 'print a session as a credential_process\'s JSON, for profiles that use awsmfa'
complete -c awsmfa -f -n __fish_use_subcommand -a unset -d 'print the lines that clear the session variables'
complete -c awsmfa -f -n __fish_use_subcommand -a clear -d 'delete cached sessions'
complete -c awsmfa -f -n __fish_use_subcommand -a status -d 'show the MFA session in use and how long it has left'
complete -c awsmfa -f -n __fish_use_subcommand -a whoami -d 'show who the credentials in effect belong to'
complete -c awsmfa -f -n __fish_use_subcommand -a devices -d 'list your MFA devices, and save one as the profile\'s mfa_serial'
complete -c awsmfa -f -n __fish_use_subcommand -a profiles -d 'list the profiles of ~/.aws with their MFA device, role and cached session'
complete -c awsmfa -f -n __fish_use_subcommand -a init -d 'print the shell functions mfa and mfa-unset, for your shell\'s rc file'
complete -c awsmfa -f -n __fish_use_subcommand -a login -d 'write an MFA session into a profile of ~/.aws/credentials'
complete -c awsmfa -f -n __fish_use_subcommand -a logout -d 'remove a session profile written by awsmfa login'
complete -c awsmfa -f -n __fish_use_subcommand -a help -d 'show the help of awsmfa or of a command'
complete -c awsmfa -f -n '__fish_seen_subcommand_from init' -a 'bash zsh fish tcsh elvish pwsh cmd'
complete -c awsmfa -f -n '__fish_seen_subcommand_from help' -a 'env exec credential-process unset clear status whoami devices profiles init login logout'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l code -l token-code -s c -x -d 'The 6-digit code from your MFA device (or give it as the argument)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l profile -s p -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'Profile with your long-term keys (default: AWS_PROFILE, else default)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l serial-number -l mfa-serial -x -d 'MFA device ARN (default: mfa_serial of the profile)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l duration-seconds -s d -x -d 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l region -x -d 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l no-region -d 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l endpoint-url -x -d 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l role-arn -x -d 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l direct -d 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l role-session-name -x -d 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l code-command -x -d 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l timeout -x -d 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l force -s f -d 'Ask STS for a new session even when a cached one is still valid (needs a code)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l no-cache -d 'Read and keep the session in awsmfa\'s cache'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l min-remaining -x -d 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from env' -l shell -s s -x -a 'bash zsh sh ksh fish tcsh elvish pwsh cmd dotenv env-file json' -d 'Output dialect: bash, zsh, sh, dash, posix, ksh, mksh, ksh93, pdksh, fish, tcsh, csh, elvish, pwsh, powershell, cmd, dotenv, env-file, json, process; detected from the calling shell when not given'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l code -l token-code -s c -x -d 'The 6-digit code from your MFA device (or give it as the argument)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l profile -s p -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'Profile with your long-term keys (default: AWS_PROFILE, else default)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l serial-number -l mfa-serial -x -d 'MFA device ARN (default: mfa_serial of the profile)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l duration-seconds -s d -x -d 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l region -x -d 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l no-region -d 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l endpoint-url -x -d 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l role-arn -x -d 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l direct -d 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l role-session-name -x -d 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l code-command -x -d 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l timeout -x -d 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l force -s f -d 'Ask STS for a new session even when a cached one is still valid (needs a code)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l no-cache -d 'Read and keep the session in awsmfa\'s cache'
complete -c awsmfa -f -n '__fish_seen_subcommand_from exec' -l min-remaining -x -d 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l code -l token-code -s c -x -d 'The 6-digit code from your MFA device (or give it as the argument)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l profile -s p -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'Profile with your long-term keys (default: AWS_PROFILE, else default)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l serial-number -l mfa-serial -x -d 'MFA device ARN (default: mfa_serial of the profile)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l duration-seconds -s d -x -d 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l region -x -d 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l no-region -d 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l endpoint-url -x -d 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l role-arn -x -d 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l direct -d 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l role-session-name -x -d 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l code-command -x -d 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l timeout -x -d 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l force -s f -d 'Ask STS for a new session even when a cached one is still valid (needs a code)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l no-cache -d 'Read and keep the session in awsmfa\'s cache'
complete -c awsmfa -f -n '__fish_seen_subcommand_from credential-process' -l min-remaining -x -d 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from unset' -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c awsmfa -f -n '__fish_seen_subcommand_from unset' -l shell -s s -x -a 'bash zsh sh ksh fish tcsh elvish pwsh cmd dotenv env-file json' -d 'Output dialect: bash, zsh, sh, dash, posix, ksh, mksh, ksh93, pdksh, fish, tcsh, csh, elvish, pwsh, powershell, cmd, dotenv, env-file, json, process; detected from the calling shell when not given'
complete -c awsmfa -f -n '__fish_seen_subcommand_from unset' -l forget -d 'Also delete the cached session of the profile'
complete -c awsmfa -f -n '__fish_seen_subcommand_from unset' -l profile -s p -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'With --forget: the profile (default: AWS_PROFILE, else default)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from clear' -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c awsmfa -f -n '__fish_seen_subcommand_from clear' -l profile -s p -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'Delete only the sessions this profile uses'
complete -c awsmfa -f -n '__fish_seen_subcommand_from status' -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c awsmfa -f -n '__fish_seen_subcommand_from status' -l profile -s p -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'Profile whose cached session to show (default: AWS_PROFILE, else default)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from status' -l json -d 'Print a JSON document'
complete -c awsmfa -f -n '__fish_seen_subcommand_from status' -l short -d 'Print only the time left of the session in use (11h 42m), or "expired"'
complete -c awsmfa -f -n '__fish_seen_subcommand_from whoami' -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c awsmfa -f -n '__fish_seen_subcommand_from whoami' -l profile -s p -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'Profile whose keys to ask about when the environment holds none'
complete -c awsmfa -f -n '__fish_seen_subcommand_from whoami' -l json -d 'Print a JSON document'
complete -c awsmfa -f -n '__fish_seen_subcommand_from whoami' -l timeout -x -d 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from devices' -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c awsmfa -f -n '__fish_seen_subcommand_from devices' -l profile -s p -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'Profile with your long-term keys (default: AWS_PROFILE, else default)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from devices' -l save -d 'Write the device (the only one, or the one you pick) as mfa_serial of the profile'
complete -c awsmfa -f -n '__fish_seen_subcommand_from devices' -l json -d 'Print a JSON document'
complete -c awsmfa -f -n '__fish_seen_subcommand_from devices' -l timeout -x -d 'Give up on IAM after this long: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from profiles' -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c awsmfa -f -n '__fish_seen_subcommand_from profiles' -l json -d 'Print a JSON document'
complete -c awsmfa -f -n '__fish_seen_subcommand_from init' -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c awsmfa -f -n '__fish_seen_subcommand_from init' -l path -d 'Print where the shell\'s file is, to source it (or link it) directly: no node at each start'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l code -l token-code -s c -x -d 'The 6-digit code from your MFA device (or give it as the argument)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l profile -s p -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'Profile with your long-term keys (default: AWS_PROFILE, else default)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l serial-number -l mfa-serial -x -d 'MFA device ARN (default: mfa_serial of the profile)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l duration-seconds -s d -x -d 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l region -x -d 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l no-region -d 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l endpoint-url -x -d 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l role-arn -x -d 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l direct -d 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l role-session-name -x -d 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l code-command -x -d 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l timeout -x -d 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l force -s f -d 'Ask STS for a new session even when a cached one is still valid (needs a code)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l no-cache -d 'Read and keep the session in awsmfa\'s cache'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l min-remaining -x -d 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l update-profile -s u -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'Profile to write the session into (default: session-<device name>)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l print-env -d 'Also print the lines that set the session in this shell (see awsmfa env)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from login' -l shell -s s -x -a 'bash zsh sh ksh fish tcsh elvish pwsh cmd dotenv env-file json' -d 'Output dialect: bash, zsh, sh, dash, posix, ksh, mksh, ksh93, pdksh, fish, tcsh, csh, elvish, pwsh, powershell, cmd, dotenv, env-file, json, process; detected from the calling shell when not given'
complete -c awsmfa -f -n '__fish_seen_subcommand_from logout' -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c awsmfa -f -n '__fish_seen_subcommand_from logout' -l update-profile -s u -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'The session profile to remove (default: session-<device name>)'
complete -c awsmfa -f -n '__fish_seen_subcommand_from logout' -l profile -s p -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'Without --update-profile: the profile whose MFA device names the session profile'
complete -c awsmfa -f -n '__fish_seen_subcommand_from logout' -l serial-number -l mfa-serial -x -d 'Without --update-profile: the MFA device that names the session profile'
complete -c mfa -f -l verbose -d 'Explain each step on stderr (never secrets); show stack traces'
complete -c mfa -f -l code -l token-code -s c -x -d 'The 6-digit code from your MFA device (or give it as the argument)'
complete -c mfa -f -l profile -s p -x -a '(command awsmfa complete-profiles 2>/dev/null)' -d 'Profile with your long-term keys (default: AWS_PROFILE, else default)'
complete -c mfa -f -l serial-number -l mfa-serial -x -d 'MFA device ARN (default: mfa_serial of the profile)'
complete -c mfa -f -l duration-seconds -s d -x -d 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)'
complete -c mfa -f -l region -x -d 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)'
complete -c mfa -f -l no-region -d 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session'
complete -c mfa -f -l endpoint-url -x -d 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)'
complete -c mfa -f -l role-arn -x -d 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)'
complete -c mfa -f -l direct -d 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)'
complete -c mfa -f -l role-session-name -x -d 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)'
complete -c mfa -f -l code-command -x -d 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)'
complete -c mfa -f -l timeout -x -d 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
complete -c mfa -f -l force -s f -d 'Ask STS for a new session even when a cached one is still valid (needs a code)'
complete -c mfa -f -l no-cache -d 'Read and keep the session in awsmfa\'s cache'
complete -c mfa -f -l min-remaining -x -d 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)'
# <<< contract: completion
