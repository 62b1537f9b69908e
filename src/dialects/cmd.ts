import {findForbidden, lineDialect, UnsafeValueError} from './types.js';

/**
 * Windows cmd.exe: `set "NAME=value"` keeps `&|<>^` and spaces literal between the quotes, but `%` (and `!` with
 * delayed expansion) are expanded everywhere and a `"` would end the quoting; none of these can be escaped the
 * same way on the command line, in a batch file and in `for /f`, so values holding them are refused.
 * https://ss64.com/nt/syntax-esc.html
 */
export function quoteCmd(name: string, value: string): string {
  const bad = findForbidden(value, /[%!"\r\n\x00-\x1f]/);
  if (bad !== undefined)
    throw new UnsafeValueError(`cmd`, name, bad);
  return `"${name}=${value}"`;
}

export const cmd = lineDialect({
  name: `cmd`,
  description: `Windows cmd.exe: set "NAME=value" / set NAME=`,
  set: (name, value) => `set ${quoteCmd(name, value)}`,
  // `set NAME=` with nothing after the `=` removes the variable in cmd.exe.
  unset: name => `set ${name}=`,
});
