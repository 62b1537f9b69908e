import {childEnvironment, type Env} from '../env.js';
import type {SessionRequest} from '../request.js';
import {codeOf, RULES, variableValue} from '../rules.js';
import {ConfigError} from '../errors.js';
import {CODE_PATTERN, promptCode} from '../io/prompt.js';
import {parseSpan} from '../time.js';

/** How long `mfa_process` may take (a YubiKey waiting for a touch, a password manager unlocking), by default. */
export const DEFAULT_MFA_PROCESS_TIMEOUT = `60s`;

/** Checks a code given on the command line; codes stay strings, as `012345` is a code. */
export function checkCode(code: string): string {
  if (!CODE_PATTERN.test(code))
    throw new ConfigError(`an MFA code is ${RULES.code.what} (got ${code.length} character${code.length === 1 ? `` : `s`})`);
  return code;
}

/** The bound of `mfa_process`: AWSMFA_MFA_PROCESS_TIMEOUT (checked like --timeout), else 60 s. */
function mfaProcessTimeoutMs(env: Env): number {
  return parseSpan(variableValue(env, `AWSMFA_MFA_PROCESS_TIMEOUT`) ?? DEFAULT_MFA_PROCESS_TIMEOUT)!;
}

/**
 * The processes below `pid` (a shell's children and theirs), deepest last, from `ps`, which Linux and macOS both
 * have. Only asked when a process is to be stopped, so its cost never counts.
 */
async function descendants(pid: number): Promise<number[]> {
  const {execFileSync} = await import(`node:child_process`);
  let table: string;
  try {
    table = execFileSync(`ps`, [`-A`, `-o`, `pid=`, `-o`, `ppid=`], {encoding: `utf8`, stdio: [`ignore`, `pipe`, `ignore`], env: childEnvironment(process.env)});
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const line of table.split(`\n`)) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child !== undefined && parent !== undefined)
      children.set(parent, [...children.get(parent) ?? [], child]);
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0;) {
    const next = children.get(queue.shift()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

/** Stops a process and everything it started (a `sleep` under the shell would otherwise outlive awsmfa). */
async function stopTree(pid: number, platform: NodeJS.Platform): Promise<void> {
  if (platform === `win32`) {
    const {execFileSync} = await import(`node:child_process`);
    try {
      execFileSync(`taskkill`, [`/T`, `/F`, `/PID`, String(pid)], {stdio: `ignore`, timeout: 10_000, env: childEnvironment(process.env)});
    } catch {}
    // The process itself in any case (TerminateProcess), should taskkill be missing or fail: awsmfa waits for it.
    try {
      process.kill(pid);
    } catch {}
    return;
  }
  for (const target of [pid, ...await descendants(pid)]) {
    try {
      process.kill(target, `SIGKILL`);
    } catch {}
  }
}

/**
 * Runs the profile's `mfa_process` (a command line of the user's own config, run by the system shell as the AWS
 * CLI's credential_process is) and returns what it printed. Its stdin and stderr are the terminal's, so prompts
 * and "touch your key" reach the user. It is stopped at the bound; a grandchild that keeps the pipe open does
 * not keep awsmfa waiting. Messages never repeat the command line: it may hold a TOTP seed. Its environment is
 * awsmfa's without any credential variable.
 */
async function runMfaProcess(request: SessionRequest, env: Env): Promise<string> {
  const who = request.mfaProcessName;
  // Node refuses an empty command with an exception of its own; a blank one would run the shell for nothing.
  if (request.mfaProcess!.trim() === ``)
    throw new ConfigError(`${who} is empty: give it the command that prints the code, or leave it out to type the code`);
  const timeoutMs = mfaProcessTimeoutMs(env);
  // Loaded only here: node:child_process costs every start a few milliseconds.
  const {spawn} = await import(`node:child_process`);
  return await new Promise((resolve, reject) => {
    // No credentials in its environment: it prints a code, and a password manager's CLI needs PATH, HOME and its
    // own variables, never an AWS key (the long-term keys may be in awsmfa's environment).
    const child = spawn(request.mfaProcess!, {shell: true, stdio: [`inherit`, `pipe`, `inherit`], env: childEnvironment(env)});
    const chunks: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    child.stdout.on(`data`, (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 65_536)
        chunks.push(chunk);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      void stopTree(child.pid!, process.platform);
    }, timeoutMs);
    // A SIGTERM or SIGHUP sent to awsmfa alone would end it and leave the command (and a `sleep` under it) running
    // with no bound: it is stopped first, then awsmfa dies of the signal as it would have.
    const onSignal = (signal: NodeJS.Signals) => {
      void stopTree(child.pid!, process.platform).then(() => {
        process.removeAllListeners(signal);
        process.kill(process.pid, signal);
      });
    };
    const signals = [`SIGTERM`, `SIGHUP`] as const;
    for (const signal of signals)
      process.on(signal, onSignal);
    const done = () => {
      clearTimeout(timer);
      for (const signal of signals)
        process.off(signal, onSignal);
    };
    child.on(`error`, error => {
      done();
      reject(new ConfigError(`${who} could not be started (${(error as NodeJS.ErrnoException).code ?? error.message})`));
    });
    // `exit`, not `close`: a grandchild may hold stdout open long after the process itself is gone.
    child.on(`exit`, (status, signal) => {
      done();
      child.stdout.destroy();
      if (timedOut)
        reject(new ConfigError(`${who} gave no code within ${timeoutMs / 1000} s and was stopped (AWSMFA_MFA_PROCESS_TIMEOUT gives it longer)`));
      else if (status !== 0)
        reject(new ConfigError(`${who} failed (${signal ? `killed by ${signal}` : `exit status ${status}`}); run it by hand to see why`));
      else
        resolve(Buffer.concat(chunks).toString(`utf8`));
    });
  });
}

/** The code given, else the output of the profile's `mfa_process`, else one typed at the terminal. */
export async function obtainCode(request: SessionRequest, given: string | undefined, context: {platform: NodeJS.Platform, env: Env}, question = `MFA code for ${request.serialNumber}: `): Promise<string> {
  if (given !== undefined)
    return checkCode(given);
  if (request.mfaProcess !== undefined) {
    const code = codeOf((await runMfaProcess(request, context.env)).trim());
    if (code === undefined)
      throw new ConfigError(`${request.mfaProcessName} printed no 6-digit code (it must print the code alone)`);
    return code;
  }
  return await promptCode(question, context);
}
