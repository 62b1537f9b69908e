import type {SessionCredentials} from '../aws/credentials.js';
import {mfaSessionRequest, type SessionRequest, type SourceKeys} from '../request.js';
import {unlockSource} from '../keys/stores.js';
import {endpointOf, requestSession as callSts, SessionRefusedError, type CallOptions} from '../aws/sts.js';
import {withProgress} from '../io/progress.js';
import {obtainCode} from './mfa-code.js';
import type {AwsmfaContext} from '../context.js';
import {ConfigError} from '../errors.js';
import {formatSpan, remainingMs} from '../time.js';
import {sessionKey, type Obtained, type SessionCache} from '../cache/session-cache.js';

export interface ObtainOptions {
  /** A code given: always a new session (a code given is a code used). */
  code: string | undefined;
  /** Ignore the cached session. */
  force: boolean;
  /** The cache, through which the sessions made on the way (an MFA session, a chain's roles) are read and kept; undefined with --no-cache. */
  cache: SessionCache | undefined;
  /** A cached session must have more than this left to be used. */
  minRemainingMs: number;
  /** The budget of the request to STS, retries included. */
  timeoutMs: number;
}

/** TOTP codes change every 30 s (RFC 6238's time step, which AWS's virtual and hardware MFA devices use). */
const TOTP_STEP_MS = 30_000;

/** Waited past the start of a step, for a code generator whose clock is a little behind ours. */
const TOTP_MARGIN_MS = 1_000;

/**
 * A code other than `used`, which a call just spent: AWS takes a code once. `mfa_process` is run again once the
 * next TOTP step has begun (said on stderr, with the seconds left), twice at most, as it would print the used code
 * until then; at the terminal the next code is asked for, again while the one typed is the one used.
 */
export async function nextCode(request: SessionRequest, used: string, context: AwsmfaContext): Promise<string> {
  if (request.mfaProcess !== undefined) {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const waitMs = TOTP_STEP_MS - context.now().getTime() % TOTP_STEP_MS + TOTP_MARGIN_MS;
      context.warn(`a code works once: waiting ${Math.ceil(waitMs / 1000)} s for the next code from ${request.mfaProcessName}`);
      await new Promise(resolve => setTimeout(resolve, waitMs));
      const code = await obtainCode(request, undefined, context);
      if (code !== used)
        return code;
    }
    throw new ConfigError(`${request.mfaProcessName} still printed the code just used after two 30-second steps (check its clock): run again with the next code, --direct --code 123456`);
  }
  let question = `The next MFA code for ${request.serialNumber} (not the one just used): `;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const code = await obtainCode(request, undefined, context, question);
    if (code !== used)
      return code;
    question = `That code was just used, and AWS takes a code once; wait for the next one and type it: `;
  }
  throw new ConfigError(`the code just used was typed again: run again with the next code, --direct --code 123456`);
}

/**
 * A new session for the request from STS: the obtainer that cache/session-cache.ts's retrieve wraps, which serves
 * the request's own cached session before and keeps the one this returns. The sessions made on the way go through
 * the same cache here: the cached MFA session a role is assumed from is taken when no code was given, and a new one
 * is kept, as is each role of a chain before the last. Only this path loads the AWS SDK.
 *
 * A role is assumed from the MFA session of its source (cached, else asked for with the code), signed by that
 * session and without a code, so every role of one source costs one code a day, as with aws-vault and awsume.
 * Only when that cannot work does the code go with AssumeRole itself, signed by the long-term keys: when asked
 * (`--direct`, `awsmfa_direct = true`), or when STS refuses the role to an MFA session that is hours old (a
 * trust policy may ask for a recent aws:MultiFactorAuthAge).
 */
