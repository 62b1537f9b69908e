import {cmd} from './cmd.js';
import {elvish} from './elvish.js';
import {fish} from './fish.js';
import {dotenv, envFile, json} from './formats.js';
import {bash, ksh, sh, zsh} from './posix.js';
import {pwsh} from './pwsh.js';
import {tcsh} from './tcsh.js';
import type {Dialect} from './types.js';

export type {Assignment, Dialect, Snippet} from './types.js';

/** Every dialect, shells first; the order is the order `--help` and errors list them in. */
export const DIALECTS: readonly Dialect[] = [bash, zsh, sh, ksh, fish, tcsh, elvish, pwsh, cmd, dotenv, envFile, json];

/** Shells only: what `awsmfa init` has a snippet for and what detection may answer. */
export const SHELL_NAMES = [`bash`, `zsh`, `sh`, `ksh`, `fish`, `tcsh`, `elvish`, `pwsh`, `cmd`] as const;

/** The shells `awsmfa init` has a snippet for (shell/), in the table's order (completion offers them so). */
export const SNIPPET_SHELLS: readonly string[] = DIALECTS.flatMap(dialect => dialect.snippet === undefined ? [] : [dialect.name]);

/** Every name `--shell` accepts, aliases included. */
export const DIALECT_NAMES: readonly string[] = DIALECTS.flatMap(dialect => [dialect.name, ...dialect.aliases]);

/** The dialect for a name or alias (case-insensitive, `.exe` and a login shell's leading `-` ignored). */
export function findDialect(name: string): Dialect | undefined {
  const key = name.toLowerCase().replace(/^-/, ``).replace(/\.exe$/, ``);
  return DIALECTS.find(dialect => dialect.name === key || dialect.aliases.includes(key));
}
