import {ConfigError} from '../errors.js';

/** A name and its value, in the order they are to be printed. */
export type Assignment = readonly [name: string, value: string];

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
  set(assignments: readonly Assignment[]): string;
  unset(names: readonly string[]): string;
}

export class UnsafeValueError extends ConfigError {
  constructor(dialect: string, name: string, what: string) {
    super(`the value of ${name} holds ${what}, which the ${dialect} dialect cannot carry safely; use another --shell (sh, fish, json)`);
  }
}

/** Builds a dialect that prints one line per variable. */
export function lineDialect(spec: {
  name: string;
  aliases?: readonly string[];
  description: string;
  set: (name: string, value: string) => string;
  unset: (name: string) => string;
}): Dialect {
  return {
    name: spec.name,
    aliases: spec.aliases ?? [],
    description: spec.description,
    set: assignments => assignments.map(([name, value]) => `${spec.set(name, value)}\n`).join(``),
    unset: names => names.map(name => `${spec.unset(name)}\n`).join(``),
  };
}

/** Names a character for an error message without printing the value around it. */
export function describeChar(char: string): string {
  switch (char) {
    case `\n`: return `a newline`;
    case `\r`: return `a carriage return`;
    default: return char.charCodeAt(0) < 0x20 ? `a control character` : `the character ${char}`;
  }
}

/** The first character of `value` that matches `forbidden`, described; undefined when there is none. */
export function findForbidden(value: string, forbidden: RegExp): string | undefined {
  const match = forbidden.exec(value);
  return match ? describeChar(match[0]) : undefined;
}
