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
import {CACHE_FOLDER, DEFAULT_PROFILE, MARGIN_SECONDS, PROFILE_PRECEDENCE, QUICK_PROFILE, QUIET, REGION_MARK, SERVED_FORMAT, SESSION_VARIABLES, SHELL_FILES, SNIPPET_SHELLS} from '../src/contract.js';
import {DIALECTS} from '../src/dialects/index.js';
import {quoteElvish} from '../src/dialects/elvish.js';
import {quoteFish} from '../src/dialects/fish.js';
import {quotePosix} from '../src/dialects/posix.js';

export const SHELL_DIR = fileURLToPath(new URL(`../shell/`, import.meta.url));

/** An option of a command as completion offers it: its names (long ones first), what it does, whether it takes a value. */
export interface CompletedOption {
  readonly longs: string[];
  readonly shorts: string[];
  readonly description: string;
  readonly value: boolean;
}

export interface CompletedCommand {
  readonly name: string;
  readonly description: string;
  readonly options: CompletedOption[];
}

/** The commands and their options, from the CLI's clipanion definitions (hidden ones are not there), plus help. */
export function completedCommands(): CompletedCommand[] {
  const commands = buildCli().definitions().map(definition => ({
    name: definition.path.replace(/^awsmfa /, ``),
    description: (definition.description ?? ``).trim(),
    options: definition.options.map(option => {
      const [names, value] = option.definition.split(` `);
      // A boolean that is on by default (--cache) is typed as its negation.
      const all = names!.split(`,`).map(name => name === `--cache` ? `--no-cache` : name);
      return {longs: all.filter(name => name.startsWith(`--`)), shorts: all.filter(name => !name.startsWith(`--`)), description: option.description ?? ``, value: value !== undefined};
    }),
  }));
  return [...commands, {name: `help`, description: `show the help of awsmfa or of a command`, options: []}];
}

const ENV = () => completedCommands().find(command => command.name === `env`)!;
/** mfa takes env's options, but not --shell: its dialect is its own. */
const mfaOptions = () => ENV().options.filter(option => !option.longs.includes(`--shell`));
const commandNames = () => completedCommands().map(command => command.name);
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
  for (const command of completedCommands()) {
    const words = command.name === `init` ? [...SNIPPET_SHELLS, ...command.options.flatMap(option => option.longs), `--help`]
      : command.name === `help` ? commandNames().filter(name => name !== `help`)
        : [...command.options.flatMap(option => option.longs), `--help`];
    if (command.name === `env`)
      lines.push(`  env) options=${single(mfaOptions().flatMap(option => option.longs).concat(`--help`).join(` `))}; [ "\${COMP_WORDS[0]}" = mfa ] || options="$options --shell" ;;`);
    else
      lines.push(`  ${command.name}) options=${single(words.join(` `))} ;;`);
  }
  lines.push(`esac`);
  return lines;
};

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
    `        ${fishPairs(completedCommands().map(command => [command.name, command.description]))}`,
    `        return`,
    `    end`,
    `    switch $sub`,
    `        case mfa`,
    `            ${fishPairs(optionPairs(mfaOptions()))}`,
    ...completedCommands().flatMap(command => [
      `        case ${command.name}`,
      command.name === `help` ? `            printf '%s\\n' ${commandNames().filter(name => name !== `help`).join(` `)}`
        : `            ${[...command.name === `init` ? [`printf '%s\\n' ${SNIPPET_SHELLS.join(` `)};`] : [], fishPairs(optionPairs(command.options))].join(` `)}`,
    ]),
    `    end`,
    `end`,
    `complete -c awsmfa -f -a '(__awsmfa_complete)'`,
    `complete -c mfa -f -a '(__awsmfa_complete)'`,
  ];
};

/** elvish's arg-completer: commands, then the command's options, profile names and dialects, each a literal word. */
const elvishCompletion = () => {
  const map = (pairs: Array<[string, string[]]>) => `[&${pairs.map(([key, words]) => `${key}=[${words.join(` `)}]`).join(` &`)}]`;
  return [
    `var commands = [&${completedCommands().map(command => `${command.name}=${quoteElvish(command.description)}`).join(` &`)}]`,
    `var options = ${map(completedCommands().map(command => [command.name, command.name === `init` ? [...SNIPPET_SHELLS, ...command.options.flatMap(option => option.longs)] : command.options.flatMap(option => option.longs)]))}`,
    `var mfa-options = [${mfaOptions().flatMap(option => option.longs).join(` `)}]`,
    `var dialects = [${dialectNames().join(` `)}]`,
    `var profile-options = [${Object.keys(VALUES).filter(name => VALUES[name] === `profiles`).join(` `)} -p -u]`,
  ];
};

/**
 * tcsh's complete: the command, then every option (tcsh's patterns cannot tell the command apart), profiles,
 * dialects. tcsh splits a backquoted list at blanks and globs its words: only the names that are one plain word
 * are offered (grep), and none is evaluated.
 */
const tcshProfiles = '`\\awsmfa complete-profiles | grep -x "[A-Za-z0-9_.@+-]*"`';
const tcshCompletion = () => [
  `complete awsmfa 'p/1/(${commandNames().join(` `)})/' 'n/--profile/${tcshProfiles}/' 'n/-p/${tcshProfiles}/' 'n/--update-profile/${tcshProfiles}/' 'n/-u/${tcshProfiles}/' 'n/--shell/(${dialectNames().join(` `)})/' 'n/-s/(${dialectNames().join(` `)})/' 'n/init/(${SNIPPET_SHELLS.join(` `)})/' 'n/help/(${commandNames().filter(name => name !== `help`).join(` `)})/' 'c/--/(${everyOption().map(name => name.slice(2)).join(` `)})/' ;`,
  `complete mfa 'n/--profile/${tcshProfiles}/' 'n/-p/${tcshProfiles}/' 'c/--/(${mfaOptions().flatMap(option => option.longs).concat(`--help`).map(name => name.slice(2)).join(` `)})/' ;`,
];

/**
 * zsh's own completion: the names offered (commands, each command's options), and one table of their descriptions
 * from the help, each written once (the file is read by every new zsh).
 */
const zshDescriptions = () => {
  // An option's most common description under its name; a command that says otherwise, under COMMAND/NAME.
  const pairs = new Map<string, string>(completedCommands().map(command => [command.name, command.description]));
  const counts = new Map<string, Map<string, number>>();
  const uses = completedCommands().flatMap(command => command.options.flatMap(option => option.longs.map(long => ({command: command.name, long, description: option.description}))));
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
const zshOptions = () => completedCommands().map(command => {
  const names = command.name === `help` ? commandNames().filter(name => name !== `help`)
    : [...command.name === `init` ? SNIPPET_SHELLS : [], ...command.options.flatMap(option => option.longs)];
  return command.name === `env`
    ? `env) names=(${names.join(` `)}); [[ $words[1] == mfa ]] && names=(\${names:#--shell}) ;;`
    : `${command.name}) names=(${names.join(` `)}) ;;`;
});

/** What each region of each file says, by file and region name. */
export const RENDERERS: Record<string, Record<string, () => string[]>> = {
  'awsmfa.bash': posix(`!`, `now`),
  'awsmfa.zsh': {...posix(`^`, `EPOCHSECONDS`), 'zsh-descriptions': zshDescriptions, 'zsh-commands': zshCommands, 'zsh-options': zshOptions},
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
