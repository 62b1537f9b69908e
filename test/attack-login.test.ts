/**
 * Attacks on the `aws login` (passkeys) and IAM Identity Center paths (issue 29): what a signal at the wrong
 * moment, a folder or file someone else can write, a hostile or silent endpoint, or a hostile value in the cache or
 * the config can do to a user's session. Against the sign-in stand-in (each refresh token good once: a refresh the
 * service made but awsmfa did not save ends the session) and the Identity Center stand-in.
 *
 * CASES (held = the code already did the right thing, checked by hand against the stand-ins; found = a test here
 * failed on main, and the fix is named)
 *   found  SIGINT/SIGTERM/SIGHUP while sign-in answers: file kept the spent token -> token-file.ts holds them until the rename
 *   found  read-only login cache folder: token spent, write failed, session gone -> folder proven writable first
 *   found  a token/secret of the wrong shape (cache file, sign-in's, the portal's, SSO-OIDC's answer) echoed whole on
 *          stderr by the validator's "(got …)" -> terminal.ts shapeProblem, one sanitizer for those complaints
 *   found  awsmfa's cache folder unusable: 4 parallel callers refreshed unlocked, 3 refused, session ended -> no lock, no refresh
 *   found  login cache folder 0777: session taken (a swapped-in link to another session passes the file's checks)
 *          -> token-file.ts refuses a folder of another user or world-writable without the sticky bit
 *   held   FIFO, directory, link to /dev/zero, 2 MiB file as the cache file: one line, exit 2, nothing hangs
 *   held   silent endpoint (--timeout 2s: 2.4 s, one line); endless body (cut, the budget ends it); 307 not followed
 *   held   http:// non-loopback endpoint (variable or endpoint_url): refused before any connection, exit 2
 *   held   ESC/C1/newlines in sign-in's error body: rendered visibly on one line
 *   held   dpopKey malformed, RSA, P-384, public-only, encrypted PEM (no prompt), a number: one line, aws login
 *   held   expiresAt garbage, +275760 year, number; accountId a number; clientId with $() and backticks; 20 KiB token
 *   held   expiresAt far future: used as is (botocore does the same); epoch: refreshed
 *   held   hostile signInRegion in the cache: ignored, the login profile's region used; refresh in the login region
 *          whatever --region or AWS_REGION say (verbose log)
 *   held   hostile profile name with ESC, $(), backticks, glob: refused by RULES.profile, the value quoted
 *   held   env on a failed refresh: stdout is the failure statement only
 *   found  SIGTERM to serve / exec --server while its server refreshed: the command returned, awsmfa exited before the
 *          rename (sign-in answering slowly) -> CredentialsServer.close waits for token-file.ts's updates, bounded
 *   noted  group-writable (0620) token file: taken, then written back 0600 with a note (the SDKs write 0664 under umask 002)
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmodSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {after, before, beforeEach, describe, test} from 'node:test';
import {assertFails, BIN, type RunResult} from './support/run.js';
import {forNobody, NOBODY} from './support/nobody.js';
import {SigninServer} from './support/signin-server.js';
import {SsoServer} from './support/sso-server.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';

/** The sign-in stand-in, telling when a refresh request has arrived (before it answers). */
class WatchedSignin extends SigninServer {
  arrived = 0;
  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.arrived++;
    return await super.handle(req, res);
  }
}

const {run, secrets} = useStandIn();
const signin = new WatchedSignin(() => sts);
const identity = new SsoServer(() => sts);
before(async () => {
  await Promise.all([signin.start(), identity.start()]);
});
after(() => Promise.all([signin.close(), identity.close()]));

