import type {StoreName} from './key-marker.js';

/**
 * What a session is asked for: the request resolved from a profile, its options and the environment, as every floor
 * above this one passes it around (resolving it is aws-files/resolve.ts's job; obtaining it, session/obtain.ts's).
 */

/** Long-term keys that may sign GetSessionToken, and where they came from (for messages). */
export interface SourceKeys {
  readonly accessKeyId: string;
  /** Undefined while the secret is in a store: keys/stores.ts's unlockSource fetches it when a new session is signed. */
  readonly secretAccessKey: string | undefined;
  /** The store that holds the secret (the profile's awsmfa_key_store); undefined for keys in the AWS files. */
  readonly store?: StoreName;
  readonly origin: string;
  /** The keys are AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: a session set in the shell would replace them. */
  readonly fromEnvironment?: boolean;
}

/** Where a call to a token service goes: the endpoint, and the setting that chose it (undefined: the service's own). */
export interface TokenEndpoint {
  readonly endpoint: string;
  readonly endpointOrigin: string | undefined;
}

/**
 * A profile with `login_session` (`aws login`): the session is the AWS CLI's login cache (its file is the SHA-256 of
 * `session`), refreshed through the sign-in service of the login region. Resolved from the files without reading
 * the cache: sources/login.ts reads and refreshes it.
 */
export interface LoginSource {
  readonly kind: `login`;
  /** The profile that holds login_session (a role's source_profile, for a role). */
  readonly profile: string;
  /** Its login_session: the ARN of whoever signed in. */
  readonly session: string;
  /** Where a refresh goes when the cache names no region of its own: the login profile's region. */
  readonly region: string;
  /** An endpoint setting for sign-in (AWS_ENDPOINT_URL_SIGNIN, …); undefined: the login region's own. */
  readonly endpoint: TokenEndpoint | undefined;
}

/**
 * A profile of IAM Identity Center (`sso_session`, or the legacy `sso_start_url`): the role's credentials come from
 * the portal with the token `aws sso login` cached (its file is the SHA-1 of the session's name, or of the start
 * URL). Resolved from the files without reading the token: sources/sso.ts reads and refreshes it.
 */
export interface SsoSource {
  readonly kind: `sso`;
  /** The profile with the SSO settings (a role's source_profile, for a role). */
  readonly profile: string;
  /** The sso-session it names; undefined for a legacy profile (sso_start_url and sso_region of its own). */
  readonly sessionName: string | undefined;
  readonly startUrl: string;
  readonly ssoRegion: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly portal: TokenEndpoint;
  readonly oidc: TokenEndpoint;
}

/** A source of sessions that are not made with keys and a code: the AWS CLI's `aws login` and `aws sso login`. */
export type TokenSource = LoginSource | SsoSource;

/** Whether a request's source is a token source rather than long-term keys. */
export function isTokenSource(source: SourceKeys | TokenSource): source is TokenSource {
  return `kind` in source;
}

/** A request whose session is signed by long-term keys (GetSessionToken, or a role from it). */
export type KeysRequest = SessionRequest & {readonly source: SourceKeys};

export function isKeysRequest(request: SessionRequest): request is KeysRequest {
  return !isTokenSource(request.source);
}

/** A request whose first session comes from a token source (aws login, Identity Center). */
export type TokenRequest = SessionRequest & {readonly source: TokenSource};

/** The request as what it is: signed by keys, or from a token source. */
export function requestKind(request: SessionRequest): {keys: KeysRequest, token?: undefined} | {token: TokenRequest, keys?: undefined} {
  const {source} = request;
  return isTokenSource(source) ? {token: {...request, source}} : {keys: {...request, source}};
}

/** Whether the source is long-term keys found only in the environment (which a session set in the shell would replace). */
export function keysFromEnvironment(source: SourceKeys | TokenSource): boolean {
  return !isTokenSource(source) && source.fromEnvironment === true;
}

/** Where a request's first credentials come from, for messages: `profile 'work' in ~/.aws/credentials`, `the aws login session of profile 'me'`. */
export function sourceOrigin(source: SourceKeys | TokenSource): string {
  if (!isTokenSource(source))
    return source.origin;
  return source.kind === `login` ? `the aws login session of profile '${source.profile}'` : `the IAM Identity Center role ${source.roleName} of profile '${source.profile}'`;
}

/**
 * Everything a session request needs but the code: GetSessionToken (or a role from it) with long-term keys, or the
 * session of a token source (and the roles assumed from it).
 */
export interface SessionRequest {
  readonly profile: string;
  /** Long-term keys (GetSessionToken with the device), or a token source whose session needs no code. */
  readonly source: SourceKeys | TokenSource;
  /** The MFA device; `` for a token source whose roles take no code. */
  readonly serialNumber: string;
  readonly durationSeconds: number | undefined;
  readonly region: string;
  readonly endpoint: string | undefined;
  /** The setting that chose `endpoint`, for messages: `--endpoint-url`, `AWS_ENDPOINT_URL`, a profile's `endpoint_url`. */
  readonly endpointOrigin?: string | undefined;
  /** A command that prints the MFA code (--code-command, else `mfa_process` in the profile). */
  readonly mfaProcess: string | undefined;
  /** Where that command came from, for messages (never the command itself, which may hold a TOTP seed). */
  readonly mfaProcessName: string;
  /** The region --region or the profile (or its source) names, to export with the session; not the environment's. */
  readonly configuredRegion: string | undefined;
  /** The role of the session (the last of `roles`), for messages and names; undefined for GetSessionToken. */
  readonly roleArn: string | undefined;
  /**
   * The roles to assume, in order (empty: GetSessionToken instead): the first signed by the long-term keys,
   * each later one by the session of the one before, as botocore walks a source_profile chain.
   */
  readonly roles: readonly RoleStep[];
  /**
   * How roles are assumed. false (the default): from the MFA session of the source (GetSessionToken, cached as
   * for `env`), signed by it and without a code, so that every role of the source costs one code a day. true
   * (--direct, or `awsmfa_direct = true` in the profile): AssumeRole with the device and code, signed by the keys.
   */
  readonly direct: boolean;
  /** With roles from the MFA session: the length of that session (duration_seconds of the profile with the keys). */
  readonly mfaSessionDurationSeconds: number | undefined;
}

/** One AssumeRole of a request. */
export interface RoleStep {
  readonly roleArn: string;
  readonly sessionName: string;
  /** The role profile's `external_id`, sent as the AWS CLI sends it. */
  readonly externalId: string | undefined;
  readonly durationSeconds: number | undefined;
  /** Whether this call carries the MFA device and code (one call of a chain does). */
  readonly mfa: boolean;
}

/** What STS gives when no duration is sent: GetSessionToken 12 hours, AssumeRole 1 hour. */
export const DEFAULT_SESSION_SECONDS = 43200;
export const DEFAULT_ROLE_SECONDS = 3600;

/**
 * The session a role request is assumed from, as the cache knows it: the plain MFA session (GetSessionToken) of its
 * keys, or a token source's own session (no device: the code of a role never goes with it); the same cache entry as
 * `env` of its source profile.
 */
export function mfaSessionRequest<T extends SessionRequest>(request: T): T {
  return {...request, roles: [], roleArn: undefined, direct: false, durationSeconds: request.mfaSessionDurationSeconds, ...isTokenSource(request.source) ? {serialNumber: ``} : {}};
}
