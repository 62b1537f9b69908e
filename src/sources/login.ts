import {createHash} from 'node:crypto';
import {join} from 'node:path';
import * as t from 'typanion';
import {AwsmfaError} from '../errors.js';
import {expandPath, homeDir} from '../aws-files/files.js';
import {KEY_FIELDS, isoSeconds, type SessionCredentials} from '../aws/credentials.js';
import {envValue, type Env} from '../env.js';
import {shapeProblem, visible} from '../terminal.js';
import {RULES} from '../rules.js';
import {isIsoDate} from '../aws/credentials.js';
import {formatSpan, remainingMs} from '../time.js';
import {dpopKey, dpopProof} from './dpop.js';
import {defaultEndpoint, endpointUrl} from '../aws-files/endpoints.js';
import {signInCommand} from '../aws-files/token-sources.js';
import type {LoginSource, TokenEndpoint} from '../request.js';
import {requestJson, serviceWords, type JsonAnswer} from './http.js';
import {readTokenFile, SignInRequiredError, updateTokenFile, type TokenData} from './token-file.js';

/**
 * Profiles with `login_session` (written by `aws login`, AWS CLI 2.32+: the console's sign-in, passkeys and all, in
 * a browser): their credentials are the `accessToken` of the AWS CLI's login cache while it lasts (15 minutes),
 * then a new one from the sign-in service's CreateOAuth2Token, with the refresh token and a DPoP proof signed by
 * the cache's key. The same file, the same fields and the same request as botocore's LoginProvider and the JS SDK's
 * fromLoginCredentials; what differs is how the file is written back (see token-file.ts): under a lock, whole.
 */

/** A session from a token source: the credentials, the account they belong to, and whether they were just refreshed. */
export interface SourceSession {
  readonly credentials: SessionCredentials;
  readonly accountId: string | undefined;
  /** True when the service was asked (a refresh, role credentials); false when the cache's were still good. */
  readonly fresh: boolean;
}

/** What obtaining a source session may use: the environment, the clock, the budget, and notes. */
export interface SourceOptions {
  readonly env: Env;
  readonly now: () => Date;
  /** Credentials with less than this left are refreshed. */
  readonly minRemainingMs: number;
  /** Refresh even so (--force). */
  readonly force?: boolean;
  /** The budget of the requests, retries included. */
  readonly timeoutMs: number;
  readonly log: (message: string) => void;
  readonly warn: (message: string) => void;
}

/** `$AWS_LOGIN_CACHE_DIRECTORY` (with `$VAR` and `~` expanded, as botocore does), else ~/.aws/login/cache. */
export function loginCacheDir(env: Env): string {
  const given = envValue(env, `AWS_LOGIN_CACHE_DIRECTORY`);
  return given === undefined ? join(homeDir(env), `.aws`, `login`, `cache`) : expandPath(given, env);
}

/** The cache file of a login session: `<SHA-256 of its UTF-8, in hex>.json`, as botocore's generate_login_cache_key. */
export function loginCacheFile(session: string, env: Env): string {
  return join(loginCacheDir(env), `${createHash(`sha256`).update(session, `utf8`).digest(`hex`)}.json`);
}

const isLoginToken = t.isPartial({
  accessToken: t.isPartial({
    ...KEY_FIELDS,
    accountId: t.cascade(t.isString(), [t.matchesRegExp(/^\d{12}$/)]),
    expiresAt: isIsoDate,
  }),
  clientId: t.cascade(t.isString(), [t.matchesRegExp(/^[\x21-\x7e]{1,1024}$/)]),
  refreshToken: t.cascade(t.isString(), [t.matchesRegExp(/^[\x21-\x7e]{1,16384}$/)]),
  dpopKey: t.isString(),
  signInRegion: t.isOptional(t.isString()),
});

interface LoginToken {
  readonly accessToken: {accessKeyId: string, secretAccessKey: string, sessionToken: string, accountId: string, expiresAt: string};
  readonly clientId: string;
  readonly refreshToken: string;
  readonly dpopKey: string;
  readonly signInRegion?: string | undefined;
  /** The file's whole object: written back with only the refreshed fields changed. */
  readonly data: TokenData;
}

const REQUIRED = [`accessToken`, `clientId`, `refreshToken`, `dpopKey`] as const;
const REQUIRED_IN_ACCESS_TOKEN = [`accessKeyId`, `secretAccessKey`, `sessionToken`, `accountId`, `expiresAt`] as const;

