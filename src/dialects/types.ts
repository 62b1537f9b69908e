import {join} from 'node:path';
import {envValue, type Env} from '../env.js';
import {CONTROL} from '../rules.js';
import {ConfigError} from '../errors.js';
import {quoted} from '../terminal.js';

/** A name and its value, in the order they are to be printed. */
export type Assignment = readonly [name: string, value: string];

/**
 * A shell's `mfa` snippet (shell/): its file, and how the file runs awsmfa. The file calls it by name, past aliases
 * and functions (`byName`, as written in the file), so that it loads as it is; when awsmfa is not on PATH, `init`
 * puts in the absolute paths of node and of this awsmfa instead (`byPath`). A dialect holds its snippet as direnv's
 * Shell holds its hook.
 */
export interface Snippet {
  readonly file: string;
  /**
   * Its completion, in a file of its own under shell/ (rendered whole from the CLI's definitions): the snippet
   * reads it at the first TAB, from beside its own real path, and `awsmfa init` prints it after the snippet.
   */
  readonly completion?: string;
  readonly byName: string;
  byPath(node: string, script: string): string;
  /** tcsh: the snippet must be one line (an alias), so init prints it without its comments. */
  readonly oneLine?: boolean;
  /**
   * Files beside it (under shell/) that it runs by their absolute path, written `SHELL_FOLDER_MARK/NAME` in it: a
   * shell that cannot tell a sourced file where it is (tcsh). `awsmfa init` puts in the folder, as `folder` writes
   * it; the file as it is in shell/ finds no such file, and goes without (tcsh: mfa runs awsmfa every time).
   */
  readonly helpers?: readonly string[];
  folder?(path: string): string;
  /**
   * How a copy of the files (src/commands/shell-copy.ts, in awsmfa's data folder) is loaded: the line that loads
   * it, and the rc file `awsmfa init --install` adds that line to (none: the line is shown, for the user to add).
   * None for cmd.exe, whose mfa.cmd is a command of its own in a folder on PATH.
   */
  readonly rc?: {
    line(copy: string): string;
    file?(home: string, env: Env, exists: (path: string) => boolean): string;
  };
  /**
   * A line that says `message` on stderr, when the file is loaded, if any of `paths` is gone: in a copy that runs
   * awsmfa by the paths of node and of awsmfa, which a moved clone or a removed Node takes away.
   */
  gone?(paths: readonly string[], message: string): string;
}

/** A folder named by an environment variable (when set and not empty), else one in HOME. */
export function configHome(home: string, env: Env, variable: string, inHome: string): string {
  return envValue(env, variable) ?? join(home, inHome);
}

/** Where a snippet names the folder its helpers are in (see Snippet.helpers): `awsmfa init` writes the folder. */
export const SHELL_FOLDER_MARK = `@AWSMFA_SHELL_DIR@`;

/**
 * One output language of `awsmfa env` / `awsmfa unset`: a shell, or a file format.
 * `set` returns the whole text to print (every line ends with a newline, no blank line at the end).
 * A value that the dialect cannot carry exactly is refused with {@link UnsafeValueError}, never half-quoted.
 */
export interface Dialect {
  readonly name: string;
  readonly aliases: readonly string[];
  /** What to tell a user about this dialect in `--help` and errors. */
  readonly description: string;
  /**
   * A shell evaluates what awsmfa prints: it is detected by its name and aliases (the calling process, `$SHELL`)
   * and its `mfa` names it with --mfa-shell. A format is a file for a program to read, and is only ever asked for.
   */
  readonly kind: `shell` | `format`;
  /**
   * A shell's failure statement: all that stdout holds when a command whose output the shell applies fails. One
   * statement that fails in that shell and changes nothing (no variable, nothing from outside: a fixed text), so
   * that `set -e` stops at `eval "$(awsmfa env)"` instead of going on with the keys the shell already had (an
   * empty `eval` succeeds). A format has none: its stdout stays empty.
   */
  readonly failure?: string;
  set(assignments: readonly Assignment[]): string;
  unset(names: readonly string[]): string;
  /** A session: `unsets` removed, then `assignments` set (a format that cannot unset leaves them out). */
  session(assignments: readonly Assignment[], unsets: readonly string[]): string;
  /** The shell's `mfa` snippet, for the shells awsmfa init knows. */
  readonly snippet?: Snippet;
}

export class UnsafeValueError extends ConfigError {
  constructor(dialect: string, name: string, what: string) {
    super(`the value of ${name} holds ${what}, which the ${dialect} dialect cannot carry safely; use another --shell (sh, fish, json)`);
  }
}

/** A control character: no dialect prints one (a NUL cuts a value short in some shells and ends quoting in others). */
export class ControlCharacterError extends ConfigError {
  constructor(name: string, what: string) {
    super(`the value of ${name} holds ${what}; awsmfa never prints control characters into shell code`);
  }
}

/** Names awsmfa prints are its own (AWS_…); anything else is a bug, not a user's mistake. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The checks every dialect makes before printing a value, whatever its quoting: the name is a plain variable
 * name, and the value holds no control character (defence in depth: values from STS are checked before this).
 */
export function checkAssignment(name: string, value: string): void {
  if (!NAME.test(name))
    throw new Error(`not a variable name: ${quoted(name)}`);
  const bad = findForbidden(value, CONTROL);
  if (bad !== undefined)
    throw new ControlCharacterError(name, bad);
}

/** Builds a shell's dialect, which prints one line per variable (and `failure`, a line too, when awsmfa fails). */
export function lineDialect(spec: {
  name: string;
  aliases?: readonly string[];
  description: string;
  set: (name: string, value: string) => string;
  unset: (name: string) => string;
  failure: string;
  snippet?: Snippet;
}): Dialect {
  const dialect: Dialect = {
    name: spec.name,
    kind: `shell`,
    snippet: spec.snippet,
    aliases: spec.aliases ?? [],
    description: spec.description,
    failure: `${spec.failure}\n`,
    set: assignments => assignments.map(([name, value]) => {
      checkAssignment(name, value);
      return `${spec.set(name, value)}\n`;
    }).join(``),
    unset: names => names.map(name => `${spec.unset(name)}\n`).join(``),
    session: (assignments, unsets) => dialect.unset(unsets) + dialect.set(assignments),
  };
  return dialect;
}

/** Names a character for an error message without printing the value around it (invisible ones by code point). */
export function describeChar(char: string): string {
  const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, `0`)}`;
  switch (char) {
    case `\0`: return `a NUL byte (${code})`;
    case `\n`: return `a newline`;
    case `\r`: return `a carriage return`;
    case `\t`: return `a tab`;
  }
  if (CONTROL.test(char))
    return `a control character (${code})`;
  return /^[\x21-\x7e]$/.test(char) ? `the character ${char}` : `the character ${code}`;
}

/** The first character of `value` that matches `forbidden`, described; undefined when there is none. */
export function findForbidden(value: string, forbidden: RegExp): string | undefined {
  const match = forbidden.exec(value);
  return match ? describeChar(String.fromCodePoint(match[0].codePointAt(0)!)) : undefined;
}

/**
 * A path as tcsh and cmd take it in a snippet: tcsh's alias nests it in quotes already, and cmd expands `%`
 * everywhere, so only plain paths are written; anything else is refused.
 */
export function plainPath(shell: string, path: string): string {
  if (!/^[\w./:\\+@-]+$/.test(path))
    throw new ConfigError(`the path ${path} cannot be written safely for ${shell}; put awsmfa on PATH and run init again`);
  return path;
}
