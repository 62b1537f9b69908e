/**
 * Renders the parts of shell/ that repeat a fact of the CLI: every region between `>>> contract: NAME` and
 * `<<< contract: NAME` (in a comment of the file's own language) is rewritten from src/contract.ts, the dialect
 * table and the CLI's own clipanion definitions (commands, options, descriptions). Everything else in the files is
 * hand-written and stays as it is, so each stays a real file that shellcheck, `zsh -n` and `fish -n` check, loaded
 * with no Node at shell start. `npm run render` writes the files; test/contract.test.ts renders them in memory and
 * fails on any difference, naming the file and the fact.
 */
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {buildCli} from '../src/cli/main.js';
import {CACHE_FOLDER, COMMAND_GROUPS, DEFAULT_PROFILE, MARGIN_SECONDS, PROFILE_PRECEDENCE, QUICK_PROFILE, QUIET, REGION_MARK, SERVED_FORMAT, SESSION_VARIABLES, SHELL_FILES} from '../src/contract.js';
import {SNIPPET_SHELLS} from '../src/dialects/index.js';
import {DIALECTS} from '../src/dialects/index.js';
import {quoteElvish} from '../src/dialects/elvish.js';
import {quoteFish} from '../src/dialects/fish.js';
import {quotePosix} from '../src/dialects/posix.js';
import {STORE_NAMES} from '../src/key-marker.js';
import {KEYS_PLACES} from '../src/keys/move.js';

export const SHELL_DIR = fileURLToPath(new URL(`../shell/`, import.meta.url));

/** An option of a command as completion offers it: its names (long ones first), what it does, whether it takes a value. */
export interface CompletedOption {
  readonly longs: string[];
  readonly shorts: string[];
  readonly description: string;
  readonly value: boolean;
}

export interface CompletedCommand {
  /** The words typed to run it (`keys import`), and their first word (`keys`). */
  readonly name: string;
  readonly path: string[];
  readonly description: string;
  readonly options: CompletedOption[];
}

/** The commands and their options, from the CLI's clipanion definitions (hidden ones are not there), plus help. */
export function completedCommands(): CompletedCommand[] {
  const commands = buildCli().definitions().map(definition => ({
    name: definition.path.replace(/^awsmfa /, ``),
    path: definition.path.replace(/^awsmfa /, ``).split(` `),
    description: (definition.description ?? ``).trim(),
    options: definition.options.map(option => {
      const [names, value] = option.definition.split(` `);
      // A boolean that is on by default (--cache) is typed as its negation.
      const all = names!.split(`,`).map(name => name === `--cache` ? `--no-cache` : name);
      return {longs: all.filter(name => name.startsWith(`--`)), shorts: all.filter(name => !name.startsWith(`--`)), description: option.description ?? ``, value: value !== undefined};
    }),
  }));
  return [...commands, {name: `help`, path: [`help`], description: `show the help of awsmfa or of a command`, options: []}];
}

/**
 * What completion offers as a command's first word: each command of one word, and once the first word of the
 * commands of several (`keys`), described by src/contract.ts's COMMAND_GROUPS and followed by its second words.
 */
export interface CommandWord {
  readonly word: string;
  readonly description: string;
  /** The commands this word starts, when it is the first of several (`keys` -> `keys import`, …). */
  readonly group: CompletedCommand[];
}

export function commandWords(): CommandWord[] {
  const words: CommandWord[] = [];
  for (const command of completedCommands()) {
    const [first, ...rest] = command.path;
    const known = words.find(word => word.word === first);
    if (rest.length === 0) {
      words.push({word: first!, description: command.description, group: []});
    } else if (known !== undefined) {
      known.group.push(command);
    } else {
      const about = COMMAND_GROUPS[first!];
      if (about === undefined)
        throw new Error(`src/contract.ts: COMMAND_GROUPS says nothing of ${first}, the first word of awsmfa ${command.name}`);
      if (rest.length > 1)
        throw new Error(`awsmfa ${command.name}: completion knows commands of one or two words`);
      words.push({word: first!, description: about, group: [command]});
    }
  }
  // A group's description lists its second words, which the CLI's definitions name.
  return words.map(word => word.group.length === 0 ? word : {...word, description: `${word.description}: ${word.group.map(command => command.path[1]).join(`, `)}`});
}

