import {AwsmfaError, CodeRefusedError} from '../errors.js';
import {attemptLimits, BudgetSpentError, clientConfig, describeCallError, endpointAdvice, limitsText, MAX_ATTEMPTS, seconds, startCall, longTermKeys, type Keys, type Where} from './client.js';
import {credentialsProblem, isoSeconds, type SessionCredentials} from './credentials.js';
import {isTokenSource, sourceOrigin, type RoleStep, type SessionRequest} from '../request.js';
import {visible} from '../terminal.js';


/** The URL a request goes to, for messages. */
export function endpointOf(request: Pick<SessionRequest, `endpoint` | `region`>): string {
  return request.endpoint ?? `https://sts.${request.region}.amazonaws.com`;
}


/** STS clients for the request's region and endpoint (see clientConfig), one per signer. The SDK (its bundle, src/bundles/sts.ts) is imported here and only here. */
async function stsClients(where: Where, leftMs: () => number): Promise<(credentials: Keys, maxAttempts?: number) => InstanceType<typeof import('../bundles/sts.js').STSClient>> {
  const {STSClient} = await import(`../bundles/sts.js`);
  return (credentials, maxAttempts) => new STSClient(clientConfig(where, credentials, leftMs(), maxAttempts));
}

/**
 * Errors of a request STS cannot have read: no connection was made, or STS turned it away unread (throttling).
 * Only these are retried for a call that carries an MFA code: AWS takes a code once, so a retry after a lost
 * answer (a reset, a 5xx, a timeout) would send a code STS may already have used, and fail as "already used".
 */
function neverRead(error: unknown): boolean {
  const {code = ``, name = ``} = (error ?? {}) as SdkError;
  return /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/.test(code) || /^(Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException)$/.test(name);
}

/** Who the keys belong to (STS GetCallerIdentity), within the budget (see startCall); errors are one line, as for sessions. */
export async function callerIdentity(keys: Keys, where: Where, timeoutMs: number, log: (message: string) => void = () => {}): Promise<{account: string, arn: string, userId: string}> {
  return oneCall(keys, where, timeoutMs, {action: `GetCallerIdentity`, log}, async ({sts, client, signal, endpoint}) => {
    const answer = await client.send(new sts.GetCallerIdentityCommand({}), {abortSignal: signal});
    if (!answer.Account || !answer.Arn || !answer.UserId || !/^\d{12}$/.test(answer.Account) || /[\x00-\x1f\x7f]/.test(answer.Arn + answer.UserId))
      throw new AwsmfaError(`STS at ${endpoint} answered no identity STS would give; is that endpoint really STS? (check ${endpointAdvice(where)})`);
    return {account: answer.Account, arn: answer.Arn, userId: answer.UserId};
  });
}

/**
 * One STS call signed by `keys`, within the budget (see startCall): the SDK loaded, a client made and destroyed,
 * and any error turned into one line (describeCallError). For calls that carry no code (a retry costs nothing).
 */
async function oneCall<T>(keys: Keys, where: Where, timeoutMs: number, said: {action: string, log: (message: string) => void}, send: (call: {sts: typeof import('../bundles/sts.js'), client: InstanceType<typeof import('../bundles/sts.js').STSClient>, signal: AbortSignal, endpoint: string}) => Promise<T>): Promise<T> {
  const call = startCall(timeoutMs);
  const endpoint = endpointOf(where);
  let client: InstanceType<typeof import('../bundles/sts.js').STSClient> | undefined;
  try {
    const sts = await call.within(import(`../bundles/sts.js`));
    said.log(`${said.action} at ${endpoint} (region ${where.region}), signed by ${keys.accessKeyId}: ${limitsText(MAX_ATTEMPTS, call.leftMs(), timeoutMs)}`);
    client = (await stsClients(where, call.leftMs))(keys);
    return await call.within(send({sts, client, signal: call.signal, endpoint}));
  } catch (error) {
    throw describeCallError(call.signal.aborted ? call.signal.reason : error, {service: `STS`, endpoint, where, keys: keys.accessKeyId, timeoutMs});
  } finally {
    client?.destroy();
    call.end();
  }
}

