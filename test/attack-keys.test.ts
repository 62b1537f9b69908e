/**
 * Attacks on the key stores and on rotate (issues #21, #22): what two awsmfa runs at once, a kill at the wrong
 * moment, or a hostile file beside the store can do to a user's long-term keys. Each test is a finding that once
 * lost or exposed a key.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chownSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, afterEach, before, describe, test} from 'node:test';
import {CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand} from '@aws-sdk/client-iam';
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts';
import {motoMissing, startMoto} from './support/moto.js';
import {makeSandbox, type Sandbox} from './support/sandbox.js';
import {runAwsmfa} from './support/run.js';
import {sandbox, useStandIn} from './support/stand-in.js';

const ageMissing = spawnSync(`sh`, [`-c`, `command -v age`]).status !== 0;
if (ageMissing && process.env.CI)
  throw new Error(`age missing, and CI must test with it (see .ci/run)`);
const WITH_TTY = fileURLToPath(new URL(`./support/with-tty.py`, import.meta.url));

const KEY_A = {id: `AKIAATTACKEXAMPLEA01`, secret: `attackA/secretKEYaaaaaaaaaaaaaaaaaaaaaaaa`};
const KEY_B = {id: `AKIAATTACKEXAMPLEB02`, secret: `attackB/secretKEYbbbbbbbbbbbbbbbbbbbbbbbb`};

/** What the age file holds, as the real age CLI decrypts it. */
function ageKeys(passphrase: string): Record<string, string> {
  const file = join(sandbox.home, `.local`, `share`, `awsmfa`, `keys`, `keys.age`);
  const decrypted = spawnSync(`python3`, [WITH_TTY, JSON.stringify([passphrase]), `age`, `-d`, file], {encoding: `utf8`});
  assert.equal(decrypted.status, 0, decrypted.stderr);
  return (JSON.parse(decrypted.stdout) as {keys: Record<string, string>}).keys;
}

describe(`the file store under two awsmfa runs at once`, {skip: ageMissing ? `age not installed here (Debian: age)` : false}, () => {
  useStandIn();

  test(`two imports into the file store at once keep both keys: neither run's write drops the other's key, which its import already removed from ~/.aws/credentials`, async () => {
    sandbox.writeCredentials(`[a]\naws_access_key_id = ${KEY_A.id}\naws_secret_access_key = ${KEY_A.secret}\n[b]\naws_access_key_id = ${KEY_B.id}\naws_secret_access_key = ${KEY_B.secret}\n`);
    const passphraseFile = join(sandbox.home, `passphrase`);
    writeFileSync(passphraseFile, `both runs\n`, {mode: 0o600});
    const env = {...sandbox.env, AWSMFA_PASSPHRASE_FILE: passphraseFile};
    const [a, b] = await Promise.all([`a`, `b`].map(profile => runAwsmfa([`keys`, `import`, `--to`, `file`, `--profile`, profile], env, {timeoutMs: 120_000})));
    const credentials = readFileSync(join(sandbox.awsDir, `credentials`), `utf8`);
    const stored = ageKeys(`both runs`);
    // Whatever each run answered, a key gone from the credentials file is in the store.
    for (const [profile, key, result] of [[`a`, KEY_A, a], [`b`, KEY_B, b]] as const) {
      if (!credentials.includes(key.secret))
        assert.equal(stored[key.id], key.secret, `profile ${profile}'s key is neither in the credentials file nor in the store (its run: ${result!.exitCode} ${result!.stderr})`);
    }
    // And both runs did their job.
    assert.equal(a!.exitCode, 0, a!.stderr);
    assert.equal(b!.exitCode, 0, b!.stderr);
    assert.deepEqual(stored, {[KEY_A.id]: KEY_A.secret, [KEY_B.id]: KEY_B.secret});
  });
});

