/** The session cache: reuse, --force, --no-cache, the expiry margin, corrupt files, modes, status, --forget. */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeEach, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {fnv1a64} from '../src/cache/folder.js';
import {cachedCredentials, sessionFile, sessionKey, writeSession, type CachedSession} from '../src/cache/sessions.js';
import type {SessionRequest} from '../src/request.js';
import {assertFailureOutput, BIN, runAwsmfa, type RunResult} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ALICE} from './support/sts-server.js';

const {run} = useStandIn({allowReuse: true});
let cache: string;
beforeEach(() => {
  cache = join(sandbox.cacheDir, `awsmfa`);
});

/** The cached sessions (the folder also holds the shells' profile files and the index, in folders of their own). */
const sessionFiles = () => existsSync(cache) ? readdirSync(cache).filter(name => name.startsWith(`session-`) || name.endsWith(`.tmp`)) : [];
/** What the default profile's plain session is asked with: STS's default duration. */
const ALICE_ASKED = `duration 43200s`;
const aliceFile = () => sessionFile(cache, {sourceAccessKeyId: ALICE.accessKeyId, serialNumber: ALICE.serialNumber, asked: ALICE_ASKED});
const keyIdOf = (result: RunResult) => /AWS_ACCESS_KEY_ID='([^']+)'/.exec(result.stdout)?.[1];

/** A cache miss without a code ends at the prompt, which with no terminal is this error. */
function assertAsksForCode(result: RunResult) {
  assertFailureOutput(result);
  assert.equal(result.exitCode, 2, result.stderr);
  assert.match(result.stderr, /no MFA code given and no terminal to ask on/);
}

