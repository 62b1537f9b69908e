import {chownSync, closeSync, constants, fchmodSync, fchownSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync} from 'node:fs';
import {basename, dirname, join, resolve} from 'node:path';
import {openWindowsLevels, renameOver, RENAME_WAIT_MS, windowsLink} from './windows-files.js';

/**
 * The one place where awsmfa opens the folders it writes in and the files it keeps there (issue #18: a symlinked
 * `v8/` or `profiles/` once had awsmfa chmod a user's folder and empty it). The rules:
 * - a folder of awsmfa's (the cache root and `v8/`, `profiles/`, `index/` in it) is never reached through a
 *   symbolic link: each level is opened with O_NOFOLLOW and checked on the open folder (a real folder, owned by
 *   this user), made 0700 when missing; one that is a link, another user's, or open to others' writes when
 *   awsmfa may not tighten it is refused with one line (callers fall back to no cache);
 * - files are written through a private temporary file (O_EXCL, so a planted name or link is never opened) and
 *   renamed into place; reads open the file with O_NOFOLLOW and O_NONBLOCK (a FIFO cannot hang them), and check
 *   the open file: regular, this user's, not writable by others, of a sane size;
 * - deletion is by awsmfa's own exact names only (OWN_NAMES, and temporary files of those names), only of regular
 *   files of this user, never "every other file"; a temporary file left by a killed writer (it may hold a whole
 *   session) is removed by the next write of its folder and by `clear`.
 */

// Absent on Windows, where Node has no such flags: 0 then adds nothing (links are told apart by lstat there).
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;

/** No file awsmfa keeps comes near this (a session is 1 KiB, V8's code cache 100 KiB): anything bigger is not ours. */
const MAX_PRIVATE_FILE = 16 * 1024 * 1024;

/** A temporary file left behind this long is stale even if its pid is alive again (pids are reused). */
const STALE_TEMP_MS = 60_000;

/** A file of another user, or one others could write (`why` says which: `is a symbolic link`, `belongs to another user`). */
export class ForeignFileError extends Error {
  override name = `ForeignFileError`;
  constructor(readonly file: string, readonly why: string) { super(`${file} ${why}`); }
}

/** A folder awsmfa will not write in (a link, another user's, open to others): one line that says what to do. */
export class UnsafeFolderError extends Error {
  override name = `UnsafeFolderError`;
}

/**
 * The bytes of a file only this user can have written (this user's, not writable by others; checked on the open
 * file), undefined when absent; ForeignFileError saying why for any other (a link, a FIFO, a huge file; with `secret`,
 * one others can read, as ssh refuses a private key); the filesystem's error otherwise. Every read-back comes here.
 */
