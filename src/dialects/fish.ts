import {CACHE_FOLDER, DEFAULT_PROFILE, HIDDEN_FILE, MARGIN_SECONDS, PROFILE_PRECEDENCE, QUICK_PROFILE, QUIET, REGION_MARK, SERVED_FORMAT, SERVER, SESSION_VARIABLES, SET_ASIDE, SET_ASIDE_NOTE, SHELL_FILES} from '../contract.js';
import {completion, type CliFacts, type CompletedCommand, type ShellParts} from './parts.js';
import {configHome, lineDialect} from './types.js';

/**
 * fish: inside single quotes only `\\` and `\'` are escapes; everything else, newlines included, is literal.
 * https://fishshell.com/docs/current/language.html#quotes
 */
export function quoteFish(value: string): string {
  return `'${value.replace(/[\\']/g, char => `\\${char}`)}'`;
}

/** fish: `awsmfa env | source` returns the status of the last line sourced, `false` on failure. */
export const fish = lineDialect({
  snippet: {
    file: `awsmfa.fish`,
    completion: `completion/awsmfa.fish`,
    byName: `command awsmfa`,
    byPath: (node, script) => `command ${quoteFish(node)} ${quoteFish(script)}`,
    rc: {line: copy => `source ${quoteFish(copy)}`, file: (home, env) => `${configHome(home, env, `XDG_CONFIG_HOME`, `.config`)}/fish/config.fish`},
    gone: (paths, message) => `${paths.map(path => `test -e ${quoteFish(path)}`).join(`; and `)}; or printf '%s\n' ${quoteFish(message)} >&2`,
  },
  name: `fish`,
  description: `fish: set -gx / set -e`,
  set: (name, value) => `set -gx ${name} ${quoteFish(value)}`,
  // -g: the exported variable lives in the global scope; erasing there leaves universal variables alone.
  unset: name => `set -e -g ${name}`,
  failure: `false`,
});

/** `printf` of words and their descriptions (`word<TAB>description` lines), one pair a line. */
const pairs = (list: ReadonlyArray<readonly [string, string]>) => list.length === 0 ? [] : [`printf '%s\\t%s\\n' \\`, ...list.map(([word, description], index) => `    ${word} ${quoteFish(description)}${index === list.length - 1 ? `` : ` \\`}`)];
const optionPairs = (command: {options: CompletedCommand[`options`]}) => command.options.flatMap(option => option.longs.map(long => [long, option.description] as const));
const indent = (by: string, lines: string[]) => lines.map(line => `${by}${line}`);

/**
 * What __awsmfa_complete prints at TAB for the words so far, `word<TAB>description` per line, with the help's
 * descriptions: the commands, then the command's own options (mfa: env's, without --shell). One function rather
 * than ~100 `complete` lines, which would cost every fish start about 10 ms.
 */
function fishCompletion(cli: CliFacts): string[] {
  /** A command's options, after the values of those whose values are fixed words. */
  const commandLines = (command: CompletedCommand) => [
    ...command.valued.flatMap(({names, values}) => [
      `if contains -- "$words[-1]" ${names.join(` `)}`,
      `    printf '%s\\n' ${values.join(` `)}`,
      `    return`,
      `end`,
    ]),
    ...command.name === `init` ? [`printf '%s\\n' ${cli.snippetShells.join(` `)}`] : [],
    ...pairs(optionPairs(command)),
  ];
  return [
    `function __awsmfa_complete`,
    `    set -l words (commandline -opc)`,
    `    set -l sub mfa`,
    `    test "$words[1]" = mfa; or set sub $words[2]`,
    `    switch "$words[-1]"`,
    `        case ${completion.profileOptions.join(` `)}`,
    `            command awsmfa complete-profiles 2>/dev/null`,
    `            return`,
    `        case ${completion.shellOptions.join(` `)}`,
    `            printf '%s\\n' ${cli.dialects.join(` `)}`,
    `            return`,
    `    end`,
    `    if test "$words[1]" != mfa; and test (count $words) -eq 1`,
    ...indent(`        `, pairs(cli.words.map(word => [word.word, word.description]))),
    `        return`,
    `    end`,
    `    switch $sub`,
    `        case mfa`,
    ...indent(`            `, pairs(optionPairs({options: completion.mfaOptions(cli)}))),
    ...cli.words.flatMap(word => [
      `        case ${word.word}`,
      ...word.word === `help` ? [
        // awsmfa help COMMAND: the command's words.
        `            switch (count $words)`,
        `                case 2`,
        `                    printf '%s\\n' ${completion.commandNames(cli).filter(name => name !== `help`).join(` `)}`,
        `                case 3`,
        `                    switch $words[3]`,
        ...completion.groups(cli).flatMap(group => [
          `                        case ${group.word}`,
          `                            printf '%s\\n' ${group.group.map(completion.second).join(` `)}`,
        ]),
        `                    end`,
        `            end`,
      ] : word.group.length > 0 ? [
        `            if test (count $words) -eq 2`,
        ...indent(`                `, pairs(word.group.map(command => [completion.second(command), command.description]))),
        `                return`,
        `            end`,
        `            switch $words[3]`,
        ...word.group.flatMap(command => [`                case ${completion.second(command)}`, ...indent(`                    `, commandLines(command))]),
        `            end`,
      ] : indent(`            `, commandLines(cli.commands.find(command => command.name === word.word)!)),
    ]),
    `    end`,
    `end`,
  ];
}

