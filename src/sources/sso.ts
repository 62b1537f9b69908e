import {createHash} from 'node:crypto';
import {join} from 'node:path';
import * as t from 'typanion';
import {AwsmfaError} from '../errors.js';
import {homeDir} from '../aws-files/files.js';
import {KEY_FIELDS, isoSeconds, type SessionCredentials} from '../aws/credentials.js';
import type {Env} from '../env.js';
import {shapeProblem, visible} from '../terminal.js';
import {isIsoDate} from '../aws/credentials.js';
import {formatSpan, remainingMs} from '../time.js';
import {endpointUrl} from '../aws-files/endpoints.js';
import {signInCommand} from '../aws-files/token-sources.js';
import type {SsoSource} from '../request.js';
import {requestJson, serviceWords, type JsonAnswer} from './http.js';
import type {SourceOptions, SourceSession} from './login.js';
import {readTokenFile, SignInRequiredError, updateTokenFile, type TokenData} from './token-file.js';

/**
 * Profiles of IAM Identity Center (`sso_session`, or the legacy `sso_start_url`): the token `aws sso login` cached
 * gives the role's credentials through the portal's GetRoleCredentials; a token about to expire is refreshed
 * through SSO-OIDC's CreateToken where the cache holds a refresh token (sso-session profiles), and written back
 * under the lock every awsmfa shares, whole (see token-file.ts). Resolved as botocore's SSOProvider and
 * SSOTokenProvider resolve them.
 */

/** An Identity Center source with its token file: `~/.aws/sso/cache/<SHA-1 of the session's name, or of the start URL>.json`. */
type SsoFile = SsoSource & {tokenFile: string};

/** botocore's SSOTokenProvider refreshes a token with less than 15 minutes left. */
export const SSO_REFRESH_MS = 15 * 60_000;

/** ~/.aws/sso/cache, where the AWS CLI and every SDK keep Identity Center tokens (no variable moves it). */
export function ssoCacheFile(key: string, env: Env): string {
  return join(homeDir(env), `.aws`, `sso`, `cache`, `${createHash(`sha1`).update(key, `utf8`).digest(`hex`)}.json`);
}

const TOKEN_TEXT = /^[\x21-\x7e]{1,65536}$/;

/** What botocore's SSOTokenLoader requires of a cached token (accessToken, expiresAt), and the refresh fields when there. */
const isSsoToken = t.isPartial({
  accessToken: t.cascade(t.isString(), [t.matchesRegExp(TOKEN_TEXT)]),
  expiresAt: isIsoDate,
  refreshToken: t.isOptional(t.cascade(t.isString(), [t.matchesRegExp(TOKEN_TEXT)])),
  clientId: t.isOptional(t.cascade(t.isString(), [t.matchesRegExp(TOKEN_TEXT)])),
  clientSecret: t.isOptional(t.cascade(t.isString(), [t.matchesRegExp(TOKEN_TEXT)])),
  registrationExpiresAt: t.isOptional(isIsoDate),
});

interface SsoToken {
  readonly accessToken: string;
  readonly expiresAt: string;
  readonly refreshToken?: string | undefined;
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  readonly registrationExpiresAt?: string | undefined;
  readonly data: TokenData;
}

function ssoToken(source: SsoFile, read: ReturnType<typeof readTokenFile>): SsoToken {
  const again = `run ${signInCommand(`aws sso login`, source.profile)}`;
  if (read === undefined)
    throw new SignInRequiredError(`no IAM Identity Center session for profile '${visible(source.profile)}' (${visible(source.tokenFile)} does not exist): ${again}`);
  if (`malformed` in read)
    throw new SignInRequiredError(`the IAM Identity Center token ${visible(source.tokenFile)} ${read.malformed}: ${again}`);
  const errors: string[] = [];
  if (!isSsoToken(read.data, {errors}) || read.data.accessToken === undefined || read.data.expiresAt === undefined)
    throw new SignInRequiredError(`the IAM Identity Center token ${visible(source.tokenFile)} is not one aws sso login writes (${shapeProblem(errors, `no accessToken or expiresAt`)}): ${again}`);
  return {...read.data as Omit<SsoToken, `data`>, data: read.data};
}

const tokenLeftMs = (token: SsoToken, now: Date) => remainingMs({expiration: token.expiresAt}, now);

