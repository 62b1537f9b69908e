/**
 * Edges: whatever AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE name (a FIFO, a device, a folder, a huge file),
 * reading ends at once with one line naming the file, on every path (the fast path included); and the time budget
 * (--timeout, AWSMFA_TIMEOUT) bounds the whole command against a silent endpoint, start-up and retries included.
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {AWS_FILE_CAP, readRegularFile} from '../src/aws-files/files.js';
import {assertFailureOutput, assertFails, type RunResult} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ALICE} from './support/sts-server.js';
import {scaled} from './support/timing.js';

const {run, secrets} = useStandIn({}, {timeoutMs: 15_000});

/** Each run is killed at 15 s: a hang shows as a failed test, not a stuck suite. */

async function timed(promise: Promise<RunResult>): Promise<RunResult & {ms: number}> {
  const started = Date.now();
  const result = await promise;
  return {...result, ms: Date.now() - started};
}

function mkfifo(path: string): string {
  const made = spawnSync(`mkfifo`, [path]);
  assert.equal(made.status, 0, String(made.stderr));
  return path;
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, `\\$&`);
const notRegular = (path: string, kind: string) => new RegExp(`^awsmfa: ${escaped(path)} is not a regular file \\(it is ${kind}\\); check AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE\\n$`);

describe(`readRegularFile: regular files only, at most the cap, never a wait`, () => {
  test(`a regular file's bytes; undefined when absent or under a file`, () => {
    const file = join(sandbox.home, `plain`);
    writeFileSync(file, `[default]\nregion = eu-west-1\n`);
    assert.equal(readRegularFile(file)?.toString(`utf8`), `[default]\nregion = eu-west-1\n`);
    writeFileSync(file, ``);
    assert.equal(readRegularFile(file)?.length, 0);
    assert.equal(readRegularFile(join(sandbox.home, `absent`)), undefined);
    assert.equal(readRegularFile(join(file, `under-a-file`)), undefined);
  });

  test(`a FIFO without a writer, a device, a folder, a link to a FIFO: refused at once, naming what it is`, () => {
    const fifo = mkfifo(join(sandbox.home, `fifo`));
    const link = join(sandbox.home, `link-to-fifo`);
    symlinkSync(fifo, link);
    const started = Date.now();
    assert.throws(() => readRegularFile(fifo), {name: `ConfigError`, message: `${fifo} is not a regular file (it is a FIFO); check AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE`});
    assert.throws(() => readRegularFile(link), {message: `${link} is not a regular file (it is a FIFO); check AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE`});
    assert.throws(() => readRegularFile(`/dev/zero`), {message: /^\/dev\/zero is not a regular file \(it is a character device\)/});
    assert.throws(() => readRegularFile(sandbox.home), {message: /is not a regular file \(it is a folder\)/});
    assert.throws(() => readRegularFile(fifo, {hint: `delete it`}), {message: /\(it is a FIFO\); delete it$/});
    assert.ok(Date.now() - started < scaled(1_000, 10_000), `no wait`);
  });

  test(`the cap: a file of cap bytes is read, one byte more is refused (fstat's size, and a file that does not know its size)`, () => {
    const file = join(sandbox.home, `sized`);
    writeFileSync(file, `x`.repeat(100));
    assert.equal(readRegularFile(file, {cap: 100})?.length, 100);
    writeFileSync(file, `x`.repeat(101));
    assert.throws(() => readRegularFile(file, {cap: 100}), {name: `ConfigError`, message: /^.*sized is larger than 100 bytes, far more than any AWS file holds; check AWS_CONFIG_FILE/});
    assert.equal(AWS_FILE_CAP, 16 * 1024 * 1024);
    // /proc files say size 0 and hold more: read to their end, within the cap.
    const status = readRegularFile(`/proc/self/status`);
    assert.match(status!.toString(`utf8`), /^Name:/);
    assert.throws(() => readRegularFile(`/proc/self/status`, {cap: 64}), {message: /is larger than/});
  });
});

