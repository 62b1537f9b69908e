/**
 * aws login and IAM Identity Center profiles through the commands, as a user runs them: env and `mfa`, exec,
 * credential-process (many at once on an expired session), exec --server across refreshes, status, whoami,
 * profiles, console, and roles whose source is such a profile. Against the sign-in stand-in (DPoP checked, refresh
 * tokens spent once), the Identity Center stand-in, the STS stand-in (every signature checked, so a call signed by
 * the wrong session fails) and the federation stand-in; the clients are the real boto3 and bash.
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, beforeEach, describe, test} from 'node:test';
import {assertFails, BIN} from './support/run.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {runScript, skipUnlessShell} from './support/shells.js';
import {FederationServer} from './support/federation-server.js';
import {SigninServer} from './support/signin-server.js';
import {SsoServer} from './support/sso-server.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ADMIN_ROLE} from './support/sts-server.js';

const {run, secrets} = useStandIn();
const signin = new SigninServer(() => sts);
const identity = new SsoServer(() => sts);
const federation = new FederationServer(() => sts);
before(async () => {
  await Promise.all([signin.start(), identity.start(), federation.start()]);
});
after(() => Promise.all([signin.close(), identity.close(), federation.close()]));

const LOGIN_ARN = `arn:aws:sts::123456789012:assumed-role/Admin/alice`;
const LOOP_PY = fileURLToPath(new URL(`./support/sdk-loop.py`, import.meta.url));
const hasBoto3 = spawnSync(`python3`, [`-c`, `import boto3`]).status === 0;
const skipBoto3 = hasBoto3 || process.env.CI === `true` ? false : `needs boto3 (pip install boto3)`;

const CONFIG = `[default]
region = eu-west-1
mfa_serial = arn:aws:iam::123456789012:mfa/alice

[profile passkey]
login_session = ${LOGIN_ARN}
region = eu-central-1

[profile admin]
role_arn = ${ADMIN_ROLE}
source_profile = passkey
region = eu-central-1

[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = eu-west-1

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
`;

let env: Record<string, string>;
beforeEach(() => {
  signin.reset();
  identity.reset();
  sandbox.writeConfig(CONFIG);
  env = {AWS_ENDPOINT_URL_SIGNIN: signin.url, AWS_ENDPOINT_URL_SSO: identity.url, AWS_ENDPOINT_URL_SSO_OIDC: identity.url};
});

/** `aws login --profile passkey`, as the AWS CLI leaves it: the cache file, 0600. */
function awsLogin(options: Parameters<SigninServer[`signIn`]>[0] = {}): string {
  const {file} = signin.signIn({arn: LOGIN_ARN, ...options});
  const dir = join(sandbox.home, `.aws`, `login`, `cache`);
  mkdirSync(dir, {recursive: true});
  const path = join(dir, `${createHash(`sha256`).update(options.arn ?? LOGIN_ARN).digest(`hex`)}.json`);
  writeFileSync(path, JSON.stringify(file), {mode: 0o600});
  return path;
}

/** `aws sso login --profile sso`, as the AWS CLI leaves it. */
function awsSsoLogin(options: Parameters<SsoServer[`signIn`]>[0] = {}): string {
  const {file} = identity.signIn({roles: [`111122223333/ReadOnly`], ...options});
  const dir = join(sandbox.home, `.aws`, `sso`, `cache`);
  mkdirSync(dir, {recursive: true});
  const path = join(dir, `${createHash(`sha1`).update(`corp`).digest(`hex`)}.json`);
  writeFileSync(path, JSON.stringify(file), {mode: 0o600});
  return path;
}

const exported = (stdout: string, name: string) => new RegExp(`^export ${name}='([^']*)'$`, `m`).exec(stdout)?.[1];

/** Who boto3 is with the environment a command gets (GetCallerIdentity at the STS stand-in, which checks the signature). */
const WHO_PY = `import boto3, os; print(boto3.client('sts', region_name='eu-west-1', endpoint_url=os.environ['AWS_ENDPOINT_URL_STS']).get_caller_identity()['Arn'])`;

