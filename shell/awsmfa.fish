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

# Completion of awsmfa and mfa (which takes awsmfa env's options): commands, options, --shell values, and profile
# names as the AWS CLI reads them (awsmfa complete-profiles).
# >>> contract: completion
function __awsmfa_complete
    set -l words (commandline -opc)
    set -l sub mfa
    test "$words[1]" = mfa; or set sub $words[2]
    switch "$words[-1]"
        case --profile --update-profile -p -u
            command awsmfa complete-profiles 2>/dev/null
            return
        case --shell -s
            printf '%s\n' bash zsh sh ksh fish tcsh elvish pwsh cmd dotenv env-file json
            return
    end
    if test "$words[1]" != mfa; and test (count $words) -eq 1
        printf '%s\t%s\n' env 'print shell lines that set an MFA session\'s credentials' exec 'run a command with an MFA session in its environment' serve 'serve a profile\'s credentials on 127.0.0.1 for the AWS SDKs and CLI, renewed before they expire' credential-process 'print a session as a credential_process\'s JSON, for profiles that use awsmfa' unset 'print the lines that clear the session variables' clear 'delete cached sessions' status 'show the MFA session in use and how long it has left' whoami 'show who the credentials in effect belong to' devices 'list your MFA devices, and save one as the profile\'s mfa_serial' profiles 'list the profiles of ~/.aws with their MFA device, role and cached session' init 'print the shell functions mfa and mfa-unset, for your shell\'s rc file' login 'write an MFA session into a profile of ~/.aws/credentials' logout 'remove a session profile written by awsmfa login' console 'open the AWS console in your browser, signed in with the session' rotate 'replace the profile\'s access key with a new one, under an MFA policy' keys 'long-term keys off the disk: import, add, list, move, remove' help 'show the help of awsmfa or of a command'
        return
    end
    switch $sub
        case mfa
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --code 'The 6-digit code from your MFA device (or give it as the argument)' --token-code 'The 6-digit code from your MFA device (or give it as the argument)' --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' --serial-number 'MFA device ARN (default: mfa_serial of the profile)' --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' --no-cache 'Read and keep the session in awsmfa\'s cache' --min-remaining 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)'
        case env
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --code 'The 6-digit code from your MFA device (or give it as the argument)' --token-code 'The 6-digit code from your MFA device (or give it as the argument)' --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' --serial-number 'MFA device ARN (default: mfa_serial of the profile)' --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' --no-cache 'Read and keep the session in awsmfa\'s cache' --min-remaining 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)' --shell 'Output dialect: bash, zsh, sh, dash, posix, ksh, mksh, ksh93, pdksh, fish, tcsh, csh, elvish, pwsh, powershell, cmd, dotenv, env-file, json, process; detected from the calling shell when not given'
        case exec
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --code 'The 6-digit code from your MFA device (or give it as the argument)' --token-code 'The 6-digit code from your MFA device (or give it as the argument)' --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' --serial-number 'MFA device ARN (default: mfa_serial of the profile)' --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' --no-cache 'Read and keep the session in awsmfa\'s cache' --min-remaining 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)' --server 'Serve the credentials from a local endpoint (127.0.0.1, the container credentials protocol) that renews them before they expire, instead of putting them in the command\'s environment; it ends with the command'
        case serve
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --code 'The 6-digit code from your MFA device (or give it as the argument)' --token-code 'The 6-digit code from your MFA device (or give it as the argument)' --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' --serial-number 'MFA device ARN (default: mfa_serial of the profile)' --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' --no-cache 'Read and keep the session in awsmfa\'s cache' --min-remaining 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)' --shell 'Output dialect: bash, zsh, sh, dash, posix, ksh, mksh, ksh93, pdksh, fish, tcsh, csh, elvish, pwsh, powershell, cmd, dotenv, env-file, json, process; detected from the calling shell when not given'
        case credential-process
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --code 'The 6-digit code from your MFA device (or give it as the argument)' --token-code 'The 6-digit code from your MFA device (or give it as the argument)' --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' --serial-number 'MFA device ARN (default: mfa_serial of the profile)' --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' --no-cache 'Read and keep the session in awsmfa\'s cache' --min-remaining 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)'
        case unset
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --shell 'Output dialect: bash, zsh, sh, dash, posix, ksh, mksh, ksh93, pdksh, fish, tcsh, csh, elvish, pwsh, powershell, cmd, dotenv, env-file, json, process; detected from the calling shell when not given' --forget 'Also delete the cached session of the profile' --profile 'With --forget: the profile (default: AWS_PROFILE, else default)'
        case clear
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --profile 'Delete only the sessions this profile uses'
        case status
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --profile 'Profile whose cached session to show (default: AWS_PROFILE, else default)' --json 'Print a JSON document' --short 'Print only the time left of the session in use (11h 42m), or "expired"'
        case whoami
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --profile 'Profile whose keys to ask about when the environment holds none' --json 'Print a JSON document' --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
        case devices
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' --save 'Write the device (the only one, or the one you pick) as mfa_serial of the profile' --json 'Print a JSON document' --timeout 'Give up on IAM after this long: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
        case profiles
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --json 'Print a JSON document'
        case init
            printf '%s\n' bash zsh fish tcsh elvish pwsh cmd; printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --path 'Print where the shell\'s file is, to source it (or link it) directly: no node at each start'
        case login
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --code 'The 6-digit code from your MFA device (or give it as the argument)' --token-code 'The 6-digit code from your MFA device (or give it as the argument)' --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' --serial-number 'MFA device ARN (default: mfa_serial of the profile)' --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' --no-cache 'Read and keep the session in awsmfa\'s cache' --min-remaining 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)' --update-profile 'Profile to write the session into (default: session-<device name>)' --print-env 'Also print the lines that set the session in this shell (see awsmfa env)' --shell 'Output dialect: bash, zsh, sh, dash, posix, ksh, mksh, ksh93, pdksh, fish, tcsh, csh, elvish, pwsh, powershell, cmd, dotenv, env-file, json, process; detected from the calling shell when not given'
        case logout
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --update-profile 'The session profile to remove (default: session-<device name>)' --profile 'Without --update-profile: the profile whose MFA device names the session profile' --serial-number 'Without --update-profile: the MFA device that names the session profile' --mfa-serial 'Without --update-profile: the MFA device that names the session profile'
        case console
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --code 'The 6-digit code from your MFA device (or give it as the argument)' --token-code 'The 6-digit code from your MFA device (or give it as the argument)' --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' --serial-number 'MFA device ARN (default: mfa_serial of the profile)' --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' --no-cache 'Read and keep the session in awsmfa\'s cache' --min-remaining 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)' --print 'Print the sign-in URL on stdout instead of opening a browser (it is a secret for 15 minutes)' --destination 'The console page to land on (default: the console\'s home in the profile\'s region)' --federation-token 'Without a role: sign in with a GetFederationToken session of your long-term keys, which has no MFA context'
        case rotate
            printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --code 'The 6-digit code from your MFA device (or give it as the argument)' --token-code 'The 6-digit code from your MFA device (or give it as the argument)' --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' --serial-number 'MFA device ARN (default: mfa_serial of the profile)' --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' --no-cache 'Read and keep the session in awsmfa\'s cache' --min-remaining 'Reuse a cached session only with more than this left: 300, 300s, 5m, 1h (default 5m)' --delete 'The user\'s other access key, to delete before rotating (IAM allows two)'
        case keys
            if test (count $words) -eq 2
                printf '%s\t%s\n' import 'move a profile\'s long-term keys from ~/.aws/credentials into the OS keyring or an encrypted file' add 'store new long-term keys for a profile, typed on the terminal, without writing them to any file' list 'list where each profile\'s long-term keys live (key ids only, never a secret)' move 'move a profile\'s long-term keys to another store, or back into ~/.aws/credentials' remove 'delete a profile\'s long-term keys from their store (after a key rotation, or to forget them)'
                return
            end
            switch $words[3]
                case import
                    if contains -- "$words[-1]" --to
                        printf '%s\n' keyring file
                        return
                    end
                    printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --profile 'Profile whose keys to import (default: AWS_PROFILE, else default)' --to 'The store: keyring (the OS keyring: macOS Keychain, Windows Credential Manager, Secret Service) or file (an age-encrypted file); default keyring' --credential-process 'Point the profile\'s credential_process at awsmfa, so the AWS CLI and SDKs keep working with it (default; --no-credential-process leaves it out)'
                case add
                    if contains -- "$words[-1]" --to
                        printf '%s\n' keyring file
                        return
                    end
                    printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --profile 'Profile the keys are for (default: AWS_PROFILE, else default)' --to 'The store: keyring (the OS keyring: macOS Keychain, Windows Credential Manager, Secret Service) or file (an age-encrypted file); default keyring' --credential-process 'Point the profile\'s credential_process at awsmfa, so the AWS CLI and SDKs keep working with it (default; --no-credential-process leaves it out)'
                case list
                    printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --check 'Open the stores and check that each secret is there' --json 'Print a JSON document'
                case move
                    if contains -- "$words[-1]" --to
                        printf '%s\n' keyring file aws-files
                        return
                    end
                    printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --profile 'Profile whose keys to move (default: AWS_PROFILE, else default)' --to 'Where to: keyring, file, aws-files' --credential-process 'Point the profile\'s credential_process at awsmfa, so the AWS CLI and SDKs keep working with it (default; --no-credential-process leaves it out)'
                case remove
                    printf '%s\t%s\n' --verbose 'Explain each step on stderr (never secrets); show stack traces' --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' --profile 'Profile whose keys to delete (default: AWS_PROFILE, else default)'
            end
        case help
            switch (count $words)
                case 2
                    printf '%s\n' env exec serve credential-process unset clear status whoami devices profiles init login logout console rotate keys
                case 3
                    switch $words[3]
                        case keys
                            printf '%s\n' import add list move remove
                    end
            end
    end
end
complete -c awsmfa -f -a '(__awsmfa_complete)'
complete -c mfa -f -a '(__awsmfa_complete)'
# <<< contract: completion