export function readPrivateFile(file: string, {secret = false} = {}): Buffer | undefined {
  // Windows has no O_NOFOLLOW: a link (or junction) is told apart by lstat first.
  const link = process.platform === `win32` ? windowsLink(file) : false;
  if (link !== false) {
    if (link === undefined)
      return undefined;
    throw new ForeignFileError(file, `is a symbolic link`);
  }
  let fd: number;
  try {
    // One open(2), its flags doing the checks: they cost the fast path nothing.
    fd = openSync(file, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === `ENOENT`)
      return undefined;
    if (code === `ELOOP`)
      throw new ForeignFileError(file, `is a symbolic link`);
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    const mode = `(mode ${(stat.mode & 0o777).toString(8).padStart(4, `0`)})`, mine = process.getuid === undefined || stat.uid === process.getuid();
    const why = !stat.isFile() ? `is not a regular file` : stat.size > MAX_PRIVATE_FILE ? `is larger than ${MAX_PRIVATE_FILE / 1024 / 1024} MiB` : !mine ? `belongs to another user`
      : process.getuid !== undefined && (stat.mode & (secret ? 0o077 : 0o022)) !== 0 ? `can be ${(stat.mode & 0o022) !== 0 ? `written` : `read`} by others ${mode}` : undefined;
    if (why !== undefined)
      throw new ForeignFileError(file, why);
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

/** `<file>.<pid>.<8 of [0-9a-z]>.tmp`: the one shape of awsmfa's temporary files, which the sweeps recognise. */
const TEMP_SUFFIX = /\.(\d{1,10})\.[0-9a-z]{8}\.tmp$/;

function tempName(file: string): string {
  return `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10).padEnd(8, `0`)}.tmp`;
}

/**
 * Writes atomically: a private temporary file (0600, or `mode`: a shell's rc file keeps its own) in the same folder,
 * flushed, given `owner` if one is named, then renamed over the old one (on Windows, once no other program holds it:
 * see renameOver). On any failure the temporary file is removed and the old file is untouched.
 * Callers in the cache go through writeOwnFile, which checks the folder first and sweeps stale temporary files.
 */
export function writePrivateFile(file: string, text: string | Uint8Array, beforeRename?: () => void, owner?: Owner, waitMs = RENAME_WAIT_MS, mode?: number): void {
  // O_EXCL refuses an existing name (a link included, which it never follows), so a clash between two writers, or
  // a name planted in advance, fails loudly instead of writing through it.
  const temp = tempName(file);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600);
  try {
    if (typeof text === `string`)
      writeSync(fd, text);
    else
      writeSync(fd, text);
    if (owner)
      fchownSync(fd, owner.uid, owner.gid);
    if (mode !== undefined)
      fchmodSync(fd, mode);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  try {
    beforeRename?.();
    renameOver(temp, file, waitMs);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}

/** The cache's root (``) and folders; the data folder's (data-folder.ts), which `clear` never opens. */
export type CacheFolderKind = `` | `v8` | `profiles` | `index` | `keys` | `shell` | `shell/completion`;

/** A code cache's name: its bundle, the bundle's variant (main.js's command), and the build (Node, arch, file stamp). */
const CODE_CACHE_NAME = /^(fast|main|sts|iam|age)(?:-[a-z][a-z-]{0,23})?-(v\d+\.\d+\.\d+-\w+-\d+-\d+-\d+)\.bin$/;

/**
 * The exact names of the files awsmfa keeps in each cache folder. Nothing else there is ever deleted (besides the
 * temporary files of these names), whatever else a sweep is told.
 */
export const OWN_NAMES: Readonly<Record<CacheFolderKind, RegExp>> = {
  // rotate-*.json(.lock): a key rotation (session/rotation.ts); console-*.html: a page for the browser; token-*.lock: a refresh of an AWS CLI token file (sources/token-file.ts); init.json: cache/init-record.ts
  '': /^(?:(?:session|device|rotate)-[0-9a-f]{16}\.json|rotate-[0-9a-f]{16}\.json\.lock|console-[0-9a-f]{16}\.html|token-[0-9a-f]{16}\.lock|init\.json)$/,
  v8: CODE_CACHE_NAME, // one per bundle of dist/ (main.js: per command), src/cache/code-cache.ts
  profiles: /^[A-Za-z0-9_.@+-]{1,128}\.(?:env|(?:config|credentials)\.\d{1,20}\.(?:lo|hi))$/, // and the stamps of src/cache/shell-files.ts
  index: /^[0-9a-f]{16}\.json$/,
  keys: /^keys\.age(?:\.lock)?$/, // and the lock of its read-modify-write (aws-files/update.ts's lock)
  shell: /^awsmfa(?:-[a-z]{1,16})?\.[a-z0-9]{2,4}$/,
  'shell/completion': /^awsmfa\.[a-z0-9]{2,4}$/,
};

/** A cache folder as openPrivateFolder checked it, with whose files in it awsmfa may delete. */
export interface PrivateFolder {
  readonly path: string;
  readonly kind: CacheFolderKind;
  readonly owners: readonly number[];
}

/** Where the cache is: its folder, and whether awsmfa named it (true) or the user did (AWSMFA_CACHE_DIR). */
export interface CacheLocation {
  readonly dir: string;
  readonly own: boolean;
}

/**
 * Whose folders and files this process may use: its own; and root running for a user (`sudo -E`) also that
 * user's, the owner of the folder the cache lives in (as it is given the folders root makes there), unless that
 * folder is open to everyone's writes (a shared /tmp folder is nobody's to trust).
 */
function ownersFor(root: string): number[] {
  const uid = process.getuid!();
  if (uid !== 0)
    return [uid];
  try {
    const parent = statSync(dirname(root));
    return parent.uid !== 0 && (parent.mode & 0o002) === 0 ? [0, parent.uid] : [0];
  } catch {
    return [0];
  }
}

/** Made now (0700), given to the folder's owner when root makes it in a user's folder: true; already there: false. */
function makeFolder(path: string, recursive: boolean): boolean {
  let created: string | undefined;
  try {
    created = recursive ? mkdirSync(path, {recursive: true, mode: 0o700}) : (mkdirSync(path, {mode: 0o700}), path);
  } catch (error) {
    // Something is there already (a dangling link included): the check that follows judges it.
    if ((error as NodeJS.ErrnoException).code === `EEXIST` || exists(path))
      return false;
    throw error;
  }
  if (created === undefined)
    return false;
  if (process.getuid?.() === 0) {
    const parent = statSync(dirname(created));
    // Not in a folder open to everyone (a shared /tmp folder): its owner is no user root is working for.
    if (parent.uid !== 0 && (parent.mode & 0o002) === 0) {
      // Every folder made, from the first one down.
      for (let at = path; at.length >= created.length; at = dirname(at))
        chownSync(at, parent.uid, parent.gid);
    }
  }
  return true;
}

/**
 * Checks one level on the open folder (no link followed, a real folder, owned by one of `owners`). A folder made
 * now gets 0700 whatever the umask did; one of awsmfa's own names loses what group and others had. A folder the
 * user named is never chmodded: one that others can write into is refused.
 */
function checkLevel(path: string, owners: readonly number[], ours: boolean, made: boolean): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (error) {
    // With O_DIRECTORY, Linux answers ENOTDIR for a link: lstat tells the two apart (only on this refusal).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === `ELOOP` || (code === `ENOTDIR` && lstatSync(path).isSymbolicLink()))
      throw new UnsafeFolderError(`${path} is a symbolic link, and awsmfa follows none in its cache: remove the link (or set AWSMFA_CACHE_DIR to a folder of yours)`);
    if (code === `ENOTDIR`)
      throw new UnsafeFolderError(`${path} is not a folder (ENOTDIR): remove it, or set AWSMFA_CACHE_DIR to a folder of yours`);
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!owners.includes(stat.uid))
      throw new UnsafeFolderError(`${path} belongs to another user (uid ${stat.uid}): set AWSMFA_CACHE_DIR to a folder of yours`);
    if (made && (stat.mode & 0o777) !== 0o700)
      fchmodSync(fd, 0o700);
    else if (ours && (stat.mode & 0o077) !== 0)
      fchmodSync(fd, stat.mode & 0o700);
    else if ((stat.mode & 0o022) !== 0)
      throw new UnsafeFolderError(`${path} can be written by other users (mode ${(stat.mode & 0o7777).toString(8).padStart(4, `0`)}): chmod 700 it, or set AWSMFA_CACHE_DIR to a folder of yours`);
  } finally {
    closeSync(fd);
  }
}

/**
 * The cache folder `kind` (the root itself for ``), checked level by level from the root down: made 0700 when
 * missing (with `create`), else undefined when missing; UnsafeFolderError for a level that is a link, not a folder,
 * another user's, or open to others' writes where awsmfa may not tighten it (the root AWSMFA_CACHE_DIR names).
 * Whatever lies above the root is the user's path and is followed as given.
 */
export function openPrivateFolder(given: CacheLocation, kind: CacheFolderKind, create: boolean): PrivateFolder | undefined {
  // Without a trailing slash (`link/` would make open(2) follow the link despite O_NOFOLLOW), and absolute.
  const location = {dir: resolve(given.dir), own: given.own};
  const path = kind === `` ? location.dir : join(location.dir, kind);
  // Each level from the root down (a kind of several levels is checked at each).
  const levels = [location.dir, ...(kind === `` ? [] : kind.split(`/`)).map((_, index, parts) => join(location.dir, ...parts.slice(0, index + 1)))];
  if (process.platform === `win32` || !process.getuid) {
    const fail = (problem: string) => new UnsafeFolderError(`${problem}: remove it, or set AWSMFA_CACHE_DIR to a folder of yours`);
    return openWindowsLevels(levels, create, fail) ? {path, kind, owners: []} : undefined;
  }
  let owners: number[] | undefined;
  for (const level of levels) {
    let made = false;
    if (create)
      made = makeFolder(level, level === location.dir);
    else if (!exists(level))
      return undefined;
    // Once the root's parents exist (root may just have made them for the user).
    owners ??= ownersFor(location.dir);
    checkLevel(level, owners, level !== location.dir || location.own, made);
  }
  return {path, kind, owners: owners!};
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === `ENOENT`)
      return false;
    throw error;
  }
}

