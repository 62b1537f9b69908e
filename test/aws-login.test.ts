/**
 * Profiles with `login_session` (`aws login`): awsmfa's reader and refresher of the AWS CLI's login cache, against
 * the cases of the login provider, against the sign-in stand-in (which checks the DPoP proof and spends each refresh
 * token once), and against real botocore on the same files, both ways.
 *
 * The cases (test/support/login-provider-cases.json): the eight scenarios of the login provider's shared test suite
 * that botocore's tests/unit/login/login-provider-test-cases.json and the other SDKs run (the same eight, with the
 * same titles, shapes and outcomes, as smithy-rs's copy of it holds), rebuilt here with keys and values of our own
 * (botocore's own file was not at hand), plus two of awsmfa's. Each runs against awsmfa and, for agreement, against
 * botocore's own LoginProvider: a rebuilt case botocore disagreed with would fail here.
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {createPublicKey, verify} from 'node:crypto';
import {chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, afterEach, before, beforeEach, describe, test} from 'node:test';
import {AwsFiles} from '../src/aws-files/files.js';
import {AwsmfaError} from '../src/errors.js';
import {defaultEndpoint, partitionFor, tokenEndpoint} from '../src/aws-files/endpoints.js';
import {loginCacheFile, loginSession, type SourceOptions} from '../src/sources/login.js';
import {loginSource} from '../src/aws-files/token-sources.js';
import {SignInRequiredError} from '../src/sources/token-file.js';
import {makeSandbox, type Sandbox} from './support/sandbox.js';
import {spawnAndCollect} from './support/run.js';
import {SigninServer} from './support/signin-server.js';

const CASES = JSON.parse(readFileSync(new URL(`./support/login-provider-cases.json`, import.meta.url), `utf8`)) as LoginCase[];
const BOTOCORE = fileURLToPath(new URL(`./support/botocore-credentials.py`, import.meta.url));
const SOURCE_SESSION = fileURLToPath(new URL(`./support/source-session.ts`, import.meta.url));

const hasBotocoreCrt = spawnSync(`python3`, [`-c`, `import botocore.credentials, awscrt`]).status === 0;
// CI installs botocore[crt] (.ci/run); a developer machine without it sees why these did not run.
const skipBotocore = hasBotocoreCrt || process.env.CI === `true` ? false : `needs botocore with awscrt (pip install "botocore[crt]")`;

interface LoginCase {
  documentation: string;
  configContents: string;
  cacheContents: Record<string, Record<string, unknown>>;
  mockApiCalls?: Array<{request: {tokenInput: Record<string, string>}, response?: {tokenOutput: Record<string, unknown>}, responseCode?: number}>;
  outcomes: Array<{result: `credentials` | `error` | `cacheContents`} & Record<string, unknown>>;
}

/** The SEP's clock: every case runs at this instant. */
const CASE_NOW = new Date(`2025-11-19T00:00:00Z`);
const SESSION = `arn:aws:sts::012345678910:assumed-role/Admin/admin`;

/** Checks a DPoP proof as the service would (RFC 9449): the key in the header made the signature, for this request, now. */
function dpopProblem(proof: string | undefined, url: string, now: Date, seen: Set<string>): string | undefined {
  const [header64, payload64, signature64] = (proof ?? ``).split(`.`);
  if (!header64 || !payload64 || !signature64)
    return `no JWT`;
  const header = JSON.parse(Buffer.from(header64, `base64url`).toString());
  const payload = JSON.parse(Buffer.from(payload64, `base64url`).toString());
  if (header.typ !== `dpop+jwt` || header.alg !== `ES256` || header.jwk?.crv !== `P-256`)
    return `header`;
  if (!verify(`sha256`, Buffer.from(`${header64}.${payload64}`), {key: createPublicKey({key: header.jwk, format: `jwk`}), dsaEncoding: `ieee-p1363`}, Buffer.from(signature64, `base64url`)))
    return `signature`;
  if (payload.htm !== `POST` || payload.htu !== url)
    return `htm/htu ${payload.htm} ${payload.htu}`;
  if (Math.abs(payload.iat - now.getTime() / 1000) > 60)
    return `iat ${payload.iat}`;
  if (typeof payload.jti !== `string` || seen.has(payload.jti))
    return `jti`;
  seen.add(payload.jti);
  return undefined;
}