const LOGIN_ARN = `arn:aws:sts::123456789012:assumed-role/Admin/alice`;
const CONFIG = `[profile passkey]
login_session = ${LOGIN_ARN}
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
  signin.arrived = 0;
  identity.reset();
  sandbox.writeConfig(CONFIG);
  env = {AWS_ENDPOINT_URL_SIGNIN: signin.url, AWS_ENDPOINT_URL_SSO: identity.url, AWS_ENDPOINT_URL_SSO_OIDC: identity.url};
});

const loginDir = () => join(sandbox.home, `.aws`, `login`, `cache`);

/** `aws login --profile passkey`, as the AWS CLI leaves it: the cache file, 0600. */
function awsLogin(options: Parameters<SigninServer[`signIn`]>[0] = {}): string {
  const {file} = signin.signIn({arn: LOGIN_ARN, ...options});
  mkdirSync(loginDir(), {recursive: true});
  const path = join(loginDir(), `${createHash(`sha256`).update(LOGIN_ARN).digest(`hex`)}.json`);
  writeFileSync(path, JSON.stringify(file), {mode: 0o600});
  return path;
}

/** Starts the built CLI (its own process group, no terminal), for a test that signals it midway. */
function startAwsmfa(args: string[], extra: Record<string, string>): {child: ReturnType<typeof spawn>, done: Promise<RunResult & {signal: NodeJS.Signals | null}>} {
  const child = spawn(process.execPath, [BIN, ...args], {env: {...sandbox.env, ...extra}, detached: true, stdio: [`ignore`, `pipe`, `pipe`]});
  let stdout = ``;
  let stderr = ``;
  child.stdout!.setEncoding(`utf8`).on(`data`, chunk => stdout += chunk);
  child.stderr!.setEncoding(`utf8`).on(`data`, chunk => stderr += chunk);
  const done = new Promise<RunResult & {signal: NodeJS.Signals | null}>(resolve => child.on(`close`, (exitCode, signal) => resolve({exitCode, signal, stdout, stderr})));
  return {child, done};
}

async function until(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

describe(`signals during a refresh`, () => {
  for (const signal of [`SIGINT`, `SIGTERM`, `SIGHUP`] as const) {
    test(`${signal} while sign-in is answering: the refresh it spent is saved, and the next run needs no aws login`, {timeout: 60_000}, async () => {
      const path = awsLogin({expiresInSeconds: -60});
      signin.delayMs = 1500;
      const {child, done} = startAwsmfa([`credential-process`, `--profile`, `passkey`], env);
      await until(() => signin.arrived > 0, `the refresh request`);
      child.kill(signal);
      const stopped = await done;
      // Sign-in rotated the refresh token: the file must hold the new one, or the session is gone.
      await until(() => signin.refreshed.length === 1, `the stand-in's answer`);
      assert.equal(JSON.parse(readFileSync(path, `utf8`)).refreshToken, signin.sessions[0]!.current, `the refresh token sign-in handed out was saved (the run ended: ${stopped.signal ?? stopped.exitCode} ${stopped.stderr})`);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      // It still stops for the signal, and says nothing it should not.
      assert.ok(stopped.signal === signal || stopped.exitCode === 128 + {SIGINT: 2, SIGTERM: 15, SIGHUP: 1}[signal], `stopped by ${signal}: ${stopped.signal} ${stopped.exitCode}`);
      assert.equal(stopped.stdout, ``);
      for (const secret of secrets())
        assert.ok(!stopped.stderr.includes(secret), `a secret leaked: ${stopped.stderr}`);
      const next = await run([`credential-process`, `--profile`, `passkey`], env);
      assert.equal(next.exitCode, 0, next.stderr);
      assert.equal(signin.refreshes.length, 1, `the next run took the saved credentials`);
    });
  }

  /**
   * A client of the credentials server, as the SDKs are: asks it every 200 ms (the URL and token from `lines`, or
   * from its environment when run by exec --server) until stopped. Each call may start the server's refresh.
   */
  const POLLER = `const http = require('node:http');
const url = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, token = process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
setInterval(() => http.get(url, {headers: {authorization: token}, agent: false}, res => res.resume()).on('error', () => {}), 200);`;

  // The served credentials end ~6 s after aws login's: the server renews them (a refresh at sign-in, which answers
  // slowly) at a client's call in their last third, and is stopped while sign-in has not answered yet.
  for (const [name, args] of [
    [`serve`, [`serve`, `--profile`, `passkey`, `--shell`, `bash`, `--min-remaining`, `1s`]],
    [`exec --server`, [`exec`, `--server`, `--profile`, `passkey`, `--min-remaining`, `1s`, `--`, process.execPath, `-e`, POLLER]],
  ] as const) {
    test(`SIGTERM to ${name} while its server refreshes the aws login session: it stops after the refresh is saved`, {timeout: 60_000}, async () => {
      const path = awsLogin({expiresInSeconds: 6});
      signin.delayMs = 3000;
      const {child, done} = startAwsmfa([...args], env);
      let poller: ReturnType<typeof spawn> | undefined;
      if (name === `serve`) {
        let lines = ``;
        child.stdout!.on(`data`, chunk => lines += chunk);
        await until(() => /AWS_CONTAINER_AUTHORIZATION_TOKEN=/.test(lines), `serve's lines`);
        const value = (variable: string) => /=('?)([^';\n]*)\1/.exec(lines.split(`\n`).find(line => line.includes(`${variable}=`))!)![2]!;
        poller = spawn(process.execPath, [`-e`, POLLER], {env: {...process.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: value(`AWS_CONTAINER_CREDENTIALS_FULL_URI`), AWS_CONTAINER_AUTHORIZATION_TOKEN: value(`AWS_CONTAINER_AUTHORIZATION_TOKEN`)}, stdio: `ignore`});
      }
      try {
        await until(() => signin.arrived > 0, `the server's refresh request`);
        assert.equal(signin.refreshes.length, 0, `sign-in has not answered yet`);
        child.kill(`SIGTERM`);
        const stopped = await done;
        assert.equal(signin.refreshed.length, 1, `sign-in answered once (${name} ended: ${stopped.signal ?? stopped.exitCode}): ${stopped.stderr}`);
        assert.equal(JSON.parse(readFileSync(path, `utf8`)).refreshToken, signin.sessions[0]!.current, `the refresh token sign-in handed out was saved (${name} ended: ${stopped.signal ?? stopped.exitCode} ${stopped.stderr})`);
        assert.ok(stopped.signal === `SIGTERM` || stopped.exitCode === 143, `stopped by SIGTERM: ${stopped.signal} ${stopped.exitCode} ${stopped.stderr}`);
        assert.match(stopped.stderr, /SIGTERM: finishing the refresh of .* first/);
        for (const secret of secrets())
          assert.ok(!stopped.stderr.includes(secret), `a secret leaked: ${stopped.stderr}`);
      } finally {
        poller?.kill();
        // awsmfa's group (it was started detached): exec's command too, should awsmfa have gone without it.
        try {
          process.kill(-child.pid!, `SIGKILL`);
        } catch {}
      }
      const next = await run([`credential-process`, `--profile`, `passkey`], env);
      assert.equal(next.exitCode, 0, next.stderr);
      assert.equal(signin.refreshes.length, 1, `the next run took the saved credentials`);
    });
  }
});