export async function obtainSession(request: SessionRequest, options: ObtainOptions, context: AwsmfaContext): Promise<Obtained> {
  const {log, warn} = context;
  // Every call says so on a terminal when STS is slow to answer.
  const requestSession = (asked: SessionRequest, call: CallOptions) => {
    const role = asked.direct || call.mfaSession !== undefined ? asked.roles.at(-1)?.roleArn : undefined;
    const what = role === undefined ? `an MFA session of ${asked.serialNumber}` : `the role ${role}`;
    return withProgress(context.stderr, `asking STS at ${endpointOf(asked)} for ${what}...`, !context.quiet, callSts(asked, call));
  };
  const reuse = options.cache !== undefined && !options.force && options.code === undefined;
  const keep = (asked: SessionRequest, credentials: SessionCredentials) => options.cache?.keep(sessionKey(asked), request.profile, credentials);
  const call = {log, timeoutMs: options.timeoutMs, now: context.now, warn};
  // Keys in a store are read from it only here, where they sign (before the code is asked: a code lasts 30 s, and
  // the file store's passphrase is asked first), and once: a fallback signs with what was read.
  let source: SourceKeys | undefined;
  const signedByKeys = async <T extends SessionRequest>(given: T): Promise<T> => ({...given, source: source ??= await unlockSource(request.source, context, log)});
  // Every role of a chain before the last is kept under its own key, as the profile that names only that role would
  // find it; the last is the request's own session, which the caller keeps.
  const keepSteps = (index: number, credentials: SessionCredentials) => {
    if (index < request.roles.length - 1)
      keep({...request, roles: request.roles.slice(0, index + 1)}, credentials);
  };

  if (request.roles.length === 0 || request.direct) {
    const signed = await signedByKeys(request);
    const code = await obtainCode(request, options.code, context);
    const credentials = await requestSession(signed, {...call, code, onStep: request.roles.length === 0 ? undefined : keepSteps});
    return {credentials, fresh: true};
  }

  const base = mfaSessionRequest(request);
  let mfaSession = reuse ? options.cache?.session(sessionKey(base), options.minRemainingMs) : undefined;
  const reused = mfaSession !== undefined;
  let codeSpent: `given` | `asked` | undefined;
  let usedCode: string | undefined;
  const newMfaSession = async () => {
    const signed = await signedByKeys(base);
    const code = await obtainCode(base, options.code, context);
    codeSpent = options.code === undefined ? `asked` : `given`;
    usedCode = code;
    const credentials = await requestSession(signed, {...call, code});
    keep(base, credentials);
    return credentials;
  };
  mfaSession ??= await newMfaSession();
  if (reused)
    log(`assuming ${request.roleArn} from the cached MFA session of ${request.serialNumber} (${formatSpan(remainingMs(mfaSession, context.now()))} left): no code needed`);

  try {
    const credentials = await requestSession(request, {...call, code: undefined, mfaSession, onStep: keepSteps});
    return {credentials, fresh: true, fromCachedMfaSession: reused};
  } catch (error) {
    if (!(error instanceof SessionRefusedError))
      throw error;
    const role = request.roles[0]!.roleArn;
    if (error.reason === `invalid`) {
      // A cached session revoked at AWS (or from another clock): ask for a new one, once.
      if (!reused)
        throw error;
      // Gone, and from the shells' profile files too: no `mfa` may take it.
      options.cache?.forgetKey(sessionKey(base));
      warn(`the cached MFA session of ${request.serialNumber} is no longer valid at AWS: asking for a new one`);
      mfaSession = await newMfaSession();
      const credentials = await requestSession(request, {...call, code: undefined, mfaSession, onStep: keepSteps});
      return {credentials, fresh: true};
    }
    // A session just made with a code has all the MFA a role can ask for: a refusal then is not about MFA.
    if (!reused && !error.mfaRelated)
      throw error;
    if (codeSpent === `given`)
      throw new ConfigError(`${role} refused the MFA session (AccessDenied${error.mfaRelated ? `, MFA` : ``}) and the code given was used for it: run again with --direct and the next code (or set awsmfa_direct = true in the profile)`);
    warn(`${role} refused the ${reused ? `cached ` : ``}MFA session (${error.awsMessage || `AccessDenied`}); asking for it directly with the device and ${codeSpent === undefined ? `a` : `the next`} code (awsmfa_direct = true in the profile skips the MFA session)`);
    // No code was given (a cached session is only used then): a first one, or one other than the code just spent.
    const signed = await signedByKeys({...request, direct: true});
    const code = usedCode === undefined
      ? await obtainCode(request, undefined, context)
      : await nextCode(request, usedCode, context);
    const credentials = await requestSession(signed, {...call, code, onStep: keepSteps});
    return {credentials, fresh: true};
  }
}
