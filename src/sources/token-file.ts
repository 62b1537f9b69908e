import {accessSync, closeSync, constants, fstatSync, openSync, readFileSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {AwsmfaError, ConfigError, fileError} from '../errors.js';
import {holdForTests, lock, prepareWrite, removeOrphans, resolveLinks} from '../aws-files/update.js';
import {UnsafeFolderError, writePrivateFile} from '../private-folder.js';
import {cacheFolder, fnv1a64} from '../cache/folder.js';
import {envValue, type Env} from '../env.js';
import {lockWaitMs} from '../rules.js';
import {visible} from '../terminal.js';
import {holdingListener, signalDeciders} from '../signals.js';

/**
 * The token files of the AWS CLI's caches: `aws login`'s (~/.aws/login/cache/<sha256>.json) and `aws sso login`'s
 * (~/.aws/sso/cache/<sha1>.json). They are the AWS CLI's files in the AWS CLI's folders, read and written by it
 * and by every SDK, so awsmfa neither owns nor sweeps them: it reads one file it can name, and replaces that file
 * whole when it refreshes the token in it. What applies, and why (see SECURITY.md):
 * - the read is bounded and made on the open file: a regular file (a FIFO or device cannot hang or flood it), of
 *   this user (or read by root for the user), that others cannot write (it hands over a session: a planted one
 *   would run every later command as someone else's principal); symbolic links are followed, as the AWS CLI
 *   follows them, since the folder is the user's to arrange;
 * - the write goes through the one private-write primitive (a 0600 temporary file beside it, O_EXCL, flushed,
 *   then renamed over it), so the AWS CLI and botocore, which read without a lock, see the old file or the new
 *   one, never half of one; the file keeps its owner (root writing for a user gives it back), every field awsmfa
 *   does not change is kept, and a killed writer's temporary file is removed by the next write;
 * - a refresh happens under a lock that every awsmfa shares, kept in awsmfa's own private cache folder rather than
 *   beside the token: `aws logout --all` and `aws sso logout` parse every file of their folders as JSON, and a lock
 *   holding a pid (`1234`, valid JSON) would crash them. The lock's holder reads the file again once it has the
 *   lock, so however many processes find the token expired at once, one refreshes and the others take its result.
 */

/** No token file comes near this (a login token is some 5 KiB): anything bigger is not one. */
const MAX_TOKEN_FILE = 1024 * 1024;

/** What a token file holds: a JSON object, kept whole (fields awsmfa does not know are written back as they were). */
export type TokenData = Record<string, unknown>;

/** The session is gone or refused: the one line says which AWS CLI command signs in again (exit 1). */
export class SignInRequiredError extends AwsmfaError {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, 1, options);
    this.name = `SignInRequiredError`;
  }
}

/**
 * The JSON object in a token file, or undefined when there is none. A file that is not a regular file, is too big,
 * belongs to another user or can be written by others is refused (ConfigError naming it); one that is not a JSON
 * object is `malformed` (the caller says which command writes it again).
 */
export function readTokenFile(path: string): {data: TokenData} | {malformed: string} | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO planted here cannot hang the open; O_NOCTTY: a terminal named here does not become ours.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === `ENOENT` || code === `ENOTDIR`)
      return undefined;
    throw fileError(`read`, path, error);
  }
  let text: string;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_TOKEN_FILE)
      throw new ConfigError(`${visible(path)} is not a token file of the AWS CLI (${stat.isFile() ? `larger than 1 MiB` : `not a regular file`}); remove it`);
    const uid = process.getuid?.();
    if (uid !== undefined && uid !== 0 && stat.uid !== uid)
      throw new ConfigError(`${visible(path)} belongs to another user (uid ${stat.uid}); awsmfa takes no session from a file someone else wrote: remove it`);
    if (process.platform !== `win32` && (stat.mode & 0o002) !== 0)
      throw new ConfigError(`${visible(path)} can be written by every user (mode ${(stat.mode & 0o7777).toString(8).padStart(4, `0`)}); awsmfa takes no session from it: chmod 600 it, or remove it`);
    folderProblem(path);
    text = readFileSync(fd, `utf8`);
  } catch (error) {
    throw fileError(`read`, path, error);
  } finally {
    closeSync(fd);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {malformed: `is not JSON`};
  }
  if (typeof data !== `object` || data === null || Array.isArray(data))
    return {malformed: `holds no JSON object`};
  return {data: data as TokenData};
}