describe(`AWS files that are not regular files: one line naming the file, exit 2, in well under a second's wait`, () => {
  const commands: Array<{name: string, args: () => string[]}> = [
    {name: `env (the fast path first)`, args: () => [`env`, `--shell`, `bash`]},
    {name: `env with a code`, args: () => [`env`, `--shell`, `bash`, sts.code]},
    {name: `credential-process`, args: () => [`credential-process`]},
    {name: `whoami`, args: () => [`whoami`]},
    {name: `profiles`, args: () => [`profiles`]},
    {name: `login`, args: () => [`login`, `-u`, `sess`, sts.code]},
    {name: `logout`, args: () => [`logout`, `-u`, `sess`]},
    {name: `console`, args: () => [`console`, `--print`, `--federation-token`]},
    {name: `rotate`, args: () => [`rotate`, sts.code]},
  ];
  for (const variable of [`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`]) {
    for (const {name, args} of commands) {
      test(`${variable} names a FIFO: ${name}`, async () => {
        const fifo = mkfifo(join(sandbox.home, `aws-fifo`));
        const result = await timed(run(args(), {[variable]: fifo}));
        assertFails(result, 2, notRegular(fifo, `a FIFO`), secrets());
        assert.ok(result.ms < scaled(5_000, 12_000), `took ${result.ms} ms`);
        assert.equal(sts.requests.length, 0, `nothing asked of AWS`);
      });
    }
  }

  test(`/dev/zero ends at once, without growing (it would fill memory at 400 MB/s)`, async () => {
    const result = await timed(run([`env`, `--shell`, `bash`], {AWS_CONFIG_FILE: `/dev/zero`}));
    assertFails(result, 2, notRegular(`/dev/zero`, `a character device`));
    assert.ok(result.ms < scaled(5_000, 12_000), `took ${result.ms} ms`);
  });

  test(`a folder, and a link to a FIFO (the check is on what the open file is)`, async () => {
    assertFails(await run([`env`, `--shell`, `bash`], {AWS_SHARED_CREDENTIALS_FILE: sandbox.awsDir}), 2, notRegular(sandbox.awsDir, `a folder`));
    const fifo = mkfifo(join(sandbox.home, `real-fifo`));
    const link = join(sandbox.home, `config-link`);
    symlinkSync(fifo, link);
    assertFails(await run([`env`, `--shell`, `bash`], {AWS_CONFIG_FILE: link}), 2, notRegular(link, `a FIFO`));
  });

  test(`the cached fast path: a config replaced by a FIFO after the index was made goes to the full CLI, which says so`, async () => {
    assert.equal((await run([`env`, `--shell`, `bash`, sts.code])).exitCode, 0);
    const cached = await run([`env`, `--shell`, `bash`]);
    assert.equal(cached.exitCode, 0, cached.stderr);
    assert.match(cached.stdout, /AWS_SESSION_TOKEN/);
    assert.ok(readdirSync(join(sandbox.cacheDir, `awsmfa`, `index`)).length > 0, `the fast path indexed the profile`);
    const config = join(sandbox.awsDir, `config`);
    spawnSync(`rm`, [config]);
    mkfifo(config);
    const result = await timed(run([`env`, `--shell`, `bash`]));
    assertFails(result, 2, notRegular(config, `a FIFO`), secrets());
    assert.ok(result.ms < scaled(5_000, 12_000), `took ${result.ms} ms`);
  });

  test(`a FIFO that has a writer is refused all the same (never read)`, async () => {
    const fifo = mkfifo(join(sandbox.home, `fed-fifo`));
    // A writer that would feed a valid config: it waits in open() until a reader comes.
    const writer = spawn(`sh`, [`-c`, `printf '[default]\\nregion = eu-west-1\\n' > '${fifo}'`], {stdio: `ignore`});
    try {
      assertFails(await run([`env`, `--shell`, `bash`], {AWS_CONFIG_FILE: fifo}), 2, notRegular(fifo, `a FIFO`));
    } finally {
      writer.kill(`SIGKILL`);
    }
  });
});

describe(`the size cap: 16 MiB`, () => {
  test(`a larger config is refused in one line, before anything is parsed`, async () => {
    const config = join(sandbox.awsDir, `config`);
    writeFileSync(config, `[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n`);
    truncateSync(config, AWS_FILE_CAP + 1);
    const result = await timed(run([`env`, `--shell`, `bash`, sts.code]));
    assertFails(result, 2, new RegExp(`^awsmfa: ${escaped(config)} is larger than 16 MiB, far more than any AWS file holds; check AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE\\n$`));
    assert.ok(result.ms < scaled(5_000, 12_000), `took ${result.ms} ms`);
    assert.equal(sts.requests.length, 0);
  });
});

describe(`login and logout read the files they edit as every read does`, () => {
  test(`a FIFO planted as the credentials file's lock: one line naming the lock, no code spent, no wait`, async () => {
    const lock = mkfifo(join(sandbox.awsDir, `credentials.lock`));
    const result = await timed(run([`login`, `-u`, `sess`, sts.code]));
    assertFails(result, 2, new RegExp(`^awsmfa: ${escaped(lock)} is not a regular file \\(it is a FIFO\\); delete it if nothing is editing the file\\n$`), secrets());
    assert.ok(result.ms < scaled(5_000, 12_000), `took ${result.ms} ms`);
    assert.equal(sts.requests.length, 0, `no code spent`);
    assert.doesNotMatch(readFileSync(join(sandbox.awsDir, `credentials`), `utf8`), /\[sess\]/);
  });

  test(`a credentials file that is a link to a FIFO: login says so before a code is spent`, async () => {
    const fifo = mkfifo(join(sandbox.home, `creds-fifo`));
    const link = join(sandbox.home, `creds-link`);
    symlinkSync(fifo, link);
    const result = await run([`login`, `-u`, `sess`, sts.code], {AWS_SHARED_CREDENTIALS_FILE: link, AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey});
    assertFails(result, 2, notRegular(link, `a FIFO`), secrets());
    assert.equal(sts.requests.length, 0);
  });
});

