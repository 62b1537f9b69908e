/** `awsmfa login` / `logout`: sessions in a profile of ~/.aws/credentials, read back by the AWS CLI and the SDK. */
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeEach, describe, test} from 'node:test';
import {fromIni} from '@aws-sdk/credential-providers';
import {parseIni, sectionValues} from '../src/aws-files/ini.js';
import {BIN, type RunResult, runAwsmfaWithTty} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {localText, spanBetween} from './support/time.js';
import {ALICE} from './support/sts-server.js';

const AWS = `/usr/bin/aws`;
const awsMissing = existsSync(AWS) ? false : process.env.CI ? `` : `the AWS CLI v2 (/usr/bin/aws, Debian's awscli) is not installed here`;
if (awsMissing === ``)
  throw new Error(`/usr/bin/aws is missing, and CI must test with it (see .ci/run)`);

const {run} = useStandIn({allowReuse: true});
let credentialsFile: string;
beforeEach(() => {
  credentialsFile = join(sandbox.awsDir, `credentials`);
});

const credentials = () => readFileSync(credentialsFile, `utf8`);
const section = (name: string) => sectionValues(parseIni(credentials()), name);

function assertFails(result: RunResult, exitCode: number, message: RegExp) {
  assert.equal(result.stdout, ``);
  assert.equal(result.exitCode, exitCode, result.stderr);
  assert.match(result.stderr, message);
}