/** AWS's limit for a role assumed with another role's session (role chaining). */
export const CHAINED_MAX_DURATION = 3600;

/**
 * STS refused the first AssumeRole signed by the MFA session: `denied` (AccessDenied: the role's trust policy
 * wants something of the MFA that the session no longer has, e.g. a recent aws:MultiFactorAuthAge) or `invalid`
 * (the session was revoked or has expired). The caller may fall back; `reason` says how.
 */
export class SessionRefusedError extends AwsmfaError {
  constructor(readonly described: AwsmfaError, readonly reason: `denied` | `invalid`, readonly mfaRelated: boolean, readonly awsMessage: string) {
    super(described.message, described.exitCode, {cause: described.cause});
  }
}

export interface CallOptions {
  /** The MFA code; undefined when an MFA session signs instead (roles from the MFA session). */
  code: string | undefined;
  log: (message: string) => void;
  timeoutMs: number;
  now?: () => Date;
  warn?: (message: string) => void;
  /** The MFA session that signs the first AssumeRole instead of the long-term keys, with no code in the call. */
  mfaSession?: SessionCredentials;
  /** Each session as it arrives: the roles of a chain are cached one by one. */
  onStep?: (index: number, credentials: SessionCredentials) => void;
}

/**
 * Calls STS: GetSessionToken, or AssumeRole for each role of the request, with the MFA device and code (or, with
 * `mfaSession`, signed by that session and without a code). The SDK is imported here and only here, so that every
 * path that needs no request (a cached session, `unset`, `init`, `--help`) starts without it.
 *
 * The whole call, loading the SDK, retries and every role of a chain included, ends within what is left of the
 * command's budget `timeoutMs` (see startCall): the SDK is told to abort then, each attempt has its own connection
 * and answer timeouts within what is left (which this SDK only logs unless told to throw), and the call gives up
 * at that moment even should the SDK still be waiting. A silent endpoint (a captive portal, a black-holed proxy)
 * therefore costs at most the budget. What comes back is checked before anyone sees it.
 */
