import type {SessionCredentials} from '../aws/credentials.js';
import type {SessionRequest} from '../aws/request.js';
import {requestSession} from '../aws/sts.js';
import {obtainCode} from '../code.js';
import type {AwsmfaContext} from '../context.js';
import {cacheDir, cachedCredentials, sessionKey, writeSession} from './cache.js';

export interface ObtainOptions {
  /** A code given: always a new session (a code given is a code used). */
  code: string | undefined;
  /** Ignore the cached session. */
  force: boolean;
  /** Neither read nor write the cache. */
  cache: boolean;
  /** A cached session must have more than this left to be used. */
  minRemainingMs: number;
  /** The budget of the request to STS, retries included. */
  timeoutMs: number;
}

export interface Obtained {
  credentials: SessionCredentials;
  /** True when STS was asked; false when the session came from the cache. */
  fresh: boolean;
}

/**
 * A session for the request: the cached one while it has more than the margin left and no code was given,
 * else a new one from STS (which is then cached). Only the second path loads the AWS SDK.
 */
export async function obtainSession(request: SessionRequest, options: ObtainOptions, context: AwsmfaContext, log: (message: string) => void): Promise<Obtained> {
  if (options.cache && !options.force && options.code === undefined) {
    const cached = cachedCredentials(request, options.minRemainingMs, context, log);
    if (cached)
      return {credentials: cached, fresh: false};
  }
  const location = cacheDir(context.env);

  const code = await obtainCode(request, options.code, context.stderr, context.platform, context.env);
  const credentials = await requestSession(request, code, log, options.timeoutMs, context.now, message => context.stderr.write(`awsmfa: ${message}\n`));
  if (options.cache) {
    try {
      const file = writeSession(location, {
        version: 1,
        profile: request.profile,
        ...sessionKey(request),
        createdAt: context.now().toISOString(),
        credentials,
      });
      log(`cached the session in ${file}`);
    } catch (error) {
      context.stderr.write(`awsmfa: warning: the session works but could not be cached (${(error as Error).message}); the next terminal will need a code\n`);
    }
  }
  return {credentials, fresh: true};
}