export function shellParts(): ShellParts {
  return {
    renderers: {
      'awsmfa.fish': {
        'profile-precedence': () => [`for candidate in ${PROFILE_PRECEDENCE.map(name => `"$${name}"`).join(` `)} ${DEFAULT_PROFILE}`],
        'profile-pattern': () => [`string match -qr '^[${QUICK_PROFILE.characters}]{1,${QUICK_PROFILE.maxLength}}$' -- $profile; or return 1`],
        'cache-folder': () => [
          `set -l dir`,
          `if test -n "$${CACHE_FOLDER.override}"`,
          `    set dir $${CACHE_FOLDER.override}/${SHELL_FILES.folder}`,
          `else if test -e ${CACHE_FOLDER.macosMarker}`,
          `    set dir $HOME/${CACHE_FOLDER.macos.join(`/`)}/${CACHE_FOLDER.name}/${SHELL_FILES.folder}`,
          `else if test -n "$${CACHE_FOLDER.xdg}"`,
          `    set dir $${CACHE_FOLDER.xdg}/${CACHE_FOLDER.name}/${SHELL_FILES.folder}`,
          `else`,
          `    set dir $HOME/${CACHE_FOLDER.xdgDefault}/${CACHE_FOLDER.name}/${SHELL_FILES.folder}`,
          `end`,
          `set -l file $dir/$profile${SHELL_FILES.extension}`,
        ],
        'session-names': () => [`case ${SESSION_VARIABLES.join(` `)}`],
        'margin': () => [`set -l margin ${MARGIN_SECONDS}`, `set -l count ${SESSION_VARIABLES.length}`],
        // The profile variables a session takes the place of: each kept aside (when not empty), then removed.
        'set-aside': () => [
          `set -l aside`,
          ...SET_ASIDE.flatMap(([name, keep]) => [`if set -q ${name}`, `    set -a aside ${name}`, `    test -n "$${name}"; and set -gx ${keep} $${name}`, `    set -e -g ${name} 2>/dev/null`, `end`]),
          `set -q aside[1]; and set aside ${quoteFish(SET_ASIDE_NOTE.before)}(string join ${quoteFish(SET_ASIDE_NOTE.join)} $aside)${quoteFish(SET_ASIDE_NOTE.after)}`,
        ],
        'served-line': () => [
          `# Said once, on stderr, with builtins only; ${QUIET.variable}=${QUIET.value} keeps it quiet.`,
          `test "$${QUIET.variable}" = ${QUIET.value}; or printf ${quoteFish(SERVED_FORMAT.replace(`\n`, `\\n`))} $profile (math --scale=0 "($expires - $now) / 3600") (math --scale=0 "($expires - $now) % 3600 / 60") "$aside" >&2`,
        ],
        // Each one set aside put back (unless set again since), and where it was kept removed.
        'set-aside-restore': () => SET_ASIDE.flatMap(([name, keep]) => [`if set -q ${keep}`, `    test -n "$${keep}"; and not set -q ${name}; and set -gx ${name} $${keep}`, `    set -e -g ${keep}`, `end`]),
        'variables': () => [
          `if set -q ${SERVER.pid}`,
          `    set -e -g ${[...SERVER.variables, SERVER.pid].join(` `)}`,
          `end`,
          ...HIDDEN_FILE.variables.flatMap(name => [`if test "$${name}" = ${HIDDEN_FILE.value}`, `    set -e -g ${name}`, `end`]),
          `set -e -g ${[...SESSION_VARIABLES, REGION_MARK].join(` `)}`,
        ],
      },
      'completion/awsmfa.fish': {completion: fishCompletion},
    },
    profile: {
      runs: [{binary: `fish`, args: [`--no-config`], interactive: [`--no-config`]}],
      apply: file => `cat '${file}' | source`,
      applyOutput: command => `${command} | source`,
      // fish has no `set -e`: the status of `| source` is what a script checks.
      strict: ``,
      failureStops: false,
      status: command => `${command}; echo "status=$status"`,
      stopOnFailure: `test $status -eq 0; or exit 97`,
      quote: quoteFish,
      rc: {printed: `awsmfa init fish | source`},
      quick: {modes: false, record: false},
      load: file => `source '${file}'`,
      lint: [[`fish`, `--no-execute`]],
      fences: [`fish`],
      complete: (file, words) => `source '${file}'\ncomplete -C ${quoteFish(words.join(` `))} | string replace -r '\\t.*' ''\n`,
    },
  };
}
