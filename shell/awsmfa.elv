# Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.
# awsmfa for elvish. `awsmfa init --install elvish` copies it into awsmfa's data folder and adds the line that
# evaluates the copy to rc.elv: no node at each start. (eval (awsmfa init elvish | slurp) starts node each time.)

use path
use re
use str

# Whether this is a shell at a prompt (its editor, edit:, exists only there).
var -awsmfa-at-prompt = (try { eval 'nop $edit:add-var~'; put $true } catch { put $false })

# -awsmfa-unset: remove the session variables, and the region only when awsmfa exported it (what mfa does before it
# applies a new session: what was set aside stays aside).
fn -awsmfa-unset {
  if (and (has-env AWSMFA_REGION) (has-env AWS_REGION) (eq (get-env AWS_REGION) (get-env AWSMFA_REGION))) {
    unset-env AWS_REGION
    unset-env AWS_DEFAULT_REGION
  }
  # >>> contract: variables
  if (has-env AWSMFA_SERVER_PID) { each {|name| unset-env $name } [AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN AWSMFA_SERVER_PID] }
  if (and (has-env AWS_SHARED_CREDENTIALS_FILE) (eq (get-env AWS_SHARED_CREDENTIALS_FILE) '/dev/null/hidden-by-awsmfa')) { unset-env AWS_SHARED_CREDENTIALS_FILE }
  if (and (has-env AWS_CONFIG_FILE) (eq (get-env AWS_CONFIG_FILE) '/dev/null/hidden-by-awsmfa')) { unset-env AWS_CONFIG_FILE }
  if (and (has-env BOTO_CONFIG) (eq (get-env BOTO_CONFIG) '/dev/null/hidden-by-awsmfa')) { unset-env BOTO_CONFIG }
  each {|name| unset-env $name } [AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWSMFA_PROFILE AWSMFA_REGION]
  # <<< contract: variables
}

# -awsmfa-run COMMAND [ARGS]: what awsmfa prints for this shell to apply (env, unset), '' when it fails. At the prompt
# awsmfa's one line is all that is said of a failure (elvish's traceback of these functions would only hide it),
# so nothing is raised; in a script (no editor) the failure is raised, and stops the script.
fn -awsmfa-run {|command @args|
  var out = ''
  try {
    set out = (e:awsmfa $command --mfa-shell elvish $@args | slurp)
  } catch failure {
    var reason = $failure[reason]
    if (or (not $-awsmfa-at-prompt) (not (or (has-key $reason exit-status) (has-key $reason signal-name)))) {
      fail $failure
    }
  }
  put $out
}

# mfa-unset [--forget] [--profile P]: remove the session from this shell (-awsmfa-unset) and put back the AWS_PROFILE
# (and AWS_DEFAULT_PROFILE) it set aside, unless that was set again since. With arguments, awsmfa unset does it all
# (--forget also deletes the cached session), or refuses them: none is ever ignored.
fn mfa-unset {|@args|
  if (> (count $args) 0) {
    eval (-awsmfa-run unset $@args)
    return
  }
  -awsmfa-unset
  # >>> contract: set-aside-restore
  for pair [[AWS_PROFILE AWSMFA_AWS_PROFILE] [AWS_DEFAULT_PROFILE AWSMFA_AWS_DEFAULT_PROFILE]] {
    var name keep = $@pair
    if (has-env $keep) {
      if (and (not-eq (get-env $keep) '') (not (has-env $name))) { set-env $name (get-env $keep) }
      unset-env $keep
    }
  }
  # <<< contract: set-aside-restore
}