/** The second word of a command of two words. */
const second = (command: CompletedCommand) => command.path[1]!;

/**
 * The values of an option that completion offers as fixed words (an option's values by its name, or by
 * COMMAND/NAME where a command takes other ones), from the modules that check them; test/completion.test.ts holds
 * them to what the CLI accepts.
 */
const VALUE_WORDS: Record<string, readonly string[]> = {'--to': STORE_NAMES, 'keys move/--to': KEYS_PLACES};
export function valueWords(command: CompletedCommand, option: CompletedOption): readonly string[] | undefined {
  const long = option.longs[0]!;
  return option.value ? VALUE_WORDS[`${command.name}/${long}`] ?? VALUE_WORDS[long] : undefined;
}
/** A command's options whose values are fixed words, with them. */
const valuedOptions = (command: CompletedCommand) => command.options.flatMap(option => {
  const values = valueWords(command, option);
  return values === undefined ? [] : [{names: [...option.longs, ...option.shorts], values}];
});

const ENV = () => completedCommands().find(command => command.name === `env`)!;
/** mfa takes env's options, but not --shell: its dialect is its own. */
const mfaOptions = () => ENV().options.filter(option => !option.longs.includes(`--shell`));
/** The first words of the commands, each once. */
const commandNames = () => commandWords().map(word => word.word);
const groups = () => commandWords().filter(word => word.group.length > 0);
const dialectNames = () => DIALECTS.map(dialect => dialect.name);
const everyOption = () => [...new Set([...completedCommands().flatMap(command => command.options.flatMap(option => option.longs)), `--help`])];
const VALUES: Record<string, string> = {'--profile': `profiles`, '--update-profile': `profiles`, '--shell': `dialects`};

/** `'…'` for the POSIX shells, with each dialect's own exact quoting. */
const single = (text: string) => quotePosix(text);

const posixPrecedence = () => `0:) profile=${PROFILE_PRECEDENCE.reduceRight((inner, name) => `\${${name}:-${inner}}`, DEFAULT_PROFILE)} ;;`;
const posixPattern = (negate: `!` | `^`) => `[[ -n $profile && \${#profile} -le ${QUICK_PROFILE.maxLength} && $profile != *[${negate}${QUICK_PROFILE.characters}]* ]] || return 1`;
const posixCacheFolder = () => [
  `if [ -n "\${${CACHE_FOLDER.override}:-}" ]; then`,
  `  dir=$${CACHE_FOLDER.override}/${SHELL_FILES.folder}`,
  `else`,
  `  case \${OSTYPE:-} in`,
  `    darwin*) dir=$HOME/${CACHE_FOLDER.macos.join(`/`)}/${CACHE_FOLDER.name}/${SHELL_FILES.folder} ;;`,
  `    *) dir=\${${CACHE_FOLDER.xdg}:-$HOME/${CACHE_FOLDER.xdgDefault}}/${CACHE_FOLDER.name}/${SHELL_FILES.folder} ;;`,
  `  esac`,
  `fi`,
  `file=$dir/$profile${SHELL_FILES.extension}`,
];
const posixServed = (now: string) => [
  `# Said once, on stderr, with builtins only; ${QUIET.variable}=${QUIET.value} keeps it quiet.`,
  `[ "\${${QUIET.variable}:-}" = ${QUIET.value} ] || printf ${single(SERVED_FORMAT.replace(`\n`, `\\n`))} "$profile" $(((expires - ${now}) / 3600)) $(((expires - ${now}) % 3600 / 60)) >&2`,
];

