/** Runs a command on a new pseudo-terminal through support/tty-script.py and returns its report (see that file). */
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {ROOT} from './run.js';

export type TtyStep = {expect: string} | {send: string} | {signal: string} | {sleep: number};

export interface TtyReport {
  /** What the terminal showed: the command's stderr, and its stdout too with `stdout: 'tty'`. */
  screen: string;
  exit: number;
  seconds: number;
  failed: unknown;
  /** The command's stdout when it is not the terminal. */
  stdout: string;
  /** The command's stderr when the script has it piped (as the AWS CLI pipes a credential_process's). */
  stderr: string;
  termiosBefore: unknown;
  termiosAfter: unknown;
  echoAfter: boolean;
  canonicalAfter: boolean;
}

const SCRIPT = fileURLToPath(new URL(`./tty-script.py`, import.meta.url));

export function onTty(command: string[], steps: TtyStep[], env: Record<string, string>, options: {stdout?: `tty` | `pipe`, stderr?: `tty` | `pipe`, limit?: number} = {}): Promise<TtyReport> {
  const folder = mkdtempSync(join(tmpdir(), `awsmfa-tty-`));
  const report = join(folder, `report.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(`python3`, [SCRIPT, report, JSON.stringify({steps, stdout: options.stdout ?? `pipe`, stderr: options.stderr ?? `tty`, limit: options.limit ?? 60}), ...command], {env, cwd: ROOT});
    let stdout = ``;
    let stderr = ``;
    child.stdout.setEncoding(`utf8`).on(`data`, chunk => stdout += chunk);
    child.stderr.setEncoding(`utf8`).on(`data`, chunk => stderr += chunk);
    child.on(`error`, reject);
    child.on(`close`, () => {
      try {
        resolve({...JSON.parse(readFileSync(report, `utf8`)), stdout, stderr});
      } catch (error) {
        reject(new Error(`tty-script.py wrote no report: ${stderr}`, {cause: error}));
      } finally {
        rmSync(folder, {recursive: true, force: true});
      }
    });
  });
}
