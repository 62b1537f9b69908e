import {closeSync, constants, fstatSync, futimesSync, lstatSync, openSync, statSync, unlinkSync} from 'node:fs';
import {basename, join} from 'node:path';
import {sessionAssignments, type SessionCredentials} from '../aws/credentials.js';
import {configPath, credentialsPath} from '../aws-files/files.js';
import type {Env} from '../env.js';
import {readPrivateFile, removeOwnFiles, writeOwnFile, type PrivateFolder} from '../private-folder.js';
import {cacheDir, cacheFolder, removeMatching} from './folder.js';
import {forgetSessions, keyText, type CachedSession, type SessionKey} from './sessions.js';
import {remainingMs} from '../time.js';
import type {Stamps} from './profile-index.js';
import {QUICK_PROFILE, SHELL_FILES} from '../contract.js';

/**
 * The per-profile session files that let `mfa` in bash, zsh and fish take a cached session without starting
 * Node: `<cache>/profiles/<profile>.env`, `NAME=value` lines the shell reads with its builtins (never source or
 * eval) and accepts only for the names below. awsmfa writes one whenever it obtains or serves a session for a
 * profile asked for by name alone (no option that changes the session), and removes it on unset --forget, clear,
 * logout, and a failed refresh once its session has expired. The shell trusts it only while it is this user's, not
 * expired (5 minutes of margin) and both AWS files are as they were when the session was resolved from them;
 * anything else goes to awsmfa itself.
 *
 * "As they were" is what the Node path checks (profile-index.ts: size, mtime, ctime, inode, or absent), in what
 * each shell can read without a fork. The file records each AWS file as `size:inode:mtimeNs:ctimeNs` (`-` when
 * absent): zsh compares all four with zstat. bash and fish have no stat, only `test -nt`/`-ot` (nanoseconds), so
 * awsmfa leaves two empty stamp files per AWS file, `<profile>.config.<mtimeNs>.lo` and `.hi`, whose mtimes lie
 * just below and just above the AWS file's (Node's utimes cannot set an exact nanosecond; the margin is 2 µs, 1 s
 * on a filesystem of whole seconds), and the shell accepts only a file newer than the first and older than the
 * second: a file restored with another mtime (cp -p, tar, rsync of an older config), deleted, created or replaced
 * by a rename is seen. What bash and fish cannot see is an edit whose mtime was put back to the very microsecond.
 */


/** The margins tried for the stamps around an AWS file's mtime: 2 µs, then 1 s for filesystems of whole seconds. */
const STAMP_MARGINS_NS = [2_000n, 1_000_000_000n];

/** A stamp another writer may still be using is left for a minute; older ones of the profile are swept. */
const STAMP_SWEEP_MS = 60_000;

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

type AwsFile = `config` | `credentials`;

function quickDir(env: Env): string {
  return join(cacheDir(env).dir, SHELL_FILES.folder);
}

function quickFile(env: Env, profile: string): string | undefined {
  return QUICK_PROFILE_PATTERN.test(profile) ? join(quickDir(env), `${profile}${SHELL_FILES.extension}`) : undefined;
}

/** Profile names a shell can turn into a file name with a pattern match alone (the contract's rule). */
const QUICK_PROFILE_PATTERN = new RegExp(`^[${QUICK_PROFILE.characters}]{1,${QUICK_PROFILE.maxLength}}$`);

/** A stamp file's name: the profile, which AWS file, its mtime in ns, and which side. */
const STAMP_NAME = new RegExp(`^([${QUICK_PROFILE.characters}]{1,${QUICK_PROFILE.maxLength}})\\.(?:config|credentials)\\.\\d{1,20}\\.(?:lo|hi)$`);

/** A file's mtime or ctime in ms exactly as Node's statSync reports it (sec * 1e3 + nsec / 1e6). */
function msOf(ns: bigint): number {
  return Number(ns / 1_000_000_000n) * 1e3 + Number(ns % 1_000_000_000n) / 1e6;
}

/** The same from the digits of a record, without BigInt (the common case of a new terminal reads two records). */
function msOfDigits(ns: string): number {
  return Number(ns.slice(0, -9) || `0`) * 1e3 + Number(ns.slice(-9)) / 1e6;
}

/**
 * How the file is recorded for the shells, `size:inode:mtimeNs:ctimeNs` or `-` for absent, from a stat with
 * nanoseconds; undefined when that stat does not agree with `stamp` (taken before the file was read): it changed
 * since, and a record of it now would vouch for text the session was not resolved from.
 */