# -awsmfa-quick [--profile P]: take the profile's cached session from the file awsmfa keeps for the shells
# (<cache>/profiles/P.env) without node, and without evaluating it: it is data, NAME=value lines of awsmfa's names
# only. elvish has no stat, clock or user id of its own: one stat (GNU's: another fails, and awsmfa decides), one
# date and one id read them. It is used only when mfa got no argument but the profile, the file (0600) and its
# folder (0700) are this user's, both AWS files are as awsmfa recorded them (size, inode, mtime and ctime to the
# nanosecond), and the session has more than 5 minutes left; it outputs $true then, else $false.
fn -awsmfa-quick {|@args|
  var profile = ''
  if (== (count $args) 0) {
    # >>> contract: profile-precedence
    for name [AWS_PROFILE AWS_DEFAULT_PROFILE AWSMFA_PROFILE] {
      if (and (eq $profile '') (has-env $name)) { set profile = (get-env $name) }
    }
    if (eq $profile '') { set profile = default }
    # <<< contract: profile-precedence
  } elif (and (== (count $args) 1) (str:has-prefix $args[0] --profile=)) {
    set profile = (str:trim-prefix $args[0] --profile=)
  } elif (and (== (count $args) 2) (has-value [--profile -p] $args[0])) {
    set profile = $args[1]
  }
  # >>> contract: profile-pattern
  if (not (re:match '^[ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@+-]{1,128}$' $profile)) { put $false; return }
  # <<< contract: profile-pattern
  # >>> contract: cache-folder
  var dir = (if (not-eq $E:AWSMFA_CACHE_DIR '') {
    put $E:AWSMFA_CACHE_DIR/profiles
  } elif (path:is-regular &follow-symlink=$true /System/Library/CoreServices/SystemVersion.plist) {
    put $E:HOME/Library/Caches/awsmfa/profiles
  } elif (not-eq $E:XDG_CACHE_HOME '') {
    put $E:XDG_CACHE_HOME/awsmfa/profiles
  } else {
    put $E:HOME/.cache/awsmfa/profiles
  })
  var file = $dir/$profile'.env'
  # <<< contract: cache-folder
  if (not (and (path:is-regular &follow-symlink=$false $file) (path:is-dir &follow-symlink=$false $dir))) { put $false; return }
  var config = (if (eq $E:AWS_CONFIG_FILE '') { put $E:HOME/.aws/config } else { put $E:AWS_CONFIG_FILE })
  var credentials = (if (eq $E:AWS_SHARED_CREDENTIALS_FILE '') { put $E:HOME/.aws/credentials } else { put $E:AWS_SHARED_CREDENTIALS_FILE })
  if (or (not (str:has-prefix $config /)) (not (str:has-prefix $credentials /)) (str:contains-any $config$credentials '~$')) { put $false; return }
  var record = [&AWSMFA_EXPIRES='' &AWSMFA_CONFIG_FILE='' &AWSMFA_CREDENTIALS_FILE='' &AWSMFA_CONFIGURED_REGION='' &AWSMFA_CONFIG_STAT='' &AWSMFA_CREDENTIALS_STAT='']
  var names = []
  var values = []
  for line [(str:split "\n" (slurp < $file))] {
    var parts = [(str:split &max=2 = $line)]
    if (eq $line '') {
      continue
    } elif (!= (count $parts) 2) {
      put $false; return
    } elif (has-key $record $parts[0]) {
      set record[$parts[0]] = $parts[1]
    # >>> contract: session-names
    } elif (has-value [AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWSMFA_PROFILE] $parts[0]) {
    # <<< contract: session-names
      # The file names its profile: one renamed to another profile's name is not that profile's session.
      if (and (eq $parts[0] AWSMFA_PROFILE) (not-eq $parts[1] $profile)) { put $false; return }
      set names = [$@names $parts[0]]
      set values = [$@values $parts[1]]
    } else {
      put $false; return
    }
  }
  # Made from these very files: another AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE or HOME is awsmfa's to resolve.
  if (or (not-eq $record[AWSMFA_CONFIG_FILE] $config) (not-eq $record[AWSMFA_CREDENTIALS_FILE] $credentials)) { put $false; return }
  # >>> contract: margin
  var margin count = 300 6
  # <<< contract: margin
  # Digits only: elvish reads a number with a leading 0 as octal.
  if (or (not (re:match '^[1-9][0-9]{0,11}$' $record[AWSMFA_EXPIRES])) (!= (count $names) $count)) { put $false; return }
  # Each AWS file as recorded (size:inode:mtime:ctime, times in nanoseconds), or absent then and now (-).
  var aws = [$config $credentials]
  var stamps = [$record[AWSMFA_CONFIG_STAT] $record[AWSMFA_CREDENTIALS_STAT]]
  var present = []
  for i [0 1] {
    if (not-eq $stamps[$i] -) {
      set present = [$@present $i]
    } elif (or (path:is-regular &follow-symlink=$true $aws[$i]) (path:is-dir &follow-symlink=$true $aws[$i])) {
      put $false; return
    }
  }
  var uid = (e:id -u)
  var stats = [(e:stat -L -c '%u %a %s:%i:%.9Y:%.9Z' $file $dir (each {|i| put $aws[$i] } $present))]
  for s $stats[0..2] {
    var fields = [(str:split ' ' $s)]
    if (or (not-eq $fields[0] $uid) (not (str:has-suffix $fields[1] 00))) { put $false; return }
  }
  var at = 2
  for i $present {
    if (not-eq (str:replace . '' [(str:split ' ' $stats[$at])][2]) $stamps[$i]) { put $false; return }
    set at = (+ $at 1)
  }
  var now = (e:date +%s)
  var left = (- $record[AWSMFA_EXPIRES] $now)
  if (<= $left $margin) { put $false; return }
  -awsmfa-unset
  # >>> contract: set-aside
  var aside = []
  for pair [[AWS_PROFILE AWSMFA_AWS_PROFILE] [AWS_DEFAULT_PROFILE AWSMFA_AWS_DEFAULT_PROFILE]] {
    var name keep = $@pair
    if (has-env $name) {
      set aside = [$@aside $name]
      if (not-eq (get-env $name) '') { set-env $keep (get-env $name) }
      unset-env $name
    }
  }
  var note = (if (> (count $aside) 0) { put ' ('(str:join ' and ' $aside)' set aside until mfa-unset)' } else { put '' })
  # <<< contract: set-aside
  for i [(range (count $names))] { set-env $names[$i] $values[$i] }
  # The profile's region, as awsmfa env exports it: not over a region of the user's own.
  var region = $record[AWSMFA_CONFIGURED_REGION]
  if (and (not-eq $region '') (not (has-env AWS_REGION))) {
    each {|name| set-env $name $region } [AWS_REGION AWS_DEFAULT_REGION AWSMFA_REGION]
  }
  # >>> contract: served-line
  # Said once, on stderr, with builtins only; AWSMFA_QUIET=1 keeps it quiet.
  if (not-eq $E:AWSMFA_QUIET 1) {
    printf "awsmfa: %s: cached session, %dh %02dm left%s\n" $profile (/ (- $left (% $left 3600)) 3600) (/ (- (% $left 3600) (% $left 60)) 60) $note >&2
  }
  # <<< contract: served-line
  put $true
}

# mfa [CODE] [awsmfa env options]: start an MFA session in this shell, or take the cached one (-awsmfa-quick). The
# old session is replaced only once the new one is in hand: when awsmfa fails, nothing changes (-awsmfa-run).
fn mfa {|@args|
  if (try { -awsmfa-quick $@args } catch { put $false }) {
    return
  }
  var out = (-awsmfa-run env $@args)
  if (not-eq $out '') { # --help or a failure: nothing to apply
    -awsmfa-unset
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
  &init=[bash zsh fish tcsh elvish pwsh cmd --verbose --quiet --path --install]
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
  &'keys remove'=[--verbose --quiet --profile --all-profiles]
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
