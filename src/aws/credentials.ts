/** Temporary credentials, as STS hands them out. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** ISO 8601, UTC, whole seconds: `2026-11-24T06:15:00Z`. */
  readonly expiration: string;
}

/** The four variables, in the order every dialect prints them. */
export const SESSION_VARIABLES = [`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION`] as const;

export function sessionAssignments(credentials: SessionCredentials): Array<readonly [string, string]> {
  return [
    [`AWS_ACCESS_KEY_ID`, credentials.accessKeyId],
    [`AWS_SECRET_ACCESS_KEY`, credentials.secretAccessKey],
    [`AWS_SESSION_TOKEN`, credentials.sessionToken],
    [`AWS_CREDENTIAL_EXPIRATION`, credentials.expiration],
  ];
}

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, `Z`);
}