describe(`the time budget is a promise: a silent endpoint ends the whole command within it`, () => {
  // A start-up allowance: the budget counts from the process's start, and the test's clock from the spawn. Scaled by
  // the load, below the 15 s at which a run (a budget ignored) is killed.
  const allowanceMs = () => scaled(800, 8_000);
  const cases: Array<{name: string, args: () => string[], env?: Record<string, string>, budgetMs: number, message: RegExp}> = [
    {name: `env --timeout 2`, args: () => [`env`, `--shell`, `bash`, `--timeout`, `2`, sts.code], budgetMs: 2_000,
      message: /^awsmfa: no answer from STS at http:\/\/127\.0\.0\.1:\d+ within 2 s; check your network and proxy, or AWS_ENDPOINT_URL_STS, which chose that endpoint \(--timeout gives it longer\)\n$/},
    {name: `env, AWSMFA_TIMEOUT=1s`, args: () => [`env`, `--shell`, `bash`, sts.code], env: {AWSMFA_TIMEOUT: `1s`}, budgetMs: 1_000, message: /^awsmfa: no answer from STS at .* within 1 s;/},
    {name: `whoami --timeout 2`, args: () => [`whoami`, `--timeout`, `2`], budgetMs: 2_000, message: /^awsmfa: no answer from STS at http:\/\/127\.0\.0\.1:\d+ within 2 s; check your network and proxy, or AWS_ENDPOINT_URL_STS, which chose that endpoint\n$/},
    {name: `whoami, AWSMFA_TIMEOUT=1s`, args: () => [`whoami`], env: {AWSMFA_TIMEOUT: `1s`}, budgetMs: 1_000, message: /^awsmfa: no answer from STS at .* within 1 s;/},
    {name: `devices --timeout 2 (IAM at the stand-in)`, args: () => [`devices`, `--timeout`, `2`], budgetMs: 2_000, message: /^awsmfa: no answer from IAM at http:\/\/127\.0\.0\.1:\d+ within 2 s; check your network and proxy, or AWS_ENDPOINT_URL_IAM, which chose that endpoint\n$/},
    {name: `devices, AWSMFA_TIMEOUT=1s`, args: () => [`devices`], env: {AWSMFA_TIMEOUT: `1s`}, budgetMs: 1_000, message: /^awsmfa: no answer from IAM at .* within 1 s;/},
  ];
  for (const {name, args, env = {}, budgetMs, message} of cases) {
    test(name, async () => {
      sts.broken = `silent`;
      const result = await timed(run(args(), env));
      assertFails(result, 1, message, secrets());
      assert.ok(result.ms < budgetMs + allowanceMs(), `took ${result.ms} ms for a budget of ${budgetMs} ms`);
    });
  }

  test(`every call of one command shares the one budget: IAM's slow answer leaves STS only the rest`, async () => {
    // No mfa_serial: env asks IAM for the device, then STS for the session; each answers after 2.5 s. Given a
    // fresh budget each (as before), the command succeeded after 5.5 s; sharing 5 s, it cannot.
    sandbox.writeConfig(`[default]\nregion = eu-west-1\n`);
    sts.delayMs = 2_500;
    const result = await timed(run([`env`, `--shell`, `bash`, `--timeout`, `5`, sts.code]));
    assert.equal(result.exitCode, 1, result.stderr);
    assertFailureOutput(result);
    assert.match(result.stderr.trimEnd().split(`\n`).at(-1)!, /^awsmfa: (no answer from STS at http:\/\/127\.0\.0\.1:\d+ within 5 s|.*but no answer from IAM at .* within 5 s);/);
    assert.ok(result.ms < 5_000 + allowanceMs(), `took ${result.ms} ms for a budget of 5000 ms`);
  });

  test(`an answer well within the budget is taken, and the command does not linger after it`, async () => {
    // A budget far longer than the run is allowed: a command that lingered until it ran out would be killed at 15 s.
    sts.delayMs = 300;
    const result = await timed(run([`whoami`, `--timeout`, `30`]));
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /arn: arn:aws:iam::123456789012:user\/alice/);
    assert.ok(result.ms < scaled(3_000, 12_000), `took ${result.ms} ms`);
  });
});
