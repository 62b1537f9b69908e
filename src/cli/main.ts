import {envValue, type Env} from '../aws-files/files.js';
import {DEFAULT_PROFILE, PROFILE_PRECEDENCE, QUIET} from '../contract.js';
import {Writable} from 'node:stream';
import {Builtins, Cli, UsageError} from 'clipanion';
import {notesTo, type AwsmfaContext, type StartContext} from './context.js';
import {ConfigError} from '../errors.js';
import {AwsmfaCommand} from '../commands/base-command.js';
import {ClearCommand} from '../commands/clear.js';
import {ConsoleCommand} from '../commands/console.js';
import {RotateCommand} from '../commands/rotate.js';
import {WhoamiCommand} from '../commands/whoami.js';
import {CompleteProfilesCommand} from '../commands/complete.js';
import {CredentialProcessCommand} from '../commands/credential-process.js';
import {DevicesCommand} from '../commands/devices.js';
import {EnvCommand} from '../commands/env.js';
import {ExecCommand} from '../commands/exec.js';
import {InitCommand} from '../commands/init.js';
import {KeysAddCommand} from '../commands/keys-add.js';
import {KeysImportCommand} from '../commands/keys-import.js';
import {KeysListCommand} from '../commands/keys-list.js';
import {KeysMoveCommand} from '../commands/keys-move.js';
import {KeysRemoveCommand} from '../commands/keys-remove.js';
import {LoginCommand} from '../commands/login.js';
import {LogoutCommand} from '../commands/logout.js';
import {ProfilesCommand} from '../commands/profiles.js';
import {ServeCommand} from '../commands/serve.js';
import {StatusCommand} from '../commands/status.js';
import {UnsetCommand} from '../commands/unset.js';
import {quoted, terminalStream} from '../io/terminal.js';
import {quotePosix} from '../dialects/posix.js';
import {findDialect} from '../dialects/index.js';
import {detectShell} from '../dialects/detect.js';
import {RULES} from '../rules.js';

// For the entry: the signal a question was cancelled by, which awsmfa then dies of (see prompt.ts).
export {cancelledBy} from '../io/prompt.js';

import packageJson from '../../package.json' with {type: 'json'};

const COMMANDS = [EnvCommand, ExecCommand, ServeCommand, CredentialProcessCommand, UnsetCommand, ClearCommand, StatusCommand, WhoamiCommand, DevicesCommand, ProfilesCommand, InitCommand, LoginCommand, LogoutCommand, ConsoleCommand, RotateCommand, KeysImportCommand, KeysAddCommand, KeysListCommand, KeysMoveCommand, KeysRemoveCommand, CompleteProfilesCommand];

/** The commands whose stdout a program reads as it comes (eval, a credential_process). */
const SHELL_CODE_COMMANDS = [`env`, `unset`, `init`, `credential-process`, `serve`];

/**
 * When a command whose stdout a shell applies fails, that stdout is the failure statement of the shell's dialect
 * (src/dialects: `false`, `fail '…'`, …) and nothing else, so that `set -e; eval "$(awsmfa env)"` stops there
 * rather than going on with the keys the shell already had. The dialect is the one the line names (--shell,
 * --mfa-shell, init's shell), else the calling shell's; a format's stdout stays empty, and so does a terminal
 * (nobody applies what is shown there). Every failure of main comes here: parse, validation and the command's own.
 */
async function writeFailure(argv: readonly string[], context: AwsmfaContext): Promise<void> {
  const [command, ...rest] = argv;
  const applied = SHELL_CODE_COMMANDS.includes(command ?? ``) || (command === `login` && rest.includes(`--print-env`));
  if (!applied || (context.out as {isTTY?: boolean}).isTTY === true)
    return;
  const words = rest.slice(0, rest.includes(`--`) ? rest.indexOf(`--`) : undefined);
  const option = words.flatMap((word, index) => {
    const [name, inline] = word.startsWith(`-`) && word.includes(`=`) ? [word.slice(0, word.indexOf(`=`)), word.slice(word.indexOf(`=`) + 1)] : [word, words[index + 1]];
    return [`--mfa-shell`, `--shell`, `-s`].includes(name!) && inline !== undefined ? [inline] : [];
  })[0];
  const named = command === `credential-process` ? `json` : command === `init` ? words.find(word => !word.startsWith(`-`)) : option;
  const dialect = (named === undefined ? undefined : findDialect(named)) ?? findDialect((await detectShell(context.env, context.ppid, context.platform)).shell);
  if (dialect?.failure !== undefined)
    context.out.write(dialect.failure);
}

