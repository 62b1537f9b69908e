import {isUtf8} from 'node:buffer';
import {accessSync, constants as fsConstants, readFileSync, statSync} from 'node:fs';
import {constants} from 'node:os';
import {Command, Option} from 'clipanion';
import {SESSION_VARIABLES} from '../contract.js';
import {childEnvironment, envValue} from '../env.js';
import {windowsEnvValue, windowsLaunch} from '../io/windows-command.js';
import {AwsmfaError, ConfigError} from '../errors.js';
import {sessionChanges} from '../session/variables.js';
import type {CredentialsServer} from '../session/server.js';
import {SessionCommand} from './session-command.js';
import {describeExpiry} from '../time.js';

/**
 * Signals a terminal sends to its whole foreground process group, the command included (Ctrl+C, Ctrl+\): awsmfa
 * ignores them while the command runs, as system(3) does, so the command gets each one once (Terraform takes a
 * second SIGINT as "exit now" and leaves its state lock) and awsmfa stays to report how it ended.
 */
const FROM_TERMINAL = [`SIGINT`, `SIGQUIT`] as const;

/** Signals sent to awsmfa alone (kill, a supervisor, a hang-up of its session), which the command would not get. */
const FORWARDED = [`SIGTERM`, `SIGHUP`] as const;

/**
 * Windows: Ctrl+C and Ctrl+Break reach every process of the console, the command included, as Node's SIGINT and
 * SIGBREAK; awsmfa ignores them while the command runs, for the same reason as above (without a handler Node ends at
 * once, and the prompt came back while the command was still running). Nothing is forwarded there: a closed console
 * (Node's SIGHUP) closes the command's own console too, and Node can send no other signal to a child on Windows.
 */
const FROM_CONSOLE = [`SIGINT`, `SIGBREAK`] as const;

/**
 * The shell to start when no command is given. On Windows $SHELL is Git Bash's or MSYS2's (`/usr/bin/bash`), a
 * path Windows cannot run: it is taken only when it names a file there, else %ComSpec% (cmd.exe).
 */
function defaultShell(env: Record<string, string | undefined>, platform: NodeJS.Platform): string {
  const shell = envValue(env, `SHELL`);
  if (platform !== `win32`)
    return shell ?? `/bin/sh`;
  try {
    if (shell !== undefined && /^(?:[A-Za-z]:)?[\\/]/.test(shell) && statSync(shell).isFile())
      return shell;
  } catch {}
  return windowsEnvValue(env, `ComSpec`) ?? `cmd.exe`;
}

/**
 * Runs the command with `"$@"` rebuilt from its words: `r` + the word as it is, or `e` + every byte as an octal
 * escape, which printf turns back into the byte (the `x` keeps a trailing newline from `$(…)`). `command printf`
 * gets past a function of that name; `exec` then replaces the shell, so the command keeps the shell's pid.
 */
const TRAMPOLINE = `for a do shift; case $a in e*) a=$(command printf "\${a#e}x"); a=\${a%x};; *) a=\${a#r};; esac; set -- "$@" "$a"; done; exec "$@"`;

/**
 * The command's words as bytes, when one of them is not UTF-8. Node decodes argv as UTF-8 and turns what is not
 * into U+FFFD, so those bytes would reach the command changed; Linux keeps the real ones in /proc/self/cmdline,
 * whose last words are the command's. Undefined when every word is what Node made of it (no U+FFFD: nothing read).
 */
function rawWords(command: readonly string[], platform: NodeJS.Platform): Buffer[] | undefined {
  if (!command.some(word => word.includes(`\uFFFD`)) || platform !== `linux`)
    return undefined;
  let words: Buffer[] = [];
  try {
    const cmdline = readFileSync(`/proc/self/cmdline`);
    for (let start = 0, end; (end = cmdline.indexOf(0, start)) !== -1; start = end + 1)
      words.push(cmdline.subarray(start, end));
  } catch {}
  words = words.slice(-command.length);
  // Checked word for word: a process title set since, or a cmdline cut short, would hand over other words.
  if (words.length !== command.length || words.some((word, index) => word.toString(`utf8`) !== command[index]))
    throw new ConfigError(`awsmfa exec cannot read the bytes of the command's words that are not UTF-8 (it would pass them changed); run the command without awsmfa exec, with the session from awsmfa env`);
  return words.every(word => isUtf8(word)) ? undefined : words;
}

