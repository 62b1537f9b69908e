/**
 * `awsmfa exec --server` and `awsmfa serve`: a credentials endpoint on 127.0.0.1 (the container credentials
 * protocol) that the real clients (boto3, the JS SDK's default chain, the AWS CLI v2) read, and that assumes the role
 * again before it expires. The stand-in hands out 10-second role sessions, so a client running for half a minute
 * crosses several expiries; botocore and the JS SDK refresh such short credentials before every call.
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {connect} from 'node:net';
import {fileURLToPath} from 'node:url';
import {describe, test} from 'node:test';
import {assertFails, BIN, runAwsmfa, runAwsmfaWithTty} from './support/run.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ADMIN_ROLE, ALICE} from './support/sts-server.js';
import {loadFactor, scaled} from './support/timing.js';

const ROLE_SECONDS = 10;
useStandIn({lifetimeSeconds: {role: ROLE_SECONDS}});

const LOOP_PY = fileURLToPath(new URL(`./support/sdk-loop.py`, import.meta.url));
const LOOP_MJS = fileURLToPath(new URL(`./support/sdk-loop.mjs`, import.meta.url));
const ASSUMED_ARN = `arn:aws:sts::123456789012:assumed-role/Admin/awsmfa-alice`;

const hasBoto3 = spawnSync(`python3`, [`-c`, `import boto3`]).status === 0;
const hasCli = spawnSync(`/usr/bin/aws`, [`--version`]).status === 0;
const missing = [hasBoto3 ? `` : `boto3 (pip install boto3)`, hasCli ? `` : `the AWS CLI v2 at /usr/bin/aws`].filter(Boolean).join(` and `);
// CI installs both (.ci/run); a developer machine without them sees why the test did not run.
const skipClients = missing !== `` && process.env.CI !== `true` ? `needs ${missing}` : false;

function withAdminRole(): void {
  sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\nregion = eu-west-1\n`);
}

interface CallLine {
  client: string;
  ok: boolean;
  key?: string;
  arn?: string;
  error?: string;
}

/** A small program for the command's place, run by node: what it prints is the test's evidence. */
const nodeScript = (source: string) => [process.execPath, `--input-type=module`, `-e`, source];

/** Asks the server as an SDK would, with the token (or another), and says what came back. */
const FETCH_JS = `
const url = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
const ask = async headers => { const r = await fetch(url, {headers}); return {status: r.status, body: await r.json()}; };
const token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => /^(AWS|AMAZON|EC2)_/.test(name)));
console.log(JSON.stringify({url, env, right: await ask({authorization: token}), none: await ask({}),
  wrong: await ask({authorization: token.slice(0, -1) + (token.endsWith('0') ? '1' : '0')}), longer: await ask({authorization: token + 'x'})}));
`;

/** Whether anything listens at the URL's port now. */
function refused(url: string): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect(Number(new URL(url).port), `127.0.0.1`);
    socket.on(`connect`, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on(`error`, error => resolve((error as NodeJS.ErrnoException).code === `ECONNREFUSED`));
  });
}

