/**
 * End to end against moto, an STS server written by others, and read back by the AWS CLI v2: the session
 * awsmfa prints is the one the AWS CLI then uses.
 */
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {CreateAccessKeyCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, IAMClient} from '@aws-sdk/client-iam';
import {after, before, beforeEach, describe, test} from 'node:test';
import {BIN, runAwsmfa, runAwsmfaWithTty} from './support/run.js';
import {makeSandbox, type Sandbox} from './support/sandbox.js';
import {runScript, skipUnlessShell} from './support/shells.js';
import {motoMissing, startMoto} from './support/moto.js';

const AWS = `/usr/bin/aws`;
const awsMissing = existsSync(AWS) ? false : process.env.CI ? `` : `the AWS CLI v2 (/usr/bin/aws, Debian's awscli) is not installed here`;
if (awsMissing === ``)
  throw new Error(`/usr/bin/aws is missing, and CI must test with it (see .ci/run)`);

describe(`against moto`, {skip: motoMissing()}, () => {
  let moto: Awaited<ReturnType<typeof startMoto>>;
  let sandbox: Sandbox;
  before(async () => {
    moto = await startMoto();
    sandbox = makeSandbox({endpoint: moto.url});
  });
  after(() => {
    moto?.stop();
    sandbox?.cleanup();
  });

  test(`env gets a session from moto's GetSessionToken`, async () => {
    const result = await runAwsmfa([`env`, `--shell`, `json`, `123456`], sandbox.env);
    assert.equal(result.exitCode, 0, result.stderr);
    const session = JSON.parse(result.stdout);
    assert.equal(session.Version, 1);
    assert.match(session.AccessKeyId, /^[A-Z0-9]{16,}$/);
    assert.ok(session.SessionToken.length > 20);
    assert.ok(new Date(session.Expiration).getTime() > Date.now());
  });

  test(`the AWS CLI uses a profile written by login with nothing else set: the region came with it`, {skip: awsMissing}, async () => {
    const env = {...sandbox.env};
    delete (env as Record<string, string | undefined>).AWS_ENDPOINT_URL_STS;
    const login = await runAwsmfa([`login`, `-u`, `mfa`, `--endpoint-url`, moto.url, `654321`], env);
    assert.equal(login.exitCode, 0, login.stderr);
    const {spawnSync} = await import(`node:child_process`);
    const clean = {PATH: process.env.PATH ?? ``, HOME: sandbox.home, AWS_PAGER: ``};
    const result = spawnSync(AWS, [`sts`, `get-caller-identity`, `--profile`, `mfa`, `--endpoint-url`, moto.url, `--output`, `json`], {env: clean, encoding: `utf8`});
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).Account, `123456789012`);
    const exported = spawnSync(AWS, [`configure`, `export-credentials`, `--profile`, `mfa`, `--format`, `process`], {env: clean, encoding: `utf8`});
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(JSON.parse(exported.stdout).AccessKeyId, /^[A-Z0-9]{16,}$/);
  });

  test(`bash evaluates it and the AWS CLI v2 picks exactly that session up`, {skip: awsMissing || skipUnlessShell(`bash`)}, async () => {
    const script = [
      `out=$(${process.execPath} ${BIN} env --shell bash 123456) || exit 9`,
      `eval "$out"`,
      `printf '%s\\n' "$AWS_ACCESS_KEY_ID"`,
      `${AWS} configure export-credentials --format process || exit 8`,
      `${AWS} sts get-caller-identity --endpoint-url ${moto.url} --region us-east-1 --output json || exit 7`,
    ].join(`\n`);
    const result = await runScript(`bash`, script, {...sandbox.env, AWS_PAGER: ``});
    assert.equal(result.status, 0, result.stderr);
    const [keyId, ...rest] = result.stdout.split(`\n`);
    const documents = rest.join(`\n`).trim().split(/\n(?=\{)/).map(text => JSON.parse(text));
    assert.equal(documents[0].AccessKeyId, keyId);
    assert.ok(documents[0].SessionToken, `the AWS CLI sees the session token`);
    assert.ok(Date.parse(documents[0].Expiration) > Date.now(), `and reads AWS_CREDENTIAL_EXPIRATION`);
    assert.equal(documents[1].Account, `123456789012`);
  });

  describe(`roles, whoami and credential_process, against moto's STS`, () => {
    const ROLES = `[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\n\n[profile ro]\nrole_arn = arn:aws:iam::123456789012:role/ReadOnly\nsource_profile = default\nrole_session_name = alice-ro\n`;
    before(() => sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n\n${ROLES}\n[profile cp]\ncredential_process = ${process.execPath} ${BIN} credential-process --profile admin\nregion = eu-west-1\n`));

    test(`a role from the MFA session, a second role without a code, and whoami names each`, async () => {
      const admin = await runAwsmfa([`env`, `--shell`, `json`, `--profile`, `admin`, `222333`], sandbox.env);
      assert.equal(admin.exitCode, 0, admin.stderr);
      const ro = await runAwsmfa([`env`, `--shell`, `json`, `--profile`, `ro`], sandbox.env);
      assert.equal(ro.exitCode, 0, ro.stderr);
      assert.match(ro.stderr, /assumed from the cached MFA session: no code needed/);
      for (const [output, arn] of [[admin.stdout, /^arn:aws:sts::123456789012:assumed-role\/Admin\/awsmfa-alice$/], [ro.stdout, /^arn:aws:sts::123456789012:assumed-role\/ReadOnly\/alice-ro$/]] as const) {
        const session = JSON.parse(output);
        const whoami = await runAwsmfa([`whoami`, `--json`], {...sandbox.env, AWS_ACCESS_KEY_ID: session.AccessKeyId, AWS_SECRET_ACCESS_KEY: session.SecretAccessKey, AWS_SESSION_TOKEN: session.SessionToken});
        assert.equal(whoami.exitCode, 0, whoami.stderr);
        assert.match(JSON.parse(whoami.stdout).arn, arn);
      }
    });

    test(`the AWS CLI uses a credential_process profile: the role's session from awsmfa's cache`, {skip: awsMissing}, async () => {
      const {spawnSync} = await import(`node:child_process`);
      const cached = JSON.parse((await runAwsmfa([`credential-process`, `--profile`, `admin`], sandbox.env)).stdout);
      const env = {...sandbox.env, AWS_PAGER: ``};
      const exported = spawnSync(AWS, [`configure`, `export-credentials`, `--profile`, `cp`, `--format`, `process`], {env, encoding: `utf8`});
      assert.equal(exported.status, 0, exported.stderr);
      assert.equal(JSON.parse(exported.stdout).AccessKeyId, cached.AccessKeyId);
      const identity = spawnSync(AWS, [`sts`, `get-caller-identity`, `--profile`, `cp`, `--endpoint-url`, moto.url, `--output`, `json`], {env, encoding: `utf8`});
      assert.equal(identity.status, 0, identity.stderr);
      assert.match(JSON.parse(identity.stdout).Arn, /^arn:aws:sts::123456789012:assumed-role\/Admin\/awsmfa-alice$/);
    });
  });
  describe(`devices against moto's IAM, which wants the user named (ListMFADevices with no UserName looks up "None")`, () => {
    let bob: Sandbox;
    let bobKeys: {id: string, secret: string};
    const SERIAL = `arn:aws:iam::123456789012:mfa/bob`;
    before(async () => {
      // A user of moto's own, with keys and an enabled virtual MFA device, as an administrator would set them up.
      const admin = new IAMClient({endpoint: moto.url, region: `us-east-1`, credentials: {accessKeyId: `AKIAMOTOADMIN0000001`, secretAccessKey: `admin`}});
      await admin.send(new CreateUserCommand({UserName: `bob`, Path: `/team/`}));
      const {AccessKey: key} = await admin.send(new CreateAccessKeyCommand({UserName: `bob`}));
      const {VirtualMFADevice: device} = await admin.send(new CreateVirtualMFADeviceCommand({VirtualMFADeviceName: `bob`}));
      assert.equal(device?.SerialNumber, SERIAL);
      await admin.send(new EnableMFADeviceCommand({UserName: `bob`, SerialNumber: SERIAL, AuthenticationCode1: `123456`, AuthenticationCode2: `654321`}));
      admin.destroy();
      bob = makeSandbox({endpoint: moto.url, profiles: false});
      bob.writeCredentials(`[default]\naws_access_key_id = ${key!.AccessKeyId}\naws_secret_access_key = ${key!.SecretAccessKey}\n`);
      bobKeys = {id: key!.AccessKeyId!, secret: key!.SecretAccessKey!};
    });
    beforeEach(async () => {
      bob.writeConfig(`[default]\nregion = eu-west-1\n`);
      // The device env found is remembered per key: each test asks IAM afresh.
      assert.equal((await runAwsmfa([`clear`], bob.env)).exitCode, 0);
    });
    after(() => bob?.cleanup());

    test(`a first login with no keys: the keys typed list bob's device from IAM, and the region asked is saved`, async () => {
      const {rmSync, readFileSync: read, writeFileSync: write} = await import(`node:fs`);
      const credentials = join(bob.awsDir, `credentials`);
      const kept = read(credentials, `utf8`);
      rmSync(credentials);
      rmSync(join(bob.awsDir, `config`));
      try {
        const env = {...bob.env};
        delete (env as Record<string, string | undefined>).AWS_REGION;
        delete (env as Record<string, string | undefined>).AWS_DEFAULT_REGION;
        // Keys, region, Enter for the device offered, Enter for the profile, the code, yes to saving.
        const result = await runAwsmfaWithTty([bobKeys.id, bobKeys.secret, `eu-west-1`, ``, ``, `123456`, `y`], [`login`], env);
        assert.equal(result.exitCode, 0, result.stderr);
        assert.match(result.stderr, /Default region name \[None\]: <answered>/);
        assert.match(result.stderr, new RegExp(`Your MFA devices \\(from IAM\\):\\r?\\n  1\\) ${SERIAL}\\r?\\nMFA device \\[1\\]: <answered>`));
        assert.match(result.stderr, /Temporary credentials written to profile 'session-bob'/);
        assert.match(read(join(bob.awsDir, `config`), `utf8`), new RegExp(`\\[default\\]\\nmfa_serial = ${SERIAL}\\nregion = eu-west-1\\n`));
      } finally {
        write(credentials, kept, {mode: 0o600});
      }
    });

    test(`a profile with no mfa_serial: env finds the only device through IAM and gets a session with it`, async () => {
      const result = await runAwsmfa([`env`, `--shell`, `json`, `123456`], bob.env);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stderr, new RegExp(`no mfa_serial for profile 'default': using your only MFA device ${SERIAL} from IAM`));
      assert.match(JSON.parse(result.stdout).AccessKeyId, /^[A-Z0-9]{16,}$/);
    });

    test(`devices lists bob's device, and --json names the user`, async () => {
      const result = await runAwsmfa([`devices`], bob.env);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`^${SERIAL}  enabled \\d{4}-\\d{2}-\\d{2}\n$`));
      const json = await runAwsmfa([`devices`, `--json`], bob.env);
      assert.equal(json.exitCode, 0, json.stderr);
      assert.deepEqual(JSON.parse(json.stdout).map((device: {serialNumber: string, userName: string}) => [device.serialNumber, device.userName]), [[SERIAL, `bob`]]);
    });

    test(`devices --save writes it as the profile's mfa_serial`, async () => {
      const result = await runAwsmfa([`devices`, `--save`], bob.env);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stderr, /^awsmfa: saved mfa_serial = arn:aws:iam::123456789012:mfa\/bob under \[default\] in .*config\n$/);
      assert.equal(readFileSync(join(bob.awsDir, `config`), `utf8`), `[default]\nregion = eu-west-1\nmfa_serial = ${SERIAL}\n`);
    });
  });
});
