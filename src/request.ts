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

/** Everything a GetSessionToken request needs but the code. */
export interface SessionRequest {
  readonly profile: string;
  readonly source: SourceKeys;
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

/** The plain MFA session (GetSessionToken) a role request is assumed from: the same cache entry as `env` of its source. */
export function mfaSessionRequest(request: SessionRequest): SessionRequest {
  return {...request, roles: [], roleArn: undefined, direct: false, durationSeconds: request.mfaSessionDurationSeconds};
}
