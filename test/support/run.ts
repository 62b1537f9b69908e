/** Spawns the built CLI (dist/awsmfa.cjs) as a user would, and collects exit code, stdout and stderr. */
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';

export const ROOT = fileURLToPath(new URL(`../..`, import.meta.url));
export const BIN = fileURLToPath(new URL(`../../dist/awsmfa.cjs`, import.meta.url));

export interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export function runAwsmfa(args: string[], env: Record<string, string>, options: {input?: string, timeoutMs?: number} = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // detached: a new session with no controlling terminal, as under cron or CI, so a prompt can never hang a test.
    const child = spawn(process.execPath, [BIN, ...args], {env, detached: true, stdio: [`pipe`, `pipe`, `pipe`]});
    let stdout = ``;
    let stderr = ``;
    child.stdout.on(`data`, chunk => stdout += chunk);
    child.stderr.on(`data`, chunk => stderr += chunk);
    const timer = setTimeout(() => child.kill(`SIGKILL`), options.timeoutMs ?? 30_000);
    child.on(`error`, reject);
    child.on(`close`, exitCode => {
      clearTimeout(timer);
      resolve({exitCode, stdout, stderr});
    });
    // The child may be gone before its stdin is closed (awsmfa reads none): that EPIPE is no failure of the test.
    child.stdin.on(`error`, () => {});
    child.stdin.end(options.input ?? ``);
  });
}
