import {CACHE_FOLDER, DEFAULT_PROFILE, HIDDEN_FILE, MARGIN_SECONDS, PROFILE_PRECEDENCE, QUICK_PROFILE, QUIET, REGION_MARK, SERVED_FORMAT, SERVER, SESSION_VARIABLES, SET_ASIDE, SET_ASIDE_NOTE, SHELL_FILES} from '../contract.js';
import {completion, type CliFacts, type CompletedCommand, type TestProfile} from './parts.js';
import {lineDialect, type Snippet} from './types.js';

/**
 * What the POSIX shells (sh, dash, bash, zsh, ksh) share: the quoting and the lines of a session, and for bash and
 * zsh, whose `mfa` files are alike, the regions and the test profile those files share.
 */

/**
 * Everything between single quotes is literal, newlines included, and a single quote cannot appear inside them,
 * so `'` is written as `'\''` (close, escaped quote, reopen).
 * https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_18_02_02
 */
export function quotePosix(value: string): string {
  return `'${value.replaceAll(`'`, `'\\''`)}'`;
}

/**
 * A POSIX shell's dialect. On failure: `false`, which `set -e` stops at (an interactive shell only gets its status).
 */
export function posixDialect(name: string, aliases: string[], description: string, snippet?: Snippet) {
  return lineDialect({
    name,
    aliases,
    description,
    snippet,
    set: (variable, value) => `export ${variable}=${quotePosix(value)}`,
    unset: variable => `unset ${variable}`,
    failure: `false`,
  });
}

/** bash and zsh run awsmfa past functions and aliases with `command`; their rc file loads the copy with `source`. */
export const posixSnippet = (file: string, completionFile: string, rcFile: NonNullable<Snippet[`rc`]>[`file`]): Snippet => ({
  file,
  completion: completionFile,
  byName: `command awsmfa`,
  byPath: (node, script) => `command ${quotePosix(node)} ${quotePosix(script)}`,
  rc: {line: copy => `source ${quotePosix(copy)}`, file: rcFile},
  gone: (paths, message) => `${paths.map(path => `[ -e ${quotePosix(path)} ]`).join(` && `)} || printf '%s\n' ${quotePosix(message)} >&2`,
});

/** The regions of bash's and zsh's `mfa` files: zsh's patterns negate with `^`, and it has its own clock. */
export const posixRegions = (negate: `!` | `^`, now: string) => ({
  'profile-precedence': () => [`0:) profile=${PROFILE_PRECEDENCE.reduceRight((inner, name) => `\${${name}:-${inner}}`, DEFAULT_PROFILE)} ;;`],
  'profile-pattern': () => [`[[ -n $profile && \${#profile} -le ${QUICK_PROFILE.maxLength} && $profile != *[${negate}${QUICK_PROFILE.characters}]* ]] || return 1`],
  'cache-folder': () => [
    `if [ -n "\${${CACHE_FOLDER.override}:-}" ]; then`,
    `  dir=$${CACHE_FOLDER.override}/${SHELL_FILES.folder}`,
    `else`,
    `  case \${OSTYPE:-} in`,
    `    darwin*) dir=$HOME/${CACHE_FOLDER.macos.join(`/`)}/${CACHE_FOLDER.name}/${SHELL_FILES.folder} ;;`,
    `    *) dir=\${${CACHE_FOLDER.xdg}:-$HOME/${CACHE_FOLDER.xdgDefault}}/${CACHE_FOLDER.name}/${SHELL_FILES.folder} ;;`,
    `  esac`,
    `fi`,
    `file=$dir/$profile${SHELL_FILES.extension}`,
  ],
  'session-names': () => [`${SESSION_VARIABLES.join(` | `)})`],
  'margin': () => [`local margin=${MARGIN_SECONDS} count=${SESSION_VARIABLES.length}`],
  // The profile variables a session takes the place of: each kept aside (when not empty), then removed; named in `aside`.
  'set-aside': () => [
    `local aside=''`,
    ...SET_ASIDE.map(([name, keep]) => `if [ -n "\${${name}+set}" ]; then aside=\${aside:+$aside${SET_ASIDE_NOTE.join}}${name}; [ -z "$${name}" ] || export ${keep}="$${name}"; unset ${name}; fi`),
    `[ -z "$aside" ] || aside=${quotePosix(SET_ASIDE_NOTE.before)}$aside${quotePosix(SET_ASIDE_NOTE.after)}`,
  ],
  'served-line': () => [
    `# Said once, on stderr, with builtins only; ${QUIET.variable}=${QUIET.value} keeps it quiet.`,
    `[ "\${${QUIET.variable}:-}" = ${QUIET.value} ] || printf ${quotePosix(SERVED_FORMAT.replace(`\n`, `\\n`))} "$profile" $(((expires - ${now}) / 3600)) $(((expires - ${now}) % 3600 / 60)) "$aside" >&2`,
  ],
  // Each one set aside put back (unless set again since), and where it was kept removed.
  'set-aside-restore': () => SET_ASIDE.flatMap(([name, keep]) => [`[ -z "\${${keep}:-}" ] || [ -n "\${${name}+set}" ] || export ${name}="$${keep}"`, `unset ${keep}`]),
  'variables': () => [
    // What `serve` set: its URL and token while its pid marks them, and the files it hid (never a user's own value).
    `if [ -n "\${${SERVER.pid}:-}" ]; then unset ${[...SERVER.variables, SERVER.pid].join(` `)}; fi`,
    ...HIDDEN_FILE.variables.map(name => `[ "\${${name}:-}" != ${HIDDEN_FILE.value} ] || unset ${name}`),
    `unset ${[...SESSION_VARIABLES, REGION_MARK].join(` `)}`,
  ],
});