/**
 * Given by the shells' `mfa` (shell/), which applies what awsmfa prints: its help goes to stderr, as an empty stdout
 * is what `mfa` takes for "nothing to apply". Help asked for any other way goes to stdout.
 */
const APPLIED_OPTION = `--mfa-shell`;

/** What `mfa --help` adds to env's help: the profile that sticks in this shell, and how to change it. */
function mfaHelp(env: Env): string {
  const from = PROFILE_PRECEDENCE.find(name => envValue(env, name) !== undefined);
  const now = from === undefined ? `${DEFAULT_PROFILE} (none of them is set)` : `${envValue(env, from)} (from ${from})`;
  return `\nmfa\n\nmfa is the shell function around awsmfa env: it applies the session to this shell, and takes a cached one without starting awsmfa. Without --profile it uses ${PROFILE_PRECEDENCE.join(`, else `)} (which mfa sets: the profile sticks), else ${DEFAULT_PROFILE}. Here that is ${now}. Change it with mfa --profile NAME, which then sticks; mfa-unset removes the session and the sticky profile. ${QUIET.variable}=${QUIET.value} keeps mfa from saying which cached session it took.\n`;
}

/**
 * The commands whose stdout is bytes for a program, kept exactly as written: shell code (login prints it with
 * --shell), the credential_process JSON, the completion words (read by shell/'s completion functions, not shown
 * as they are), and exec, which prints nothing of its own. Every other command's stdout is text for a person and goes
 * through the terminal sanitizer, so a command added later is safe unless it is named here.
 */
const EXACT_STDOUT_COMMANDS = [...SHELL_CODE_COMMANDS, `login`, `complete-profiles`, `exec`];

/**
 * The CLI for this argv. When the first word names a command, only that command is registered: clipanion builds
 * its parser from every registered option at each start, and the fewer the faster.
 * Anything else (help, typos, no command) gets them all, so help and suggestions stay complete.
 */
export function buildCli(argv: readonly string[] = []): Cli<AwsmfaContext> {
  const cli = new Cli<AwsmfaContext>({
    binaryLabel: `awsmfa`,
    binaryName: `awsmfa`,
    binaryVersion: packageJson.version,
    enableColors: false,
    enableCapture: false,
  });
  const named = COMMANDS.filter(command => command.paths?.some(path => path[0] === argv[0]));
  for (const command of named.length > 0 ? named : COMMANDS)
    cli.register(command);
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  return cli;
}

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
function execHint(cli: Cli<AwsmfaContext>, argv: readonly string[]): string | undefined {
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
function describeParseError(error: unknown, argv: readonly string[], cli: Cli<AwsmfaContext>): string {
  const known = COMMANDS.find(command => command.paths?.some(path => path[0] === argv[0]));
  // The command's own words (`keys move`, not `keys`): the longest path the line starts with.
  const path = COMMANDS.flatMap(command => command.paths ?? []).filter(words => words.every((word, index) => argv[index] === word)).sort((a, b) => b.length - a.length)[0] ?? (known ? [argv[0]!] : undefined);
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
    const second = COMMANDS.flatMap(command => command.paths?.filter(path => path.length > 1 && path[0] === argv[0]).map(path => path[1]!) ?? []);
    if (second.length > 0)
      return `awsmfa ${argv[0]} takes one of ${second.join(`, `)} (see awsmfa help ${argv[0]} ${second[0]})`;
    if (known)
      return `unexpected arguments for awsmfa ${path!.join(` `)} (see ${help})`;
    const names = COMMANDS.filter(command => command.usage !== undefined).map(command => command.paths![0]![0]!);
    const suggestion = argv[0] === undefined ? undefined : didYouMean(argv[0], names);
    return suggestion !== undefined
      ? `unknown command ${quoted(argv[0]!)}; did you mean awsmfa ${suggestion}? (see awsmfa --help)`
      : `unknown command ${quoted(argv[0] ?? ``)}; the commands are ${names.join(`, `)} (see awsmfa --help)`;
  }
  return `${message.replace(/\.$/, ``)} (see ${help})`;
}