function exactStat(path: string, stamp: Stamps[AwsFile]): string | undefined {
  let stat;
  try {
    stat = statSync(path, {bigint: true});
  } catch {
    return stamp === null ? `-` : undefined;
  }
  if (stamp === null)
    return undefined;
  const same = Number(stat.size) === stamp[0] && msOf(stat.mtimeNs) === stamp[1] && msOf(stat.ctimeNs) === stamp[2] && Number(stat.ino) === stamp[3];
  return same ? `${stat.size}:${stat.ino}:${stat.mtimeNs}:${stat.ctimeNs}` : undefined;
}

/** Whether a recorded `size:inode:mtimeNs:ctimeNs` (or `-`) describes the file `stamp` describes. */
function agrees(record: string, stamp: Stamps[AwsFile]): boolean {
  if (record === `-` || stamp === null)
    return record === `-` && stamp === null;
  const fields = /^(\d{1,20}):(\d{1,20}):(\d{10,20}):(\d{10,20})$/.exec(record);
  return fields !== null && Number(fields[1]) === stamp[0] && msOfDigits(fields[3]!) === stamp[1] && msOfDigits(fields[4]!) === stamp[2] && Number(fields[2]) === stamp[3];
}

/**
 * The file's text: the expiry in epoch seconds, the two AWS files it was resolved from (a shell whose
 * AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE or HOME names others must not take it) and how they were then, then
 * what `env` sets, and the region it would export.
 */
export function quickText(env: Env, credentials: SessionCredentials, profile: string, configuredRegion: string | undefined, records: Record<AwsFile, string>): string {
  const lines = [`AWSMFA_EXPIRES=${Math.floor(Date.parse(credentials.expiration) / 1000)}`, `AWSMFA_CONFIG_FILE=${configPath(env)}`, `AWSMFA_CREDENTIALS_FILE=${credentialsPath(env)}`,
    `AWSMFA_CONFIG_STAT=${records.config}`, `AWSMFA_CREDENTIALS_STAT=${records.credentials}`, ...sessionAssignments(credentials, profile).map(([name, value]) => `${name}=${value}`)];
  if (configuredRegion !== undefined)
    lines.push(`AWSMFA_CONFIGURED_REGION=${configuredRegion}`);
  return `${lines.join(`\n`)}\n`;
}

/**
 * Makes an empty stamp file whose mtime is `ns` as closely as utimes can set it (on the open file: no link
 * followed, an existing name refused); returns the mtime it got.
 */
function stampAt(path: string, ns: bigint): bigint {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600);
  try {
    const seconds = Number(ns) / 1e9;
    futimesSync(fd, seconds, seconds);
    return fstatSync(fd, {bigint: true}).mtimeNs;
  } finally {
    closeSync(fd);
  }
}

function unlinkIfThere(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== `ENOENT`)
      throw error;
  }
}

/**
 * The two stamps around `mtimeNs` for bash and fish (see above), checked as the shells will read them. The upper
 * one is made first: while the lower one is missing or still has the mtime of its making, the shells refuse. Where
 * no margin works, none is left, and bash and fish go to awsmfa (zsh reads the record).
 */
function writeStamps(folder: PrivateFolder, base: string, mtimeNs: bigint): string[] {
  const lower = join(folder.path, `${base}.${mtimeNs}.lo`);
  const upper = join(folder.path, `${base}.${mtimeNs}.hi`);
  for (const margin of STAMP_MARGINS_NS) {
    unlinkIfThere(lower);
    unlinkIfThere(upper);
    if (stampAt(upper, mtimeNs + margin) > mtimeNs && stampAt(lower, mtimeNs - margin) < mtimeNs)
      return [basename(lower), basename(upper)];
  }
  unlinkIfThere(lower);
  unlinkIfThere(upper);
  return [];
}

/** Removes the profile's stamps `which` picks (by their exact names, in the checked folder). */
function sweepStamps(folder: PrivateFolder | undefined, which: (name: string, profile: string) => boolean): void {
  removeOwnFiles(folder, STAMP_NAME, name => which(name, STAMP_NAME.exec(name)![1]!));
}

/**
 * Writes the profile's file unless it already holds exactly this for the AWS files as `stamps` describes them
 * (taken by the caller before it read them; a file that changed since gets no profile file at all). Stamps first,
 * then the file (0600, replaced atomically), then the profile's stamps for earlier states of the files. Failing
 * to write only costs speed.
 */