/**
 * The regions of `_awsmfa_complete`, bash's completion function (zsh runs its own copy through bashcompinit):
 * every list a literal, per command.
 */
export const posixCompletionRegions = {
  'dialects': (cli: CliFacts) => [`# shellcheck disable=SC2207`, `COMPREPLY=($(compgen -W ${quotePosix(cli.dialects.join(` `))} -- "$cur"))`],
  'commands': (cli: CliFacts) => [`options=${quotePosix(completion.commandNames(cli).join(` `))}`],
  // After the first word of a command of two words its second words; then the command is both words.
  'command-groups': (cli: CliFacts) => [
    `case $sub in`,
    ...completion.groups(cli).map(word => `  ${word.word}) [ "$COMP_CWORD" -eq $((at + 1)) ] && options=${quotePosix(word.group.map(completion.second).join(` `))}; sub="${word.word} \${COMP_WORDS[at+1]}" ;;`),
    `esac`,
  ],
  'command-options': (cli: CliFacts) => {
    const lines = [`case $sub in`];
    const label = (command: CompletedCommand) => command.name.includes(` `) ? quotePosix(command.name) : command.name;
    for (const command of cli.commands.filter(one => one.name !== `help`)) {
      const words = [...command.name === `init` ? cli.snippetShells : [], ...completion.longs(command), `--help`];
      const values = command.valued.map(({names, values}) => `; case $prev in ${names.join(`|`)}) options=${quotePosix(values.join(` `))} ;; esac`).join(``);
      if (command.name === `env`)
        lines.push(`  env) options=${quotePosix([...completion.mfaOptions(cli).flatMap(option => option.longs), `--help`].join(` `))}; [ "\${COMP_WORDS[0]}" = mfa ] || options="$options --shell" ;;`);
      else
        lines.push(`  ${label(command)}) options=${quotePosix(words.join(` `))}${values} ;;`);
    }
    lines.push(`esac`);
    return lines;
  },
};

/** How the tests drive a POSIX shell: `set -e` stops a script at a failed `eval`. */
export const posixProfile = {
  apply: (file: string) => `eval "$(cat '${file}')"`,
  applyOutput: (command: string) => `eval "$(${command})"`,
  strict: `set -e`,
  failureStops: true,
  status: (command: string) => `${command}; echo "status=$?"`,
  stopOnFailure: `[ $? -eq 0 ] || exit 97`,
  quote: quotePosix,
} satisfies Partial<TestProfile>;

/** bash's and zsh's completion, driven as readline would: the words in COMP_WORDS, then the candidates. */
export const bashLikeCompletion = (prelude: string) => (file: string, words: readonly string[]) => [
  ...prelude === `` ? [] : [prelude],
  `. '${file}'`,
  `COMP_WORDS=(${words.map(quotePosix).join(` `)}); COMP_CWORD=${words.length - 1}`,
  `_awsmfa_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
  ``,
].join(`\n`);
