import {completion, type CliFacts, type ShellParts} from './parts.js';
import {configHome} from './types.js';
import {bashLikeCompletion, posixCompletionRegions, posixDialect, posixProfile, posixRegions, posixSnippet, quotePosix} from './posix.js';

/** zsh: POSIX quoting; `mfa` in shell/awsmfa.zsh, its completion in shell/completion/awsmfa.zsh. */
export const zsh = posixDialect(`zsh`, [], `zsh: export / unset`, posixSnippet(`awsmfa.zsh`, `completion/awsmfa.zsh`, (home, env) => `${configHome(home, env, `ZDOTDIR`, ``)}/.zshrc`));

/**
 * zsh's own completion (`_awsmfa_zsh`): the names offered (commands, each command's options), and one table of
 * their descriptions from the help, each written once. An option's most common description is under its name; a
 * command that says otherwise has it under COMMAND/NAME (a command of two words: FIRST/SECOND/NAME); a second word
 * is under FIRST/SECOND.
 */
const zshDescriptions = (cli: CliFacts) => {
  const pairs = new Map<string, string>(cli.words.map(word => [word.word, word.description]));
  for (const command of completion.groups(cli).flatMap(word => word.group))
    pairs.set(command.path.join(`/`), command.description);
  const counts = new Map<string, Map<string, number>>();
  const uses = cli.commands.flatMap(command => command.options.flatMap(option => option.longs.map(long => ({command: command.path.join(`/`), long, description: option.description}))));
  for (const {long, description} of uses) {
    const seen = counts.get(long) ?? new Map<string, number>();
    counts.set(long, seen.set(description, (seen.get(description) ?? 0) + 1));
  }
  for (const [long, seen] of counts)
    pairs.set(long, [...seen].sort((a, b) => b[1] - a[1])[0]![0]);
  for (const {command, long, description} of uses) {
    if (pairs.get(long) !== description)
      pairs.set(`${command}/${long}`, description);
  }
  return [`descriptions=(`, ...[...pairs].map(([name, description]) => `  ${name} ${quotePosix(description)}`), `)`];
};

export function shellParts(): ShellParts {
  return {
    renderers: {
      'awsmfa.zsh': posixRegions(`^`, `EPOCHSECONDS`),
      'completion/awsmfa.zsh': {
        ...posixCompletionRegions,
        'zsh-descriptions': zshDescriptions,
        'zsh-commands': cli => [`names=(${completion.commandNames(cli).join(` `)})`],
        // After the first word of a command of two words, its second words; then both words (FIRST/SECOND) name it.
        'zsh-groups': cli => [
          `case $sub in`,
          ...completion.groups(cli).map(word => `  ${word.word}) (( CURRENT == at + 1 )) && names=(${word.group.map(completion.second).join(` `)}); sub=${word.word}/$words[at+1] ;;`),
          `esac`,
        ],
        'zsh-options': cli => cli.commands.filter(command => command.name !== `help`).map(command => {
          const names = [...command.name === `init` ? cli.snippetShells : [], ...completion.longs(command)];
          const values = command.valued.map(({names, values}) => `[[ $words[CURRENT-1] == (${names.join(`|`)}) ]] && { compadd - ${values.join(` `)}; return }; `).join(``);
          return command.name === `env`
            ? `env) names=(${names.join(` `)}); [[ $words[1] == mfa ]] && names=(\${names:#--shell}) ;;`
            : `${command.path.join(`/`)}) ${values}names=(${names.join(` `)}) ;;`;
        }),
      },
    },
    profile: {
      ...posixProfile,
      runs: [{binary: `zsh`, args: [], interactive: [`-f`]}],
      rc: {printed: `eval "$(awsmfa init zsh)"`},
      quick: {modes: true, record: true},
      load: file => `. '${file}'`,
      lint: [[`zsh`, `-n`]],
      fences: [`sh`, `bash`],
      // bashcompinit hands every candidate to zsh, which matches what was typed itself.
      complete: bashLikeCompletion(`autoload -U compinit && compinit -u -D`),
    },
  };
}
