import {AwsmfaError} from '../errors.js';
import {setOwnVariable} from '../env.js';
import {visible} from '../terminal.js';
import type {SourceKeys} from '../request.js';

/** The SDK's own log lines (`@smithy/node-http-handler - [WARN] …`) are not for the user: they go nowhere. */
const SILENT = {trace() {}, debug() {}, info() {}, warn() {}, error() {}};

export const MAX_ATTEMPTS = 3;

export type Keys = {accessKeyId: string, secretAccessKey: string, sessionToken?: string};

/** The long-term keys as a signer; their secret must have been read from its store first (src/keys/stores.ts unlockSource). */
export function longTermKeys(source: SourceKeys): Keys {
  if (source.secretAccessKey === undefined)
    throw new AwsmfaError(`internal error: the secret of ${source.accessKeyId} was not read from its store before signing`);
  return {accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey};
}


/** Where a client sends: the region, and an endpoint override (undefined: the service's own). */
export interface Where {
  readonly region: string;
  readonly endpoint: string | undefined;
  /** The setting that chose `endpoint`, as the user set it (`AWS_ENDPOINT_URL`, `--endpoint-url`, a profile's `endpoint_url`). */
  readonly endpointOrigin?: string | undefined;
}

/**
 * What to check when an endpoint does not answer as it should: the network and proxy, and the one setting that
 * chose the endpoint, named as the user set it (not a variable the user never touched).
 */
export function endpointAdvice(where: Pick<Where, `endpointOrigin`>): string {
  return where.endpointOrigin === undefined ? `your network and proxy` : `your network and proxy, or ${where.endpointOrigin}, which chose that endpoint`;
}

