import {bash} from './bash.js';
import {cmd} from './cmd.js';
import {elvish} from './elvish.js';
import {fish} from './fish.js';
import {dotenv, envFile, json} from './formats.js';
import {ksh} from './ksh.js';
import {pwsh} from './pwsh.js';
import {sh} from './sh.js';
import {tcsh} from './tcsh.js';
import type {Dialect} from './types.js';
import {zsh} from './zsh.js';

export type {Assignment, Dialect, Snippet} from './types.js';

/**
 * Every dialect, shells first; the order is the order `--help` and errors list them in. A shell's module is
 * src/dialects/NAME.ts (its name), and holds all of that shell: its quoting, its failure statement, its snippet,
 * and (as `shellParts`, which the bundles leave out) the renderers of its files and its test profile.
 */
export const DIALECTS: readonly Dialect[] = [bash, zsh, sh, ksh, fish, tcsh, elvish, pwsh, cmd, dotenv, envFile, json];

/** The shells: what detection may answer, and what the `mfa` functions name with --mfa-shell. */
export const SHELL_DIALECTS: readonly Dialect[] = DIALECTS.filter(dialect => dialect.kind === `shell`);
export const SHELL_NAMES: readonly string[] = SHELL_DIALECTS.map(dialect => dialect.name);

/** The shells `awsmfa init` has a snippet for (shell/), in the table's order (completion offers them so). */
export const SNIPPET_SHELLS: readonly string[] = DIALECTS.flatMap(dialect => dialect.snippet === undefined ? [] : [dialect.name]);

/** Every name `--shell` accepts, aliases included. */
export const DIALECT_NAMES: readonly string[] = DIALECTS.flatMap(dialect => [dialect.name, ...dialect.aliases]);

/** The dialect for a name or alias (case-insensitive, `.exe` and a login shell's leading `-` ignored). */
export function findDialect(name: string): Dialect | undefined {
  const key = name.toLowerCase().replace(/^-/, ``).replace(/\.exe$/, ``);
  return DIALECTS.find(dialect => dialect.name === key || dialect.aliases.includes(key));
}

/** The shell named so (a name or alias, as findDialect reads it); undefined for a format or an unknown name. */
export function findShell(name: string): Dialect | undefined {
  const dialect = findDialect(name);
  return dialect?.kind === `shell` ? dialect : undefined;
}
