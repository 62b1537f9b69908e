import type {ShellParts} from './parts.js';
import {posixDialect, posixProfile} from './posix.js';

/** ksh (ksh93, mksh, pdksh): POSIX quoting; no `mfa` file; `eval "$(awsmfa env)"`. */
export const ksh = posixDialect(`ksh`, [`mksh`, `ksh93`, `pdksh`], `ksh: export / unset`);

export function shellParts(): ShellParts {
  return {
    renderers: {},
    profile: {
      ...posixProfile,
      runs: [{binary: `ksh`, args: [], interactive: []}],
      lint: [],
      fences: [`sh`],
      complete: {none: `ksh has no mfa file, and so no completion`},
    },
  };
}
