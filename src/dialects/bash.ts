import {join} from 'node:path';
import type {ShellParts} from './parts.js';
import {bashLikeCompletion, posixCompletionRegions, posixDialect, posixProfile, posixRegions, posixSnippet} from './posix.js';

/** bash: POSIX quoting; `mfa` in shell/awsmfa.bash, its completion in shell/completion/awsmfa.bash. */
export const bash = posixDialect(`bash`, [], `bash: export / unset`, posixSnippet(`awsmfa.bash`, `completion/awsmfa.bash`, home => join(home, `.bashrc`)));

export function shellParts(): ShellParts {
  return {
    renderers: {
      'awsmfa.bash': posixRegions(`!`, `now`),
      'completion/awsmfa.bash': posixCompletionRegions,
    },
    profile: {
      ...posixProfile,
      runs: [{binary: `bash`, args: [], interactive: [`--norc`, `--noprofile`]}],
      rc: {printed: `eval "$(awsmfa init bash)"`},
      quick: {modes: false, record: false},
      load: file => `. '${file}'`,
      lint: [[`bash`, `-n`], [`shellcheck`, `-s`, `bash`]],
      fences: [`sh`, `bash`],
      complete: bashLikeCompletion(``),
    },
  };
}
