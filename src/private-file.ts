import {chmodSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync} from 'node:fs';

/** Writes atomically: a private temporary file in the same folder, flushed, then renamed over the old one. */
export function writePrivateFile(file: string, text: string, beforeRename?: () => void): void {
  // `wx` refuses an existing name, so a clash between two writers fails loudly instead of mixing their bytes.
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  const fd = openSync(temp, `wx`, 0o600);
  try {
    writeSync(fd, text);
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

/** Makes the folder (0700); our own default folder is also tightened if it was created looser. */
export function ensurePrivateDir(dir: string, own: boolean): void {
  mkdirSync(dir, {recursive: true, mode: 0o700});
  if (own && process.platform !== `win32` && (statSync(dir).mode & 0o077) !== 0)
    chmodSync(dir, 0o700);
}