/** A token that can be refreshed: from an sso-session, with the refresh token and a registration still valid. */
function canRefresh(source: SsoFile, token: SsoToken, now: Date): boolean {
  return source.sessionName !== undefined && token.refreshToken !== undefined && token.clientId !== undefined && token.clientSecret !== undefined
    && token.registrationExpiresAt !== undefined && Date.parse(token.registrationExpiresAt) > now.getTime();
}

/**
 * The access token to ask the portal with: the cached one, refreshed first when less than 15 minutes are left and it
 * can be (see refreshSsoToken); a token that has expired and cannot be refreshed means `aws sso login`.
 */
async function accessToken(source: SsoFile, options: SourceOptions): Promise<string> {
  const token = ssoToken(source, readTokenFile(source.tokenFile));
  const now = options.now();
  const left = tokenLeftMs(token, now);
  if (left >= SSO_REFRESH_MS || !canRefresh(source, token, now)) {
    if (left <= 0)
      throw new SignInRequiredError(`the IAM Identity Center session of profile '${visible(source.profile)}' has expired${canRefresh(source, token, now) || source.sessionName === undefined ? `` : ` and cannot be refreshed`}: run ${signInCommand(`aws sso login`, source.profile)}`);
    options.log(`using the IAM Identity Center token of profile '${visible(source.profile)}' from ${visible(source.tokenFile)}, ${formatSpan(left)} left`);
    return token.accessToken;
  }
  return await refreshSsoToken(source, token, options);
}

const isCreateTokenOutput = t.isPartial({
  accessToken: t.cascade(t.isString(), [t.matchesRegExp(TOKEN_TEXT)]),
  expiresIn: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(1, 7 * 86_400)]),
  refreshToken: t.isOptional(t.cascade(t.isString(), [t.matchesRegExp(TOKEN_TEXT)])),
});

/**
 * SSO-OIDC CreateToken (grantType refresh_token) with the cached client registration, written back under the lock
 * every awsmfa shares, after reading the file again (a token another process refreshed meanwhile is taken as it
 * is). A refresh that fails leaves the file as it was; the current token is used while it lasts, as botocore does.
 */
async function refreshSsoToken(source: SsoFile, before: SsoToken, options: SourceOptions): Promise<string> {
  return await updateTokenFile(source.tokenFile, options, options.timeoutMs, async current => {
    const token = ssoToken(source, current);
    const now = options.now();
    if (token.accessToken !== before.accessToken || tokenLeftMs(token, now) >= SSO_REFRESH_MS || !canRefresh(source, token, now)) {
      if (tokenLeftMs(token, now) <= 0)
        throw new SignInRequiredError(`the IAM Identity Center session of profile '${visible(source.profile)}' has expired: run ${signInCommand(`aws sso login`, source.profile)}`);
      return {write: undefined, result: token.accessToken};
    }
    const url = endpointUrl(source.oidc.endpoint, `/token`);
    options.log(`refreshing the IAM Identity Center token of profile '${visible(source.profile)}' at ${visible(url)} (${formatSpan(tokenLeftMs(token, now))} left)`);
    let answer: JsonAnswer | undefined;
    let failure: unknown;
    try {
      answer = await requestJson(`SSO-OIDC`, source.oidc, options.timeoutMs, () => ({
        url,
        method: `POST`,
        headers: {},
        body: JSON.stringify({clientId: token.clientId, clientSecret: token.clientSecret, grantType: `refresh_token`, refreshToken: token.refreshToken}),
      }));
    } catch (error) {
      failure = error;
    }
    const errors: string[] = [];
    if (answer !== undefined && answer.status === 200 && isCreateTokenOutput(answer.body, {errors})) {
      const output = answer.body as {accessToken: string, expiresIn: number, refreshToken?: string};
      const expiresAt = isoSeconds(new Date(options.now().getTime() + output.expiresIn * 1000));
      // What botocore writes, and every other field as it was.
      const written = {startUrl: source.startUrl, region: source.ssoRegion, ...token.data, accessToken: output.accessToken, expiresAt, ...output.refreshToken === undefined ? {} : {refreshToken: output.refreshToken}};
      options.log(`refreshed the IAM Identity Center token of profile '${visible(source.profile)}' in ${visible(source.tokenFile)}, valid until ${expiresAt}`);
      return {write: written, result: output.accessToken};
    }
    const why = answer === undefined ? (failure as Error).message : answer.status === 200 ? `SSO-OIDC at ${visible(source.oidc.endpoint)} answered no token (${shapeProblem(errors, `unexpected shape`)})` : `SSO-OIDC at ${visible(source.oidc.endpoint)} answered ${serviceWords(answer)}`;
    const left = tokenLeftMs(token, options.now());
    if (left <= 0)
      throw new SignInRequiredError(`the IAM Identity Center session of profile '${visible(source.profile)}' has expired and could not be refreshed (${why}): run ${signInCommand(`aws sso login`, source.profile)}`);
    options.warn(`could not refresh the IAM Identity Center token of profile '${visible(source.profile)}' (${why}); using it, ${formatSpan(left)} left`);
    return {write: undefined, result: token.accessToken};
  });
}