/**
 * Writes `name` (one of the folder's own names) into a folder openPrivateFolder checked, after removing the stale
 * temporary files of that folder. Returns the file's path.
 */
export function writeOwnFile(folder: PrivateFolder, name: string, text: string | Uint8Array): string {
  if (!OWN_NAMES[folder.kind].test(name))
    throw new Error(`${name} is not a name awsmfa keeps in ${folder.path}`);
  removeOwnFiles(folder, /(?!)/, () => false);
  const file = join(folder.path, name);
  writePrivateFile(file, text);
  return file;
}

/** Whether a process of that pid runs (EPERM: it runs, as another user). Tells a live writer's temp or lock from a dead one's. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === `EPERM`;
  }
}

/**
 * A temporary file of awsmfa's (`<name>.<pid>.<rand>.tmp`, where `isName(name)`) whose writer is gone or which is
 * older than a minute: a regular file of one of `owners` (any owner when `owners` is empty, as on Windows).
 */
export function isStaleTemp(folder: string, name: string, isName: (final: string) => boolean, owners: readonly number[]): boolean {
  const match = TEMP_SUFFIX.exec(name);
  if (!match || !isName(name.slice(0, match.index)))
    return false;
  try {
    const stat = lstatSync(join(folder, name));
    return stat.isFile() && (owners.length === 0 || owners.includes(stat.uid)) && (!pidAlive(Number(match[1])) || Date.now() - stat.mtimeMs > STALE_TEMP_MS);
  } catch {
    return false;
  }
}

