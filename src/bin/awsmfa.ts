// The entry (dist/awsmfa.cjs): a loader that runs dist/fast.cjs with V8's code cache (src/cache/code-cache.ts), so
// that every new terminal does not pay for compiling it again (about 2.5 ms of Node's ~25 ms start). Kept tiny: it
// is compiled every time.
import {join} from 'node:path';
import {compileBundle, runBundle} from '../cache/code-cache.js';
import type {writeCodeCache} from '../private-folder.js';

const compiled = compileBundle(join(__dirname, `fast.cjs`), process.env);
// The program's exports: the writer of the code cache lives there (writeCodeCache, through the private-folder
// primitive), compiled from the cache, so that this file stays small.
const module_: {exports: {writeCodeCache?: typeof writeCodeCache}} = {exports: {}};
const missed = compiled.missed;
if (missed !== undefined) {
  // At exit: the functions this run compiled are then in the cache too.
  process.once(`exit`, () => module_.exports.writeCodeCache?.(missed.location, missed.file, compiled.script.createCachedData()));
}
runBundle(compiled, module_, require);
