/**
 * Every question reaches the person at the controlling terminal, and gives up in time. Each test runs the built CLI
 * (or the AWS CLI, boto3 or the JS SDK running it as a credential_process) on a real pseudo-terminal driven by
 * support/tty-script.py, which types as a person would and reports the screen and the terminal's settings.
 */
import assert from 'node:assert/strict';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {assertFails, BIN, runAwsmfa} from './support/run.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ALICE} from './support/sts-server.js';
import {onTty, type TtyStep as Step} from './support/on-tty.js';
import {scaled} from './support/timing.js';

const AWS = `/usr/bin/aws`;
const awsMissing = existsSync(AWS) ? false : process.env.CI ? `` : `the AWS CLI v2 (/usr/bin/aws) is not installed here`;
if (awsMissing === ``)
  throw new Error(`/usr/bin/aws is missing, and CI must test with it (see .ci/run)`);

useStandIn();


const awsmfa = (args: string[]) => [process.execPath, BIN, ...args];

/** A profile that gets its credentials from awsmfa, as the README shows. */
function addProcessProfile(): void {
  sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile viamfa]\nregion = eu-west-1\ncredential_process = awsmfa credential-process --profile default\n`);
}

/** The session the typed code got was the one that answered: GetSessionToken with that code, then a call signed by it. */
function assertSessionUsed(code: string): void {
  const [session] = sts.sessionRequests;
  assert.equal(session?.params.TokenCode, code);
  assert.equal(session?.params.SerialNumber, ALICE.serialNumber);
  const identity = sts.requests.find(request => request.action === `GetCallerIdentity`);
  assert.ok(identity, `GetCallerIdentity was sent`);
  assert.equal(identity.accessKeyId, sts.issued.at(-1)!.accessKeyId, `signed with the MFA session`);
  assert.ok(identity.signatureValid);
}

const CODE_QUESTION = `MFA code for ${ALICE.serialNumber}: `;

describe(`a credential_process whose stderr is captured still asks on the terminal`, () => {
  test(`the AWS CLI v2: the question shows, the typed code gets a working sts get-caller-identity`, {skip: awsMissing}, async () => {
    addProcessProfile();
    // This AWS CLI (2.9) predates AWS_ENDPOINT_URL_STS, so it is given the stand-in with --endpoint-url; awsmfa
    // reads AWS_ENDPOINT_URL_STS from the environment the AWS CLI passes on.
    const result = await onTty([AWS, `--profile`, `viamfa`, `--endpoint-url`, sts.url, `sts`, `get-caller-identity`],
      [{expect: CODE_QUESTION}, {send: `${sts.code}\n`}], {...awsmfaOnPath(sandbox), AWS_PAGER: ``});
    assert.equal(result.exit, 0, result.screen);
    assert.equal(JSON.parse(result.stdout).Arn, ALICE.arn);
    assert.ok(result.screen.startsWith(CODE_QUESTION), result.screen);
    assertSessionUsed(sts.code);
  });

  test(`boto3: the same`, async () => {
    addProcessProfile();
    const python = `import boto3, sys\nprint(boto3.Session(profile_name="viamfa").client("sts", endpoint_url=sys.argv[1]).get_caller_identity()["Arn"])`;
    const result = await onTty([`python3`, `-c`, python, sts.url], [{expect: CODE_QUESTION}, {send: `${sts.code}\n`}], awsmfaOnPath(sandbox));
    assert.equal(result.exit, 0, result.screen);
    assert.equal(result.stdout, `${ALICE.arn}\n`);
    assertSessionUsed(sts.code);
  });

  test(`the JS SDK (fromIni): the same`, async () => {
    addProcessProfile();
    const script = `const {fromIni} = require("@aws-sdk/credential-providers");
