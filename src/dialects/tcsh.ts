import {REGION_MARK, SESSION_VARIABLES} from '../contract.js';
import {completion, type CliFacts, type ShellParts} from './parts.js';
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
  snippet: {file: `awsmfa.tcsh`, byName: `\\awsmfa`, byPath: (node, script) => `${plainPath(`tcsh`, node)} ${plainPath(`tcsh`, script)}`, oneLine: true},
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

export function shellParts(): ShellParts {
  return {
    renderers: {
      'awsmfa.tcsh': {
        'variables': () => [`alias mfa-unset 'if ("\`printenv ${REGION_MARK}\`" != "" && "\`printenv AWS_REGION\`" == "\`printenv ${REGION_MARK}\`") unsetenv AWS_REGION ; if ("\`printenv ${REGION_MARK}\`" != "" && "\`printenv AWS_DEFAULT_REGION\`" == "\`printenv ${REGION_MARK}\`") unsetenv AWS_DEFAULT_REGION ; ${[...SESSION_VARIABLES, REGION_MARK].map(name => `unsetenv ${name}`).join(` ; `)}' ;`],
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
      rc: {line: 'eval "`awsmfa init tcsh`"'},
      load: file => `source '${file}'`,
      lint: [[`tcsh`, `-f`, `-n`]],
      fences: [`tcsh`],
      complete: {none: `tcsh completes only at a terminal: test/completion.test.ts types TAB in a real tcsh (tmux)`},
    },
  };
}