/** Runs the built CLI as uid 65534 (setpriv), the sandbox given to it: a user who is not root, whom permissions bind. */
function runAsNobody(args: string[], extra: Record<string, string>): Promise<RunResult> {
  spawnSync(`chown`, [`-R`, `${NOBODY}:${NOBODY}`, sandbox.home]);
  return new Promise(resolve => {
    const child = spawn(`setpriv`, [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, `--clear-groups`, forNobody().node, forNobody().bin, ...args], {env: {...sandbox.env, ...extra}, detached: true, stdio: [`ignore`, `pipe`, `pipe`]});
    let stdout = ``;
    let stderr = ``;
    child.stdout.setEncoding(`utf8`).on(`data`, chunk => stdout += chunk);
    child.stderr.setEncoding(`utf8`).on(`data`, chunk => stderr += chunk);
    child.on(`close`, exitCode => resolve({exitCode, stdout, stderr, args}));
  });
}

const needsRoot = process.getuid?.() === 0 ? false : `needs root, to run awsmfa as another user (nobody)`;

describe(`a login cache folder the user cannot write`, {skip: needsRoot}, () => {
  test(`read-only: refused before sign-in is asked, so the refresh token is not spent for nothing`, {timeout: 60_000}, async () => {
    const path = awsLogin({expiresInSeconds: -60});
    const before = readFileSync(path);
    spawnSync(`chown`, [`-R`, `${NOBODY}:${NOBODY}`, sandbox.home]);
    chmodSync(loginDir(), 0o500);
    const result = await runAsNobody([`credential-process`, `--profile`, `passkey`], env);
    assertFails(result, 2, /cannot update .*login\/cache.*\.json/);
    assert.equal(signin.arrived, 0, `sign-in was not asked`);
    assert.deepEqual(readFileSync(path), before);
    // Once the folder is the user's to write again, the session is still good.
    chmodSync(loginDir(), 0o700);
    const again = await runAsNobody([`credential-process`, `--profile`, `passkey`], env);
    assert.equal(again.exitCode, 0, again.stderr);
    assert.equal(signin.refreshed.length, 1);
  });
});

