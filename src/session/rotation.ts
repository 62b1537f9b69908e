import {join} from 'node:path';
import * as t from 'typanion';
import type {AwsFiles} from '../aws-files/files.js';
import type {Env} from '../env.js';
import {setSectionValues} from '../aws-files/ini-edit.js';
import {isRoleProfile, roleChain} from '../aws-files/source.js';
import {configSection} from '../aws-files/session-profile.js';
import {lock, updateSharedFile, type UpdateContext} from '../aws-files/update.js';
import type {NewAccessKey} from '../aws/iam.js';
import {ACCESS_KEY_ID_PATTERN} from '../aws/credentials.js';
import {readPrivateFile, removeOwnFiles, writeOwnFile} from '../private-folder.js';
import {cacheFolder, fnv1a64} from '../cache/folder.js';
import {AwsmfaError, ConfigError} from '../errors.js';
import {MARKER_KEYS, storedKeysOf, type StoreName} from '../key-marker.js';
import {openStore, type StoreContext} from '../keys/stores.js';

/**
 * Where a profile's long-term key lives: a section of an AWS file, holding either both lines of the key or, for keys
 * in a store (awsmfa keys), the store's marker (the key id in the file, the secret in `store`).
 */
export interface KeyHome {
  readonly kind: `file`;
  /** The store that holds the secret; undefined when the secret is in the file. */
  readonly store?: StoreName;
  /** The profile that holds the keys (a role profile's source, followed as botocore follows it). */
  readonly profile: string;
  readonly file: string;
  readonly section: string;
}

/**
 * The one place a rotated key goes: where the old one was read from. Today the AWS file and section (the locked,
 * minimal, atomic edit of src/aws-files/update.ts: only the two lines of the key change). A key store (issue #21)
 * adds a kind of KeyHome and its branch here, and nothing else in `rotate` changes.
 */
export function findKeyHome(files: AwsFiles, profile: string): KeyHome {
  const candidates = isRoleProfile(files, profile) ? [roleChain(files, profile).keysFrom] : [profile, files.setting(profile, `source_profile`)];
  for (const name of candidates) {
    if (name === undefined)
      continue;
    for (const [values, file, section] of [[files.credentialsOf(name), files.credentialsPath, name], [files.configOf(name), files.configPath, configSection(name)]] as const) {
      if (values?.aws_access_key_id !== undefined)
        return {kind: `file`, profile: name, file, section};
      const stored = storedKeysOf(values, `profile '${name}' in ${file}`);
      if (stored !== undefined)
        return {kind: `file`, store: stored.store, profile: name, file, section};
    }
  }
  throw new ConfigError(`profile '${profile}' takes its long-term keys from no AWS file (the environment's AWS_ACCESS_KEY_ID?): awsmfa rotates only keys it can write back; rotate those by hand`);
}

/**
 * Writes the new key where the old one lived (see findKeyHome): both lines, under the file's lock, atomically; for a
 * key in a store, the secret into the store (read back before the file changes), then the key id in the marker.
 * The old secret stays in the store until the old key is deleted (forgetOldSecret).
 */
export async function writeKeyBack(home: KeyHome, key: NewAccessKey, context: UpdateContext & StoreContext): Promise<void> {
  if (home.store === undefined) {
    updateSharedFile(home.file, context, text => setSectionValues(text, home.section, [[`aws_access_key_id`, key.accessKeyId], [`aws_secret_access_key`, key.secretAccessKey]]));
    return;
  }
  const store = await openStore(home.store, context);
  await store.set(key.accessKeyId, key.secretAccessKey);
  if (await store.get(key.accessKeyId) !== key.secretAccessKey)
    throw new ConfigError(`${store.where} did not give back the new key ${key.accessKeyId} as written; the profile still names the old key, which works`);
  updateSharedFile(home.file, context, text => setSectionValues(text, home.section, [[MARKER_KEYS.accessKeyId, key.accessKeyId]]));
}

/** Once the old key is deleted at IAM: its secret leaves the store too (a key in a file was replaced already). */
export async function forgetOldSecret(home: KeyHome, accessKeyId: string, context: StoreContext): Promise<void> {
  if (home.store !== undefined)
    await (await openStore(home.store, context)).remove(accessKeyId);
}

/**
 * An unfinished rotation, kept in the private cache folder (no secret: key ids only): written before the new key
 * is created and removed once the old one is deleted. Compared with the key the file holds, it tells the next
 * `rotate` what is left: the old key (the new one was saved), or a new key whose secret was never saved.
 */
const isJournal = t.isObject({
  version: t.isLiteral(1),
  file: t.isString(),
  section: t.isString(),
  userName: t.isString(),
  // Key ids only, as IAM writes them: a note that says otherwise is no note of ours.
  oldKeyId: t.cascade(t.isString(), t.matchesRegExp(ACCESS_KEY_ID_PATTERN)),
  newKeyId: t.isNullable(t.cascade(t.isString(), t.matchesRegExp(ACCESS_KEY_ID_PATTERN))),
  startedAt: t.isString(),
});

export type Journal = t.InferType<typeof isJournal>;

const journalName = (home: KeyHome) => `rotate-${fnv1a64(`${home.file}\n${home.section}`)}.json`;

export function readJournal(env: Env, home: KeyHome): Journal | undefined {
  const folder = cacheFolder(env, ``, false);
  if (folder === undefined)
    return undefined;
  let value: unknown;
  try {
    // A link, a FIFO or another user's file there is no journal of ours (readPrivateFile refuses it).
    const bytes = readPrivateFile(join(folder.path, journalName(home)));
    if (bytes === undefined)
      return undefined;
    value = JSON.parse(bytes.toString(`utf8`));
  } catch {
    return undefined;
  }
  return isJournal(value) && value.file === home.file && value.section === home.section ? value : undefined;
}

/** Written through the private-folder primitive; a rotation that cannot keep its journal does not start. */
export function writeJournal(env: Env, home: KeyHome, journal: Journal): void {
  writeOwnFile(cacheFolder(env, ``, true)!, journalName(home), `${JSON.stringify(journal)}\n`);
}

export function removeJournal(env: Env, home: KeyHome): void {
  const name = journalName(home);
  removeOwnFiles(cacheFolder(env, ``, false), new RegExp(`^${name.replace(/\./g, `\\.`)}$`), () => true);
}

/**
 * One rotation of a key at a time: two at once each created a key, and the one whose write came first was left
 * active at IAM with its secret overwritten in the file (or deleted the other's old key under it). Held for the
 * whole run, beside the journal; a second run is refused at once, and a killed run's lock (its pid gone) is taken
 * over by the next. Returns the release.
 */
export function lockRotation(env: Env, home: KeyHome): () => void {
  const folder = cacheFolder(env, ``, true)!;
  try {
    return lock(join(folder.path, journalName(home)), env, 0);
  } catch (error) {
    if (!(error instanceof AwsmfaError))
      throw error;
    const pid = /\(pid (\d+)/.exec(error.message)?.[1];
    throw new AwsmfaError(`another awsmfa rotate of the key in ${home.file} [${home.section}] is running${pid === undefined ? `` : ` (pid ${pid})`}: let it finish, then run awsmfa rotate again if it says so`, 1, {cause: error});
  }
}
