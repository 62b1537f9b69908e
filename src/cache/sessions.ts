import {homedir} from 'node:os';
import {cacheLocationFor} from '../contract.js';
import {basename, join} from 'node:path';
import * as t from 'typanion';
import type {Env} from '../env.js';
import {ACCESS_KEY_ID_PATTERN, credentialsProblem, ISO_TIME_PATTERN, SECRET_TEXT_PATTERN, type SessionCredentials} from '../aws/credentials.js';
import {isTokenSource, type SessionRequest} from '../request.js';
import type {AwsmfaContext} from '../context.js';
import {formatSpan} from '../time.js';
import {ForeignFileError, openPrivateFolder, readPrivateFile, removeOwnFiles, writeOwnFile, type CacheFolderKind, type CacheLocation, type PrivateFolder} from '../private-folder.js';

/** For a caller that wants no notes of the steps (the fast path, a listing of every profile). */
const silent = (): void => {};

/**
 * The session cache: one JSON file per (source access key, MFA device, role), mode 0600 in a 0700 folder,
 * written atomically (temporary file, then rename) so a reader sees the old file or the new one, never half.
 * Whatever is read back is validated; a corrupt, truncated or foreign file counts as no file.
 */

/** An ISO 8601 time (`2026-11-24T06:15:00Z`) that is a real time: also for the AWS CLI's token files (src/sources/). */
export const isIsoDate = t.cascade(t.isString(), [t.makeValidator<string>({
  test: (value, state) => {
    if (ISO_TIME_PATTERN.test(value) && !Number.isNaN(Date.parse(value)))
      return true;
    state?.errors?.push(`${state.p ?? `.`}: expected an ISO 8601 date and time`);
    return false;
  },
})]);

const isCachedSession = t.isObject({
  version: t.isLiteral(1),
  profile: t.isString(),
  sourceAccessKeyId: t.isString(),
  serialNumber: t.isString(),
  role: t.isOptional(t.isString()),
  createdAt: isIsoDate,
  // The same shapes as a fresh answer of STS: a file edited by someone else must not smuggle in shell code.
  credentials: t.isObject({
    accessKeyId: t.cascade(t.isString(), [t.matchesRegExp(ACCESS_KEY_ID_PATTERN)]),
    secretAccessKey: t.cascade(t.isString(), [t.matchesRegExp(SECRET_TEXT_PATTERN)]),
    sessionToken: t.cascade(t.isString(), [t.matchesRegExp(SECRET_TEXT_PATTERN)]),
    expiration: isIsoDate,
  }),
});

export type CachedSession = t.InferType<typeof isCachedSession>;

export interface SessionKey {
  readonly sourceAccessKeyId: string;
  readonly serialNumber: string;
  readonly role?: string | undefined;
}

/** `$AWSMFA_CACHE_DIR`, else the platform's cache folder (`$XDG_CACHE_HOME/awsmfa` on Linux). */
export function cacheDir(env: Env): CacheLocation {
  return cacheLocationFor(env, process.platform, homedir());
}

/**
 * A folder of the cache (the root for ``), checked for writing and deleting by the one private-folder primitive:
 * made when missing with `create`, else undefined when missing; UnsafeFolderError when awsmfa must not use it.
 */
export function cacheFolder(env: Env, kind: CacheFolderKind, create: boolean): PrivateFolder | undefined {
  return openPrivateFolder(cacheDir(env), kind, create);
}

/**
 * The cache folders as `clear` finds them: one line (UnsafeFolderError) for the first that awsmfa must not touch,
 * so that a clear never reports success over sessions it could not reach; and the stale temporary files of every
 * folder removed (a killed writer's may hold a whole session).
 */
export function checkCacheFolders(env: Env): void {
  for (const kind of [``, `profiles`, `index`, `v8`] as const)
    removeOwnFiles(cacheFolder(env, kind, false), /(?!)/, () => false);
}

/**
 * 64-bit FNV-1a, in hex. The file name only has to tell sessions apart (what is read back is checked against the
 * key anyway), and loading node:crypto would cost every new terminal a few milliseconds.
 */
export function fnv1a64(text: string): string {
  // In two 32-bit halves: BigInt arithmetic cost a new terminal most of a millisecond. The prime is 2^40 + 0x1b3,
  // so hash * prime = hash * 0x1b3 + (hash << 40); every intermediate stays below 2^53, exact in a double.
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (const byte of Buffer.from(text, `utf8`)) {
    low = (low ^ byte) >>> 0;
    const lowProduct = low * 0x1b3;
    const carry = Math.floor(lowProduct / 0x1_0000_0000);
    high = (high * 0x1b3 + (low * 256) % 0x1_0000_0000 + carry) % 0x1_0000_0000;
    low = lowProduct % 0x1_0000_0000;
  }
  return high.toString(16).padStart(8, `0`) + low.toString(16).padStart(8, `0`);
}

/** A key as one text, for comparing keys and naming their files. */
export function keyText(key: SessionKey): string {
  return [key.sourceAccessKeyId, key.serialNumber, key.role ?? ``].join(`\0`);
}

export function sessionFile(dir: string, key: SessionKey): string {
  return join(dir, `session-${fnv1a64(keyText(key))}.json`);
}

