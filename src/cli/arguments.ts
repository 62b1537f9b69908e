import type {Cli, CommandClass} from 'clipanion';
import type {AwsmfaContext} from '../context.js';
import {ConfigError} from '../errors.js';
import {quoted} from '../terminal.js';
import {quotePosix} from '../dialects/posix.js';
import {RULES} from '../rules.js';

// The command line before and around clipanion: what it would take wrongly is settled first, and what it cannot
// parse becomes one line that says what was meant (did you mean, the help to read, where exec's `--` goes).

/** The command classes, as far as the messages need them. */
type Commands = ReadonlyArray<Pick<CommandClass<AwsmfaContext>, `paths` | `usage`>>;

/**
 * Edits between two words, a swap of neighbours counting as one (optimal string alignment): `evn` is one from
 * `env`, `--profle` one from `--profile`.
 */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => i === 0 ? j : j === 0 ? i : 0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/** The one of `names` that `typed` is a slip of (one edit for words of up to 3 letters, two for longer), if any. */
export function didYouMean(typed: string, names: readonly string[]): string | undefined {
  const letters = typed.replace(/^-+/, ``).length;
  // Any one-letter option is one edit from any other: no guess there.
  if (letters <= 1)
    return undefined;
  const limit = letters <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of names) {
    const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** A word as a POSIX shell would take it back: bare when plain, else in single quotes. */
const shellWord = (word: string) => /^[\w@%+=:,./-]+$/.test(word) ? word : quotePosix(word);

/**
 * `awsmfa exec aws sts get-caller-identity`, with no `--`: the same line with `--` where the command starts (after
 * the options, their values and a code), for a one-line error; undefined when no word looks like a command.
 */
export function execHint(cli: Cli<AwsmfaContext>, argv: readonly string[]): string | undefined {
  const {valued} = optionsOf(cli, argv);
  const before: string[] = [];
  let index = 1;
  for (; index < argv.length; index++) {
    const word = argv[index]!;
    if (word.startsWith(`-`)) {
      before.push(word);
      if (valued.some(names => names.includes(word)) && index + 1 < argv.length)
        before.push(argv[++index]!);
    } else if (RULES.code.test(word)) {
      before.push(word);
    } else {
      break;
    }
  }
  if (index >= argv.length)
    return undefined;
  return `put the command after --: awsmfa exec ${[...before, `--`, ...argv.slice(index)].map(shellWord).join(` `)}`;
}

/** One line for what clipanion could not parse, pointing at the help that would have helped. */
export function describeParseError(error: unknown, argv: readonly string[], cli: Cli<AwsmfaContext>, commands: Commands): string {
  const known = commands.find(command => command.paths?.some(path => path[0] === argv[0]));
  // The command's own words (`keys move`, not `keys`): the longest path the line starts with.
  const path = commands.flatMap(command => command.paths ?? []).filter(words => words.every((word, index) => argv[index] === word)).sort((a, b) => b.length - a.length)[0] ?? (known ? [argv[0]!] : undefined);
  const help = path ? `awsmfa ${path.join(` `)} --help` : `awsmfa --help`;
  const message = (error instanceof Error ? error.message : String(error)).replace(/^(Unknown Syntax Error|Usage Error): /, ``).split(`\n`)[0]!;
  const missing = /^Not enough arguments to option (\S+?)\.?$/.exec(message);
  if (missing)
    return `${missing[1]} needs a value (see ${help})`;
  const unknownOption = /^(?:Unsupported|Invalid) option name \("(.*)"\)\.?$/s.exec(message);
  if (unknownOption && known) {
    const typed = unknownOption[1]!.replace(/=.*$/s, ``);
    const names = optionsOf(cli, argv).all.filter(name => !HIDDEN_VALUE_OPTIONS.flat().includes(name)).map(name => name === `--cache` ? `--no-cache` : name);
    const suggestion = didYouMean(typed, names);
    return `unknown option ${quoted(typed)} for awsmfa ${path!.join(` `)}${suggestion === undefined ? `` : `; did you mean ${suggestion}?`} (see ${help})`;
  }
  if (/^Command not found/.test(message)) {
    // A command of two words (`keys import`) given its first alone, or a second it does not have.
    const second = commands.flatMap(command => command.paths?.filter(path => path.length > 1 && path[0] === argv[0]).map(path => path[1]!) ?? []);
    if (second.length > 0)
      return `awsmfa ${argv[0]} takes one of ${second.join(`, `)} (see awsmfa help ${argv[0]} ${second[0]})`;
    if (known)
      return `unexpected arguments for awsmfa ${path!.join(` `)} (see ${help})`;
    const names = commands.filter(command => command.usage !== undefined).map(command => command.paths![0]![0]!);
    const suggestion = argv[0] === undefined ? undefined : didYouMean(argv[0], names);
    return suggestion !== undefined
      ? `unknown command ${quoted(argv[0]!)}; did you mean awsmfa ${suggestion}? (see awsmfa --help)`
      : `unknown command ${quoted(argv[0] ?? ``)}; the commands are ${names.join(`, `)} (see awsmfa --help)`;
  }
  return `${message.replace(/\.$/, ``)} (see ${help})`;
}

/** Options the help does not list, but that take a value all the same. */
const HIDDEN_VALUE_OPTIONS = [[`--mfa-shell`]];

/** The option names of the command, in groups of aliases, and which groups take a value. */
function optionsOf(cli: Cli<AwsmfaContext>, argv: readonly string[]): {valued: string[][], all: string[]} {
  // The command the line starts with, two words for `keys import`: the longest path that matches.
  const definition = cli.definitions()
    .filter(candidate => candidate.path.split(` `).slice(1).every((word, index) => argv[index] === word))
    .sort((a, b) => b.path.length - a.path.length)[0];
  const groups = (definition?.options ?? []).map(option => ({names: option.definition.replace(/ .*$/, ``).split(`,`), valued: / #0$/.test(option.definition)}));
  const valued = [...groups.filter(group => group.valued).map(group => group.names), ...HIDDEN_VALUE_OPTIONS];
  return {valued, all: [...groups.flatMap(group => group.names), ...HIDDEN_VALUE_OPTIONS.flat(), `--help`, `-h`]};
}

/**
 * What clipanion would take wrongly, settled before it parses: a value that starts with a dash but is no option
 * (`-d -900`, `--min-remaining -5m`) is the option's value, so that its validator says what is wrong with it
 * rather than "Not enough arguments"; a value option given twice (`--code 1 --code 2`, of which clipanion would
 * silently keep the last) is refused.
 */
export function settleArguments(cli: Cli<AwsmfaContext>, argv: readonly string[]): string[] {
  const {valued, all} = optionsOf(cli, argv);
  const out = [...argv.slice(0, 1)];
  const seen = new Map<string[], string>();
  for (let index = 1; index < argv.length; index++) {
    const token = argv[index]!;
    if (token === `--`) {
      out.push(...argv.slice(index));
      break;
    }
    const name = token.startsWith(`-`) ? token.replace(/=.*$/s, ``) : undefined;
    const group = name === undefined ? undefined : valued.find(names => names.includes(name));
    if (group === undefined) {
      out.push(token);
      continue;
    }
    const earlier = seen.get(group);
    if (earlier !== undefined)
      throw new ConfigError(`${group[0]} was given twice (${earlier === name ? name : `as ${earlier} and ${name}`}); give it once`);
    seen.set(group, name!);
    const next = argv[index + 1];
    if (token === name && next === undefined)
      throw new ConfigError(`${name} needs a value`);
    if (token === name && next !== undefined && next.startsWith(`-`) && next !== `--` && !all.includes(next.replace(/=.*$/s, ``))) {
      out.push(`${group[0]}=${next}`);
      index++;
    } else {
      out.push(token);
    }
  }
  return out;
}
