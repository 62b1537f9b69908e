import {lineDialect, type Snippet} from './types.js';

/**
 * POSIX shells (sh, dash, bash, zsh, ksh): everything between single quotes is literal, newlines included, and a
 * single quote cannot appear inside them, so `'` is written as `'\''` (close, escaped quote, reopen).
 * https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_18_02_02
 */
export function quotePosix(value: string): string {
  return `'${value.replaceAll(`'`, `'\\''`)}'`;
}

function posix(name: string, aliases: string[], description: string, snippet?: Snippet) {
  return lineDialect({
    name,
    aliases,
    description,
    snippet,
    set: (variable, value) => `export ${variable}=${quotePosix(value)}`,
    unset: variable => `unset ${variable}`,
  });
}

export const sh = posix(`sh`, [`dash`, `posix`], `POSIX sh and dash: export / unset`);
/** bash and zsh run awsmfa past functions and aliases with `command`. */
const posixSnippet = (file: string): Snippet => ({file, byName: `command awsmfa`, byPath: (node, script) => `command ${quotePosix(node)} ${quotePosix(script)}`});

export const bash = posix(`bash`, [], `bash: export / unset`, posixSnippet(`awsmfa.bash`));
export const zsh = posix(`zsh`, [], `zsh: export / unset`, posixSnippet(`awsmfa.zsh`));
export const ksh = posix(`ksh`, [`mksh`, `ksh93`, `pdksh`], `ksh: export / unset`);
