import * as t from 'typanion';
import {formatLocal} from '../time.js';

/** Temporary credentials, as STS hands them out. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** ISO 8601, UTC, whole seconds: `2026-11-24T06:15:00Z`. */
  readonly expiration: string;
}


export function sessionAssignments(credentials: SessionCredentials, profile: string): Array<readonly [string, string]> {
  return [
    [`AWS_ACCESS_KEY_ID`, credentials.accessKeyId],
    [`AWS_SECRET_ACCESS_KEY`, credentials.secretAccessKey],
    [`AWS_SESSION_TOKEN`, credentials.sessionToken],
    [`AWS_CREDENTIAL_EXPIRATION`, credentials.expiration],
    [`AWS_SESSION_EXPIRATION`, credentials.expiration],
    [`AWSMFA_PROFILE`, profile],
  ];
}

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, `Z`);
}

/** What STS hands out as an access key id: `ASIA…` (sessions) or `AKIA…` (keys), capital letters and digits. */
export const ACCESS_KEY_ID_PATTERN = /^[A-Z0-9]{16,128}$/;

/** What STS hands out as a secret or a session token: printable ASCII without spaces (base64 and the like). */
export const SECRET_TEXT_PATTERN = /^[\x21-\x7e]+$/;

/** The three fields of a session's keys as every reader of a file or an answer checks them (spread into its shape). */
export const KEY_FIELDS = {
  accessKeyId: t.cascade(t.isString(), [t.matchesRegExp(ACCESS_KEY_ID_PATTERN)]),
  secretAccessKey: t.cascade(t.isString(), [t.matchesRegExp(SECRET_TEXT_PATTERN)]),
  sessionToken: t.cascade(t.isString(), [t.matchesRegExp(SECRET_TEXT_PATTERN)]),
};

/** `2026-11-24T06:15:00Z`, with optional fractions and offsets, as STS and the AWS CLI write times. */
export const ISO_TIME_PATTERN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/;

/** The longest session STS hands out (GetSessionToken, 36 hours), with an hour to spare for clock skew. */
const MAX_LIFETIME_MS = (129_600 + 3_600) * 1000;

/**
 * Why these credentials are not what STS hands out, or undefined when they are. Whatever comes from the network
 * or the cache is data to be printed into shell code and written into files: anything else is refused before
 * it is printed, cached or written. The reason names the field, never its value.
 */
export function credentialsProblem(credentials: SessionCredentials, now: Date): string | undefined {
  if (!ACCESS_KEY_ID_PATTERN.test(credentials.accessKeyId))
    return `its access key id is not 16 to 128 capital letters and digits`;
  if (!SECRET_TEXT_PATTERN.test(credentials.secretAccessKey))
    return `its secret access key holds characters STS never uses (spaces, control characters or non-ASCII)`;
  if (!SECRET_TEXT_PATTERN.test(credentials.sessionToken))
    return `its session token holds characters STS never uses (spaces, control characters or non-ASCII)`;
  const end = Date.parse(credentials.expiration);
  if (!ISO_TIME_PATTERN.test(credentials.expiration) || Number.isNaN(end))
    return `its expiration is not a time`;
  if (end <= now.getTime())
    return `it had expired already (at ${formatLocal(new Date(end), now)} local)`;
  if (end - now.getTime() > MAX_LIFETIME_MS)
    return `it expires further away (at ${formatLocal(new Date(end), now)} local) than any STS session lasts`;
  return undefined;
}

/** An ISO 8601 time (`2026-11-24T06:15:00Z`) that is a real time, as a typanion validator (the cache's files, the AWS CLI's token files). */
export const isIsoDate = t.cascade(t.isString(), [t.makeValidator<string>({
  test: (value, state) => {
    if (ISO_TIME_PATTERN.test(value) && !Number.isNaN(Date.parse(value)))
      return true;
    state?.errors?.push(`${state.p ?? `.`}: expected an ISO 8601 date and time`);
    return false;
  },
})]);