describe(`two rotations of one key at once`, {skip: motoMissing()}, () => {
  let moto: Awaited<ReturnType<typeof startMoto>>;
  let iam: IAMClient;
  let home: Sandbox;
  before(async () => {
    moto = await startMoto();
    iam = new IAMClient({region: `us-east-1`, endpoint: moto.url, credentials: {accessKeyId: `AKIAMOTOADMIN0000001`, secretAccessKey: `admin-secret`}});
  });
  after(() => {
    iam.destroy();
    moto.stop();
  });
  afterEach(() => home?.cleanup());

  test(`a second rotate while one runs leaves one working key on disk, IAM holding that key alone (the other run refused, not half done)`, async () => {
    await fetch(`${moto.url}/moto-api/reset`, {method: `POST`});
    await iam.send(new CreateUserCommand({UserName: `alice`}));
    const created = (await iam.send(new CreateAccessKeyCommand({UserName: `alice`}))).AccessKey!;
    home = makeSandbox({endpoint: moto.url, profiles: false});
    home.writeCredentials(`[default]\naws_access_key_id = ${created.AccessKeyId}\naws_secret_access_key = ${created.SecretAccessKey}\n`);
    home.writeConfig(`[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n`);
    const results = await Promise.all([0, 1].map(() => runAwsmfa([`rotate`, `--code`, `123456`], home.env, {timeoutMs: 120_000})));
    const text = readFileSync(join(home.awsDir, `credentials`), `utf8`);
    const id = /aws_access_key_id = (\S+)/.exec(text)![1]!;
    const secret = /aws_secret_access_key = (\S+)/.exec(text)![1]!;
    const listed = (await iam.send(new ListAccessKeysCommand({UserName: `alice`}))).AccessKeyMetadata!.map(key => [key.AccessKeyId, key.Status]);
    const why = results.map(result => `${result.exitCode}: ${result.stderr}`).join(`\n---\n`);
    const sts = new STSClient({region: `us-east-1`, endpoint: moto.url, credentials: {accessKeyId: id, secretAccessKey: secret}});
    try {
      assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::123456789012:user/alice`, why);
    } finally {
      sts.destroy();
    }
    assert.deepEqual(listed, [[id, `Active`]], `IAM holds the file's key alone\n${why}`);
    assert.notEqual(id, created.AccessKeyId);
    assert.deepEqual(results.map(result => result.exitCode).sort(), [0, 1], why);
  });
});

describe(`the file store's folder, when it is not awsmfa's to use`, () => {
  useStandIn();

  for (const [what, plant] of [
    [`a symbolic link`, (keys: string) => symlinkSync(mkdtempSync(join(sandbox.home, `elsewhere-`)), keys)],
    [`another user's folder`, (keys: string) => {
      mkdirSync(keys, {mode: 0o700});
      chownSync(keys, 65534, 65534);
    }],
  ] as const) {
    test(`a keys folder that is ${what} is refused with one line that says what to do (not the cache's AWSMFA_CACHE_DIR), and nothing moves`, {skip: process.getuid?.() !== 0 && what.startsWith(`another`) ? `chown needs root` : false}, async () => {
      const passphraseFile = join(sandbox.home, `passphrase`);
      writeFileSync(passphraseFile, `pw\n`, {mode: 0o600});
      const data = join(sandbox.home, `.local`, `share`, `awsmfa`);
      mkdirSync(data, {recursive: true, mode: 0o700});
      plant(join(data, `keys`));
      const before = readFileSync(join(sandbox.awsDir, `credentials`), `utf8`);
      const result = await runAwsmfa([`keys`, `import`, `--to`, `file`], {...sandbox.env, AWSMFA_PASSPHRASE_FILE: passphraseFile}, {timeoutMs: 120_000});
      assert.equal(result.exitCode, 2, result.stderr);
      assert.equal(result.stdout, ``);
      assert.equal(result.stderr.trimEnd().split(`\n`).length, 1, result.stderr);
      assert.match(result.stderr, /^awsmfa: .*awsmfa\/keys.*XDG_DATA_HOME/);
      assert.doesNotMatch(result.stderr, /unexpected|AWSMFA_CACHE_DIR/);
      assert.equal(readFileSync(join(sandbox.awsDir, `credentials`), `utf8`), before);
    });
  }
});

describe(`a keys.age that decrypts to something else`, () => {
  useStandIn();
  const SECRET = `wJalrXUtnFEMIK7MDENGbPxRfiCYLEAKEDSECRET`;
  const PASSPHRASE = `hold on`;
  const passphraseFile = () => join(sandbox.home, `passphrase`);
  /** A key imported into the file store (the credential_process line that reads keys.age), then keys.age replaced by one holding `text`, encrypted with the same passphrase. */
  async function importThenReplace(text: string): Promise<void> {
    sandbox.writeCredentials(`[a]\naws_access_key_id = ${KEY_A.id}\naws_secret_access_key = ${KEY_A.secret}\n`);
    writeFileSync(passphraseFile(), `${PASSPHRASE}\n`, {mode: 0o600});
    const imported = await runAwsmfa([`keys`, `import`, `--to`, `file`, `--profile`, `a`], {...sandbox.env, AWSMFA_PASSPHRASE_FILE: passphraseFile()}, {timeoutMs: 120_000});
    assert.equal(imported.exitCode, 0, imported.stderr);
    const age = await import(`../src/bundles/age.js`);
    const encrypter = new age.Encrypter();
    encrypter.setScryptWorkFactor(10);
    encrypter.setPassphrase(PASSPHRASE);
    writeFileSync(join(sandbox.home, `.local`, `share`, `awsmfa`, `keys`, `keys.age`), await encrypter.encrypt(text), {mode: 0o600});
  }
  // A secret one character off (a line break copied along), a secret where an access key id goes, a secret as a name the
  // document has no place for (a plain one, and one typanion quotes): each refused in one line that says where and
  // what was expected, never what was there.
  const documents: Record<string, unknown> = {
    'a secret key of the wrong shape': {version: 1, keys: {[KEY_A.id]: `${SECRET}\n`}},
    'a secret key where the access key id goes': {version: 1, keys: {[SECRET]: KEY_A.secret}},
    'a secret key as a property of its own': {version: 1, keys: {[KEY_A.id]: KEY_A.secret}, [SECRET]: 1},
    'a secret key with a slash as a property': {version: 1, keys: {[KEY_A.id]: KEY_A.secret}, [`${SECRET.slice(0, 20)}/${SECRET.slice(20)}`]: 1},
  };
  for (const [name, document] of Object.entries(documents)) {
    test(`${name}: refused, and the secret is not on stderr (--verbose either)`, {timeout: 120_000}, async () => {
      await importThenReplace(JSON.stringify(document));
      const result = await runAwsmfa([`keys`, `list`, `--check`, `--verbose`], {...sandbox.env, AWSMFA_PASSPHRASE_FILE: passphraseFile()});
      assert.match(result.stderr, /keys\.age decrypts, but not to awsmfa's keys document \(\.[^)]*: (Expected|Extraneous)/, `${result.exitCode} ${result.stdout}`);
      assert.ok(!result.stderr.includes(SECRET.slice(0, 20)) && !result.stderr.includes(SECRET.slice(20)), `the secret is on stderr: ${result.stderr}`);
      assert.notEqual(result.exitCode, 0);
    });
  }
});
