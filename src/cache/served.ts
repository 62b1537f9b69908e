import type {SessionCredentials} from '../aws/credentials.js';
import type {Env} from '../env.js';
import {servedLine} from '../contract.js';
import type {Stamps} from './profile-index.js';
import {cachedCredentialsFor, type SessionKey} from './sessions.js';
import {writeQuickFile} from './shell-files.js';

/** What serving from the cache needs of a resolved request (the fast path has it from the profile index). */
export interface CachedRequest {
  readonly profile: string;
  readonly key: SessionKey;
  readonly configuredRegion: string | undefined;
}

export interface ServeOptions {
  /** A cached session must have more than this left to be served. */
  readonly minRemainingMs: number;
  /** The AWS files' stamps, taken before they were read: what the shells' file vouches for. */
  readonly stamps: Stamps | undefined;
  /** Whether the session is the profile's own as `mfa` with no option would get it (keys from files, no option that changes it). */
  readonly plain: boolean;
}

/**
 * The one cached answer, written once around whatever obtains a session (as aws-vault's CachedSessionProvider):
 * the fast path and `env` both serve a cached session through here, so they cannot disagree on which session is
 * served or on when the shells' file is written. Undefined when nothing usable is cached: the caller asks STS.
 */
export function serveCached(request: CachedRequest, options: ServeOptions, env: Env, now: () => Date, log: (message: string) => void): SessionCredentials | undefined {
  const credentials = cachedCredentialsFor(request.key, options.minRemainingMs, {env, now}, log);
  if (credentials !== undefined)
    keepShellFile(request, credentials, options, env);
  return credentials;
}

/** The shells' file of the profile, for a session served or just obtained: only for a plain request whose files were stamped. */
export function keepShellFile(request: CachedRequest, credentials: SessionCredentials, options: Pick<ServeOptions, `stamps` | `plain`>, env: Env): void {
  if (options.plain && options.stamps !== undefined)
    writeQuickFile(env, request.profile, credentials, request.configuredRegion, options.stamps);
}

/**
 * `mfa`'s line for a session it served (the shells print the same from SERVED_FORMAT when they serve one without
 * Node), for the fast path and `env` alike; whether to print it (quiet or not) is the caller's.
 */
export function servedNote(profile: string, expiration: string, now: Date, setAside: readonly string[] = []): string {
  return servedLine(profile, (Date.parse(expiration) - now.getTime()) / 1000, setAside);
}
