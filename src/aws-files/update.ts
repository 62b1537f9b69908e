import {linkSync, lstatSync, readdirSync, readlinkSync, statSync, unlinkSync, writeFileSync, type Stats} from 'node:fs';
import {basename, dirname, join, resolve} from 'node:path';
import {AwsmfaError, ConfigError, fileError} from '../errors.js';
import {ensureUserFolder, isStaleTemp, pidAlive, writePrivateFile, type Owner} from '../private-folder.js';
import {notRegularFile, readIfExists, readRegularFile} from './files.js';
import {envValue, type Env} from '../env.js';
import {lockWaitMs} from '../rules.js';

/** What an update may touch besides the file: the environment (for test hooks) and a way to tell the user things. */
export interface UpdateContext {
  readonly env: Env;
  /** A note on stderr (never a secret). */
  readonly warn: (message: string) => void;
}

/** How long an update waits for another process that holds the file (its lock, or on Windows the file itself). */
function lockTimeoutMs(env: Env): number {
  return lockWaitMs(env, 15_000);
}

/** A lock awsmfa cannot read a pid from (empty, garbled, written by something else) is taken over at this age. */
const LOCK_STALE_MS = 5_000;

/** A test may hold a writer between its write and its rename, to kill it there (AWSMFA_TEST_HOLD_BEFORE_RENAME_MS). */
export function holdForTests(env: Env): void {
  const ms = Number(envValue(env, `AWSMFA_TEST_HOLD_BEFORE_RENAME_MS`) ?? 0);
  if (ms > 0)
    sleep(ms);
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function statIfExists(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === `ENOENT`)
      return undefined;
    throw error;
  }
}

/**
 * The file a path names once its symlinks are followed, even when the last link dangles (its target is created
 * then, as any editor would, instead of the link being replaced by a regular file).
 */
export function resolveLinks(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let stat: Stats;
    try {
      stat = lstatSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === `ENOENT`)
        return current;
      throw error;
    }
    if (!stat.isSymbolicLink())
      return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw Object.assign(new Error(`too many symbolic links`), {code: `ELOOP`});
}

/** What is in a lock file now: the pid awsmfa wrote, or undefined for anything else; undefined whole when it is gone. */
function inspectLock(path: string): {pid: number | undefined, stat: Stats} | undefined {
  try {
    const stat = statSync(path);
    // Bounded like the AWS files: a FIFO planted as the lock must not hang every login.
    const text = readRegularFile(path, {hint: `delete it if nothing is editing the file`})?.toString(`utf8`);
    if (text === undefined)
      return undefined;
    return {pid: /^\d{1,10}\n?$/.test(text) ? Number.parseInt(text, 10) : undefined, stat};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === `ENOENT`)
      return undefined;
    throw error;
  }
}

/**
 * Takes `<file>.lock`. The lock appears with our pid already in it (written to a private file, then hard-linked
 * into place, which fails if the lock exists), so no awsmfa ever reads an empty lock of another awsmfa. A lock
 * whose process is gone (a killed awsmfa) is taken over at once; one awsmfa cannot read a pid from (empty,
 * garbled, foreign) is taken over once it is a few seconds old, else waited for. Every wait sleeps, and the whole
 * wait ends at the timeout with one line naming the lock. Also the lock of the file store's keys.age
 * (src/keys/age-file.ts), whose read-modify-write two awsmfa runs must not interleave, and of a key rotation
 * (src/session/rotation.ts), which waits for no other (`timeoutMs` 0: refused at once while a live process holds it).
 */
export function lock(file: string, env: Env, timeoutMs?: number): () => void {
  const path = `${file}.lock`;
  const timeout = timeoutMs ?? lockTimeoutMs(env);
  const started = Date.now();
  // The shape of every temporary file of awsmfa's, so that removeOrphans knows it if this process is killed.
  const mine = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 10).padEnd(8, `0`)}.tmp`;
  writeFileSync(mine, `${process.pid}\n`, {mode: 0o600, flag: `wx`});
  try {
    for (;;) {
      try {
        linkSync(mine, path);
        return () => {
          if (inspectLock(path)?.pid === process.pid)
            unlinkSync(path);
        };
      } catch (error) {
        // Windows keeps a deleted lock's name while anyone still has it open (another awsmfa reading whose it
        // is): the link is refused (EPERM) until then, which is a lock still held, for a moment.
        const code = (error as NodeJS.ErrnoException).code;
        const pending = process.platform === `win32` && (code === `EPERM` || code === `EACCES` || code === `EBUSY`) && Date.now() - started < timeout;
        if (code !== `EEXIST` && !pending)
          throw error;
      }
      const held = inspectLock(path);
      if (held !== undefined) {
        const stale = held.pid !== undefined ? !pidAlive(held.pid) : Date.now() - held.stat.mtimeMs > LOCK_STALE_MS;
        if (stale) {
          // Only the lock we judged: another waiter may have replaced it with its own meanwhile.
          const now = inspectLock(path);
          if (now !== undefined && now.stat.ino === held.stat.ino && now.pid === held.pid)
            unlinkSync(path);
          continue;
        }
        if (Date.now() - started > timeout) {
          throw new AwsmfaError(held.pid !== undefined
            ? `${file} is being edited by another process (pid ${held.pid}, lock ${path}); try again, or delete the lock if that process is gone`
            : `${file} is locked by ${path}, which holds no pid of awsmfa's; try again, or delete the lock if nothing is editing the file`);
        }
      }
      sleep(20 + Math.random() * 30);
    }
  } finally {
    unlinkSync(mine);
  }
}