describe(`exec --server`, () => {
  test(`boto3, the JS SDK and the AWS CLI call across several role expiries without a failed call`, {skip: skipClients, timeout: 180_000}, async () => {
    withAdminRole();
    // The clients call for 32 s on a quiet machine, longer on a loaded one (where the AWS CLI's Python may take 5 s a
    // call), so that each makes its calls across several role expiries either way.
    const seconds = Math.round(32 * Math.min(loadFactor(), 3));
    const clients = `python3 '${LOOP_PY}' ${seconds} & '${process.execPath}' '${LOOP_MJS}' js ${seconds} & '${process.execPath}' '${LOOP_MJS}' cli ${seconds} & wait`;
    const started = Date.now();
    const before = sts.issued.length;
    const result = await runAwsmfa([`exec`, `--server`, `--profile`, `admin`, `--code`, sts.code, `--`, `sh`, `-c`, clients], sandbox.env, {timeoutMs: 150_000});
    assert.equal(result.exitCode, 0, result.stderr);
    const lines = result.stdout.trim().split(`\n`).map(line => JSON.parse(line) as CallLine);
    const roleKeys = new Set(sts.issued.slice(before).filter(issued => issued.arn === ASSUMED_ARN).map(issued => issued.accessKeyId));
    const expiries = Math.floor((Date.now() - started) / 1000 / ROLE_SECONDS);
    for (const client of [`boto3`, `js`, `cli`]) {
      const calls = lines.filter(line => line.client === client);
      assert.deepEqual(calls.filter(call => !call.ok), [], `${client}: no call failed`);
      // The AWS CLI starts a new Python each time: some 2 to 5 s a call on a busy 2-core machine.
      assert.ok(calls.length >= (client === `cli` ? 5 : 30), `${client} made ${calls.length} calls`);
      // Signed by the role's sessions only (never the long-term keys of ~/.aws/credentials), and by one after another.
      assert.deepEqual([...new Set(calls.map(call => call.arn))], [ASSUMED_ARN], client);
      const keys = new Set(calls.map(call => call.key!));
      assert.ok([...keys].every(key => roleKeys.has(key)), `${client}: every key is a role session the stand-in issued`);
      assert.ok(keys.size >= 3, `${client} used ${keys.size} role sessions over ${expiries} expiries`);
    }
    // One code, one MFA session: every later role session was assumed from it, without a code.
    assert.equal(sts.sessionRequests.filter(record => record.action === `GetSessionToken`).length, 1);
    assert.ok(sts.sessionRequests.filter(record => record.action === `AssumeRole`).every(record => record.params.TokenCode === undefined));
    // Ahead of expiry, not at every call: about one role session per two thirds of a lifetime, not hundreds.
    assert.ok(roleKeys.size <= Math.ceil(expiries * 1.5) + 2, `${roleKeys.size} role sessions in ${expiries} lifetimes`);
  });

  test(`the command gets the server's URL and token and no static key; a missing or wrong token gets 403; the server ends with the command`, async () => {
    withAdminRole();
    const keyNames = {AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey, AWS_SECRET_KEY: ALICE.secretAccessKey, AWS_SESSION_TOKEN: `stale`, AWS_PROFILE: `admin`, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: `/tmp/x`, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: `/v2/x`, AWS_WEB_IDENTITY_TOKEN_FILE: `/tmp/oidc`, AWS_ROLE_ARN: ADMIN_ROLE};
    const result = await runAwsmfa([`exec`, `--server`, `--profile`, `admin`, `--code`, sts.code, `--`, ...nodeScript(FETCH_JS)], {...sandbox.env, ...keyNames});
    assert.equal(result.exitCode, 0, result.stderr);
    const seen = JSON.parse(result.stdout);
    assert.match(seen.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(seen.env.AWS_CONTAINER_AUTHORIZATION_TOKEN, /^[0-9a-f]{64}$/);
    // No credential at all but the server's: not the long-term keys, not a session, not a profile to read keys from.
    assert.deepEqual(Object.keys(seen.env).filter(name => /KEY|SECRET|TOKEN|PROFILE|CONTAINER|CREDENTIAL|ROLE/.test(name)).sort(), [`AWS_CONTAINER_AUTHORIZATION_TOKEN`, `AWS_CONTAINER_CREDENTIALS_FULL_URI`, `AWS_SHARED_CREDENTIALS_FILE`]);
    assert.equal(seen.env.AWS_REGION, `eu-west-1`, `the profile's region comes along, as with env`);
    assert.equal(seen.env.AWS_SHARED_CREDENTIALS_FILE, `/dev/null`, `the long-term keys' file is hidden from the SDKs`);
    assert.ok(!result.stdout.includes(ALICE.secretAccessKey));
    const issued = sts.issued.at(-1)!;
    assert.equal(seen.right.status, 200);
    assert.deepEqual(seen.right.body, {AccessKeyId: issued.accessKeyId, SecretAccessKey: issued.secretAccessKey, Token: issued.sessionToken, Expiration: issued.expiration.toISOString().replace(`.000Z`, `Z`)});
    for (const wrong of [seen.none, seen.wrong, seen.longer]) {
      assert.equal(wrong.status, 403);
      assert.equal(wrong.body.AccessKeyId, undefined);
    }
    assert.ok(await refused(seen.url), `nothing listens once the command has ended`);
  });

  test(`on SIGKILL of awsmfa the command's next call is refused at once, and boto3 says it could not connect`, {skip: hasBoto3 || process.env.CI === `true` ? false : `needs boto3`}, async () => {
    withAdminRole();
    const script = `import os, sys, boto3
print(os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"], flush=True)
sys.stdin.readline()
try:
    boto3.client("sts", endpoint_url=os.environ["AWS_ENDPOINT_URL_STS"]).get_caller_identity()
    print("worked")
except Exception as error:
    print("failed:", type(error).__name__, error)
`;
    const child = spawn(process.execPath, [BIN, `exec`, `--server`, `--profile`, `admin`, `--code`, sts.code, `--`, `python3`, `-c`, script], {env: sandbox.env, detached: true, stdio: [`pipe`, `pipe`, `pipe`]});
    const stop = setTimeout(() => process.kill(-child.pid!, `SIGKILL`), 60_000);
    let stdout = ``;
    let stderr = ``;
    child.stderr.setEncoding(`utf8`).on(`data`, chunk => stderr += chunk);
    const url = await new Promise<string>(resolve => child.stdout.setEncoding(`utf8`).on(`data`, chunk => {
      stdout += chunk;
      if (stdout.includes(`\n`) && !stdout.includes(`failed`) && !stdout.includes(`worked`))
        resolve(stdout.split(`\n`)[0]!);
    }));
    assert.equal(await refused(url), false, `the server listens while awsmfa runs`);
    child.kill(`SIGKILL`);
    await new Promise(resolve => setTimeout(resolve, 200));
    assert.ok(await refused(url), `refused once awsmfa is gone`);
    const asked = Date.now();
    child.stdin.end(`go\n`);
    // The command (python) outlived awsmfa: read what it says through the pipe it still holds.
    const said = await new Promise<string>(resolve => child.stdout.on(`end`, () => resolve(stdout)));
    clearTimeout(stop);
    assert.match(said, /failed: CredentialRetrievalError .*(Could not connect|Connection refused)/i, stderr);
    assert.ok(Date.now() - asked < scaled(15_000, 50_000), `boto3 gave up in ${Date.now() - asked} ms`);
  });

  test(`the MFA session ends with no terminal: an answer within a second that says what to do; a session made elsewhere is then taken`, async () => {
    sts.lifetimeSeconds = {session: 6};
    // The default profile: the server serves the MFA session itself, which needs a code to renew.
    const script = `
const url = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
const token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
const ask = async () => { const started = Date.now(); const r = await fetch(url, {headers: {authorization: token}}); return {status: r.status, body: await r.json(), ms: Date.now() - started}; };
const first = await ask();
await new Promise(resolve => setTimeout(resolve, 6500));
const ended = await ask();
console.log(JSON.stringify({first, ended}));
// The test now runs awsmfa env with a new code, and says so on stdin.
await new Promise(resolve => process.stdin.once('data', resolve));
await new Promise(resolve => setTimeout(resolve, 3200));
console.log(JSON.stringify({renewed: await ask()}));
`;
    const child = spawn(process.execPath, [BIN, `exec`, `--server`, `--code`, sts.code, `--`, ...nodeScript(script)], {env: sandbox.env, detached: true, stdio: [`pipe`, `pipe`, `pipe`]});
    const stop = setTimeout(() => process.kill(-child.pid!, `SIGKILL`), 60_000);
    let stdout = ``;
    let stderr = ``;
    child.stderr.setEncoding(`utf8`).on(`data`, chunk => stderr += chunk);
    const first = await new Promise<string>(resolve => child.stdout.setEncoding(`utf8`).on(`data`, chunk => {
      stdout += chunk;
      if (stdout.includes(`\n`))
        resolve(stdout);
    }));
    const {ended} = JSON.parse(first);
    assert.equal(ended.status, 503, stderr);
    assert.ok(ended.ms < scaled(1_000, 10_000), `answered in ${ended.ms} ms`);
    assert.match(ended.body.Message, /^awsmfa: .*terminal/);
    assert.equal(ended.body.AccessKeyId, undefined);
    // Elsewhere, a new MFA session with the next code: the server takes it from the cache, no question asked.
    sts.lifetimeSeconds = {session: 120};
    sts.code = String(Number(sts.code) % 999999 + 1).padStart(6, `1`);
    const env = await runAwsmfa([`env`, `--shell`, `bash`, `--code`, sts.code], sandbox.env);
    assert.equal(env.exitCode, 0, env.stderr);
    child.stdin.end(`go\n`);
    const status = await new Promise(resolve => child.on(`close`, resolve));
    clearTimeout(stop);
    assert.equal(status, 0, stderr);
    const {renewed} = JSON.parse(stdout.trim().split(`\n`).at(-1)!);
    assert.equal(renewed.status, 200, stderr);
    assert.equal(renewed.body.AccessKeyId, sts.issued.at(-1)!.accessKeyId);
    assert.match(stderr, /could not renew the session: .*terminal/);
    assert.equal(stderr.trimEnd().split(`\n`).length, 1, `said once: ${stderr}`);
  });
});

describe(`exec --server on a terminal`, () => {
  test(`when the MFA session nears its end the code is asked on the terminal, and the command's calls keep working meanwhile`, async () => {
    sts.lifetimeSeconds = {session: 6};
    const [first, second] = [sts.code, String(Number(sts.code) % 999999 + 1).padStart(6, `1`)];
    // The second code becomes the device's once the first is spent; the session it buys lasts.
    sts.onIssued = () => {
      sts.code = second;
      sts.lifetimeSeconds = {session: 120};
    };
    const script = `
const url = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
const token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
const calls = [];
for (let end = Date.now() + 7000; Date.now() < end; await new Promise(resolve => setTimeout(resolve, 400))) {
  const started = Date.now();
  const r = await fetch(url, {headers: {authorization: token}});
  calls.push({status: r.status, key: (await r.json()).AccessKeyId, ms: Date.now() - started});
}
console.log(JSON.stringify(calls));
`;
    const before = sts.issued.length;
    const result = await runAwsmfaWithTty([second], [`exec`, `--server`, `--code`, first, `--`, ...nodeScript(script)], sandbox.env);
    assert.equal(result.exitCode, 0, result.stderr);
    const calls = JSON.parse(result.stdout) as Array<{status: number, key: string, ms: number}>;
    assert.deepEqual(calls.filter(call => call.status !== 200), [], `no call failed: ${result.stderr}`);
    const sessions = sts.issued.slice(before).map(issued => issued.accessKeyId);
    assert.equal(sessions.length, 2);
    assert.deepEqual([...new Set(calls.map(call => call.key))], sessions, `the first session, then the one bought with the code typed`);
    assert.ok(calls.every(call => call.ms < scaled(1_000, 10_000)), `every answer within a second (or what the load makes of one): ${calls.map(call => call.ms).join(` `)} ms`);
    assert.deepEqual(sts.sessionRequests.map(record => record.params.TokenCode), [first, second]);
    assert.match(result.stderr, /MFA code for arn:aws:iam::123456789012:mfa\/alice: /, `the question showed on the terminal`);
  });
});

describe(`serve`, () => {
  test(`eval "$(awsmfa serve &)" in bash returns at once with the shell pointed at the server; the JS SDK works there; kill $AWSMFA_SERVER_PID stops it`, async () => {
    // The long-term keys under a profile of their own: the SDKs read [default] of ~/.aws/credentials before the
    // server, and serve (unlike exec --server) cannot hide that file from the shell it prints for.
    sandbox.writeCredentials(`[alice]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    sandbox.writeConfig(`[profile alice]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE.serialNumber}\nregion = eu-west-1\n`);
    const script = `started=$(date +%s%N)
eval "$(awsmfa serve --profile admin --code ${sts.code} --shell bash &)" || exit 9
echo "took=$(( ($(date +%s%N) - started) / 1000000 )) pid=$AWSMFA_SERVER_PID key=\${AWS_ACCESS_KEY_ID-none} profile=\${AWS_PROFILE-none} url=$AWS_CONTAINER_CREDENTIALS_FULL_URI"
'${process.execPath}' '${LOOP_MJS}' js 1
kill "$AWSMFA_SERVER_PID"
while kill -0 "$AWSMFA_SERVER_PID" 2>/dev/null; do sleep 0.1; done
echo stopped`;
    const env = {...awsmfaOnPath(sandbox), AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey, AWS_PROFILE: `alice`};
    // Not spawnSync: the stand-in answers from this process's event loop.
    const result = await new Promise<{status: number | null, stdout: string, stderr: string}>(resolve => {
      const child = spawn(`bash`, [`-c`, script], {env, stdio: [`ignore`, `pipe`, `pipe`], timeout: 60_000});
      let stdout = ``;
      let stderr = ``;
      child.stdout.setEncoding(`utf8`).on(`data`, chunk => stdout += chunk);
      child.stderr.setEncoding(`utf8`).on(`data`, chunk => stderr += chunk);
      child.on(`close`, status => resolve({status, stdout, stderr}));
    });
    assert.equal(result.status, 0, result.stderr);
    const [first, ...rest] = result.stdout.trim().split(`\n`);
    const fields = Object.fromEntries(first!.split(` `).map(field => field.split(`=`) as [string, string]));
    assert.ok(Number(fields.took) < scaled(10_000, 50_000), `eval returned in ${fields.took} ms`);
    assert.match(fields.pid!, /^\d+$/);
    assert.equal(fields.key, `none`, `the static keys are removed from the shell`);
    assert.equal(fields.profile, `none`);
    assert.equal(rest.at(-1), `stopped`);
    const calls = rest.slice(0, -1).map(line => JSON.parse(line) as CallLine);
    assert.ok(calls.length >= 1);
    assert.deepEqual(calls.filter(call => !call.ok || call.arn !== ASSUMED_ARN), []);
    assert.match(result.stderr, /serving the credentials of profile 'admin' at http:\/\/127\.0\.0\.1:\d+\/ \(pid \d+\); stop with Ctrl\+C or kill \d+/);
    assert.ok(await refused(fields.url!), `nothing listens once it is stopped`);
  });

  test(`long-term keys only in the shell's environment are not removed from it: refused before a code is spent`, async () => {
    sandbox.writeCredentials(``);
    const result = await runAwsmfa([`serve`, `--shell`, `bash`], {...sandbox.env, AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey});
    assertFails(result, 2, /^awsmfa: your long-term keys are only in this shell's AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/, [ALICE.secretAccessKey]);
    assert.equal(sts.sessionRequests.length, 0);
  });
});
