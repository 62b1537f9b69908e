import {findForbidden, lineDialect, UnsafeValueError} from './types.js';

/**
 * tcsh/csh: single quotes keep everything literal except `!` (history substitution happens even inside quotes, and
 * `\!` behaves differently in `source` and `eval`) and newlines (which end the word). `!` is refused here,
 * newlines with every control character by all dialects.
 * `'` is written `'\''` as in POSIX. Each line ends in ` ;` because `eval "`awsmfa env`"` joins lines with spaces.
 * https://www.tcsh.org/ (man tcsh, "Lexical structure" and "History substitution")
 */
export function quoteTcsh(name: string, value: string): string {
  const bad = findForbidden(value, /!/);
  if (bad !== undefined)
    throw new UnsafeValueError(`tcsh`, name, bad);
  return `'${value.replaceAll(`'`, `'\\''`)}'`;
}

export const tcsh = lineDialect({
  name: `tcsh`,
  aliases: [`csh`],
  description: `tcsh/csh: setenv / unsetenv`,
  set: (name, value) => `setenv ${name} ${quoteTcsh(name, value)} ;`,
  unset: name => `unsetenv ${name} ;`,
});