/**
 * Temporary files of writers that were killed before their rename (they hold secrets, and nobody else will remove
 * them), and of lock takers: exactly `<file>.<pid>.<rand>.tmp` and `<file>.lock.<pid>.<rand>.tmp`, regular files of
 * this user (root: also those it gave to the file's owner), whose process is gone or which are a minute old. Nothing
 * else in the user's folder matches (a `credentials.2023.bak` is not ours).
 */
export function removeOrphans(file: string): void {
  const own = [basename(file), `${basename(file)}.lock`];
  const uid = process.getuid?.();
  for (const name of readdirSync(dirname(file))) {
    if (isStaleTemp(dirname(file), name, final => own.includes(final), uid === undefined || uid === 0 ? [] : [uid])) {
      try {
        unlinkSync(join(dirname(file), name));
      } catch {}
    }
  }
}

/**
 * Who the file must belong to after the write. Our own file: nothing to change. Root writing a user's file
 * (`sudo -E awsmfa login`): that user keeps it, and a new file in a user's folder goes to that user, who could not
 * even read it otherwise. Anyone else writing another user's file: refused, as it would take the file over.
 */
function ownerAfterWrite(target: string, existing: Stats | undefined): Owner | undefined {
  const uid = process.getuid?.();
  if (uid === undefined)
    return undefined;
  if (existing !== undefined) {
    if (existing.uid === uid)
      return undefined;
    if (uid === 0)
      return {uid: existing.uid, gid: existing.gid};
    throw new ConfigError(`${target} belongs to another user (uid ${existing.uid}) and awsmfa runs as uid ${uid}; run awsmfa as the file's owner`);
  }
  if (uid === 0) {
    const folder = statSync(dirname(target));
    if (folder.uid !== 0)
      return {uid: folder.uid, gid: folder.gid};
  }
  return undefined;
}

/**
 * The file to write (symlinks followed), its current state, and its folder, made if missing. Also for the token
 * files of the AWS CLI's caches (src/sources/token-file.ts), which are written the same way.
 */
export function prepareWrite(file: string, hint?: string): {target: string, existing: Stats | undefined, owner: Owner | undefined} {
  const target = resolveLinks(file);
  const existing = statIfExists(target);
  // A FIFO or a device would hang the read or lose its bytes to the rename: refused, as the read refuses it.
  if (existing !== undefined && !existing.isFile())
    throw notRegularFile(file === target ? file : `${file} (${target})`, existing, hint);
  ensureUserFolder(dirname(target));
  return {target, existing, owner: ownerAfterWrite(target, existing)};
}

/**
 * Proves the file can be updated before anything costly happens (an MFA code is spent only once): it is a file
 * (or absent), of this user (or root's to keep), readable, its folder writable, and its lock free (taken, then
 * released, within the lock's timeout).
 */
export function checkUpdatable(file: string, context: UpdateContext): void {
  try {
    const {target, existing} = prepareWrite(file);
    if (existing !== undefined)
      readIfExists(target);
    lock(target, context.env)();
  } catch (error) {
    throw fileError(`update`, file, error);
  }
}

/**
 * Read-modify-write of an AWS shared file, safe against a crash and against other awsmfa processes: under the
 * lock, the new text goes to a private temporary file beside the real one (symlinks are followed), which then
 * replaces it by rename, so the file is whole, old or new, at every moment. The file keeps its owner and ends up
 * mode 0600 (a note says so when it was open to others); a missing ~/.aws is created 0700. With `keepMode` (a
 * shell's rc file, which holds no secret) it keeps its mode instead, and a new one is 0644 as a shell's are; one
 * its owner may not write (a file made read-only on purpose) is refused, as an editor would ask first: the rename
 * would replace it all the same. `hint` ends the line that refuses a file that is not one (for a file other than
 * the AWS files, which the default hint names).
 */
export function updateSharedFile(file: string, context: UpdateContext, change: (text: string) => string, options: {keepMode?: boolean, hint?: string} = {}): void {
  try {
    const {target, existing, owner} = prepareWrite(file, options.hint);
    if (options.keepMode === true && existing !== undefined && process.platform !== `win32` && (existing.mode & 0o200) === 0)
      throw new ConfigError(`${target} is read-only (mode ${(existing.mode & 0o777).toString(8).padStart(4, `0`)})${options.hint === undefined ? `` : `; ${options.hint}`}`);
    const release = lock(target, context.env);
    try {
      removeOrphans(target);
      // Read as every AWS file is read (regular, bounded, UTF-8), so an edit never writes back a mangled byte.
      const before = existing === undefined ? `` : readIfExists(target, options.hint) ?? ``;
      const after = change(before);
      // Unchanged text is not written again, unless the file is open to others: it is tightened all the same.
      // (Windows has no such modes: Node shows every file there as 0666, and what guards it is its folder's ACL.)
      const open = options.keepMode !== true && existing !== undefined && process.platform !== `win32` && (existing.mode & 0o077) !== 0;
      if (after === before && existing !== undefined && !open)
        return;
      writePrivateFile(target, after, () => holdForTests(context.env), owner, lockTimeoutMs(context.env), options.keepMode === true ? (existing?.mode ?? 0o644) & 0o7777 : undefined);
      if (open)
        context.warn(`note: ${target} was open to other users (mode ${(existing.mode & 0o777).toString(8).padStart(4, `0`)}); it is now 0600`);
    } finally {
      release();
    }
  } catch (error) {
    throw fileError(`update`, file, error);
  }
}
