import type {SessionCredentials} from '../aws/credentials.js';
import {AwsFiles} from '../aws-files/files.js';
import {resolveRequest} from '../aws-files/resolve.js';
import {servedLine} from '../contract.js';
import type {Env} from '../env.js';
import {mfaSessionRequest} from '../request.js';
import {cacheDir} from './folder.js';
import type {Stamps} from './profile-index.js';
import {cachedCredentials, keyText, readSession, sessionFile, sessionKey, surveyFolder, writeSession, type CachedSession, type SessionKey} from './sessions.js';
import {forgetExpiredAfterFailure, forgetQuickFiles, forgetSessionsAndFiles, writeQuickFile} from './shell-files.js';

export {sessionKey, type CachedSession, type SessionKey};

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

export interface RetrieveOptions extends ServeOptions {
  /** Serve a cached session (no --force, no code given, the cache on). */
  readonly read: boolean;
  /** Keep what is obtained (the cache on: no --no-cache). */
  readonly write: boolean;
}

/** What an obtainer gives (session/obtain.ts's obtainSession): the request's session, new from STS. */
export interface Obtained {
  credentials: SessionCredentials;
  /** True when STS was asked; false when the session came from the cache. */
  fresh: boolean;
  /** A role assumed from a cached MFA session: no code was needed. */
  fromCachedMfaSession?: boolean;
}

/** Where the cache says what it did: --verbose steps, and what the person must know. */
interface CacheNotes {
  readonly log: (message: string) => void;
  readonly warn: (message: string) => void;
}

const silent: CacheNotes = {log: () => {}, warn: () => {}};

/**
 * The session cache, and the one way to it: every read and every write of a cached session goes through here (the
 * fast path, every command, and obtain.ts for the sessions it makes on the way), and so does every shells' file.
 * `retrieve` is written once around whatever obtains a session, as aws-vault's CachedSessionProvider: the request's
 * cached session, else the obtainer's, kept under the request's key. A cached session answers a request only when
 * its key is the request's (sessions.ts's SessionKey: the same principal, MFA device, roles, session names, external
 * ids and duration asked), so no profile is served a session another asked for differently. The fast path and
 * `env` serve through the same `serve`, so they cannot disagree on which session is served or on when the shells'
 * file is written.
 */
export class SessionCache {
  constructor(private readonly env: Env, private readonly now: () => Date, private readonly notes: CacheNotes = silent) {}

  /** The cached session of `key` while it has more than `minRemainingMs` left (nothing else is written). */
  session(key: SessionKey, minRemainingMs: number): SessionCredentials | undefined {
    return cachedCredentials(key, minRemainingMs, this.env, this.now(), this.notes.log);
  }

  /** The cached session of `key` as it is, expired or not (`status` shows it either way). */
  peek(key: SessionKey): CachedSession | undefined {
    return readSession(sessionFile(cacheDir(this.env).dir, key), key, this.notes.log);
  }

  /**
   * What the cache folder holds, read once, for a caller that asks about many requests (`profiles` of 10,000
   * profiles): the names of its files, and `holds(key)`, false only when no session of that key is cached, so that
   * a session is read only when it is there. Undefined when the folder cannot be listed: then ask each as usual.
   */
  survey(): {names: ReadonlySet<string>, holds: (key: SessionKey) => boolean} | undefined {
    const found = surveyFolder(cacheDir(this.env).dir);
    return found && {names: found.names, holds: key => found.keys.has(keyText(key))};
  }

  /**
   * The request's cached session, when one is usable (see session), with the shells' file of a plain request kept in
   * step; undefined when nothing usable is cached.
   */
  serve(request: CachedRequest, options: ServeOptions): SessionCredentials | undefined {
    const credentials = this.session(request.key, options.minRemainingMs);
    if (credentials !== undefined)
      this.keepShellFile(request, credentials, options);
    return credentials;
  }

  /**
   * The request's session: served from the cache (with `read`), else obtained by `obtain` and kept under the
   * request's key (with `write`), and the shells' file of a plain request written. A failed obtain (a wrong code, no
   * network) leaves what still works: only what has expired goes (see forgetExpiredAfterFailure).
   */
  async retrieve(request: CachedRequest, options: RetrieveOptions, obtain: () => Promise<Obtained>): Promise<Obtained> {
    const served = options.read ? this.serve(request, options) : undefined;
    if (served !== undefined)
      return {credentials: served, fresh: false};
    let obtained: Obtained;
    try {
      obtained = await obtain();
    } catch (error) {
      forgetExpiredAfterFailure(this.env, request.key, request.profile, this.now());
      throw error;
    }
    if (options.write) {
      this.keep(request.key, request.profile, obtained.credentials);
      this.keepShellFile(request, obtained.credentials, options);
    }
    return obtained;
  }

  /** Keeps a session under its key. A session that cannot be kept still works: said, not thrown. */
  keep(key: SessionKey, profile: string, credentials: SessionCredentials): void {
    try {
      this.notes.log(`cached the session in ${writeSession(cacheDir(this.env), {version: 1, profile, ...key, createdAt: this.now().toISOString(), credentials})}`);
    } catch (error) {
      this.notes.warn(`warning: the session works but could not be cached (${(error as Error).message}); the next terminal will need a code`);
    }
  }

  /**
   * Deletes the cached sessions `which` picks, and every shells' file holding one of them (and `profile`'s own), so no
   * `mfa` takes a session meant to be forgotten; returns the sessions that went.
   */
  forget(which: (session: CachedSession) => boolean, profile?: string): CachedSession[] {
    return forgetSessionsAndFiles(this.env, which, profile);
  }

  /** Deletes the cached session of `key` (and the shells' files that hold it). */
  forgetKey(key: SessionKey): CachedSession[] {
    return this.forget(session => keyText(session) === keyText(key));
  }

  /**
   * Deletes the sessions `profile` uses, and no other: its own (each role of its chain, as its settings ask for it)
   * and the MFA session its roles are assumed from, found by their keys; and any written for it by name (when its
   * config can no longer be read). A session another profile asked for differently (another duration, session name,
   * external id) stays.
   */
  forgetProfile(profile: string): CachedSession[] {
    const keys: string[] = [];
    try {
      const request = resolveRequest(AwsFiles.load(this.env), {profile}, this.env);
      for (let length = 0; length <= request.roles.length; length++)
        keys.push(keyText(sessionKey(length === 0 ? mfaSessionRequest(request) : {...request, roles: request.roles.slice(0, length)})));
    } catch {}
    return this.forget(session => session.profile === profile || keys.includes(keyText(session)), profile);
  }

  /** Deletes every cached session and every shells' file. */
  forgetAll(): CachedSession[] {
    const forgotten = this.forget(() => true);
    forgetQuickFiles(this.env, () => true);
    return forgotten;
  }

  /** The shells' file of the profile, for a session served or just obtained: only for a plain request whose files were stamped. */
  private keepShellFile(request: CachedRequest, credentials: SessionCredentials, options: Pick<ServeOptions, `stamps` | `plain`>): void {
    if (options.plain && options.stamps !== undefined)
      writeQuickFile(this.env, request.profile, credentials, request.configuredRegion, options.stamps);
  }
}

/**
 * `mfa`'s line for a session it served (the shells print the same from SERVED_FORMAT when they serve one without
 * Node), for the fast path and `env` alike; whether to print it (quiet or not) is the caller's.
 */
export function servedNote(profile: string, expiration: string, now: Date, setAside: readonly string[] = []): string {
  return servedLine(profile, (Date.parse(expiration) - now.getTime()) / 1000, setAside);
}