/** bash's completion function, which zsh runs through bashcompinit: every list literal, per command. */
const posixCompletion = () => {
  const lines = [`case $sub in`];
  const quotedCase = (name: string) => name.includes(` `) ? single(name) : name;
  for (const command of completedCommands().filter(one => one.name !== `help`)) {
    const words = command.name === `init` ? [...SNIPPET_SHELLS, ...command.options.flatMap(option => option.longs), `--help`]
      : [...command.options.flatMap(option => option.longs), `--help`];
    const values = valuedOptions(command).map(({names, values}) => `; case $prev in ${names.join(`|`)}) options=${single(values.join(` `))} ;; esac`).join(``);
    if (command.name === `env`)
      lines.push(`  env) options=${single(mfaOptions().flatMap(option => option.longs).concat(`--help`).join(` `))}; [ "\${COMP_WORDS[0]}" = mfa ] || options="$options --shell" ;;`);
    else
      lines.push(`  ${quotedCase(command.name)}) options=${single(words.join(` `))}${values} ;;`);
  }
  lines.push(`esac`);
  return lines;
};

/** bash's commands of two words: after the first word its second words; then the command is both words. */
const posixGroups = () => [
  `case $sub in`,
  ...groups().map(word => `  ${word.word}) [ "$COMP_CWORD" -eq $((at + 1)) ] && options=${single(word.group.map(second).join(` `))}; sub="${word.word} \${COMP_WORDS[at+1]}" ;;`),
  `esac`,
];

const posix = (negate: `!` | `^`, now: string) => ({
  'profile-precedence': () => [posixPrecedence()],
  'profile-pattern': () => [posixPattern(negate)],
  'cache-folder': posixCacheFolder,
  'session-names': () => [`${SESSION_VARIABLES.join(` | `)})`],
  'margin': () => [`local margin=${MARGIN_SECONDS} count=${SESSION_VARIABLES.length}`],
  'served-line': () => posixServed(now),
  'variables': () => [`unset ${[...SESSION_VARIABLES, REGION_MARK].join(` `)}`],
  'dialects': () => [`# shellcheck disable=SC2207`, `COMPREPLY=($(compgen -W ${single(dialectNames().join(` `))} -- "$cur"))`],
  'commands': () => [`options=${single(commandNames().join(` `))}`],
  'command-groups': posixGroups,
  'command-options': posixCompletion,
});

/**
 * fish's completion: what __awsmfa_complete prints at TAB for the words so far, `word<TAB>description` per line,
 * with the help's descriptions: the commands, then the command's own options (mfa: env's, without --shell). A new
 * shell only defines the function: ~100 `complete` lines would cost every fish start about 10 ms.
 */
