/**
 * The real shells, for round trips: each runs a script that applies awsmfa's output and then prints the
 * variables through `node` (so what is checked is the exported environment, not a shell variable).
 */
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {spawnAndCollect} from './run.js';

export const SHELLS = [`bash`, `zsh`, `dash`, `ksh`, `fish`, `tcsh`, `elvish`] as const;
export type ShellName = typeof SHELLS[number];

/** The dialect awsmfa writes for each shell binary. */
export const DIALECT_OF: Record<ShellName, string> = {bash: `bash`, zsh: `zsh`, dash: `sh`, ksh: `ksh`, fish: `fish`, tcsh: `tcsh`, elvish: `elvish`};

export function shellPath(shell: string): string | undefined {
  const found = spawnSync(`sh`, [`-c`, `command -v ${shell}`], {encoding: `utf8`});
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/**
 * node:test `skip` option for a shell: a visible reason on a developer machine that lacks it; in CI (CI set)
 * a missing shell is a failure, never a skip.
 */
export function skipUnlessShell(shell: string): string | false {
  if (shellPath(shell) !== undefined)
    return false;
  if (process.env.CI)
    throw new Error(`${shell} is not installed, and CI must run every shell (see .ci/run)`);
  return `${shell} is not installed here (CI installs it)`;
}

/** Prints the named variables as JSON: null for an unset one. */
export function printVarsCommand(names: readonly string[]): string {
  return `${process.execPath} ${fileURLToPath(new URL(`./print-env.cjs`, import.meta.url))} ${names.join(` `)}`;
}

/** How each shell applies the text of a file (as `eval "$(…)"` / `| source` would). */
export function applyFile(shell: ShellName, file: string): string {
  switch (shell) {
    case `fish`: return `cat '${file}' | source`;
    case `tcsh`: return `eval "\`cat '${file}'\`"`;
    case `elvish`: return `eval (slurp < '${file}')`;
    default: return `eval "$(cat '${file}')"`;
  }
}

/** How each shell runs a command line in the script (elvish needs its own quoting; these commands have none). */
export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a script file in the shell, without its rc files. Asynchronous: the STS stand-in lives in the test's own
 * process and must keep answering while the shell runs.
 */
export async function runScript(shell: string, script: string, env: Record<string, string>, options: {args?: string[]} = {}): Promise<ScriptResult> {
  const dir = mkdtempSync(join(tmpdir(), `awsmfa-sh-`));
  try {
    const file = join(dir, `script`);
    writeFileSync(file, script);
    const args = options.args ?? (shell === `tcsh` ? [`-f`] : shell === `fish` ? [`--no-config`] : []);
    const {exitCode, stdout, stderr} = await spawnAndCollect(shell, [...args, file], {env, detached: true});
    return {status: exitCode, stdout, stderr};
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}
