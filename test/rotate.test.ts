/**
 * `awsmfa rotate` against moto (a real IAM: keys it creates sign for their user, ListAccessKeys lists them) and the
 * STS stand-in (an MFA code refused). Each crash point is a SIGKILL awsmfa gives itself (AWSMFA_TEST_CRASH_AT).
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, beforeEach, afterEach, describe, test} from 'node:test';
import {CreateAccessKeyCommand, ListAccessKeysCommand} from '@aws-sdk/client-iam';
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts';
import {motoMissing, motoWithAlice} from './support/moto.js';
import {runAwsmfa} from './support/run.js';
import {makeSandbox, type Sandbox} from './support/sandbox.js';
import {StsServer, ALICE} from './support/sts-server.js';

const skip = motoMissing();
const WITH_TTY = join(dirname(fileURLToPath(import.meta.url)), `support`, `with-tty.py`);
const ALICE_ARN = `arn:aws:iam::123456789012:user/alice`;

describe(`rotate against moto`, {skip}, () => {
  const moto = motoWithAlice();
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = makeSandbox({endpoint: moto.url, profiles: false});
    // A comment, another profile and the key's neighbours: only the two key lines may change.
    sandbox.writeCredentials(`# my keys\n[other]\naws_access_key_id = AKIAOTHER00000000001\naws_secret_access_key = other\n\n[default]\naws_access_key_id = ${moto.key.id}\n; kept\naws_secret_access_key = ${moto.key.secret}\n`);
    sandbox.writeConfig(`[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n`);
  });
  afterEach(() => sandbox.cleanup());

  const keysOfAlice = async () => (await moto.iam.send(new ListAccessKeysCommand({UserName: `alice`}))).AccessKeyMetadata!.map(key => ({id: key.AccessKeyId!, status: key.Status!}));
  const fileKey = () => {
    const text = readFileSync(join(sandbox.awsDir, `credentials`), `utf8`);
    const section = text.slice(text.indexOf(`[default]`));
    return {text, id: /aws_access_key_id = (\S+)/.exec(section)![1]!, secret: /aws_secret_access_key = (\S+)/.exec(section)![1]!};
  };
  /** The key in the file signs as alice at moto's STS, and IAM lists it as active: a working key on disk. */
  const assertWorkingKeyOnDisk = async () => {
    const {id, secret} = fileKey();
    const sts = new STSClient({region: `us-east-1`, endpoint: moto.url, credentials: {accessKeyId: id, secretAccessKey: secret}});
    try {
      assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, ALICE_ARN);
    } finally {
      sts.destroy();
    }
    assert.ok((await keysOfAlice()).some(key => key.id === id && key.status === `Active`), `IAM lists the file's key ${id} as active`);
    return id;
  };

  test(`one working new key, no old one, and only the key lines changed`, async () => {
    const result = await runAwsmfa([`rotate`, `--code`, `123456`], sandbox.env, {timeoutMs: 90_000});
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, ``);
    const {text, id, secret} = fileKey();
    assert.notEqual(id, moto.key.id);
    assert.deepEqual(await keysOfAlice(), [{id, status: `Active`}]);
    await assertWorkingKeyOnDisk();
    assert.equal(text, `# my keys\n[other]\naws_access_key_id = AKIAOTHER00000000001\naws_secret_access_key = other\n\n[default]\naws_access_key_id = ${id}\n; kept\naws_secret_access_key = ${secret}\n`);
    assert.match(result.stderr, new RegExp(`deleted the old key ${moto.key.id}`));
    for (const leaked of [secret, moto.key.secret])
      assert.ok(!result.stderr.includes(leaked), `no secret on stderr`);
  });

  test(`a key in the age file store is rotated there: the new secret in the store, its id in the profile, the old one gone from both`, async () => {
    const passphraseFile = join(sandbox.home, `passphrase`);
    writeFileSync(passphraseFile, `rotate me\n`, {mode: 0o600});
    const env = {...sandbox.env, AWSMFA_PASSPHRASE_FILE: passphraseFile};
    const imported = await runAwsmfa([`keys`, `import`, `--to`, `file`], env, {timeoutMs: 120_000});
    assert.equal(imported.exitCode, 0, imported.stderr);
    const result = await runAwsmfa([`rotate`, `--code`, `123456`], env, {timeoutMs: 180_000});
    assert.equal(result.exitCode, 0, result.stderr);
    const text = readFileSync(join(sandbox.awsDir, `credentials`), `utf8`);
    assert.doesNotMatch(text, /aws_secret_access_key = (?!other\n)/, `no secret of alice's in the file`);
    const id = /\[default\][^[]*awsmfa_access_key_id = (\S+)/.exec(text)?.[1];
    assert.ok(id !== undefined && id !== moto.key.id, `the profile names the new key: ${text}`);
    assert.deepEqual(await keysOfAlice(), [{id, status: `Active`}]);
    // The real age CLI reads the store: the new secret only, and it signs as alice.
    const decrypted = spawnSync(`python3`, [WITH_TTY, JSON.stringify([`rotate me`]), `age`, `-d`, join(sandbox.home, `.local`, `share`, `awsmfa`, `keys`, `keys.age`)], {encoding: `utf8`});
    assert.equal(decrypted.status, 0, decrypted.stderr);
    const stored = JSON.parse(decrypted.stdout).keys as Record<string, string>;
    assert.deepEqual(Object.keys(stored), [id]);
    const sts = new STSClient({region: `us-east-1`, endpoint: moto.url, credentials: {accessKeyId: id, secretAccessKey: stored[id]!}});
    try {
      assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, ALICE_ARN);
    } finally {
      sts.destroy();
    }
    for (const leaked of [stored[id]!, moto.key.secret])
      assert.ok(!result.stderr.includes(leaked), `no secret on stderr`);
  });

  for (const step of [`started`, `created`, `written`, `deactivated`]) {
    test(`a crash after the step "${step}" leaves a working key on disk, and the next run finishes with one key`, async () => {
      const crashed = await runAwsmfa([`rotate`, `--code`, `123456`], {...sandbox.env, AWSMFA_TEST_CRASH_AT: step}, {timeoutMs: 90_000});
      assert.equal(crashed.exitCode, null, `killed: ${crashed.stderr}`);
      await assertWorkingKeyOnDisk();
      // No code: the MFA session of the first run is cached.
      const again = await runAwsmfa([`rotate`], sandbox.env, {timeoutMs: 90_000});
      assert.equal(again.exitCode, 0, again.stderr);
      if (step === `created`)
        assert.match(again.stderr, /never saved its secret/);
      if (step === `written` || step === `deactivated`)
        assert.match(again.stderr, /did not delete the old key/);
      const id = await assertWorkingKeyOnDisk();
      assert.deepEqual(await keysOfAlice(), [{id, status: `Active`}]);
      assert.notEqual(id, moto.key.id);
    });
  }

  test(`two keys: the other one is named and nothing changes; --delete it, then the rotation runs`, async () => {
    const other = (await moto.iam.send(new CreateAccessKeyCommand({UserName: `alice`}))).AccessKey!.AccessKeyId!;
    const before = fileKey().text;
    const refused = await runAwsmfa([`rotate`, `--code`, `123456`], sandbox.env, {timeoutMs: 90_000});
    assert.equal(refused.exitCode, 2, refused.stderr);
    assert.match(refused.stderr, new RegExp(`two access keys.*--delete ${other}`));
    assert.equal(fileKey().text, before);
    assert.equal((await keysOfAlice()).length, 2);
    const wrong = await runAwsmfa([`rotate`, `--delete`, moto.key.id], sandbox.env, {timeoutMs: 90_000});
    assert.equal(wrong.exitCode, 2, wrong.stderr);
    assert.match(wrong.stderr, /names the key in/);
    const result = await runAwsmfa([`rotate`, `--delete`, other], sandbox.env, {timeoutMs: 90_000});
    assert.equal(result.exitCode, 0, result.stderr);
    const id = await assertWorkingKeyOnDisk();
    assert.deepEqual(await keysOfAlice(), [{id, status: `Active`}]);
  });
});

