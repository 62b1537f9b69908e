import {readdirSync} from 'node:fs';
import {basename, join} from 'node:path';
import * as t from 'typanion';
import type {Env} from '../env.js';
import {KEY_FIELDS, credentialsProblem, isIsoDate, type SessionCredentials} from '../aws/credentials.js';
import {DEFAULT_ROLE_SECONDS, DEFAULT_SESSION_SECONDS, isTokenSource, type SessionRequest} from '../request.js';
import {formatSpan, remainingMs} from '../time.js';
import {ForeignFileError, openPrivateFolder, readPrivateFile, writeOwnFile, type CacheLocation} from '../private-folder.js';
import {cacheDir, fnv1a64, parsed, removeMatching} from './folder.js';
import {shapeProblem} from '../terminal.js';

/** For a caller that wants no notes of the steps. */
const silent = (): void => {};

/**
 * The files of the session cache: one JSON file per key (what the session was asked for: see SessionKey), mode
 * 0600 in a 0700 folder, written atomically (temporary file, then rename) so a reader sees the old file or the new
 * one, never half. Whatever is read back is validated; a corrupt, truncated or foreign file counts as no file.
 * Private to cache/: everything else reads and writes them through session-cache.ts.
 */

const isCachedSession = t.isObject({
  version: t.isLiteral(1),
  profile: t.isString(),
  sourceAccessKeyId: t.isString(),
  serialNumber: t.isString(),
  role: t.isOptional(t.isString()),
  // A session that does not say what it was asked for answers no request (its key cannot match), but is still one
  // that clear and forget remove.
  asked: t.isOptional(t.isString()),
  createdAt: isIsoDate,
  // The same shapes as a fresh answer of STS: a file edited by someone else must not smuggle in shell code.
  credentials: t.isObject({
    ...KEY_FIELDS,
    expiration: isIsoDate,
  }),
});

export type CachedSession = t.InferType<typeof isCachedSession>;

/**
 * What a cached session was asked for, all of it: a session answers a request only when the request would have asked
 * for exactly this. The principal that signed (the source access key), the MFA device, the roles of the chain (by
 * ARN, in order), and the rest of the call (`asked`): for GetSessionToken its duration, for each role its session
 * name, external id and duration, each as sent (the STS default written out when none is sent). awsmfa sends no
 * policies, tags or source identity: a session of awsmfa's carries none.
 */
export interface SessionKey {
  readonly sourceAccessKeyId: string;
  readonly serialNumber: string;
  readonly role?: string | undefined;
  readonly asked: string;
}

/** A key's fields as a cached session records them (`asked` missing in a session that says nothing of it). */
type KeyFields = Pick<SessionKey, `sourceAccessKeyId` | `serialNumber` | `role`> & {readonly asked?: string | undefined};

/** A key as one text, for comparing keys and naming their files. */
export function keyText(key: KeyFields): string {
  return [key.sourceAccessKeyId, key.serialNumber, key.role ?? ``, key.asked ?? ``].join(`\0`);
}

export function sessionFile(dir: string, key: KeyFields): string {
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
    log(`ignoring the cached session ${file}: ${shapeProblem(errors, `unexpected shape`)} (it will be replaced)`);
    return undefined;
  }
  if (keyText(data) !== keyText(key)) {
    log(`ignoring the cached session ${file}: it was asked for with other keys, device, roles or settings`);
    return undefined;
  }
  return data;
}

export function writeSession(location: CacheLocation, session: CachedSession): string {
  const file = sessionFile(location.dir, session);
  return writeOwnFile(openPrivateFolder(location, ``, true)!, basename(file), `${JSON.stringify(session, null, 2)}\n`);
}

/** Deletes every valid cached session that `which` picks; returns how many. */
export function forgetSessions(location: CacheLocation, which: (session: CachedSession) => boolean): number {
  return removeMatching(() => openPrivateFolder(location, ``, false), /^session-[0-9a-f]{16}\.json$/, text => {
    const data = parsed(text);
    return isCachedSession(data) && which(data);
  });
}

/** The key of what the request asks for (see SessionKey). */
export function sessionKey(request: SessionRequest): SessionKey {
  const asked = request.roles.length === 0
    ? `duration ${request.durationSeconds ?? DEFAULT_SESSION_SECONDS}s`
    : request.roles.map(step => `session ${step.sessionName}, external id ${step.externalId ?? `none`}, duration ${step.durationSeconds ?? DEFAULT_ROLE_SECONDS}s`).join(` > `);
  // Keys are known by their id; a token source by the session it gives (`login:<login_session>`,
  // `sso:<sso-session or start URL>:<account>:<role name>`).
  const {source} = request;
  const sourceAccessKeyId = !isTokenSource(source) ? source.accessKeyId
    : source.kind === `login` ? `login:${source.session}` : `sso:${source.sessionName ?? source.startUrl}:${source.accountId}:${source.roleName}`;
  return {sourceAccessKeyId, serialNumber: request.serialNumber, role: request.roles.length === 0 ? undefined : request.roles.map(step => step.roleArn).join(` > `), asked};
}

/** The cached session of this key while it has more than `minRemainingMs` left. */
export function cachedCredentials(key: SessionKey, minRemainingMs: number, env: Env, now: Date, log: (message: string) => void = silent): SessionCredentials | undefined {
  const file = sessionFile(cacheDir(env).dir, key);
  const cached = readSession(file, key, log);
  if (!cached)
    return undefined;
  const left = remainingMs(cached.credentials, now);
  const problem = left > 0 ? credentialsProblem(cached.credentials, now) : undefined;
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

/** What a cached session's file says it belongs to (the rest is checked when it is read for use). */
const isKeyFields = t.isPartial({sourceAccessKeyId: t.isString(), serialNumber: t.isString(), role: t.isOptional(t.isString()), asked: t.isOptional(t.isString())});

/**
 * What a cache folder holds, read once: its file names, and the keys (keyText) of its cached sessions, each from its
 * file alone (what is used is checked when it is read). Undefined when the folder cannot be listed.
 */
export function surveyFolder(dir: string): {names: ReadonlySet<string>, keys: ReadonlySet<string>} | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === `ENOENT` ? {names: new Set(), keys: new Set()} : undefined;
  }
  const keys = new Set<string>();
  for (const name of names.filter(name => /^session-[0-9a-f]{16}\.json$/.test(name))) {
    try {
      const data = parsed(readPrivateFile(join(dir, name))?.toString(`utf8`) ?? ``);
      if (isKeyFields(data) && data.sourceAccessKeyId !== undefined && data.serialNumber !== undefined)
        keys.add(keyText({sourceAccessKeyId: data.sourceAccessKeyId, serialNumber: data.serialNumber, role: data.role, asked: data.asked}));
    } catch {}
  }
  return {names: new Set(names), keys};
}
