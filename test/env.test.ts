/** `awsmfa env` and `awsmfa unset`, spawned as built, against the STS stand-in. */
import assert from 'node:assert/strict';
import {existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {assertFailureOutput, assertFails as assertFailsWith, BIN, ROOT, runAwsmfa, type RunResult, runAwsmfaWithTty} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {runScript, skipUnlessShell} from './support/shells.js';
import {ALICE} from './support/sts-server.js';
import {onTty} from './support/on-tty.js';
import {DIALECTS, findDialect} from '../src/dialects/index.js';
import {scaled} from './support/timing.js';

const {run, secrets} = useStandIn();

/** A code the stand-in has not seen in this file yet (it refuses a code used twice, as STS does). */
let codes = 0;
const freshCode = () => String(700000 + ++codes);


/** A failure: non-zero, nothing on stdout, one line on stderr matching `message`, no secret anywhere. */
function assertFails(result: RunResult, exitCode: number, message: RegExp) {
  assertFailsWith(result, exitCode, message, secrets());
}

function assertNoSecrets(text: string) {
  for (const secret of secrets())
    assert.ok(!text.includes(secret), `a secret leaked: ${text}`);
}

/** Parses `export NAME='value'` lines (values without quotes inside, as the stand-in's own are); `unset` lines are skipped. */
function parseExports(stdout: string): Record<string, string> {
  return Object.fromEntries(stdout.trimEnd().split(`\n`).filter(line => !line.startsWith(`unset `)).map(line => {
    const match = /^export (\w+)='([^']*)'$/.exec(line);
    assert.ok(match, `not an export line: ${line}`);
    return [match[1]!, match[2]!];
  }));
}

