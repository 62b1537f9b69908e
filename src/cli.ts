import {cachedEnvFastPath} from './fast.js';

// The entry of the bundle (dist/awsmfa.cjs). A cached `awsmfa env` is answered before the full CLI is even
// loaded; everything else goes to main, wired into awsmfa's context.
const argv = process.argv.slice(2);
cachedEnvFastPath(argv, process.env, process.ppid, process.platform).then(async done => {
  if (done)
    return;
  const {main} = await import(`./main.js`);
  process.exitCode = await main(argv, {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stderr,
    stderr: process.stderr,
    out: process.stdout,
    colorDepth: 1,
    now: () => new Date(),
    ppid: process.ppid,
    platform: process.platform,
    scriptPath: process.argv[1]!,
  });
});
