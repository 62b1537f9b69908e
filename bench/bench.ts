/**
 * `npm run bench`: how long awsmfa takes to start where it matters. Median wall time of
 *   - `awsmfa env` answered from the cache (what every new terminal runs),
 *   - `awsmfa unset`,
 *   - a full `awsmfa env --code` against the loopback STS stand-in (loads the AWS SDK),
 *   - and, when /usr/bin/aws exists, `aws configure export-credentials --format env` for the same profile,
 * each against `node -e 0` started as often in the same run, interleaved so drift hits all alike; then the peak
 * memory of the cached path. A benchmark, not a test: it prints figures and checks nothing.
 */
import {spawn} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {BIN} from '../test/support/run.js';
import {makeSandbox} from '../test/support/sandbox.js';
import {StsServer} from '../test/support/sts-server.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const AWS = `/usr/bin/aws`;

const sts = await new StsServer({allowReuse: true}).start();
const sandbox = makeSandbox({endpoint: sts.url});

function timeOnce(command: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {env, stdio: [`ignore`, `pipe`, `pipe`]});
    child.stdout.resume();
    let stderr = ``;
    child.stderr.on(`data`, chunk => stderr += chunk);
    child.on(`error`, reject);
    child.on(`close`, code => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      code === 0 ? resolve(ms) : reject(new Error(`${command} ${args.join(` `)} failed (${code}): ${stderr}`));
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

try {
  const env = sandbox.env;
  // A session in the cache, as after the first `mfa` of the day.
  await timeOnce(process.execPath, [BIN, `env`, `--shell`, `bash`, `--code`, sts.code], env);

  const cases: Array<{name: string, command: string, args: string[]}> = [
    {name: `node -e 0 (baseline)`, command: process.execPath, args: [`-e`, `0`]},
    {name: `awsmfa env (cached session)`, command: process.execPath, args: [BIN, `env`, `--shell`, `bash`]},
    {name: `awsmfa env (cached, shell detected)`, command: process.execPath, args: [BIN, `env`]},
    {name: `awsmfa unset`, command: process.execPath, args: [BIN, `unset`, `--shell`, `bash`]},
    {name: `awsmfa env --code (STS stand-in)`, command: process.execPath, args: [BIN, `env`, `--shell`, `bash`, `--no-cache`, `--code`, sts.code]},
  ];
  if (existsSync(AWS))
    cases.push({name: `aws configure export-credentials`, command: AWS, args: [`configure`, `export-credentials`, `--format`, `env`]});

  const times = new Map(cases.map(entry => [entry.name, [] as number[]]));
  for (const entry of cases) // warm the file cache
    await timeOnce(entry.command, entry.args, env);
  for (let round = 0; round < ROUNDS; round++) {
    for (const entry of cases)
      times.get(entry.name)!.push(await timeOnce(entry.command, entry.args, env));
  }

  const baseline = median(times.get(cases[0]!.name)!);
  process.stdout.write(`${ROUNDS} interleaved runs each, median wall time, node ${process.version}, ${process.platform}\n\n`);
  process.stdout.write(`| what | median ms | vs node -e 0 |\n| --- | ---: | ---: |\n`);
  for (const entry of cases) {
    const value = median(times.get(entry.name)!);
    process.stdout.write(`| ${entry.name} | ${value.toFixed(1)} | ${(value / baseline).toFixed(2)}x |\n`);
  }

  // Peak memory, in separate runs: the preload that reads it must not weigh on the timings above.
  const rssFile = join(sandbox.home, `rss`);
  const preload = fileURLToPath(new URL(`./maxrss.cjs`, import.meta.url));
  const peak = async (args: string[]) => {
    rmSync(rssFile, {force: true});
    for (let run = 0; run < 10; run++)
      await timeOnce(process.execPath, [`--require`, preload, ...args], {...env, AWSMFA_BENCH_RSS_FILE: rssFile});
    return median(readFileSync(rssFile, `utf8`).trim().split(`\n`).map(Number)) / 1024;
  };
  process.stdout.write(`\npeak memory (median maxRSS of 10 runs): node -e 0 ${(await peak([`-e`, `0`])).toFixed(1)} MiB, cached awsmfa env ${(await peak([BIN, `env`, `--shell`, `bash`])).toFixed(1)} MiB, awsmfa env --code ${(await peak([BIN, `env`, `--shell`, `bash`, `--no-cache`, `--code`, sts.code])).toFixed(1)} MiB\n`);
  process.stdout.write(`targets: cached awsmfa env <= 1.3x node -e 0; its peak memory <= 60 MiB\n`);
} finally {
  await sts.close();
  sandbox.cleanup();
}
