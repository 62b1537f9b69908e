/**
 * Profiles of IAM Identity Center (`sso_session`, and the legacy `sso_start_url`): awsmfa's reader of the token
 * `aws sso login` cached, its GetRoleCredentials, and its refresh through SSO-OIDC CreateToken, against the
 * Identity Center stand-in (portal and OIDC) and real botocore on the same files, both ways.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, afterEach, before, beforeEach, describe, test} from 'node:test';
import {AwsFiles} from '../src/aws-files/files.js';
import {AwsmfaError, ConfigError} from '../src/errors.js';
import {ssoCacheFile, ssoSession} from '../src/sources/sso.js';
import {ssoSource} from '../src/aws-files/token-sources.js';
import {SignInRequiredError} from '../src/sources/token-file.js';
import {spawnAndCollect} from './support/run.js';
import {makeSandbox, type Sandbox} from './support/sandbox.js';
import {SsoServer} from './support/sso-server.js';

const BOTOCORE = fileURLToPath(new URL(`./support/botocore-credentials.py`, import.meta.url));
const SOURCE_SESSION = fileURLToPath(new URL(`./support/source-session.ts`, import.meta.url));
const hasBotocore = spawnSync(`python3`, [`-c`, `import botocore.credentials`]).status === 0;
const skipBotocore = hasBotocore || process.env.CI === `true` ? false : `needs botocore (pip install botocore)`;

const START_URL = `https://d-1234567890.awsapps.com/start`;
const CONFIG = `[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = eu-west-1

[profile legacy]
sso_start_url = ${START_URL}
sso_region = eu-west-1
sso_account_id = 111122223333
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = ${START_URL}
sso_region = eu-west-1
sso_registration_scopes = sso:account:access
`;

describe(`IAM Identity Center profiles`, () => {
  let identity: SsoServer;
  let sandbox: Sandbox;
  let env: Record<string, string>;

  before(async () => {
    identity = await new SsoServer().start();
  });
  after(() => identity.close());
  beforeEach(() => {
    identity.reset();
    sandbox = makeSandbox({profiles: false});
    sandbox.writeConfig(CONFIG);
    env = {AWS_ENDPOINT_URL_SSO: identity.url, AWS_ENDPOINT_URL_SSO_OIDC: identity.url};
  });
  afterEach(() => sandbox.cleanup());

  /** Signs in at the stand-in and writes the token as `aws sso login` does; returns the file. */
  function signIn(options: Parameters<SsoServer[`signIn`]>[0] & {key?: string} = {}): string {
    const {file} = identity.signIn(options);
    const path = ssoCacheFile(options.key ?? `corp`, sandbox.env);
    mkdirSync(join(sandbox.home, `.aws`, `sso`, `cache`), {recursive: true});
    writeFileSync(path, JSON.stringify(file), {mode: 0o600});
    return path;
  }

  async function awsmfa(profile: string, extra: Record<string, string> = {}) {
    const all = {...sandbox.env, ...env, ...extra};
    const warnings: string[] = [];
    const session = await ssoSession(ssoSource(AwsFiles.load(all), profile, all), {env: all, now: () => new Date(), minRemainingMs: 300_000, timeoutMs: 60_000, log: () => {}, warn: message => warnings.push(message)});
    return {...session, warnings};
  }

  async function botocore(profile: string): Promise<{ok: boolean, accessKeyId?: string, error?: string}> {
    const result = await spawnAndCollect(`python3`, [BOTOCORE, profile], {env: {...sandbox.env, ...env}});
    assert.equal(result.exitCode, 0, result.stderr);
    return JSON.parse(result.stdout);
  }

  test(`the token file is the SHA-1 of the sso-session's name, or of the start URL for a legacy profile`, () => {
    assert.equal(ssoCacheFile(`corp`, {HOME: `/h`}), `/h/.aws/sso/cache/${createHash(`sha1`).update(`corp`).digest(`hex`)}.json`);
    const files = AwsFiles.load(sandbox.env);
    assert.equal(ssoSource(files, `legacy`, sandbox.env).sessionName, undefined);
    assert.equal(ssoSource(files, `sso`, sandbox.env).sessionName, `corp`);
  });

  test(`a valid token gives the role's credentials, with no refresh`, async () => {
    signIn();
    const session = await awsmfa(`sso`);
    assert.equal(session.fresh, true);
    assert.equal(session.accountId, `111122223333`);
    assert.equal(identity.refreshes, 0);
    assert.deepEqual(identity.portalCalls.map(call => [call.roleName, call.accountId, call.ok]), [[`ReadOnly`, `111122223333`, true]]);
    assert.match(session.credentials.accessKeyId, /^ASIA/);
  });

  test(`awsmfa refreshes a token with less than 15 minutes left, then botocore uses it without refreshing`, {skip: skipBotocore}, async () => {
    const path = signIn({expiresInSeconds: 600});
    const before = JSON.parse(readFileSync(path, `utf8`));
    await awsmfa(`sso`);
    assert.equal(identity.refreshes, 1);
    const after = JSON.parse(readFileSync(path, `utf8`));
    assert.notEqual(after.accessToken, before.accessToken);
    assert.notEqual(after.refreshToken, before.refreshToken);
    // Every other field as it was.
    for (const key of [`startUrl`, `region`, `clientId`, `clientSecret`, `registrationExpiresAt`])
      assert.equal(after[key], before[key], key);
    assert.ok(Date.parse(after.expiresAt) - Date.now() > 7 * 3600_000);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const answer = await botocore(`sso`);
    assert.equal(answer.ok, true, answer.error);
    assert.equal(identity.refreshes, 1, `botocore did not refresh`);
    assert.equal(identity.portalCalls.at(-1)!.accessToken, after.accessToken, `botocore asked with awsmfa's token`);
  });

  test(`botocore refreshes, then awsmfa uses its token without refreshing`, {skip: skipBotocore}, async () => {
    const path = signIn({expiresInSeconds: 600});
    const answer = await botocore(`sso`);
    assert.equal(answer.ok, true, answer.error);
    assert.equal(identity.refreshes, 1);
    const written = JSON.parse(readFileSync(path, `utf8`));
    await awsmfa(`sso`);
    assert.equal(identity.refreshes, 1, `awsmfa did not refresh`);
    assert.equal(identity.portalCalls.at(-1)!.accessToken, written.accessToken);
  });

  test(`parallel processes on a token about to expire: one refresh, and every one gets the role`, {timeout: 120_000}, async () => {
    signIn({expiresInSeconds: 600});
    identity.delayMs = 300;
    const runs = await Promise.all(Array.from({length: 6}, () =>
      spawnAndCollect(process.execPath, [`--import`, `tsx`, SOURCE_SESSION, `sso`], {env: {...sandbox.env, ...env}, timeoutMs: 90_000})));
    const answers = runs.map(run => JSON.parse(run.stdout || `{}`));
    assert.deepEqual(answers.map(answer => answer.ok), answers.map(() => true), runs.map(run => run.stdout + run.stderr).join(`\n`));
    assert.equal(identity.refreshes, 1);
    assert.deepEqual(identity.tokenCalls.filter(call => !call.ok), []);
  });

  test(`an expired token that cannot be refreshed: one line naming aws sso login, the file as it was`, async () => {
    // A legacy profile's token has no refresh token.
    const legacy = signIn({session: false, key: START_URL, expiresInSeconds: -60});
    const legacyFailure = await awsmfa(`legacy`).catch(error => error);
    assert.ok(legacyFailure instanceof SignInRequiredError);
    assert.equal(legacyFailure.message, `the IAM Identity Center session of profile 'legacy' has expired: run aws sso login --profile legacy`);
    assert.equal(identity.portalCalls.length, 0, `no call with an expired token`);
    assert.ok(statSync(legacy));
    // A refresh token the service no longer takes (another client spent it).
    const path = signIn({expiresInSeconds: -60});
    identity.logins.at(-1)!.refreshToken = `spent`;
    const before = readFileSync(path);
    const refused = await awsmfa(`sso`).catch(error => error);
    assert.ok(refused instanceof SignInRequiredError);
    assert.match(refused.message, /^the IAM Identity Center session of profile 'sso' has expired and could not be refreshed \(SSO-OIDC at http:\/\/127\.0\.0\.1:\d+ answered InvalidGrantException: invalid_grant, refresh token\): run aws sso login --profile sso$/);
    assert.deepEqual(readFileSync(path), before);
  });

  test(`a refresh that fails while the token still works: the token is used, with a warning`, async () => {
    signIn({expiresInSeconds: 600});
    identity.logins.at(-1)!.refreshToken = `spent`;
    const session = await awsmfa(`sso`);
    assert.match(session.warnings.join(`\n`), /could not refresh the IAM Identity Center token of profile 'sso' \(.*InvalidGrantException.*\); using it, 0h (?:10|09)m left/);
    assert.equal(identity.portalCalls.at(-1)!.ok, true);
  });

  test(`the portal's refusals`, async () => {
    signIn();
    identity.logins[0]!.accessTokens.clear();
    const unauthorized = await awsmfa(`sso`).catch(error => error);
    assert.ok(unauthorized instanceof SignInRequiredError);
    assert.match(unauthorized.message, /refused the session of profile 'sso' \(UnauthorizedException: Session token not found or invalid\): run aws sso login --profile sso$/);
    signIn();
    identity.logins.at(-1)!.roles = [];
    const forbidden = await awsmfa(`sso`).catch(error => error);
    assert.ok(forbidden instanceof AwsmfaError && !(forbidden instanceof SignInRequiredError));
    assert.match(forbidden.message, /gives profile 'sso' no role ReadOnly in account 111122223333 \(ForbiddenException: No access\): check sso_account_id and sso_role_name$/);
  });

  test(`settings botocore refuses are refused before anything is read`, () => {
    const cases: Array<[string, RegExp]> = [
      [`[profile p]\nsso_session = nope\nsso_account_id = 111122223333\nsso_role_name = R\n`, /names sso_session "nope", and .* has no \[sso-session nope\]/],
      [`[profile p]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = R\nsso_region = us-east-1\n[sso-session corp]\nsso_start_url = ${START_URL}\nsso_region = eu-west-1\n`, /sso_region of profile 'p' .* is "us-east-1" but sso_region of \[sso-session corp\] .* is "eu-west-1"/],
      [`[profile p]\nsso_start_url = ${START_URL}\nsso_account_id = 111122223333\n`, /without sso_region, sso_role_name: add them under \[profile p\]/],
      [`[profile p]\nsso_start_url = ${START_URL}\nsso_region = eu west\nsso_account_id = 111122223333\nsso_role_name = R\n`, /sso_region of profile 'p' .* is "eu west", not a region name/],
    ];
    for (const [config, expected] of cases) {
      sandbox.writeConfig(config);
      assert.throws(() => ssoSource(AwsFiles.load(sandbox.env), `p`, sandbox.env), (error: unknown) => error instanceof ConfigError && expected.test(error.message));
    }
    assert.deepEqual(readdirSync(sandbox.home).filter(name => name === `.aws`), [`.aws`]);
  });
});
