import {Builtins, Cli, UsageError} from 'clipanion';
import {notesTo, type AwsmfaContext, type StartContext} from '../context.js';
import {isQuiet} from '../contract.js';
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
import {refreshCopy} from '../commands/shell-copy.js';
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
import {terminalStream} from '../terminal.js';
import {findDialect} from '../dialects/index.js';
import {detectShell} from '../dialects/detect.js';
import {describeParseError, execHint, settleArguments} from './arguments.js';
import {generalHelp, helpStream, mfaHelp} from './help.js';

// For the entry: the signal a question was cancelled by, which awsmfa then dies of (see prompt.ts).
export {cancelledBy} from '../io/prompt.js';
import {SIGNALS} from '../io/prompt.js';
import {signalDeciders} from '../signals.js';

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
 * The failure statement for a command that a signal ends before it has written anything: `eval "$(timeout 20
 * awsmfa env)"`, a CI job cancelled, a terminal closed while STS is slow. Killed with its stdout empty, awsmfa would
 * hand `eval` nothing, which succeeds, and `set -e` would go on with the keys the shell already had. While the
 * command runs, a signal that would end it writes the statement (unless its stdout already has the command's output)
 * and then ends awsmfa by that same signal. A signal someone else in awsmfa is listening for (a question, which
 * puts the terminal back and fails the command; serve, which stops serving) is theirs: main writes the statement
 * when the command then fails. Returns what removes the guard.
 */
function failureOnSignal(argv: readonly string[], context: AwsmfaContext, out: AwsmfaContext['out']): () => void {
  let written = false;
  const write = out.write;
  // The same object keeps its identity (serve closes fd 1 when it is process.stdout): only its write is watched.
  out.write = function (this: unknown, ...args: Parameters<typeof write>) {
    written = true;
    return write.apply(out, args);
  } as typeof write;
  const signals = Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>;
  const handlers = signals.map(signal => [signal, () => {
    // Another decider (the code prompt, serve, exec) acts on it; a holder (a refresh being saved) delivers it again.
    if (signalDeciders(signal) > 1)
      return;
    disarm();
    void (written ? Promise.resolve() : writeFailure(argv, context)).catch(() => {}).finally(() => {
      // A holder (a refresh being saved) delivers the signal again once its write is done, and nothing decides then.
      if (process.listenerCount(signal) > signalDeciders(signal))
        return;
      if (process.platform === `win32`)
        process.exit(128 + SIGNALS[signal]);
      process.kill(process.pid, signal);
    });
  }] as const);
  const disarm = () => {
    out.write = write;
    for (const [signal, handler] of handlers)
      process.off(signal, handler);
  };
  for (const [signal, handler] of handlers)
    process.on(signal, handler);
  return disarm;
}

/**
 * Given by the shells' `mfa` (shell/), which applies what awsmfa prints: its help goes to stderr, as an empty stdout
 * is what `mfa` takes for "nothing to apply". Help asked for any other way goes to stdout.
 */
const APPLIED_OPTION = `--mfa-shell`;

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
 * Runs awsmfa. Help and the version go to stdout (they are asked for; but see APPLIED_OPTION); every error goes to
 * stderr as one line, so `eval "$(awsmfa ...)"` never sees anything but shell code.
 */
export async function main(argv: string[], start: StartContext): Promise<number> {
  // Every message, ours and clipanion's (whose stdout is our stderr), reaches the terminal through one sanitizer
  // (terminal.ts): a value from outside (an AWS error, a profile name, a word of this command line) cannot move
  // the cursor, retitle the window or start an escape sequence. Its writes pass straight through, nothing is held
  // back for a later flush, so an exit right after a write loses nothing.
  const messages = terminalStream(start.stderr);
  let context: AwsmfaContext = {...start, stderr: messages, stdout: start.stdout === start.stderr ? messages : terminalStream(start.stdout), ...notesTo(messages, {verbose: false, quiet: isQuiet(false, start.env)})};
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
  const at = argv.findIndex(word => word === APPLIED_OPTION || word.startsWith(`${APPLIED_OPTION}=`));
  const applied = at >= 0;
  // Run by a shell's mfa functions: that shell's copy (awsmfa init --install) is kept to this awsmfa's files, before
  // anything else, so that even a call this awsmfa no longer parses mends the copy that made it.
  if (applied) {
    const shell = argv[at]!.includes(`=`) ? argv[at]!.slice(argv[at]!.indexOf(`=`) + 1) : argv[at + 1];
    if (shell !== undefined)
      refreshCopy(shell, context);
  }
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
    context.warn(withoutSeparator ?? describeParseError(error, argv, cli, COMMANDS));
    await writeFailure(argv, context);
    return 2;
  }
  // Help and --version (clipanion's own commands) print what was asked for, on stdout; but the stdout of `mfa`'s
  // call is applied by the shell, so help asked for through it goes to stderr.
  if (!(command instanceof AwsmfaCommand)) {
    if (argv.length === 0 || (argv.length === 1 && (argv[0] === `--help` || argv[0] === `-h`))) {
      terminalStream(context.out).write(generalHelp(cli.definitions().map(({path, description}) => ({path: path.replace(/^awsmfa /, ``), description: (description ?? ``).trim()})), packageJson.version));
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
  const disarm = SHELL_CODE_COMMANDS.includes(command.path[0] ?? ``) ? failureOnSignal(argv, context, out) : () => {};
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
  } finally {
    disarm();
  }
}