/**
 * Deletes the files of the folder whose names are its own (OWN_NAMES) and match `pattern`, and that `which` picks
 * (given the name and a reader of the bytes); and, every time, the stale temporary files of its own names. Only
 * regular files of the folder's owners go, never through a link; a file that cannot be read is left alone.
 * Returns how many picked files went.
 */
export function removeOwnFiles(folder: PrivateFolder | undefined, pattern: RegExp, which: (name: string, bytes: () => Buffer) => boolean): number {
  if (folder === undefined)
    return 0;
  let names: string[];
  try {
    names = readdirSync(folder.path);
  } catch {
    return 0;
  }
  const own = OWN_NAMES[folder.kind];
  let removed = 0;
  for (const name of names) {
    const file = join(folder.path, name);
    try {
      if (own.test(name) && pattern.test(name)) {
        if (removeIfPicked(file, folder.owners, bytes => which(name, bytes))) {
          removed++;
        }
      } else if (isStaleTemp(folder.path, name, final => own.test(final), folder.owners)) {
        unlinkSync(file);
      }
    } catch {}
  }
  return removed;
}

/** Unlinks `file` when it is a regular file of `owners` (checked on the open file, not through a link) that `which` picks. */
function removeIfPicked(file: string, owners: readonly number[], which: (bytes: () => Buffer) => boolean): boolean {
  const fd = openSync(file, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  let picked: boolean;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || (owners.length > 0 && !owners.includes(stat.uid)))
      return false;
    picked = which(() => {
      if (stat.size > MAX_PRIVATE_FILE)
        throw new ForeignFileError(file, `is larger than ${MAX_PRIVATE_FILE / 1024 / 1024} MiB`);
      return readFileSync(fd);
    });
  } finally {
    closeSync(fd);
  }
  if (picked)
    unlinkSync(file);
  return picked;
}

/**
 * Writes V8's code cache of a bundle (`file`, in the cache's v8/: src/cache/code-cache.ts) and removes those of the
 * same bundle's other builds or Node versions (`fast-*.bin` for fast.cjs; main.js's of every command), never
 * anything else in the folder. A v8/ or cache root awsmfa must not use (a link, another user's) means no code cache:
 * it only costs a compile. Called at exit, once the run has compiled what it uses; for fast.cjs by the loader
 * (src/bin/awsmfa.ts) through the program's exports, so that the loader, compiled on every start without a cache,
 * stays tiny.
 */
export function writeCodeCache(location: CacheLocation, file: string, data: Buffer): void {
  try {
    const folder = openPrivateFolder(location, `v8`, true)!;
    const name = basename(file);
    const [, bundle, build] = CODE_CACHE_NAME.exec(name)!;
    writeOwnFile(folder, name, data);
    removeOwnFiles(folder, new RegExp(`^${bundle}-`), other => CODE_CACHE_NAME.exec(other)?.[2] !== build);
  } catch {}
}

/**
 * The folder of a file of the user's (`~/.aws` for the credentials file), made 0700 when missing, given to the
 * owner of the folder it is made in when root makes it (`sudo -E`). It is the user's folder: never chmodded, its
 * links followed as the user set them.
 */
export function ensureUserFolder(dir: string): void {
  if (process.platform === `win32`) {
    mkdirSync(dir, {recursive: true});
    return;
  }
  makeFolder(dir, true);
}
