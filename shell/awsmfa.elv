# awsmfa for elvish. In ~/.config/elvish/rc.elv:  eval (awsmfa init elvish | slurp)
# or, starting no node:  eval (slurp < <this file>)   (`awsmfa init --path elvish` prints where it is)

# mfa-unset: remove the session variables from this shell, and the region only when awsmfa exported it.
fn mfa-unset {
  if (and (has-env AWSMFA_REGION) (has-env AWS_REGION) (eq (get-env AWS_REGION) (get-env AWSMFA_REGION))) {
    unset-env AWS_REGION
    unset-env AWS_DEFAULT_REGION
  }
  # >>> contract: variables
  each {|name| unset-env $name } [AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWSMFA_PROFILE AWSMFA_REGION]
  # <<< contract: variables
}

# mfa [CODE] [awsmfa env options]: start an MFA session in this shell, or take the cached one. The old session is
# replaced only once the new one is in hand: a failure of awsmfa raises before anything changes.
fn mfa {|@args|
  var out = (e:awsmfa env --mfa-shell elvish $@args | slurp)
  if (not-eq $out '') { # --help: nothing to apply
    mfa-unset
    eval $out
  }
}

# Definitions made inside `eval` stay there; hand them to the interactive shell (there is no edit: in scripts).
try {
  eval &ns=(ns [&mfa~=$mfa~ &mfa-unset~=$mfa-unset~]) 'edit:add-var mfa~ $mfa~; edit:add-var mfa-unset~ $mfa-unset~'
} catch { }

# Completion of awsmfa and mfa (which takes awsmfa env's options): commands with their descriptions, each command's
# options, --shell values, and profile names as the AWS CLI reads them (awsmfa complete-profiles). Every candidate
# is a word offered as it is (elvish quotes what it inserts); nothing in a profile name is evaluated.
# >>> contract: completion
var commands = [&env='print shell lines that set an MFA session''s credentials' &exec='run a command with an MFA session in its environment' &credential-process='print a session as a credential_process''s JSON, for profiles that use awsmfa' &unset='print the lines that clear the session variables' &clear='delete cached sessions' &status='show the MFA session in use and how long it has left' &whoami='show who the credentials in effect belong to' &devices='list your MFA devices, and save one as the profile''s mfa_serial' &profiles='list the profiles of ~/.aws with their MFA device, role and cached session' &init='print the shell functions mfa and mfa-unset, for your shell''s rc file' &login='write an MFA session into a profile of ~/.aws/credentials' &logout='remove a session profile written by awsmfa login' &help='show the help of awsmfa or of a command']
var options = [&env=[--verbose --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --shell] &exec=[--verbose --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining] &credential-process=[--verbose --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining] &unset=[--verbose --shell --forget --profile] &clear=[--verbose --profile] &status=[--verbose --profile --json --short] &whoami=[--verbose --profile --json --timeout] &devices=[--verbose --profile --save --json --timeout] &profiles=[--verbose --json] &init=[bash zsh fish tcsh elvish pwsh cmd --verbose --path] &login=[--verbose --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining --update-profile --print-env --shell] &logout=[--verbose --update-profile --profile --serial-number --mfa-serial] &help=[]]
var mfa-options = [--verbose --code --token-code --profile --serial-number --mfa-serial --duration-seconds --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command --timeout --force --no-cache --min-remaining]
var dialects = [bash zsh sh ksh fish tcsh elvish pwsh cmd dotenv env-file json]
var profile-options = [--profile --update-profile -p -u]
# <<< contract: completion
fn -awsmfa-complete {|sub @words &candidate={|name description| put $name }|
  var prev = (if (> (count $words) 1) { put $words[-2] } else { put '' })
  if (has-value $profile-options $prev) {
    e:awsmfa complete-profiles 2>/dev/null | from-lines
  } elif (has-value [--shell -s] $prev) {
    all $dialects
  } elif (eq $sub '') {
    keys $commands | each {|name| $candidate $name $commands[$name] }
  } elif (eq $sub mfa) {
    all $mfa-options
  } elif (has-key $options $sub) {
    all $options[$sub]
  }
}
# As mfa~ above: the editor exists only in an interactive shell, so the completers are set through eval.
try {
  eval &ns=(ns [&complete~=$-awsmfa-complete~]) 'var described = {|name description| edit:complex-candidate $name &display=$name'' (''$description'')'' }; set edit:completion:arg-completer[awsmfa] = {|@words| if (<= (count $words) 2) { complete &candidate=$described '''' $@words } else { complete $words[1] $@words } }; set edit:completion:arg-completer[mfa] = {|@words| complete mfa $@words }'
} catch { }
