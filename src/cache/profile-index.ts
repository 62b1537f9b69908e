import {statSync} from 'node:fs';
import {basename, join} from 'node:path';
import * as t from 'typanion';
import {configPath, credentialsPath, notRegularFile} from '../aws-files/files.js';
import type {Env} from '../env.js';
import {readPrivateFile, writeOwnFile} from '../private-folder.js';
import {cacheDir, cacheFolder, fnv1a64} from './folder.js';
import type {SessionKey} from './sessions.js';

/**
 * The per-profile index of the fast path: what a profile resolved to (the key of its cached session and the region
 * `env` exports), kept in the cache folder and trusted only while both AWS files are exactly as they were when it
 * was made (size, mtime, ctime and inode, or both absent). A cached `awsmfa env` then reads no INI at all, and a
 * 10,000-profile config costs what a one-profile config does. Any change to either file, or another file named
 * by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, means a full parse (which writes a new index).
 */

export interface IndexedRequest {
  readonly profile: string;
  readonly key: SessionKey;
  readonly configuredRegion: string | undefined;
}

/** What a file looked like: [size, mtimeMs, ctimeMs, ino], or null when it is absent. */
type Stamp = [number, number, number, number] | null;

export interface Stamps {
  readonly credentials: Stamp;
  readonly config: Stamp;
}

function stampOf(path: string): Stamp {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return null;
  }
  // A FIFO, device or folder has no stamp: the fast path gives up, and the full CLI refuses it in one line.
  if (!stat.isFile())
    throw notRegularFile(path, stat);
  return [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
}

/** The stamps of both AWS files, taken before they are read (a change while reading then shows next time). */
export function stampFiles(env: Env): Stamps {
  return {credentials: stampOf(credentialsPath(env)), config: stampOf(configPath(env))};
}

function indexFile(env: Env, profile: string): string {
  return join(cacheDir(env).dir, `index`, `${fnv1a64([profile, credentialsPath(env), configPath(env)].join(`\0`))}.json`);
}

const isStamp = t.isNullable(t.isTuple([t.isNumber(), t.isNumber(), t.isNumber(), t.isNumber()]));

const isIndexEntry = t.isObject({
  version: t.isLiteral(1),
  profile: t.isString(),
  credentialsPath: t.isString(),
  configPath: t.isString(),
  credentials: isStamp,
  config: isStamp,
  key: t.isObject({sourceAccessKeyId: t.isString(), serialNumber: t.isString(), role: t.isOptional(t.isString()), asked: t.isString()}),
  configuredRegion: t.isOptional(t.isString()),
});

/**
 * The profile's index entry while the AWS files are as it recorded them (with the stamps it checked, which say
 * how new the files are); else undefined.
 */
export function readIndex(env: Env, profile: string): IndexedRequest & {stamps: Stamps} | undefined {
  try {
    const data: unknown = JSON.parse(readPrivateFile(indexFile(env, profile))?.toString(`utf8`) ?? `null`);
    if (!isIndexEntry(data) || data.profile !== profile || data.credentialsPath !== credentialsPath(env) || data.configPath !== configPath(env))
      return undefined;
    const stamps = stampFiles(env);
    if (JSON.stringify(stamps.credentials) !== JSON.stringify(data.credentials) || JSON.stringify(stamps.config) !== JSON.stringify(data.config))
      return undefined;
    return {profile, key: data.key, configuredRegion: data.configuredRegion, stamps};
  } catch {
    return undefined;
  }
}

/** When either AWS file last changed (0 when neither exists): a profile file older than that is stale. */
export function newestChange(stamps: Stamps): number {
  return Math.max(stamps.credentials?.[1] ?? 0, stamps.config?.[1] ?? 0);
}

/** Records what the profile resolved to, with the stamps taken before the files were read. Failing only costs speed. */
export function writeIndex(env: Env, entry: IndexedRequest, stamps: Stamps): void {
  try {
    writeOwnFile(cacheFolder(env, `index`, true)!, basename(indexFile(env, entry.profile)), `${JSON.stringify({version: 1, profile: entry.profile, credentialsPath: credentialsPath(env), configPath: configPath(env), ...stamps, key: entry.key, configuredRegion: entry.configuredRegion})}\n`);
  } catch {}
}
