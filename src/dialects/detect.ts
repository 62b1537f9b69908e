import {readFileSync} from 'node:fs';
import {basename} from 'node:path';
import {findShell} from './index.js';
import {envValue, type Env} from '../env.js';

/** The shell dialect for a process name or path (`-zsh`, `/usr/bin/fish`, `pwsh.exe`), if it is a shell. */
export function shellFromName(name: string): string | undefined {
  return findShell(basename(name.trim()))?.name;
}

/** The name of process `pid`: /proc on Linux, ps on macOS and the BSDs; undefined when it cannot be read. */
async function processName(pid: number, platform: NodeJS.Platform): Promise<string | undefined> {
  try {
    if (platform === `linux`)
      return readFileSync(`/proc/${pid}/comm`, `utf8`);
    if (platform !== `win32`) {
      // Loaded only here: node:child_process costs every start a few milliseconds.
      const {execFileSync} = await import(`node:child_process`);
      return execFileSync(`ps`, [`-o`, `comm=`, `-p`, String(pid)], {encoding: `utf8`, stdio: [`ignore`, `pipe`, `ignore`]});
    }
  } catch {}
  return undefined;
}

/**
 * The shell that will read awsmfa's output: the parent process when it is a shell (the one running
 * `eval "$(awsmfa env)"`), else `$SHELL` (the login shell), else POSIX sh (PowerShell on Windows).
 */
export async function detectShell(env: Env, ppid: number, platform: NodeJS.Platform): Promise<{shell: string, how: string}> {
  const parent = await processName(ppid, platform);
  const fromParent = parent === undefined ? undefined : shellFromName(parent);
  if (fromParent)
    return {shell: fromParent, how: `the parent process (${parent!.trim()})`};
  const loginShell = envValue(env, `SHELL`);
  const fromEnv = loginShell === undefined ? undefined : shellFromName(loginShell);
  if (fromEnv)
    return {shell: fromEnv, how: `$SHELL (${loginShell})`};
  return platform === `win32` ? {shell: `pwsh`, how: `the default on Windows`} : {shell: `sh`, how: `the POSIX default`};
}
