import {main} from './main.js';

// The entry of the bundle (dist/awsmfa.cjs): the real process, wired into awsmfa's context.
main(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stderr,
  stderr: process.stderr,
  out: process.stdout,
  colorDepth: 1,
  now: () => new Date(),
  ppid: process.ppid,
  platform: process.platform,
}).then(code => {
  process.exitCode = code;
});
