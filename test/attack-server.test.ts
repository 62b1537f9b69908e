/**
 * Attacks on the credentials server of `exec --server` and `serve` (issue 22): what happens at its edges.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, test} from 'node:test';
import {BIN, runAwsmfaWithTty, spawnAndCollect} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ADMIN_ROLE, ALICE} from './support/sts-server.js';
import {scaled} from './support/timing.js';

useStandIn();

const nodeScript = (source: string) => [process.execPath, `--input-type=module`, `-e`, source];

describe(`exec --server`, () => {
  test(`a command that ends while the server asks for a code on the terminal: awsmfa ends with it, and no code is taken`, async () => {
    sts.lifetimeSeconds = {session: 4};
    // One call once the session nears its end (the server then asks for a code on the terminal), then the command ends.
    const script = `
await new Promise(resolve => setTimeout(resolve, 3300));
const r = await fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, {headers: {authorization: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN}});
console.log(r.status);
console.log(Date.now());
`;
    const result = await runAwsmfaWithTty([], [`exec`, `--server`, `--code`, sts.code, `--`, ...nodeScript(script)], {...sandbox.env, AWSMFA_PROMPT_TIMEOUT: `20s`});
    const ended = Date.now();
    assert.match(result.stderr, /MFA code for .*: /, `the question showed on the terminal`);
    assert.equal(result.exitCode, 0, result.stderr);
    // What awsmfa controls: it ends once its command has, not once the question (20 s) is answered or given up.
    const after = ended - Number(result.stdout.trim().split(`\n`).at(-1));
    assert.ok(after >= 0 && after < scaled(2_000, 15_000), `awsmfa ended ${after} ms after its command did: ${result.stderr}`);
  });
});

/** One call as an SDK makes it, once the 4-second session nears its end: its status, the body's message, how long it took. */
const LATE_CALL = `
await new Promise(resolve => setTimeout(resolve, 3300));
const started = Date.now();
try {
  const r = await fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, {headers: {authorization: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN}, signal: AbortSignal.timeout(3000)});
  console.log(JSON.stringify({status: r.status, message: (await r.json()).Message, ms: Date.now() - started}));
} catch (error) {
  console.log(JSON.stringify({status: 0, message: String(error), ms: Date.now() - started}));
}
`;

describe(`exec --server in the background of a terminal (cmd &, or bg after Ctrl+Z)`, () => {
  test(`the session nears its end: no question on a terminal it may not read (which would stop awsmfa, server and all), an answer within a second that says what to do`, async () => {
    sts.lifetimeSeconds = {session: 4};
    const background = fileURLToPath(new URL(`./support/background-tty.py`, import.meta.url));
    const result = await spawnAndCollect(`python3`, [background, process.execPath, BIN, `exec`, `--server`, `--code`, sts.code, `--`, ...nodeScript(LATE_CALL)], {env: {...sandbox.env, AWSMFA_PROMPT_TIMEOUT: `20s`}});
    assert.doesNotMatch(result.stderr, /STOPPED/, `awsmfa was stopped by the terminal (SIGTTIN): ${result.stderr}`);
    const call = JSON.parse(result.stdout) as {status: number, message: string, ms: number};
    assert.equal(call.status, 503, result.stdout);
    assert.match(call.message, /no terminal to ask on/);
    assert.ok(call.ms < scaled(1_000, 10_000), `answered in ${call.ms} ms`);
    assert.equal(result.exitCode, 0, result.stderr);
  });
});

const hasBoto3 = spawnSync(`python3`, [`-c`, `import boto3`]).status === 0;
const LOOP_PY = fileURLToPath(new URL(`./support/sdk-loop.py`, import.meta.url));

describe(`exec --server: what botocore takes before the server`, () => {
  const cases: Array<[string, () => Record<string, string>]> = [
    // What `aws login` (AWS CLI 2.32) leaves in a profile: botocore's LoginProvider comes before the container's.
    [`a login_session in the config file's [default]`, () => {
      sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\nlogin_session = arn:aws:iam::123456789012:user/alice\n\n[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\nregion = eu-west-1\n`);
      return {};
    }],
    // The old EC2 tools' key file: botocore's OriginalEC2Provider reads it before the container's.
    [`AWS_CREDENTIAL_FILE in the environment`, () => {
      sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\nregion = eu-west-1\n`);
      const file = join(sandbox.home, `ec2-keys`);
      writeFileSync(file, `AWSAccessKeyId=${ALICE.accessKeyId}\nAWSSecretKey=${ALICE.secretAccessKey}\n`, {mode: 0o600});
      return {AWS_CREDENTIAL_FILE: file};
    }],
  ];
  for (const [what, setUp] of cases) {
    test(`${what}: boto3 in the command still signs with the role from the server`, {skip: hasBoto3 || process.env.CI === `true` ? false : `needs boto3 (pip install boto3)`}, async () => {
      const extra = setUp();
      const result = await spawnAndCollect(process.execPath, [BIN, `exec`, `--server`, `--profile`, `admin`, `--code`, sts.code, `--`, `python3`, LOOP_PY, `0.1`], {env: {...sandbox.env, ...extra}, detached: true});
      assert.equal(result.exitCode, 0, result.stderr);
      const call = JSON.parse(result.stdout.trim().split(`\n`)[0]!) as {ok: boolean, arn?: string, error?: string};
      assert.equal(call.error, undefined);
      assert.match(call.arn!, /assumed-role\/Admin\//, `not the long-term keys, not another login`);
    });
  }
});
