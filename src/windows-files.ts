import {lstatSync, mkdirSync, renameSync} from 'node:fs';
import {ConfigError} from './errors.js';

/**
 * What Windows needs of awsmfa's file handling, for the private-folder primitive (src/private-folder.ts). Node reads
 * no owner there (every uid is 0) and no modes (every file shows 0666): what keeps awsmfa's folders private is their
 * ACL, which %LOCALAPPDATA% inherits from the user's profile (the user, SYSTEM and the Administrators only). What
 * Node can tell is checked: no symbolic link or junction (lstat shows both as links), since Windows has no
 * O_NOFOLLOW; and a file another program holds open, which Windows will not let a rename replace, is waited for.
 */

/**
 * How long a write waits for another program to let go of the file it replaces, on Windows: a rename cannot replace
 * a file that someone opened without sharing its deletion (the AWS CLI reading it, an editor, an antivirus scan).
 */
export const RENAME_WAIT_MS = 10_000;

/**
 * renameSync, which on Windows tries again while the file is held open (EPERM, EACCES, EBUSY), as npm's
 * graceful-fs does, up to `waitMs`; then one line saying so. The old file is whole all along.
 */
export function renameOver(temp: string, file: string, waitMs: number): void {
  const started = Date.now();
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    try {
      renameSync(temp, file);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (process.platform !== `win32` || (code !== `EPERM` && code !== `EACCES` && code !== `EBUSY`))
        throw error;
      if (Date.now() - started >= waitMs)
        throw new ConfigError(`${file} stayed open in another program for ${Math.round(waitMs / 1000)} s (${code}), so Windows would not let awsmfa replace it; it is unchanged: close what holds it (an editor, a running AWS CLI) and try again`, {cause: error});
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
    }
  }
}

/** Whether `path` is a symbolic link or a junction (no O_NOFOLLOW on Windows); undefined when it does not exist. */
export function windowsLink(path: string): boolean | undefined {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === `ENOENT`)
      return undefined;
    throw error;
  }
}

/**
 * Windows: awsmfa's folder `levels` (its root, then one in it), each made when missing (with `create`, the root with
 * its parents) and checked as far as Windows lets Node tell: a real folder, no symbolic link or junction. False when
 * one is missing (without `create`); `fail(what is wrong)` is thrown for the others.
 */
export function openWindowsLevels(levels: readonly string[], create: boolean, fail: (problem: string) => Error): boolean {
  for (const [index, level] of levels.entries()) {
    let stat;
    try {
      stat = lstatSync(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== `ENOENT`)
        throw error;
      if (!create)
        return false;
      mkdirSync(level, {recursive: index === 0});
      stat = lstatSync(level);
    }
    if (stat.isSymbolicLink())
      throw fail(`${level} is a symbolic link or a junction, and awsmfa follows none in its cache`);
    if (!stat.isDirectory())
      throw fail(`${level} is not a folder (ENOTDIR)`);
  }
  return true;
}
