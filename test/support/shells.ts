/**
 * The real shells, as the dialect table says to drive them: each shell dialect's module gives its test profile
 * (src/dialects/parts.ts), and every per-shell test takes its shells from here, so a shell added to the table is
 * tested (and must pass) without a line of any test changing. Scripts apply awsmfa's output and print the
 * variables through `node` (so what is checked is the exported environment, not a shell variable).
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {SHELL_PARTS} from '../../scripts/render-shell.js';
import type {Dialect} from '../../src/dialects/index.js';
import type {ShellParts, ShellRun, TestProfile} from '../../src/dialects/parts.js';
import {BIN, spawnAndCollect} from './run.js';

/** A shell binary that runs a dialect's tests, with the dialect and its profile. */
export interface RealShell {
  /** The binary (`dash` for sh). */
  readonly name: string;
  /** What tests are titled by: the dialect, and the binary where it is another (`sh (dash)`). */
  readonly label: string;
  readonly run: ShellRun;
  readonly dialect: Dialect;
  readonly profile: TestProfile;
  readonly parts: ShellParts;
}

/** Every real shell binary of the table, in its order. */
export const REAL_SHELLS: readonly RealShell[] = [...SHELL_PARTS].flatMap(([dialect, parts]) => typeof parts.profile.runs === `string` ? []
  : parts.profile.runs.map(run => ({name: run.binary, label: run.binary === dialect.name ? dialect.name : `${dialect.name} (${run.binary})`, run, dialect, profile: parts.profile, parts})));

/** The shell dialects whose round trips run elsewhere: cmd.exe under Wine, the PowerShell grammar. */
export const shellsRunBy = (runs: `wine-cmd` | `pwsh-grammar`) => [...SHELL_PARTS].filter(([, parts]) => parts.profile.runs === runs).map(([dialect, parts]) => ({dialect, parts}));

export const SHELLS: readonly string[] = REAL_SHELLS.map(shell => shell.name);
export type ShellName = string;

/** A real shell by its binary. */
export function realShell(name: string): RealShell {
  const found = REAL_SHELLS.find(shell => shell.name === name);
  if (found === undefined)
    throw new Error(`${name} runs no dialect of the table`);
  return found;
}

/** The dialect awsmfa writes for each shell binary. */
export const DIALECT_OF: Readonly<Record<string, string>> = Object.fromEntries(REAL_SHELLS.map(shell => [shell.name, shell.dialect.name]));

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
export function applyFile(shell: string, file: string): string {
  return realShell(shell).profile.apply(file);
}

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a script file in the shell (a binary of the table, or a path to one), without its rc files.
 * Asynchronous: the STS stand-in lives in the test's own process and must keep answering while the shell runs.
 */
export async function runScript(shell: string, script: string, env: Record<string, string>, options: {args?: readonly string[]} = {}): Promise<ScriptResult> {
  const dir = mkdtempSync(join(tmpdir(), `awsmfa-sh-`));
  try {
    const file = join(dir, `script`);
    writeFileSync(file, script);
    const args = options.args ?? REAL_SHELLS.find(known => known.name === shell || shell.endsWith(`/${known.name}`))?.run.args ?? [];
    const {exitCode, stdout, stderr} = await spawnAndCollect(shell, [...args, file], {env, detached: true});
    return {status: exitCode, stdout, stderr};
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/**
 * `awsmfa init --install` for a real shell, as the README's quick start has it: the copy it wrote in the data folder
 * (XDG_DATA_HOME), the line it added to the rc file, and script text that gives a script the functions as that line
 * gives a new shell (the line itself; where functions an rc line defines reach no script, elvish, the copy's text).
 */
export async function installInto(shell: RealShell, env: Record<string, string>): Promise<{copy: string, line: string, rcFile: string, load: string}> {
  const snippet = shell.dialect.snippet!;
  const result = await spawnAndCollect(process.execPath, [BIN, `init`, `--install`, shell.dialect.name], {env, detached: true});
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout, ``, `init --install prints no shell code`);
  const copy = join(env.XDG_DATA_HOME!, `awsmfa`, `shell`, snippet.file);
  const line = snippet.rc!.line(copy);
  const rcFile = snippet.rc!.file!(env.HOME!, env, existsSync);
  assert.ok(readFileSync(rcFile, `utf8`).split(`\n`).includes(line), `${rcFile} holds ${line}: ${result.stderr}`);
  const load = shell.profile.rc?.interactive === undefined ? line : shell.profile.load!(copy, readFileSync(copy, `utf8`));
  return {copy, line, rcFile, load};
}
