import type {AwsFiles} from '../aws-files/files.js';
import {removeKeys, setSectionValues} from '../aws-files/ini-edit.js';
import {checkUpdatable, updateSharedFile, type UpdateContext} from '../aws-files/update.js';
import {ACCESS_KEY_ID_PATTERN, SECRET_TEXT_PATTERN} from '../aws/credentials.js';
import {ConfigError} from '../errors.js';
import {quoted, visible} from '../terminal.js';
import {MARKER_KEYS, storedKeysOf, type StoreName} from '../key-marker.js';
import {openStore, type StoreContext} from './stores.js';
import {agreedSecret, holderName, holdersOf, namesOf, sameSection, type Holder} from './holders.js';

/** Where a profile's keys may be: a store, or the plaintext AWS files (the default, as `aws configure` writes them). */
export type KeysPlace = StoreName | `aws-files`;
export const KEYS_PLACES: readonly KeysPlace[] = [`keyring`, `file`, `aws-files`];

/** What a move touches: the stores, the AWS files (through the locked, minimal, atomic edit), and a note on stderr. */
export interface MoveContext extends StoreContext, UpdateContext {
  /** The awsmfa that the profile's credential_process runs, as an absolute command line (see credentialProcessLine). */
  readonly credentialProcess: ((profile: string) => string) | undefined;
}

/** A profile's keys as they stand: where, the key id, and the secret when it is in the AWS files. */
interface Found {
  readonly place: KeysPlace;
  readonly accessKeyId: string;
  readonly secretAccessKey: string | undefined;
  /** The file and section of the keys or the marker. */
  readonly path: string;
  readonly section: string;
}

/** The profile's own keys: in the credentials file `[P]`, or the config file's `[profile P]` (botocore reads both). */
export function findKeys(files: AwsFiles, profile: string): Found | undefined {
  const places = [
    [files.credentialsOf(profile), files.credentialsPath, profile],
    [files.configOf(profile), files.configPath, profile === `default` ? `default` : `profile ${profile}`],
  ] as const;
  for (const [values, path, section] of places) {
    const marker = storedKeysOf(values, `profile '${profile}' in ${path}`);
    const accessKeyId = values?.aws_access_key_id;
    const secretAccessKey = values?.aws_secret_access_key;
    if (marker !== undefined && (accessKeyId !== undefined || secretAccessKey !== undefined))
      throw new ConfigError(`profile '${visible(profile)}' in ${path} has both aws_access_key_id and ${MARKER_KEYS.store}: remove one of them by hand first`);
    if (marker !== undefined)
      return {place: marker.store, accessKeyId: marker.accessKeyId, secretAccessKey: undefined, path, section};
    if (accessKeyId === undefined && secretAccessKey === undefined)
      continue;
    if (!accessKeyId || !secretAccessKey)
      throw new ConfigError(`profile '${visible(profile)}' in ${path} has only half a key pair`);
    if (values?.aws_session_token !== undefined)
      throw new ConfigError(`profile '${visible(profile)}' in ${path} holds a session (aws_session_token), not long-term keys: there is nothing to keep off the disk`);
    if (!ACCESS_KEY_ID_PATTERN.test(accessKeyId) || !SECRET_TEXT_PATTERN.test(secretAccessKey))
      throw new ConfigError(`profile '${visible(profile)}' in ${path} holds keys no AWS key looks like; fix them first`);
    return {place: `aws-files`, accessKeyId, secretAccessKey, path, section};
  }
  return undefined;
}

/** The secret of keys found, read from their store when they are in one. */
async function secretOf(found: Found, context: StoreContext): Promise<string> {
  if (found.secretAccessKey !== undefined)
    return found.secretAccessKey;
  const store = await openStore(found.place as StoreName, context);
  const secret = await store.get(found.accessKeyId);
  if (secret === undefined)
    throw new ConfigError(`${store.where} holds no secret for ${found.accessKeyId}: add it again with awsmfa keys add`);
  return secret;
}

