import {readFileSync} from 'node:fs';

/**
 * Whether this process may use its controlling terminal now: whether its process group is the terminal's foreground
 * group. The kernel stops a background job that reads the terminal or sets its modes (SIGTTIN, SIGTTOU) until it is
 * brought back with fg; for the credentials server (`serve &`, an `exec --server` job put in the background) that is
 * a server stopped while its clients wait, and for a job outside the shell's job table one that nobody can bring
 * back. Linux says it in /proc/self/stat (pgrp and tpgid); elsewhere the terminal is taken to be ours.
 */
export function inForeground(platform: NodeJS.Platform): boolean {
  const fields = processStat(platform);
  return fields === undefined || fields[2] === fields[5];
}

/** /proc/self/stat after the command name (which may hold spaces and parentheses): state ppid pgrp session tty_nr tpgid. */
function processStat(platform: NodeJS.Platform): string[] | undefined {
  try {
    const stat = platform === `linux` ? readFileSync(`/proc/self/stat`, `latin1`) : undefined;
    return stat?.slice(stat.lastIndexOf(`)`) + 2).split(` `);
  } catch {
    return undefined;
  }
}

/** Whether this process leads its process group: a job of its own, which a shell's fg can continue when it stops. */
export function jobLeader(platform: NodeJS.Platform): boolean {
  return processStat(platform)?.[2] === String(process.pid);
}