/**
 * Whether a command named by raw bytes can be run, found as sh would find it (a name with a slash as it is, else in
 * each folder of PATH), so that a missing one is awsmfa's own one-line error rather than sh's (which would print
 * the name raw, escape sequences and all). Paths as Buffers reach the filesystem byte for byte.
 */
function findable(name: Buffer, env: Record<string, string | undefined>): boolean {
  const runnable = (path: Buffer) => {
    try {
      accessSync(path, fsConstants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes(0x2f))
    return runnable(name);
  return (env.PATH ?? `/usr/bin:/bin`).split(`:`).some(dir => runnable(Buffer.concat([Buffer.from(dir === `` ? `.` : dir), Buffer.from(`/`), name])));
}

/** The shell's words that rebuild `words` exactly (see TRAMPOLINE). */
function trampolineWords(words: readonly Buffer[]): string[] {
  return [`-c`, TRAMPOLINE, `awsmfa-exec`, ...words.map(word => isUtf8(word)
    ? `r${word.toString(`utf8`)}`
    : `e${[...word].map(byte => `\\${byte.toString(8).padStart(3, `0`)}`).join(``)}`)];
}

export class ExecCommand extends SessionCommand {
  static override paths = [[`exec`]];

  static override usage = Command.Usage({
    description: `run a command with an MFA session in its environment`,
    details: `
      Obtains a session as \`awsmfa env\` does (the cached one while it lasts, else a new one with your code) and runs COMMAND with it in its environment, without a shell in between: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION and AWS_SESSION_EXPIRATION are set; a stale session, AWS_PROFILE and AWS_DEFAULT_PROFILE are removed from it. Its stdin, stdout and stderr are yours; its exit status is awsmfa's (128 + the signal when a signal ended it). Ctrl+C and Ctrl+\\ reach it from the terminal, once; SIGTERM and SIGHUP sent to awsmfa are passed on. Long-term keys in the environment (AWS_ACCESS_KEY, AWS_SECRET_KEY and the other old names included) are not passed on; its words are passed byte for byte, those that are not UTF-8 included.

      The way for scripts, Makefiles, CI, shells without eval, and Windows without a snippet. Everything before \`--\` is awsmfa's, everything after it the command's.
    `,
    examples: [
      [`Run the AWS CLI with a session`, `awsmfa exec --code 123456 -- aws s3 ls`],
      [`With the cached session of a profile`, `awsmfa exec --profile work -- terraform plan`],
      [`In a Makefile or CI step`, `awsmfa exec --code "$CODE" -- ./deploy.sh production`],
      [`In PowerShell or cmd.exe`, `awsmfa exec --code 123456 -- aws sts get-caller-identity`],
      [`Your shell ($SHELL) with the session, until you exit it`, `awsmfa exec --profile work`],
      [`A job longer than a role session: credentials from a local server, renewed before they expire`, `awsmfa exec --server --profile admin -- terraform apply`],
    ],
  });

  server = Option.Boolean(`--server`, false, {description: `Serve the credentials from a local endpoint (127.0.0.1, the container credentials protocol) that renews them before they expire, instead of putting them in the command's environment; it ends with the command`});

  async run() {
    // No command: the user's shell, with the session, as aws-vault does; leaving it ends the session there.
    const subshell = this.context.rest === undefined || this.context.rest.length === 0;
    const command = subshell
      ? [defaultShell(this.context.env, this.context.platform)]
      : this.context.rest!;
    // The bytes of the words typed after --: $SHELL comes from the environment, which Node passes as it decoded it.
    const raw = subshell ? undefined : rawWords(command, this.context.platform);
    this.givenCode();
    const files = this.loadFiles();
    const request = await this.resolveWithDevice(files);
    // What the command's environment needs to take the server's credentials first, or its refusal: before a code.
    if (this.server)
      await this.serverChanges(files, request, undefined);
    const obtained = await this.obtain(request);
    const {credentials} = obtained;
    // No long-term key under any name an SDK reads; a stale session goes whole (boto2's AWS_SECURITY_TOKEN too,
    // which would pair a stale token with the new keys); nothing awsmfa set for itself.
    const env = childEnvironment(this.context.env);
    let changes = sessionChanges(credentials, request, this.context.env, this.regionChoice());
    let server: CredentialsServer | undefined;
    if (this.server) {
      server = (await this.startServer(request, credentials)).server;
      // The server lives as long as awsmfa waits for the command, and no longer: it is closed when the command
      // ends, and a killed awsmfa takes its socket along (the command's next call is refused).
      server.unref();
      changes = await this.serverChanges(files, request, server);
      this.log(`credentials server for profile '${request.profile}' at ${server.url}`);
    }
    for (const name of [...SESSION_VARIABLES, ...changes.unset])
      delete env[name];
    for (const [name, value] of changes.set)
      env[name] = value;
    this.log(`running ${command[0]} with the session ${credentials.accessKeyId} of profile '${request.profile}'${server === undefined ? `` : ` from the credentials server`}`);
    // A shell of its own says which session it has, with its time left; a command's stderr is the command's alone.
    if (subshell)
      this.note(`starting ${command[0]} with the ${obtained.fresh ? `new` : `cached`} session of profile '${request.profile}' (${server === undefined ? describeExpiry(credentials.expiration, this.context.now()) : `from a credentials server that renews it`}); exit it to leave the session`);
    // Bytes Node cannot pass as they are go through sh, which rebuilds them and execs the command in its place.
    if (raw !== undefined && !findable(raw[0]!, env))
      throw new AwsmfaError(`${command[0]}: command not found (awsmfa exec runs it without a shell; check PATH)`, 127);
    // Windows: found as cmd.exe finds it, a batch file run through cmd.exe (src/io/windows-command.ts).
    const launch = this.context.platform === `win32` ? windowsLaunch(command, env, process.cwd())
      : raw === undefined ? {file: command[0]!, args: command.slice(1), verbatim: false} : {file: `/bin/sh`, args: trampolineWords(raw), verbatim: false};

    const {spawn} = await import(`node:child_process`);
    try {
      return await this.runCommand(spawn, launch, env, command);
    } finally {
      await server?.close(this.settleMs());
    }
  }

  private runCommand(spawn: typeof import('node:child_process').spawn, launch: {file: string, args: readonly string[], verbatim: boolean}, env: Record<string, string | undefined>, command: readonly string[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      // The handlers come first: the command may already run (and be signalled through awsmfa) before spawn()
      // returns, and a signal awsmfa did not handle would end awsmfa and leave the command behind. A forwarded one
      // that comes that early is passed on as soon as there is a child to pass it to. (A child starts with every
      // signal at its default: a handler here is not inherited, where an ignored signal would be.)
      let child: ReturnType<typeof spawn> | undefined;
      const early: NodeJS.Signals[] = [];
      const forward = (signal: NodeJS.Signals) => () => child === undefined ? early.push(signal) : child.kill(signal);
      const ignore = () => {};
      const handlers: Array<readonly [NodeJS.Signals, () => void]> = this.context.platform === `win32`
        ? FROM_CONSOLE.map(signal => [signal, ignore] as const)
        : [...FORWARDED.map(signal => [signal, forward(signal)] as const), ...FROM_TERMINAL.map(signal => [signal, ignore] as const)];
      for (const [signal, handler] of handlers)
        process.on(signal, handler);
      child = spawn(launch.file, launch.args, {stdio: `inherit`, env, windowsVerbatimArguments: launch.verbatim});
      for (const signal of early)
        child.kill(signal);
      const done = () => {
        for (const [signal, handler] of handlers)
          process.off(signal, handler);
      };
      child.on(`error`, error => {
        done();
        const code = (error as NodeJS.ErrnoException).code;
        // As shells report them: 127 not found, 126 found but not runnable.
        reject(code === `ENOENT`
          ? new AwsmfaError(`${command[0]}: command not found (awsmfa exec runs it without a shell; check PATH)`, 127)
          : new AwsmfaError(`${command[0]} could not be run (${code ?? error.message})`, 126));
      });
      child.on(`exit`, (status, signal) => {
        done();
        // A command that died of Ctrl+C or Ctrl+\ has awsmfa die of it too (its handlers are gone now): a shell
        // running a loop or a script stops only when its child was killed by SIGINT, not when it exits with 130.
        if ((signal === `SIGINT` || signal === `SIGQUIT`) && this.context.platform !== `win32`)
          process.kill(process.pid, signal);
        resolve(status ?? 128 + (signal === null ? 0 : constants.signals[signal] ?? 0));
      });
    });
  }
}
