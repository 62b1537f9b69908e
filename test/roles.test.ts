/**
 * Roles with one code a day: a role is assumed from the MFA session of its source (GetSessionToken, cached as for
 * `env`), signed by that session and without a code; the code goes with AssumeRole itself only with --direct,
 * `awsmfa_direct = true`, or when STS refuses the role to an MFA session that is too old. The stand-in checks who
 * signed each request, so every assertion about "signed by" is the signature STS would check.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {beforeEach, describe, test} from 'node:test';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {main} from '../src/cli/main.js';
import {assertFailureOutput, assertFails as assertFailsWith, BIN, runAwsmfaWithTty, type RunResult} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ALICE, TOTP_STEP_MS, totpCode} from './support/sts-server.js';
import {scaled} from './support/timing.js';

const {run, secrets} = useStandIn();

const ADMIN = `arn:aws:iam::123456789012:role/Admin`;
const READONLY = `arn:aws:iam::123456789012:role/ReadOnly`;
const HOP = `arn:aws:iam::123456789012:role/Hop`;

/** The sessions handed out in this test (the stand-in keeps those of earlier tests valid). */
let before = 0;
beforeEach(() => {
  before = sts.issued.length;
});
const issued = () => sts.issued.slice(before);


/**
 * The CLI in this process, with a clock of the test's (context.now), so a wait for the next TOTP step is short.
 * The cache is named by AWSMFA_CACHE_DIR: env-paths reads XDG_CACHE_HOME from this process's own environment.
 */
async function runWithClock(args: string[], now: () => Date): Promise<RunResult> {
  let stdout = ``;
  let stderr = ``;
  const sink = (add: (text: string) => void) => new Writable({write(chunk, _encoding, done) {
    add(String(chunk));
    done();
  }});
  const err = sink(text => stderr += text);
  const exitCode = await main(args, {env: {...sandbox.env, AWSMFA_CACHE_DIR: join(sandbox.cacheDir, `awsmfa`)}, stdin: process.stdin, stdout: err, stderr: err, out: sink(text => stdout += text), colorDepth: 1, now, ppid: process.pid, platform: process.platform, scriptPath: BIN});
  return {exitCode, stdout, stderr, args};
}

/** The codes sent to STS, in order. */
const codesSent = () => sts.sessionRequests.flatMap(request => request.params.TokenCode === undefined ? [] : [request.params.TokenCode]);

function assertFails(result: RunResult, exitCode: number, message: RegExp) {
  assertFailsWith(result, exitCode, message, secrets());
}

function exported(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map(match => [match[1]!, match[2]!]));
}

/** The session requests as `Action[ RoleArn] by <who signed>[ +code]`, who being `keys` or the issued session's index. */
function calls(): string[] {
  return sts.sessionRequests.map(request => {
    assert.ok(request.signatureValid, `every request is signed properly`);
    const signer = request.accessKeyId === ALICE.accessKeyId ? `keys` : `session#${issued().findIndex(session => session.accessKeyId === request.accessKeyId)}`;
    const role = request.params.RoleArn === undefined ? `` : ` ${request.params.RoleArn.split(`/`).pop()}`;
    return `${request.action}${role} by ${signer}${request.params.TokenCode === undefined ? `` : ` +code`}`;
  });
}