describe(`reuse`, () => {
  test(`a new terminal reuses the session without a code; STS sees one request`, async () => {
    const first = await run([`env`, `--shell`, `bash`, sts.code]);
    assert.equal(first.exitCode, 0, first.stderr);
    const second = await run([`env`, `--shell`, `bash`]);
    assert.equal(second.exitCode, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    // It says what it served, in one line: the profile and the time left (the fast path: no --verbose, no SDK).
    assert.match(second.stderr, /^awsmfa: cached session of profile 'default', valid for 1[12]h \d+m, until [0-9:-]+( [0-9:]+)? local \(--force asks STS for a new one\)\n$/);
    // Off with --quiet or AWSMFA_QUIET=1, on both paths; stdout the same.
    for (const quiet of [[`env`, `--shell`, `bash`, `--quiet`], [`env`, `-q`, `--shell`, `bash`, `--verbose`]]) {
      const result = await run(quiet);
      assert.equal(result.stdout, first.stdout);
      assert.doesNotMatch(result.stderr, /cached session of profile/, quiet.join(` `));
    }
    const quietEnv = await run([`env`, `--shell`, `bash`], {AWSMFA_QUIET: `1`});
    assert.deepEqual([quietEnv.stdout, quietEnv.stderr], [first.stdout, ``]);
    const verbose = await run([`env`, `--shell`, `bash`, `--verbose`]);
    assert.match(verbose.stderr, /awsmfa: cached session of profile 'default', valid for/, `the full CLI says it too`);
    assert.equal(sts.sessionRequests.length, 1);
    // The same answer through the full CLI (--verbose skips the fast path), in another dialect.
    const slow = await run([`env`, `--shell`, `fish`, `--verbose`]);
    const fast = await run([`env`, `--shell`, `fish`]);
    assert.equal(slow.stdout, fast.stdout);
    assert.match(slow.stderr, /using the cached session ASIA/);
    assert.equal(sts.sessionRequests.length, 1);
  });

  test(`the cached path loads neither the AWS SDK nor anything from node_modules`, async () => {
    await run([`env`, sts.code]);
    const modulesFile = join(sandbox.home, `modules`);
    const preload = fileURLToPath(new URL(`./support/loaded-modules.cjs`, import.meta.url));
    const result = await runAwsmfa([`env`], {...sandbox.env, NODE_OPTIONS: `--require ${preload}`, AWSMFA_TEST_MODULES_FILE: modulesFile});
    assert.equal(result.exitCode, 0, result.stderr);
    const loaded = readFileSync(modulesFile, `utf8`);
    assert.doesNotMatch(loaded, /node_modules/, loaded);
    assert.match(loaded, /dist\/awsmfa\.cjs/);
    assert.doesNotMatch(loaded, /dist\/main\.js/, `nor the full CLI`);

    // credential-process takes the same path: it runs at every SDK client's start.
    const process = await runAwsmfa([`credential-process`], {...sandbox.env, NODE_OPTIONS: `--require ${preload}`, AWSMFA_TEST_MODULES_FILE: modulesFile});
    assert.equal(process.exitCode, 0, process.stderr);
    assert.doesNotMatch(readFileSync(modulesFile, `utf8`), /dist\/main\.js|node_modules/, `credential-process from the cache loads neither`);

    // ... while a request does load the SDK (so the check above can fail): the STS client's bundle, and no more of
    // node_modules than it needs (nothing: the bundle holds the SDK).
    await runAwsmfa([`env`, sts.code], {...sandbox.env, NODE_OPTIONS: `--require ${preload}`, AWSMFA_TEST_MODULES_FILE: modulesFile});
    const request = readFileSync(modulesFile, `utf8`);
    assert.match(request, /dist\/sts\.cjs/);
    assert.doesNotMatch(request, /node_modules|dist\/iam\.cjs|dist\/age\.cjs/, request);
    // The full CLI without a request loads none of the libraries' bundles.
    const status = await runAwsmfa([`status`], {...sandbox.env, NODE_OPTIONS: `--require ${preload}`, AWSMFA_TEST_MODULES_FILE: modulesFile});
    assert.equal(status.exitCode, 0, status.stderr);
    const byStatus = readFileSync(modulesFile, `utf8`);
    assert.match(byStatus, /dist\/main\.js/);
    assert.doesNotMatch(byStatus, /dist\/(?:sts|iam|age)\.cjs|@aws-sdk/, byStatus);
  });

  test(`a code given always asks STS and replaces the cached session`, async () => {
    const first = await run([`env`, sts.code]);
    const second = await run([`env`, sts.code]);
    assert.equal(sts.sessionRequests.length, 2);
    assert.notEqual(keyIdOf(second), keyIdOf(first));
    assert.equal(keyIdOf(await run([`env`])), keyIdOf(second));
  });

  test(`--force ignores the cache, and so needs a code`, async () => {
    await run([`env`, sts.code]);
    assertAsksForCode(await run([`env`, `--force`]));
    const forced = await run([`env`, `--force`, sts.code]);
    assert.equal(forced.exitCode, 0);
    assert.equal(sts.sessionRequests.length, 2);
  });

  test(`--no-cache neither reads nor writes the cache`, async () => {
    const result = await run([`env`, `--no-cache`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(sessionFiles(), []);
    await run([`env`, sts.code]);
    assertAsksForCode(await run([`env`, `--no-cache`]));
  });

  test(`AWSMFA_CACHE_DIR moves the cache`, async () => {
    const dir = join(sandbox.home, `elsewhere`);
    await run([`env`, sts.code], {AWSMFA_CACHE_DIR: dir});
    assert.equal(readdirSync(dir).filter(name => name.startsWith(`session-`)).length, 1);
    assert.deepEqual(sessionFiles(), []);
    assert.equal((await run([`env`], {AWSMFA_CACHE_DIR: dir})).exitCode, 0);
  });

  test(`sessions are kept per source key and device: another profile's keys do not see it`, async () => {
    const bob = {accessKeyId: `AKIABOBEXAMPLE000002`, secretAccessKey: `bob-secret`, serialNumber: `arn:aws:iam::123456789012:mfa/bob`};
    sts.users.push(bob);
    sandbox.writeCredentials(`[default]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n[bob]\naws_access_key_id = ${bob.accessKeyId}\naws_secret_access_key = ${bob.secretAccessKey}\n`);
    sandbox.writeConfig(`[default]\nmfa_serial = ${ALICE.serialNumber}\n[profile bob]\nmfa_serial = ${bob.serialNumber}\n`);
    await run([`env`, sts.code]);
    assertAsksForCode(await run([`env`, `--profile`, `bob`]));
    assert.equal((await run([`env`, `--profile`, `bob`, sts.code])).exitCode, 0);
    assert.equal(sessionFiles().length, 2);
    sts.users.pop();
  });
});

describe(`the expiry margin`, () => {
  test(`a session with less than the margin left is not reused; --min-remaining changes the margin`, async () => {
    sts.nextCredentials = {expiration: new Date(Date.now() + 4 * 60_000)};
    await run([`env`, sts.code]);
    assertAsksForCode(await run([`env`]));
    assert.equal((await run([`env`, `--min-remaining`, `3m`])).exitCode, 0);
    assert.equal((await run([`env`, `--min-remaining`, `120s`])).exitCode, 0);
    assertAsksForCode(await run([`env`, `--min-remaining`, `1h`]));
  });

  test(`with an injected clock: used while more than the margin is left, not after`, () => {
    const dir = join(sandbox.home, `clock`);
    const request = {profile: `default`, source: {accessKeyId: ALICE.accessKeyId, secretAccessKey: `x`, origin: `test`}, serialNumber: ALICE.serialNumber, roles: []} as unknown as SessionRequest;
    const session: CachedSession = {
      version: 1, profile: `default`, sourceAccessKeyId: ALICE.accessKeyId, serialNumber: ALICE.serialNumber, asked: ALICE_ASKED, createdAt: `2026-01-01T00:00:00Z`,
      credentials: {accessKeyId: `ASIACLOCKEXAMPLE0001`, secretAccessKey: `s`, sessionToken: `t`, expiration: `2026-01-01T12:00:00Z`},
    };
    writeSession({dir, own: true}, session);
    const at = (iso: string) => cachedCredentials(sessionKey(request), 5 * 60_000, {AWSMFA_CACHE_DIR: dir}, new Date(iso));
    assert.equal(at(`2026-01-01T11:54:59Z`)?.accessKeyId, `ASIACLOCKEXAMPLE0001`);
    assert.equal(at(`2026-01-01T11:55:00Z`), undefined, `exactly the margin left is not enough`);
    assert.equal(at(`2026-01-01T13:00:00Z`), undefined);
  });
});

describe(`corrupt, truncated and foreign cache files are ignored, then replaced`, () => {
  const valid = () => JSON.stringify({
    version: 1, profile: `default`, sourceAccessKeyId: ALICE.accessKeyId, serialNumber: ALICE.serialNumber, asked: ALICE_ASKED, createdAt: new Date().toISOString(),
    credentials: {accessKeyId: `ASIACACHEDEXAMPLE001`, secretAccessKey: `s`, sessionToken: `t`, expiration: new Date(Date.now() + 3600_000).toISOString()},
  });
  const cases: Record<string, () => string> = {
    'empty': () => ``,
    'not JSON': () => `this is not json`,
    'truncated': () => valid().slice(0, 60),
    'binary garbage': () => `\u0000\u00ff\u0001{`,
    'JSON null': () => `null`,
    'an array': () => `[1, 2]`,
    'a missing session token': () => valid().replace(`"sessionToken":"t",`, ``),
    'an empty secret': () => valid().replace(`"secretAccessKey":"s"`, `"secretAccessKey":""`),
    'an unknown version': () => valid().replace(`"version":1`, `"version":2`),
    'a date that is no date': () => valid().replace(/"expiration":"[^"]+"/, `"expiration":"tomorrow"`),
    'another key\'s session': () => valid().replace(ALICE.accessKeyId, `AKIAOTHER00000000000`),
    // What a hostile endpoint answered once must not be replayed from the cache either.
    'a token with shell code and a NUL': () => valid().replace(`"sessionToken":"t"`, `"sessionToken":"; touch /tmp/PWNED\\u0000"`),
    'a secret with a space': () => valid().replace(`"secretAccessKey":"s"`, `"secretAccessKey":"a b"`),
    'an access key id of lower-case letters': () => valid().replace(`ASIACACHEDEXAMPLE001`, `asiacachedexample001`),
    'an expiration years away': () => valid().replace(/"expiration":"[^"]+"/, `"expiration":"2099-01-01T00:00:00Z"`),
  };
  for (const [name, content] of Object.entries(cases)) {
    test(name, async () => {
      mkdirSync(cache, {recursive: true, mode: 0o700});
      writeFileSync(aliceFile(), content(), {mode: 0o600});
      assertAsksForCode(await run([`env`]));
      const verbose = await run([`env`, `--verbose`]);
      assert.match(verbose.stderr, /ignoring the cached session/);
      assert.doesNotMatch(verbose.stderr, /\n\s+at /);
      const renewed = await run([`env`, sts.code]);
      assert.equal(renewed.exitCode, 0, renewed.stderr);
      assert.equal(keyIdOf(await run([`env`])), keyIdOf(renewed));
    });
  }

  test(`a secret of the wrong shape in the file (or where a name goes) is not echoed by --verbose: the log says where, not what`, async () => {
    const secret = `wJalrXUtnFEMIK7MDENGbPxRfiCYCACHESECRET1`;
    const crafted = [
      valid().replace(`"secretAccessKey":"s"`, `"secretAccessKey":"${secret} "`),
      valid().replace(`"version":1,`, `"version":1,"${secret}":1,`),
    ];
    for (const content of crafted) {
      mkdirSync(cache, {recursive: true, mode: 0o700});
      writeFileSync(aliceFile(), content, {mode: 0o600});
      const verbose = await run([`env`, `--verbose`]);
      assert.match(verbose.stderr, /ignoring the cached session .*: \.[^ ]*: (Expected|Extraneous)[^\n]*\(it will be replaced\)/);
      assert.ok(!verbose.stderr.includes(secret.slice(0, 20)) && !verbose.stderr.includes(secret.slice(20)), `the secret is on stderr: ${verbose.stderr}`);
    }
  });

  test(`a file others may write is not trusted`, async () => {
    mkdirSync(cache, {recursive: true, mode: 0o700});
    writeFileSync(aliceFile(), valid(), {mode: 0o600});
    chmodSync(aliceFile(), 0o666);
    assertAsksForCode(await run([`env`]));
    assert.match((await run([`env`, `--verbose`])).stderr, /it is not a private file of this user/);
  });

  test(`the valid file of the same test is used (the cases above fail for their content alone)`, async () => {
    mkdirSync(cache, {recursive: true, mode: 0o700});
    writeFileSync(aliceFile(), valid(), {mode: 0o600});
    assert.equal(keyIdOf(await run([`env`])), `ASIACACHEDEXAMPLE001`);
  });

  test(`an unwritable cache: the session is still printed, with a warning`, async () => {
    // A file where the folder should be: mkdir fails for every user, root included.
    const blocker = join(sandbox.home, `not-a-folder`);
    writeFileSync(blocker, ``);
    const result = await run([`env`, sts.code], {AWSMFA_CACHE_DIR: join(blocker, `cache`)});
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^export AWS_ACCESS_KEY_ID='ASIA/m);
    assert.match(result.stderr, /awsmfa: warning: the session works but could not be cached \(ENOTDIR/);
  });
});

describe(`files and folders`, () => {
  test(`file names hash as FNV-1a 64 does (computed without BigInt)`, () => {
    const reference = (text: string) => {
      let hash = 0xcbf29ce484222325n;
      for (const byte of Buffer.from(text, `utf8`))
        hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
      return hash.toString(16).padStart(16, `0`);
    };
    const samples = [``, `a`, `${ALICE.accessKeyId}\0${ALICE.serialNumber}\0`, `profil\u00e9 \u{1F511}`, ...Array.from({length: 500}, (_, index) => String.fromCharCode(...Array.from({length: index % 97}, (_, at) => (index * 7919 + at * 104729) % 0xd7ff)))];
    for (const sample of samples)
      assert.equal(fnv1a64(sample), reference(sample), JSON.stringify(sample));
  });

  test(`the compiled code is cached privately (0600 in 0700), one file per bundle a run loads; a corrupt, foreign or loose cache only costs a compile`, async () => {
    const v8 = join(cache, `v8`);
    const first = await run([`env`, sts.code]);
    assert.equal(first.exitCode, 0, first.stderr);
    // The loader's program, the full CLI (its cache env's own) and the STS client: each compiled once, then from its cache.
    const names = readdirSync(v8).sort();
    assert.deepEqual(names.map(name => name.replace(/-v\d.*$/, ``)), [`fast`, `main-env`, `sts`], names.join(` `));
    for (const name of names) {
      assert.match(name, /^(?:fast|main-env|sts)-v\d+\.\d+\.\d+-\w+-\d+-\d+-\d+\.bin$/);
      assert.equal(statSync(join(v8, name)).mode & 0o777, 0o600);
    }
    assert.equal(statSync(v8).mode & 0o777, 0o700);
    const cached = await run([`env`]);
    assert.equal(cached.stdout, first.stdout);
    const forced = await run([`env`, `--force`, sts.code]);
    assert.equal(forced.exitCode, 0, forced.stderr);
    assert.deepEqual(readdirSync(v8).sort(), names, `a cache that V8 took is not written again`);
    // Another command has a cache of its own (V8 keeps the functions a run compiled); those of other builds go.
    for (const stale of [`main-init-v18.0.0-x64-1-2-3.bin`, `main-v18.0.0-x64-1-2-3.bin`, `sts-v18.0.0-x64-1-2-3.bin`])
      writeFileSync(join(v8, stale), `x`, {mode: 0o600});
    assert.equal((await run([`status`])).exitCode, 0);
    const withStatus = readdirSync(v8).sort();
    assert.ok(withStatus.some(name => name.startsWith(`main-status-`)), withStatus.join(` `));
    assert.ok(names.every(name => withStatus.includes(name)), `env's cache stays: ${withStatus.join(` `)}`);
    assert.ok(!withStatus.includes(`main-init-v18.0.0-x64-1-2-3.bin`) && !withStatus.includes(`main-v18.0.0-x64-1-2-3.bin`), `main.js's caches of another build go`);
    assert.ok(withStatus.includes(`sts-v18.0.0-x64-1-2-3.bin`), `sts.cjs's go when sts.cjs writes its own`);
    rmSync(join(v8, `sts-v18.0.0-x64-1-2-3.bin`));
    for (const name of names) {
      // Garbage of the same length: V8 refuses it, the program runs as it is, and the cache is made anew.
      const size = statSync(join(v8, name)).size;
      writeFileSync(join(v8, name), Buffer.alloc(size, 7));
      const again = await run([`env`, `--force`, sts.code]);
      assert.equal(again.exitCode, 0, again.stderr);
      assert.notEqual(readFileSync(join(v8, name))[0], 7, `${name} rewritten`);
      // Writable by others: not read, so replaced by a private one.
      chmodSync(join(v8, name), 0o666);
      assert.equal((await run([`env`, `--force`, sts.code])).exitCode, 0);
      assert.equal(statSync(join(v8, name)).mode & 0o777, 0o600, name);
    }
  });

  test(`the session file is 0600 in a 0700 folder, even under umask 000, and no temporary file is left`, async () => {
    const result = await new Promise<number | null>(resolve => {
      const child = spawn(`sh`, [`-c`, `umask 000; exec "$0" "$@"`, process.execPath, BIN, `env`, sts.code], {env: sandbox.env, stdio: `ignore`});
      child.on(`close`, resolve);
    });
    assert.equal(result, 0);
    assert.equal(statSync(cache).mode & 0o777, 0o700);
    const files = sessionFiles();
    assert.equal(files.length, 1);
    assert.equal(statSync(join(cache, files[0]!)).mode & 0o777, 0o600);
  });

  test(`our own cache folder, found looser, is tightened to 0700`, async () => {
    mkdirSync(cache, {recursive: true, mode: 0o755});
    chmodSync(cache, 0o755);
    await run([`env`, sts.code]);
    assert.equal(statSync(cache).mode & 0o777, 0o700);
  });

  test(`processes writing the cache at once all succeed and leave one valid session`, async () => {
    const results = await Promise.all(Array.from({length: 6}, () => run([`env`, sts.code])));
    for (const result of results)
      assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(sessionFiles().filter(name => name.endsWith(`.tmp`)), []);
    const cached = JSON.parse(readFileSync(aliceFile(), `utf8`));
    assert.ok(results.map(keyIdOf).includes(cached.credentials.accessKeyId));
    assert.equal(keyIdOf(await run([`env`])), cached.credentials.accessKeyId);
  });

  test(`the cache file holds no more than the session and its key`, async () => {
    await run([`env`, sts.code]);
    const text = readFileSync(aliceFile(), `utf8`);
    assert.ok(!text.includes(ALICE.secretAccessKey), `the long-term secret is never cached`);
  });
});

describe(`status`, () => {
  test(`none: exit 1`, async () => {
    const result = await run([`status`]);
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, `environment: no session (AWS_SESSION_TOKEN is not set)\ncached for profile 'default': none\n`);
    assert.equal((await run([`status`, `--short`])).stdout, ``);
  });

  test(`a cached session: exit 0, key id and time left, never the secret`, async () => {
    const env = await run([`env`, sts.code]);
    const issued = sts.issued.at(-1)!;
    const result = await run([`status`]);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, new RegExp(`^cached for profile 'default': ${keyIdOf(env)}, valid for (11h 59m|12h 00m), until .+ local$`, `m`));
    assert.ok(!result.stdout.includes(issued.secretAccessKey) && !result.stdout.includes(issued.sessionToken));
    assert.match((await run([`status`, `--short`])).stdout, /^(11h 59m|12h 00m)\n$/);
    const json = JSON.parse((await run([`status`, `--json`])).stdout);
    assert.equal(json.valid, true);
    assert.equal(json.environment, null);
    assert.equal(json.cache.accessKeyId, keyIdOf(env));
    assert.ok(json.cache.remainingSeconds > 43000 && json.cache.remainingSeconds <= 43200);
  });

  test(`the session in the environment decides: expired is exit 1, valid is exit 0`, async () => {
    const expired = {AWS_ACCESS_KEY_ID: `ASIAENV`, AWS_SECRET_ACCESS_KEY: `s`, AWS_SESSION_TOKEN: `t`, AWS_CREDENTIAL_EXPIRATION: `2020-01-01T00:00:00Z`};
    const result = await run([`status`], expired);
    assert.equal(result.exitCode, 1);
    assert.match(result.stdout, /^environment: ASIAENV, expired at 2020-01-01 /);
    assert.equal((await run([`status`, `--short`], expired)).stdout, `expired\n`);
    const soon = {...expired, AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 90 * 60_000 + 30_000).toISOString()};
    const valid = await run([`status`, `--short`], soon);
    assert.equal(valid.exitCode, 0);
    assert.equal(valid.stdout, `1h 30m\n`);
    const unknown = await run([`status`], {...expired, AWS_CREDENTIAL_EXPIRATION: ``});
    assert.equal(unknown.exitCode, 1);
    assert.match(unknown.stdout, /expiry unknown/);
  });
});

describe(`unset --forget`, () => {
  test(`deletes the cached session of the profile, and only it`, async () => {
    await run([`env`, sts.code]);
    mkdirSync(cache, {recursive: true});
    const other = join(cache, `session-00000000000000ff.json`);
    // Another profile's session: other keys (a session of the same keys and device is the same session).
    writeFileSync(other, readFileSync(aliceFile(), `utf8`).replace(`"profile": "default"`, `"profile": "work"`).replace(`"sourceAccessKeyId": "${ALICE.accessKeyId}"`, `"sourceAccessKeyId": "AKIAWORKEXAMPLE00001"`), {mode: 0o600});
    const result = await run([`unset`, `--forget`, `--shell`, `bash`]);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^unset AWS_ACCESS_KEY_ID$/m);
    assert.match(result.stderr, /deleted the cached session of profile 'default'/);
    assert.equal(existsSync(aliceFile()), false);
    assert.equal(existsSync(other), true);
    assertAsksForCode(await run([`env`]));
    assert.match((await run([`unset`, `--forget`])).stderr, /no cached session of profile 'default' to delete/);
  });
});
