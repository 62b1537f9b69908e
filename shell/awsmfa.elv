# Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.
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
var commands = [
  &env='print shell lines that set an MFA session''s credentials'
  &exec='run a command with an MFA session in its environment'
  &serve='serve a profile''s credentials on 127.0.0.1 for the AWS SDKs and CLI, renewed before they expire'
  &credential-process='print a session as a credential_process''s JSON, for profiles that use awsmfa'
  &unset='print the lines that clear the session variables'
  &clear='delete cached sessions'
  &status='show the MFA session in use and how long it has left'
  &whoami='show who the credentials in effect belong to'
  &devices='list your MFA devices, and save one as the profile''s mfa_serial'
  &profiles='list the profiles of ~/.aws with their MFA device, role and cached session'
  &init='print the shell functions mfa and mfa-unset, for your shell''s rc file'
  &login='write an MFA session into a profile of ~/.aws/credentials'
  &logout='remove a session profile written by awsmfa login'
  &console='open the AWS console in your browser, signed in with the session'
  &rotate='replace the profile''s access key with a new one, under an MFA policy'
  &keys='long-term keys off the disk: import, add, list, move, remove'
  &help='show the help of awsmfa or of a command'
]
var groups = [
  &keys=[
    &import='move a profile''s long-term keys from ~/.aws/credentials into the OS keyring or an encrypted file'
    &add='store new long-term keys for a profile, typed on the terminal, without writing them to any file'
    &list='list where each profile''s long-term keys live (key ids only, never a secret)'
    &move='move a profile''s long-term keys to another store, or back into ~/.aws/credentials'
    &remove='delete a profile''s long-term keys from their store (after a key rotation, or to forget them)'
  ]
]
var options = [
  &env=[
    --verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds
    --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command
    --timeout --force --no-cache --min-remaining --shell
  ]
  &exec=[
    --verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds
    --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command
    --timeout --force --no-cache --min-remaining --server
  ]
  &serve=[
    --verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds
    --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command
    --timeout --force --no-cache --min-remaining --shell
  ]
  &credential-process=[
    --verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds
    --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command
    --timeout --force --no-cache --min-remaining
  ]
  &unset=[--verbose --quiet --shell --forget --profile]
  &clear=[--verbose --quiet --profile]
  &status=[--verbose --quiet --profile --json --short]
  &whoami=[--verbose --quiet --profile --json --timeout]
  &devices=[--verbose --quiet --profile --save --json --timeout]
  &profiles=[--verbose --quiet --json]
  &init=[bash zsh fish tcsh elvish pwsh cmd --verbose --quiet --path]
  &login=[
    --verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds
    --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command
    --timeout --force --no-cache --min-remaining --update-profile --print-env --shell
  ]
  &logout=[--verbose --quiet --update-profile --profile --serial-number --mfa-serial]
  &console=[
    --verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds
    --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command
    --timeout --force --no-cache --min-remaining --print --destination --federation-token
  ]
  &rotate=[
    --verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds
    --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command
    --timeout --force --no-cache --min-remaining --delete
  ]
  &'keys import'=[--verbose --quiet --profile --to --credential-process]
  &'keys add'=[--verbose --quiet --profile --to --credential-process]
  &'keys list'=[--verbose --quiet --check --json]
  &'keys move'=[--verbose --quiet --profile --to --credential-process]
  &'keys remove'=[--verbose --quiet --profile]
]
var values = [
  &'keys import'=[
    &--to=[keyring file]
  ]
  &'keys add'=[
    &--to=[keyring file]
  ]
  &'keys move'=[
    &--to=[keyring file aws-files]
  ]
]
var mfa-options = [
  --verbose --quiet --code --token-code --profile --serial-number --mfa-serial --duration-seconds
  --region --no-region --endpoint-url --role-arn --direct --role-session-name --code-command
  --timeout --force --no-cache --min-remaining
]
var dialects = [bash zsh sh ksh fish tcsh elvish pwsh cmd dotenv env-file json]
var profile-options = [--profile --update-profile -p -u]
# <<< contract: completion
fn -awsmfa-complete {|sub @words &candidate={|name description| put $name }|
  var prev = (if (> (count $words) 1) { put $words[-2] } else { put '' })
  # awsmfa help COMMAND: the command's words, one word further on (and no options).
  var help = (and (eq $sub help) (> (count $words) 2))
  if $help {
    set sub = $words[2]
    set words = $words[1..]
  }
  # A command of two words: after its first word, its second words; then both words name it.
  if (and (has-key $groups $sub) (> (count $words) 2)) {
    if (== (count $words) 3) {
      var group = $groups[$sub]
      keys $group | each {|name| $candidate $name $group[$name] }
      return
    }
    set sub = $sub' '$words[2]
  }
  if (and $help (== (count $words) 2)) {
    keys $commands | each {|name| $candidate $name $commands[$name] }
  } elif $help {
  } elif (has-value $profile-options $prev) {
    e:awsmfa complete-profiles 2>/dev/null | from-lines
  } elif (has-value [--shell -s] $prev) {
    all $dialects
  } elif (and (has-key $values $sub) (has-key $values[$sub] $prev)) {
    all $values[$sub][$prev]
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
  eval &ns=(ns [&complete~=$-awsmfa-complete~]) 'var described = {|name description| edit:complex-candidate $name &display=$name'' (''$description'')'' }; set edit:completion:arg-completer[awsmfa] = {|@words| if (<= (count $words) 2) { complete &candidate=$described '''' $@words } else { complete &candidate=$described $words[1] $@words } }; set edit:completion:arg-completer[mfa] = {|@words| complete mfa $@words }'
} catch { }