describe(`env: success`, () => {
  test(`prints the four variables of the new session, signed with the profile's long-term key`, async () => {
    const result = await run([`env`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    const issued = sts.issued.at(-1)!;
    assert.deepEqual(parseExports(result.stdout), {
      AWS_ACCESS_KEY_ID: issued.accessKeyId,
      AWS_SECRET_ACCESS_KEY: issued.secretAccessKey,
      AWS_SESSION_TOKEN: issued.sessionToken,
      AWS_CREDENTIAL_EXPIRATION: issued.expiration.toISOString().replace(`.000Z`, `Z`),
      AWS_SESSION_EXPIRATION: issued.expiration.toISOString().replace(`.000Z`, `Z`),
      AWSMFA_PROFILE: `default`,
      AWS_REGION: `eu-west-1`,
      AWS_DEFAULT_REGION: `eu-west-1`,
      AWSMFA_REGION: `eu-west-1`,
    });
    assert.match(result.stdout, /^export AWS_ACCESS_KEY_ID=/, `no profile variable is set here, so none is removed`);
    assert.match(result.stderr, /^awsmfa: new session for arn:aws:iam::123456789012:mfa\/alice, valid for (11h 59m|12h 00m), until .* local\n$/);
    assertNoSecrets(result.stderr);
    const [request] = sts.sessionRequests;
    assert.equal(request!.accessKeyId, ALICE.accessKeyId);
    assert.ok(request!.signatureValid);
    assert.equal(request!.params.SerialNumber, ALICE.serialNumber);
    assert.equal(request!.params.TokenCode, sts.code);
    assert.equal(request!.params.DurationSeconds, undefined, `STS's default unless asked`);
    sts.code = freshCode();
    const withProfile = await run([`env`, `--code`, sts.code], {AWS_PROFILE: `default`, AWS_DEFAULT_PROFILE: ``});
    assert.match(withProfile.stdout, /^unset AWS_PROFILE\nunset AWS_DEFAULT_PROFILE\nexport AWS_ACCESS_KEY_ID=/, `set ones (even empty) go first`);
  });

  test(`--code, --token-code, --serial-number, --duration-seconds and a code with a leading zero`, async () => {
    sts.code = `012345`;
    sandbox.writeConfig(`[default]\nregion = eu-west-1\n`);
    const result = await run([`env`, `--token-code`, `012345`, `--serial-number`, ALICE.serialNumber, `--duration-seconds`, `3600`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(sts.sessionRequests[0]!.params.TokenCode, `012345`);
    assert.equal(sts.sessionRequests[0]!.params.DurationSeconds, `3600`);
    assert.match(result.stderr, /valid for (0h 59m|1h 00m)/);
  });

  test(`-d takes a time as --timeout does: 12h, 90m, 3600 (seconds), 900s`, async () => {
    for (const [given, seconds, left] of [[`12h`, `43200`, `(11h 59m|12h 00m)`], [`90m`, `5400`, `(1h 29m|1h 30m)`], [`3600`, `3600`, `(0h 59m|1h 00m)`], [`900s`, `900`, `(0h 14m|0h 15m)`]] as const) {
      sts.code = String(100000 + Math.floor(Math.random() * 900000));
      const result = await run([`env`, `-d`, given, sts.code]);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.equal(sts.sessionRequests.at(-1)!.params.DurationSeconds, seconds, given);
      assert.match(result.stderr, new RegExp(`valid for ${left}`), given);
    }
    // The profile's duration_seconds is botocore's setting: whole seconds, as the AWS CLI reads it.
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\nduration_seconds = 12h\n`);
    assertFails(await run([`env`, sts.code]), 2, /duration_seconds of profile 'default' in .*config is "12h", not whole seconds from 900 to 129600/);
  });

  test(`duration_seconds, mfa_serial and mfa_process come from the profile chosen by AWS_PROFILE`, async () => {
    sandbox.writeCredentials(`[work]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    sandbox.writeConfig(`[profile work]\nmfa_serial = ${ALICE.serialNumber}\nduration_seconds = 7200\nmfa_process = echo ${sts.code}\n`);
    const result = await run([`env`], {AWS_PROFILE: `work`});
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(sts.sessionRequests[0]!.params.DurationSeconds, `7200`);
    assert.equal(sts.sessionRequests[0]!.params.TokenCode, sts.code);
  });

  test(`AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files; --profile beats AWS_PROFILE`, async () => {
    const credentials = join(sandbox.home, `creds.ini`);
    const config = join(sandbox.home, `conf.ini`);
    writeFileSync(credentials, `[me]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    writeFileSync(config, `[profile me]\nmfa_serial = ${ALICE.serialNumber}\n`);
    const result = await run([`env`, `--profile`, `me`, sts.code], {AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config, AWS_PROFILE: `nope`});
    assert.equal(result.exitCode, 0, result.stderr);
  });

  test(`--endpoint-url beats AWS_ENDPOINT_URL_STS; AWS_ENDPOINT_URL is used when it is alone`, async () => {
    const viaFlag = await run([`env`, `--endpoint-url`, sts.url, sts.code], {AWS_ENDPOINT_URL_STS: `http://127.0.0.1:9`});
    assert.equal(viaFlag.exitCode, 0, viaFlag.stderr);
    sts.code = `222222`;
    const env = {...sandbox.env, AWS_ENDPOINT_URL: sts.url};
    delete (env as Record<string, string | undefined>).AWS_ENDPOINT_URL_STS;
    const viaGeneral = await runAwsmfa([`env`, `222222`], env);
    assert.equal(viaGeneral.exitCode, 0, viaGeneral.stderr);
  });

  test(`a connection refused names the setting that chose the endpoint, and no other`, async () => {
    const refused = `http://127.0.0.1:9`;
    const without = {...sandbox.env};
    delete (without as Record<string, string | undefined>).AWS_ENDPOINT_URL_STS;
    delete (without as Record<string, string | undefined>).AWS_ENDPOINT_URL_IAM;
    const config = join(sandbox.awsDir, `config`);
    const cases: Array<{name: string, args?: string[], env: Record<string, string>, config?: string, knob: string}> = [
      {name: `AWS_ENDPOINT_URL alone`, env: {...without, AWS_ENDPOINT_URL: refused}, knob: `AWS_ENDPOINT_URL`},
      {name: `AWS_ENDPOINT_URL_STS over AWS_ENDPOINT_URL`, env: {...without, AWS_ENDPOINT_URL_STS: refused, AWS_ENDPOINT_URL: sts.url}, knob: `AWS_ENDPOINT_URL_STS`},
      {name: `--endpoint-url over both`, args: [`--endpoint-url`, refused], env: {...without, AWS_ENDPOINT_URL_STS: sts.url, AWS_ENDPOINT_URL: sts.url}, knob: `--endpoint-url`},
      {name: `the profile's endpoint_url`, env: without, config: `endpoint_url = ${refused}\n`, knob: `endpoint_url of profile 'default' in ${config}`},
      {name: `the profile's services section`, env: without, config: `services = local\n[services local]\nsts =\n  endpoint_url = ${refused}\n`, knob: `sts endpoint_url of [services local] in ${config}`},
    ];
    for (const {name, args = [], env, config: extra, knob} of cases) {
      sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n${extra ?? ``}`);
      for (const command of [[`env`, ...args, `123456`], [`whoami`]]) {
        if (command[0] === `whoami` && args.length > 0)
          continue;
        const result = await runAwsmfa(command, env);
        assertFailsWith(result, 1, new RegExp(`^awsmfa: cannot connect to STS at ${refused.replaceAll(`.`, `\\.`)} \\(ECONNREFUSED\\); check your network and proxy, or ${knob.replace(/[.*+?^${}()|[\]\\]/g, `\\$&`)}, which chose that endpoint\n$`));
        assert.ok(knob.startsWith(`AWS_ENDPOINT_URL_STS`) || !result.stderr.includes(`AWS_ENDPOINT_URL_STS`), `${name} (${command[0]}): not a variable the user never set: ${result.stderr}`);
      }
    }
    // With no endpoint configured at all (STS's own, never reached from a test), no setting is named.
    const {endpointAdvice} = await import(`../src/aws/client.js`);
    assert.equal(endpointAdvice({endpointOrigin: undefined}), `your network and proxy`);
  });

  test(`json prints the credential_process document`, async () => {
    const result = await run([`env`, `--shell`, `json`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    const issued = sts.issued.at(-1)!;
    assert.deepEqual(JSON.parse(result.stdout), {
      Version: 1,
      AccessKeyId: issued.accessKeyId,
      SecretAccessKey: issued.secretAccessKey,
      SessionToken: issued.sessionToken,
      Expiration: issued.expiration.toISOString().replace(`.000Z`, `Z`),
    });
  });
});

describe(`env: source credentials`, () => {
  const staleSession = {AWS_ACCESS_KEY_ID: `ASIASTALESESSION0001`, AWS_SECRET_ACCESS_KEY: `stale-secret`, AWS_SESSION_TOKEN: `stale-token`};

  test(`a session already in the environment never signs the request`, async () => {
    const result = await run([`env`, sts.code], staleSession);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(sts.sessionRequests[0]!.accessKeyId, ALICE.accessKeyId);
    assert.doesNotMatch(result.stderr, /ignoring/, `said only with --verbose`);
  });

  test(`with no keys in the files, the stale session is ignored (said with --verbose) and the error says where keys go`, async () => {
    sandbox.writeCredentials(``);
    const result = await run([`env`, `--verbose`, `--serial-number`, ALICE.serialNumber, sts.code], staleSession);
    assertFailureOutput(result);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /ignoring AWS_ACCESS_KEY_ID ASIASTALESESSION0001 in the environment: AWS_SESSION_TOKEN is set/);
    assert.match(result.stderr, /no long-term access keys for profile 'default': add aws_access_key_id and aws_secret_access_key under \[default\]/);
    assert.ok(!result.stderr.includes(`stale-secret`) && !result.stderr.includes(`stale-token`));
    assert.equal(sts.requests.length, 0);
  });

  test(`long-term keys only in the environment sign for exec and login, and env refuses to replace them`, async () => {
    sandbox.writeCredentials(``);
    const keys = {AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey};
    assertFails(await run([`env`, sts.code], keys), 2, /^awsmfa: your long-term keys are only in this shell's AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, which the session would replace \(and the next mfa would have none\): save them with aws configure --profile default \(or awsmfa login, which offers to\), or run commands with awsmfa exec -- COMMAND, which leaves them in place\n$/);
    assertFails(await run([`login`, `--print-env`, sts.code], keys), 2, /your long-term keys are only in this shell's/);
    assert.equal(sts.requests.length, 0, `refused before the code is spent`);
    const exec = await run([`exec`, `--code`, sts.code, `--`, `true`], keys);
    assert.equal(exec.exitCode, 0, exec.stderr);
    assert.equal(sts.sessionRequests[0]!.accessKeyId, ALICE.accessKeyId);
    // Cached now: the fast path must refuse too, not print the cached session over the keys.
    assertFails(await run([`env`], keys), 2, /your long-term keys are only in this shell's/);
  });

  test(`an empty AWS_SESSION_TOKEN is no session token`, async () => {
    sandbox.writeCredentials(``);
    const result = await run([`exec`, `--code`, sts.code, `--`, `true`], {AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey, AWS_SESSION_TOKEN: ``});
    assert.equal(result.exitCode, 0, result.stderr);
  });

  test(`a profile holding a session token is refused as a source`, async () => {
    sandbox.writeCredentials(`[default]\naws_access_key_id = ASIAX\naws_secret_access_key = y\naws_session_token = z\n`);
    assertFails(await run([`env`, sts.code]), 2, /profile 'default' in .*credentials holds temporary credentials \(aws_session_token\), not long-term keys; use --profile with the profile that holds your IAM user's access keys/);
    assert.equal(sts.requests.length, 0);
    // With AWS_PROFILE left on a session profile (after login), the error names the profiles that can sign.
    sandbox.writeCredentials(`[me]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n[work-mfa]\naws_access_key_id = ASIAX\naws_secret_access_key = y\naws_session_token = z\n`);
    assertFails(await run([`env`, sts.code], {AWS_PROFILE: `work-mfa`}), 2, /profile 'work-mfa' in .* holds temporary credentials \(aws_session_token\), not long-term keys; use --profile me$/m);
  });

  test(`keys of the source_profile sign for a profile that names one`, async () => {
    sandbox.writeConfig(`[profile dev]\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\n`);
    const result = await run([`env`, `--profile`, `dev`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(sts.sessionRequests[0]!.accessKeyId, ALICE.accessKeyId);
  });

  test(`an unknown profile is named`, async () => {
    assertFails(await run([`env`, `--profile`, `nosuch`, sts.code]), 2, /profile 'nosuch' is not in .*credentials nor .*config \(check --profile \/ AWS_PROFILE\)/);
  });

  test(`no MFA serial, and IAM will not list the devices: the error shows where to put it, and why IAM did not help`, async () => {
    sandbox.writeConfig(``);
    sts.fault = {status: 403, code: `AccessDenied`, message: `User: ${ALICE.arn} is not authorized to perform: iam:ListMFADevices`, count: 1};
    assertFails(await run([`env`, sts.code]), 2, /^awsmfa: no MFA device for profile 'default': pass --serial-number arn:aws:iam::ACCOUNT_ID:mfa\/DEVICE, or add 'mfa_serial = arn:aws:iam::ACCOUNT_ID:mfa\/DEVICE' under \[default\] in .*\.aws\/config; awsmfa asked IAM for your devices, but IAM denied AKIAALICEEXAMPLE0001 iam:ListMFADevices \(User: .* is not authorized to perform: iam:ListMFADevices\); find your device's ARN in the IAM console under Security credentials\n$/);
    assert.deepEqual(sts.requests.map(request => request.action), [`ListMFADevices`], `no code was spent`);
  });
});

describe(`env: every failure is one line, exit non-zero, empty stdout`, () => {
  test(`wrong code`, async () => {
    assertFails(await run([`env`, `000000`]), 1, /^awsmfa: STS rejected the MFA code for arn:aws:iam::123456789012:mfa\/alice: it is wrong, expired or already used \(AWS takes a code once\); wait for the next code and try again\n$/);
  });

  test(`a code used twice: STS refuses it, and the line says the cached session is valid and how to take it`, async () => {
    assert.equal((await run([`env`, sts.code])).exitCode, 0);
    assertFails(await run([`env`, sts.code]), 1, /^awsmfa: STS rejected the MFA code for .*mfa\/alice: it is wrong, expired or already used \(AWS takes a code once\); the cached session of profile 'default' is still valid \(\d+h \d\dm left\): awsmfa env with no code takes it, or wait for the next code for a new one\n$/);
    // Through mfa (its own option) the way out is mfa itself, with the profile when one was named.
    assertFails(await run([`env`, `--mfa-shell`, `bash`, sts.code]), 1, /: mfa with no code takes it, or wait/);
    assertFails(await run([`env`, `--mfa-shell`, `bash`, `--profile`, `default`, sts.code]), 1, /: mfa --profile default with no code takes it, or wait/);
    const taken = await run([`env`, `--mfa-shell`, `bash`]);
    assert.equal(taken.exitCode, 0, taken.stderr);
    assert.equal(sts.sessionRequests.length, 4, `mfa alone asked STS nothing (one session, three refusals)`);
    // Only while it is valid: without a cache (--no-cache), or once the session is gone, no such claim.
    assertFails(await run([`env`, `--no-cache`, sts.code]), 1, /; wait for the next code and try again\n$/);
    assert.equal((await run([`clear`])).exitCode, 0);
    assertFails(await run([`env`, sts.code]), 1, /; wait for the next code and try again\n$/);
  });

  test(`an unknown access key`, async () => {
    sandbox.writeCredentials(`[default]\naws_access_key_id = AKIAUNKNOWN000000000\naws_secret_access_key = x\n`);
    assertFails(await run([`env`, sts.code]), 1, /STS does not know access key AKIAUNKNOWN000000000 \(from profile 'default' in .*\): it was deleted, deactivated or mistyped; check aws_access_key_id/);
  });

  test(`a wrong secret`, async () => {
    sandbox.writeCredentials(`[default]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = not-the-secret\n`);
    const result = await run([`env`, sts.code]);
    assertFails(result, 1, /STS rejected the signature of AKIAALICEEXAMPLE0001: the secret access key from profile 'default' .* does not match that key id; check aws_secret_access_key/);
    assert.ok(!result.stderr.includes(`not-the-secret`));
  });

  test(`expired keys`, async () => {
    sts.fault = {status: 403, code: `ExpiredToken`, message: `The security token included in the request is expired`};
    assertFails(await run([`env`, sts.code]), 1, /STS says the credentials from profile 'default' .* have expired/);
  });

  test(`duration out of range: refused before any request, from the flag and from the config`, async () => {
    assertFails(await run([`env`, `--duration-seconds`, `899`, sts.code]), 2, /^awsmfa: Invalid value for --duration-seconds: expected a time from 15m to 36h, like 12h, 90m or 3600 \(seconds\) \(got "899"\)/);
    assertFails(await run([`env`, `--duration-seconds`, `129601`, sts.code]), 2, /expected a time from 15m to 36h/);
    assertFails(await run([`env`, `-d`, `37h`, sts.code]), 2, /Invalid value for -d: expected a time from 15m to 36h/);
    assertFails(await run([`env`, `-d`, `14m`, sts.code]), 2, /Invalid value for -d: expected a time from 15m to 36h/);
    sandbox.writeConfig(`[default]\nmfa_serial = ${ALICE.serialNumber}\nduration_seconds = 200000\n`);
    assertFails(await run([`env`, sts.code]), 2, /duration_seconds of profile 'default' in .*config is "200000", not whole seconds from 900 to 129600/);
    assert.equal(sts.requests.length, 0);
  });

  test(`duration refused by STS (e.g. above the root user's limit)`, async () => {
    sts.fault = {status: 400, code: `ValidationError`, message: `1 validation error detected: Value '7200' at 'durationSeconds' failed to satisfy constraint`};
    assertFails(await run([`env`, `--duration-seconds`, `7200`, sts.code]), 1, /STS refused the duration 7200: .*; use --duration-seconds from 900 to 129600 \(at most 3600 for the root user\)/);
  });

  test(`cannot connect: names the endpoint and the variable that chose it`, async () => {
    assertFails(await run([`env`, sts.code], {AWS_ENDPOINT_URL_STS: `http://127.0.0.1:9`}), 1, /^awsmfa: cannot connect to STS at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\); check your network and proxy, or AWS_ENDPOINT_URL_STS, which chose that endpoint\n$/);
  });

  test(`throttling, still after the retries`, async () => {
    sts.fault = {status: 400, code: `Throttling`, message: `Rate exceeded`};
    assertFails(await run([`env`, sts.code]), 1, /STS is throttling requests \(still after 3 attempts\); wait a minute and try again/);
    assert.equal(sts.requests.length, 3);
  });

  test(`throttling that passes is retried and succeeds`, async () => {
    sts.fault = {status: 400, code: `Throttling`, message: `Rate exceeded`, count: 1};
    const result = await run([`env`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(sts.requests.length, 2);
  });

  test(`a code of the wrong shape, and two different codes`, async () => {
    assertFails(await run([`env`, `12345`]), 2, /Invalid value for code: expected 6 digits 0-9, like 123456 \(got 5 characters\)/);
    assertFails(await run([`env`, `123456`, `--code`, `654321`]), 2, /two different codes/);
    assert.equal(sts.requests.length, 0);
  });

  test(`no code and no terminal: fails at once instead of waiting`, async () => {
    const started = Date.now();
    assertFails(await run([`env`]), 2, /no MFA code given and no terminal to ask on: pass the code as an argument or with --code 123456/);
    assert.ok(Date.now() - started < scaled(10_000, 25_000));
    assert.equal(sts.requests.length, 0);
  });

  test(`a value the dialect cannot carry is refused, not half-quoted`, async () => {
    sts.nextCredentials = {secretAccessKey: `has!bang`};
    assertFails(await run([`env`, `--shell`, `tcsh`, sts.code]), 2, /the value of AWS_SECRET_ACCESS_KEY holds the character !, which the tcsh dialect cannot carry safely/);
  });

  test(`usage errors go to stderr, not into eval`, async () => {
    assertFails(await run([`env`, `--bogus`]), 2, /^awsmfa: unknown option "--bogus" for awsmfa env \(see awsmfa env --help\)\n$/);
    assertFails(await run([`env`, `--shell`, `nushell`]), 2, /Invalid value for --shell: expected one of bash, zsh, .* \(got "nushell"\)/);
    assertFails(await run([`nosuchcommand`]), 2, /awsmfa --help/);
  });
});

describe(`on failure, what a shell applies is its failure statement and nothing else`, () => {
  test(`env, for every dialect of the table named with --shell (a format: nothing)`, async () => {
    for (const dialect of DIALECTS) {
      const result = await run([`env`, `--shell`, dialect.name, `000000`]);
      assert.equal(result.exitCode, 1, result.stderr);
      assert.equal(result.stdout, dialect.failure ?? ``, dialect.name);
    }
  });

  test(`every kind of failure, of every command whose stdout a shell applies; nothing from any other command`, async () => {
    const failure = (name: string) => findDialect(name)!.failure!;
    const cases: Array<[string[], string]> = [
      [[`env`, `--shell`, `fish`, `--bogus`], failure(`fish`)], // clipanion cannot parse it
      [[`env`, `--shell=tcsh`, `--duration-seconds`, `1`, sts.code], failure(`tcsh`)], // a value refused
      [[`env`, `-s`, `elvish`, `--profile`, `nosuch`, sts.code], failure(`elvish`)], // the configuration
      [[`env`, `--mfa-shell`, `pwsh`, `000000`], failure(`pwsh`)], // mfa's call: mfa applies nothing then
      [[`unset`, `--shell`, `cmd`, `--bogus`], failure(`cmd`)],
      [[`init`, `elvish`, `--bogus`], failure(`elvish`)],
      [[`serve`, `--shell`, `fish`, `--profile`, `nosuch`], failure(`fish`)],
      [[`login`, `--print-env`, `--shell`, `tcsh`, `--profile`, `nosuch`, sts.code], failure(`tcsh`)],
      [[`env`, `--shell`, `json`, `--bogus`], ``],
      [[`unset`, `--shell`, `json`], ``], // a format cannot unset
      [[`credential-process`, `--profile`, `nosuch`], ``],
      [[`login`, `--profile`, `nosuch`, sts.code], ``],
      [[`exec`, `--profile`, `nosuch`, sts.code, `--`, `true`], ``],
      [[`status`, `--bogus`], ``],
    ];
    for (const [args, expected] of cases) {
      const result = await run(args);
      assert.notEqual(result.exitCode, 0, args.join(` `));
      assert.equal(result.stdout, expected, args.join(` `));
      assertNoSecrets(result.stdout + result.stderr);
    }
  });

  test(`the dialect not named: the calling shell's, as env writes for it`, async () => {
    // The parent here is node, no shell: $SHELL decides, else POSIX sh.
    for (const [shell, expected] of [[`/usr/bin/tcsh`, `tcsh`], [`/usr/bin/elvish`, `elvish`], [``, `sh`]] as const) {
      const result = await run([`env`, `000000`], {SHELL: shell});
      assert.equal(result.stdout, findDialect(expected)!.failure, shell);
      const named = await run([`env`, `--shell`, `nushell`], {SHELL: shell});
      assert.equal(named.stdout, findDialect(expected)!.failure, `an unknown --shell: the calling shell's (${shell})`);
    }
  });

  test(`on a terminal, nothing: nobody applies what is shown there`, async () => {
    const result = await onTty([process.execPath, BIN, `env`, `--shell`, `bash`, `--profile`, `nosuch`, `000000`], [], sandbox.env, {stdout: `tty`});
    assert.equal(result.exit, 2);
    assert.doesNotMatch(result.screen, /^false/m);
    assert.match(result.screen, /profile 'nosuch'/);
  });
});

describe(`env: the code typed at the terminal`, () => {
  const runWithTty = (answers: string[]) => runAwsmfaWithTty(answers, [`env`], sandbox.env);

  test(`asks on the terminal (prompt on stderr), stdout keeps only the shell lines`, async () => {
    const result = await runWithTty([sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /MFA code for arn:aws:iam::123456789012:mfa\/alice: <answered>/);
    assert.deepEqual(Object.keys(parseExports(result.stdout)), [`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION`, `AWS_SESSION_EXPIRATION`, `AWSMFA_PROFILE`, `AWS_REGION`, `AWS_DEFAULT_REGION`, `AWSMFA_REGION`]);
    assert.equal(sts.sessionRequests[0]!.params.TokenCode, sts.code);
  });

  test(`asks again after a typo`, async () => {
    const result = await runWithTty([`12 34`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /an MFA code is 6 digits/);
  });
});

describe(`env: the shell is detected`, () => {
  test(`from the parent process, before $SHELL (bash command substitution)`, {skip: skipUnlessShell(`bash`)}, async () => {
    const result = await runScript(`bash`, `out=$(${process.execPath} ${BIN} env ${sts.code}) || exit 9\nprintf '%s\\n' "$out"\n`, {...sandbox.env, SHELL: `/usr/bin/fish`});
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^export AWS_ACCESS_KEY_ID='ASIA/m);
  });

  test(`from the parent process: fish`, {skip: skipUnlessShell(`fish`)}, async () => {
    const result = await runScript(`fish`, `${process.execPath} ${BIN} env ${sts.code}\n`, {...sandbox.env, SHELL: `/bin/bash`});
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^set -gx AWS_ACCESS_KEY_ID 'ASIA/m);
  });

  test(`from $SHELL when the parent is no shell; POSIX when neither is`, async () => {
    const fromShell = await run([`env`, sts.code], {SHELL: `/usr/bin/fish`});
    assert.match(fromShell.stdout, /^set -gx AWS_ACCESS_KEY_ID/m);
    sts.code = `333333`;
    const fallback = await run([`env`, `333333`], {SHELL: ``});
    assert.match(fallback.stdout, /^export AWS_ACCESS_KEY_ID/m);
  });
});

describe(`unset`, () => {
  test(`prints the lines that clear the four variables, for the shell asked`, async () => {
    const result = await run([`unset`, `--shell`, `fish`]);
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, `set -e -g AWS_ACCESS_KEY_ID\nset -e -g AWS_SECRET_ACCESS_KEY\nset -e -g AWS_SESSION_TOKEN\nset -e -g AWS_CREDENTIAL_EXPIRATION\nset -e -g AWS_SESSION_EXPIRATION\nset -e -g AWSMFA_PROFILE\n`);
    assert.equal(result.stderr, ``);
  });

  test(`json cannot unset: an error, nothing on stdout`, async () => {
    assertFails(await run([`unset`, `--shell`, `json`]), 2, /cannot unset/);
  });
});

describe(`env: the AWS files`, () => {
  test(`a file the AWS CLI cannot read is one line naming the file and the line`, async () => {
    sandbox.writeConfig(`[default]\nmfa_serial = ${ALICE.serialNumber}\n[default]\nregion = eu-west-1\n`);
    assertFails(await run([`env`, sts.code]), 2, /^awsmfa: .*\/config, line 3: \[default\] appears a second time \(first on line 1\); the AWS CLI cannot read this file either: fix that line\n$/);
    assertFails(await run([`login`, sts.code]), 2, /line 3: \[default\] appears a second time/);
    assert.equal(sts.requests.length, 0);
  });
});

describe(`env: the region goes with the session, and only awsmfa's region goes again`, () => {
  const vars = (stdout: string) => parseExports(stdout);
  const unsets = (stdout: string) => stdout.split(`\n`).filter(line => line.startsWith(`unset `)).map(line => line.slice(6));

  test(`the profile's region is exported; a user's own AWS_REGION stays unless --region is given; --no-region exports none`, async () => {
    assert.equal(vars((await run([`env`, sts.code])).stdout).AWS_REGION, `eu-west-1`);
    const own = await run([`env`], {AWS_REGION: `us-west-2`});
    assert.equal(vars(own.stdout).AWS_REGION, undefined, `the user's own region stays`);
    assert.deepEqual(unsets(own.stdout), []);
    const given = await run([`env`, `--region`, `ap-south-1`], {AWS_REGION: `us-west-2`});
    assert.equal(vars(given.stdout).AWS_DEFAULT_REGION, `ap-south-1`);
    const none = await run([`env`, `--no-region`]);
    assert.deepEqual([vars(none.stdout).AWS_REGION, vars(none.stdout).AWSMFA_REGION], [undefined, undefined]);
  });

  test(`a region from the source profile; none named: awsmfa's earlier one is removed, a user's kept`, async () => {
    sandbox.writeConfig(`[default]\nmfa_serial = ${ALICE.serialNumber}\n[profile dev]\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\n`);
    const result = await run([`env`, sts.code]);
    assert.equal(vars(result.stdout).AWS_REGION, undefined, `STS's us-east-1 fallback is not exported`);
    const stale = await run([`env`], {AWS_REGION: `eu-west-1`, AWS_DEFAULT_REGION: `eu-west-1`, AWSMFA_REGION: `eu-west-1`});
    assert.deepEqual(unsets(stale.stdout), [`AWS_REGION`, `AWS_DEFAULT_REGION`, `AWSMFA_REGION`]);
    const users = await run([`env`], {AWS_REGION: `us-west-2`, AWSMFA_REGION: `eu-west-1`});
    assert.deepEqual(unsets(users.stdout), [], `a region the user set since is theirs`);
    sandbox.writeConfig(`[default]\nmfa_serial = ${ALICE.serialNumber}\nregion = sa-east-1\n[profile dev]\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\n`);
    sts.code = freshCode();
    assert.equal(vars((await run([`env`, `--profile`, `dev`, sts.code])).stdout).AWS_REGION, `sa-east-1`);
  });

  test(`unset removes the region only when awsmfa exported it`, async () => {
    assert.deepEqual(unsets((await run([`unset`, `--shell`, `bash`], {AWS_REGION: `eu-west-1`, AWSMFA_REGION: `eu-west-1`})).stdout).slice(-3), [`AWS_REGION`, `AWS_DEFAULT_REGION`, `AWSMFA_REGION`]);
    assert.ok(!unsets((await run([`unset`, `--shell`, `bash`], {AWS_REGION: `us-west-2`, AWSMFA_REGION: `eu-west-1`})).stdout).includes(`AWS_REGION`));
    assert.ok(!unsets((await run([`unset`, `--shell`, `bash`], {AWS_REGION: `us-west-2`})).stdout).includes(`AWS_REGION`));
  });
});

describe(`env: AWS_PROFILE beside the session`, () => {
  const AWS = `/usr/bin/aws`;
  const nodeChain = `${process.execPath} -e "require('@aws-sdk/credential-providers').fromNodeProviderChain()().then(c => console.log(c.accessKeyId), e => { console.log('error ' + e.message); })"`;

  test(`after eval in a shell where AWS_PROFILE=work was set, the JS SDK's default chain and the AWS CLI both use the session`, {skip: skipUnlessShell(`bash`)}, async () => {
    sandbox.writeCredentials(`[work]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    sandbox.writeConfig(`[profile work]\nmfa_serial = ${ALICE.serialNumber}\nregion = eu-west-1\n`);
    const script = [
      `export AWS_PROFILE=work AWS_DEFAULT_PROFILE=work`,
      `out=$(${process.execPath} ${BIN} env --shell bash ${sts.code}) || exit 9`,
      `eval "$out"`,
      `echo "profile=\${AWS_PROFILE-unset} awsmfa=$AWSMFA_PROFILE"`,
      `cd '${ROOT}' && ${nodeChain}`,
      ...existsSync(AWS) ? [`${AWS} configure export-credentials --format process`] : [],
      // A refresh in that shell stays on the profile (AWSMFA_PROFILE), from the cache.
      `${process.execPath} ${BIN} env --shell bash --verbose 2>&1 >/dev/null | grep -c "using the cached session"`,
    ].join(`\n`);
    const result = await runScript(`bash`, script, sandbox.env);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split(`\n`);
    const session = sts.issued.at(-1)!.accessKeyId;
    assert.equal(lines[0], `profile=unset awsmfa=work`);
    assert.equal(lines[1], session, `the JS SDK v3 default chain takes the session, not the profile's long-term key`);
    if (existsSync(AWS))
      assert.equal(JSON.parse(lines.slice(2, -1).join(`\n`)).AccessKeyId, session);
    assert.equal(lines.at(-1), `1`);
  });
});
