/** Spawns the built CLI (dist/awsmfa.cjs) as a user would, and collects exit code, stdout and stderr. */
import assert from 'node:assert/strict';
import {spawn, type SpawnOptions} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {SHELL_DIALECTS} from '../../src/dialects/index.js';

export const ROOT = fileURLToPath(new URL(`../..`, import.meta.url));
export const BIN = fileURLToPath(new URL(`../../dist/awsmfa.cjs`, import.meta.url));

export interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** awsmfa's arguments, when it was awsmfa that ran. */
  args?: readonly string[];
}

export interface RunOptions {
  /** Written to the child's stdin, which is then closed (default: nothing). */
  input?: string;
  /** Killed (SIGKILL) after this long (default: 30 s). */
  timeoutMs?: number;
}

/**
 * Spawns and collects: the exit code (null when a signal ended it), stdout and stderr. The one place that does it,
 * for awsmfa and for the real shells (support/shells.ts).
 */
export function spawnAndCollect(command: string, args: readonly string[], options: Pick<SpawnOptions, `env` | `detached`> & RunOptions): Promise<RunResult> {
  const {input, timeoutMs = 30_000, ...spawnOptions} = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {...spawnOptions, stdio: [`pipe`, `pipe`, `pipe`]});
    let stdout = ``;
    let stderr = ``;
    // Decoded as a stream: a character split between two reads must not become two broken halves.
    child.stdout.setEncoding(`utf8`);
    child.stderr.setEncoding(`utf8`);
    child.stdout.on(`data`, chunk => stdout += chunk);
    child.stderr.on(`data`, chunk => stderr += chunk);
    const timer = setTimeout(() => child.kill(`SIGKILL`), timeoutMs);
    child.on(`error`, reject);
    child.on(`close`, exitCode => {
      clearTimeout(timer);
      resolve({exitCode, stdout, stderr});
    });
    // The child may be gone before its stdin is closed (awsmfa reads none): that EPIPE is no failure of the test.
    child.stdin.on(`error`, () => {});
    child.stdin.end(input ?? ``);
  });
}

export function runAwsmfa(args: string[], env: Record<string, string>, options: RunOptions = {}): Promise<RunResult> {
  // detached: a new session with no controlling terminal, as under cron or CI, so a prompt can never hang a test.
  return spawnAndCollect(process.execPath, [BIN, ...args], {env, detached: true, ...options}).then(result => ({...result, args}));
}

/** The commands whose stdout a shell applies (src/cli/main.ts): on failure it is a shell's failure statement. */
const APPLIED = (args: readonly string[]) => [`env`, `unset`, `init`, `serve`].includes(args[0] ?? ``) || (args[0] === `login` && args.includes(`--print-env`));
const FAILURE_STATEMENTS = SHELL_DIALECTS.map(dialect => dialect.failure);

/**
 * What a failed awsmfa may print: nothing, or, for a command whose stdout a shell applies, one shell's failure
 * statement (a fixed text that fails and sets nothing; test/shells.test.ts checks which, in each real shell).
 */
export function assertFailureOutput(result: RunResult): void {
  if (result.args !== undefined && APPLIED(result.args))
    assert.ok(result.stdout === `` || FAILURE_STATEMENTS.includes(result.stdout), `stdout on failure: a failure statement at most, not ${JSON.stringify(result.stdout)}`);
  else
    assert.equal(result.stdout, ``, `stdout must stay empty on failure`);
}

/**
 * A failure as a user must see it: the exit code, nothing on stdout but a shell's failure statement, one line on
 * stderr, no stack, no secret.
 */
export function assertFails(result: RunResult, exitCode: number, message: RegExp, secrets: readonly string[] = []): void {
  assertFailureOutput(result);
  assert.equal(result.exitCode, exitCode, result.stderr);
  assert.match(result.stderr, message);
  assert.equal(result.stderr.trimEnd().split(`\n`).length, 1, `one line: ${result.stderr}`);
  assert.doesNotMatch(result.stderr, /\n\s+at /, `no stack trace`);
  for (const secret of secrets)
    assert.ok(!result.stderr.includes(secret), `a secret leaked: ${result.stderr}`);
}

/**
 * Runs the built CLI on a new pseudo-terminal (support/with-tty.py), answering each prompt with the next of
 * `answers`; stdout is collected apart, the terminal's text (questions and answers) comes back as stderr.
 */
export function runAwsmfaWithTty(answers: string[], args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise(resolve => {
    const withTty = fileURLToPath(new URL(`./with-tty.py`, import.meta.url));
    const child = spawn(`python3`, [withTty, JSON.stringify(answers), process.execPath, BIN, ...args], {env});
    let stdout = ``;
    let stderr = ``;
    child.stdout.on(`data`, chunk => stdout += chunk);
    child.stderr.on(`data`, chunk => stderr += chunk);
    child.on(`close`, exitCode => resolve({exitCode, stdout, stderr, args}));
  });
}