describe(`rotate against the STS stand-in`, () => {
  let sts: StsServer;
  let sandbox: Sandbox;
  before(async () => {
    sts = await new StsServer().start();
  });
  after(() => sts.close());
  beforeEach(() => {
    sts.reset();
    sandbox = makeSandbox({endpoint: sts.url});
  });
  afterEach(() => sandbox.cleanup());

  test(`a refused MFA code creates no key and leaves the file as it was`, async () => {
    const before = readFileSync(join(sandbox.awsDir, `credentials`), `utf8`);
    const result = await runAwsmfa([`rotate`, `--code`, `654321`], sandbox.env);
    assert.equal(result.exitCode, 1, result.stderr);
    assert.match(result.stderr, /rejected the MFA code/);
    assert.equal(readFileSync(join(sandbox.awsDir, `credentials`), `utf8`), before);
    assert.deepEqual(sts.requests.map(record => record.action), [`GetCallerIdentity`, `GetSessionToken`]);
    assert.ok(!result.stderr.includes(ALICE.secretAccessKey));
  });

  const fileKeyId = () => /aws_access_key_id = (\S+)/.exec(readFileSync(join(sandbox.awsDir, `credentials`), `utf8`))![1]!;

  test(`one code: the key calls signed by the MFA session, the new key proven by its own signature, the old one gone`, async () => {
    const result = await runAwsmfa([`rotate`, `--code`, `123456`], sandbox.env, {timeoutMs: 90_000});
    assert.equal(result.exitCode, 0, result.stderr);
    const id = fileKeyId();
    assert.notEqual(id, ALICE.accessKeyId);
    // The stand-in knows the new key's secret: the signature it checked proves the file's secret is that key's.
    const proof = sts.requests.filter(record => record.action === `GetCallerIdentity` && record.accessKeyId === id);
    assert.ok(proof.length >= 1 && proof.every(record => record.signatureValid));
    for (const record of sts.requests.filter(record => /AccessKey/.test(record.action)))
      assert.ok(record.accessKeyId!.startsWith(`ASIA`) && record.sessionToken !== undefined, `${record.action} signed by the MFA session`);
    assert.equal(sts.sessionRequests.length, 1, `one code`);
    assert.deepEqual(sts.users.map(user => user.accessKeyId), [id]);
    const secret = /aws_secret_access_key = (\S+)/.exec(readFileSync(join(sandbox.awsDir, `credentials`), `utf8`))![1]!;
    assert.ok(!result.stderr.includes(secret) && !result.stderr.includes(ALICE.secretAccessKey));
  });

  test(`when the old key's MFA session ends with it, the next TOTP code (never the same) signs the deletion`, async () => {
    sts.keyRevokesSessions = true;
    sts.totp = {offsetMs: 0};
    const printCode = `node -e "process.stdout.write(String(100000 + Math.floor(Date.now() / 30000) % 900000))"`;
    const result = await runAwsmfa([`rotate`, `--code-command`, printCode], sandbox.env, {timeoutMs: 120_000});
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /the MFA session ended with the old key/);
    assert.match(result.stderr, /waiting \d+ s for the next code/);
    const codes = sts.sessionRequests.map(record => record.params.TokenCode);
    assert.equal(codes.length, 2);
    assert.notEqual(codes[0], codes[1]);
    assert.equal(sts.sessionRequests[1]!.accessKeyId, fileKeyId());
    assert.deepEqual(sts.users.map(user => user.accessKeyId), [fileKeyId()]);
  });

  test(`a role option is refused, not ignored`, async () => {
    const result = await runAwsmfa([`rotate`, `--role-arn`, `arn:aws:iam::123456789012:role/Admin`, `--code`, `123456`], sandbox.env);
    assert.equal(result.exitCode, 2, result.stderr);
    assert.match(result.stderr, /rotate takes no --role-arn/);
    assert.deepEqual(sts.requests, []);
  });

  test(`keys only in the environment are refused before a code is spent`, async () => {
    sandbox.writeCredentials(``);
    const result = await runAwsmfa([`rotate`, `--code`, `123456`], {...sandbox.env, AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey});
    assert.equal(result.exitCode, 2, result.stderr);
    assert.match(result.stderr, /cannot write a new one/);
    assert.deepEqual(sts.requests, []);
  });
});