/**
 * The folder of a token file (its links followed) must be as trustworthy as the file: a folder another user owns, or
 * that every user can write without the sticky bit, lets them swap the file for a link to another session's (its
 * owner and mode pass), so that a profile runs as another principal, and a refresh writes there.
 */
function folderProblem(path: string): void {
  if (process.platform === `win32`)
    return;
  const folder = dirname(resolveLinks(path));
  const stat = statSync(folder);
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0 && stat.uid !== uid && stat.uid !== 0)
    throw new ConfigError(`${visible(path)} is in ${visible(folder)}, which belongs to another user (uid ${stat.uid}); awsmfa takes no session from there: move the AWS CLI's cache to a folder of yours`);
  if ((stat.mode & 0o002) !== 0 && (stat.mode & 0o1000) === 0)
    throw new ConfigError(`${visible(path)} is in ${visible(folder)}, which every user can write (mode ${(stat.mode & 0o7777).toString(8).padStart(4, `0`)}); awsmfa takes no session from there: chmod 700 ${visible(folder)}`);
}

/**
 * JSON as Python's json.dumps writes it by default (ensure_ascii): every character beyond ASCII escaped, so the AWS
 * CLI reads the file whatever its locale's encoding.
 */
function asciiJson(data: TokenData): string {
  return JSON.stringify(data, null, 2).replace(/[\u007f-\uffff]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, `0`)}`);
}

/** How long a refresh may wait for another process's: its request's budget, and some more. */
function tokenLockWaitMs(env: Env, timeoutMs: number): number {
  return lockWaitMs(env, timeoutMs + 15_000);
}

/**
 * The lock of a token file, in awsmfa's private cache folder (see above). When that folder is unusable there is no
 * refresh: one without the lock lets parallel callers each spend the refresh token, and the service ends the
 * session for all of them at the second (a stale cache costs a speed-up; this would cost the sign-in).
 */
function lockToken(target: string, env: Env, timeoutMs: number): () => void {
  let folder;
  try {
    folder = cacheFolder(env, ``, true)!;
  } catch (error) {
    if (!(error instanceof UnsafeFolderError))
      throw error;
    throw new ConfigError(`cannot refresh ${visible(target)} without the lock parallel awsmfa runs share (two refreshes at once end the session): ${error.message}`, {cause: error});
  }
  return lock(join(folder.path, `token-${fnv1a64(target)}`), env, tokenLockWaitMs(env, timeoutMs));
}

/**
 * A locked read-modify-write of a token file: the lock taken, the file read again (another process may have
 * refreshed it meanwhile), `change` given what it holds now; what `change` returns replaces the file (atomically,
 * 0600, its owner kept), undefined leaves it untouched. `change` may call the network: the lock is held until it
 * is done, so a second refresh waits for the first and then finds its result.
 */
export async function updateTokenFile<T>(path: string, context: {env: Env, warn: (message: string) => void}, timeoutMs: number, change: (current: ReturnType<typeof readTokenFile>) => Promise<{write: TokenData | undefined, result: T}>): Promise<T> {
  let target: string;
  try {
    target = prepareWrite(path).target;
  } catch (error) {
    throw fileError(`update`, path, error);
  }
  // One update of a file at a time in this process too (a credentials server renewing while a request waits):
  // the lock's wait blocks the thread, so a second taker in the same process would wait for a holder that cannot
  // go on. The later one runs after the first, and finds its result in the file.
  const previous = inFlight.get(target) ?? Promise.resolve();
  const run = previous.catch(() => {}).then(() => lockedUpdate(path, target, context, timeoutMs, change));
  inFlight.set(target, run);
  try {
    return await run;
  } finally {
    if (inFlight.get(target) === run)
      inFlight.delete(target);
  }
}

/** The updates of token files under way in this process, by file. */
const inFlight = new Map<string, Promise<unknown>>();

/**
 * Waits until no update of a token file is under way in this process, for at most `boundMs`; whether none is. For a
 * command that stops on a signal while it goes on serving (serve, exec --server): the signal is held until the
 * rename (holdSignals below), but a command that then returned would end awsmfa with the refresh unsaved.
 */
export async function tokenUpdatesDone(boundMs: number): Promise<boolean> {
  const end = Date.now() + boundMs;
  while (inFlight.size > 0) {
    const left = end - Date.now();
    if (left <= 0)
      return false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(inFlight.values()), new Promise(resolve => timer = setTimeout(resolve, left))]);
    clearTimeout(timer);
  }
  return true;
}

/**
 * The signals that end awsmfa by default, held while a refresh is under way: once the service has been asked, the
 * refresh token it hands back is the only one that works (the one in the file is spent), so a Ctrl+C, `kill` or a
 * closing terminal between the request and the rename would end the session for every program that uses it. The
 * refresh finishes (within its request's time budget), is written, and then the signal has its usual effect: the
 * process dies of it, unless another listener of awsmfa's (serve, exec) was told of it and decides. SIGKILL cannot
 * be held: the AWS CLI's own refresh has the same window.
 */
const HELD_SIGNALS = [`SIGINT`, `SIGTERM`, `SIGHUP`] as const;

function holdSignals(path: string, warn: (message: string) => void): () => void {
  let received: NodeJS.Signals | undefined;
  const onSignal = holdingListener((signal: NodeJS.Signals) => {
    if (received === undefined)
      warn(`${signal}: finishing the refresh of ${visible(path)} first (the token it spends must be saved, or the session ends)`);
    received ??= signal;
  });
  for (const signal of HELD_SIGNALS)
    process.on(signal, onSignal);
  return () => {
    for (const signal of HELD_SIGNALS)
      process.removeListener(signal, onSignal);
    // A decider was told of it already (and, if it ends the process, sent it again, which this held too).
    if (received !== undefined && signalDeciders(received) === 0)
      process.kill(process.pid, received);
  };
}

async function lockedUpdate<T>(path: string, target: string, context: {env: Env, warn: (message: string) => void}, timeoutMs: number, change: (current: ReturnType<typeof readTokenFile>) => Promise<{write: TokenData | undefined, result: T}>): Promise<T> {
  const release = lockToken(target, context.env, timeoutMs);
  let restore: (() => void) | undefined;
  try {
    // After the lock: the file another refresh renamed into place is the one to judge.
    const {existing, owner} = prepareWrite(path);
    removeOrphans(target);
    // The folder must take the new file before the service is asked: a refresh that cannot be saved spends the
    // refresh token for nothing, and the session with it.
    if (process.platform !== `win32`) {
      try {
        accessSync(dirname(target), constants.W_OK | constants.X_OK);
      } catch (error) {
        throw fileError(`update`, path, error);
      }
    }
    restore = holdSignals(target, context.warn);
    const {write, result} = await change(readTokenFile(target));
    if (write !== undefined) {
      try {
        writePrivateFile(target, asciiJson(write), () => holdForTests(context.env), owner);
      } catch (error) {
        throw fileError(`update`, path, error);
      }
      if (existing !== undefined && process.platform !== `win32` && (existing.mode & 0o077) !== 0)
        context.warn(`note: ${visible(target)} was open to other users (mode ${(existing.mode & 0o777).toString(8).padStart(4, `0`)}); it is now 0600`);
    }
    return result;
  } finally {
    release();
    // After the lock is free: a signal held meanwhile ends the process now.
    restore?.();
  }
}