/** A service on 127.0.0.1 that answers every request with `status` and this JSON body. */
async function answering(status: number, body: unknown): Promise<{url: string, hits: () => number, close: () => Promise<void>}> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(status, {'content-type': `application/json`});
    res.end(JSON.stringify(body));
  });
  await new Promise<void>(resolve => server.listen(0, `127.0.0.1`, resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise(resolve => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** `aws sso login --profile sso` (sso-session corp), as the AWS CLI leaves it. */
function awsSsoLogin(change: (file: Record<string, unknown>) => void = () => {}, options: Parameters<SsoServer[`signIn`]>[0] = {}): string {
  const {file} = identity.signIn({roles: [`111122223333/ReadOnly`], ...options});
  change(file);
  const dir = join(sandbox.home, `.aws`, `sso`, `cache`);
  mkdirSync(dir, {recursive: true});
  const path = join(dir, `${createHash(`sha1`).update(`corp`).digest(`hex`)}.json`);
  writeFileSync(path, JSON.stringify(file), {mode: 0o600});
  return path;
}

describe(`a secret of the wrong shape is never echoed`, () => {
  // A value one character off (a space, a quote) fails its pattern; the validator's message used to carry it whole.
  const SECRET = `SecretTokenValue0123456789abcdefghijklmnopqrstuvwxyz`;

  test(`in the login cache: the refresh token, the secret key`, async () => {
    for (const [field, change] of [
      [`refreshToken`, (file: Record<string, unknown>) => file.refreshToken = `rt-${SECRET} x`],
      [`accessToken.secretAccessKey`, (file: Record<string, unknown>) => (file.accessToken as Record<string, unknown>).secretAccessKey = `${SECRET} x`],
    ] as const) {
      const {file} = signin.signIn({arn: LOGIN_ARN, expiresInSeconds: -60});
      change(file);
      mkdirSync(loginDir(), {recursive: true});
      writeFileSync(join(loginDir(), `${createHash(`sha256`).update(LOGIN_ARN).digest(`hex`)}.json`), JSON.stringify(file), {mode: 0o600});
      const result = await run([`credential-process`, `--profile`, `passkey`], env);
      assertFails(result, 1, new RegExp(`\\.${field.replace(`.`, `\\.`)}: .*run aws login --profile passkey`));
      assert.ok(!result.stderr.includes(SECRET), `the ${field} was shown: ${result.stderr}`);
    }
  });

  test(`in sign-in's answer: the new secret key; and nothing is written`, async () => {
    const path = awsLogin({expiresInSeconds: -60});
    const before = readFileSync(path);
    const hostile = await answering(200, {accessToken: {accessKeyId: `ASIAEXAMPLEEXAMPLE12`, secretAccessKey: `${SECRET} `, sessionToken: `IQoJtoken`}, expiresIn: 900, refreshToken: `rt-next`});
    try {
      const result = await run([`credential-process`, `--profile`, `passkey`], {...env, AWS_ENDPOINT_URL_SIGNIN: hostile.url});
      assertFails(result, 1, /answered no credentials sign-in hands out \(\.accessToken\.secretAccessKey: /);
      assert.ok(!result.stderr.includes(SECRET), result.stderr);
      assert.deepEqual(readFileSync(path), before);
    } finally {
      await hostile.close();
    }
  });

  test(`in the Identity Center token file: the client secret`, async () => {
    awsSsoLogin(file => file.clientSecret = `${SECRET}\n`);
    const result = await run([`credential-process`, `--profile`, `sso`], env);
    assertFails(result, 1, /\.clientSecret: .*run aws sso login --profile sso/);
    assert.ok(!result.stderr.includes(SECRET), result.stderr);
  });

  test(`in the portal's answer: the role's session token`, async () => {
    awsSsoLogin();
    const hostile = await answering(200, {roleCredentials: {accessKeyId: `ASIAEXAMPLEEXAMPLE12`, secretAccessKey: `secretsecretsecret`, sessionToken: `${SECRET} `, expiration: Date.now() + 3_600_000}});
    try {
      const result = await run([`credential-process`, `--profile`, `sso`], {...env, AWS_ENDPOINT_URL_SSO: hostile.url});
      assertFails(result, 1, /answered no credentials \(\.roleCredentials\.sessionToken: /);
      assert.ok(!result.stderr.includes(SECRET), result.stderr);
    } finally {
      await hostile.close();
    }
  });
});

describe(`parallel refreshes when awsmfa's cache folder (where the lock lives) is unusable`, () => {
  test(`no refresh without the lock: the session survives, and one line says what to fix`, {timeout: 120_000}, async () => {
    const path = awsLogin({expiresInSeconds: -60});
    const before = readFileSync(path);
    // The cache root is a link (a dotfiles manager's, say): awsmfa follows none there, so it has no lock.
    mkdirSync(sandbox.cacheDir, {recursive: true});
    mkdirSync(join(sandbox.home, `elsewhere`));
    symlinkSync(join(sandbox.home, `elsewhere`), join(sandbox.cacheDir, `awsmfa`));
    signin.delayMs = 500;
    const runs = await Promise.all(Array.from({length: 4}, () => run([`credential-process`, `--profile`, `passkey`], env, {timeoutMs: 90_000})));
    assert.deepEqual(signin.refreshes.filter(record => !record.ok).map(record => record.reason), [], `no refresh token was spent twice`);
    for (const result of runs)
      assertFails(result, 2, /cannot refresh .*without the lock parallel awsmfa runs share .*cache\/awsmfa is a symbolic link/, secrets());
    assert.deepEqual(readFileSync(path), before);
    // Once the link is gone, the session is still there to refresh.
    rmSync(join(sandbox.cacheDir, `awsmfa`));
    signin.delayMs = 0;
    const fixed = await run([`credential-process`, `--profile`, `passkey`], env);
    assert.equal(fixed.exitCode, 0, fixed.stderr);
    assert.equal(signin.refreshed.length, 1);
  });
});

describe(`a token folder others can write`, () => {
  test(`a login cache folder every user can write: no session taken from it (a link to another session's file would pass every check of the file)`, async () => {
    const path = awsLogin({expiresInSeconds: 3600});
    chmodSync(loginDir(), 0o777);
    const result = await run([`credential-process`, `--profile`, `passkey`], env);
    assertFails(result, 2, /login\/cache, which every user can write \(mode 0777\); awsmfa takes no session from there: chmod 700 /, secrets());
    // The sticky bit (a /tmp-like folder named by AWS_LOGIN_CACHE_DIRECTORY) keeps others from replacing the file.
    chmodSync(loginDir(), 0o1777);
    const sticky = await run([`credential-process`, `--profile`, `passkey`], env);
    assert.equal(sticky.exitCode, 0, sticky.stderr);
    assert.equal(JSON.parse(sticky.stdout).AccessKeyId, JSON.parse(readFileSync(path, `utf8`)).accessToken.accessKeyId);
  });
});
