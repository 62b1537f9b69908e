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

export const tcsh = lineDialect({
  // A quoted command word is never taken for an alias in tcsh.
  snippet: {file: `awsmfa.tcsh`, byName: `\\awsmfa`, byPath: (node, script) => `${plainPath(`tcsh`, node)} ${plainPath(`tcsh`, script)}`, oneLine: true},
  name: `tcsh`,
  aliases: [`csh`],
  description: `tcsh/csh: setenv / unsetenv`,
  set: (name, value) => `setenv ${name} ${quoteTcsh(name, value)} ;`,
  unset: name => `unsetenv ${name} ;`,
});