/** The cached session at `file` when it is valid and belongs to `key`; else undefined, with the reason logged. */
export function readSession(file: string, key: SessionKey, log: (message: string) => void = silent): CachedSession | undefined {
  let text: string;
  try {
    // Only a file of ours that no one else can write: in a shared AWSMFA_CACHE_DIR, someone else's file could
    // hand us their credentials.
    const bytes = readPrivateFile(file);
    if (bytes === undefined)
      return undefined;
    text = bytes.toString(`utf8`);
  } catch (error) {
    log(error instanceof ForeignFileError ? `ignoring the cached session ${file}: it is not a private file of this user` : `cannot read the cached session ${file}: ${(error as Error).message}`);
    return undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    log(`ignoring the cached session ${file}: not JSON (it will be replaced)`);
    return undefined;
  }
  const errors: string[] = [];
  if (!isCachedSession(data, {errors})) {
    log(`ignoring the cached session ${file}: ${errors[0] ?? `unexpected shape`} (it will be replaced)`);
    return undefined;
  }
  if (keyText(data) !== keyText(key)) {
    log(`ignoring the cached session ${file}: it belongs to other keys or another device`);
    return undefined;
  }
  return data;
}

/** Time left before the session expires, in milliseconds (negative once expired). */
export function remainingMs(credentials: Pick<SessionCredentials, `expiration`>, now: Date): number {
  return Date.parse(credentials.expiration) - now.getTime();
}

export function writeSession(location: CacheLocation, session: CachedSession): string {
  const file = sessionFile(location.dir, session);
  return writeOwnFile(openPrivateFolder(location, ``, true)!, basename(file), `${JSON.stringify(session, null, 2)}\n`);
}

/**
 * Deletes the files of a cache folder whose names are awsmfa's own there and match `pattern`, and whose text `which`
 * picks (a file that cannot be read is left alone); returns how many. A folder awsmfa must not use (a link, another
 * user's) counts as empty: nothing is deleted through it. Stale temporary files go too. The one sweep of the cache
 * folders, for sessions, devices and profile files.
 */
export function removeMatching(folder: PrivateFolder | undefined | (() => PrivateFolder | undefined), pattern: RegExp, which: (text: string, name: string) => boolean): number {
  let checked: PrivateFolder | undefined;
  try {
    checked = typeof folder === `function` ? folder() : folder;
  } catch {
    return 0;
  }
  return removeOwnFiles(checked, pattern, (name, bytes) => which(bytes().toString(`utf8`), name));
}

/** The JSON of a cache file, or undefined when it is none. */
export const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Deletes every valid cached session that `which` picks; returns how many. */
export function forgetSessions(location: CacheLocation, which: (session: CachedSession) => boolean): number {
  return removeMatching(() => openPrivateFolder(location, ``, false), /^session-[0-9a-f]{16}\.json$/, text => {
    const data = parsed(text);
    return isCachedSession(data) && which(data);
  });
}

/**
 * What a cached session belongs to: the keys that signed for it (for a token source, the session it comes from:
 * `login:<login_session>`, `sso:<sso-session or start URL>:<account>:<role name>`), the MFA device, and the role if any.
 */
export function sessionKey(request: SessionRequest): SessionKey {
  const {source} = request;
  const sourceAccessKeyId = !isTokenSource(source) ? source.accessKeyId
    : source.kind === `login` ? `login:${source.session}` : `sso:${source.sessionName ?? source.startUrl}:${source.accountId}:${source.roleName}`;
  // A chain is known by all its roles; one role by its ARN alone.
  return {sourceAccessKeyId, serialNumber: request.serialNumber, role: request.roles.length === 0 ? undefined : request.roles.map(step => step.roleArn).join(` > `)};
}

/** The cached session of the request while it has more than `minRemainingMs` left. */
export function cachedCredentials(request: SessionRequest, minRemainingMs: number, context: Pick<AwsmfaContext, `env` | `now`> & Partial<Pick<AwsmfaContext, `log`>>): SessionCredentials | undefined {
  return cachedCredentialsFor(sessionKey(request), minRemainingMs, context, context.log);
}

/** The cached session of this key while it has more than `minRemainingMs` left. */
export function cachedCredentialsFor(key: SessionKey, minRemainingMs: number, context: Pick<AwsmfaContext, `env` | `now`>, log: (message: string) => void = silent): SessionCredentials | undefined {
  const file = sessionFile(cacheDir(context.env).dir, key);
  const cached = readSession(file, key, log);
  if (!cached)
    return undefined;
  const left = remainingMs(cached.credentials, context.now());
  const problem = left > 0 ? credentialsProblem(cached.credentials, context.now()) : undefined;
  if (problem !== undefined) {
    log(`ignoring the cached session ${file}: ${problem} (it will be replaced)`);
    return undefined;
  }
  if (left > minRemainingMs) {
    log(`using the cached session ${cached.credentials.accessKeyId} from ${file}, ${formatSpan(left)} left`);
    return cached.credentials;
  }
  log(`the cached session has ${formatSpan(left)} left, not more than the margin of ${formatSpan(minRemainingMs)}: asking for a new one`);
  return undefined;
}

/**
 * What keeps each new session in the cache (unless `cache` is false, --no-cache), under its key: a request's session,
 * and each role of a chain under its own key, as the profile that names only that role would find it. A session
 * that cannot be cached still works: a warning says so.
 */
export function sessionKeeper(profile: string, cache: boolean, context: Pick<AwsmfaContext, `env` | `now` | `log` | `warn`>): (key: SessionKey, credentials: SessionCredentials) => void {
  const location = cacheDir(context.env);
  return (key, credentials) => {
    if (!cache)
      return;
    try {
      context.log(`cached the session in ${writeSession(location, {version: 1, profile, ...key, createdAt: context.now().toISOString(), credentials})}`);
    } catch (error) {
      context.warn(`warning: the session works but could not be cached (${(error as Error).message}); the next terminal will need a code`);
    }
  };
}
