// The entry (dist/awsmfa.cjs): a loader that runs dist/fast.cjs with V8's code cache, so that every new terminal does
// not pay for compiling it again (about 2.5 ms of Node's ~25 ms start). The cache lives in awsmfa's cache folder
// (v8/), named after Node's version and the bundle's size, mtime and inode (V8 itself checks little more than the
// length), and is used only when it is a private file of this user, as the cached sessions are. Anything amiss
// (no cache, a rejected one, a read-only folder) only costs that compile. Kept tiny: it is compiled every time.
import {readFileSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {Script} from 'node:vm';
import {cacheLocationFor} from '../contract.js';
import {readPrivateFile, type CacheLocation, type writeCodeCache} from '../private-folder.js';

const bundle = join(__dirname, `fast.cjs`);
const env = process.env;

/** awsmfa's cache folder, by the contract's one rule (src/contract.ts), as every other part of awsmfa finds it. */
function cacheLocation(): CacheLocation {
  return cacheLocationFor(env, process.platform, homedir());
}

/** The code cache's file, in the cache folder's v8/. */
function cacheFile(location: CacheLocation): string {
  const stat = statSync(bundle);
  return join(location.dir, `v8`, `fast-${process.version}-${process.arch}-${stat.size}-${Math.floor(stat.mtimeMs)}-${stat.ino}.bin`);
}

let location: CacheLocation | undefined;
let file: string | undefined;
let cachedData: Buffer | undefined;
try {
  location = cacheLocation();
  file = cacheFile(location);
  cachedData = readPrivateFile(file);
} catch {}
const source = readFileSync(bundle, `utf8`);
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {filename: bundle, ...cachedData === undefined ? {} : {cachedData}});
// The program's exports: the writer of the code cache lives there (writeCodeCache, through the private-folder
// primitive), compiled from the cache, so that this file stays small.
const module_: {exports: {writeCodeCache?: typeof writeCodeCache}} = {exports: {}};
if (location !== undefined && file !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
  // At exit: the functions this run compiled are then in the cache too.
  const [where, target] = [location, file];
  process.once(`exit`, () => module_.exports.writeCodeCache?.(where, target, script.createCachedData()));
}
(script.runInThisContext() as (...args: unknown[]) => void)(module_.exports, require, module_, bundle, __dirname);
