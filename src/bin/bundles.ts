import {join} from 'node:path';
import {compileBundle, runBundle} from '../cache/code-cache.js';
import {writeCodeCache} from '../private-folder.js';

/**
 * The libraries a request loads (the STS and IAM clients, age), each a bundle of its own (src/bundles/*.ts, built
 * to dist/NAME.cjs), loaded only when a request needs them: main.js asks for `../bundles/NAME.js` (its `import()`,
 * left out of main.js and made a `require` by the build), and gets the bundle, compiled with V8's code cache. One
 * file instead of dozens for Node's resolver, and no compile from source on every run. (Run from src/ by tsx, the
 * same `import()` loads the entry module and the packages themselves.)
 */
const LIBRARY = /^\.\.\/bundles\/(sts|iam|age)\.js$/;

/**
 * Runs `name`, a bundle of dist/ (beside this one), once, as a CommonJS module compiled with its code cache (of
 * `variant`: see src/cache/code-cache.ts), and answers its exports. Its `require` gives the libraries' bundles (above). It
 * is registered in require.cache as any module, so that what a run loaded can be listed (test/support/loaded-modules.cjs).
 * After a cache miss, the cache is written at exit, once the run has compiled what it uses.
 */
export function requireBundle(name: string, variant?: string): unknown {
  const path = join(__dirname, name);
  const known = require.cache[path];
  if (known !== undefined)
    return known.exports;
  const compiled = compileBundle(path, process.env, variant);
  // Required here, not at the top: node:module loads part of the ESM loader, which the fast path (a cached env,
  // which loads no bundle) must not pay for. This file is only ever run as CommonJS (dist/fast.cjs).
  const {createRequire, Module} = require(`node:module`) as typeof import('node:module');
  const module = new Module(path);
  module.filename = path;
  require.cache[path] = module;
  const requireHere = createRequire(path);
  const requireIn = Object.assign((id: string): unknown => {
    const library = LIBRARY.exec(id)?.[1];
    return library === undefined ? requireHere(id) : requireBundle(`${library}.cjs`);
  }, requireHere);
  try {
    runBundle(compiled, module, requireIn);
  } catch (error) {
    delete require.cache[path];
    throw error;
  }
  module.loaded = true;
  const missed = compiled.missed;
  if (missed !== undefined)
    process.once(`exit`, () => writeCodeCache(missed.location, missed.file, compiled.script.createCachedData()));
  return module.exports;
}