const fishPairs = (pairs: Array<[string, string]>) => `printf '%s\\t%s\\n' ${pairs.map(([word, description]) => `${word} ${quoteFish(description)}`).join(` `)}`;
const fishCompletion = () => {
  const optionPairs = (options: CompletedOption[]) => options.flatMap(option => option.longs.map(long => [long, option.description] as [string, string]));
  /** A command's options, after the values of those whose values are fixed words. */
  const commandLines = (command: CompletedCommand, indent: string) => [
    ...valuedOptions(command).flatMap(({names, values}) => [
      `${indent}if contains -- "$words[-1]" ${names.join(` `)}`,
      `${indent}    printf '%s\\n' ${values.join(` `)}`,
      `${indent}    return`,
      `${indent}end`,
    ]),
    `${indent}${[...command.name === `init` ? [`printf '%s\\n' ${SNIPPET_SHELLS.join(` `)};`] : [], fishPairs(optionPairs(command.options))].join(` `)}`,
  ];
  return [
    `function __awsmfa_complete`,
    `    set -l words (commandline -opc)`,
    `    set -l sub mfa`,
    `    test "$words[1]" = mfa; or set sub $words[2]`,
    `    switch "$words[-1]"`,
    `        case ${Object.keys(VALUES).filter(name => VALUES[name] === `profiles`).join(` `)} -p -u`,
    `            command awsmfa complete-profiles 2>/dev/null`,
    `            return`,
    `        case --shell -s`,
    `            printf '%s\\n' ${dialectNames().join(` `)}`,
    `            return`,
    `    end`,
    `    if test "$words[1]" != mfa; and test (count $words) -eq 1`,
    `        ${fishPairs(commandWords().map(word => [word.word, word.description]))}`,
    `        return`,
    `    end`,
    `    switch $sub`,
    `        case mfa`,
    `            ${fishPairs(optionPairs(mfaOptions()))}`,
    ...commandWords().flatMap(word => [
      `        case ${word.word}`,
      ...word.word === `help` ? [
        // awsmfa help COMMAND: the command's words.
        `            switch (count $words)`,
        `                case 2`,
        `                    printf '%s\\n' ${commandNames().filter(name => name !== `help`).join(` `)}`,
        `                case 3`,
        `                    switch $words[3]`,
        ...groups().flatMap(group => [
          `                        case ${group.word}`,
          `                            printf '%s\\n' ${group.group.map(second).join(` `)}`,
        ]),
        `                    end`,
        `            end`,
      ] : word.group.length > 0 ? [
        `            if test (count $words) -eq 2`,
        `                ${fishPairs(word.group.map(command => [second(command), command.description]))}`,
        `                return`,
        `            end`,
        `            switch $words[3]`,
        ...word.group.flatMap(command => [`                case ${second(command)}`, ...commandLines(command, `                    `)]),
        `            end`,
      ] : commandLines(word.group[0] ?? completedCommands().find(command => command.name === word.word)!, `            `),
    ]),
    `    end`,
    `end`,
    `complete -c awsmfa -f -a '(__awsmfa_complete)'`,
    `complete -c mfa -f -a '(__awsmfa_complete)'`,
  ];
};

/**
 * elvish's arg-completer: commands (a command of two words: its first word, then its second words), then the
 * command's options, fixed values, profile names and dialects, each a literal word.
 */
const elvishCompletion = () => {
  const key = (name: string) => /^[\w-]+$/.test(name) ? name : quoteElvish(name);
  const map = (pairs: Array<[string, string]>) => `[&${pairs.map(([name, value]) => `${key(name)}=${value}`).join(` &`)}]`;
  const list = (words: readonly string[]) => `[${words.join(` `)}]`;
  const commands = completedCommands().filter(command => command.name !== `help`);
  return [
    `var commands = ${map(commandWords().map(word => [word.word, quoteElvish(word.description)]))}`,
    `var groups = ${map(groups().map(word => [word.word, map(word.group.map(command => [second(command), quoteElvish(command.description)]))]))}`,
    `var options = ${map(commands.map(command => [command.name, list(command.name === `init` ? [...SNIPPET_SHELLS, ...command.options.flatMap(option => option.longs)] : command.options.flatMap(option => option.longs))]))}`,
    `var values = ${map(commands.filter(command => valuedOptions(command).length > 0).map(command => [command.name, map(valuedOptions(command).flatMap(({names, values}) => names.map(name => [name, list(values)] as [string, string])))]))}`,
    `var mfa-options = ${list(mfaOptions().flatMap(option => option.longs))}`,
    `var dialects = ${list(dialectNames())}`,
    `var profile-options = [${Object.keys(VALUES).filter(name => VALUES[name] === `profiles`).join(` `)} -p -u]`,
  ];
};

/**
 * tcsh's complete: the command, then every option (tcsh's patterns cannot tell the command apart), profiles,
 * dialects, a first word's second words, fixed values (every command's for the option). tcsh splits a backquoted list at blanks and globs its words: only the names that are one plain word
 * are offered (grep), and none is evaluated.
 */
