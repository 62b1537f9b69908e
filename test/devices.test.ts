/**
 * `awsmfa profiles`, and MFA devices from IAM (ListMFADevices, signed by the long-term keys; the stand-in checks the signature with the
 * `iam` scope): `awsmfa devices [--save] [--json]`, and env/login using the only device when no mfa_serial is set.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {beforeEach, describe, test} from 'node:test';
import {iamUserName} from '../src/aws/iam.js';
import {assertFails, runAwsmfa, runAwsmfaWithTty} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ALICE} from './support/sts-server.js';

const {run, secrets} = useStandIn();

const SECOND = `arn:aws:iam::123456789012:mfa/alice-yubikey`;
const config = () => readFileSync(join(sandbox.awsDir, `config`), `utf8`);

const runWithTty = (answers: string[], args: string[]) => runAwsmfaWithTty(answers, args, sandbox.env);

beforeEach(() => sandbox.writeConfig(`# mine\n[default]\nregion = eu-west-1\n`));

describe(`awsmfa devices`, () => {
  test(`lists the user's devices, asked of IAM with the long-term keys; says how to save one`, async () => {
    const result = await run([`devices`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, `${ALICE.serialNumber}  enabled 2024-03-01\n`);
    assert.match(result.stderr, /^awsmfa: profile 'default' names no mfa_serial; awsmfa devices --save writes it into .*\/\.aws\/config\n$/);
    const [request] = sts.requests;
    assert.equal(request!.action, `ListMFADevices`);
    assert.equal(request!.accessKeyId, ALICE.accessKeyId);
    assert.ok(request!.signatureValid);
    sandbox.writeConfig(`[default]\nmfa_serial = ${ALICE.serialNumber}\n`);
    sts.users[0] = {...ALICE, devices: [ALICE.serialNumber, SECOND]};
    const json = JSON.parse((await run([`devices`, `--json`])).stdout);
    assert.deepEqual(json.map((device: {serialNumber: string, usedByProfile: boolean}) => [device.serialNumber, device.usedByProfile]), [[ALICE.serialNumber, true], [SECOND, false]]);
  });

  test(`--save writes the only device into the profile's section, changing nothing else; a second --save changes nothing`, async () => {
    const result = await run([`devices`, `--save`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /^awsmfa: saved mfa_serial = arn:aws:iam::123456789012:mfa\/alice under \[default\] in .*config\n$/);
    assert.equal(config(), `# mine\n[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n`);
    assert.match((await run([`devices`, `--save`])).stderr, /already has mfa_serial/);
    assert.equal(config(), `# mine\n[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n`);
    sts.requests.length = 0;
    assert.equal((await run([`env`, sts.code])).exitCode, 0);
    assert.deepEqual(sts.requests.map(request => request.action), [`GetSessionToken`], `a saved device needs no IAM call`);
  });

  test(`several devices: --save asks which on a terminal, and fails with the list without one`, async () => {
    sts.users[0] = {...ALICE, devices: [ALICE.serialNumber, SECOND]};
    assertFails(await run([`devices`, `--save`]), 2, /^awsmfa: your IAM user has 2 MFA devices \(arn:aws:iam::123456789012:mfa\/alice, arn:aws:iam::123456789012:mfa\/alice-yubikey\); pick one on a terminal, or add mfa_serial = ARN under \[default\] in .*config yourself\n$/);
    const picked = await runWithTty([`2`], [`devices`, `--save`, `--profile`, `default`]);
    assert.equal(picked.exitCode, 0, picked.stderr);
    assert.match(picked.stderr, /1\) arn:aws:iam::123456789012:mfa\/alice  \(enabled 2024-03-01\)\s+2\) arn:aws:iam::123456789012:mfa\/alice-yubikey/);
    assert.match(config(), new RegExp(`^mfa_serial = ${SECOND}$`, `m`));
  });

  test(`no device, a refusal, and keys IAM does not know: one line each`, async () => {
    sts.users[0] = {...ALICE, devices: []};
    const none = await run([`devices`]);
    assert.equal(none.exitCode, 1);
    assert.match(none.stderr, /has no MFA device: assign one in the IAM console/);
    assertFails(await run([`env`, sts.code]), 2, /^awsmfa: your IAM user has no MFA device \(IAM ListMFADevices lists none\): assign one/);
    sts.fault = {status: 403, code: `AccessDenied`, message: `not authorized to perform: iam:ListMFADevices`};
    assertFails(await run([`devices`]), 1, /^awsmfa: IAM denied AKIAALICEEXAMPLE0001 iam:ListMFADevices/);
    sts.fault = undefined;
    sandbox.writeCredentials(`[default]\naws_access_key_id = AKIAUNKNOWN000000000\naws_secret_access_key = nope\n`);
    assertFails(await run([`devices`]), 1, /^awsmfa: IAM does not accept the keys AKIAUNKNOWN000000000 from profile 'default' in .*credentials \(InvalidClientTokenId\)/, [`nope`]);
  });
});

describe(`env and login without mfa_serial use the only device`, () => {
  test(`env says which device it uses, remembers it: the next terminal makes no IAM call`, async () => {
    const result = await run([`env`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /^awsmfa: no mfa_serial for profile 'default': using your only MFA device arn:aws:iam::123456789012:mfa\/alice from IAM \(awsmfa devices --save writes it into .*config\)\n/m);
    assert.deepEqual(sts.requests.map(request => request.action), [`ListMFADevices`, `GetSessionToken`]);
    assert.equal(sts.requests[1]!.params.SerialNumber, ALICE.serialNumber);
    const again = await run([`env`]);
    assert.equal(again.exitCode, 0, again.stderr);
    assert.match(again.stderr, /^awsmfa: cached session of profile 'default', valid for 1[12]h \d+m, until [^\n]*\n$/, `one line: the cached session, nothing about a device`);
    assert.equal(sts.requests.length, 2, `neither IAM nor STS was asked again`);
    assert.equal(config(), `# mine\n[default]\nregion = eu-west-1\n`, `nothing was written into ~/.aws without --save`);
    const listed = JSON.parse((await run([`profiles`, `--json`])).stdout);
    assert.equal(listed[0].mfaSerial, ALICE.serialNumber, `profiles shows the device found in IAM`);
    assert.ok(listed[0].session.remainingSeconds > 11 * 3600);
  });

  test(`several devices and no terminal: env fails with the list, before any code is spent`, async () => {
    sts.users[0] = {...ALICE, devices: [ALICE.serialNumber, SECOND]};
    assertFails(await run([`env`, sts.code]), 2, /^awsmfa: your IAM user has 2 MFA devices \(.*\); pass --serial-number, or pick one with awsmfa devices --save on a terminal\n$/);
    assert.deepEqual(sts.requests.map(request => request.action), [`ListMFADevices`]);
  });

  test(`login uses the only device too`, async () => {
    const result = await run([`login`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /using your only MFA device/);
    assert.match(result.stderr, /Temporary credentials written to profile 'session-alice'/);
  });

  test(`clear forgets the remembered device too`, async () => {
    assert.equal((await run([`env`, sts.code])).exitCode, 0);
    assert.equal((await run([`clear`])).exitCode, 0);
    sts.requests.length = 0;
    sts.code = `864209`;
    assert.equal((await run([`env`, `864209`])).exitCode, 0);
    assert.deepEqual(sts.requests.map(request => request.action), [`ListMFADevices`, `GetSessionToken`]);
  });
});

describe(`awsmfa profiles`, () => {
  test(`each profile: kind, region, device, role and source, and the time left of its cached session; --json; never a secret`, async () => {
    sandbox.writeCredentials(`[default]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n[written]\naws_access_key_id = ASIAWRITTEN000000000\naws_secret_access_key = s3cr3t\naws_session_token = t0k3n\naws_expiration = 2020-01-01T00:00:00Z\n`);
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\n[profile corp]\nsso_session = corp\nregion = us-east-2\n[profile loop]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = loop2\n[profile loop2]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = loop\n`);
    assert.equal((await run([`env`, `--profile`, `admin`, sts.code])).exitCode, 0);
    const result = await run([`profiles`]);
    assert.equal(result.exitCode, 0, result.stderr);
    const lines = result.stdout.trimEnd().split(`\n`).map(line => line.split(/ {2,}/));
    assert.deepEqual(lines[0], [`PROFILE`, `KIND`, `REGION`, `MFA DEVICE`, `ROLE (SOURCE)`, `SESSION`]);
    assert.deepEqual(lines.slice(1).map(line => line.slice(0, 5)), [
      [`default`, `keys`, `eu-west-1`, `123456789012:mfa/alice`, `-`],
      [`admin`, `role`, `eu-west-1`, `123456789012:mfa/alice`, `123456789012:role/Admin (default)`],
      [`corp`, `sso`, `us-east-2`, `-`, `-`],
      [`loop`, `role`, `-`, `-`, `123456789012:role/Admin (loop2)`],
      [`loop2`, `role`, `-`, `-`, `123456789012:role/Admin (loop)`],
      [`written`, `session`, `-`, `-`, `-`],
    ]);
    assert.match(lines[1]![5]!, /^1[12]h \d+m left$/, `the MFA session the role was assumed from`);
    assert.match(lines[2]![5]!, /^(0h 59m|1h 00m) left$/);
    assert.equal(lines[4]![5], `unusable: see awsmfa env --profile loop`);
    assert.equal(lines[6]![5], `expired`);
    for (const secret of [...secrets(), `s3cr3t`, `t0k3n`])
      assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret));
    const json = JSON.parse((await run([`profiles`, `--json`])).stdout);
    assert.equal(json[1].roleArn, `arn:aws:iam::123456789012:role/Admin`);
    assert.ok(json[1].session.remainingSeconds > 3000 && json[1].session.remainingSeconds <= 3600);
    assert.match(json[3].problem, /go round in a circle/);
    assert.equal(sts.requests.length, 2, `listing asks nothing of AWS`);
  });

  test(`the cache is read once, not once per profile: 300 profiles open no more files than 3, and still show their sessions`, async () => {
    const opensFile = join(sandbox.home, `opens`);
    const preload = fileURLToPath(new URL(`./support/count-opens.cjs`, import.meta.url));
    const roles = (count: number) => Array.from({length: count}, (_, index) => `[profile acct-${index}]\nrole_arn = arn:aws:iam::${100000000000 + index}:role/Deploy\nsource_profile = default\n`).join(``);
    const opens = async (count: number) => {
      sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n${roles(count)}`);
      const result = await runAwsmfa([`profiles`, `--json`], {...sandbox.env, NODE_OPTIONS: `--require ${preload}`, AWSMFA_TEST_OPENS_FILE: opensFile});
      assert.equal(result.exitCode, 0, result.stderr);
      const listed = JSON.parse(result.stdout) as Array<{name: string, session: unknown}>;
      assert.equal(listed.length, count + 1);
      const [opened, failed] = readFileSync(opensFile, `utf8`).split(` `).map(Number);
      return {opened, failed, withSession: listed.filter(profile => profile.session !== null).map(profile => profile.name)};
    };
    sts.roles.push(`arn:aws:iam::100000000001:role/Deploy`);
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n${roles(2)}`);
    assert.equal((await run([`env`, `--profile`, `acct-1`, sts.code])).exitCode, 0);
    // Once before counting: the first run of profiles also looks for its code cache, and writes it.
    await opens(2);
    const few = await opens(2);
    const many = await opens(299);
    assert.deepEqual(few.withSession, [`default`, `acct-1`], `the MFA session and the role's session`);
    assert.deepEqual(many.withSession, [`default`, `acct-1`]);
    assert.equal(many.opened, few.opened, `opens: ${JSON.stringify({few, many})}`);
    assert.equal(many.failed, few.failed);
  });

  test(`10,000 profiles of one source: every one listed in the files' order with its own role, region, device and session; a broken one among them says so alone`, async () => {
    // What is worked out once (the source's keys and device, each role's chain) must not leak from one profile to
    // the next: some roles name a region, a device or a session name of their own, one a session name STS refuses.
    const special = (index: number) => index % 1000 === 7;
    const broken = 5007;
    const OWN = `arn:aws:iam::123456789012:mfa/alice-yubikey`;
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n${Array.from({length: 10_000}, (_, index) =>
      `[profile acct-${index}]\nrole_arn = arn:aws:iam::${100000000000 + index}:role/Deploy\nsource_profile = default\n${special(index) ? `region = us-west-2\nmfa_serial = ${OWN}\n` : ``}${index === broken ? `role_session_name = not valid!\n` : ``}`).join(`\n`)}`);
    sts.roles.push(`arn:aws:iam::100000000001:role/Deploy`);
    assert.equal((await run([`env`, `--profile`, `acct-1`, sts.code])).exitCode, 0);
    const result = await run([`profiles`]);
    assert.equal(result.exitCode, 0, result.stderr);
    const lines = result.stdout.trimEnd().split(`\n`).map(line => line.split(/ {2,}/));
    assert.equal(lines.length, 1 + 1 + 10_000);
    assert.deepEqual(lines[1]!.slice(0, 5), [`default`, `keys`, `eu-west-1`, `123456789012:mfa/alice`, `-`]);
    assert.match(lines[1]![5]!, /^1[12]h \d+m left$/, `the MFA session acct-1's role was assumed from`);
    for (let index = 0; index < 10_000; index++) {
      const [name, kind, region, device, role, session] = lines[index + 2]!;
      assert.deepEqual([name, kind, region, device, role], [`acct-${index}`, `role`, special(index) ? `us-west-2` : `eu-west-1`,
        special(index) ? `123456789012:mfa/alice-yubikey` : `123456789012:mfa/alice`, `${100000000000 + index}:role/Deploy (default)`]);
      if (index === 1)
        assert.match(session!, /^(0h 59m|1h 00m) left$/);
      else
        assert.equal(session, index === broken ? `unusable: see awsmfa env --profile acct-${broken}` : `-`, `acct-${index}`);
    }
  });

  test(`no profiles: says where it looked, exit 1`, async () => {
    sandbox.writeCredentials(``);
    sandbox.writeConfig(``);
    const result = await run([`profiles`]);
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, ``);
    assert.match(result.stderr, /^awsmfa: no profiles in .*credentials nor .*config \(aws configure adds one\)\n$/);
  });
});

describe(`the user name IAM is asked with where it wants one named (moto, LocalStack; see test/moto.test.ts)`, () => {
  test(`is the last part of an IAM user's ARN, path or not, in any partition; no other principal has one`, () => {
    assert.equal(iamUserName(`arn:aws:iam::123456789012:user/alice`), `alice`);
    assert.equal(iamUserName(`arn:aws:iam::123456789012:user/team/ops/bob.smith+x@example.com`), `bob.smith+x@example.com`);
    assert.equal(iamUserName(`arn:aws-cn:iam::123456789012:user/carol`), `carol`);
    assert.equal(iamUserName(`arn:aws:sts::123456789012:assumed-role/Admin/alice`), undefined);
    assert.equal(iamUserName(`arn:aws:iam::123456789012:root`), undefined);
    assert.equal(iamUserName(`arn:aws:iam::123456789012:user/`), undefined);
    assert.equal(iamUserName(`arn:aws:iam::123456789012:user/alice\nmallory`), undefined);
  });
});
