# Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.
# Completion of awsmfa and mfa for fish, read by ../awsmfa.fish at the first TAB (awsmfa init fish prints it
# after that file). It is rendered from the CLI's own definitions.

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
        printf '%s\t%s\n' \
            env 'print shell lines that set an MFA session\'s credentials' \
            exec 'run a command with an MFA session in its environment' \
            serve 'serve a profile\'s credentials on 127.0.0.1 for the AWS SDKs and CLI, renewed before they expire' \
            credential-process 'print a session as a credential_process\'s JSON, for profiles that use awsmfa' \
            unset 'print the lines that clear the session variables' \
            clear 'delete cached sessions' \
            status 'show the MFA session in use and how long it has left' \
            whoami 'show who the credentials in effect belong to' \
            devices 'list your MFA devices, and save one as the profile\'s mfa_serial' \
            profiles 'list the profiles of ~/.aws with their MFA device, role and cached session' \
            init 'print the shell functions mfa and mfa-unset, for your shell\'s rc file' \
            login 'write an MFA session into a profile of ~/.aws/credentials' \
            logout 'remove a session profile written by awsmfa login' \
            console 'open the AWS console in your browser, signed in with the session' \
            rotate 'replace the profile\'s access key with a new one, under an MFA policy' \
            keys 'long-term keys off the disk: import, add, list, move, remove' \
            help 'show the help of awsmfa or of a command'
        return
    end
    switch $sub
        case mfa
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --token-code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' \
                --serial-number 'MFA device ARN (default: mfa_serial of the profile)' \
                --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' \
                --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' \
                --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' \
                --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' \
                --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' \
                --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' \
                --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' \
                --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' \
                --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' \
                --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' \
                --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' \
                --no-cache 'Read and keep the session in awsmfa\'s cache' \
                --min-remaining 'Reuse a cached session only with more than this left: 300s, 5m, 1h (default 5m)'
        case env
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --token-code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' \
                --serial-number 'MFA device ARN (default: mfa_serial of the profile)' \
                --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' \
                --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' \
                --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' \
                --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' \
                --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' \
                --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' \
                --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' \
                --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' \
                --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' \
                --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' \
                --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' \
                --no-cache 'Read and keep the session in awsmfa\'s cache' \
                --min-remaining 'Reuse a cached session only with more than this left: 300s, 5m, 1h (default 5m)' \
                --shell 'Output dialect: bash, zsh, sh, dash, posix, ksh, mksh, ksh93, pdksh, fish, tcsh, csh, elvish, pwsh, powershell, cmd, dotenv, env-file, json, process; detected from the calling shell when not given'
        case exec
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --token-code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' \
                --serial-number 'MFA device ARN (default: mfa_serial of the profile)' \
                --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' \
                --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' \
                --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' \
                --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' \
                --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' \
                --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' \
                --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' \
                --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' \
                --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' \
                --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' \
                --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' \
                --no-cache 'Read and keep the session in awsmfa\'s cache' \
                --min-remaining 'Reuse a cached session only with more than this left: 300s, 5m, 1h (default 5m)' \
                --server 'Serve the credentials from a local endpoint (127.0.0.1, the container credentials protocol) that renews them before they expire, instead of putting them in the command\'s environment; it ends with the command'
        case serve
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --token-code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' \
                --serial-number 'MFA device ARN (default: mfa_serial of the profile)' \
                --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' \
                --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' \
                --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' \
                --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' \
                --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' \
                --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' \
                --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' \
                --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' \
                --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' \
                --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' \
                --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' \
                --no-cache 'Read and keep the session in awsmfa\'s cache' \
                --min-remaining 'Reuse a cached session only with more than this left: 300s, 5m, 1h (default 5m)' \
                --shell 'Output dialect: bash, zsh, sh, dash, posix, ksh, mksh, ksh93, pdksh, fish, tcsh, csh, elvish, pwsh, powershell, cmd, dotenv, env-file, json, process; detected from the calling shell when not given'
        case credential-process
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --token-code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' \
                --serial-number 'MFA device ARN (default: mfa_serial of the profile)' \
                --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' \
                --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' \
                --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' \
                --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' \
                --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' \
                --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' \
                --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' \
                --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' \
                --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' \
                --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' \
                --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' \
                --no-cache 'Read and keep the session in awsmfa\'s cache' \
                --min-remaining 'Reuse a cached session only with more than this left: 300s, 5m, 1h (default 5m)'
        case unset
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --shell 'Output dialect: bash, zsh, sh, dash, posix, ksh, mksh, ksh93, pdksh, fish, tcsh, csh, elvish, pwsh, powershell, cmd, dotenv, env-file, json, process; detected from the calling shell when not given' \
                --forget 'Also delete the cached session of the profile' \
                --profile 'With --forget: the profile (default: AWS_PROFILE, else default)'
        case clear
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --profile 'Delete only the sessions this profile uses'
        case status
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --profile 'Profile whose cached session to show (default: AWS_PROFILE, else default)' \
                --json 'Print a JSON document' \
                --short 'Print only the time left of the session in use (11h 42m), or "expired"'
        case whoami
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --profile 'Profile whose keys to ask about when the environment holds none' \
                --json 'Print a JSON document' \
                --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
        case devices
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' \
                --save 'Write the device (the only one, or the one you pick) as mfa_serial of the profile' \
                --json 'Print a JSON document' \
                --timeout 'Give up on IAM after this long: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)'
        case profiles
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --json 'Print a JSON document'
        case init
            printf '%s\n' bash zsh fish tcsh elvish pwsh cmd
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --path 'Print where the shell\'s file is in awsmfa\'s package, to source it (or link it) directly' \
                --install 'Copy the shell\'s file into awsmfa\'s data folder and add the line that loads it to the shell\'s rc file (once): no node at each start'
        case login
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --token-code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' \
                --serial-number 'MFA device ARN (default: mfa_serial of the profile)' \
                --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' \
                --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' \
                --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' \
                --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' \
                --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' \
                --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' \
                --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' \
                --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' \
                --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' \
                --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' \
                --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' \
                --no-cache 'Read and keep the session in awsmfa\'s cache' \
                --min-remaining 'Reuse a cached session only with more than this left: 300s, 5m, 1h (default 5m)' \
                --update-profile 'Profile to write the session into (default: session-<device name>)' \
                --print-env 'Also print the lines that set the session in this shell (see awsmfa env)' \
                --shell 'Output dialect: bash, zsh, sh, dash, posix, ksh, mksh, ksh93, pdksh, fish, tcsh, csh, elvish, pwsh, powershell, cmd, dotenv, env-file, json, process; detected from the calling shell when not given'
        case logout
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --update-profile 'The session profile to remove (default: session-<device name>)' \
                --profile 'Without --update-profile: the profile whose MFA device names the session profile' \
                --serial-number 'Without --update-profile: the MFA device that names the session profile' \
                --mfa-serial 'Without --update-profile: the MFA device that names the session profile'
        case console
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --token-code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' \
                --serial-number 'MFA device ARN (default: mfa_serial of the profile)' \
                --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' \
                --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' \
                --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' \
                --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' \
                --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' \
                --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' \
                --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' \
                --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' \
                --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' \
                --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' \
                --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' \
                --no-cache 'Read and keep the session in awsmfa\'s cache' \
                --min-remaining 'Reuse a cached session only with more than this left: 300s, 5m, 1h (default 5m)' \
                --print 'Print the sign-in URL on stdout instead of opening a browser (it is a secret for 15 minutes)' \
                --destination 'The console page to land on (default: the console\'s home in the profile\'s region)' \
                --federation-token 'Without a role: sign in with a GetFederationToken session of your long-term keys, which has no MFA context'
        case rotate
            printf '%s\t%s\n' \
                --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                --code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --token-code 'The 6-digit code from your MFA device (or give it as the argument)' \
                --profile 'Profile with your long-term keys (default: AWS_PROFILE, else default)' \
                --serial-number 'MFA device ARN (default: mfa_serial of the profile)' \
                --mfa-serial 'MFA device ARN (default: mfa_serial of the profile)' \
                --duration-seconds 'Session length: 12h, 90m, 3600 (seconds); 15m to 36h (default: duration_seconds of the profile, else STS\'s 12 hours)' \
                --region 'STS region, also exported with the session (default: AWS_REGION, the profile\'s region, else us-east-1)' \
                --no-region 'Export no AWS_REGION / AWS_DEFAULT_REGION with the session' \
                --endpoint-url 'STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)' \
                --role-arn 'Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)' \
                --direct 'With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)' \
                --role-session-name 'With a role: its session name (default: role_session_name, else awsmfa-<device name>)' \
                --code-command 'A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)' \
                --timeout 'Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else 30s)' \
                --force 'Ask STS for a new session even when a cached one is still valid (needs a code)' \
                --no-cache 'Read and keep the session in awsmfa\'s cache' \
                --min-remaining 'Reuse a cached session only with more than this left: 300s, 5m, 1h (default 5m)' \
                --delete 'The user\'s other access key, to delete before rotating (IAM allows two)'
        case keys
            if test (count $words) -eq 2
                printf '%s\t%s\n' \
                    import 'move a profile\'s long-term keys from ~/.aws/credentials into the OS keyring or an encrypted file' \
                    add 'store new long-term keys for a profile, typed on the terminal, without writing them to any file' \
                    list 'list where each profile\'s long-term keys live (key ids only, never a secret)' \
                    move 'move a profile\'s long-term keys to another store, or back into ~/.aws/credentials' \
                    remove 'delete a profile\'s long-term keys from their store (after a key rotation, or to forget them)'
                return
            end
            switch $words[3]
                case import
                    if contains -- "$words[-1]" --to
                        printf '%s\n' keyring file
                        return
                    end
                    printf '%s\t%s\n' \
                        --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                        --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                        --profile 'Profile whose keys to import (default: AWS_PROFILE, else default)' \
                        --to 'The store: keyring (the OS keyring: macOS Keychain, Windows Credential Manager, Secret Service) or file (an age-encrypted file); default keyring' \
                        --credential-process 'Point the profile\'s credential_process at awsmfa, so the AWS CLI and SDKs keep working with it (default; --no-credential-process leaves it out)'
                case add
                    if contains -- "$words[-1]" --to
                        printf '%s\n' keyring file
                        return
                    end
                    printf '%s\t%s\n' \
                        --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                        --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                        --profile 'Profile the keys are for (default: AWS_PROFILE, else default)' \
                        --to 'The store: keyring (the OS keyring: macOS Keychain, Windows Credential Manager, Secret Service) or file (an age-encrypted file); default keyring' \
                        --credential-process 'Point the profile\'s credential_process at awsmfa, so the AWS CLI and SDKs keep working with it (default; --no-credential-process leaves it out)'
                case list
                    printf '%s\t%s\n' \
                        --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                        --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                        --check 'Open the stores and check that each secret is there' \
                        --json 'Print a JSON document'
                case move
                    if contains -- "$words[-1]" --to
                        printf '%s\n' keyring file aws-files
                        return
                    end
                    printf '%s\t%s\n' \
                        --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                        --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                        --profile 'Profile whose keys to move (default: AWS_PROFILE, else default)' \
                        --to 'Where to: keyring, file, aws-files' \
                        --credential-process 'Point the profile\'s credential_process at awsmfa, so the AWS CLI and SDKs keep working with it (default; --no-credential-process leaves it out)'
                case remove
                    printf '%s\t%s\n' \
                        --verbose 'Explain each step on stderr (never secrets); show stack traces' \
                        --quiet 'No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show' \
                        --profile 'Profile whose keys to delete (default: AWS_PROFILE, else default)' \
                        --all-profiles 'Also from every other profile that names the same key (otherwise such a profile is a refusal)'
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
# <<< contract: completion
