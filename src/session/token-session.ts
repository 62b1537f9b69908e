import type {SessionCredentials} from '../aws/credentials.js';
import {endpointOf, requestSession as callSts, SessionRefusedError, type CallOptions} from '../aws/sts.js';
import {sessionKey, type Obtained} from '../cache/session-cache.js';
import type {AwsmfaContext} from '../context.js';
import {ConfigError} from '../errors.js';
import {withProgress} from '../io/progress.js';
import {mfaSessionRequest, sourceOrigin, type TokenRequest, type TokenSource} from '../request.js';
import type {SourceSession} from '../sources/login.js';
import {obtainCode} from './mfa-code.js';
import type {ObtainOptions} from './obtain.js';

/**
 * The session of a token source, from its service: an `aws login` session (the AWS CLI's login cache, refreshed
 * through sign-in when it has too little left) or an Identity Center role's (GetRoleCredentials). The modules that
 * speak to those services (and node:crypto's DPoP signing) are loaded here, and only when a session is needed that
 * awsmfa's cache cannot serve.
 */
async function fromSource(source: TokenSource, options: ObtainOptions, context: AwsmfaContext): Promise<SourceSession> {
  const sourceOptions = {env: context.env, now: context.now, minRemainingMs: options.minRemainingMs, force: options.force, timeoutMs: options.timeoutMs, log: context.log, warn: context.warn};
  const work = source.kind === `login`
    ? import(`../sources/login.js`).then(module => module.loginSession(source, sourceOptions))
    : import(`../sources/sso.js`).then(module => module.ssoSession(source, sourceOptions));
  return await withProgress(context.stderr, `asking ${source.kind === `login` ? `sign-in` : `IAM Identity Center`} for the session of profile '${source.profile}'...`, !context.quiet, work);
}

/**
 * A session of a profile whose credentials come from a token source, and the roles assumed from it: the source's
 * session (awsmfa's cached copy while it has more than the margin left, else from the source, then cached), then
 * each role of the chain signed by the session before it, an MFA code going only with a role whose profile names a
 * device (as botocore sends it). A cached source session that STS no longer takes (the sign-in was ended, a role
 * revoked) is dropped and taken again from its source, once.
 */
export async function obtainTokenSession(request: TokenRequest, options: ObtainOptions, context: AwsmfaContext): Promise<Obtained> {
  const needsCode = request.roles.some(step => step.mfa);
  if (options.code !== undefined && !needsCode)
    throw new ConfigError(`profile '${request.profile}' takes no MFA code: its session comes from ${sourceOrigin(request.source)}, whose sign-in was the MFA`);
  if (request.roles.length === 0) {
    // The request's own session: the cache's retrieve serves it before and keeps it after.
    const session = await fromSource(request.source, options, context);
    return {credentials: session.credentials, fresh: session.fresh};
  }

  // The source's session the roles are assumed from: cached, as the profile of the source would find it.
  const base = mfaSessionRequest(request);
  const baseKey = sessionKey(base);
  const fromItsSource = async (force: boolean) => {
    const session = await fromSource(request.source, {...options, force}, context);
    options.cache?.keep(baseKey, base.profile, session.credentials);
    return session.credentials;
  };
  const cached = options.force ? undefined : options.cache?.session(baseKey, options.minRemainingMs);
  const signer = cached ?? await fromItsSource(false);
  const code = needsCode ? await obtainCode(request, options.code, context) : undefined;
  // Every role of a chain before the last is kept under its own key; the last is the request's, which the caller keeps.
  const keepSteps = (index: number, credentials: SessionCredentials) => {
    if (index < request.roles.length - 1)
      options.cache?.keep(sessionKey({...request, roles: request.roles.slice(0, index + 1)}), request.profile, credentials);
  };
  const call: CallOptions = {code, log: context.log, timeoutMs: options.timeoutMs, now: context.now, warn: context.warn, onStep: keepSteps};
  const assume = (session: SessionCredentials) =>
    withProgress(context.stderr, `asking STS at ${endpointOf(request)} for the role ${request.roleArn}...`, !context.quiet, callSts(request, {...call, mfaSession: session}));
  try {
    return {credentials: await assume(signer), fresh: true};
  } catch (error) {
    if (!(error instanceof SessionRefusedError) || error.reason !== `invalid` || cached === undefined || code !== undefined)
      throw error;
    // A copy STS no longer takes: gone (and from the shells' files), and the source asked again.
    options.cache?.forgetKey(baseKey);
    context.warn(`the cached session of ${sourceOrigin(request.source)} is no longer valid at AWS: asking for a new one`);
    return {credentials: await assume(await fromItsSource(true)), fresh: true};
  }
}
