import {AwsmfaError} from '../errors.js';

/** The SDK's own log lines (`@smithy/node-http-handler - [WARN] …`) are not for the user: they go nowhere. */
const SILENT = {trace() {}, debug() {}, info() {}, warn() {}, error() {}};

export const MAX_ATTEMPTS = 3;

export type Keys = {accessKeyId: string, secretAccessKey: string, sessionToken?: string};

/** Where a client sends: the region, and an endpoint override (undefined: the service's own). */
export interface Where {
  readonly region: string;
  readonly endpoint: string | undefined;
}

export const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * The settings of every AWS client awsmfa makes (STS, IAM): explicit keys (the SDK's default chain would pick up
 * a stale session from the environment, or skip the environment altogether while AWS_PROFILE is set), the
 * retries, per-attempt timeouts within the budget (which this SDK only logs unless told to throw), and a silent
 * logger. Also hushes the SDK's notice about future Node versions, which is not the user's business.
 */
export function clientConfig(where: Where, credentials: Keys, timeoutMs: number) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = `true`;
  return {
    region: where.region,
    ...where.endpoint === undefined ? {} : {endpoint: where.endpoint},
    credentials,
    maxAttempts: MAX_ATTEMPTS,
    logger: SILENT,
    requestHandler: {
      connectionTimeout: Math.min(5_000, timeoutMs),
      requestTimeout: Math.min(10_000, timeoutMs),
      throwOnRequestTimeout: true,
      logger: SILENT,
    },
  };
}

/**
 * One line for what a single call (GetCallerIdentity, ListMFADevices) threw: no answer in time, keys the service
 * does not accept, no connection, else the service's own words. `variable` is the endpoint override to check.
 */
export function describeCallError(error: unknown, call: {service: `STS` | `IAM`, endpoint: string, variable: string, keys: string, timeoutMs: number}): AwsmfaError {
  if (error instanceof AwsmfaError)
    return error;
  const {name = ``, message = String(error), code} = error as {name?: string, message?: string, code?: string};
  const fail = (text: string) => new AwsmfaError(text, 1, {cause: error});
  if (name === `AbortError` || (name === `TimeoutError` && code !== `ECONNRESET`))
    return fail(`no answer from ${call.service} at ${call.endpoint} within ${seconds(call.timeoutMs)}; check your network and proxy, or ${call.variable}`);
  if (/InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken/.test(name))
    return fail(`${call.service} does not accept the keys ${call.keys} (${name}): they were deleted, mistyped or have expired`);
  if (code !== undefined && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET)$/.test(code))
    return fail(`cannot connect to ${call.service} at ${call.endpoint} (${code}); check your network, or ${call.variable}`);
  return fail(`${call.service} at ${call.endpoint} answered ${name || `an error`}: ${message.split(`\n`)[0]!.trim()}`);
}
