import {existsSync, linkSync, mkdirSync, readdirSync, readFileSync, realpathSync, unlinkSync, writeFileSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {AwsmfaError} from '../errors.js';
import {writePrivateFile} from '../private-file.js';
import {envValue, readIfExists, type Env} from './files.js';

/** A test may hold a writer between its write and its rename, to kill it there (AWSMFA_TEST_HOLD_BEFORE_RENAME_MS). */
function holdForTests(env: Env): void {
  const ms = Number(envValue(env, `AWSMFA_TEST_HOLD_BEFORE_RENAME_MS`) ?? 0);
  if (ms > 0)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === `EPERM`;
  }
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The pid in a lock file; NaN when it cannot be read. */
function lockHolder(path: string): number {
  try {
    return Number.parseInt(readFileSync(path, `utf8`), 10);
  } catch {
    return NaN;
  }
}

/**
 * Takes `<file>.lock`. The lock appears with our pid already in it (written to a private file, then hard-linked
 * into place, which fails if the lock exists), so no one ever reads an empty lock. A lock whose process is gone
 * (a killed awsmfa) is taken over; a live one is waited for, up to the timeout.
 */
function lock(file: string, env: Env): () => void {
  const path = `${file}.lock`;
  const timeout = Number(envValue(env, `AWSMFA_LOCK_TIMEOUT_MS`) ?? 15_000);
  const started = Date.now();
  const mine = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 10)}`;
  writeFileSync(mine, `${process.pid}\n`, {mode: 0o600, flag: `wx`});
  try {
    for (;;) {
      try {
        linkSync(mine, path);
        return () => {
          if (lockHolder(path) === process.pid)
            unlinkSync(path);
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== `EEXIST`)
          throw error;
      }
      const holder = lockHolder(path);
      if (Number.isNaN(holder))
        continue; // released while we looked
      if (!pidAlive(holder)) {
        // Checked again just before: another waiter may have replaced the stale lock with its own meanwhile.
        if (lockHolder(path) === holder)
          unlinkSync(path);
        continue;
      }
      if (Date.now() - started > timeout)
        throw new AwsmfaError(`${file} is being edited by another process (pid ${holder}, lock ${path}); try again, or delete the lock if that process is gone`);
      sleep(20 + Math.random() * 30);
    }
  } finally {
    unlinkSync(mine);
  }
}

/** Temporary files of writers that were killed before their rename: they hold secrets, and nobody else will. */
function removeOrphans(file: string): void {
  const prefix = `${basename(file)}.`;
  for (const name of readdirSync(dirname(file))) {
    const match = /^(?:lock\.)?(\d+)\.[a-z0-9]+(?:\.tmp)?$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : ``);
    if (match && !pidAlive(Number(match[1]))) {
      try {
        unlinkSync(join(dirname(file), name));
      } catch {}
    }
  }
}

/**
 * Read-modify-write of an AWS shared file, safe against a crash and against other awsmfa processes: under the
 * lock, the new text goes to a private temporary file beside the real one (a symlinked file is followed), which
 * then replaces it by rename, so the file is whole, old or new, at every moment. The file ends up mode 0600; a
 * missing ~/.aws is created 0700.
 */
export function updateSharedFile(file: string, env: Env, change: (text: string) => string): void {
  const target = existsSync(file) ? realpathSync(file) : file;
  if (!existsSync(dirname(target)))
    mkdirSync(dirname(target), {recursive: true, mode: 0o700});
  const release = lock(target, env);
  try {
    removeOrphans(target);
    const before = readIfExists(target) ?? ``;
    const after = change(before);
    if (after === before && existsSync(target))
      return;
    writePrivateFile(target, after, () => holdForTests(env));
  } finally {
    release();
  }
}
