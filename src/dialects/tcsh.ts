import {CACHE_FOLDER, DEFAULT_PROFILE, HIDDEN_FILE, MARGIN_SECONDS, PROFILE_PRECEDENCE, QUICK_PROFILE, QUIET, REGION_MARK, SERVED_FORMAT, SERVER, SESSION_VARIABLES, SET_ASIDE, SET_ASIDE_NOTE, SHELL_FILES} from '../contract.js';
import {completion, type CliFacts, type ShellParts} from './parts.js';
import {join} from 'node:path';
import {findForbidden, lineDialect, plainPath, UnsafeValueError} from './types.js';

/**
 * tcsh/csh: single quotes keep everything literal except `!` (history substitution happens even inside quotes, and
 * `\!` behaves differently in `source` and `eval`) and newlines (which end the word). `!` is refused here,
 * newlines with every control character by all dialects. tcsh reads bytes above 0x7f by its locale, and in the C
 * locale it silently drops a value holding them (seen with tcsh 6.24), so anything but printable ASCII is refused
 * too; STS never hands it out.
 * `'` is written `'\''` as in POSIX. Each line ends in ` ;` because `eval "`awsmfa env`"` joins lines with spaces.
 * https://www.tcsh.org/ (man tcsh, "Lexical structure" and "History substitution")
 */
export function quoteTcsh(name: string, value: string): string {
  const bad = findForbidden(value, /!|[^\x20-\x7e]/u);
  if (bad !== undefined)
    throw new UnsafeValueError(`tcsh`, name, bad);
  return `'${value.replaceAll(`'`, `'\\''`)}'`;
}

/**
 * On failure: a variable nobody sets, which tcsh reports as undefined. That is an error of the shell itself, which
 * ends a script there (tcsh has no `set -e`; a failed command would not), while an interactive tcsh only says so
 * and gives the line a failing status.
 */
export const tcsh = lineDialect({
  // A quoted command word is never taken for an alias in tcsh.
  snippet: {
    file: `awsmfa.tcsh`,
    byName: `\\awsmfa`,
    byPath: (node, script) => `${plainPath(`tcsh`, node)} ${plainPath(`tcsh`, script)}`,
    oneLine: true,
    helpers: [`awsmfa-quick.tcsh`],
    folder: path => plainPath(`tcsh`, path),
    // tcsh reads ~/.tcshrc, else ~/.cshrc: a new ~/.tcshrc would hide a ~/.cshrc the user has.
    rc: {line: copy => `source ${plainPath(`tcsh`, copy)}`, file: (home, _env, exists) => exists(join(home, `.tcshrc`)) || !exists(join(home, `.cshrc`)) ? join(home, `.tcshrc`) : join(home, `.cshrc`)},
    gone: (paths, message) => `if ( ${paths.map(path => `! -e ${plainPath(`tcsh`, path)}`).join(` || `)} ) sh -c 'printf "%s\\n" "$1" >&2' sh ${quoteTcsh(`message`, message)}`,
  },
  name: `tcsh`,
  aliases: [`csh`],
  description: `tcsh/csh: setenv / unsetenv`,
  set: (name, value) => `setenv ${name} ${quoteTcsh(name, value)} ;`,
  unset: name => `unsetenv ${name} ;`,
  failure: `: $awsmfa_failed ;`,
});

/**
 * tcsh's complete: the command, then every option (tcsh's patterns cannot tell the command apart), profiles,
 * dialects, a first word's second words, fixed values (every command's for the option). tcsh splits a backquoted
 * list at blanks and globs its words: only the names that are one plain word are offered (grep), and none is
 * evaluated.
 */
