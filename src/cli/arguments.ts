import type {Cli, CommandClass} from 'clipanion';
import type {AwsmfaContext} from '../context.js';
import {ConfigError} from '../errors.js';
import {quoted} from '../terminal.js';
import {quotePosix} from '../dialects/posix.js';
import {codeOf, HALF_CODE} from '../rules.js';
import {didYouMean} from '../did-you-mean.js';

// The command line before and around clipanion: what it would take wrongly is settled first, and what it cannot
// parse becomes one line that says what was meant (did you mean, the help to read, where exec's `--` goes).

/** The command classes, as far as the messages need them. */
type Commands = ReadonlyArray<Pick<CommandClass<AwsmfaContext>, `paths` | `usage`>>;

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
    } else if (codeOf(word) !== undefined) {
      before.push(word);
    } else if (HALF_CODE.test(word) && HALF_CODE.test(argv[index + 1] ?? ``)) {
      before.push(word, argv[++index]!);
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

/** The option names of the command, in groups of aliases, which groups take a value, and whether it takes a code. */
function optionsOf(cli: Cli<AwsmfaContext>, argv: readonly string[]): {valued: string[][], all: string[], takesCode: boolean} {
  // The command the line starts with, two words for `keys import`: the longest path that matches.
  const definition = cli.definitions()
    .filter(candidate => candidate.path.split(` `).slice(1).every((word, index) => argv[index] === word))
    .sort((a, b) => b.path.length - a.path.length)[0];
  const groups = (definition?.options ?? []).map(option => ({names: option.definition.replace(/ .*$/, ``).split(`,`), valued: / #0$/.test(option.definition)}));
  const valued = [...groups.filter(group => group.valued).map(group => group.names), ...HIDDEN_VALUE_OPTIONS];
  // The commands that obtain a session take the code as their one argument (`[code]`) and as --code.
  const takesCode = /\[code\]$/.test(definition?.usage ?? ``) && valued.some(names => names.includes(CODE_OPTION));
  return {valued, all: [...groups.flatMap(group => group.names), ...HIDDEN_VALUE_OPTIONS.flat(), `--help`, `-h`], takesCode};
}

/** The option that takes the code (with its aliases, --token-code and -c). */
const CODE_OPTION = `--code`;

/**
 * A code as an authenticator app shows it, `123 456`, taken as the code it is: one word with the space, or two words
 * of three digits each, side by side, where the code goes (the argument, or --code's value). Nothing else of these
 * commands is three digits followed by three more: a duration or timeout is one word, and a command has one code at
 * most, so two such words side by side can only be one code. Anything else is left for the validators to refuse.
 */
function joinSpacedCodes(tokens: readonly string[], valued: readonly string[][]): string[] {
  const codeNames = valued.find(names => names.includes(CODE_OPTION)) ?? [];
  // The code at `index` when it is spaced: in this word (`123 456`) or in it and the next (`123`, `456`), and how
  // many words it took; undefined when there is none to join (a plain word stays as it is).
  const spacedAt = (index: number): [string, number] | undefined => {
    const [word, next] = [tokens[index], tokens[index + 1]];
    if (word === undefined)
      return undefined;
    if (HALF_CODE.test(word) && next !== undefined && HALF_CODE.test(next))
      return [`${word}${next}`, 2];
    const code = codeOf(word);
    return code !== undefined && code !== word ? [code, 1] : undefined;
  };
  const out: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token === `--`) {
      out.push(...tokens.slice(index));
      break;
    }
    const name = token.startsWith(`-`) ? token.replace(/=.*$/s, ``) : undefined;
    const takesValue = name !== undefined && valued.some(names => names.includes(name));
    const isCode = name !== undefined && codeNames.includes(name);
    let spaced: [string, number] | undefined;
    if (name === undefined && (spaced = spacedAt(index)) !== undefined) {
      // The argument.
      out.push(spaced[0]);
      index += spaced[1] - 1;
    } else if (isCode && token !== name) {
      // --code=123 456 (one word), or --code=123 and 456.
      const value = token.slice(name.length + 1);
      const next = tokens[index + 1];
      const joined = HALF_CODE.test(value) && next !== undefined && HALF_CODE.test(next) ? `${value}${next}` : codeOf(value);
      out.push(joined === undefined ? token : `${name}=${joined}`);
      if (joined !== undefined && joined !== codeOf(value))
        index++;
    } else if (isCode && (spaced = spacedAt(index + 1)) !== undefined) {
      // --code then 123 456 (one word), or 123 and 456.
      out.push(token, spaced[0]);
      index += spaced[1];
    } else {
      // Any other option's value is never a code: it goes as it is, with its option.
      out.push(token);
      if (takesValue && token === name && index + 1 < tokens.length)
        out.push(tokens[++index]!);
    }
  }
  return out;
}

/**
 * What clipanion would take wrongly, settled before it parses: a value that starts with a dash but is no option
 * (`-d -900`, `--min-remaining -5m`) is the option's value, so that its validator says what is wrong with it
 * rather than "Not enough arguments"; a value option given twice (`--code 1 --code 2`, of which clipanion would
 * silently keep the last) is refused.
 */
export function settleArguments(cli: Cli<AwsmfaContext>, given: readonly string[]): string[] {
  const {valued, all, takesCode} = optionsOf(cli, given);
  const argv = takesCode ? [given[0]!, ...joinSpacedCodes(given.slice(1), valued)] : given;
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
