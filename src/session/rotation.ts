import {join} from 'node:path';
import * as t from 'typanion';
import type {AwsFiles, Env} from '../aws-files/files.js';
import {setSectionValues} from '../aws-files/ini-edit.js';
import {isRoleProfile, roleChain} from '../aws-files/resolve.js';
import {configSection} from '../aws-files/session-profile.js';
import {updateSharedFile, type UpdateContext} from '../aws-files/update.js';
import type {NewAccessKey} from '../aws/iam.js';
import {ACCESS_KEY_ID_PATTERN} from '../aws/credentials.js';
import {readPrivateFile, removeOwnFiles, writeOwnFile} from '../cache/private-folder.js';
import {cacheFolder, fnv1a64} from '../cache/sessions.js';
import {ConfigError} from '../errors.js';

/** Where a profile's long-term key lives: today a section of an AWS file; the key store of #21 adds its own kind. */
export interface KeyHome {
  readonly kind: `file`;
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
    if (files.credentialsOf(name)?.aws_access_key_id !== undefined)
      return {kind: `file`, profile: name, file: files.credentialsPath, section: name};
    if (files.configOf(name)?.aws_access_key_id !== undefined)
      return {kind: `file`, profile: name, file: files.configPath, section: configSection(name)};
  }
  throw new ConfigError(`profile '${profile}' takes its long-term keys from no AWS file (the environment's AWS_ACCESS_KEY_ID?): awsmfa rotates only keys it can write back; rotate those by hand`);
}

/** Writes the new key where the old one lived (see findKeyHome): both lines, under the file's lock, atomically. */
export function writeKeyBack(home: KeyHome, key: NewAccessKey, context: UpdateContext): void {
  updateSharedFile(home.file, context, text => setSectionValues(text, home.section, [[`aws_access_key_id`, key.accessKeyId], [`aws_secret_access_key`, key.secretAccessKey]]));
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