describe(`a role is assumed from the MFA session, without a code`, () => {
  beforeEach(() => {
    sts.roles = [ADMIN, READONLY];
    sandbox.writeConfig([
      `[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n`,
      `[profile admin]\nrole_arn = ${ADMIN}\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\n`,
      `[profile readonly]\nrole_arn = ${READONLY}\nsource_profile = default\nrole_session_name = alice-ro\nexternal_id = ext-7\nduration_seconds = 900\n`,
    ].join(`\n`));
  });

  test(`GetSessionToken with the code, then AssumeRole signed by that session and carrying no code`, async () => {
    const result = await run([`env`, `--profile`, `admin`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(calls(), [`GetSessionToken by keys +code`, `AssumeRole Admin by session#0`]);
    const [getSession, assume] = sts.sessionRequests;
    assert.equal(getSession!.params.SerialNumber, ALICE.serialNumber);
    assert.equal(assume!.sessionToken, issued()[0]!.sessionToken);
    assert.equal(assume!.params.SerialNumber, undefined);
    assert.equal(assume!.params.RoleSessionName, `awsmfa-alice`);
    assert.equal(exported(result.stdout).AWS_ACCESS_KEY_ID, issued()[1]!.accessKeyId, `the role's session is set`);
    assert.match(result.stderr, /^awsmfa: new session for arn:aws:iam::123456789012:role\/Admin, valid for (0h 59m|1h 00m)/);
  });

  test(`a second role of the same source, and the plain session, cost no code`, async () => {
    assert.equal((await run([`env`, `--profile`, `admin`, sts.code])).exitCode, 0);
    const readonly = await run([`env`, `--profile`, `readonly`]);
    assert.equal(readonly.exitCode, 0, readonly.stderr);
    assert.deepEqual(calls(), [`GetSessionToken by keys +code`, `AssumeRole Admin by session#0`, `AssumeRole ReadOnly by session#0`]);
    const assume = sts.sessionRequests[2]!;
    assert.deepEqual([assume.params.RoleSessionName, assume.params.ExternalId, assume.params.DurationSeconds], [`alice-ro`, `ext-7`, `900`], `the role profile's own settings`);
    assert.match(readonly.stderr, /new session for arn:aws:iam::123456789012:role\/ReadOnly, valid for 0h 1[45]m, .* \(assumed from the cached MFA session: no code needed\)\n$/);
    assert.equal(exported(readonly.stdout).AWS_ACCESS_KEY_ID, issued()[2]!.accessKeyId);
    const plain = await run([`env`]);
    assert.equal(exported(plain.stdout).AWS_ACCESS_KEY_ID, issued()[0]!.accessKeyId, `env of the source reuses the same MFA session`);
    const again = await run([`env`, `--profile`, `readonly`]);
    assert.equal(again.stdout, readonly.stdout, `the role's session is cached per role`);
    assert.equal(sts.sessionRequests.length, 3);
  });

  test(`credential-process of a role with no terminal: no cached role session, but the MFA session assumes it without a code`, async () => {
    assert.equal((await run([`env`, sts.code])).exitCode, 0);
    const result = await run([`credential-process`, `--profile`, `readonly`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).AccessKeyId, issued()[1]!.accessKeyId);
    assert.deepEqual(calls(), [`GetSessionToken by keys +code`, `AssumeRole ReadOnly by session#0`]);
  });

  test(`the MFA session is asked for when none is cached; the source's duration_seconds is its length, the role's the role's`, async () => {
    sandbox.writeConfig(`[default]\nmfa_serial = ${ALICE.serialNumber}\nduration_seconds = 7200\n[profile readonly]\nrole_arn = ${READONLY}\nsource_profile = default\nduration_seconds = 1800\n`);
    const result = await run([`env`, `--profile`, `readonly`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(sts.sessionRequests.map(request => request.params.DurationSeconds), [`7200`, `1800`]);
  });

  test(`--direct and awsmfa_direct = true: one AssumeRole carrying the code, signed by the long-term keys`, async () => {
    const result = await run([`env`, `--profile`, `admin`, `--direct`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(calls(), [`AssumeRole Admin by keys +code`]);
    assert.equal(sts.sessionRequests[0]!.params.SerialNumber, ALICE.serialNumber);
    sandbox.writeConfig(`[default]\nmfa_serial = ${ALICE.serialNumber}\n[profile ro]\nrole_arn = ${READONLY}\nsource_profile = default\nawsmfa_direct = True\n`);
    sts.code = `246810`;
    assert.equal((await run([`env`, `--profile`, `ro`, `246810`])).exitCode, 0);
    assert.deepEqual(calls().slice(1), [`AssumeRole ReadOnly by keys +code`]);
  });

  test(`--role-arn on a plain profile is assumed the same way`, async () => {
    const result = await run([`env`, `--role-arn`, ADMIN, `--role-session-name`, `me@work`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(calls(), [`GetSessionToken by keys +code`, `AssumeRole Admin by session#0`]);
    assert.equal(sts.sessionRequests[1]!.params.RoleSessionName, `me@work`);
  });

  test(`a role the user may not have: one line naming the role, and no second code asked`, async () => {
    assertFails(await run([`env`, `--role-arn`, `arn:aws:iam::123456789012:role/Other`, `--code-command`, `echo ${sts.code}`]), 1,
      /^awsmfa: STS denied the role arn:aws:iam::123456789012:role\/Other to the session ASIA\w+: User: .* is not authorized to perform: sts:AssumeRole/);
    assert.deepEqual(calls(), [`GetSessionToken by keys +code`, `AssumeRole Other by session#0`], `a fresh MFA session has all the MFA a role can ask for: no fallback`);
    assertFails(await run([`env`, `--profile`, `admin`, `--duration-seconds`, `7200`]), 1, /STS refused the duration 7200: .*MaxSessionDuration.*; use --duration-seconds from 900 up to the role's maximum/);
  });

  test(`a role that wants a recent MFA refuses the hours-old cached session: asked directly with a new code, and said so`, async () => {
    sts.mfaMaxAge = {[ADMIN]: 3600};
    assert.equal((await run([`env`, sts.code])).exitCode, 0);
    sts.ageMfa(2 * 3600);
    sts.code = `135791`;
    const result = await run([`env`, `--profile`, `admin`, `--code-command`, `echo 135791`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(calls(), [`GetSessionToken by keys +code`, `AssumeRole Admin by session#0`, `AssumeRole Admin by keys +code`]);
    assert.match(result.stderr, /^awsmfa: arn:aws:iam::123456789012:role\/Admin refused the cached MFA session \(User: .* is not authorized to perform: sts:AssumeRole on resource: .*\); asking for it directly with the device and a code/m);
    assert.equal(exported(result.stdout).AWS_ACCESS_KEY_ID, issued().at(-1)!.accessKeyId);
    // Without a way to get a code, it says what to do instead of hanging.
    assertFails(await run([`env`, `--profile`, `admin`, `--force`]), 2, /no MFA code given and no terminal to ask on/);
  });

  test(`a role refusing a fresh MFA session: mfa_process is run again in the next TOTP step, said with the seconds left; no code goes twice`, async () => {
    sts.codeOnCall = [ADMIN];
    // The test's clock, the stand-in device's and mfa_process's, a few seconds before the end of a 30-second step
    // (3 s on a quiet machine, more under load, as the first code must reach STS within its step): the fallback
    // comes within the step of the first code, when running mfa_process at once would print that code again.
    const slackMs = scaled(3_000, 12_000);
    const offsetMs = (TOTP_STEP_MS - slackMs - Date.now() % TOTP_STEP_MS + TOTP_STEP_MS) % TOTP_STEP_MS;
    sts.totp = {offsetMs};
    const printCode = `python3 -c 'import time; print(100000 + int((time.time() * 1000 + ${offsetMs}) // ${TOTP_STEP_MS}) % 900000)'`;
    const started = Date.now();
    const result = await runWithClock([`env`, `--profile`, `admin`, `--code-command`, printCode], () => new Date(Date.now() + offsetMs));
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(calls(), [`GetSessionToken by keys +code`, `AssumeRole Admin by session#0`, `AssumeRole Admin by keys +code`]);
    const [first, second] = codesSent();
    assert.equal(first, totpCode(started + offsetMs));
    assert.equal(Number(second), Number(first) + 1, `the code of the next step`);
    const waiting = /refused the MFA session \(MultiFactorAuthentication is required with the call.*\); asking for it directly with the device and the next code .*\nawsmfa: a code works once: waiting (\d+) s for the next code from --code-command\n/.exec(result.stderr);
    assert.ok(waiting, result.stderr);
    // What was left of the step, plus the 1 s margin: never a whole step.
    const waitedS = Number(waiting[1]);
    assert.ok(waitedS >= 1 && waitedS <= Math.ceil(slackMs / 1000) + 1, `waited ${waitedS} s with ${slackMs} ms of the step left`);
    assert.ok(Date.now() - started >= (waitedS - 1) * 1000, `it waited`);
    assert.equal(exported(result.stdout).AWS_ACCESS_KEY_ID, issued().at(-1)!.accessKeyId);
  });

  test(`mfa_process printing the used code again, step after step: one line after two waits, the code sent once`, async () => {
    sts.codeOnCall = [ADMIN];
    // A clock always 29.8 s into a step: each wait is the 0.2 s left plus the 1 s margin.
    const now = () => new Date(Math.floor(Date.now() / TOTP_STEP_MS) * TOTP_STEP_MS + 29_800);
    const result = await runWithClock([`env`, `--profile`, `admin`, `--code-command`, `echo ${sts.code}`], now);
    assert.equal(result.exitCode, 2, result.stderr);
    assertFailureOutput(result);
    const lines = result.stderr.trimEnd().split(`\n`);
    assert.deepEqual(lines.slice(1), [
      `awsmfa: a code works once: waiting 2 s for the next code from --code-command`,
      `awsmfa: a code works once: waiting 2 s for the next code from --code-command`,
      `awsmfa: --code-command still printed the code just used after two 30-second steps (check its clock): run again with the next code, --direct --code 123456`,
    ]);
    assert.deepEqual(codesSent(), [sts.code]);
  });

  test(`at the terminal, the next code is asked for, and the one just used is not taken again`, async () => {
    sts.codeOnCall = [ADMIN];
    const [first, next] = [sts.code, String(Number(sts.code) % 899999 + 100001)];
    sts.onIssued = () => sts.code = next;
    const result = await runAwsmfaWithTty([first, first, next], [`env`, `--profile`, `admin`], sandbox.env);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /The next MFA code for arn:aws:iam::123456789012:mfa\/alice \(not the one just used\): .*That code was just used, and AWS takes a code once; wait for the next one and type it: /s);
    assert.deepEqual(codesSent(), [first, next]);
    assert.deepEqual(calls(), [`GetSessionToken by keys +code`, `AssumeRole Admin by session#0`, `AssumeRole Admin by keys +code`]);
  });

  test(`a cached MFA session that AWS no longer knows is replaced once, with a code`, async () => {
    assert.equal((await run([`env`, sts.code])).exitCode, 0);
    sts.revoked.add(issued()[0]!.accessKeyId);
    sts.code = `975310`;
    const result = await run([`env`, `--profile`, `admin`, `--code-command`, `echo 975310`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /the cached MFA session of arn:aws:iam::123456789012:mfa\/alice is no longer valid at AWS: asking for a new one/);
    assert.deepEqual(calls(), [`GetSessionToken by keys +code`, `AssumeRole Admin by session#0`, `GetSessionToken by keys +code`, `AssumeRole Admin by session#1`]);
    assert.equal(exported(result.stdout).AWS_ACCESS_KEY_ID, issued()[2]!.accessKeyId);
  });

  test(`--force asks for a new MFA session (with a code) and a new role session`, async () => {
    assert.equal((await run([`env`, `--profile`, `admin`, sts.code])).exitCode, 0);
    assertFails(await run([`env`, `--profile`, `admin`, `--force`]), 2, /no MFA code given/);
    assert.equal(sts.sessionRequests.length, 2, `nothing was asked of STS without a code`);
  });
});

describe(`a chain of roles (A -> B -> keys), as botocore walks it`, () => {
  beforeEach(() => {
    sts.roles = [ADMIN, HOP];
    sts.rolesWithoutMfa = [HOP];
    sandbox.writeConfig(`[default]\nmfa_serial = ${ALICE.serialNumber}\n\n[profile a]\nrole_arn = ${ADMIN}\nsource_profile = b\nmfa_serial = ${ALICE.serialNumber}\nrole_session_name = alice-admin\n\n[profile b]\nrole_arn = ${HOP}\nsource_profile = default\nexternal_id = hop-42\n`);
  });

  test(`the MFA session assumes B, B's session assumes A; each role is cached as its own profile finds it`, async () => {
    const result = await run([`env`, `--profile`, `a`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(calls(), [`GetSessionToken by keys +code`, `AssumeRole Hop by session#0`, `AssumeRole Admin by session#1`]);
    assert.equal(sts.sessionRequests[1]!.params.ExternalId, `hop-42`);
    assert.equal(sts.sessionRequests[2]!.params.RoleSessionName, `alice-admin`);
    assert.equal(exported(result.stdout).AWS_ACCESS_KEY_ID, issued()[2]!.accessKeyId);
    assert.equal((await run([`env`, `--profile`, `a`])).stdout, result.stdout, `the chain's session is reused without a code`);
    assert.equal(exported((await run([`env`, `--profile`, `b`])).stdout).AWS_ACCESS_KEY_ID, issued()[1]!.accessKeyId, `B's session was kept for B`);
    assert.equal(sts.sessionRequests.length, 3);
  });

  test(`with --direct, B is assumed with the long-term keys, A with B's session and the code (where botocore sends it)`, async () => {
    const result = await run([`env`, `--profile`, `a`, `--direct`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(calls(), [`AssumeRole Hop by keys`, `AssumeRole Admin by session#0 +code`]);
  });

  test(`a later role asks for at most AWS's hour of role chaining, and says so`, async () => {
    sandbox.writeConfig(`[profile a]\nrole_arn = ${ADMIN}\nsource_profile = b\nmfa_serial = ${ALICE.serialNumber}\nduration_seconds = 7200\n\n[profile b]\nrole_arn = ${HOP}\nsource_profile = default\n`);
    const result = await run([`env`, `--profile`, `a`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(sts.sessionRequests[2]!.params.DurationSeconds, `3600`);
    assert.match(result.stderr, /note: arn:aws:iam::123456789012:role\/Admin is assumed with another role's session, which AWS allows for at most 1 hour: asking for 3600 s instead of 7200 s/);
  });

  test(`a role profile's own keys never sign: its source's do`, async () => {
    sandbox.writeCredentials(`[default]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n\n[a]\naws_access_key_id = AKIANOTUSED000000000\naws_secret_access_key = nope\n`);
    sandbox.writeConfig(`[profile a]\nrole_arn = ${ADMIN}\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\n`);
    const result = await run([`env`, `--profile`, `a`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(calls(), [`GetSessionToken by keys +code`, `AssumeRole Admin by session#0`]);
  });

  test(`credential_source = Environment: the environment's keys sign the chain, as botocore's do, and the role's device gets the code`, async () => {
    sandbox.writeCredentials(``);
    sandbox.writeConfig(`[profile ci]\nrole_arn = ${ADMIN}\ncredential_source = Environment\nmfa_serial = ${ALICE.serialNumber}\nregion = eu-west-1\n`);
    const keys = {AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey};
    // credential-process (or exec): env would refuse to replace keys that live only in the shell.
    const result = await run([`credential-process`, `--profile`, `ci`, sts.code], {...sandbox.env, ...keys});
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(calls(), [`GetSessionToken by keys +code`, `AssumeRole Admin by session#0`]);
    assert.equal(JSON.parse(result.stdout).AccessKeyId, issued()[1]!.accessKeyId, `the role's session`);
    assert.equal(sts.sessionRequests[0]!.params.SerialNumber, ALICE.serialNumber);
    // botocore, given the same files and environment, signs the role with the same key and sends the same device.
    const botocore = spawnSync(`python3`, [join(import.meta.dirname, `support`, `botocore-resolve.py`)], {input: JSON.stringify([{dir: sandbox.awsDir, profiles: [`ci`], env: keys}]), encoding: `utf8`});
    if (botocore.status === 0) {
      const [{ci}] = JSON.parse(botocore.stdout);
      assert.deepEqual(ci.calls.map((call: Record<string, unknown>) => [call.RoleArn, call.SignedBy, call.SerialNumber]), [[ADMIN, ALICE.accessKeyId, ALICE.serialNumber]]);
    } else if (process.env.CI) {
      assert.fail(`botocore is missing, and CI must compare with it: ${botocore.stderr}`);
    }
    // A session in the environment cannot ask for an MFA session; the instance's credentials are no one's keys.
    assertFails(await run([`credential-process`, `--profile`, `ci`, `--force`, sts.code], {...sandbox.env, ...keys, AWS_SESSION_TOKEN: `token`}), 2, /^awsmfa: profile 'ci' takes its keys from the environment \(credential_source = Environment\), and AWS_SESSION_TOKEN says they are a session/);
    sandbox.writeConfig(`[profile ci]\nrole_arn = ${ADMIN}\ncredential_source = Ec2InstanceMetadata\nmfa_serial = ${ALICE.serialNumber}\n`);
    assertFails(await run([`credential-process`, `--profile`, `ci`, `--force`, sts.code], {...sandbox.env, ...keys}), 2, /^awsmfa: profile 'ci' takes its keys from credential_source = Ec2InstanceMetadata, which awsmfa does not read \(it reads Environment\)/);
  });

  test(`a loop is one line naming the profiles`, async () => {
    sandbox.writeConfig(`[profile x]\nrole_arn = ${ADMIN}\nsource_profile = y\n[profile y]\nrole_arn = ${HOP}\nsource_profile = x\n`);
    assertFails(await run([`env`, `--profile`, `x`, sts.code]), 2, /^awsmfa: the profiles 'x' -> 'y' -> 'x' go round in a circle through source_profile; one of them must hold keys\n$/);
    assert.equal(sts.requests.length, 0);
  });
});
