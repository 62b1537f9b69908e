import {SESSION_VARIABLES} from '../contract.js';
import {ConfigError} from '../errors.js';
import type {ShellParts} from './parts.js';
import {findForbidden, lineDialect, UnsafeValueError} from './types.js';

/**
 * The longest line cmd.exe reads whole: 8191 characters at its prompt and in a batch file; longer ones are cut
 * without a word (Wine's cmd warns at 8191). https://learn.microsoft.com/troubleshoot/windows-client/shell-experience/command-line-string-limitation
 */
export const CMD_MAX_LINE = 8190;

/**
 * Windows cmd.exe: `set "NAME=value"` keeps `&|<>^` and spaces literal between the quotes, but `%` (and `!` with
 * delayed expansion) are expanded everywhere and a `"` would end the quoting; none of these can be escaped the
 * same way on the command line, in a batch file and in `for /f`, so values holding them are refused. cmd reads a
 * batch file in the console's code page, so anything but printable ASCII would arrive mangled: refused too.
 * https://ss64.com/nt/syntax-esc.html
 */
export function quoteCmd(name: string, value: string): string {
  const bad = findForbidden(value, /[%!"]|[^\x20-\x7e]/u);
  if (bad !== undefined)
    throw new UnsafeValueError(`cmd`, name, bad);
  // `set "NAME="` removes the variable: an empty value cannot be carried.
  if (value === ``)
    throw new UnsafeValueError(`cmd`, name, `nothing (cmd.exe takes an empty value as unsetting the variable)`);
  const quoted = `"${name}=${value}"`;
  if (`set ${quoted}`.length > CMD_MAX_LINE)
    throw new ConfigError(`the value of ${name} is ${value.length} characters long, more than a line of cmd.exe holds; use --shell pwsh or json`);
  return quoted;
}

/**
 * A path for mfa.cmd's `call "NODE" "SCRIPT"` line (init, when awsmfa is not on PATH): between its quotes spaces and
 * `& | < > ( )` are plain (`C:\Program Files\nodejs\node.exe`, `C:\Program Files (x86)\…`), but `%` expands there
 * too, `!` does where delayed expansion is on, `call` doubles every `^` even between quotes, and cmd reads the file
 * in the console's code page (anything but printable ASCII would arrive mangled): those are refused.
 */
export function cmdPath(path: string): string {
  if (!/^[\x20-\x7e]+$/.test(path) || /[%!^"]/.test(path))
    throw new ConfigError(`the path ${path} cannot be written safely for cmd (it holds % ! ^ " or a character outside printable ASCII); put awsmfa on PATH and run init again`);
  return path;
}

/**
 * On failure: a child cmd.exe that exits 1, which leaves ERRORLEVEL 1 wherever the line runs (a batch file that is
 * called, a `for /f` loop, the prompt). `exit /b 1` would end a batch file, but at the prompt it closes the window.
 */
export const cmd = lineDialect({
  snippet: {file: `mfa.cmd`, byName: `call awsmfa`, byPath: (node, script) => `call "${cmdPath(node)}" "${cmdPath(script)}"`},
  name: `cmd`,
  description: `Windows cmd.exe: set "NAME=value" / set NAME=`,
  set: (name, value) => `set ${quoteCmd(name, value)}`,
  // `set NAME=` with nothing after the `=` removes the variable in cmd.exe.
  unset: name => `set ${name}=`,
  failure: `cmd /c exit 1`,
});

export function shellParts(): ShellParts {
  return {
    // `@`: the first line comes before `@echo off`, and is not echoed.
    comment: `@rem`,
    renderers: {
      'mfa.cmd': {
        'variables-endlocal': () => [`endlocal & ${SESSION_VARIABLES.map(name => `set "${name}="`).join(` & `)} & call "%_AWSMFA_FILE%" & del "%_AWSMFA_FILE%"`],
        'variables': () => SESSION_VARIABLES.map(name => `set "${name}="`),
      },
    },
    profile: {
      // No Windows here: cmd.exe under Wine runs it (test/hostile.test.ts).
      runs: `wine-cmd`,
      apply: file => `call "${file}"`,
      applyOutput: command => `for /f "delims=" %%L in ('${command}') do %%L`,
      strict: ``,
      failureStops: false,
      status: command => `${command}\r\necho status=%ERRORLEVEL%`,
      stopOnFailure: `if errorlevel 1 exit /b 97`,
      quote: value => `"${value}"`,
      lint: [],
      fences: [],
      complete: {none: `cmd.exe has no programmable completion`},
    },
  };
}
