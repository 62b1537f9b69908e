/**
 * `npm run bench`: how long awsmfa takes where it matters, each figure a median of interleaved runs against its own
 * baseline started as often in the same run (so drift hits all alike):
 *   - in each shell with an `mfa` file (bash, zsh, fish, tcsh, elvish), as the README's quick start leaves it
 *     (awsmfa init --install): a new shell with the rc line, the rc line and `mfa` from a cached session (no node),
 *     and the form that prints the integration at each start, against the bare shell running an empty script;
 *   - `awsmfa env` answered from the cache with 1 and with 10,000 profiles in ~/.aws, `awsmfa unset`, and a full
 *     `awsmfa env --code` against the loopback STS stand-in (loads the AWS SDK), against `node -e 0`, in a clean
 *     environment, and the cached env again in the environment the bench was started from;
 *   - the file store: a new session with the keys in keys.age (scrypt at N=2^18), against a node that only runs
 *     crypto.scryptSync at N=2^18 (Node's own, native scrypt);
 *   - `awsmfa profiles` with 10,000 profiles against the same with one;
 *   - when /usr/bin/aws exists, `aws configure export-credentials` for the same profile;
 * then the peak memory (maxRSS) of each. BENCH_ONLY=TEXT keeps the rows whose name holds TEXT (and their baselines). A benchmark, not a test: it prints figures and checks nothing.
 */
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {join} from 'node:path';
import {BIN, ROOT} from '../test/support/run.js';
import {awsmfaOnPath, makeSandbox, type Sandbox} from '../test/support/sandbox.js';
import {printVarsCommand, REAL_SHELLS} from '../test/support/shells.js';
import {ALICE, StsServer} from '../test/support/sts-server.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const AWS = `/usr/bin/aws`;