const {STSClient, GetCallerIdentityCommand} = require("@aws-sdk/client-sts");
new STSClient({region: "eu-west-1", endpoint: process.argv[1], credentials: fromIni({profile: "viamfa"})})
  .send(new GetCallerIdentityCommand({})).then(identity => console.log(identity.Arn));`;
    const result = await onTty([process.execPath, `-e`, script, sts.url], [{expect: CODE_QUESTION}, {send: `${sts.code}\n`}], awsmfaOnPath(sandbox));
    assert.equal(result.exit, 0, result.screen);
    assert.equal(result.stdout, `${ALICE.arn}\n`);
    assertSessionUsed(sts.code);
  });
});

describe(`one line is read`, () => {
  test(`what is typed after the answer stays for the shell that reads the terminal next`, async () => {
    const shell = `"$@" >/dev/null; read rest; printf 'the shell read: %s\\n' "$rest" >&2`;
    const result = await onTty([`sh`, `-c`, shell, `sh`, ...awsmfa([`env`, `--shell`, `bash`])], [{expect: CODE_QUESTION}, {send: `${sts.code}\nnext command\n`}], sandbox.env);
    assert.equal(result.exit, 0, result.screen);
    assert.match(result.screen, /the shell read: next command\r\n/);
    assert.equal(sts.sessionRequests[0]?.params.TokenCode, sts.code);
  });
});

describe(`the time limit`, () => {
  test(`no answer within AWSMFA_PROMPT_TIMEOUT: one line that says what to do, exit 2, the terminal as it was`, async () => {
    const result = await onTty(awsmfa([`env`, `--shell`, `bash`]), [{expect: CODE_QUESTION}], {...sandbox.env, AWSMFA_PROMPT_TIMEOUT: `1s`}, {stderr: `pipe`});
    assert.equal(result.exit, 2, result.stderr);
    assert.equal(result.stdout, `false\n`, `bash's failure statement, and nothing else`);
    assert.equal(result.stderr, `awsmfa: no answer on the terminal within 1 s: pass the code as an argument or with --code 123456, or let mfa_process (or --code-command) print it; AWSMFA_PROMPT_TIMEOUT gives longer\n`);
    assert.ok(result.seconds >= 1 && result.seconds * 1000 < 1_000 + scaled(5_000, 50_000), `ended in ${result.seconds} s`);
    assert.deepEqual(result.termiosAfter, result.termiosBefore);
    // The question's line is ended, so the shell's prompt does not start after it.
    assert.equal(result.screen, `${CODE_QUESTION}\r\n`);
    assert.equal(sts.sessionRequests.length, 0);
  });

  test(`a hidden question that times out puts echo and line mode back`, async () => {
    rmSync(join(sandbox.awsDir, `credentials`));
    const result = await onTty(awsmfa([`login`]), [{expect: `AWS Access Key ID: `}, {send: `${ALICE.accessKeyId}\n`}, {expect: `AWS Secret Access Key: `}],
      {...sandbox.env, AWSMFA_PROMPT_TIMEOUT: `1`}, {stderr: `pipe`});
    assert.equal(result.exit, 2, result.stderr);
    assert.match(result.stderr, /^awsmfa: no answer on the terminal within 1 s: put the keys and mfa_serial of profile 'default' in the AWS files \(aws configure\), then run again; AWSMFA_PROMPT_TIMEOUT gives longer\n$/);
    assert.ok(result.echoAfter && result.canonicalAfter, `echo and line mode are back on`);
    assert.deepEqual(result.termiosAfter, result.termiosBefore);
  });

  test(`no answer to login's "save?" in time is a no: the session stays written, the keys are not saved`, async () => {
    rmSync(join(sandbox.awsDir, `credentials`));
    const result = await onTty(awsmfa([`login`, `--update-profile`, `work-mfa`]), [
      {expect: `AWS Access Key ID: `}, {send: `${ALICE.accessKeyId}\n`},
      {expect: `AWS Secret Access Key: `}, {send: `${ALICE.secretAccessKey}\r`},
      {expect: CODE_QUESTION}, {send: `${sts.code}\n`},
      {expect: `[Y/n]: `},
    ], {...sandbox.env, AWSMFA_PROMPT_TIMEOUT: `1s`}, {stderr: `pipe`});
    assert.equal(result.exit, 0, result.stderr);
    assert.match(result.stderr, /Temporary credentials written to profile 'work-mfa'[^]*awsmfa: no answer in time, so nothing was saved \(aws configure saves the keys\)\n$/);
    const credentials = readFileSync(join(sandbox.awsDir, `credentials`), `utf8`);
    assert.match(credentials, /\[work-mfa\]/);
    assert.ok(!credentials.includes(ALICE.secretAccessKey), `the long-term secret was not saved`);
  });

  test(`AWSMFA_PROMPT_TIMEOUT is checked like --timeout`, async () => {
    for (const value of [`forever`, `0s`, `11m`])
      assertFails(await runAwsmfa([`env`], {...sandbox.env, AWSMFA_PROMPT_TIMEOUT: value}), 2, new RegExp(`^awsmfa: AWSMFA_PROMPT_TIMEOUT is "${value}", not a time from 1s to 10m`));
  });
});