describe(`login`, () => {
  test(`writes [session-<device>] with the session, says how to use it, prints nothing on stdout`, async () => {
    // In a zone of its own: the end is said in local time (the file keeps ISO 8601 for programs).
    const before = Date.now();
    const result = await run([`login`, sts.code], {TZ: `Asia/Kathmandu`});
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, ``);
    const issued = sts.issued.at(-1)!;
    const expiration = issued.expiration.toISOString().replace(`.000Z`, `Z`);
    const lines = result.stderr.split(`\n`);
    assert.equal(lines[0], `Temporary credentials written to profile 'session-alice'`);
    assert.match(lines[1]!, new RegExp(`^Credentials valid for ${spanBetween(issued.expiration, before, Date.now())}, until ${localText(issued.expiration, `Asia/Kathmandu`)} local$`));
    assert.deepEqual(lines.slice(2), [`To use them: --profile session-alice, or export AWS_PROFILE=session-alice`, ``]);
    assert.deepEqual(section(`session-alice`), {
      aws_access_key_id: issued.accessKeyId,
      aws_secret_access_key: issued.secretAccessKey,
      aws_session_token: issued.sessionToken,
      aws_expiration: expiration,
    });
    assert.deepEqual(section(`default`), {aws_access_key_id: ALICE.accessKeyId, aws_secret_access_key: ALICE.secretAccessKey});
    assert.equal(statSync(credentialsFile).mode & 0o777, 0o600);
  });

  test(`with a cached session it says so, and how to force a new one (aws configure mfa-login always asks)`, async () => {
    assert.equal((await run([`env`, `--shell`, `bash`, sts.code])).exitCode, 0);
    const result = await run([`login`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(sts.sessionRequests.length, 1, `no second request`);
    assert.match(result.stderr, /^awsmfa: cached session of profile 'default', valid for 1[12]h \d+m, .* \(--force asks STS for a new one\)\nTemporary credentials written to profile 'session-alice'\n/);
    assert.deepEqual(section(`session-alice`)?.aws_access_key_id, sts.issued.at(-1)!.accessKeyId);
    const quiet = await run([`login`, `--quiet`]);
    assert.doesNotMatch(quiet.stderr, /cached session/);
    const forced = await run([`login`, `--force`, sts.code]);
    assert.doesNotMatch(forced.stderr, /cached session/);
    assert.equal(sts.sessionRequests.length, 2);
  });

  test(`the AWS SDK's own loader (fromIni) reads the session`, async () => {
    await run([`login`, `--update-profile`, `work-mfa`, sts.code]);
    const issued = sts.issued.at(-1)!;
    const loaded = await fromIni({profile: `work-mfa`, filepath: credentialsFile, configFilepath: join(sandbox.awsDir, `config`)})();
    assert.equal(loaded.accessKeyId, issued.accessKeyId);
    assert.equal(loaded.secretAccessKey, issued.secretAccessKey);
    assert.equal(loaded.sessionToken, issued.sessionToken);
  });

  test(`the AWS CLI v2 reads the session, and STS accepts its signature with it`, {skip: awsMissing}, async () => {
    await run([`login`, `--update-profile`, `work-mfa`, sts.code]);
    const issued = sts.issued.at(-1)!;
    const env = {...sandbox.env, AWS_PAGER: ``};
    const exported = spawnSync(AWS, [`configure`, `export-credentials`, `--profile`, `work-mfa`, `--format`, `process`], {env, encoding: `utf8`});
    assert.equal(exported.status, 0, exported.stderr);
    const document = JSON.parse(exported.stdout);
    assert.equal(document.AccessKeyId, issued.accessKeyId);
    assert.equal(document.SecretAccessKey, issued.secretAccessKey);
    assert.equal(document.SessionToken, issued.sessionToken);

    sts.requests.length = 0;
    const identity = await new Promise<number | null>(resolve => spawn(AWS, [`sts`, `get-caller-identity`, `--profile`, `work-mfa`, `--endpoint-url`, sts.url, `--region`, `us-east-1`], {env, stdio: `ignore`}).on(`close`, resolve));
    assert.equal(identity, 0);
    assert.equal(sts.requests[0]!.accessKeyId, issued.accessKeyId);
    assert.equal(sts.requests[0]!.sessionToken, issued.sessionToken);
    assert.ok(sts.requests[0]!.signatureValid);
  });

  test(`a second login replaces the values in place: one section, every other byte kept`, async () => {
    const before = [
      `# my AWS keys`,
      `[default]`,
      `aws_access_key_id=${ALICE.accessKeyId}`,
      `aws_secret_access_key   =   ${ALICE.secretAccessKey}`,
      `; the session below is awsmfa's`,
      ``,
      `[work-mfa]`,
      `region = eu-west-1`,
      `aws_access_key_id = ASIAOLD`,
      `aws_secret_access_key = old`,
      `aws_session_token = old`,
      ``,
      `[other]`,
      `aws_access_key_id = AKIAOTHER`,
      `aws_secret_access_key = other`,
    ].join(`\r\n`);
    writeFileSync(credentialsFile, before);
    const result = await run([`login`, `-u`, `work-mfa`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    const issued = sts.issued.at(-1)!;
    assert.equal(credentials(), before
      .replace(`aws_access_key_id = ASIAOLD`, `aws_access_key_id = ${issued.accessKeyId}`)
      .replace(`aws_secret_access_key = old`, `aws_secret_access_key = ${issued.secretAccessKey}`)
      .replace(`aws_session_token = old`, `aws_session_token = ${issued.sessionToken}\r\naws_expiration = ${issued.expiration.toISOString().replace(`.000Z`, `Z`)}`));
  });

  test(`refuses to write into a profile with long-term keys, the source included; the file is untouched`, async () => {
    const before = credentials();
    assertFails(await run([`login`, `--update-profile`, `default`, sts.code]), 2, /profile 'default' in .*credentials holds long-term access keys; awsmfa will not overwrite it: choose another --update-profile/);
    writeFileSync(join(sandbox.awsDir, `config`), `[default]\nmfa_serial = ${ALICE.serialNumber}\n[profile keys]\naws_access_key_id = AKIAKEYS\naws_secret_access_key = s\n`);
    assertFails(await run([`login`, `-u`, `keys`, sts.code]), 2, /profile 'keys' in .*config holds long-term access keys/);
    assert.equal(credentials(), before);
    assert.equal(sts.requests.length, 0, `refused before any request`);
  });

  test(`with a role, the default profile is session-<profile>, holding the role's session`, async () => {
    writeFileSync(join(sandbox.awsDir, `config`), `[default]\nmfa_serial = ${ALICE.serialNumber}\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\n`);
    const result = await run([`login`, `--profile`, `admin`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(sts.sessionRequests.map(request => request.action), [`GetSessionToken`, `AssumeRole`], `assumed from the MFA session`);
    assert.equal(section(`session-admin`)!.aws_access_key_id, sts.issued.at(-1)!.accessKeyId);
    assert.equal((await run([`logout`, `--profile`, `admin`])).exitCode, 0);
    assert.equal(section(`session-admin`), undefined);
  });

  test(`--print-env also prints the lines for the shell`, async () => {
    const result = await run([`login`, `--print-env`, `--shell`, `fish`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^set -gx AWS_ACCESS_KEY_ID '${sts.issued.at(-1)!.accessKeyId}'$`, `m`));
  });

  test(`creates ~/.aws (0700) and the file (0600) when they are absent; tightens a loose file`, async () => {
    rmSync(sandbox.awsDir, {recursive: true});
    const result = await run([`login`, sts.code, `--serial-number`, ALICE.serialNumber], {AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey});
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(statSync(sandbox.awsDir).mode & 0o777, 0o700);
    assert.equal(statSync(credentialsFile).mode & 0o777, 0o600);
    chmodSync(credentialsFile, 0o644);
    const again = await run([`login`, sts.code, `--serial-number`, ALICE.serialNumber], {AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey});
    assert.equal(again.exitCode, 0, again.stderr);
    assert.equal(statSync(credentialsFile).mode & 0o777, 0o600);
  });

  test(`a symlinked credentials file stays a symlink; its target is updated`, async () => {
    const real = join(sandbox.home, `dotfiles-credentials`);
    renameSync(credentialsFile, real);
    symlinkSync(real, credentialsFile);
    assert.equal((await run([`login`, sts.code])).exitCode, 0);
    assert.ok(readFileSync(real, `utf8`).includes(`[session-alice]`));
    assert.equal(spawnSync(`test`, [`-L`, credentialsFile]).status, 0);
  });
});

describe(`logout`, () => {
  test(`removes the session profile only, byte for byte, and its cached session`, async () => {
    const before = `# keys\n[default]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n\n; other\n[other]\nx = y\n`;
    writeFileSync(credentialsFile, before);
    await run([`login`, sts.code]);
    assert.equal((await run([`env`])).exitCode, 0, `cached`);
    const result = await run([`logout`]);
    assert.equal(result.exitCode, 0, result.stderr);
    // Everything that went is named: the section, what login copied into the config, the cached session by profile and kind.
    const lines = result.stderr.split(`\n`);
    assert.equal(lines[0], `Removed profile 'session-alice' from ${credentialsFile}`);
    assert.match(lines[1]!, /^awsmfa: removed what login copied into \[profile session-alice\] of .*config: region$/);
    assert.match(lines[2]!, new RegExp(`^awsmfa: deleted the same session from awsmfa's cache: profile 'default': MFA session of ${ALICE.serialNumber} \\(1[12]h \\d+m left\\)$`));
    assert.equal(lines.length, 4, result.stderr);
    assert.equal(credentials(), before);
    const env = await run([`env`]);
    assert.match(env.stderr, /no MFA code given/, `the cached session is gone`);
  });

  test(`--update-profile names it; a long-term profile is never removed; a missing one is an error`, async () => {
    await run([`login`, `-u`, `work-mfa`, sts.code]);
    assert.equal((await run([`logout`, `--update-profile`, `work-mfa`])).exitCode, 0);
    assert.equal(section(`work-mfa`), undefined);
    const before = credentials();
    assertFails(await run([`logout`, `-u`, `default`]), 2, /profile 'default' in .* holds long-term access keys; awsmfa will not remove it/);
    assertFails(await run([`logout`, `-u`, `work-mfa`]), 1, /nothing was removed: there is no profile 'work-mfa' in .*credentials\n$/);
    assert.equal(credentials(), before);
  });
});

describe(`concurrency and crashes`, () => {
  test(`login copies the source's region and output the session profile lacks; logout removes exactly those`, async () => {
    const config = `# mine\n[default]\nregion = eu-west-1\noutput = json\nmfa_serial = ${ALICE.serialNumber}\n\n[profile kept]\nregion = ap-south-1\n`;
    writeFileSync(join(sandbox.awsDir, `config`), config);
    assert.equal((await run([`login`, sts.code])).exitCode, 0);
    assert.equal(readFileSync(join(sandbox.awsDir, `config`), `utf8`), `${config}\n[profile session-alice]\nregion = eu-west-1\noutput = json\nawsmfa_copied = region output\n`);
    // A profile with its own region keeps it (through logout too), and gets only the output it lacks.
    sts.code = String(Number(sts.code) % 899999 + 100001);
    assert.equal((await run([`login`, `-u`, `kept`, sts.code])).exitCode, 0);
    assert.match(readFileSync(join(sandbox.awsDir, `config`), `utf8`), /\[profile kept\]\nregion = ap-south-1\noutput = json\nawsmfa_copied = output\n\n\[profile session-alice\]/);
    assert.equal((await run([`logout`])).exitCode, 0);
    assert.equal((await run([`logout`, `-u`, `kept`])).exitCode, 0);
    assert.equal(readFileSync(join(sandbox.awsDir, `config`), `utf8`), config, `the config file as it was`);
  });

  test(`20 logins at once into 20 profiles all land`, async () => {
    const results = await Promise.all(Array.from({length: 20}, (_, index) => run([`login`, `-u`, `p${index}`, `--no-cache`, sts.code])));
    for (const result of results)
      assert.equal(result.exitCode, 0, result.stderr);
    const file = parseIni(credentials());
    const names = file.sections.map(entry => entry.name).sort();
    assert.deepEqual(names, [`default`, ...Array.from({length: 20}, (_, index) => `p${index}`)].sort());
    for (let index = 0; index < 20; index++)
      assert.match(sectionValues(file, `p${index}`)!.aws_access_key_id!, /^ASIA/);
    assert.deepEqual(readdirSync(sandbox.awsDir).filter(name => name !== `credentials` && name !== `config`), [], `no lock or temporary file left`);
  });

  test(`a writer killed between write and rename leaves the old file whole; the next login recovers`, async () => {
    const before = credentials();
    const child = spawn(process.execPath, [BIN, `login`, sts.code], {env: {...sandbox.env, AWSMFA_TEST_HOLD_BEFORE_RENAME_MS: `20000`}, stdio: `ignore`});
    const deadline = Date.now() + 15_000;
    // The new text's temporary file, not the lock's (credentials.lock.PID.RAND.tmp, made on the way to the lock).
    const newText = () => readdirSync(sandbox.awsDir).some(name => /^credentials\.\d+\.[0-9a-z]{8}\.tmp$/.test(name));
    while (!newText() && Date.now() < deadline)
      await new Promise(resolve => setTimeout(resolve, 20));
    assert.ok(newText(), `the writer reached the rename`);
    child.kill(`SIGKILL`);
    await new Promise(resolve => child.on(`close`, resolve));
    assert.equal(credentials(), before, `the old file, whole`);
    assert.ok(existsSync(`${credentialsFile}.lock`), `the killed writer's lock is left behind`);

    const next = await run([`login`, sts.code]);
    assert.equal(next.exitCode, 0, next.stderr);
    assert.ok(section(`session-alice`));
    assert.deepEqual(readdirSync(sandbox.awsDir).filter(name => name !== `credentials` && name !== `config`), [], `stale lock and orphaned temporary file removed`);
  });

  test(`a live lock is waited for, then reported`, async () => {
    writeFileSync(`${credentialsFile}.lock`, `${process.pid}\n`);
    const result = await run([`login`, sts.code], {AWSMFA_LOCK_TIMEOUT_MS: `300`});
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, new RegExp(`is being edited by another process \\(pid ${process.pid}, lock .*credentials\\.lock\\); try again`));
    assert.equal(sts.requests.length, 0, `the lock is taken before the code is spent`);
  });
});

describe(`first run`, () => {
  const runWithTty = (answers: string[], args: string[]) => runAwsmfaWithTty(answers, args, sandbox.env);

  test(`no keys and a terminal: asks for keys (the secret unechoed) and the device, then offers to save them`, async () => {
    rmSync(credentialsFile);
    writeFileSync(join(sandbox.awsDir, `config`), `# mine\n[default]\nregion = eu-west-1\n`);
    // The keys, the device, Enter for the profile's default name, the code, yes to saving.
    const result = await runWithTty([ALICE.accessKeyId, ALICE.secretAccessKey, ALICE.serialNumber, ``, sts.code, `y`], [`login`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /No long-term keys found for profile 'default'\. Please provide your AWS credentials:/);
    assert.match(result.stderr, /AWS Access Key ID: <answered>.*AWS Secret Access Key: <answered>/s);
    assert.ok(!result.stderr.includes(ALICE.secretAccessKey), `the secret is not echoed`);
    assert.match(result.stderr, /Temporary credentials written to profile 'session-alice'/);
    assert.equal(sts.sessionRequests[0]!.accessKeyId, ALICE.accessKeyId);
    assert.ok(sts.sessionRequests[0]!.signatureValid, `signed with the secret as typed`);
    assert.deepEqual(section(`default`), {aws_access_key_id: ALICE.accessKeyId, aws_secret_access_key: ALICE.secretAccessKey});
    assert.match(result.stderr, /Profile to update \[session-alice\]: <answered>/);
    assert.equal(readFileSync(join(sandbox.awsDir, `config`), `utf8`), `# mine\n[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile session-alice]\nregion = eu-west-1\nawsmfa_copied = region\n`);
  });

  test(`a first run asks the region (offering the environment's, as aws configure does) and offers IAM's device list`, async () => {
    rmSync(credentialsFile);
    rmSync(join(sandbox.awsDir, `config`));
    sts.users[0] = {...ALICE, devices: [`arn:aws:iam::123456789012:mfa/alice-old`, ALICE.serialNumber]};
    // The keys, Enter for the region offered, 2 for the second device, Enter for the profile, the code, yes to saving.
    const result = await runAwsmfaWithTty([ALICE.accessKeyId, ALICE.secretAccessKey, ``, `2`, ``, sts.code, `y`], [`login`], {...sandbox.env, AWS_REGION: `eu-central-1`});
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /Default region name \[eu-central-1\]: <answered>/);
    assert.match(result.stderr, /Your MFA devices \(from IAM\):\r?\n  1\) arn:aws:iam::123456789012:mfa\/alice-old\r?\n  2\) arn:aws:iam::123456789012:mfa\/alice\r?\nMFA device \[1\]: <answered>/);
    assert.equal(sts.sessionRequests.at(-1)!.params.SerialNumber, ALICE.serialNumber);
    assert.equal(sts.sessionRequests.at(-1)!.region, `eu-central-1`, `STS asked in the region chosen`);
    assert.equal(readFileSync(join(sandbox.awsDir, `config`), `utf8`), `[profile session-alice]\nregion = eu-central-1\nawsmfa_copied = region\n\n[default]\nmfa_serial = ${ALICE.serialNumber}\nregion = eu-central-1\n`);
  });

  test(`a first run with no region anywhere: None offered, a typed region is checked and saved`, async () => {
    rmSync(credentialsFile);
    rmSync(join(sandbox.awsDir, `config`));
    const env = {...sandbox.env};
    delete (env as Record<string, string | undefined>).AWS_REGION;
    delete (env as Record<string, string | undefined>).AWS_DEFAULT_REGION;
    const bad = await runAwsmfaWithTty([ALICE.accessKeyId, ALICE.secretAccessKey, `eu west 1`], [`login`, `-u`, `s`], env);
    assert.equal(bad.exitCode, 2, bad.stderr);
    assert.match(bad.stderr, /Default region name \[None\]: <answered>.*that is not a region name like eu-west-1/s);
    assert.equal(sts.sessionRequests.length, 0);
    const good = await runAwsmfaWithTty([ALICE.accessKeyId, ALICE.secretAccessKey, `ap-south-1`, ``, sts.code, `y`], [`login`, `-u`, `s`], env);
    assert.equal(good.exitCode, 0, good.stderr);
    assert.match(good.stderr, /MFA device \[1\]: <answered>/, `alice's only device, offered`);
    assert.match(readFileSync(join(sandbox.awsDir, `config`), `utf8`), /\[default\]\nmfa_serial = arn:aws:iam::123456789012:mfa\/alice\nregion = ap-south-1\n/);
  });

  test(`on a terminal without --update-profile, login asks which profile to write, as aws configure mfa-login does`, async () => {
    const result = await runWithTty([`work-mfa`], [`login`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /Profile to update \[session-alice\]: <answered>/);
    assert.match(result.stderr, /Temporary credentials written to profile 'work-mfa'/);
    assert.ok(section(`work-mfa`));
  });

  test(`no keys and no terminal: a clear error`, async () => {
    rmSync(credentialsFile);
    assertFails(await run([`login`, sts.code]), 2, /no long-term access keys for profile 'default': add aws_access_key_id and aws_secret_access_key/);
  });
});


describe(`status of a session profile`, () => {
  test(`status --profile <session profile> reads its aws_expiration`, async () => {
    await run([`login`, `-u`, `work-mfa`, sts.code]);
    const result = await run([`status`, `--profile`, `work-mfa`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^session profile 'work-mfa': ${sts.issued.at(-1)!.accessKeyId}, valid for (11h 59m|12h 00m), until .+ local$`, `m`));
    assert.match((await run([`status`, `--short`], {AWS_PROFILE: `work-mfa`})).stdout, /^(11h 59m|12h 00m)\n$/);
    writeFileSync(credentialsFile, credentials().replace(/aws_expiration = .*/, `aws_expiration = 2020-01-01T00:00:00Z`));
    assert.equal((await run([`status`, `--short`, `-p`, `work-mfa`])).exitCode, 1);
  });
});
