import {readFileSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import {basename, dirname, join} from 'node:path';
import {Script} from 'node:vm';
import {cacheLocationFor} from '../contract.js';
import {readPrivateFile, type CacheLocation} from '../private-folder.js';

/**
 * V8's code cache for awsmfa's bundles in dist/ (fast.cjs, main.js, and the libraries a request loads: sts.cjs,
 * iam.cjs, age.cjs), so that a run does not compile them from source again (about 86 ms for main.js and the SDK).
 * Each bundle's cache lives in the cache folder's v8/, named after the bundle, Node's version and the bundle's size,
 * mtime and inode (V8 itself checks little more than the length), and is read only when it is a private file of
 * this user (readPrivateFile), as the cached sessions are; it is written through the private-folder primitive
 * (writeCodeCache). Anything amiss (no cache, a rejected one, a read-only folder) only costs the compile.
 */

/**
 * The code cache of bundle `path`, in the cache's v8/: `<bundle>[-<variant>]-<node>-<arch>-<size>-<mtime>-<inode>.bin`.
 * A variant is a cache of its own for the same bundle: V8 keeps in a cache the functions a run had compiled when it
 * was made, so main.js has one per command (a cache made by `init` would leave env's functions to compile).
 */
function cacheFile(location: CacheLocation, path: string, variant: string | undefined): string {
  const stat = statSync(path);
  const label = basename(path).replace(/\.c?js$/, ``) + (variant === undefined ? `` : `-${variant}`);
  return join(location.dir, `v8`, `${label}-${process.version}-${process.arch}-${stat.size}-${Math.floor(stat.mtimeMs)}-${stat.ino}.bin`);
}

/** A variant name as a cache's name may hold it (a command's first word, checked: it comes from the command line). */
export function cacheVariant(word: string | undefined): string | undefined {
  return word !== undefined && /^[a-z][a-z-]{0,23}$/.test(word) ? word : undefined;
}

export interface CompiledBundle {
  readonly path: string;
  readonly script: Script;
  /** Where to write the code cache once the run has compiled what it uses: set when there was none, or V8 refused it. */
  readonly missed: {readonly location: CacheLocation, readonly file: string} | undefined;
}

/** Bundle `path` (CommonJS) compiled with its code cache (of `variant`, see cacheFile) when there is a usable one. */
export function compileBundle(path: string, env: Readonly<Record<string, string | undefined>>, variant?: string): CompiledBundle {
  let location: CacheLocation | undefined;
  let file: string | undefined;
  let cachedData: Buffer | undefined;
  try {
    location = cacheLocationFor(env, process.platform, homedir());
    file = cacheFile(location, path, variant);
    cachedData = readPrivateFile(file);
  } catch {}
  const source = readFileSync(path, `utf8`);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {filename: path, ...cachedData === undefined ? {} : {cachedData}});
  const missed = location !== undefined && file !== undefined && (cachedData === undefined || script.cachedDataRejected === true) ? {location, file} : undefined;
  return {path, script, missed};
}

/** Runs a compiled bundle as the CommonJS module `module`, with `require` for what it requires; answers its exports. */
export function runBundle(compiled: CompiledBundle, module: {exports: unknown}, require: NodeJS.Require): unknown {
  (compiled.script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, compiled.path, dirname(compiled.path));
  return module.exports;
}