/** The token of a cache file as read (see readTokenFile), else the one line that says to sign in again. */
function loginToken(source: LoginSource & {cacheFile: string}, read: ReturnType<typeof readTokenFile>): LoginToken {
  const again = `run ${signInCommand(`aws login`, source.profile)}`;
  if (read === undefined)
    throw new SignInRequiredError(`no aws login session for profile '${visible(source.profile)}' (${visible(source.cacheFile)} does not exist): ${again}`);
  if (`malformed` in read)
    throw new SignInRequiredError(`the aws login cache ${visible(source.cacheFile)} ${read.malformed}: ${again}`);
  const {data} = read;
  const missing = [...REQUIRED.filter(key => data[key] === undefined || data[key] === null),
    ...typeof data.accessToken === `object` && data.accessToken !== null ? REQUIRED_IN_ACCESS_TOKEN.filter(key => (data.accessToken as TokenData)[key] === undefined).map(key => `accessToken.${key}`) : []];
  if (missing.length > 0)
    throw new SignInRequiredError(`the aws login cache ${visible(source.cacheFile)} lacks ${missing.join(`, `)}: ${again}`);
  const errors: string[] = [];
  if (!isLoginToken(data, {errors}))
    throw new SignInRequiredError(`the aws login cache ${visible(source.cacheFile)} holds what aws login never writes (${shapeProblem(errors, `unexpected shape`)}): ${again}`);
  return {...data as Omit<LoginToken, `data`>, data};
}

function credentialsOf(token: LoginToken): SessionCredentials {
  const {accessKeyId, secretAccessKey, sessionToken, expiresAt} = token.accessToken;
  return {accessKeyId, secretAccessKey, sessionToken, expiration: isoSeconds(new Date(expiresAt))};
}

const leftMs = (token: LoginToken, now: Date) => remainingMs({expiration: token.accessToken.expiresAt}, now);

/**
 * The session of a login profile: the cached accessToken while it has more than `minRemainingMs` left (and no
 * `force`), else a refresh (see refreshLogin). Only the refresh loads anything beyond this file's own reading.
 */
export async function loginSession(login: LoginSource, options: SourceOptions): Promise<SourceSession> {
  const source = {...login, cacheFile: loginCacheFile(login.session, options.env)};
  const token = loginToken(source, readTokenFile(source.cacheFile));
  const left = leftMs(token, options.now());
  if (!options.force && left > options.minRemainingMs) {
    options.log(`using the aws login session of profile '${visible(source.profile)}' from ${visible(source.cacheFile)}, ${formatSpan(left)} left`);
    return {credentials: credentialsOf(token), accountId: token.accessToken.accountId, fresh: false};
  }
  return await refreshLogin(source, token, options);
}

/** The sign-in service's answer to a refresh, as CreateOAuth2Token's output (its tokenOutput, the whole body). */
const isTokenOutput = t.isPartial({
  accessToken: t.isPartial({
    ...KEY_FIELDS,
  }),
  // Sign-in hands out 15 minutes; up to 12 hours is taken, as the login itself lasts no longer.
  expiresIn: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 43_200)]),
  refreshToken: t.cascade(t.isString(), [t.matchesRegExp(/^[\x21-\x7e]{1,16384}$/)]),
});

/** The refusals after which only a new `aws login` helps (the session ended, the password changed, the token was spent). */
function refusal(source: LoginSource & {cacheFile: string}, answer: JsonAnswer, where: TokenEndpoint): AwsmfaError {
  const code = (answer.body as {error?: unknown} | undefined)?.error;
  const again = `run ${signInCommand(`aws login`, source.profile)}`;
  const what = `the aws login session of profile '${visible(source.profile)}'`;
  if (code === `TOKEN_EXPIRED`)
    return new SignInRequiredError(`${what} has ended (TOKEN_EXPIRED, after 12 hours at most): ${again}`);
  if (code === `USER_CREDENTIALS_CHANGED`)
    return new SignInRequiredError(`${what} has ended: its password changed (USER_CREDENTIALS_CHANGED): ${again}`);
  if (code === `INSUFFICIENT_PERMISSIONS`)
    return new AwsmfaError(`${what} may not refresh itself (INSUFFICIENT_PERMISSIONS: it needs signin:CreateOAuth2Token, which AWS's SignInLocalDevelopmentAccess policy grants); once it has it, ${again}`);
  return new SignInRequiredError(`sign-in at ${visible(where.endpoint)} refused to refresh ${what} (${serviceWords(answer)}): ${again}`);
}

/**
 * A new accessToken from the sign-in service (POST /v1/token, CreateOAuth2Token with grantType refresh_token and a
 * DPoP proof), written back with the new refresh token, under the lock every awsmfa shares. Once the lock is held
 * the file is read again: a token another process refreshed meanwhile (its refresh token differs from the one read
 * before, or it is good for long enough) is taken as it is, so one refresh serves any number of callers. The
 * refresh goes to the login region (the cache's signInRegion, else the login profile's; see loginRegion). A
 * refusal leaves the file as it was and says to run `aws login`; a service that cannot be reached leaves it too,
 * and the current credentials are used while they last.
 */