export async function requestSession(request: SessionRequest, options: CallOptions): Promise<SessionCredentials> {
  const {code, log, timeoutMs, now = () => new Date(), warn = () => {}, mfaSession, onStep} = options;
  const budget = startCall(timeoutMs);
  const mfa = {SerialNumber: request.serialNumber, TokenCode: code};
  // Every call of a chain shares the one budget; each answer is checked before it signs the next call.
  // Keys alone: the SDK takes an `expiration` for a Date, and ours is text.
  // A token source's session always signs as mfaSession: it has no keys of its own.
  let signer: Keys = mfaSession !== undefined || isTokenSource(request.source) ? {accessKeyId: mfaSession!.accessKeyId, secretAccessKey: mfaSession!.secretAccessKey, sessionToken: mfaSession!.sessionToken} : longTermKeys(request.source);
  let session: SessionCredentials | undefined;
  let step: RoleStep | undefined;
  let stepIndex = 0;
  let codeSent = false;
  // The limits of the current call's attempts, as its client was given them: what a timeout's message says.
  let limits = attemptLimits(timeoutMs);
  try {
    const {GetSessionTokenCommand, AssumeRoleCommand} = await budget.within(import(`../bundles/sts.js`));
    const clientFor = await stsClients(request, budget.leftMs);
    const steps: ReadonlyArray<RoleStep | undefined> = request.roles.length === 0 ? [undefined] : request.roles;
    if (mfaSession !== undefined && request.roles.length === 0)
      throw new Error(`an MFA session signs roles only`);
    for (const [index, current] of steps.entries()) {
      step = current;
      stepIndex = index;
      const sendsCode = code !== undefined && (current === undefined || current.mfa);
      codeSent = sendsCode;
      // A call with a code is sent once by the SDK; awsmfa retries it only where STS cannot have read it.
      const leftMs = budget.leftMs();
      limits = attemptLimits(leftMs);
      const client = clientFor(signer, sendsCode ? 1 : MAX_ATTEMPTS);
      try {
        let durationSeconds = current === undefined ? request.durationSeconds : current.durationSeconds;
        if (index > 0 && durationSeconds !== undefined && durationSeconds > CHAINED_MAX_DURATION) {
          warn(`note: ${current!.roleArn} is assumed with another role's session, which AWS allows for at most 1 hour: asking for ${CHAINED_MAX_DURATION} s instead of ${durationSeconds} s`);
          durationSeconds = CHAINED_MAX_DURATION;
        }
        const duration = durationSeconds === undefined ? {} : {DurationSeconds: durationSeconds};
        const signedBy = index > 0 ? `the session of the role before` : isTokenSource(request.source) ? sourceOrigin(request.source) : mfaSession !== undefined ? `the MFA session of ${request.serialNumber}` : request.source.origin;
        log(`${current === undefined ? `GetSessionToken` : `AssumeRole ${current.roleArn}`} at ${endpointOf(request)} (region ${request.region})${sendsCode ? ` with ${request.serialNumber} and a code` : ``}, signed by ${signer.accessKeyId} (${signedBy}): ${limitsText(sendsCode ? 1 : MAX_ATTEMPTS, leftMs, timeoutMs)}`);
        const withMfa = sendsCode ? mfa : {};
        const send = () => current === undefined
          ? client.send(new GetSessionTokenCommand({...withMfa, ...duration}), {abortSignal: budget.signal})
          : client.send(new AssumeRoleCommand({...withMfa, ...duration, RoleArn: current.roleArn, RoleSessionName: current.sessionName, ...current.externalId === undefined ? {} : {ExternalId: current.externalId}}), {abortSignal: budget.signal});
        let response: Awaited<ReturnType<typeof send>>;
        for (let attempt = 1; ; attempt++) {
          try {
            response = await budget.within(send());
            break;
          } catch (error) {
            if (!sendsCode || attempt >= MAX_ATTEMPTS || !neverRead(error) || budget.signal.aborted) {
              // The count the messages report: the SDK's is 1 for a call awsmfa retries itself.
              if (sendsCode && typeof error === `object` && error !== null)
                (error as SdkError).$metadata = {...(error as SdkError).$metadata, attempts: attempt};
              throw error;
            }
            await budget.within(new Promise(resolve => setTimeout(resolve, 100 * 2 ** attempt)));
          }
        }
        const credentials = response.Credentials;
        if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !(credentials.Expiration instanceof Date) || Number.isNaN(credentials.Expiration.getTime()))
          throw new AwsmfaError(`STS at ${endpointOf(request)} answered without credentials; is that endpoint really STS? (check ${endpointAdvice(request)})`);
        session = {
          accessKeyId: credentials.AccessKeyId,
          secretAccessKey: credentials.SecretAccessKey,
          sessionToken: credentials.SessionToken,
          expiration: isoSeconds(credentials.Expiration),
        };
        const problem = credentialsProblem(session, now());
        if (problem !== undefined)
          throw new AwsmfaError(`STS at ${endpointOf(request)} answered credentials STS never hands out: ${problem}; nothing was printed or saved (check ${endpointAdvice(request)})`);
        onStep?.(index, session);
        signer = {accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken};
      } finally {
        client.destroy();
      }
    }
    return session!;
  } catch (error) {
    if (budget.signal.aborted || error instanceof BudgetSpentError)
      throw new AwsmfaError(`no answer from STS at ${endpointOf(request)} within ${seconds(timeoutMs)}; check ${endpointAdvice(request)} (--timeout gives it longer)`, 1, {cause: error});
    const described = describeStsError(error, {...request, roleArn: step?.roleArn, signedBy: signer.accessKeyId, signedBySession: mfaSession !== undefined || stepIndex > 0, codeSent, limits});
    const name = (error as SdkError | undefined)?.name ?? ``;
    if (mfaSession !== undefined && stepIndex === 0 && !(error instanceof AwsmfaError)) {
      const awsMessage = ((error as SdkError).message ?? ``).split(`\n`)[0]!.trim();
      if (name === `AccessDenied`)
        throw new SessionRefusedError(described, `denied`, /MultiFactorAuth/i.test(awsMessage), awsMessage);
      if (/^(InvalidClientTokenId|ExpiredToken|ExpiredTokenException|TokenRefreshRequired)$/.test(name))
        throw new SessionRefusedError(described, `invalid`, false, awsMessage);
    }
    throw described;
  } finally {
    budget.end();
  }
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: {attempts?: number, httpStatusCode?: number};
}