describe(`aws login profiles`, () => {
  test(`env refreshes an expired session once, and the next terminal takes awsmfa's copy without a refresh`, async () => {
    const path = awsLogin({expiresInSeconds: -60});
    const first = await run([`env`, `--profile`, `passkey`, `--shell`, `bash`], env);
    assert.equal(first.exitCode, 0, first.stderr);
    const key = exported(first.stdout, `AWS_ACCESS_KEY_ID`);
    assert.equal(key, JSON.parse(readFileSync(path, `utf8`)).accessToken.accessKeyId);
    assert.equal(exported(first.stdout, `AWS_REGION`), `eu-central-1`);
    assert.equal(exported(first.stdout, `AWSMFA_PROFILE`), `passkey`);
    assert.match(first.stderr, /new session for the aws login session of profile 'passkey', valid for 0h 1[45]m/);
    assert.equal(signin.refreshed.length, 1);
    const second = await run([`env`, `--profile`, `passkey`, `--shell`, `bash`], env);
    assert.equal(second.exitCode, 0, second.stderr);
    assert.equal(exported(second.stdout, `AWS_ACCESS_KEY_ID`), key);
    assert.match(second.stderr, /cached session of profile 'passkey'/);
    assert.equal(signin.refreshes.length, 1);
    for (const secret of secrets())
      assert.ok(!first.stderr.includes(secret) && !second.stderr.includes(secret));
  });

  test(`many credential-process callers on an expired session: one refresh, and all of them get it`, {timeout: 120_000}, async () => {
    awsLogin({expiresInSeconds: -60});
    signin.delayMs = 400;
    const runs = await Promise.all(Array.from({length: 12}, () => run([`credential-process`, `--profile`, `passkey`], env, {timeoutMs: 90_000})));
    for (const result of runs)
      assert.equal(result.exitCode, 0, result.stderr);
    const documents = runs.map(result => JSON.parse(result.stdout));
    assert.equal(signin.refreshes.length, 1, `one request reached sign-in`);
    assert.equal(new Set(documents.map(document => document.AccessKeyId)).size, 1);
    assert.ok(documents.every(document => document.Version === 1 && document.SessionToken && Date.parse(document.Expiration) > Date.now()));
  });

  test(`exec gives the command the session; boto3 signs as the signed-in role`, {skip: skipBoto3}, async () => {
    awsLogin();
    const result = await run([`exec`, `--profile`, `passkey`, `--`, `python3`, `-c`, WHO_PY], env);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout.trim(), LOGIN_ARN);
  });

  test(`mfa --profile in bash takes the session into the shell`, {skip: skipUnlessShell(`bash`)}, async () => {
    const path = awsLogin({expiresInSeconds: -60});
    const result = await runScript(`bash`, `eval "$(awsmfa init bash)"\nmfa --profile passkey || exit 9\nprintf '%s %s\\n' "$AWS_ACCESS_KEY_ID" "$AWSMFA_PROFILE"\n`, {...awsmfaOnPath(sandbox), ...env});
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), `${JSON.parse(readFileSync(path, `utf8`)).accessToken.accessKeyId} passkey`);
  });

  test(`a role whose source is the login profile is assumed with the login session, no code, and cached`, async () => {
    const path = awsLogin();
    const first = await run([`env`, `--profile`, `admin`, `--shell`, `json`], env);
    assert.equal(first.exitCode, 0, first.stderr);
    const assume = sts.requests.filter(request => request.action === `AssumeRole`);
    assert.equal(assume.length, 1);
    assert.equal(assume[0]!.accessKeyId, JSON.parse(readFileSync(path, `utf8`)).accessToken.accessKeyId, `signed by the aws login session`);
    assert.equal(assume[0]!.params.TokenCode, undefined);
    assert.equal(JSON.parse(first.stdout).AccessKeyId, sts.issued.at(-1)!.accessKeyId);
    const second = await run([`env`, `--profile`, `admin`, `--shell`, `json`], env);
    assert.equal(second.exitCode, 0, second.stderr);
    assert.equal(sts.requests.filter(request => request.action === `AssumeRole`).length, 1, `the second from the cache`);
  });

  test(`whoami, status and profiles`, async () => {
    awsLogin();
    const whoami = await run([`whoami`, `--profile`, `passkey`], env);
    assert.equal(whoami.exitCode, 0, whoami.stderr);
    assert.match(whoami.stdout, new RegExp(`^arn: ${LOGIN_ARN.replace(/[/]/g, `\\/`)}$`, `m`));
    assert.match(whoami.stdout, /from the aws login session of profile 'passkey'/);
    const status = await run([`status`, `--profile`, `passkey`], env);
    assert.equal(status.exitCode, 0, status.stdout + status.stderr);
    assert.match(status.stdout, /^aws login session of profile 'passkey': ASIA[A-Z0-9]+, valid for 0h 1[45]m, until .* \(awsmfa refreshes it until the sign-in ends, then: aws login\)$/m);
    const profiles = await run([`profiles`], env);
    assert.equal(profiles.exitCode, 0, profiles.stderr);
    assert.match(profiles.stdout, /^passkey +login +eu-central-1 +- +- +0h 1[45]m left$/m);
    assert.match(profiles.stdout, /^admin +role +eu-central-1 +- +123456789012:role\/Admin \(passkey\) +-$/m);
    assert.match(profiles.stdout, /^sso +sso +eu-west-1 +- +- +-$/m);
  });

  test(`clear forgets awsmfa's copy (the next env reads the AWS CLI's cache again); commands that need keys say so`, async () => {
    awsLogin();
    assert.equal((await run([`env`, `--profile`, `admin`, `--shell`, `bash`], env)).exitCode, 0);
    const cleared = await run([`clear`, `--profile`, `admin`], env);
    assert.equal(cleared.exitCode, 0, cleared.stderr);
    assert.match(cleared.stderr, /2 cached sessions/);
    const again = await run([`env`, `--profile`, `admin`, `--shell`, `bash`], env);
    assert.equal(again.exitCode, 0, again.stderr);
    assert.equal(sts.requests.filter(request => request.action === `AssumeRole`).length, 2, `assumed again after clear`);
    assertFails(await run([`devices`, `--profile`, `passkey`], {...env, AWS_ACCESS_KEY_ID: ``}), 2, /profile 'passkey' signs in with aws login \(login_session\), not with long-term keys/);
    assertFails(await run([`rotate`, `--profile`, `passkey`], env), 2, /profile 'passkey' takes its session from the aws login session of profile 'passkey': it has no long-term key to rotate/);
    assertFails(await run([`login`, `--profile`, `passkey`, `--update-profile`, `copy`], env), 2, /a copy in a session profile would go stale/);
  });

  test(`a session that has ended: one line naming aws login, nothing on stdout, the file as it was`, async () => {
    const path = awsLogin({expiresInSeconds: -60});
    signin.sessions[0]!.signedInAt -= 13 * 3600_000;
    const before = readFileSync(path);
    for (const [command, ...rest] of [[`env`, `--shell`, `bash`], [`credential-process`], [`exec`, `--`, `true`]]) {
      const result = await run([command!, `--profile`, `passkey`, ...rest], env);
      assertFails(result, 1, /^awsmfa: the aws login session of profile 'passkey' has ended \(TOKEN_EXPIRED, after 12 hours at most\): run aws login --profile passkey$/m, secrets());
    }
    assert.deepEqual(readFileSync(path), before);
  });

  test(`a code, --direct or a duration for a login profile: refused, before anything is asked`, async () => {
    awsLogin();
    assertFails(await run([`env`, `--profile`, `passkey`, `--shell`, `bash`, `--code`, `123456`], env), 2, /takes no MFA code: its session comes from the aws login session of profile 'passkey'/);
    assertFails(await run([`env`, `--profile`, `passkey`, `--shell`, `bash`, `--direct`], env), 2, /--direct sends the MFA code/);
    assertFails(await run([`env`, `--profile`, `passkey`, `--shell`, `bash`, `-d`, `1h`], env), 2, /--duration-seconds: profile 'passkey' takes an aws login session/);
    assert.equal(signin.refreshes.length + sts.requests.length, 0);
  });

  test(`console: a login of a role signs in; a login of an IAM user is refused with what to do instead`, async () => {
    awsLogin();
    const console = await run([`console`, `--profile`, `passkey`, `--print`], {...env, AWS_ENDPOINT_URL_SIGNIN: federation.url});
    assert.equal(console.exitCode, 0, console.stderr);
    assert.match(console.stdout, /Action=login/);
    assert.equal(federation.requests.at(-1)!.action, `getSigninToken`);
    const user = `arn:aws:iam::123456789012:user/alice`;
    sandbox.writeConfig(CONFIG.replace(LOGIN_ARN, user));
    awsLogin({arn: user});
    assertFails(await run([`console`, `--profile`, `passkey`, `--print`], {...env, AWS_ENDPOINT_URL_SIGNIN: federation.url}), 2, /signs in with aws login as arn:aws:iam::123456789012:user\/alice, not as a role/);
  });

  test(`exec --server over 15-minute credentials that expire during the job: boto3 keeps working across refreshes`, {skip: skipBoto3, timeout: 120_000}, async () => {
    // Sign-in's 15 minutes, shortened: the server renews a third of the way before each end.
    signin.expiresIn = 12;
    awsLogin({expiresInSeconds: 12});
    const child = spawn(process.execPath, [BIN, `exec`, `--server`, `--profile`, `passkey`, `--`, `python3`, LOOP_PY, `30`], {env: {...sandbox.env, ...env}, stdio: [`ignore`, `pipe`, `pipe`]});
    let stdout = ``;
    let stderr = ``;
    child.stdout.on(`data`, chunk => stdout += chunk);
    child.stderr.on(`data`, chunk => stderr += chunk);
    const status = await new Promise(resolve => child.on(`exit`, resolve));
    assert.equal(status, 0, stderr);
    const lines = stdout.trim().split(`\n`).map(line => JSON.parse(line));
    assert.ok(lines.length >= 40, `${lines.length} calls`);
    assert.deepEqual(lines.filter(line => !line.ok), [], `every call worked`);
    assert.ok(new Set(lines.map(line => line.key)).size >= 3, `signed by several sessions in turn`);
    assert.ok(lines.every(line => line.arn === LOGIN_ARN));
    assert.ok(signin.refreshed.length >= 2, `${signin.refreshed.length} refreshes`);
    assert.deepEqual(signin.refreshes.filter(record => !record.ok), []);
  });
});

