import {chmodSync, chownSync, closeSync, fchownSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync} from 'node:fs';
import {dirname} from 'node:path';

/** A file of another user, or one others could write: in a shared folder it could hand us their data. */
export class ForeignFileError extends Error {
  override name = `ForeignFileError`;
}

/**
 * The bytes of a file only this user can have written (owned by this user, not writable by group or others; the
 * check is made on the open file, so a swap between check and read cannot fool it). Undefined when it is absent;
 * ForeignFileError for any other file; the filesystem's error otherwise. Every file awsmfa reads back from its
 * cache folder comes through here.
 */
export function readPrivateFile(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, `r`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === `ENOENT`)
      return undefined;
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (process.getuid && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0))
      throw new ForeignFileError(`${file} is not a private file of this user`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A file's owner, to keep when root writes a user's file (`sudo -E awsmfa login`). */
export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Writes atomically: a private temporary file (0600) in the same folder, flushed, given `owner` if one is named,
 * then renamed over the old one. On any failure the temporary file is removed and the old file is untouched.
 */
export function writePrivateFile(file: string, text: string | Uint8Array, beforeRename?: () => void, owner?: Owner): void {
  // `wx` refuses an existing name, so a clash between two writers fails loudly instead of mixing their bytes.
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  const fd = openSync(temp, `wx`, 0o600);
  try {
    if (typeof text === `string`)
      writeSync(fd, text);
    else
      writeSync(fd, text);
    if (owner)
      fchownSync(fd, owner.uid, owner.gid);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  try {
    beforeRename?.();
    renameSync(temp, file);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}

/**
 * Makes the folder (0700); our own default folder is also tightened if it was created looser. A folder root
 * creates inside a user's folder (`sudo -E`) is given to that user, who could not use it otherwise.
 */
export function ensurePrivateDir(dir: string, own: boolean): void {
  const created = mkdirSync(dir, {recursive: true, mode: 0o700});
  if (created !== undefined && process.getuid?.() === 0) {
    const parent = statSync(dirname(created));
    if (parent.uid !== 0) {
      // Every folder made, from the first one down.
      for (let path = dir; path.length >= created.length; path = dirname(path))
        chownSync(path, parent.uid, parent.gid);
    }
  }
  if (own && process.platform !== `win32` && (statSync(dir).mode & 0o077) !== 0)
    chmodSync(dir, 0o700);
}