/** Turns what the SDK throws into one line that says what to do. Messages never carry a secret. */
export function describeStsError(error: unknown, request: SessionRequest & {signedBy?: string, signedBySession?: boolean, codeSent?: boolean, limits?: {connectMs: number, answerMs: number}}): AwsmfaError {
  if (error instanceof AwsmfaError)
    return error;
  const {code = ``, $metadata} = (error ?? {}) as SdkError;
  // The error's Code, as the endpoint sent it: shown as one line, whatever it holds.
  const name = visible((error as SdkError | undefined)?.name ?? ``);
  // The SDK's messages may run over several lines; ours are one.
  const message = ((error as SdkError | undefined)?.message ?? String(error)).split(`\n`)[0]!.trim();
  const endpoint = endpointOf(request);
  const keyId = request.signedBy ?? (isTokenSource(request.source) ? sourceOrigin(request.source) : request.source.accessKeyId);
  const fail = (text: string) => new AwsmfaError(text, 1, {cause: error});
  const attempts = $metadata?.attempts ?? MAX_ATTEMPTS;
  const tries = `${attempts} attempt${attempts === 1 ? `` : `s`}`;
  const status = $metadata?.httpStatusCode;
  // An answer lost after STS may have read the code: it may be used up, so the next one is the one to try.
  const again = request.codeSent ? `try again with the next code in a moment (STS may have used this one)` : `try again in a moment`;

  // Checked before the names: the SDK calls a dropped connection a TimeoutError.
  if (code === `ECONNRESET` || code === `EPIPE`)
    return fail(`STS at ${endpoint} closed the connection (${code}, ${tries}); check ${endpointAdvice(request)}${request.codeSent ? `; STS may have used the code: give the next one` : ``}`);
  if (/Deserialization error|XML parse error|Invalid RFC3339|Expected .* but/i.test((error as SdkError | undefined)?.message ?? ``)) {
    return status !== undefined && status >= 500
      ? fail(`STS at ${endpoint} failed (HTTP ${status}) after ${tries}; ${again}`)
      : fail(`STS at ${endpoint} answered something that is not STS's (HTTP ${status ?? `?`}, ${message.replace(/^@aws-sdk /, ``)}); is that endpoint really STS? (check ${endpointAdvice(request)})`);
  }

  if (request.signedBySession) {
    if (name === `AccessDenied` && request.roleArn !== undefined)
      return fail(`STS denied the role ${request.roleArn} to the session ${keyId}: ${message}`);
    if (/^(InvalidClientTokenId|ExpiredToken|ExpiredTokenException|TokenRefreshRequired)$/.test(name))
      return fail(`STS no longer accepts the session ${keyId} (${name}): it expired or was revoked; run again with --force and a new code`);
  }

  switch (name) {
    case `AccessDenied`:
      if (/MultiFactorAuthentication/i.test(message))
        return new CodeRefusedError(`STS rejected the MFA code for ${request.serialNumber}: it is wrong, expired or already used (AWS takes a code once); wait for the next code and try again`, {cause: error});
      if (/session credentials/i.test(message))
        return fail(`STS refused: the keys from ${sourceOrigin(request.source)} are session credentials; use the profile that holds your long-term access keys`);
      if (request.roleArn !== undefined)
        return fail(`STS denied ${keyId} the role ${request.roleArn}: ${message}`);
      return fail(`STS denied GetSessionToken for ${keyId}: ${message}`);
    case `InvalidClientTokenId`:
      return fail(`STS does not know access key ${keyId} (from ${sourceOrigin(request.source)}): it was deleted, deactivated or mistyped; check aws_access_key_id`);
    case `SignatureDoesNotMatch`:
      return fail(`STS rejected the signature of ${keyId}: the secret access key from ${sourceOrigin(request.source)} does not match that key id; check aws_secret_access_key`);
    case `ExpiredToken`:
    case `ExpiredTokenException`:
    case `TokenRefreshRequired`:
      return fail(`STS says the credentials from ${sourceOrigin(request.source)} have expired; use long-term keys that are still valid`);
    case `ValidationError`:
      if (/durationSeconds/i.test(message))
        return fail(`STS refused the duration ${request.durationSeconds ?? `(default)`}: ${message}; use --duration-seconds ${request.roleArn === undefined ? `from 900 to 129600 (at most 3600 for the root user)` : `from 900 up to the role's maximum session duration (1 hour unless raised)`}`);
      return fail(`STS refused the request: ${message}`);
    case `Throttling`:
    case `ThrottlingException`:
    case `RequestLimitExceeded`:
    case `TooManyRequestsException`:
      return fail(`STS is throttling requests (still after ${tries}); wait a minute and try again`);
    case `TimeoutError`: {
      // An attempt's own limit (the budget's end is said by requestSession): to connect, or for the answer.
      const connecting = /connection/i.test(message);
      const limit = request.limits === undefined ? `` : ` within ${seconds(connecting ? request.limits.connectMs : request.limits.answerMs)}`;
      const tried = request.codeSent ? ` (one attempt: a code is sent once)` : attempts > 1 ? ` (${tries})` : ``;
      return fail(`${connecting ? `no connection to` : `no answer from`} STS at ${endpoint}${limit}${tried}; check ${endpointAdvice(request)}`);
    }
  }
  if (/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ERR_INVALID_URL)$/.test(code))
    return fail(`cannot connect to STS at ${endpoint} (${code}); check ${endpointAdvice(request)}`);
  if (/^(ServiceUnavailable|InternalFailure|InternalError)$/.test(name) || (status !== undefined && status >= 500))
    return fail(`STS at ${endpoint} failed (${name && name !== `Error` ? name : `HTTP ${status}`}) after ${tries}; ${again}`);
  return fail(`STS at ${endpoint} answered ${name || `an error`}: ${message}`);
}