const sts = await new StsServer({allowReuse: true}).start();
const small = makeSandbox({endpoint: sts.url});
const large = makeSandbox({endpoint: sts.url});
// The keys in the encrypted file store, its passphrase in a private file (as automation gives it).
const filed = makeSandbox({endpoint: sts.url});
// A generated config of many accounts, as teams' tooling writes them (granted#172): 10,000 role profiles.
large.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n${Array.from({length: 10_000}, (_, index) =>
  `[profile acct-${index}]\nrole_arn = arn:aws:iam::${String(100000000000 + index)}:role/Deploy\nsource_profile = default\nregion = eu-west-1\n`).join(`\n`)}`);

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

const have = (command: string) => spawnSync(`sh`, [`-c`, `command -v ${command}`]).status === 0;

interface Case {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The case it is compared with (its own name for a baseline). */
  baseline: string;
}

try {
  // A session in each cache, as after the first `mfa` of the day, and a cached env that left the index and the
  // shells' profile file.
  for (const sandbox of [small, large]) {
    await timeOnce(process.execPath, [BIN, `env`, `--shell`, `bash`, `--code`, sts.code], sandbox.env);
    await timeOnce(process.execPath, [BIN, `env`, `--shell`, `bash`], sandbox.env);
  }
  const passphraseFile = join(filed.home, `passphrase`);
  writeFileSync(passphraseFile, `bench passphrase\n`, {mode: 0o600});
  const filedEnv = {...filed.env, AWSMFA_PASSPHRASE_FILE: passphraseFile};
  await timeOnce(process.execPath, [BIN, `keys`, `import`, `--to`, `file`], filedEnv);
  const env = small.env;
  const NODE = `node -e 0`;
  const cases: Case[] = [
    {name: NODE, command: process.execPath, args: [`-e`, `0`], env, baseline: NODE},
    {name: `awsmfa env (cached, 1 profile)`, command: process.execPath, args: [BIN, `env`, `--shell`, `bash`], env, baseline: NODE},
    {name: `awsmfa env (cached, 10,000 profiles)`, command: process.execPath, args: [BIN, `env`, `--shell`, `bash`], env: large.env, baseline: NODE},
    {name: `awsmfa env (cached, shell detected)`, command: process.execPath, args: [BIN, `env`], env, baseline: NODE},
    {name: `awsmfa credential-process (cached)`, command: process.execPath, args: [BIN, `credential-process`], env, baseline: NODE},
    {name: `awsmfa unset`, command: process.execPath, args: [BIN, `unset`, `--shell`, `bash`], env, baseline: NODE},
    {name: `awsmfa env --code (STS stand-in)`, command: process.execPath, args: [BIN, `env`, `--shell`, `bash`, `--no-cache`, `--code`, sts.code], env, baseline: NODE},
  ];
  const SCRYPT = `node: crypto.scryptSync N=2^18, r=8`;
  const PROFILES = `awsmfa profiles (1 profile)`;
  cases.push(
    {name: SCRYPT, command: process.execPath, args: [`-e`, `require('node:crypto').scryptSync('bench passphrase', 'salt', 32, {N: 2 ** 18, r: 8, p: 1, maxmem: 300 * 2 ** 20})`], env, baseline: SCRYPT},
    {name: `awsmfa env --code, keys in keys.age`, command: process.execPath, args: [BIN, `env`, `--shell`, `bash`, `--no-cache`, `--code`, sts.code], env: filedEnv, baseline: SCRYPT},
    {name: PROFILES, command: process.execPath, args: [BIN, `profiles`], env, baseline: PROFILES},
    {name: `awsmfa profiles (10,000 profiles)`, command: process.execPath, args: [BIN, `profiles`], env: large.env, baseline: PROFILES},
  );
  // The same in the environment npm run bench was started from (NODE_OPTIONS, NODE_EXTRA_CA_CERTS and the like
  // slow every node alike: here NODE_EXTRA_CA_CERTS alone adds ~35 ms), with the sandbox's HOME and cache.
  const inherited = {...process.env as Record<string, string>, HOME: small.home, XDG_CACHE_HOME: small.env.XDG_CACHE_HOME!, AWS_ENDPOINT_URL_STS: sts.url};
  const NODE_HERE = `node -e 0 (this environment)`;
  cases.push(
    {name: NODE_HERE, command: process.execPath, args: [`-e`, `0`], env: inherited, baseline: NODE_HERE},
    {name: `awsmfa env (cached, this environment)`, command: process.execPath, args: [BIN, `env`, `--shell`, `bash`], env: inherited, baseline: NODE_HERE},
  );
  if (existsSync(AWS))
    cases.push({name: `aws configure export-credentials`, command: AWS, args: [`configure`, `export-credentials`, `--format`, `env`], env, baseline: NODE});
  // Each shell with an mfa file (the dialect table's), as the README's quick start leaves it: awsmfa on PATH,
  // `awsmfa init --install`, and the rc line it added. A script file stands for the rc file: a bare one, the rc
  // line, the rc line and a cached `mfa` (its quick path: no node), and the form that prints the integration at
  // each start (`eval "$(awsmfa init bash)"`, node at every start).
  const shellEnv = awsmfaOnPath(small);
  const scripts = join(small.home, `bench-scripts`);
  mkdirSync(scripts, {recursive: true});
  const script = (name: string, text: string) => {
    const file = join(scripts, name);
    writeFileSync(file, `${text}\n`);
    return file;
  };
  const shells: Array<{shell: string, binary: string, args: readonly string[]}> = [];
  for (const real of REAL_SHELLS.filter(one => one.dialect.snippet?.rc?.file !== undefined && one.profile.rc !== undefined && have(one.name))) {
    const snippet = real.dialect.snippet!;
    const installed = spawnSync(process.execPath, [BIN, `init`, `--install`, real.dialect.name], {env: shellEnv, encoding: `utf8`});
    if (installed.status !== 0)
      throw new Error(`awsmfa init --install ${real.dialect.name}: ${installed.stderr}`);
    const copy = join(shellEnv.XDG_DATA_HOME!, `awsmfa`, `shell`, snippet.file);
    const line = snippet.rc!.line(copy);
    // Where an rc line's functions reach no script (elvish), the copy's text stands for it.
    const load = real.profile.rc!.interactive === undefined ? line : real.profile.load!(copy, readFileSync(copy, `utf8`));
    // Once, before timing: the rc line and mfa serve the cached session, and print its line.
    const checked = spawnSync(real.run.binary, [...real.run.args, script(`${real.name}-check`, `${load}\nmfa\n${printVarsCommand([`AWS_SESSION_TOKEN`])}`)], {env: shellEnv, encoding: `utf8`});
    if (checked.status !== 0 || !/cached session/.test(checked.stderr) || /"AWS_SESSION_TOKEN":null/.test(checked.stdout))
      throw new Error(`${real.name}: the rc line and mfa served no session: ${checked.stderr}`);
    const bareName = `${real.name} (bare)`;
    const run = (name: string, text: string) => ({command: real.run.binary, args: [...real.run.args, script(`${real.name}-${name}`, text)], env: shellEnv});
    shells.push({shell: real.name, binary: real.run.binary, args: real.run.args});
    cases.push(
      {name: bareName, ...run(`bare`, ``), baseline: bareName},
      {name: `${real.name}: new shell with the README's rc line (${line.replace(copy, `<copy>`)})`, ...run(`rc`, line), baseline: bareName},
      {name: `${real.name}: README's rc line + mfa (cached)`, ...run(`mfa`, `${load}\nmfa`), baseline: bareName},
      {name: `${real.name}: new shell with ${real.profile.rc!.printed} (node at each start)`, ...run(`printed`, real.profile.rc!.printed), baseline: bareName},
    );
  }

  // BENCH_ONLY=TEXT: only the rows whose name holds TEXT, with their baselines (BENCH_ONLY=profiles npm run bench).
  const only = process.env.BENCH_ONLY;
  if (only !== undefined) {
    const chosen = cases.filter(entry => entry.name.includes(only));
    cases.splice(0, cases.length, ...cases.filter(entry => chosen.some(row => row === entry || row.baseline === entry.name)));
  }
  const times = new Map(cases.map(entry => [entry.name, [] as number[]]));
  for (const entry of cases) // warm the file cache
    await timeOnce(entry.command, entry.args, entry.env);
  for (let round = 0; round < ROUNDS; round++) {
    for (const entry of cases)
      times.get(entry.name)!.push(await timeOnce(entry.command, entry.args, entry.env));
  }

  // Peak memory: each program's own VmHWM (Linux), read at its end: node through a preload, a shell with its read.
  const hwmFile = join(small.home, `hwm`);
  const preload = fileURLToPath(new URL(`./vmhwm.cjs`, import.meta.url));
  const peakMiB = async (entry: Case): Promise<number | undefined> => {
    if (!existsSync(`/proc/self/status`))
      return undefined;
    rmSync(hwmFile, {force: true});
    const shell = shells.find(item => item.binary === entry.command);
    let args: string[] | undefined;
    if (entry.command === process.execPath) {
      args = [`--require`, preload, ...entry.args];
    } else if (shell !== undefined) {
      // The shell's own peak, read by the shell at the end of the script (a copy of it with the read appended).
      const file = entry.args.at(-1)!;
      const read = {
        fish: `while read -l l; string match -q 'VmHWM*' -- $l; and echo $l >> ${hwmFile}; end < /proc/self/status; true`,
        tcsh: `grep VmHWM /proc/$$/status >> ${hwmFile}`,
        elvish: `str:split "\n" (slurp < /proc/self/status) | each {|l| if (str:has-prefix $l VmHWM) { echo $l >> ${hwmFile} } }`,
      }[shell.shell] ?? `while read -r l; do case $l in VmHWM*) echo "$l" >> ${hwmFile};; esac; done < /proc/self/status`;
      writeFileSync(`${file}-hwm`, `${shell.shell === `elvish` ? `use str\n` : ``}${readFileSync(file, `utf8`)}${read}\n`);
      args = [...entry.args.slice(0, -1), `${file}-hwm`];
    }
    if (args === undefined)
      return undefined;
    for (let run = 0; run < 5; run++)
      await timeOnce(entry.command, args, {...entry.env, AWSMFA_BENCH_HWM_FILE: hwmFile});
    return median(readFileSync(hwmFile, `utf8`).trim().split(`\n`).map(line => Number(/(\d+)/.exec(line)![1]))) / 1024;
  };

  process.stdout.write(`${ROUNDS} interleaved runs each, median wall time, node ${process.version}, ${process.platform}\n\n`);
  process.stdout.write(`| what | median ms | vs its baseline | peak memory |\n| --- | ---: | ---: | ---: |\n`);
  for (const entry of cases) {
    const value = median(times.get(entry.name)!);
    const base = median(times.get(entry.baseline)!);
    const memory = await peakMiB(entry);
    process.stdout.write(`| ${entry.name.replaceAll(`|`, `\\|`)} | ${value.toFixed(1)} | ${entry.baseline === entry.name ? `baseline` : `${(value / base).toFixed(2)}x ${entry.baseline}`} | ${memory === undefined ? `?` : `${memory.toFixed(1)} MiB`} |\n`);
  }
  process.stdout.write(`\ntargets: a new shell with the README's rc line, and that plus a cached mfa, <= 2x the bare shell (bash, zsh, fish; tcsh and elvish reported); cached awsmfa env <= 1.1x node -e 0, the same with 10,000 profiles within 1.25x of 1 profile, peak memory within 5 MiB of node -e 0; a new session (env --code) <= 3x node -e 0; a new session with keys.age <= the bare scrypt plus a new session's own cost; awsmfa profiles with 10,000 profiles <= 2x one\n`);
} finally {
  await sts.close();
  for (const sandbox of [small, large, filed] as Sandbox[])
    sandbox.cleanup();
}