async function refreshLogin(source: LoginSource & {cacheFile: string}, before: LoginToken, options: SourceOptions): Promise<SourceSession> {
  return await updateTokenFile(source.cacheFile, options, options.timeoutMs, async current => {
    const token = loginToken(source, current);
    const now = options.now();
    if (token.refreshToken !== before.refreshToken || (!options.force && leftMs(token, now) > options.minRemainingMs)) {
      options.log(`the aws login session of profile '${visible(source.profile)}' was refreshed by another process meanwhile: using its credentials`);
      return {write: undefined, result: {credentials: credentialsOf(token), accountId: token.accessToken.accountId, fresh: false}};
    }
    let key;
    try {
      key = dpopKey(token.dpopKey);
    } catch (error) {
      throw new SignInRequiredError(`the dpopKey of the aws login cache ${visible(source.cacheFile)} cannot sign (${visible((error as Error).message.split(`\n`)[0]!)}): run ${signInCommand(`aws login`, source.profile)}`, {cause: error});
    }
    const region = token.signInRegion !== undefined && RULES.region.test(token.signInRegion) ? token.signInRegion : source.region;
    const where = source.endpoint ?? {endpoint: defaultEndpoint(`signin`, region), endpointOrigin: undefined};
    const url = endpointUrl(where.endpoint, `/v1/token`);
    options.log(`refreshing the aws login session of profile '${visible(source.profile)}' at ${visible(url)} (region ${region}, ${formatSpan(leftMs(token, now))} left)`);
    let answer: JsonAnswer;
    try {
      answer = await requestJson(`sign-in`, where, options.timeoutMs, () => ({
        url,
        method: `POST`,
        headers: {DPoP: dpopProof(key, `POST`, url, options.now())},
        body: JSON.stringify({clientId: token.clientId, refreshToken: token.refreshToken, grantType: `refresh_token`}),
      }));
    } catch (error) {
      return {write: undefined, result: stillValid(source, token, options, error)};
    }
    if (answer.status !== 200) {
      if (answer.status >= 400 && answer.status < 500 && answer.status !== 429)
        throw refusal(source, answer, where);
      return {write: undefined, result: stillValid(source, token, options, new AwsmfaError(`sign-in at ${visible(where.endpoint)} answered ${serviceWords(answer)}; try again`))};
    }
    const errors: string[] = [];
    if (!isTokenOutput(answer.body, {errors}))
      throw new AwsmfaError(`sign-in at ${visible(where.endpoint)} answered no credentials sign-in hands out (${shapeProblem(errors, `unexpected shape`)}); nothing was written (is that endpoint really AWS's sign-in?)`);
    const output = answer.body as {accessToken: {accessKeyId: string, secretAccessKey: string, sessionToken: string}, expiresIn: number, refreshToken: string};
    const expiresAt = isoSeconds(new Date(options.now().getTime() + output.expiresIn * 1000));
    const written = {
      ...token.data,
      accessToken: {...token.data.accessToken as TokenData, accessKeyId: output.accessToken.accessKeyId, secretAccessKey: output.accessToken.secretAccessKey, sessionToken: output.accessToken.sessionToken, expiresAt},
      refreshToken: output.refreshToken,
    };
    options.log(`refreshed the aws login session of profile '${visible(source.profile)}' in ${visible(source.cacheFile)}, valid until ${expiresAt}`);
    return {write: written, result: {credentials: {...output.accessToken, expiration: expiresAt}, accountId: token.accessToken.accountId, fresh: true}};
  });
}

/** After a refresh that could not be made: the credentials in the file while they last (said once), else the error. */
function stillValid(source: LoginSource & {cacheFile: string}, token: LoginToken, options: SourceOptions, error: unknown): SourceSession {
  const left = leftMs(token, options.now());
  if (left <= 0)
    throw error;
  options.warn(`could not refresh the aws login session of profile '${visible(source.profile)}' (${(error as Error).message}); using its credentials, ${formatSpan(left)} left`);
  return {credentials: credentialsOf(token), accountId: token.accessToken.accountId, fresh: false};
}

/**
 * What the login cache holds now, read and checked but not refreshed (for `status`): its credentials' key id and
 * end, or the one line that says why there are none.
 */
export function loginCacheState(login: LoginSource, env: Env): {accessKeyId: string, expiration: string} | {problem: string} {
  const source = {...login, cacheFile: loginCacheFile(login.session, env)};
  try {
    const token = loginToken(source, readTokenFile(source.cacheFile));
    return {accessKeyId: token.accessToken.accessKeyId, expiration: credentialsOf(token).expiration};
  } catch (error) {
    return {problem: (error as Error).message};
  }
}