/**
 * Puts keys into a store and reads them back: nothing is removed anywhere unless the store gave back exactly what
 * it was given.
 */
export async function storeAndCheck(place: StoreName, accessKeyId: string, secretAccessKey: string, context: StoreContext): Promise<string> {
  const store = await openStore(place, context);
  await store.set(accessKeyId, secretAccessKey);
  if (await store.get(accessKeyId) !== secretAccessKey)
    throw new ConfigError(`${store.where} did not give back the secret of ${accessKeyId} just stored: nothing was removed from the AWS files`);
  return store.where;
}

/** The settings a profile with keys in a store gets: the marker, and the credential_process that keeps the AWS CLI working. */
function markerValues(place: StoreName, accessKeyId: string, profile: string, context: MoveContext): Array<[string, string]> {
  const values: Array<[string, string]> = [[MARKER_KEYS.store, place], [MARKER_KEYS.accessKeyId, accessKeyId]];
  if (context.credentialProcess !== undefined)
    values.push([`credential_process`, context.credentialProcess(profile)]);
  return values;
}

/** The files the holders are in, each once, in order. */
function pathsOf(holders: readonly Holder[]): string[] {
  return [...new Set(holders.map(holder => holder.path))];
}

/**
 * Moves a profile's keys to `to`, and with them every other profile that names the same key (holdersOf: a key is
 * one thing; its secret leaving a place must not leave a profile naming it there): into the store (read back), then
 * each AWS file is edited once (locked, minimal, atomic): in every such section the keys out and the marker in, or
 * the other way round; last, the old stores' copies go. A failure before the edits leaves the AWS files as they
 * were. Returns a line saying what happened, naming the profiles carried along.
 */
export async function moveKeys(files: AwsFiles, profile: string, to: KeysPlace, context: MoveContext): Promise<string> {
  const found = findKeys(files, profile);
  if (found === undefined)
    throw new ConfigError(files.hasProfile(profile) ? `profile '${visible(profile)}' has no long-term keys of its own in ${files.credentialsPath} nor ${files.configPath}` : files.notFound(visible(profile)));
  if (found.place === to)
    throw new ConfigError(`the keys of profile '${visible(profile)}' are in ${to} already`);
  const holders = holdersOf(files, found.accessKeyId);
  const moving = holders.filter(holder => holder.place !== to);
  const others = moving.filter(holder => !sameSection(holder, found));
  if (to !== `aws-files`) {
    // A credential_process of the user's own would be replaced by awsmfa's.
    for (const holder of moving.filter(holder => holder.place === `aws-files` && holder.credentialProcess !== undefined)) {
      throw new ConfigError(sameSection(holder, found)
        ? `profile '${visible(profile)}' has a credential_process already (${visible(holder.credentialProcess!)}): awsmfa would replace it; remove it first, or keep the keys of another profile`
        : `${holderName(holder)} names the same key ${found.accessKeyId} and has a credential_process already (${visible(holder.credentialProcess!)}), which moving the key with it would replace: remove it first`);
    }
  }
  for (const path of pathsOf(moving))
    checkUpdatable(path, context);
  const secret = await secretOf(found, context);
  agreedSecret(holders, found.accessKeyId, secret);
  let line: string;
  if (to === `aws-files`) {
    line = `the keys of profile '${profile}' (${found.accessKeyId}) are in ${found.path} again, in plaintext`;
  } else {
    // Made first: a line that cannot be written is refused before the store holds anything.
    for (const holder of moving)
      markerValues(to, found.accessKeyId, holder.profile, context);
    const where = await storeAndCheck(to, found.accessKeyId, secret, context);
    line = `the keys of profile '${profile}' (${found.accessKeyId}) are in ${where} now; ${found.path} holds only the key id`;
  }
  for (const path of pathsOf(moving)) {
    updateSharedFile(path, context, text => moving.filter(holder => holder.path === path).reduce((edited, holder) => to === `aws-files`
      ? removeKeys(setSectionValues(edited, holder.section, [[`aws_access_key_id`, found.accessKeyId], [`aws_secret_access_key`, secret]]), holder.section, [MARKER_KEYS.store, MARKER_KEYS.accessKeyId, ...ours(holder.credentialProcess, context) ? [`credential_process`] : []])
      : removeKeys(setSectionValues(edited, holder.section, markerValues(to, found.accessKeyId, holder.profile, context)), holder.section, [`aws_access_key_id`, `aws_secret_access_key`]), text));
  }
  // Every section that named the key is at `to` now: no store but that one holds a secret anyone needs.
  for (const place of new Set(moving.map(holder => holder.place))) {
    if (place !== `aws-files`)
      await (await openStore(place, context)).remove(found.accessKeyId);
  }
  return others.length === 0 ? line : `${line}; so are those of ${namesOf(others)}, which named the same key`;
}

