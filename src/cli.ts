// The entry (dist/awsmfa.cjs): a loader that runs dist/fast.cjs with V8's code cache, so that every new terminal does
// not pay for compiling it again (about 2.5 ms of Node's ~25 ms start). The cache lives in awsmfa's cache folder
// (v8/), named after Node's version and the bundle's size, mtime and inode (V8 itself checks little more than the
// length), and is used only when it is a private file of this user, as the cached sessions are. Anything amiss
// (no cache, a rejected one, a read-only folder) only costs that compile. Kept tiny: it is compiled every time.
import {readdirSync, readFileSync, statSync, unlinkSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import {Script} from 'node:vm';
import {ensurePrivateDir, readPrivateFile, writePrivateFile} from './private-file.js';

const bundle = join(__dirname, `fast.cjs`);
const env = process.env;

/** awsmfa's cache folder as env-paths names it (see session/cache.ts), and the code cache's file in it. */
function cacheFile(): string {
  const stat = statSync(bundle);
  const base = env.AWSMFA_CACHE_DIR || (process.platform === `darwin` ? join(homedir(), `Library`, `Caches`, `awsmfa`)
    : process.platform === `win32` ? join(env.LOCALAPPDATA || join(homedir(), `AppData`, `Local`), `awsmfa`, `Cache`)
      : join(env.XDG_CACHE_HOME || join(homedir(), `.cache`), `awsmfa`));
  return join(base, `v8`, `fast-${process.version}-${process.arch}-${stat.size}-${Math.floor(stat.mtimeMs)}-${stat.ino}.bin`);
}

/** Writes the new cache privately and atomically, and removes those of earlier bundles. */
function writeCache(file: string, data: Buffer): void {
  try {
    ensurePrivateDir(dirname(file), true);
    writePrivateFile(file, data);
    for (const name of readdirSync(dirname(file))) {
      if (join(dirname(file), name) !== file)
        unlinkSync(join(dirname(file), name));
    }
  } catch {}
}

let file: string | undefined;
let cachedData: Buffer | undefined;
try {
  file = cacheFile();
  cachedData = readPrivateFile(file);
} catch {}
const source = readFileSync(bundle, `utf8`);
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {filename: bundle, ...cachedData === undefined ? {} : {cachedData}});
if (file !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
  // At exit: the functions this run compiled are then in the cache too.
  const target = file;
  process.once(`exit`, () => writeCache(target, script.createCachedData()));
}
const module_ = {exports: {}};
(script.runInThisContext() as (...args: unknown[]) => void)(module_.exports, require, module_, bundle, __dirname);