describe(`no terminal at all`, () => {
  test(`env fails at once with one line naming mfa_process, --code-command and awsmfa env in a terminal`, async () => {
    const started = Date.now();
    // runAwsmfa spawns detached: a new session with no controlling terminal, as under cron, CI or a service.
    const result = await runAwsmfa([`env`], sandbox.env);
    assertFails(result, 2, /^awsmfa: no MFA code given and no terminal to ask on: pass the code as an argument or with --code 123456, or let mfa_process \(or --code-command\) print it, or run awsmfa env in a terminal first\n$/);
    assert.ok(Date.now() - started < scaled(5_000, 25_000), `at once (${Date.now() - started} ms)`);
    assert.equal(sts.sessionRequests.length, 0);
  });

  test(`credential-process: the same, in its own words`, async () => {
    const result = await runAwsmfa([`credential-process`, `--profile`, `default`], sandbox.env);
    assertFails(result, 2, /no terminal to ask for a code on: .*awsmfa env --profile default.* in a terminal.*mfa_process/);
  });
});

describe(`a hidden answer`, () => {
  test(`the secret key is never echoed; erasing works; the terminal is as it was`, async () => {
    rmSync(join(sandbox.awsDir, `credentials`));
    sandbox.writeConfig(`[default]\nregion = eu-west-1\n`);
    const secret = ALICE.secretAccessKey;
    // A person's Enter is CR; a typo erased with Backspace (DEL) must not end up in the key.
    const result = await onTty(awsmfa([`login`]), [
      {expect: `AWS Access Key ID: `}, {send: `${ALICE.accessKeyId}\n`},
      {expect: `AWS Secret Access Key: `}, {send: `${secret.slice(0, 6)}X\x7f${secret.slice(6)}\r`},
      // The keys typed ask IAM for their devices (first-run login offers the list): Enter takes the only one.
      {expect: `MFA device [1]: `}, {send: `\n`},
      {expect: `Profile to update [session-alice]: `}, {send: `\n`},
      {expect: CODE_QUESTION}, {send: `${sts.code}\n`},
      {expect: `[Y/n]: `}, {send: `n\n`},
    ], sandbox.env, {stderr: `pipe`});
    assert.equal(result.exit, 0, `${result.stderr}${result.screen}`);
    assert.ok(!result.screen.includes(secret.slice(0, 6)) && !result.screen.includes(secret.slice(6)), `no part of the secret on the screen: ${result.screen}`);
    assert.match(result.screen, /AWS Secret Access Key: \r?\n/);
    assert.ok(sts.sessionRequests[0]?.signatureValid, `signed with the secret as typed, the typo erased`);
    assert.deepEqual(result.termiosAfter, result.termiosBefore);
    // The questions went to the terminal, not to stderr, which a program may be capturing.
    assert.doesNotMatch(result.stderr, /Access Key|MFA code for|Profile to update/);
  });

  // After its one line and with the terminal put back, awsmfa dies of the signal (-N: os.waitstatus_to_exitcode's
  // way of saying "killed by signal N"; a shell shows 128 + N), so a script or loop that ran it stops too.
  for (const [how, step, exit, line] of [
    [`Ctrl+C`, {send: `abc\x03`}, -2, `awsmfa: cancelled (Ctrl+C)\n`],
    [`SIGTERM`, {signal: `SIGTERM`}, -15, `awsmfa: cancelled (SIGTERM)\n`],
    [`SIGQUIT`, {signal: `SIGQUIT`}, -3, `awsmfa: cancelled (SIGQUIT)\n`],
    [`SIGALRM`, {signal: `SIGALRM`}, -14, `awsmfa: cancelled (SIGALRM)\n`],
  ] as const) {
    test(`${how} during the hidden question cancels with one line and leaves the terminal sane`, async () => {
      rmSync(join(sandbox.awsDir, `credentials`));
      const result = await onTty(awsmfa([`login`]), [{expect: `AWS Access Key ID: `}, {send: `${ALICE.accessKeyId}\n`}, {expect: `AWS Secret Access Key: `}, {sleep: 0.2}, step],
        sandbox.env, {stderr: `pipe`});
      assert.equal(result.exit, exit, result.stderr);
      assert.equal(result.stderr, line);
      assert.equal(result.stdout, ``);
      assert.ok(!result.screen.includes(`abc`), `nothing typed was echoed`);
      assert.deepEqual(result.termiosAfter, result.termiosBefore);
      assert.ok(!existsSync(join(sandbox.awsDir, `credentials`)), `nothing saved`);
    });
  }

  test(`Ctrl+C during a plain question cancels with one line too`, async () => {
    const result = await onTty(awsmfa([`env`]), [{expect: CODE_QUESTION}, {send: `12\x03`}], sandbox.env, {stderr: `pipe`});
    assert.equal(result.exit, -2, result.stderr);
    assert.equal(result.stderr, `awsmfa: cancelled (Ctrl+C)\n`);
    assert.deepEqual(result.termiosAfter, result.termiosBefore);
  });
});