export const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Each attempt's own limits, within what is left of the budget: a connection in 5 s, then an answer in 10 s. The SDK
 * gives up an attempt at either (told to throw: it would only log the answer's), and a call ends at the budget.
 */
export const CONNECT_TIMEOUT_MS = 5_000;
export const ANSWER_TIMEOUT_MS = 10_000;

/** The limits of one attempt made now, with `leftMs` left of the budget: what clientConfig gives the SDK. */
export function attemptLimits(leftMs: number): {connectMs: number, answerMs: number} {
  return {connectMs: Math.max(1, Math.min(CONNECT_TIMEOUT_MS, leftMs)), answerMs: Math.max(1, Math.min(ANSWER_TIMEOUT_MS, leftMs))};
}

/**
 * What --verbose says of a call's limits, from the same numbers the client is given: `one attempt (a code is sent
 * once; again only if it never reached STS), waiting up to 5 s to connect and 10 s for the answer, within 29.8 s left
 * of the 30 s budget`. `attempts` 1 is a call with a code (see sts.ts requestSession); else the SDK's retries.
 */
export function limitsText(attempts: number, leftMs: number, totalMs: number): string {
  const {connectMs, answerMs} = attemptLimits(leftMs);
  const tries = attempts === 1 ? `one attempt (a code is sent once; again only if it never reached STS)` : `up to ${attempts} attempts`;
  return `${tries}, waiting up to ${seconds(connectMs)} to connect and ${seconds(answerMs)} for the answer, within ${seconds(leftMs)} left of the ${seconds(totalMs)} budget`;
}

/** Thrown when the budget is spent: our own abort of the SDK, or our guard should the SDK not give up in time. */
export class BudgetSpentError extends Error {
  override name = `BudgetSpentError`;
}

/** Milliseconds since this process started (node's own clock: nothing to load, no system call worth a mention). */
const sinceStart = () => process.uptime() * 1000;

/**
 * What the command has spent of its time budget (--timeout, AWSMFA_TIMEOUT, 30 s). One process runs one command,
 * and every AWS call it makes (IAM for the device, GetSessionToken, each AssumeRole, a fallback) draws on the one
 * budget: the start-up until the commands are loaded (node, the bundles: this module is evaluated with them), then
 * each call whole, the SDK's loading, connection setup, retries and backoff included. Not counted: what happens
 * between calls, waiting for a person or mfa_process above all, which have limits of their own.
 */
let spentMs = sinceStart();

/** One AWS call within what is left of the budget: see startCall. */
export interface BudgetedCall {
  /** Aborts the SDK's request (and every retry) when the budget is spent. */
  readonly signal: AbortSignal;
  /** What is left now: each client's per-attempt timeouts are capped by it. */
  leftMs(): number;
  /** The call's promise, or BudgetSpentError at the deadline, whichever comes first: the SDK cannot overrun. */
  within<T>(promise: Promise<T>): Promise<T>;
  /** Ends the call (always, in a finally): its time is added to what is spent, the timer goes. */
  end(): void;
}

/**
 * Starts a call that must end by the deadline: the budget `totalMs` less what the command spent already. Started
 * before the SDK is loaded, so that loading counts too. A budget already spent gives a call that fails at once.
 */
export function startCall(totalMs: number): BudgetedCall {
  const startedAt = sinceStart();
  const deadline = startedAt + totalMs - spentMs;
  const controller = new AbortController();
  let expire: (error: BudgetSpentError) => void = () => {};
  const expired = new Promise<never>((_, reject) => expire = reject);
  // Unhandled until someone races it: a rejection nobody awaits must not end the process.
  expired.catch(() => {});
  const timer = setTimeout(() => {
    const error = new BudgetSpentError(`the time budget of ${seconds(totalMs)} is spent`);
    controller.abort(error);
    expire(error);
  }, Math.max(0, deadline - startedAt));
  let ended = false;
  return {
    signal: controller.signal,
    leftMs: () => Math.max(0, deadline - sinceStart()),
    within: promise => Promise.race([promise, expired]),
    end() {
      if (ended)
        return;
      ended = true;
      clearTimeout(timer);
      spentMs += sinceStart() - startedAt;
    },
  };
}

/**
 * The settings of every AWS client awsmfa makes (STS, IAM): explicit keys (the SDK's default chain would pick up
 * a stale session from the environment, or skip the environment altogether while AWS_PROFILE is set), the
 * retries, per-attempt timeouts within what is left of the budget, `timeoutMs` (which this SDK only logs unless
 * told to throw), and a silent logger. Also hushes the SDK's notice about future Node versions, which is not the user's business.
 */
export function clientConfig(where: Where, credentials: Keys, timeoutMs: number, maxAttempts = MAX_ATTEMPTS) {
  setOwnVariable(`AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED`, `true`);
  return {
    region: where.region,
    ...where.endpoint === undefined ? {} : {endpoint: where.endpoint},
    credentials,
    maxAttempts,
    logger: SILENT,
    requestHandler: {
      // What is left of the budget when the client is made; the call's abort ends whatever runs past it.
      connectionTimeout: attemptLimits(timeoutMs).connectMs,
      requestTimeout: attemptLimits(timeoutMs).answerMs,
      throwOnRequestTimeout: true,
      logger: SILENT,
    },
  };
}

/**
 * One line for what a single call (GetCallerIdentity, ListMFADevices) threw: no answer in time, keys the service
 * does not accept, no connection, else the service's own words. `where` names the setting that chose the endpoint.
 */
export function describeCallError(error: unknown, call: {service: `STS` | `IAM`, endpoint: string, where: Pick<Where, `endpointOrigin`>, keys: string, timeoutMs: number}): AwsmfaError {
  if (error instanceof AwsmfaError)
    return error;
  const {name: rawName = ``, message = String(error), code} = error as {name?: string, message?: string, code?: string};
  // The error's Code, as the endpoint sent it: shown as one line, whatever it holds.
  const name = visible(rawName);
  const fail = (text: string) => new AwsmfaError(text, 1, {cause: error});
  if (error instanceof BudgetSpentError || name === `AbortError` || (name === `TimeoutError` && code !== `ECONNRESET`))
    return fail(`no answer from ${call.service} at ${call.endpoint} within ${seconds(call.timeoutMs)}; check ${endpointAdvice(call.where)}`);
  if (/InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken/.test(name))
    return fail(`${call.service} does not accept the keys ${call.keys} (${name}): they were deleted, mistyped or have expired`);
  if (code !== undefined && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET)$/.test(code))
    return fail(`cannot connect to ${call.service} at ${call.endpoint} (${code}); check ${endpointAdvice(call.where)}`);
  return fail(`${call.service} at ${call.endpoint} answered ${name || `an error`}: ${message.split(`\n`)[0]!.trim()}`);
}