/** Whether the profile's credential_process is the one awsmfa wrote (it runs awsmfa's credential-process). */
function ours(process: string | undefined, context: MoveContext): boolean {
  return process !== undefined && context.credentialProcess !== undefined && / credential-process --profile /.test(process);
}

/**
 * The credential_process of a profile whose keys are in a store: this node and this awsmfa by absolute path (the
 * AWS CLI runs it with its own PATH). Elsewhere botocore splits it as a POSIX shell would (shlex), hence single
 * quotes. On Windows botocore splits it by the C runtime's rules (`compat_shell_split`: only `"` quotes, a backslash
 * is literal unless it leads up to a `"`) and the JS SDK hands it to cmd.exe (child_process.exec), which expands
 * `%NAME%` even between quotes and treats `& | < > ^ ( )` as its own outside them: so a word goes in double quotes
 * (`"C:\Program Files\nodejs\node.exe"`). A path or profile that no quoting carries to both (a single quote, or on
 * Windows `"`, `%`, `!` or a trailing backslash; any control character) is refused rather than guessed at.
 */
export function credentialProcessLine(node: string, script: string, platform: NodeJS.Platform = process.platform): (profile: string) => string {
  const refuse = (text: string, what: string) => new ConfigError(`${quoted(text)} holds ${what}, which awsmfa does not put in a credential_process line: pass --no-credential-process (and write the line yourself), or use a profile name or install folder without it`);
  const word = platform === `win32`
    ? (text: string) => {
      if (/["%!\x00-\x1f\x7f]/.test(text) || text.endsWith(`\\`))
        throw refuse(text, `a double quote, %, !, a trailing backslash or a control character`);
      return /^[\w@+=:,./\\-]+$/.test(text) ? text : `"${text}"`;
    }
    : (text: string) => {
      if (/['\x00-\x1f\x7f]/.test(text))
        throw refuse(text, `a single quote or a control character`);
      return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text}'`;
    };
  return profile => [node, script, `credential-process`, `--profile`, profile].map(word).join(` `);
}

/**
 * Removes a profile's keys: its marker (and awsmfa's credential_process) from the AWS files, then the secret from
 * its store. Another profile whose marker names the same key in the same store would be left with a secret that is
 * nowhere: refused in one line naming it, unless `allProfiles` (every marker of the key goes, and every store's
 * copy). A profile holding the key in plaintext loses nothing, and is named.
 */
export async function removeStoredKeys(files: AwsFiles, profile: string, context: MoveContext, allProfiles = false): Promise<string> {
  const found = findKeys(files, profile);
  if (found === undefined || found.place === `aws-files`)
    throw new ConfigError(found === undefined && !files.hasProfile(profile) ? files.notFound(visible(profile)) : `profile '${visible(profile)}' has no keys in a store${found === undefined ? `` : ` (they are in ${found.path}; edit that file to remove them)`}`);
  const holders = holdersOf(files, found.accessKeyId);
  // The profile in the files in view: one of the same name in the usual files (holdersOf) is another's.
  const own = (holder: Holder) => holder.profile === profile && (holder.path === files.credentialsPath || holder.path === files.configPath);
  const stranded = holders.filter(holder => !own(holder) && holder.place === found.place);
  if (stranded.length > 0 && !allProfiles)
    throw new ConfigError(`the key ${found.accessKeyId} of profile '${visible(profile)}' is also named by ${namesOf(stranded)}, which needs its secret in the ${found.place} store: run again with --all-profiles to remove it from every profile that names it, or delete the ${MARKER_KEYS.store} and ${MARKER_KEYS.accessKeyId} lines of [${visible(profile)}] by hand to stop only this profile using it`);
  const removing = holders.filter(holder => holder.place !== `aws-files` && (allProfiles || own(holder)));
  for (const path of pathsOf(removing))
    checkUpdatable(path, context);
  // The markers first: a run stopped between the two steps leaves a secret nobody names, never a name without its secret.
  for (const path of pathsOf(removing))
    updateSharedFile(path, context, text => removing.filter(holder => holder.path === path).reduce((edited, holder) => removeKeys(edited, holder.section, [MARKER_KEYS.store, MARKER_KEYS.accessKeyId, ...ours(holder.credentialProcess, context) ? [`credential_process`] : []]), text));
  const stores: string[] = [];
  for (const place of new Set(removing.map(holder => holder.place as StoreName))) {
    const store = await openStore(place, context);
    await store.remove(found.accessKeyId);
    stores.push(store.where);
  }
  const others = removing.filter(holder => !own(holder));
  const plain = holders.filter(holder => holder.place === `aws-files`);
  return `the keys of profile '${profile}' (${found.accessKeyId}) are gone from ${stores.join(` and `)} and ${pathsOf(removing.filter(own)).join(` and `)}`
    + (others.length === 0 ? `` : `, and so are those of ${namesOf(others)}, which named the same key`)
    + (plain.length === 0 ? `` : `; ${namesOf(plain)} still ${plain.length === 1 ? `holds` : `hold`} it in plaintext`);
}

/**
 * New keys for a profile whose key id other profiles name already: the store would take this secret for that key
 * too (and another store's copy could differ). Refused, naming them, before the secret is even asked for.
 */
export function refuseNamedKey(files: AwsFiles, profile: string, accessKeyId: string): void {
  const named = holdersOf(files, accessKeyId);
  if (named.length > 0)
    throw new ConfigError(`the key ${accessKeyId} is named already by ${namesOf(named)}: a key is one thing, so use awsmfa keys import or move of that profile, and name it in source_profile of '${visible(profile)}'`);
}

/** Adds keys typed by the person: into the store (read back), then the marker into the credentials file. */
export async function addKeys(files: AwsFiles, profile: string, to: StoreName, accessKeyId: string, secretAccessKey: string, context: MoveContext): Promise<string> {
  const found = findKeys(files, profile);
  if (found !== undefined)
    throw new ConfigError(`profile '${visible(profile)}' has keys already (${found.place === `aws-files` ? found.path : `in the ${found.place} store`}): use awsmfa keys import or move, or remove them first`);
  refuseNamedKey(files, profile, accessKeyId);
  const process = files.setting(profile, `credential_process`);
  if (process !== undefined)
    throw new ConfigError(`profile '${visible(profile)}' has a credential_process already (${visible(process)}): remove it first`);
  checkUpdatable(files.credentialsPath, context);
  const values = markerValues(to, accessKeyId, profile, context);
  const where = await storeAndCheck(to, accessKeyId, secretAccessKey, context);
  updateSharedFile(files.credentialsPath, context, text => setSectionValues(text, profile, values));
  return `the keys of profile '${profile}' (${accessKeyId}) are in ${where}; ${files.credentialsPath} holds only the key id`;
}
