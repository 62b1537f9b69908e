# awsmfa for fish. In ~/.config/fish/config.fish:  awsmfa init fish | source
# or, starting no node, as a conf.d file:  ln -s (awsmfa init --path fish) ~/.config/fish/conf.d/awsmfa.fish

# mfa [CODE] [awsmfa env options]: start an MFA session in this shell, or take the cached one. The old session is
# replaced only once the new one is in hand: on failure nothing changes and the status is awsmfa's.
function mfa --description 'Start an AWS MFA session (awsmfa env)'
    set -l out (command awsmfa env --mfa-shell fish $argv)
    or return
    set -q out[1]; or return 0 # --help: nothing to apply
    mfa-unset
    string join \n -- $out | source
    # fish's set keeps an earlier failure in $status (a variable mfa-unset removed first): the session is applied.
    return 0
end

# mfa-unset: remove the session variables from this shell, and the region only when awsmfa exported it.
function mfa-unset --description 'Remove the AWS MFA session variables'
    if set -q AWSMFA_REGION; and set -q AWS_REGION; and test "$AWS_REGION" = "$AWSMFA_REGION"
        set -e -g AWS_REGION AWS_DEFAULT_REGION
    end
    set -e -g AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWSMFA_PROFILE AWSMFA_REGION
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
