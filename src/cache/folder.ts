import {homedir} from 'node:os';
import {cacheLocationFor} from '../contract.js';
import type {Env} from '../env.js';
import {openPrivateFolder, removeOwnFiles, type CacheFolderKind, type CacheLocation, type PrivateFolder} from '../private-folder.js';

// awsmfa's cache folder: where it is, its folders opened by the one private-folder primitive, the one sweep of
// their files, and the hash that names them. What lives there has its own module (sessions, devices, the profile
// index, the shells' files).

/** `$AWSMFA_CACHE_DIR`, else the platform's cache folder (`$XDG_CACHE_HOME/awsmfa` on Linux). */
export function cacheDir(env: Env): CacheLocation {
  return cacheLocationFor(env, process.platform, homedir());
}

/**
 * A folder of the cache (the root for ``), checked for writing and deleting by the one private-folder primitive:
 * made when missing with `create`, else undefined when missing; UnsafeFolderError when awsmfa must not use it.
 */
export function cacheFolder(env: Env, kind: CacheFolderKind, create: boolean): PrivateFolder | undefined {
  return openPrivateFolder(cacheDir(env), kind, create);
}

/**
 * The cache folders as `clear` finds them: one line (UnsafeFolderError) for the first that awsmfa must not touch,
 * so that a clear never reports success over sessions it could not reach; and the stale temporary files of every
 * folder removed (a killed writer's may hold a whole session).
 */
export function checkCacheFolders(env: Env): void {
  for (const kind of [``, `profiles`, `index`, `v8`] as const)
    removeOwnFiles(cacheFolder(env, kind, false), /(?!)/, () => false);
}

/**
 * 64-bit FNV-1a, in hex. The file name only has to tell sessions apart (what is read back is checked against the
 * key anyway), and loading node:crypto would cost every new terminal a few milliseconds.
 */
export function fnv1a64(text: string): string {
  // In two 32-bit halves: BigInt arithmetic cost a new terminal most of a millisecond. The prime is 2^40 + 0x1b3,
  // so hash * prime = hash * 0x1b3 + (hash << 40); every intermediate stays below 2^53, exact in a double.
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (const byte of Buffer.from(text, `utf8`)) {
    low = (low ^ byte) >>> 0;
    const lowProduct = low * 0x1b3;
    const carry = Math.floor(lowProduct / 0x1_0000_0000);
    high = (high * 0x1b3 + (low * 256) % 0x1_0000_0000 + carry) % 0x1_0000_0000;
    low = lowProduct % 0x1_0000_0000;
  }
  return high.toString(16).padStart(8, `0`) + low.toString(16).padStart(8, `0`);
}

/**
 * Deletes the files of a cache folder whose names are awsmfa's own there and match `pattern`, and whose text `which`
 * picks (a file that cannot be read is left alone); returns how many. A folder awsmfa must not use (a link, another
 * user's) counts as empty: nothing is deleted through it. Stale temporary files go too. The one sweep of the cache
 * folders, for sessions, devices and profile files.
 */
export function removeMatching(folder: PrivateFolder | undefined | (() => PrivateFolder | undefined), pattern: RegExp, which: (text: string, name: string) => boolean): number {
  let checked: PrivateFolder | undefined;
  try {
    checked = typeof folder === `function` ? folder() : folder;
  } catch {
    return 0;
  }
  return removeOwnFiles(checked, pattern, (name, bytes) => which(bytes().toString(`utf8`), name));
}

/** The JSON of a cache file, or undefined when it is none. */
export const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
