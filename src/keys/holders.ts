import {configProfileName, type AwsFiles} from '../aws-files/files.js';
import type {IniFile, IniSection} from '../aws-files/ini.js';
import {valuesOf} from '../aws-files/ini.js';
import {ConfigError} from '../errors.js';
import {visible} from '../terminal.js';
import {MARKER_KEYS, storedKeysOf, type StoreName} from '../key-marker.js';

/**
 * A key is one thing, wherever it is named. `aws configure` often writes the same access key into two profiles,
 * and `keys import` of one leaves the other's plaintext (or marker) beside it: every operation that removes, moves
 * or replaces a key asks here first which sections of both AWS files name that key id, plaintext or marker, and
 * so which stores hold a secret some profile needs. It then carries them all along, or refuses naming them.
 */

/** A section that names a key: its file and section, the profile it is, and where its secret is. */
export interface Holder {
  readonly path: string;
  /** The section's name as written (`work`, `profile work`, `default`). */
  readonly section: string;
  /** The profile it is, for messages. */
  readonly profile: string;
  /** `aws-files` for a key pair in the section; else the store its marker names. */
  readonly place: StoreName | `aws-files`;
  /** The secret, when the section holds it in plaintext. */
  readonly secretAccessKey: string | undefined;
  /** The section's credential_process (awsmfa's own, after an import), if any. */
  readonly credentialProcess: string | undefined;
}

/** The profile a section is, in the words of a message. */
export function holderName(holder: Pick<Holder, `profile` | `path`>): string {
  return `profile '${visible(holder.profile)}' (${holder.path})`;
}

/** The holders in one file: sections whose own lines name the key, as a pair or a marker. */
function holdersIn(file: IniFile | undefined, path: string, profileOf: (section: IniSection) => string, accessKeyId: string): Holder[] {
  if (file === undefined)
    return [];
  if (file.defaults.some(entry => (entry.key === `aws_access_key_id` || entry.key === MARKER_KEYS.accessKeyId) && entry.value === accessKeyId))
    throw new ConfigError(`[DEFAULT] of ${path} names the key ${accessKeyId}, which every profile of that file inherits: move it under the profile that uses it first`);
  const holders: Holder[] = [];
  for (const section of file.sections) {
    const own = new Map(section.entries.map(entry => [entry.key, entry.value]));
    if (own.get(`aws_access_key_id`) !== accessKeyId && own.get(MARKER_KEYS.accessKeyId) !== accessKeyId)
      continue;
    const values = valuesOf(file, section);
    const profile = profileOf(section);
    const where = `profile '${visible(profile)}' in ${path}`;
    const marker = storedKeysOf(values, where);
    if (marker !== undefined && values.aws_access_key_id !== undefined)
      throw new ConfigError(`${where} has both aws_access_key_id and ${MARKER_KEYS.store}: remove one of them by hand first`);
    if (marker !== undefined) {
      holders.push({path, section: section.name, profile, place: marker.store, secretAccessKey: undefined, credentialProcess: values.credential_process});
      continue;
    }
    if (values.aws_session_token !== undefined)
      continue;
    if (values.aws_secret_access_key === undefined)
      throw new ConfigError(`${where} has the key id ${accessKeyId} but no aws_secret_access_key: fix or remove that half pair first`);
    holders.push({path, section: section.name, profile, place: `aws-files`, secretAccessKey: values.aws_secret_access_key, credentialProcess: values.credential_process});
  }
  return holders;
}

/**
 * Every section of both AWS files that names `accessKeyId` (its own lines: a key pair, or awsmfa's marker), in the
 * order of the files. A half pair, a section with both, or a [DEFAULT] that names the key is refused in one line.
 */
export function holdersOf(files: AwsFiles, accessKeyId: string): Holder[] {
  // The files in view, and the usual ones when the environment names others (AWS_SHARED_CREDENTIALS_FILE set for
  // one project): the stores are the same for both, so a marker there needs the secret as much as one here.
  const usual = files.usual;
  return [
    ...holdersIn(files.credentials, files.credentialsPath, section => section.name, accessKeyId),
    ...holdersIn(files.config, files.configPath, section => configProfileName(section.name) ?? section.name, accessKeyId),
    ...usual === undefined ? [] : [
      ...usual.credentialsPath === files.credentialsPath ? [] : holdersIn(usual.credentials, usual.credentialsPath, section => section.name, accessKeyId),
      ...usual.configPath === files.configPath ? [] : holdersIn(usual.config, usual.configPath, section => configProfileName(section.name) ?? section.name, accessKeyId),
    ],
  ];
}

/** Whether two holders are the same section. */
export function sameSection(a: Pick<Holder, `path` | `section`>, b: Pick<Holder, `path` | `section`>): boolean {
  return a.path === b.path && a.section === b.section;
}

/**
 * The holders' plaintext secrets must be one: two profiles naming one key with different secrets hold a typo or a
 * stale copy, and awsmfa cannot tell which is right.
 */
export function agreedSecret(holders: readonly Holder[], accessKeyId: string, secret?: string): void {
  const plain = holders.filter(holder => holder.secretAccessKey !== undefined);
  const other = plain.find(holder => holder.secretAccessKey !== (secret ?? plain[0]!.secretAccessKey));
  if (other !== undefined)
    throw new ConfigError(`${holderName(other)} names the key ${accessKeyId} with another secret than ${secret === undefined ? holderName(plain[0]!) : `the one in use`}: fix the wrong one by hand first (awsmfa cannot tell which is right)`);
}

/** The other profiles, for a message: `profile 'b' (/home/me/.aws/credentials) and profile 'c' (…)`. */
export function namesOf(holders: readonly Holder[]): string {
  return holders.map(holderName).join(` and `);
}