/** A sign-in endpoint that replays a case's mockApiCalls in order, checking each request's body and DPoP proof. */
class ReplayServer {
  url = ``;
  calls: Array<{body: unknown, problem: string | undefined}> = [];
  mocks: NonNullable<LoginCase[`mockApiCalls`]> = [];
  now = CASE_NOW;
  private seen = new Set<string>();
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on(`data`, chunk => chunks.push(chunk));
    req.on(`end`, () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || `null`);
      const problem = dpopProblem(req.headers.dpop as string | undefined, `${this.url}${req.url}`, this.now, this.seen);
      const mock = this.mocks[this.calls.length];
      this.calls.push({body, problem});
      if (mock === undefined || problem !== undefined || req.url !== `/v1/token` || JSON.stringify(body) !== JSON.stringify(mock.request.tokenInput)) {
        res.writeHead(500, {'content-type': `application/json`});
        return res.end(JSON.stringify({error: `unexpected request`}));
      }
      if (mock.responseCode !== undefined && mock.responseCode !== 200) {
        res.writeHead(mock.responseCode, {'content-type': `application/json`});
        return res.end(JSON.stringify({error: `refresh_failed`}));
      }
      res.writeHead(200, {'content-type': `application/json`});
      res.end(JSON.stringify(mock.response!.tokenOutput));
    });
  });

  async start(): Promise<this> {
    await new Promise<void>(resolve => this.server.listen(0, `127.0.0.1`, resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise(resolve => this.server.close(() => resolve()));
  }
}

function loginCacheOf(sandbox: Sandbox): string {
  return join(sandbox.home, `.aws`, `login`, `cache`);
}

/** Writes cache files as `aws login` leaves them: 0600 in a folder it made. */
function writeCache(sandbox: Sandbox, files: Record<string, unknown>): void {
  mkdirSync(loginCacheOf(sandbox), {recursive: true});
  for (const [name, data] of Object.entries(files))
    writeFileSync(join(loginCacheOf(sandbox), name), JSON.stringify(data), {mode: 0o600});
}

function options(sandbox: Sandbox, env: Record<string, string>, now: () => Date, extra: Partial<SourceOptions> = {}): SourceOptions & {warnings: string[], logs: string[]} {
  const warnings: string[] = [];
  const logs: string[] = [];
  return {env: {...sandbox.env, ...env}, now, minRemainingMs: 5 * 60_000, timeoutMs: 60_000, log: message => logs.push(message), warn: message => warnings.push(message), warnings, logs, ...extra};
}

/** awsmfa's session of a profile, in this process. */
async function awsmfaSession(sandbox: Sandbox, profile: string, env: Record<string, string>, now: () => Date = () => new Date(), extra: Partial<SourceOptions> = {}) {
  const all = {...sandbox.env, ...env};
  return await loginSession(loginSource(AwsFiles.load(all), profile, all), options(sandbox, env, now, extra));
}

function botocore(sandbox: Sandbox, profile: string, env: Record<string, string>, mode: `frozen` | `cached` = `frozen`): Promise<{ok: boolean, accessKeyId?: string, expiration?: string, accountId?: string, error?: string}> {
  return spawnAndCollect(`python3`, [BOTOCORE, profile, mode], {env: {...sandbox.env, AWS_DEFAULT_REGION: `us-east-1`, ...env}}).then(result => {
    assert.equal(result.exitCode, 0, result.stderr);
    return JSON.parse(result.stdout);
  });
}

function assertOneLine(error: unknown): asserts error is AwsmfaError {
  assert.ok(error instanceof AwsmfaError, `an AwsmfaError: ${String(error)}`);
  assert.ok(!error.message.includes(`\n`), `one line: ${error.message}`);
}

describe(`the login provider's cases`, () => {
  let mock: ReplayServer;
  let sandbox: Sandbox;
  before(async () => {
    mock = await new ReplayServer().start();
  });
  after(() => mock.close());
  beforeEach(() => {
    sandbox = makeSandbox({profiles: false});
    mock.calls = [];
  });
  afterEach(() => sandbox.cleanup());

  test(`the cache file of a session is the SHA-256 of its name`, () => {
    assert.equal(loginCacheFile(SESSION, {HOME: `/home/u`}), `/home/u/.aws/login/cache/4b0ba8f99f075c0633e122fd73346ce203a3faf18ea0310eb2d29df1bab2e255.json`);
    assert.equal(loginCacheFile(SESSION, {HOME: `/home/u`, AWS_LOGIN_CACHE_DIRECTORY: `~/elsewhere/$SUB`, SUB: `x`}), `/home/u/elsewhere/x/4b0ba8f99f075c0633e122fd73346ce203a3faf18ea0310eb2d29df1bab2e255.json`);
  });

  for (const loginCase of CASES) {
    test(`awsmfa: ${loginCase.documentation}`, async () => {
      sandbox.writeConfig(loginCase.configContents);
      writeCache(sandbox, loginCase.cacheContents);
      mock.mocks = loginCase.mockApiCalls ?? [];
      mock.now = CASE_NOW;
      const before = Object.fromEntries(readdirSync(loginCacheOf(sandbox)).map(name => [name, readFileSync(join(loginCacheOf(sandbox), name))]));
      let result: Awaited<ReturnType<typeof awsmfaSession>> | undefined;
      let failure: unknown;
      try {
        result = await awsmfaSession(sandbox, `signin`, {AWS_ENDPOINT_URL_SIGNIN: mock.url}, () => CASE_NOW);
      } catch (error) {
        failure = error;
      }
      for (const outcome of loginCase.outcomes) {
        if (outcome.result === `credentials`) {
          assert.equal(failure, undefined, String(failure));
          assert.deepEqual({...result!.credentials, accountId: result!.accountId}, {
            accessKeyId: outcome.accessKeyId, secretAccessKey: outcome.secretAccessKey, sessionToken: outcome.sessionToken,
            expiration: outcome.expiresAt, accountId: outcome.accountId,
          });
        } else if (outcome.result === `error`) {
          assertOneLine(failure);
          // Nothing was written: the cache is byte for byte as it was.
          for (const [name, bytes] of Object.entries(before))
            assert.deepEqual(readFileSync(join(loginCacheOf(sandbox), name)), bytes, `${name} unchanged`);
        } else {
          for (const [name, expected] of Object.entries(outcome).filter(([key]) => key !== `result`)) {
            const file = join(loginCacheOf(sandbox), name);
            assert.deepEqual(JSON.parse(readFileSync(file, `utf8`)), expected);
            assert.equal(statSync(file).mode & 0o777, 0o600);
          }
        }
      }
      // Every request the case expected was made, each with a good DPoP proof, and no other.
      assert.equal(mock.calls.length, loginCase.mockApiCalls?.length ?? 0);
      assert.deepEqual(mock.calls.map(call => call.problem), mock.calls.map(() => undefined));
      // No lock or temporary file is left beside the AWS CLI's files.
      assert.deepEqual(readdirSync(loginCacheOf(sandbox)).sort(), Object.keys(loginCase.cacheContents).sort());
    });

    test(`botocore agrees: ${loginCase.documentation}`, {skip: skipBotocore}, async () => {
      sandbox.writeConfig(loginCase.configContents);
      writeCache(sandbox, loginCase.cacheContents);
      mock.mocks = loginCase.mockApiCalls ?? [];
      mock.now = new Date();
      const answer = await botocore(sandbox, `signin`, {AWS_ENDPOINT_URL_SIGNIN: mock.url});
      for (const outcome of loginCase.outcomes) {
        if (outcome.result === `credentials`) {
          assert.equal(answer.ok, true, answer.error);
          assert.equal(answer.accessKeyId, outcome.accessKeyId);
          assert.equal(answer.accountId, outcome.accountId);
        } else if (outcome.result === `error`) {
          assert.equal(answer.ok, false, `botocore took it too`);
        } else {
          for (const [name, expected] of Object.entries(outcome).filter(([key]) => key !== `result`)) {
            // botocore's clock is the real one: the expiry it wrote is now + expiresIn, the rest as expected.
            const written = JSON.parse(readFileSync(join(loginCacheOf(sandbox), name), `utf8`));
            const wanted = expected as {accessToken: Record<string, unknown>};
            const {expiresAt, ...rest} = written.accessToken;
            const {expiresAt: wantedExpiry, ...wantedRest} = wanted.accessToken;
            assert.deepEqual({...written, accessToken: rest}, {...wanted, accessToken: wantedRest});
            if (expiresAt !== wantedExpiry)
              assert.ok(Math.abs(Date.parse(expiresAt) - Date.now() - Number(loginCase.mockApiCalls![0]!.response!.tokenOutput.expiresIn) * 1000) < 60_000, `${expiresAt}: now + expiresIn`);
          }
        }
      }
      assert.deepEqual(mock.calls.map(call => call.problem), mock.calls.map(() => undefined), `botocore's DPoP proof passes the same check`);
    });
  }
});

describe(`against the sign-in stand-in and botocore`, () => {
  let signin: SigninServer;
  let sandbox: Sandbox;
  let env: Record<string, string>;
  const ARN = `arn:aws:sts::123456789012:assumed-role/Admin/alice`;

  before(async () => {
    signin = await new SigninServer().start();
  });
  after(() => signin.close());
  beforeEach(() => {
    signin.reset();
    sandbox = makeSandbox({profiles: false});
    sandbox.writeConfig(`[profile passkey]\nlogin_session = ${ARN}\nregion = eu-central-1\n`);
    env = {AWS_ENDPOINT_URL_SIGNIN: signin.url};
  });
  afterEach(() => sandbox.cleanup());

  /** Signs in at the stand-in and writes the cache as `aws login` does. */
  function signIn(extra: Parameters<SigninServer[`signIn`]>[0] = {}): string {
    const {file} = signin.signIn({arn: ARN, ...extra});
    const path = loginCacheFile(ARN, sandbox.env);
    writeCache(sandbox, {[path.split(`/`).pop()!]: file});
    return path;
  }

  for (const keyFormat of [`sec1`, `pkcs8`] as const) {
    test(`awsmfa refreshes (${keyFormat} key), then botocore uses the file without refreshing`, {skip: skipBotocore}, async () => {
      const path = signIn({keyFormat, expiresInSeconds: -60});
      const session = await awsmfaSession(sandbox, `passkey`, env);
      assert.equal(session.fresh, true);
      assert.equal(signin.refreshed.length, 1);
      assert.equal(session.accountId, `123456789012`);
      const written = JSON.parse(readFileSync(path, `utf8`));
      assert.equal(written.accessToken.accessKeyId, session.credentials.accessKeyId);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      const answer = await botocore(sandbox, `passkey`, env);
      assert.equal(answer.ok, true, answer.error);
      assert.equal(answer.accessKeyId, session.credentials.accessKeyId);
      assert.equal(signin.refreshed.length, 1, `botocore did not refresh`);
      assert.deepEqual(signin.refreshes.filter(record => !record.ok), []);
    });

    test(`botocore refreshes (${keyFormat} key), then awsmfa uses its result without refreshing`, {skip: skipBotocore}, async () => {
      signIn({keyFormat, expiresInSeconds: -60});
      const answer = await botocore(sandbox, `passkey`, env);
      assert.equal(answer.ok, true, answer.error);
      assert.equal(signin.refreshed.length, 1, `botocore's DPoP proof passed the stand-in's check`);
      const session = await awsmfaSession(sandbox, `passkey`, env);
      assert.equal(session.fresh, false);
      assert.equal(session.credentials.accessKeyId, answer.accessKeyId);
      assert.equal(signin.refreshed.length, 1, `awsmfa did not refresh`);
    });
  }

  test(`a session with more than the margin left is used as it is; with less, refreshed once`, async () => {
    const path = signIn({expiresInSeconds: 400});
    const first = await awsmfaSession(sandbox, `passkey`, env);
    assert.equal(first.fresh, false);
    assert.equal(signin.refreshes.length, 0);
    // A caller that wants more left than the session has (--min-remaining): a refresh.
    const second = await awsmfaSession(sandbox, `passkey`, env, () => new Date(), {minRemainingMs: 500_000});
    assert.equal(second.fresh, true);
    assert.notEqual(second.credentials.accessKeyId, first.credentials.accessKeyId);
    assert.equal(JSON.parse(readFileSync(path, `utf8`)).refreshToken, signin.sessions[0]!.current);
  });

  test(`parallel processes on an expired session: one refresh, and every one gets its result`, {timeout: 120_000}, async () => {
    signIn({expiresInSeconds: -60});
    // The refresh takes a while, so that the others find it under way.
    signin.delayMs = 500;
    const runs = await Promise.all(Array.from({length: 8}, () =>
      spawnAndCollect(process.execPath, [`--import`, `tsx`, SOURCE_SESSION, `passkey`], {env: {...sandbox.env, ...env}, timeoutMs: 90_000})));
    const answers = runs.map(run => JSON.parse(run.stdout || `{}`));
    assert.deepEqual(answers.map(answer => answer.ok), answers.map(() => true), runs.map(run => run.stdout + run.stderr).join(`\n`));
    assert.equal(signin.refreshes.length, 1, `exactly one refresh reached sign-in`);
    assert.equal(new Set(answers.map(answer => answer.accessKeyId)).size, 1);
    assert.equal(answers.filter(answer => answer.fresh).length, 1);
  });

  test(`a SIGKILL during the refresh leaves a file botocore still reads; the next run takes the lock over and says to sign in again`, {timeout: 60_000}, async () => {
    const path = signIn({expiresInSeconds: -60});
    const before = readFileSync(path);
    const child = spawn(process.execPath, [`--import`, `tsx`, SOURCE_SESSION, `passkey`], {env: {...sandbox.env, ...env, AWSMFA_TEST_HOLD_BEFORE_RENAME_MS: `20000`}, stdio: `ignore`});
    // Killed once sign-in answered and the new file waits for its rename.
    const deadline = Date.now() + 30_000;
    while (!readdirSync(loginCacheOf(sandbox)).some(name => name.endsWith(`.tmp`)) && Date.now() < deadline)
      await new Promise(resolve => setTimeout(resolve, 50));
    assert.equal(signin.refreshed.length, 1);
    child.kill(`SIGKILL`);
    await new Promise(resolve => child.on(`exit`, resolve));
    assert.deepEqual(readFileSync(path), before, `the file is whole: the old one`);
    if (hasBotocoreCrt) {
      const answer = await botocore(sandbox, `passkey`, env, `cached`);
      assert.equal(answer.ok, true, answer.error);
      assert.equal(answer.accessKeyId, JSON.parse(before.toString()).accessToken.accessKeyId);
    }
    // The refresh token in the file was spent by the killed run, whose new one is lost with it: sign-in refuses
    // it, and the next awsmfa says so in one line, leaves the file alone, and clears the killed run's leftovers.
    const failure = await awsmfaSession(sandbox, `passkey`, env).catch(error => error);
    assertOneLine(failure);
    assert.ok(failure instanceof SignInRequiredError);
    assert.match(failure.message, /run aws login --profile passkey$/);
    assert.deepEqual(readFileSync(path), before);
    assert.deepEqual(readdirSync(loginCacheOf(sandbox)), [path.split(`/`).pop()]);
    assert.deepEqual(readdirSync(join(sandbox.cacheDir, `awsmfa`)).filter(name => name.startsWith(`token-`)), [], `the killed run's lock was taken over and released`);
  });

  test(`refusals say which command signs in again, and leave the file as it was`, async () => {
    const path = signIn({expiresInSeconds: -60});
    const before = readFileSync(path);
    for (const [fault, expected] of [
      [{status: 400, errorType: `AccessDeniedException`, error: `TOKEN_EXPIRED`}, /has ended \(TOKEN_EXPIRED.*: run aws login --profile passkey$/],
      [{status: 400, errorType: `AccessDeniedException`, error: `USER_CREDENTIALS_CHANGED`}, /password changed.*: run aws login --profile passkey$/],
      [{status: 403, errorType: `AccessDeniedException`, error: `INSUFFICIENT_PERMISSIONS`}, /signin:CreateOAuth2Token.*run aws login --profile passkey$/],
      [{status: 400, errorType: `ValidationException`, error: `INVALID_REQUEST`}, /refused to refresh .*INVALID_REQUEST.*: run aws login --profile passkey$/],
      [{status: 500, errorType: `InternalServerException`, error: `server_error`}, /answered InternalServerException.*try again/],
    ] as const) {
      signin.fault = {...fault, count: 1};
      const failure = await awsmfaSession(sandbox, `passkey`, env).catch(error => error);
      assertOneLine(failure);
      assert.match(failure.message, expected);
      assert.deepEqual(readFileSync(path), before);
    }
    // The session at its end (12 hours after the sign-in): the service's own refusal.
    signin.sessions[0]!.signedInAt -= 13 * 3600_000;
    const ended = await awsmfaSession(sandbox, `passkey`, env).catch(error => error);
    assert.ok(ended instanceof SignInRequiredError);
    assert.match(ended.message, /TOKEN_EXPIRED/);
  });

  test(`sign-in out of reach: the current credentials while they last (with a warning), else the error`, async () => {
    signIn({expiresInSeconds: 120});
    const unreachable = {AWS_ENDPOINT_URL_SIGNIN: `http://127.0.0.1:9`};
    const warned = options(sandbox, unreachable, () => new Date());
    const session = await loginSession(loginSource(AwsFiles.load(warned.env), `passkey`, warned.env), warned);
    assert.equal(session.fresh, false);
    assert.match(warned.warnings.join(`\n`), /could not refresh the aws login session of profile 'passkey' \(cannot reach sign-in at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\).*2m left/);
    const failure = await awsmfaSession(sandbox, `passkey`, unreachable, () => new Date(Date.now() + 300_000)).catch(error => error);
    assertOneLine(failure);
    assert.match(failure.message, /cannot reach sign-in at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\); check your network and proxy, or AWS_ENDPOINT_URL_SIGNIN, which chose that endpoint/);
  });

  test(`no cache, a cache that is not JSON, a foreign or world-writable one, a FIFO: one line each, nothing written`, async () => {
    const missing = await awsmfaSession(sandbox, `passkey`, env).catch(error => error);
    assert.ok(missing instanceof SignInRequiredError);
    assert.match(missing.message, /^no aws login session for profile 'passkey' \(.+\/\.aws\/login\/cache\/[0-9a-f]{64}\.json does not exist\): run aws login --profile passkey$/);
    const path = loginCacheFile(ARN, sandbox.env);
    mkdirSync(loginCacheOf(sandbox), {recursive: true});
    writeFileSync(path, `{"accessToken": `, {mode: 0o600});
    assert.match((await awsmfaSession(sandbox, `passkey`, env).catch(error => error)).message, /is not JSON: run aws login --profile passkey$/);
    signIn();
    chmodSync(path, 0o666);
    const open = await awsmfaSession(sandbox, `passkey`, env).catch(error => error);
    assertOneLine(open);
    assert.match(open.message, /can be written by every user \(mode 0666\); awsmfa takes no session from it/);
    chmodSync(path, 0o600);
    spawnSync(`rm`, [path]);
    spawnSync(`mkfifo`, [path]);
    const fifo = await awsmfaSession(sandbox, `passkey`, env).catch(error => error);
    assertOneLine(fifo);
    assert.match(fifo.message, /not a regular file/);
  });

  test(`a symlinked cache file is refreshed where it points, and stays a link`, async () => {
    const {file} = signin.signIn({arn: ARN, expiresInSeconds: -60});
    const real = join(sandbox.home, `elsewhere.json`);
    writeFileSync(real, JSON.stringify(file), {mode: 0o600});
    const path = loginCacheFile(ARN, sandbox.env);
    mkdirSync(loginCacheOf(sandbox), {recursive: true});
    symlinkSync(real, path);
    const session = await awsmfaSession(sandbox, `passkey`, env);
    assert.equal(session.fresh, true);
    assert.ok(lstatSync(path).isSymbolicLink());
    assert.equal(readlinkSync(path), real);
    assert.equal(JSON.parse(readFileSync(real, `utf8`)).accessToken.accessKeyId, session.credentials.accessKeyId);
  });

  test(`the refresh goes to the login region: the cache's signInRegion, else the login profile's, never the command's`, async () => {
    const logs = (extraEnv: Record<string, string>) => {
      const run = options(sandbox, {...env, ...extraEnv}, () => new Date());
      return loginSession(loginSource(AwsFiles.load(run.env), `passkey`, run.env), run).then(() => run.logs.join(`\n`));
    };
    signIn({expiresInSeconds: -60});
    assert.match(await logs({AWS_REGION: `ap-south-1`, AWS_DEFAULT_REGION: `ap-south-1`}), /\(region eu-central-1,/);
    const path = loginCacheFile(ARN, sandbox.env);
    const data = JSON.parse(readFileSync(path, `utf8`));
    writeFileSync(path, JSON.stringify({...data, signInRegion: `us-west-2`, accessToken: {...data.accessToken, expiresAt: `2020-01-01T00:00:00Z`}}), {mode: 0o600});
    assert.match(await logs({AWS_REGION: `ap-south-1`}), /\(region us-west-2,/);
    // The profile without a region: the environment's, as aws login took it then.
    sandbox.writeConfig(`[profile passkey]\nlogin_session = ${ARN}\n`);
    const {file} = signin.signIn({arn: ARN, expiresInSeconds: -60});
    writeFileSync(path, JSON.stringify(file), {mode: 0o600});
    assert.match(await logs({AWS_DEFAULT_REGION: `sa-east-1`}), /\(region sa-east-1,/);
  });
});

describe(`sign-in endpoints`, () => {
  test(`each partition's own host, as the service's endpoint rules give it`, () => {
    assert.equal(defaultEndpoint(`signin`, `eu-central-1`), `https://eu-central-1.signin.aws.amazon.com`);
    assert.equal(defaultEndpoint(`signin`, `cn-north-1`), `https://cn-north-1.signin.amazonaws.cn`);
    assert.equal(defaultEndpoint(`signin`, `us-gov-west-1`), `https://us-gov-west-1.signin.amazonaws-us-gov.com`);
    assert.equal(defaultEndpoint(`signin`, `us-iso-east-1`), `https://signin.us-iso-east-1.c2s.ic.gov`);
    assert.equal(defaultEndpoint(`sso`, `cn-northwest-1`), `https://portal.sso.cn-northwest-1.amazonaws.com.cn`);
    assert.equal(defaultEndpoint(`sso_oidc`, `eu-west-1`), `https://oidc.eu-west-1.amazonaws.com`);
    assert.equal(partitionFor(`eusc-de-east-1`).dnsSuffix, `amazonaws.eu`);
  });

  test(`the settings botocore reads, in its order`, () => {
    const sandbox = makeSandbox({profiles: false});
    try {
      sandbox.writeConfig(`[profile p]\nlogin_session = x\nendpoint_url = https://profile.example\nservices = local\n\n[services local]\nsignin =\n  endpoint_url = https://services.example\n\n[profile q]\nlogin_session = x\nendpoint_url = https://profile.example\nignore_configured_endpoint_urls = true\n`);
      const files = AwsFiles.load(sandbox.env);
      const at = (profile: string, extra: Record<string, string>) => tokenEndpoint(files, profile, {...sandbox.env, ...extra}, `signin`, `eu-west-1`);
      assert.deepEqual(at(`p`, {AWS_ENDPOINT_URL_SIGNIN: `https://own.example`, AWS_ENDPOINT_URL: `https://all.example`}), {endpoint: `https://own.example`, endpointOrigin: `AWS_ENDPOINT_URL_SIGNIN`});
      assert.deepEqual(at(`p`, {AWS_ENDPOINT_URL: `https://all.example`}), {endpoint: `https://all.example`, endpointOrigin: `AWS_ENDPOINT_URL`});
      assert.equal(at(`p`, {}).endpoint, `https://services.example`);
      assert.equal(at(`q`, {}).endpoint, `https://eu-west-1.signin.aws.amazon.com`);
      assert.equal(at(`p`, {AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: `true`, AWS_ENDPOINT_URL_SIGNIN: `https://own.example`}).endpoint, `https://eu-west-1.signin.aws.amazon.com`);
    } finally {
      sandbox.cleanup();
    }
  });
});
