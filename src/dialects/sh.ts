import type {ShellParts} from './parts.js';
import {posixDialect, posixProfile} from './posix.js';

/** POSIX sh and dash: no `mfa` file (bash's and zsh's use arrays and `local`); `eval "$(awsmfa env)"`. */
export const sh = posixDialect(`sh`, [`dash`, `posix`], `POSIX sh and dash: export / unset`);

export function shellParts(): ShellParts {
  return {
    renderers: {},
    profile: {
      ...posixProfile,
      runs: [{binary: `dash`, args: [], interactive: []}],
      lint: [],
      fences: [`sh`],
      complete: {none: `sh has no mfa file, and so no completion`},
    },
  };
}
