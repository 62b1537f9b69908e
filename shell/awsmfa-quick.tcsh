# Regions marked "contract" are rendered by scripts/render-shell.ts: change them there, then npm run render.
# The quick path of tcsh's mfa (awsmfa.tcsh), sourced by its alias with mfa's arguments ([--profile P]): take the
# profile's cached session from the file awsmfa keeps for the shells (<cache>/profiles/P.env) with builtins, one cat
# and one date: no node, no eval. The file is data: NAME=value lines, of awsmfa's names only, each value printable
# ASCII without ! (what awsmfa env --shell tcsh carries). It is used only when mfa got no argument but the profile,
# the file (0600) and its folder (0700) are this user's, both AWS files are as awsmfa recorded them (size, inode,
# and the seconds of mtime and ctime: tcsh reads no nanoseconds, zsh compares those too), and the session has more
# than 5 minutes left; then it sets _awsmfa_served to 1. Anything else leaves 0, and awsmfa decides. tcsh has no
# local variables: each of this file's starts with _awsmfa_q, and all go at the end. A value is compared with an x
# before it: one that starts with - (-p, -e) would be read as a file test.
set _awsmfa_served = 0
set _awsmfa_qprofile = ""
if ( $#argv == 0 ) then
  # >>> contract: profile-precedence
  if ( "x$_awsmfa_qprofile" == x && $?AWS_PROFILE ) then
    set _awsmfa_qprofile = "$AWS_PROFILE"
  endif
  if ( "x$_awsmfa_qprofile" == x && $?AWS_DEFAULT_PROFILE ) then
    set _awsmfa_qprofile = "$AWS_DEFAULT_PROFILE"
  endif
  if ( "x$_awsmfa_qprofile" == x && $?AWSMFA_PROFILE ) then
    set _awsmfa_qprofile = "$AWSMFA_PROFILE"
  endif
  if ( "x$_awsmfa_qprofile" == x ) set _awsmfa_qprofile = default
  # <<< contract: profile-precedence
else if ( $#argv == 1 ) then
  if ( "x$argv[1]" =~ x--profile=* ) set _awsmfa_qprofile = "$argv[1]:s/--profile=//"
else if ( $#argv == 2 ) then
  if ( "x$argv[1]" == x--profile || "x$argv[1]" == x-p ) set _awsmfa_qprofile = "$argv[2]"
endif
# >>> contract: profile-pattern
if ( "x$_awsmfa_qprofile" == x || ${%_awsmfa_qprofile} > 128 || "x$_awsmfa_qprofile" =~ x*[^ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@+-]* ) goto _awsmfa_qdone
# <<< contract: profile-pattern
# >>> contract: cache-folder
set _awsmfa_qdir = ""
if ( $?AWSMFA_CACHE_DIR ) then
  if ( "x$AWSMFA_CACHE_DIR" != x ) set _awsmfa_qdir = "$AWSMFA_CACHE_DIR/profiles"
endif
if ( "x$_awsmfa_qdir" == x && -e /System/Library/CoreServices/SystemVersion.plist ) set _awsmfa_qdir = "$HOME/Library/Caches/awsmfa/profiles"
if ( "x$_awsmfa_qdir" == x && $?XDG_CACHE_HOME ) then
  if ( "x$XDG_CACHE_HOME" != x ) set _awsmfa_qdir = "$XDG_CACHE_HOME/awsmfa/profiles"
endif
if ( "x$_awsmfa_qdir" == x ) set _awsmfa_qdir = "$HOME/.cache/awsmfa/profiles"
set _awsmfa_qfile = "$_awsmfa_qdir/$_awsmfa_qprofile.env"
# <<< contract: cache-folder
if ( ! -f "$_awsmfa_qfile" || -l "$_awsmfa_qfile" || ! -o "$_awsmfa_qfile" || ! -d "$_awsmfa_qdir" || -l "$_awsmfa_qdir" || ! -o "$_awsmfa_qdir" ) goto _awsmfa_qdone
@ _awsmfa_qmode = -P077 "$_awsmfa_qfile"
@ _awsmfa_qdirmode = -P077 "$_awsmfa_qdir"
if ( $_awsmfa_qmode != 0 || $_awsmfa_qdirmode != 0 ) goto _awsmfa_qdone
set _awsmfa_qconfig = "$HOME/.aws/config"
if ( $?AWS_CONFIG_FILE ) then
  if ( "x$AWS_CONFIG_FILE" != x ) set _awsmfa_qconfig = "$AWS_CONFIG_FILE"
endif
set _awsmfa_qcredentials = "$HOME/.aws/credentials"
if ( $?AWS_SHARED_CREDENTIALS_FILE ) then
  if ( "x$AWS_SHARED_CREDENTIALS_FILE" != x ) set _awsmfa_qcredentials = "$AWS_SHARED_CREDENTIALS_FILE"
endif
if ( "x$_awsmfa_qconfig" !~ x/* || "x$_awsmfa_qcredentials" !~ x/* || "x$_awsmfa_qconfig$_awsmfa_qcredentials" =~ x*[~\$]* ) goto _awsmfa_qdone
set _awsmfa_qnames = ( )
set _awsmfa_qvalues = ( )
set _awsmfa_qexpires = ""
set _awsmfa_qregion = ""
set _awsmfa_qfrom_config = ""
set _awsmfa_qfrom_credentials = ""
set _awsmfa_qconfig_stat = ""
set _awsmfa_qcredentials_stat = ""
# Inside "`...`" the lines are words as they are: no globbing, no substitution in what the file holds.
set _awsmfa_qlines = ( "`cat $_awsmfa_qfile:q`" )
foreach _awsmfa_qline ( $_awsmfa_qlines:q )
  # Empty values would vanish from a list, and ! or bytes beyond ASCII are what tcsh cannot carry.
  if ( "x$_awsmfa_qline" =~ x*\!* || "x$_awsmfa_qline" =~ x*[^\ -~]* || "x$_awsmfa_qline" =~ x*= ) goto _awsmfa_qdone
  switch ( "$_awsmfa_qline" )
    case AWSMFA_EXPIRES=*:
      set _awsmfa_qexpires = "$_awsmfa_qline:s/AWSMFA_EXPIRES=//"
      breaksw
    case AWSMFA_CONFIG_FILE=*:
      set _awsmfa_qfrom_config = "$_awsmfa_qline:s/AWSMFA_CONFIG_FILE=//"
      breaksw
    case AWSMFA_CREDENTIALS_FILE=*:
      set _awsmfa_qfrom_credentials = "$_awsmfa_qline:s/AWSMFA_CREDENTIALS_FILE=//"
      breaksw
    case AWSMFA_CONFIGURED_REGION=*:
      set _awsmfa_qregion = "$_awsmfa_qline:s/AWSMFA_CONFIGURED_REGION=//"
      breaksw
    case AWSMFA_CONFIG_STAT=*:
      set _awsmfa_qconfig_stat = "$_awsmfa_qline:s/AWSMFA_CONFIG_STAT=//"
      breaksw
    case AWSMFA_CREDENTIALS_STAT=*:
      set _awsmfa_qcredentials_stat = "$_awsmfa_qline:s/AWSMFA_CREDENTIALS_STAT=//"
      breaksw
    # >>> contract: session-names
    case AWS_ACCESS_KEY_ID=*:
      set _awsmfa_qnames = ( $_awsmfa_qnames:q AWS_ACCESS_KEY_ID )
      set _awsmfa_qvalues = ( $_awsmfa_qvalues:q "$_awsmfa_qline:s/AWS_ACCESS_KEY_ID=//" )
      breaksw
    case AWS_SECRET_ACCESS_KEY=*:
      set _awsmfa_qnames = ( $_awsmfa_qnames:q AWS_SECRET_ACCESS_KEY )
      set _awsmfa_qvalues = ( $_awsmfa_qvalues:q "$_awsmfa_qline:s/AWS_SECRET_ACCESS_KEY=//" )
      breaksw
    case AWS_SESSION_TOKEN=*:
      set _awsmfa_qnames = ( $_awsmfa_qnames:q AWS_SESSION_TOKEN )
      set _awsmfa_qvalues = ( $_awsmfa_qvalues:q "$_awsmfa_qline:s/AWS_SESSION_TOKEN=//" )
      breaksw
    case AWS_CREDENTIAL_EXPIRATION=*:
      set _awsmfa_qnames = ( $_awsmfa_qnames:q AWS_CREDENTIAL_EXPIRATION )
      set _awsmfa_qvalues = ( $_awsmfa_qvalues:q "$_awsmfa_qline:s/AWS_CREDENTIAL_EXPIRATION=//" )
      breaksw
    case AWS_SESSION_EXPIRATION=*:
      set _awsmfa_qnames = ( $_awsmfa_qnames:q AWS_SESSION_EXPIRATION )
      set _awsmfa_qvalues = ( $_awsmfa_qvalues:q "$_awsmfa_qline:s/AWS_SESSION_EXPIRATION=//" )
      breaksw
    case AWSMFA_PROFILE=*:
      set _awsmfa_qnames = ( $_awsmfa_qnames:q AWSMFA_PROFILE )
      set _awsmfa_qvalues = ( $_awsmfa_qvalues:q "$_awsmfa_qline:s/AWSMFA_PROFILE=//" )
      breaksw
    # <<< contract: session-names
    default:
      goto _awsmfa_qdone
  endsw
end
# The file names its profile: one renamed to another profile's name is not that profile's session.
set _awsmfa_qi = 1
while ( $_awsmfa_qi <= $#_awsmfa_qnames )
  if ( "$_awsmfa_qnames[$_awsmfa_qi]" == AWSMFA_PROFILE && "x$_awsmfa_qvalues[$_awsmfa_qi]" != "x$_awsmfa_qprofile" ) goto _awsmfa_qdone
  @ _awsmfa_qi++
end
# Made from these very files: another AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE or HOME is awsmfa's to resolve.
if ( "x$_awsmfa_qfrom_config" != "x$_awsmfa_qconfig" || "x$_awsmfa_qfrom_credentials" != "x$_awsmfa_qcredentials" ) goto _awsmfa_qdone
# Each AWS file as recorded (size:inode:mtime:ctime, times in nanoseconds), or absent then and now (-).
set _awsmfa_qchecks = ( "$_awsmfa_qconfig" "$_awsmfa_qconfig_stat" "$_awsmfa_qcredentials" "$_awsmfa_qcredentials_stat" )
while ( $#_awsmfa_qchecks > 0 )
  set _awsmfa_qpath = "$_awsmfa_qchecks[1]"
  set _awsmfa_qrecord = "$_awsmfa_qchecks[2]"
  shift _awsmfa_qchecks
  shift _awsmfa_qchecks
  if ( "x$_awsmfa_qrecord" == "x-" ) then
    if ( -e "$_awsmfa_qpath" ) goto _awsmfa_qdone
    continue
  endif
  # Digits only (a number with a leading 0 is octal to @), 19 of them at most (@ counts in 64 bits).
  if ( "x$_awsmfa_qrecord" !~ x[1-9]*:[1-9]*:[1-9]*:[1-9]* || "x$_awsmfa_qrecord" =~ x*[^0-9:]* || ${%_awsmfa_qrecord} > 79 || ! -e "$_awsmfa_qpath" ) goto _awsmfa_qdone
  set _awsmfa_qparts = ( $_awsmfa_qrecord:as/:/ / )
  if ( $#_awsmfa_qparts != 4 || ${%_awsmfa_qparts[3]} > 19 || ${%_awsmfa_qparts[4]} > 19 ) goto _awsmfa_qdone
  @ _awsmfa_qsize = -Z "$_awsmfa_qpath"
  @ _awsmfa_qinode = -I "$_awsmfa_qpath"
  @ _awsmfa_qmtime = -M "$_awsmfa_qpath"
  @ _awsmfa_qctime = -C "$_awsmfa_qpath"
  @ _awsmfa_qmtime_then = $_awsmfa_qparts[3] / 1000000000
  @ _awsmfa_qctime_then = $_awsmfa_qparts[4] / 1000000000
  if ( "$_awsmfa_qsize" != "$_awsmfa_qparts[1]" || "$_awsmfa_qinode" != "$_awsmfa_qparts[2]" || $_awsmfa_qmtime != $_awsmfa_qmtime_then || $_awsmfa_qctime != $_awsmfa_qctime_then ) goto _awsmfa_qdone
end
# >>> contract: margin
set _awsmfa_qmargin = 300
set _awsmfa_qcount = 6
# <<< contract: margin
if ( "x$_awsmfa_qexpires" !~ x[1-9]* || "x$_awsmfa_qexpires" =~ x*[^0-9]* || ${%_awsmfa_qexpires} > 12 || $#_awsmfa_qnames != $_awsmfa_qcount ) goto _awsmfa_qdone
set _awsmfa_qnow = "`date +%s`"
if ( "x$_awsmfa_qnow" !~ x[1-9]* || "x$_awsmfa_qnow" =~ x*[^0-9]* ) goto _awsmfa_qdone
@ _awsmfa_qleft = $_awsmfa_qexpires - $_awsmfa_qnow
if ( $_awsmfa_qleft <= $_awsmfa_qmargin ) goto _awsmfa_qdone
_awsmfa_unset
# >>> contract: set-aside
set _awsmfa_qaside = ""
if ( $?AWS_PROFILE ) then
  if ( "x$_awsmfa_qaside" != x ) set _awsmfa_qaside = "$_awsmfa_qaside and "
  set _awsmfa_qaside = "${_awsmfa_qaside}AWS_PROFILE"
  if ( "x$AWS_PROFILE" != x ) setenv AWSMFA_AWS_PROFILE "$AWS_PROFILE"
  unsetenv AWS_PROFILE
endif
if ( $?AWS_DEFAULT_PROFILE ) then
  if ( "x$_awsmfa_qaside" != x ) set _awsmfa_qaside = "$_awsmfa_qaside and "
  set _awsmfa_qaside = "${_awsmfa_qaside}AWS_DEFAULT_PROFILE"
  if ( "x$AWS_DEFAULT_PROFILE" != x ) setenv AWSMFA_AWS_DEFAULT_PROFILE "$AWS_DEFAULT_PROFILE"
  unsetenv AWS_DEFAULT_PROFILE
endif
if ( "x$_awsmfa_qaside" != x ) set _awsmfa_qaside = " ($_awsmfa_qaside set aside until mfa-unset)"
# <<< contract: set-aside
set _awsmfa_qi = 1
while ( $_awsmfa_qi <= $#_awsmfa_qnames )
  setenv $_awsmfa_qnames[$_awsmfa_qi] "$_awsmfa_qvalues[$_awsmfa_qi]"
  @ _awsmfa_qi++
end
# The profile's region, as awsmfa env exports it: not over a region of the user's own.
if ( "x$_awsmfa_qregion" != x && ! $?AWS_REGION ) then
  setenv AWS_REGION "$_awsmfa_qregion"
  setenv AWS_DEFAULT_REGION "$_awsmfa_qregion"
  setenv AWSMFA_REGION "$_awsmfa_qregion"
endif
set _awsmfa_served = 1
set _awsmfa_qquiet = ""
if ( $?AWSMFA_QUIET ) then
  set _awsmfa_qquiet = "$AWSMFA_QUIET"
endif
# >>> contract: served-line
# Said once, on stderr, with builtins only; AWSMFA_QUIET=1 keeps it quiet.
@ _awsmfa_qhours = $_awsmfa_qleft / 3600
@ _awsmfa_qminutes = ( $_awsmfa_qleft % 3600 ) / 60
if ( "x$_awsmfa_qquiet" != x1 ) sh -c 'printf "$@" >&2' sh 'awsmfa: %s: cached session, %dh %02dm left%s\n' "$_awsmfa_qprofile" $_awsmfa_qhours $_awsmfa_qminutes "$_awsmfa_qaside"
# <<< contract: served-line
_awsmfa_qdone:
unset '_awsmfa_q*'