describe(`IAM Identity Center profiles`, () => {
  test(`env takes the role's credentials from the portal, and the next terminal the cached ones`, async () => {
    awsSsoLogin();
    const first = await run([`env`, `--profile`, `sso`, `--shell`, `bash`], env);
    assert.equal(first.exitCode, 0, first.stderr);
    assert.equal(exported(first.stdout, `AWS_ACCESS_KEY_ID`), sts.issued.at(-1)!.accessKeyId);
    const second = await run([`env`, `--profile`, `sso`, `--shell`, `bash`], env);
    assert.equal(exported(second.stdout, `AWS_ACCESS_KEY_ID`), exported(first.stdout, `AWS_ACCESS_KEY_ID`));
    assert.equal(identity.portalCalls.length, 1);
  });

  test(`whoami and console with the role's session`, async () => {
    awsSsoLogin();
    const whoami = await run([`whoami`, `--profile`, `sso`], env);
    assert.equal(whoami.exitCode, 0, whoami.stderr);
    assert.match(whoami.stdout, /^arn: arn:aws:sts::111122223333:assumed-role\/AWSReservedSSO_ReadOnly_[0-9a-f]+\/alice$/m);
    const console = await run([`console`, `--profile`, `sso`, `--print`], {...env, AWS_ENDPOINT_URL_SIGNIN: federation.url});
    assert.equal(console.exitCode, 0, console.stderr);
    assert.match(console.stdout, /Action=login/);
  });

  test(`an expired token without a way to refresh it: one line naming aws sso login`, async () => {
    awsSsoLogin({session: false, expiresInSeconds: -60});
    assertFails(await run([`credential-process`, `--profile`, `sso`], env), 1, /^awsmfa: the IAM Identity Center session of profile 'sso' has expired and cannot be refreshed: run aws sso login --profile sso$/m, secrets());
  });
});