const isRoleCredentials = t.isPartial({
  roleCredentials: t.isPartial({
    ...KEY_FIELDS,
    expiration: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(0, 253_402_300_799_000)]),
  }),
});

/**
 * The role's credentials from the Identity Center portal (GetRoleCredentials: GET /federation/credentials with the
 * access token in x-amz-sso_bearer_token), in the sso_region. A token the portal refuses (expired, signed out)
 * means `aws sso login`; a role or account it does not know is said as such.
 */
export async function ssoSession(sso: SsoSource, options: SourceOptions): Promise<SourceSession> {
  const source = {...sso, tokenFile: ssoCacheFile(sso.sessionName ?? sso.startUrl, options.env)};
  const bearer = await accessToken(source, options);
  const url = endpointUrl(source.portal.endpoint, `/federation/credentials`, {role_name: source.roleName, account_id: source.accountId});
  options.log(`asking the IAM Identity Center portal at ${visible(source.portal.endpoint)} for role ${source.roleName} in account ${source.accountId}`);
  const answer = await requestJson(`the IAM Identity Center portal`, source.portal, options.timeoutMs, () => ({url, method: `GET`, headers: {'x-amz-sso_bearer_token': bearer}}));
  const role = `role ${source.roleName} in account ${source.accountId}`;
  if (answer.status === 401 || answer.errorType === `UnauthorizedException`)
    throw new SignInRequiredError(`the IAM Identity Center portal refused the session of profile '${visible(source.profile)}' (${serviceWords(answer)}): run ${signInCommand(`aws sso login`, source.profile)}`);
  if (answer.status === 403 || answer.status === 404 || answer.errorType === `ForbiddenException` || answer.errorType === `ResourceNotFoundException`)
    throw new AwsmfaError(`the IAM Identity Center portal gives profile '${visible(source.profile)}' no ${role} (${serviceWords(answer)}): check sso_account_id and sso_role_name`);
  if (answer.status !== 200)
    throw new AwsmfaError(`the IAM Identity Center portal at ${visible(source.portal.endpoint)} answered ${serviceWords(answer)}`);
  const errors: string[] = [];
  if (!isRoleCredentials(answer.body, {errors}) || answer.body.roleCredentials === undefined)
    throw new AwsmfaError(`the IAM Identity Center portal at ${visible(source.portal.endpoint)} answered no credentials (${shapeProblem(errors, `no roleCredentials`)}); is that endpoint really the portal?`);
  const {accessKeyId, secretAccessKey, sessionToken, expiration} = answer.body.roleCredentials as {accessKeyId: string, secretAccessKey: string, sessionToken: string, expiration: number};
  const credentials: SessionCredentials = {accessKeyId, secretAccessKey, sessionToken, expiration: isoSeconds(new Date(expiration))};
  if (Date.parse(credentials.expiration) <= options.now().getTime())
    throw new AwsmfaError(`the IAM Identity Center portal at ${visible(source.portal.endpoint)} answered credentials that had expired already (${credentials.expiration}); check this machine's clock`);
  return {credentials, accountId: source.accountId, fresh: true};
}

/**
 * What the Identity Center token cache holds now, read and checked but not refreshed (for `status`): the token's
 * end and whether awsmfa can refresh it, or the one line that says why there is none.
 */
export function ssoTokenState(sso: SsoSource, env: Env, now: Date): {expiration: string, refreshable: boolean} | {problem: string} {
  const source = {...sso, tokenFile: ssoCacheFile(sso.sessionName ?? sso.startUrl, env)};
  try {
    const token = ssoToken(source, readTokenFile(source.tokenFile));
    return {expiration: isoSeconds(new Date(token.expiresAt)), refreshable: canRefresh(source, token, now)};
  } catch (error) {
    return {problem: (error as Error).message};
  }
}
