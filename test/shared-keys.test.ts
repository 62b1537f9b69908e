/**
 * A key is one thing, wherever it is named (issue 26 item 3): `aws configure` often writes the same access key into
 * two profiles. Every operation that removes, moves or replaces a key (keys import, move, remove, add, rotate)
 * carries every profile that names it along, or refuses in one line naming them; no profile is ever left naming a
 * key whose secret is in no file and no store. The encrypted file store (the real age format, a passphrase file)
 * and the STS stand-in (which checks which key signed, with which secret); rotate against moto (a real IAM).
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, afterEach, before, beforeEach, describe, test} from 'node:test';
import {ListAccessKeysCommand} from '@aws-sdk/client-iam';
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts';
import {motoMissing, motoWithAlice} from './support/moto.js';
import {runAwsmfa, runAwsmfaWithTty} from './support/run.js';
import {makeSandbox, type Sandbox} from './support/sandbox.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ALICE} from './support/sts-server.js';

const WITH_TTY = fileURLToPath(new URL(`./support/with-tty.py`, import.meta.url));
const PASSPHRASE = `shared key passphrase`;
const BROKEN_BUS = `unix:path=/nonexistent/awsmfa-test-bus`;
const hasAge = spawnSync(`sh`, [`-c`, `command -v age`]).status === 0;
if (!hasAge && process.env.CI)
  throw new Error(`age is missing, and CI must test with it (see .ci/run)`);

describe(`two profiles sharing one key`, () => {
  useStandIn();

  /** The sandbox's environment for the file store: a passphrase file of the user's (0600), no keyring reachable. */
  const env = (): Record<string, string> => {
    const file = join(sandbox.home, `passphrase`);
    writeFileSync(file, `${PASSPHRASE}\n`, {mode: 0o600});
    return {...sandbox.env, AWSMFA_PASSPHRASE_FILE: file, DBUS_SESSION_BUS_ADDRESS: BROKEN_BUS};
  };
  const keysFile = () => join(sandbox.home, `.local`, `share`, `awsmfa`, `keys`, `keys.age`);
  const credentials = () => readFileSync(join(sandbox.awsDir, `credentials`), `utf8`);
  /** What the age file holds, read by the real age CLI (the passphrase typed on a terminal, as age wants it). */
  const stored = (): Record<string, string> => {
    if (!existsSync(keysFile()))
      return {};
    const decrypted = spawnSync(`python3`, [WITH_TTY, JSON.stringify([PASSPHRASE]), `age`, `-d`, keysFile()], {encoding: `utf8`});
    assert.equal(decrypted.status, 0, decrypted.stderr);
    return (JSON.parse(decrypted.stdout) as {keys: Record<string, string>}).keys;
  };
  /** A new session of `profile`, signed by its long-term key: which key signed, and whether its secret was right. */
  const signs = async (profile: string) => {
    sts.code = String(100000 + Math.floor(Math.random() * 900000));
    const result = await runAwsmfa([`env`, `--profile`, profile, `--shell`, `json`, `--code`, sts.code], env(), {timeoutMs: 120_000});
    assert.equal(result.exitCode, 0, result.stderr);
    const request = sts.sessionRequests.at(-1)!;
    return [request.accessKeyId, request.signatureValid];
  };
  const both = `[default]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n\n[work]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`;
  beforeEach(() => {
    sandbox.writeCredentials(both);
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile work]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n`);
  });

  test(`keys import of one carries the other along: no plaintext copy stays, and both sign with the stored secret`, {skip: hasAge ? false : `needs age`, timeout: 300_000}, async () => {
    const result = await runAwsmfa([`keys`, `import`, `--to`, `file`], env(), {timeoutMs: 120_000});
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /are in the encrypted file .*keys\.age now; .* holds only the key id; so are those of profile 'work' \(\S+credentials\), which named the same key/);
    assert.ok(!credentials().includes(ALICE.secretAccessKey), `no plaintext copy left: ${credentials()}`);
    assert.equal(credentials().match(new RegExp(`awsmfa_access_key_id = ${ALICE.accessKeyId}`, `g`))?.length, 2);
    assert.deepEqual(stored(), {[ALICE.accessKeyId]: ALICE.secretAccessKey});
    assert.deepEqual(await signs(`work`), [ALICE.accessKeyId, true]);
    assert.deepEqual(await signs(`default`), [ALICE.accessKeyId, true]);

    // And back: both sections get the pair again, and the store's copy goes only then.
    const back = await runAwsmfa([`keys`, `move`, `--profile`, `work`, `--to`, `aws-files`], env(), {timeoutMs: 120_000});
    assert.equal(back.exitCode, 0, back.stderr);
    assert.match(back.stderr, /so are those of profile 'default' \(\S+credentials\), which named the same key/);
    assert.equal(credentials(), both, `both pairs back where they were, nothing else changed`);
    assert.deepEqual(stored(), {});
  });

  test(`keys remove of one is refused while the other needs the secret; --all-profiles forgets it everywhere`, {skip: hasAge ? false : `needs age`, timeout: 300_000}, async () => {
    assert.equal((await runAwsmfa([`keys`, `import`, `--to`, `file`], env(), {timeoutMs: 120_000})).exitCode, 0);
    const before = credentials();
    const refused = await runAwsmfa([`keys`, `remove`, `--profile`, `work`], env(), {timeoutMs: 120_000});
    assert.equal(refused.exitCode, 2, refused.stderr);
    assert.match(refused.stderr, new RegExp(`^awsmfa: the key ${ALICE.accessKeyId} of profile 'work' is also named by profile 'default' \\(\\S+credentials\\), which needs its secret in the file store: run again with --all-profiles`));
    assert.equal(refused.stderr.trimEnd().split(`\n`).length, 1);
    assert.equal(credentials(), before, `nothing changed`);
    assert.deepEqual(stored(), {[ALICE.accessKeyId]: ALICE.secretAccessKey});
    assert.deepEqual(await signs(`default`), [ALICE.accessKeyId, true]);

    const all = await runAwsmfa([`keys`, `remove`, `--profile`, `work`, `--all-profiles`], env(), {timeoutMs: 120_000});
    assert.equal(all.exitCode, 0, all.stderr);
    assert.match(all.stderr, /and so are those of profile 'default'/);
    assert.doesNotMatch(credentials(), /awsmfa_|aws_access_key_id/);
    assert.deepEqual(stored(), {});
  });

  test(`keys remove of a stored key whose other profile holds it in plaintext: nothing is lost, and the line says where it stays`, {skip: hasAge ? false : `needs age`, timeout: 300_000}, async () => {
    // default's key in the store, work's pair as aws configure wrote it: the store's copy is default's alone.
    sandbox.writeCredentials(`[default]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    assert.equal((await runAwsmfa([`keys`, `import`, `--to`, `file`], env(), {timeoutMs: 120_000})).exitCode, 0);
    writeFileSync(join(sandbox.awsDir, `credentials`), `${credentials()}\n[work]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    const removed = await runAwsmfa([`keys`, `remove`], env(), {timeoutMs: 120_000});
    assert.equal(removed.exitCode, 0, removed.stderr);
    assert.match(removed.stderr, /; profile 'work' \(\S+credentials\) still holds it in plaintext/);
    assert.deepEqual(stored(), {});
    assert.deepEqual(await signs(`work`), [ALICE.accessKeyId, true]);
  });

  test(`the same key with two different secrets: refused naming the other, nothing moved`, async () => {
    sandbox.writeCredentials(`[default]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n\n[work]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = stale+secret\n`);
    const before = credentials();
    const result = await runAwsmfa([`keys`, `import`, `--to`, `file`], env(), {timeoutMs: 120_000});
    assert.equal(result.exitCode, 2, result.stderr);
    assert.match(result.stderr, /^awsmfa: profile 'work' \(\S+credentials\) names the key AKIAALICEEXAMPLE0001 with another secret than the one in use: fix the wrong one by hand first/);
    assert.ok(!result.stderr.includes(`stale+secret`) && !result.stderr.includes(ALICE.secretAccessKey), `no secret in the message`);
    assert.equal(credentials(), before);
    assert.equal(existsSync(keysFile()), false, `the store was never written`);
  });

  test(`keys add of a key another profile names already is refused before its secret is asked: it would give that key a second secret`, async () => {
    const before = credentials();
    const result = await runAwsmfaWithTty([ALICE.accessKeyId, `never asked`], [`keys`, `add`, `--profile`, `ci`, `--to`, `file`], env());
    assert.equal(result.exitCode, 2, result.stderr);
    assert.match(result.stderr, /awsmfa: the key AKIAALICEEXAMPLE0001 is named already by profile 'default' \(\S+credentials\) and profile 'work' \(\S+credentials\): a key is one thing/);
    assert.doesNotMatch(result.stderr, /Secret Access Key/, `the secret is not asked for`);
    assert.equal(credentials(), before);
    assert.equal(existsSync(keysFile()), false);
  });
});

describe(`rotate of a key two profiles share, against moto`, {skip: motoMissing()}, () => {
  const ALICE_ARN = `arn:aws:iam::123456789012:user/alice`;
  const moto = motoWithAlice();
  let box: Sandbox;
  beforeEach(() => {
    box = makeSandbox({endpoint: moto.url, profiles: false});
    box.writeCredentials(`[default]\naws_access_key_id = ${moto.key.id}\naws_secret_access_key = ${moto.key.secret}\n\n[work]\naws_access_key_id = ${moto.key.id}\naws_secret_access_key = ${moto.key.secret}\n`);
    box.writeConfig(`[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n`);
  });
  afterEach(() => box.cleanup());

  const keysOfAlice = async () => (await moto.iam.send(new ListAccessKeysCommand({UserName: `alice`}))).AccessKeyMetadata!.map(key => key.AccessKeyId!);
  /** Each profile's pair in the file, and whether it signs as alice at moto's STS. */
  const pairs = async () => {
    const text = readFileSync(join(box.awsDir, `credentials`), `utf8`);
    const found: Record<string, {id: string, works: boolean}> = {};
    for (const profile of [`default`, `work`]) {
      const section = text.slice(text.indexOf(`[${profile}]`));
      const id = /aws_access_key_id = (\S+)/.exec(section)![1]!;
      const secret = /aws_secret_access_key = (\S+)/.exec(section)![1]!;
      const client = new STSClient({region: `us-east-1`, endpoint: moto.url, credentials: {accessKeyId: id, secretAccessKey: secret}});
      let works = false;
      try {
        works = (await client.send(new GetCallerIdentityCommand({}))).Arn === ALICE_ARN;
      } catch {} finally {
        client.destroy();
      }
      found[profile] = {id, works};
    }
    return found;
  };

  test(`rotate of one writes the new key for both; the old one is deleted only then`, {timeout: 180_000}, async () => {
    const result = await runAwsmfa([`rotate`, `--code`, `123456`], box.env, {timeoutMs: 120_000});
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /wrote AKIA\w+ for profile 'work' \(\S+credentials\) too, which named the same key/);
    const found = await pairs();
    assert.notEqual(found.default!.id, moto.key.id);
    assert.deepEqual(found, {default: {id: found.default!.id, works: true}, work: {id: found.default!.id, works: true}});
    assert.deepEqual(await keysOfAlice(), [found.default!.id], `the old key is gone at IAM`);
  });

  test(`a rotation killed after the new key was saved for one profile: the next run gives it to the other before deleting the old`, {timeout: 240_000}, async () => {
    const crashed = await runAwsmfa([`rotate`, `--code`, `123456`], {...box.env, AWSMFA_TEST_CRASH_AT: `written`}, {timeoutMs: 120_000});
    assert.equal(crashed.exitCode, null, `killed: ${crashed.stderr}`);
    const half = await pairs();
    assert.notEqual(half.default!.id, moto.key.id);
    // Whatever the crash left, each profile holds a key that works (the old one is not deleted yet).
    assert.ok(half.default!.works && half.work!.works, JSON.stringify(half));
    const finished = await runAwsmfa([`rotate`], box.env, {timeoutMs: 120_000});
    assert.equal(finished.exitCode, 0, finished.stderr);
    assert.match(finished.stderr, /wrote AKIA\w+ for profile 'work' \(\S+credentials\) too, which still named the old key/);
    const found = await pairs();
    assert.deepEqual(found, {default: {id: half.default!.id, works: true}, work: {id: half.default!.id, works: true}});
    assert.deepEqual(await keysOfAlice(), [half.default!.id]);
  });
});
