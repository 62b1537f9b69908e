import {join} from 'node:path';
import envPaths from 'env-paths';
import * as t from 'typanion';
import {envValue, type Env} from '../aws-files/files.js';
import {SECRET_TEXT_PATTERN, ACCESS_KEY_ID_PATTERN} from '../aws/credentials.js';
import {ForeignFileError, openPrivateFolder, readPrivateFile, writeOwnFile, type CacheLocation} from '../cache/private-folder.js';
import {ConfigError} from '../errors.js';
import {openTerminal} from '../io/prompt.js';
import {visible} from '../io/terminal.js';
import type {KeyStore} from './store.js';

/**
 * The `file` store: one age file (age-encryption.org/v1, a passphrase/scrypt recipient, the format the `age` CLI
 * reads with `age -d`) holding a JSON document `{"version": 1, "keys": {"AKIA…": "secret"}}`. For WSL, containers
 * and headless machines, where no OS keyring runs. The passphrase is asked for on the terminal when a new session is
 * signed (with the code), or read from the file AWSMFA_PASSPHRASE_FILE names (for automation and tests; never the
 * passphrase itself in the environment or argv).
 */

/** The data folder (`$XDG_DATA_HOME/awsmfa` on Linux): not the cache folder, which `clear` empties and others may wipe. */
export function keysLocation(): CacheLocation {
  return {dir: envPaths(`awsmfa`, {suffix: ``}).data, own: true};
}

export const KEYS_FILE_NAME = `keys.age`;

const isKeysDocument = t.isObject({
  version: t.isLiteral(1),
  keys: t.isRecord(t.cascade(t.isString(), [t.matchesRegExp(SECRET_TEXT_PATTERN)]), {keys: t.cascade(t.isString(), [t.matchesRegExp(ACCESS_KEY_ID_PATTERN)])}),
});

type Keys = Record<string, string>;

/** Where the passphrase comes from: the file AWSMFA_PASSPHRASE_FILE names (private to this user), else the terminal. */
async function passphrase(env: Env, platform: NodeJS.Platform, file: string, creating: boolean): Promise<string> {
  const named = envValue(env, `AWSMFA_PASSPHRASE_FILE`);
  if (named !== undefined) {
    let bytes: Buffer | undefined;
    try {
      bytes = readPrivateFile(named);
    } catch (error) {
      throw new ConfigError(error instanceof ForeignFileError
        ? `AWSMFA_PASSPHRASE_FILE ${visible(named)} is not a private file of this user (a link, a FIFO, another user's or writable by others): chmod 600 it`
        : `cannot read AWSMFA_PASSPHRASE_FILE ${visible(named)}: ${(error as Error).message}`);
    }
    if (bytes === undefined)
      throw new ConfigError(`AWSMFA_PASSPHRASE_FILE names ${visible(named)}, which does not exist`);
    const text = bytes.toString(`utf8`).replace(/\r?\n$/, ``);
    if (text === ``)
      throw new ConfigError(`AWSMFA_PASSPHRASE_FILE ${visible(named)} is empty`);
    return text;
  }
  const terminal = openTerminal({platform, env});
  const instead = `or name a private file holding the passphrase in AWSMFA_PASSPHRASE_FILE`;
  if (terminal === undefined)
    throw new ConfigError(`the keys are in the encrypted file ${visible(file)} and there is no terminal to ask its passphrase on: run in a terminal, ${instead}`);
  try {
    const first = await terminal.ask(creating ? `New passphrase for ${visible(file)}: ` : `Passphrase of ${visible(file)}: `, {hidden: true, instead});
    if (!first)
      throw new ConfigError(`no passphrase entered`);
    if (creating && await terminal.ask(`The same passphrase again: `, {hidden: true, instead}) !== first)
      throw new ConfigError(`the two passphrases differ; nothing was written`);
    return first;
  } finally {
    terminal.close();
  }
}

export async function openAgeFile(env: Env, platform: NodeJS.Platform): Promise<KeyStore> {
  const location = keysLocation();
  const file = join(location.dir, `keys`, KEYS_FILE_NAME);
  let cached: {keys: Keys, passphrase: string} | undefined;

  /** The file's keys (none when there is no file yet), decrypted with the passphrase, asked for once per process. */
  const load = async (creating: boolean): Promise<{keys: Keys, passphrase: string}> => {
    if (cached !== undefined)
      return cached;
    const folder = openPrivateFolder(location, `keys`, false);
    let bytes: Buffer | undefined;
    try {
      bytes = folder === undefined ? undefined : readPrivateFile(file);
    } catch (error) {
      throw new ConfigError(error instanceof ForeignFileError ? `${visible(file)} is not a private file of this user: remove it (awsmfa never reads one that others could have written)` : `cannot read ${visible(file)}: ${(error as Error).message}`);
    }
    if (bytes === undefined) {
      if (!creating)
        return {keys: {}, passphrase: ``};
      return cached = {keys: {}, passphrase: await passphrase(env, platform, file, true)};
    }
    const secret = await passphrase(env, platform, file, false);
    const {Decrypter} = await import(`age-encryption`);
    const decrypter = new Decrypter();
    decrypter.addPassphrase(secret);
    let text: string;
    try {
      text = await decrypter.decrypt(bytes, `text`);
    } catch (error) {
      const message = (error as Error).message;
      throw new ConfigError(/passphrase|identity|decrypt|mac|hmac/i.test(message)
        ? `wrong passphrase for ${visible(file)} (or the file was changed): try again`
        : `${visible(file)} is not an age file awsmfa can read: ${visible(message)}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    const errors: string[] = [];
    if (!isKeysDocument(data, {errors}))
      throw new ConfigError(`${visible(file)} decrypts, but not to awsmfa's keys document (${visible(errors[0] ?? `not JSON`)}): {"version": 1, "keys": {"AKIA…": "secret"}}`);
    return cached = {keys: {...data.keys}, passphrase: secret};
  };

  const save = async (keys: Keys, secret: string): Promise<void> => {
    const {Encrypter} = await import(`age-encryption`);
    const encrypter = new Encrypter();
    encrypter.setPassphrase(secret);
    const bytes = await encrypter.encrypt(JSON.stringify({version: 1, keys}));
    writeOwnFile(openPrivateFolder(location, `keys`, true)!, KEYS_FILE_NAME, bytes);
    cached = {keys, passphrase: secret};
  };

  return {
    name: `file`,
    where: `the encrypted file ${file}`,
    get: async accessKeyId => {
      const {keys} = await load(false);
      return Object.hasOwn(keys, accessKeyId) ? keys[accessKeyId] : undefined;
    },
    set: async (accessKeyId, secretAccessKey) => {
      const {keys, passphrase: secret} = await load(true);
      await save({...keys, [accessKeyId]: secretAccessKey}, secret);
    },
    remove: async accessKeyId => {
      const {keys, passphrase: secret} = await load(false);
      if (!Object.hasOwn(keys, accessKeyId))
        return false;
      const rest = {...keys};
      delete rest[accessKeyId];
      await save(rest, secret);
      return true;
    },
  };
}