/** What each option's value is called in the help, where clipanion would print `#0`. */
const PLACEHOLDERS: Record<string, string> = {
  '--code': `CODE`, '--profile': `NAME`, '--serial-number': `ARN`, '--duration-seconds': `TIME`, '--region': `REGION`,
  '--endpoint-url': `URL`, '--role-arn': `ARN`, '--role-session-name': `NAME`, '--timeout': `TIME`, '--min-remaining': `TIME`,
  '--shell': `SHELL`, '--update-profile': `NAME`, '--destination': `URL`, '--delete': `KEY`, '--to': `STORE`,
};

/**
 * clipanion's help, as a user should read it: named values instead of `#0`, and `--no-cache` (what one types)
 * instead of the `--cache` that is on by default. Columns stay aligned.
 */
export function polishHelp(text: string): string {
  return text
    .replace(/^( +)(--[\w-]+)((?:,-{1,2}[\w-]+)*) #0( *)/gm, (_, indent: string, first: string, rest: string, pad: string) => {
      const placeholder = PLACEHOLDERS[first] ?? `VALUE`;
      return `${indent}${first}${rest} ${placeholder}${` `.repeat(Math.max(1, pad.length + 2 - placeholder.length))}`;
    })
    .replace(/^( +)--cache( +).*$/m, (_, indent: string, pad: string) => `${indent}--no-cache${` `.repeat(Math.max(1, pad.length - 3))}Neither read nor write awsmfa's session cache (it is used by default)`)
    .replace(/\[(--[\w-]+)((?:,-{1,2}[\w-]+)*) #0\]/g, (_, first: string, rest: string) => `[${first}${rest} ${PLACEHOLDERS[first] ?? `VALUE`}]`)
    .replace(/\[--cache\]/g, `[--no-cache]`)
    // exec's command comes after `--`, which main hands over itself.
    .replace(/^(.*awsmfa exec .*\[code\])$/gm, `$1 -- COMMAND [ARGS...]`);
}

/**
 * The help of `awsmfa`, `awsmfa --help` and `awsmfa help`: first what most people need (the rc line and three
 * commands), then clipanion's list of every command, then --version and where each command's own help is.
 */
export function generalHelp(list: string, version: string): string {
  const commands = list.replace(/^[\s\S]*?\n(?=  awsmfa )/, ``).replace(/\n+You can also print[\s\S]*$/, `\n`);
  return [
    `awsmfa ${version}: MFA sessions for the AWS command line`,
    ``,
    `Start here`,
    `  eval "$(awsmfa init)"          in ~/.bashrc or ~/.zshrc (fish: awsmfa init fish | source; others: awsmfa init --help)`,
    `  mfa 123456                     start a session in this shell with the code of your MFA device (mfa-unset ends it)`,
    `  awsmfa status                  show the session in use and how long it has left`,
    `  awsmfa exec -- aws s3 ls       run one command with the session (scripts, CI, any shell)`,
    ``,
    `All commands`,
    ``,
    commands.trimEnd(),
    ``,
    `  awsmfa --version`,
    `    print awsmfa's version`,
    ``,
    `Each command's own help, with examples: awsmfa help COMMAND (or awsmfa COMMAND --help).`,
    ``,
  ].join(`\n`);
}

/** A stream that polishes the help on its way to `target`. */
function helpStream(target: Writable): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      target.write(polishHelp(chunk.toString()));
      callback();
    },
  });
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
function settleArguments(cli: Cli<AwsmfaContext>, argv: readonly string[]): string[] {
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

/**
 * Runs awsmfa. Help and the version go to stdout (they are asked for; but see APPLIED_OPTION); every error goes to
 * stderr as one line, so `eval "$(awsmfa ...)"` never sees anything but shell code.
 */
export async function main(argv: string[], start: StartContext): Promise<number> {
  // Every message, ours and clipanion's (whose stdout is our stderr), reaches the terminal through one sanitizer
  // (terminal.ts): a value from outside (an AWS error, a profile name, a word of this command line) cannot move
  // the cursor, retitle the window or start an escape sequence. Its writes pass straight through, nothing is held
  // back for a later flush, so an exit right after a write loses nothing.
  const messages = terminalStream(start.stderr);
  let context: AwsmfaContext = {...start, stderr: messages, stdout: start.stdout === start.stderr ? messages : terminalStream(start.stdout), ...notesTo(messages, start.env, false)};
  // `awsmfa help [COMMAND]` is `awsmfa [COMMAND] --help`, printed on stdout even for the commands whose own --help
  // goes to stderr (nobody evaluates `awsmfa help env`).
  const asked = argv[0] === `help`;
  if (asked)
    argv = argv.length > 1 ? [...argv.slice(1), `--help`] : [`--help`];
  // `exec`'s command is everything after the first `--`, handed over as it is: clipanion would read options in it.
  const split = argv[0] === `exec` ? argv.indexOf(`--`) : -1;
  if (split >= 0) {
    context = {...context, rest: argv.slice(split + 1)};
    argv = argv.slice(0, split);
  }
  // `awsmfa env 123456 --help`: help wherever it is asked for (clipanion sees it only right after the command).
  const known = COMMANDS.some(candidate => candidate.paths?.some(path => path[0] === argv[0]));
  const applied = argv.some(word => word === APPLIED_OPTION || word.startsWith(`${APPLIED_OPTION}=`));
  if (known && argv.slice(1).some(word => word === `--help` || word === `-h`)) {
    // The whole path of a command of two words (`keys import --help`).
    const path = COMMANDS.flatMap(candidate => candidate.paths ?? []).find(candidate => candidate.length > 1 && candidate.every((word, index) => argv[index] === word));
    argv = [...path ?? [argv[0]!], `--help`];
  }
  const cli = buildCli(argv);
  let command;
  // `awsmfa exec aws s3 ls`: whatever clipanion makes of the command's words, the fix is one `--`.
  const withoutSeparator = argv[0] === `exec` && context.rest === undefined ? execHint(cli, argv) : undefined;
  try {
    command = cli.process(settleArguments(cli, argv), context);
  } catch (error) {
    context.warn(withoutSeparator ?? describeParseError(error, argv, cli));
    await writeFailure(argv, context);
    return 2;
  }
  // Help and --version (clipanion's own commands) print what was asked for, on stdout; but the stdout of `mfa`'s
  // call is applied by the shell, so help asked for through it goes to stderr.
  if (!(command instanceof AwsmfaCommand)) {
    if (argv.length === 0 || (argv.length === 1 && (argv[0] === `--help` || argv[0] === `-h`))) {
      terminalStream(context.out).write(polishHelp(generalHelp(cli.usage(null), packageJson.version)));
      return 0;
    }
    const toShell = applied && SHELL_CODE_COMMANDS.includes(argv[0] ?? ``) && !asked;
    const status = await cli.run(command, {...context, stdout: helpStream(toShell ? context.stderr : terminalStream(context.out))});
    if (toShell && argv[0] === `env`)
      context.stderr.write(mfaHelp(context.env));
    return status;
  }
  // A command's result goes to stdout whichever of the two names it is written to (context.ts): clipanion's `stdout`,
  // which its help uses, is routed above, outside any command; errors, clipanion's too, are notes on stderr.
  const out = EXACT_STDOUT_COMMANDS.includes(command.path[0] ?? ``) ? context.out : terminalStream(context.out);
  command.context = {...context, out, stdout: out};
  try {
    const status = await command.validateAndExecute();
    if (status !== 0 && command.failed)
      await writeFailure(argv, context);
    return status;
  } catch (error) {
    await writeFailure(argv, context);
    if (withoutSeparator !== undefined && error instanceof UsageError) {
      context.warn(withoutSeparator);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    context.warn(`${message.replace(/^Usage Error: /, ``).split(`\n`)[0]} (awsmfa ${command.path.join(` `)} --help)`);
    return error instanceof UsageError ? 2 : 1;
  }
}