export function writeQuickFile(env: Env, profile: string, credentials: SessionCredentials, configuredRegion: string | undefined, stamps: Stamps): void {
  const file = quickFile(env, profile);
  if (file === undefined)
    return;
  // The common case (a cached env): the file is as it would be written; no stat beyond the caller's.
  try {
    // Read as every cache file is (no link followed, no FIFO waited on, this user's only): the folder may be shared.
    const old = readPrivateFile(file)?.toString(`utf8`) ?? ``;
    const config = /^AWSMFA_CONFIG_STAT=(.*)$/m.exec(old)?.[1];
    const credentialsRecord = /^AWSMFA_CREDENTIALS_STAT=(.*)$/m.exec(old)?.[1];
    if (config !== undefined && credentialsRecord !== undefined && agrees(config, stamps.config) && agrees(credentialsRecord, stamps.credentials)
      && old === quickText(env, credentials, profile, configuredRegion, {config, credentials: credentialsRecord}))
      return;
  } catch {}
  try {
    const records = {config: exactStat(configPath(env), stamps.config), credentials: exactStat(credentialsPath(env), stamps.credentials)};
    if (records.config === undefined || records.credentials === undefined) {
      removeQuickFile(env, profile);
      return;
    }
    const folder = cacheFolder(env, `profiles`, true)!;
    const kept: string[] = [];
    for (const which of [`config`, `credentials`] as const) {
      const record = records[which]!;
      if (record !== `-`)
        kept.push(...writeStamps(folder, `${profile}.${which}`, BigInt(record.split(`:`)[2]!)));
    }
    writeOwnFile(folder, basename(file), quickText(env, credentials, profile, configuredRegion, {config: records.config, credentials: records.credentials}));
    sweepStamps(folder, (name, owner) => owner === profile && !kept.includes(name) && Date.now() - lstatSync(join(folder.path, name)).ctimeMs > STAMP_SWEEP_MS);
  } catch {}
}

/** Removes the profile's file (when the session awsmfa obtained cannot be vouched for). */
function removeQuickFile(env: Env, profile: string): void {
  try {
    forgetQuickFiles(env, name => name === profile);
  } catch {}
}

/**
 * After a failed refresh (a wrong code, no network): what still works stays, so the next terminal takes it without
 * node. Only what is known bad goes: the request's cached session once it has expired, and the profile's file (and
 * any other holding that session) once its session has. A session STS called invalid was forgotten where STS said
 * so (obtainSession). Never throws: the refresh's own error is the one to report.
 */
export function forgetExpiredAfterFailure(env: Env, key: SessionKey, profile: string, now: Date): void {
  try {
    const expired: string[] = [];
    forgetSessions(cacheDir(env), session => {
      const gone = keyText(session) === keyText(key) && remainingMs(session.credentials, now) <= 0;
      if (gone)
        expired.push(session.credentials.accessKeyId);
      return gone;
    });
    forgetQuickFiles(env, (name, keyId, expiresMs) => (name === profile && expiresMs <= now.getTime()) || (keyId !== undefined && expired.includes(keyId)));
  } catch {}
}

/**
 * Removes the files `which` picks (all, a profile's, or those holding a session's key), and the stamps of every
 * profile left without a file; returns how many files went.
 */
export function forgetQuickFiles(env: Env, which: (profile: string, accessKeyId: string | undefined, expiresMs: number) => boolean): number {
  const removed = removeMatching(() => cacheFolder(env, `profiles`, false), /\.env$/,
    (text, name) => which(name.slice(0, -4), /^AWS_ACCESS_KEY_ID=(.*)$/m.exec(text)?.[1], Number(/^AWSMFA_EXPIRES=(\d{1,12})$/m.exec(text)?.[1] ?? 0) * 1000));
  try {
    const folder = cacheFolder(env, `profiles`, false);
    sweepStamps(folder, (_, owner) => {
      try {
        lstatSync(join(folder!.path, `${owner}.env`));
        return false;
      } catch {
        return true;
      }
    });
  } catch {}
  return removed;
}

/**
 * Deletes the cached sessions `which` picks, and the profile files that hold one of them (and `profile`'s own), so
 * no `mfa` takes a session that was meant to be forgotten. Returns the sessions that went (see forgotten.ts).
 */
export function forgetSessionsAndFiles(env: Env, which: (session: CachedSession) => boolean, profile?: string): CachedSession[] {
  const forgotten: CachedSession[] = [];
  forgetSessions(cacheDir(env), session => {
    const picked = which(session);
    if (picked)
      forgotten.push(session);
    return picked;
  });
  forgetQuickFiles(env, (name, keyId) => name === profile || (keyId !== undefined && forgotten.some(session => session.credentials.accessKeyId === keyId)));
  return forgotten;
}