const tcshProfiles = '`\\awsmfa complete-profiles | grep -x "[A-Za-z0-9_.@+-]*"`';
/** After a first word, its second words; after an option of fixed values, every command's values for it. */
const tcshGroupsAndValues = () => {
  const values = new Map<string, Set<string>>();
  for (const {names, values: words} of completedCommands().flatMap(valuedOptions)) {
    for (const name of names)
      values.set(name, new Set([...values.get(name) ?? [], ...words]));
  }
  return [
    ...groups().map(word => `'n/${word.word}/(${word.group.map(second).join(` `)})/' `),
    ...[...values].map(([name, words]) => `'n/${name}/(${[...words].join(` `)})/' `),
  ].join(``);
};
const tcshCompletion = () => [
  `complete awsmfa 'p/1/(${commandNames().join(` `)})/' 'n/--profile/${tcshProfiles}/' 'n/-p/${tcshProfiles}/' 'n/--update-profile/${tcshProfiles}/' 'n/-u/${tcshProfiles}/' 'n/--shell/(${dialectNames().join(` `)})/' 'n/-s/(${dialectNames().join(` `)})/' 'n/init/(${SNIPPET_SHELLS.join(` `)})/' 'n/help/(${commandNames().filter(name => name !== `help`).join(` `)})/' ${tcshGroupsAndValues()}'c/--/(${everyOption().map(name => name.slice(2)).join(` `)})/' ;`,
  `complete mfa 'n/--profile/${tcshProfiles}/' 'n/-p/${tcshProfiles}/' 'c/--/(${mfaOptions().flatMap(option => option.longs).concat(`--help`).map(name => name.slice(2)).join(` `)})/' ;`,
];

/**
 * zsh's own completion: the names offered (commands, each command's options), and one table of their descriptions
 * from the help, each written once (the file is read by every new zsh).
 */
const zshDescriptions = () => {
  // An option's most common description under its name; a command that says otherwise, under COMMAND/NAME (a
  // command of two words: FIRST/SECOND/NAME); a second word under FIRST/SECOND.
  const pairs = new Map<string, string>(commandWords().map(word => [word.word, word.description]));
  for (const command of groups().flatMap(word => word.group))
    pairs.set(command.path.join(`/`), command.description);
  const counts = new Map<string, Map<string, number>>();
  const uses = completedCommands().flatMap(command => command.options.flatMap(option => option.longs.map(long => ({command: command.path.join(`/`), long, description: option.description}))));
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
const zshCommands = () => [`names=(${commandNames().join(` `)})`];
/** After the first word of a command of two words, its second words; then both words (FIRST/SECOND) name it. */
const zshGroups = () => [
  `case $sub in`,
  ...groups().map(word => `  ${word.word}) (( CURRENT == at + 1 )) && names=(${word.group.map(second).join(` `)}); sub=${word.word}/$words[at+1] ;;`),
  `esac`,
];
const zshOptions = () => completedCommands().filter(command => command.name !== `help`).map(command => {
  const names = [...command.name === `init` ? SNIPPET_SHELLS : [], ...command.options.flatMap(option => option.longs)];
  const values = valuedOptions(command).map(({names, values}) => `[[ $words[CURRENT-1] == (${names.join(`|`)}) ]] && { compadd - ${values.join(` `)}; return }; `).join(``);
  return command.name === `env`
    ? `env) names=(${names.join(` `)}); [[ $words[1] == mfa ]] && names=(\${names:#--shell}) ;;`
    : `${command.path.join(`/`)}) ${values}names=(${names.join(` `)}) ;;`;
});

/** What each region of each file says, by file and region name. */
export const RENDERERS: Record<string, Record<string, () => string[]>> = {
  'awsmfa.bash': posix(`!`, `now`),
  'awsmfa.zsh': {...posix(`^`, `EPOCHSECONDS`), 'zsh-descriptions': zshDescriptions, 'zsh-commands': zshCommands, 'zsh-groups': zshGroups, 'zsh-options': zshOptions},
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
    'served-line': () => [
      `# Said once, on stderr, with builtins only; ${QUIET.variable}=${QUIET.value} keeps it quiet.`,
      `test "$${QUIET.variable}" = ${QUIET.value}; or printf ${quoteFish(SERVED_FORMAT.replace(`\n`, `\\n`))} $profile (math --scale=0 "($expires - $now) / 3600") (math --scale=0 "($expires - $now) % 3600 / 60") >&2`,
    ],
    'variables': () => [`set -e -g ${[...SESSION_VARIABLES, REGION_MARK].join(` `)}`],
    'completion': fishCompletion,
  },
  'awsmfa.elv': {
    'variables': () => [`each {|name| unset-env $name } [${[...SESSION_VARIABLES, REGION_MARK].join(` `)}]`],
    'completion': elvishCompletion,
  },
  'awsmfa.tcsh': {
    'variables': () => [`alias mfa-unset 'if ("\`printenv ${REGION_MARK}\`" != "" && "\`printenv AWS_REGION\`" == "\`printenv ${REGION_MARK}\`") unsetenv AWS_REGION ; if ("\`printenv ${REGION_MARK}\`" != "" && "\`printenv AWS_DEFAULT_REGION\`" == "\`printenv ${REGION_MARK}\`") unsetenv AWS_DEFAULT_REGION ; ${[...SESSION_VARIABLES, REGION_MARK].map(name => `unsetenv ${name}`).join(` ; `)}' ;`],
    'completion': tcshCompletion,
  },
  'awsmfa.ps1': {
    'variables': () => [`foreach ($name in ${[...SESSION_VARIABLES, REGION_MARK].map(name => `'${name}'`).join(`, `)}) {`],
    'dialects': () => [dialectNames().map(name => `'${name}'`).join(`, `)],
    'commands': () => [commandNames().map(name => `'${name}'`).join(`, `)],
    'options': () => [everyOption().map(name => `'${name}'`).join(`, `)],
  },
  'mfa.cmd': {
    'variables-endlocal': () => [`endlocal & ${SESSION_VARIABLES.map(name => `set "${name}="`).join(` & `)} & call "%_AWSMFA_FILE%" & del "%_AWSMFA_FILE%"`],
    'variables': () => SESSION_VARIABLES.map(name => `set "${name}="`),
  },
};