const PROFILES = '`\\awsmfa complete-profiles | grep -x "[A-Za-z0-9_.@+-]*"`';
function tcshCompletion(cli: CliFacts): string[] {
  const values = new Map<string, Set<string>>();
  for (const {names, values: words} of cli.commands.flatMap(command => command.valued)) {
    for (const name of names)
      values.set(name, new Set([...values.get(name) ?? [], ...words]));
  }
  const groupsAndValues = [
    ...completion.groups(cli).map(word => `'n/${word.word}/(${word.group.map(completion.second).join(` `)})/' `),
    ...[...values].map(([name, words]) => `'n/${name}/(${[...words].join(` `)})/' `),
  ].join(``);
  const names = completion.commandNames(cli);
  return [
    `complete awsmfa 'p/1/(${names.join(` `)})/' 'n/--profile/${PROFILES}/' 'n/-p/${PROFILES}/' 'n/--update-profile/${PROFILES}/' 'n/-u/${PROFILES}/' 'n/--shell/(${cli.dialects.join(` `)})/' 'n/-s/(${cli.dialects.join(` `)})/' 'n/init/(${cli.snippetShells.join(` `)})/' 'n/help/(${names.filter(name => name !== `help`).join(` `)})/' ${groupsAndValues}'c/--/(${completion.everyOption(cli).map(name => name.slice(2)).join(` `)})/' ;`,
    `complete mfa 'n/--profile/${PROFILES}/' 'n/-p/${PROFILES}/' 'c/--/(${[...completion.mfaOptions(cli).flatMap(option => option.longs), `--help`].map(name => name.slice(2)).join(` `)})/' ;`,
  ];
}

/** `set NAME = VALUE` when the environment variable `from` is set and not empty (read only then: an unset one is an error). */
const fromVariable = (name: string, from: string, value: string) => [`if ( $?${from} ) then`, `  if ( "x$${from}" != x ) set ${name} = "${value}"`, `endif`];

/**
 * The regions of tcsh's quick path (shell/awsmfa-quick.tcsh): each variable of a line is read before an `if` on that
 * line runs, so one that may be unset is read inside `then`. Variables are global: each starts with _awsmfa_q.
 */
const quickRegions = {
  'profile-precedence': () => [
    ...PROFILE_PRECEDENCE.flatMap(name => [`if ( "x$_awsmfa_qprofile" == x && $?${name} ) then`, `  set _awsmfa_qprofile = "$${name}"`, `endif`]),
    `if ( "x$_awsmfa_qprofile" == x ) set _awsmfa_qprofile = ${DEFAULT_PROFILE}`,
  ],
  'profile-pattern': () => [`if ( "x$_awsmfa_qprofile" == x || \${%_awsmfa_qprofile} > ${QUICK_PROFILE.maxLength} || "x$_awsmfa_qprofile" =~ x*[^${QUICK_PROFILE.characters}]* ) goto _awsmfa_qdone`],
  'cache-folder': () => [
    `set _awsmfa_qdir = ""`,
    ...fromVariable(`_awsmfa_qdir`, CACHE_FOLDER.override, `$${CACHE_FOLDER.override}/${SHELL_FILES.folder}`),
    `if ( "x$_awsmfa_qdir" == x && -e ${CACHE_FOLDER.macosMarker} ) set _awsmfa_qdir = "$HOME/${CACHE_FOLDER.macos.join(`/`)}/${CACHE_FOLDER.name}/${SHELL_FILES.folder}"`,
    `if ( "x$_awsmfa_qdir" == x && $?${CACHE_FOLDER.xdg} ) then`,
    `  if ( "x$${CACHE_FOLDER.xdg}" != x ) set _awsmfa_qdir = "$${CACHE_FOLDER.xdg}/${CACHE_FOLDER.name}/${SHELL_FILES.folder}"`,
    `endif`,
    `if ( "x$_awsmfa_qdir" == x ) set _awsmfa_qdir = "$HOME/${CACHE_FOLDER.xdgDefault}/${CACHE_FOLDER.name}/${SHELL_FILES.folder}"`,
    `set _awsmfa_qfile = "$_awsmfa_qdir/$_awsmfa_qprofile${SHELL_FILES.extension}"`,
  ],
  // One case per name: tcsh's :s takes no variable, so each strips its own NAME= from the line.
  'session-names': () => SESSION_VARIABLES.flatMap(name => [
    `case ${name}=*:`,
    `  set _awsmfa_qnames = ( $_awsmfa_qnames:q ${name} )`,
    `  set _awsmfa_qvalues = ( $_awsmfa_qvalues:q "$_awsmfa_qline:s/${name}=//" )`,
    `  breaksw`,
  ]),
  // The profile variables a session takes the place of: each kept aside (when not empty), then removed.
  'set-aside': () => [
    `set _awsmfa_qaside = ""`,
    ...SET_ASIDE.flatMap(([name, keep]) => [
      `if ( $?${name} ) then`,
      `  if ( "x$_awsmfa_qaside" != x ) set _awsmfa_qaside = "$_awsmfa_qaside${SET_ASIDE_NOTE.join}"`,
      `  set _awsmfa_qaside = "\${_awsmfa_qaside}${name}"`,
      `  if ( "x$${name}" != x ) setenv ${keep} "$${name}"`,
      `  unsetenv ${name}`,
      `endif`,
    ]),
    `if ( "x$_awsmfa_qaside" != x ) set _awsmfa_qaside = "${SET_ASIDE_NOTE.before}$_awsmfa_qaside${SET_ASIDE_NOTE.after}"`,
  ],
  'margin': () => [`set _awsmfa_qmargin = ${MARGIN_SECONDS}`, `set _awsmfa_qcount = ${SESSION_VARIABLES.length}`],
  'served-line': () => [
    `# Said once, on stderr, with builtins only; ${QUIET.variable}=${QUIET.value} keeps it quiet.`,
    // @ groups operators of one precedence from the right: the parentheses keep (left % 3600) / 60.
    `@ _awsmfa_qhours = $_awsmfa_qleft / 3600`,
    `@ _awsmfa_qminutes = ( $_awsmfa_qleft % 3600 ) / 60`,
    // tcsh sends no builtin's output to stderr alone (and /dev/stderr cannot be opened when it is a socket): sh does.
    `if ( "x$_awsmfa_qquiet" != x${QUIET.value} ) sh -c 'printf "$@" >&2' sh ${quoteTcsh(`format`, SERVED_FORMAT.replace(`\n`, `\\n`))} "$_awsmfa_qprofile" $_awsmfa_qhours $_awsmfa_qminutes "$_awsmfa_qaside"`,
  ],
};

