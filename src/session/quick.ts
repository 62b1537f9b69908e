import {readFileSync, statSync, unlinkSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {sessionAssignments, type SessionCredentials} from '../aws/credentials.js';
import {configPath, credentialsPath, type Env} from '../aws/files.js';
import {ensurePrivateDir, writePrivateFile} from '../private-file.js';
import {cacheDir, forgetSessions, removeMatching, type CachedSession} from './cache.js';
import {newestChange, type Stamps} from './profile-index.js';

/**
 * The per-profile session files that let `mfa` in bash, zsh and fish take a cached session without starting
 * Node: `<cache>/profiles/<profile>.env`, `NAME=value` lines the shell reads with its builtins (never source or
 * eval) and accepts only for the names below. awsmfa writes one whenever it obtains or serves a session for a
 * profile asked for by name alone (no option that changes the session), and removes it on unset --forget, clear,
 * logout and a failed refresh. The shell trusts it only while it is this user's, not expired (5 minutes of
 * margin) and newer than both AWS files; anything else goes to awsmfa as before.
 */

/** Profile names a shell can turn into a file name with a pattern match alone. */
const QUICK_PROFILE_PATTERN = /^[A-Za-z0-9_.@+-]{1,128}$/;

function quickDir(env: Env): string {
  return join(cacheDir(env).dir, `profiles`);
}

function quickFile(env: Env, profile: string): string | undefined {
  return QUICK_PROFILE_PATTERN.test(profile) ? join(quickDir(env), `${profile}.env`) : undefined;
}

/**
 * The file's text: the expiry in epoch seconds and the two AWS files it was resolved from (a shell whose
 * AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE or HOME names others must not take it), then what `env` sets, and
 * the region it would export.
 */
export function quickText(env: Env, credentials: SessionCredentials, profile: string, configuredRegion: string | undefined): string {
  const lines = [`AWSMFA_EXPIRES=${Math.floor(Date.parse(credentials.expiration) / 1000)}`, `AWSMFA_CONFIG_FILE=${configPath(env)}`, `AWSMFA_CREDENTIALS_FILE=${credentialsPath(env)}`, ...sessionAssignments(credentials, profile).map(([name, value]) => `${name}=${value}`)];
  if (configuredRegion !== undefined)
    lines.push(`AWSMFA_CONFIGURED_REGION=${configuredRegion}`);
  return `${lines.join(`\n`)}\n`;
}

/**
 * Writes the profile's file unless it already holds exactly this and is newer than both AWS files (the shells'
 * test), given their `stamps` as the caller took them. The folder is made 0700 and kept so, the file 0600 and
 * replaced atomically. Failing to write only costs speed.
 */
export function writeQuickFile(env: Env, profile: string, credentials: SessionCredentials, configuredRegion: string | undefined, stamps: Stamps): void {
  const file = quickFile(env, profile);
  if (file === undefined)
    return;
  const text = quickText(env, credentials, profile, configuredRegion);
  try {
    if (readFileSync(file, `utf8`) === text && statSync(file).mtimeMs > newestChange(stamps))
      return;
  } catch {}
  try {
    ensurePrivateDir(dirname(file), true);
    writePrivateFile(file, text);
  } catch {}
}

/** Removes the profile's file (a failed refresh, unset --forget). */
export function removeQuickFile(env: Env, profile: string): void {
  const file = quickFile(env, profile);
  if (file === undefined)
    return;
  try {
    unlinkSync(file);
  } catch {}
}

/** Removes the files `which` picks (all, a profile's, or those holding a session's key); returns how many. */
export function forgetQuickFiles(env: Env, which: (profile: string, accessKeyId: string | undefined) => boolean): number {
  return removeMatching(quickDir(env), /\.env$/, (text, name) => which(name.slice(0, -4), /^AWS_ACCESS_KEY_ID=(.*)$/m.exec(text)?.[1]));
}

/**
 * Deletes the cached sessions `which` picks, and the profile files that hold one of them (and `profile`'s own), so
 * no `mfa` takes a session that was meant to be forgotten. Returns how many sessions went.
 */
export function forgetSessionsAndFiles(env: Env, which: (session: CachedSession) => boolean, profile?: string): number {
  const forgotten: string[] = [];
  const count = forgetSessions(cacheDir(env).dir, session => {
    const picked = which(session);
    if (picked)
      forgotten.push(session.credentials.accessKeyId);
    return picked;
  });
  forgetQuickFiles(env, (name, keyId) => name === profile || (keyId !== undefined && forgotten.includes(keyId)));
  return count;
}
