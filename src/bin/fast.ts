import {fastPath} from '../cli/fast-path.js';
import {requireBundle} from './bundles.js';
import {cacheVariant} from '../cache/code-cache.js';

// For the loader (src/bin/awsmfa.ts), which calls it at exit after a code-cache miss: kept out of the uncached loader.
export {writeCodeCache} from '../private-folder.js';

// The program (dist/fast.cjs, compiled by the loader dist/awsmfa.cjs with V8's code cache). A cached `awsmfa env`
// is answered before the full CLI is even loaded; everything else goes to main, a bundle of its own (dist/main.js,
// CommonJS by dist/package.json) so that the fast path does not even parse it, compiled with its code cache too.
const argv = process.argv.slice(2);
fastPath(argv, process.env, process.ppid, process.platform).then(async done => {
  if (done)
    return;
  // Not import(), which would start Node's ESM loader (~15 ms). `main.js` is the bundle beside this one in dist/
  // (src/cli/main.ts), not a path in src/; its code cache is the command's own (each compiles its own functions).
  const cli = requireBundle(`main.js`, cacheVariant(argv[0]) ?? `other`) as typeof import('../cli/main.js');
  process.exitCode = await cli.main(argv, {
    env: process.env,
    // Never read: awsmfa asks the person on the controlling terminal (src/io/terminal.ts), and exec's command
    // inherits fd 0 itself. Left untouched, process.stdin is never made into a stream (some ms at every start);
    // main.js is built with process.stdin defined as undefined for the same reason (clipanion's default context).
    stdin: undefined as unknown as NodeJS.ReadStream,
    stdout: process.stderr,
    stderr: process.stderr,
    out: process.stdout,
    colorDepth: 1,
    now: () => new Date(),
    ppid: process.ppid,
    platform: process.platform,
    scriptPath: process.argv[1]!,
  });
  // A question cancelled by Ctrl+C (or another signal): its one line is out and the terminal put back, so awsmfa
  // now dies of that signal, as the shell running it expects of a command killed by Ctrl+C (a loop then stops).
  const signal = cli.cancelledBy;
  if (signal !== undefined && process.platform !== `win32`) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  // Once the answer is out, nothing may keep awsmfa running: a socket the SDK failed to close to a silent
  // endpoint would otherwise hold the process after its error was printed. (Unreferenced: a clean exit is not
  // delayed by it.)
  setTimeout(() => process.exit(), 1_000).unref();
});