export function shellParts(): ShellParts {
  return {
    renderers: {
      'awsmfa-quick.tcsh': quickRegions,
      'awsmfa.tcsh': {
        'variables': () => [`alias _awsmfa_unset 'if ("\`printenv ${REGION_MARK}\`" != "" && "\`printenv AWS_REGION\`" == "\`printenv ${REGION_MARK}\`") unsetenv AWS_REGION ; if ("\`printenv ${REGION_MARK}\`" != "" && "\`printenv AWS_DEFAULT_REGION\`" == "\`printenv ${REGION_MARK}\`") unsetenv AWS_DEFAULT_REGION ; ${SERVER.variables.map(name => `if ("\`printenv ${SERVER.pid}\`" != "") unsetenv ${name} ; `).join(``)}unsetenv ${SERVER.pid} ; ${HIDDEN_FILE.variables.map(name => `if ("\`printenv ${name}\`" == "${HIDDEN_FILE.value}") unsetenv ${name} ; `).join(``)}${[...SESSION_VARIABLES, REGION_MARK].map(name => `unsetenv ${name}`).join(` ; `)}' ;`],
        'set-aside-restore': () => [`alias _awsmfa_restore '${SET_ASIDE.map(([name, keep]) => `if ("x\`printenv ${keep}\`" != x && $?${name} == 0) setenv ${name} "\`printenv ${keep}\`" ; unsetenv ${keep}`).join(` ; `)}' ;`],
        'completion': tcshCompletion,
      },
    },
    profile: {
      runs: [{binary: `tcsh`, args: [`-f`], interactive: [`-f`]}],
      apply: file => `eval "\`cat '${file}'\`"`,
      applyOutput: command => `eval "\`${command}\`"`,
      // A failed apply is an error of tcsh's own, which ends a script.
      strict: ``,
      failureStops: true,
      status: command => `${command} ; echo "status=$status"`,
      stopOnFailure: `if ($status != 0) exit 97`,
      quote: value => quoteTcsh(`argument`, value),
    dropsEmptyArguments: true,
      rc: {printed: 'eval "`awsmfa init tcsh`"'},
      quick: {modes: true, record: true},
      load: file => `source '${file}'`,
      lint: [[`tcsh`, `-f`, `-n`]],
      fences: [`tcsh`],
      complete: {none: `tcsh completes only at a terminal: test/completion.test.ts types TAB in a real tcsh (tmux)`},
    },
  };
}