describe(`values from outside in a question`, () => {
  test(`a serial with ESC and C1 characters is shown escaped, never obeyed`, async () => {
    const serial = `arn:aws:iam::123456789012:mfa/x\u001b]0;PWNED\u0007\u009b2J`;
    const result = await onTty([process.execPath, `--import`, `tsx`, `test/support/ask-code.ts`, serial], [{expect: `: `}, {send: `123456\n`}], sandbox.env);
    assert.equal(result.exit, 0, result.screen);
    assert.equal(result.stdout, `123456`);
    assert.ok(result.screen.startsWith(`MFA code for arn:aws:iam::123456789012:mfa/x\\x1b]0;PWNED\\x07\\u009b2J: `), result.screen);
    assert.doesNotMatch(result.screen, /[\u001b\u0007\u0080-\u009f]/);
  });

  test(`a profile name with a bidirectional override, said on the terminal, is shown escaped`, async () => {
    rmSync(join(sandbox.awsDir, `credentials`));
    const result = await onTty(awsmfa([`login`, `--profile`, `work\u202egpj.exe`]), [{expect: `AWS Access Key ID: `}, {send: `\x04`}], sandbox.env, {stderr: `pipe`});
    // Ctrl+D is no key id: the first run ends there, without asking for a secret.
    assert.equal(result.exit, 2);
    assert.match(result.stderr, /^awsmfa: that is not an access key id[^\n]*\n$/);
    assert.doesNotMatch(result.screen, /Secret/);
    assert.match(result.screen, /No long-term keys found for profile 'work\\u202egpj\.exe'/);
    assert.ok(!result.screen.includes(`\u202e`));
  });
});