const MARKER = /^(\s*)(#|rem) (>>>|<<<) contract: ([a-z-]+)\s*$/;

/** A file rendered: its new text, and what is wrong with its regions (unknown, unclosed, missing). */
export function renderFile(file: string, text: string): {text: string, problems: string[], regions: Map<string, string[]>} {
  const renderers = RENDERERS[file] ?? {};
  const eol = text.includes(`\r\n`) ? `\r\n` : `\n`;
  const lines = text.split(eol);
  const out: string[] = [];
  const problems: string[] = [];
  const regions = new Map<string, string[]>();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    out.push(line);
    const open = MARKER.exec(line);
    if (!open || open[3] !== `>>>`)
      continue;
    const [, indent, , , name] = open;
    const end = lines.findIndex((candidate, at) => at > index && MARKER.exec(candidate)?.[3] === `<<<`);
    if (end === -1 || MARKER.exec(lines[end]!)![4] !== name) {
      problems.push(`region ${name} is not closed by its own <<< contract: ${name}`);
      continue;
    }
    const render = renderers[name!];
    if (render === undefined) {
      problems.push(`region ${name} is no fact of the contract for ${file}`);
      out.push(...lines.slice(index + 1, end + 1));
    } else {
      regions.set(name!, lines.slice(index + 1, end));
      out.push(...render().map(rendered => rendered === `` ? `` : `${indent}${rendered}`), lines[end]!);
    }
    index = end;
  }
  for (const name of Object.keys(renderers)) {
    if (!regions.has(name))
      problems.push(`region ${name} is missing`);
  }
  return {text: out.join(eol), problems, regions};
}

/** Every file of shell/. */
export function shellFiles(): string[] {
  return readdirSync(SHELL_DIR).sort();
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  let failed = false;
  for (const file of shellFiles()) {
    const path = join(SHELL_DIR, file);
    const before = readFileSync(path, `utf8`);
    const {text, problems} = renderFile(file, before);
    for (const problem of problems) {
      console.error(`shell/${file}: ${problem}`);
      failed = true;
    }
    if (text !== before) {
      writeFileSync(path, text);
      console.error(`shell/${file}: rendered`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}
