# awsmfa for elvish. In ~/.config/elvish/rc.elv:  eval (awsmfa init elvish | slurp)
# or, starting no node:  eval (slurp < <this file>)   (`awsmfa init --path elvish` prints where it is)

# mfa-unset: remove the session variables from this shell, and the region only when awsmfa exported it.
fn mfa-unset {
  if (and (has-env AWSMFA_REGION) (has-env AWS_REGION) (eq (get-env AWS_REGION) (get-env AWSMFA_REGION))) {
    unset-env AWS_REGION
    unset-env AWS_DEFAULT_REGION
  }
  each {|name| unset-env $name } [AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWSMFA_PROFILE AWSMFA_REGION]
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