/**
 * A federation token (STS GetFederationToken) for the console of an IAM user without a role: signed by the
 * long-term keys, as it must be, and so WITHOUT the MFA context (AWS takes no code with this call): whatever an
 * MFA policy denies without MFA, this session is denied too. The policy passed is "everything", which AWS
 * intersects with the user's own policies (without one the session could do nothing). Checked as any session is.
 */
export async function federationToken(keys: Keys, where: Where, name: string, durationSeconds: number | undefined, timeoutMs: number): Promise<SessionCredentials> {
  return oneCall(keys, where, timeoutMs, {action: `GetFederationToken`, log: () => {}}, async ({sts, client, signal, endpoint}) => {
    const policy = JSON.stringify({Version: `2012-10-17`, Statement: [{Effect: `Allow`, Action: `*`, Resource: `*`}]});
    const answer = await client.send(new sts.GetFederationTokenCommand({Name: name, Policy: policy, ...durationSeconds === undefined ? {} : {DurationSeconds: durationSeconds}}), {abortSignal: signal});
    const credentials = answer.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !(credentials.Expiration instanceof Date) || Number.isNaN(credentials.Expiration.getTime()))
      throw new AwsmfaError(`STS at ${endpoint} answered without credentials; is that endpoint really STS? (check ${endpointAdvice(where)})`);
    const session = {accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken, expiration: isoSeconds(credentials.Expiration)};
    const problem = credentialsProblem(session, new Date());
    if (problem !== undefined)
      throw new AwsmfaError(`STS at ${endpoint} answered credentials STS never hands out: ${problem} (check ${endpointAdvice(where)})`);
    return session;
  });
}
