import {join} from 'node:path';
import {dataLocation} from '../data-folder.js';
import * as t from 'typanion';
import {envValue, type Env} from '../env.js';
import {lockWaitMs} from '../rules.js';
import {SECRET_TEXT_PATTERN, ACCESS_KEY_ID_PATTERN} from '../aws/credentials.js';
import {ForeignFileError, openPrivateFolder, readPrivateFile, UnsafeFolderError, writeOwnFile, type CacheLocation, type PrivateFolder} from '../private-folder.js';
import {lock} from '../aws-files/update.js';
import {ConfigError} from '../errors.js';
import {openTerminal, type Terminal} from '../io/prompt.js';
import {shapeProblem, visible} from '../terminal.js';
import type {KeyStore} from './store.js';
import {NodeScryptIdentity, NodeScryptRecipient} from './age-scrypt.js';

/**
 * The `file` store: one age file (age-encryption.org/v1, a passphrase/scrypt recipient, the format the `age` CLI
 * reads with `age -d`) holding a JSON document `{"version": 1, "keys": {"AKIA…": "secret"}}`. For WSL, containers
 * and headless machines, where no OS keyring runs. The passphrase is asked for on the terminal when a new session is
 * signed (with the code), or read from the file AWSMFA_PASSPHRASE_FILE names (for automation and tests; never the
 * passphrase itself in the environment or argv).
 */

/** The data folder (`$XDG_DATA_HOME/awsmfa` on Linux): not the cache folder, which `clear` empties and others may wipe. */
export function keysLocation(): CacheLocation {
  return dataLocation();
}

export const KEYS_FILE_NAME = `keys.age`;

/**
 * How long a run waits for another that holds the file's lock: the holder is computing scrypt (about 5 s to
 * encrypt here, several times that on a loaded machine), so the AWS files' 15 s would give up on a live writer. A
 * holder that died is taken over at once (the lock names its pid); AWSMFA_LOCK_TIMEOUT_MS still rules when set.
 */
const KEYS_LOCK_WAIT_MS = 120_000;

const isKeysDocument = t.isObject({
  version: t.isLiteral(1),
  keys: t.isRecord(t.cascade(t.isString(), [t.matchesRegExp(SECRET_TEXT_PATTERN)]), {keys: t.cascade(t.isString(), [t.matchesRegExp(ACCESS_KEY_ID_PATTERN)])}),
});

type Keys = Record<string, string>;

/** How many times a passphrase is asked for before giving up, as sudo does. */
const PASSPHRASE_TRIES = 3;

const INSTEAD = `or name a private file holding the passphrase in AWSMFA_PASSPHRASE_FILE`;

/** The passphrase in the file AWSMFA_PASSPHRASE_FILE names (private to this user); undefined when it names none. */
function passphraseFromFile(env: Env): string | undefined {
  const named = envValue(env, `AWSMFA_PASSPHRASE_FILE`);
  if (named === undefined)
    return undefined;
  let bytes: Buffer | undefined;
  try {
    // A passphrase file is a secret: no one else may even read it (0600 or 0400, as ssh asks of a private key).
    bytes = readPrivateFile(named, {secret: true});
  } catch (error) {
    throw new ConfigError(error instanceof ForeignFileError
      ? `AWSMFA_PASSPHRASE_FILE ${visible(named)} ${error.why}: it must be a regular file of yours that no one else can read or write (chmod 600 it)`
      : `cannot read AWSMFA_PASSPHRASE_FILE ${visible(named)}: ${(error as Error).message}`);
  }
  if (bytes === undefined)
    throw new ConfigError(`AWSMFA_PASSPHRASE_FILE names ${visible(named)}, which does not exist`);
  const text = bytes.toString(`utf8`).replace(/\r?\n$/, ``);
  if (text === ``)
    throw new ConfigError(`AWSMFA_PASSPHRASE_FILE ${visible(named)} is empty`);
  return text;
}

/** The terminal to ask on; a ConfigError that says what to do instead when there is none. */
function terminalFor(env: Env, platform: NodeJS.Platform, file: string): Terminal {
  const terminal = openTerminal({platform, env});
  if (terminal === undefined)
    throw new ConfigError(`the keys are in the encrypted file ${visible(file)} and there is no terminal to ask its passphrase on: run in a terminal, ${INSTEAD}`);
  return terminal;
}

/** A new file's passphrase: AWSMFA_PASSPHRASE_FILE's, else typed twice on the terminal. */
async function newPassphrase(env: Env, platform: NodeJS.Platform, file: string): Promise<string> {
  const named = passphraseFromFile(env);
  if (named !== undefined)
    return named;
  const terminal = terminalFor(env, platform, file);
  try {
    const first = await terminal.ask(`New passphrase for ${visible(file)}: `, {hidden: true, instead: INSTEAD});
    if (!first)
      throw new ConfigError(`no passphrase entered`);
    if (await terminal.ask(`The same passphrase again: `, {hidden: true, instead: INSTEAD}) !== first)
      throw new ConfigError(`the two passphrases differ; nothing was written`);
    return first;
  } finally {
    terminal.close();
  }
}

/**
 * `work` (scrypt, about a second), with `awsmfa: <what> keys.age…` on the terminal meanwhile: the one given, else
 * one opened for it when there is one (none under cron or CI: nothing is shown then).
 */
async function showing<T>(what: string, context: {env: Env, platform: NodeJS.Platform, terminal?: Terminal | undefined}, work: () => Promise<T>): Promise<T> {
  let terminal = context.terminal;
  try {
    terminal ??= openTerminal(context);
  } catch {
    // A bad AWSMFA_PROMPT_TIMEOUT: said by the questions that use it; a line of progress is not worth failing for.
  }
  if (terminal === undefined)
    return work();
  try {
    return await terminal.during(`awsmfa: ${what} ${KEYS_FILE_NAME}\u2026`, work);
  } finally {
    if (terminal !== context.terminal)
      terminal.close();
  }
}

export async function openAgeFile(env: Env, platform: NodeJS.Platform): Promise<KeyStore> {
  const location = keysLocation();
  const file = join(location.dir, `keys`, KEYS_FILE_NAME);
  /** The passphrase (asked once per process), and the file as last read or written, with its keys. */
  let cached: {passphrase: string, bytes: Buffer | undefined, keys: Keys} | undefined;

  /**
   * The keys folder, through the private-folder primitive. Its refusal speaks of the cache (AWSMFA_CACHE_DIR), which
   * does not move this folder: said here for the data folder, in one line.
   */
  const keysFolder = (create: boolean): PrivateFolder | undefined => {
    try {
      return openPrivateFolder(location, `keys`, create);
    } catch (error) {
      if (!(error instanceof UnsafeFolderError))
        throw error;
      const why = error.message.split(/: remove the link \(or set AWSMFA_CACHE_DIR|: set AWSMFA_CACHE_DIR|, or set AWSMFA_CACHE_DIR/)[0]!.replace(/ in its cache$/, ``);
      throw new ConfigError(`the encrypted keys cannot be kept here: ${visible(why)}; awsmfa keeps them only in a folder of this user's that no one else can write, reached through no link: fix or remove it, or name another data folder in XDG_DATA_HOME`, {cause: error});
    }
  };

  const read = (): Buffer | undefined => {
    const folder = keysFolder(false);
    try {
      return folder === undefined ? undefined : readPrivateFile(file);
    } catch (error) {
      // Said as it is: a huge file is no other user's doing, a link or another's file is not one awsmfa reads.
      throw new ConfigError(error instanceof ForeignFileError ? `${visible(file)} ${error.why}, and awsmfa reads its keys only from a private file of this user that no one else could have written: move it away (awsmfa keys import writes a new one)` : `cannot read ${visible(file)}: ${(error as Error).message}`);
    }
  };

  /**
   * The keys in `bytes`, or `wrong` when the passphrase does not open the file; scrypt by node:crypto (age-scrypt.ts),
   * with `awsmfa: unlocking keys.age…` on the terminal meanwhile.
   */
  const decrypt = async (bytes: Buffer, secret: string, terminal?: Terminal): Promise<Keys | `wrong`> => {
    const {Decrypter} = await import(`../bundles/age.js`);
    const decrypter = new Decrypter();
    const identity = new NodeScryptIdentity(secret);
    decrypter.addIdentity(identity);
    let text: string;
    try {
      text = await showing(`unlocking`, {env, platform, terminal}, () => decrypter.decrypt(bytes, `text`));
    } catch (error) {
      if (identity.wrong)
        return `wrong`;
      const message = (error as Error).message;
      throw new ConfigError(/MAC|hmac|tag|chunk/i.test(message)
        ? `${visible(file)} was changed since it was written (${visible(message)}): restore it, or remove it and import the keys again`
        : `${visible(file)} is not an age file awsmfa can read (one encrypted with a passphrase): ${visible(message)}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    const errors: string[] = [];
    if (!isKeysDocument(data, {errors}))
      throw new ConfigError(`${visible(file)} decrypts, but not to awsmfa's keys document (${shapeProblem(errors, `not JSON`)}): {"version": 1, "keys": {"AKIA…": "secret"}}`);
    return {...data.keys};
  };

  /**
   * The passphrase and keys of an existing file: AWSMFA_PASSPHRASE_FILE's passphrase (a wrong one fails at once,
   * in one line: no one is there to type another), else asked on the terminal, again after a wrong one, three times
   * in all as sudo does.
   */
  const unlock = async (bytes: Buffer): Promise<{passphrase: string, keys: Keys}> => {
    const named = passphraseFromFile(env);
    if (named !== undefined) {
      const keys = await decrypt(bytes, named);
      if (keys === `wrong`)
        throw new ConfigError(`wrong passphrase for ${visible(file)} in AWSMFA_PASSPHRASE_FILE: put the right one there`);
      return {passphrase: named, keys};
    }
    const terminal = terminalFor(env, platform, file);
    try {
      for (let attempt = 1; ; attempt++) {
        const secret = await terminal.ask(`Passphrase of ${visible(file)}: `, {hidden: true, instead: INSTEAD});
        if (!secret)
          throw new ConfigError(`no passphrase entered`);
        const keys = await decrypt(bytes, secret, terminal);
        if (keys !== `wrong`)
          return {passphrase: secret, keys};
        if (attempt === PASSPHRASE_TRIES)
          throw new ConfigError(`${PASSPHRASE_TRIES} wrong passphrases for ${visible(file)}`);
        terminal.say(`awsmfa: wrong passphrase, try again\n`);
      }
    } finally {
      terminal.close();
    }
  };

  /**
   * The keys the file holds now. The passphrase is asked once per process; the file is read every time (a cheap
   * read) and decrypted again only when another run changed it since: a read-back sees what is on disk.
   */
  const current = async (creating: boolean): Promise<{passphrase: string, bytes: Buffer | undefined, keys: Keys} | undefined> => {
    const bytes = read();
    if (cached !== undefined) {
      if (bytes === undefined ? cached.bytes === undefined : cached.bytes !== undefined && bytes.equals(cached.bytes))
        return cached;
      const keys = bytes === undefined ? {} : await decrypt(bytes, cached.passphrase);
      // Another run wrote the file since, with another passphrase.
      if (keys === `wrong`)
        throw new ConfigError(`${visible(file)} was written again meanwhile with another passphrase: run again`);
      return cached = {passphrase: cached.passphrase, bytes, keys};
    }
    if (bytes === undefined)
      return creating ? cached = {passphrase: await newPassphrase(env, platform, file), bytes, keys: {}} : undefined;
    return cached = {...await unlock(bytes), bytes};
  };

  /**
   * Read-modify-write under the file's lock: the keys are read again once the lock is held, so that two runs at
   * once (two imports) each add to what the other wrote, instead of the last writer dropping a key the first had
   * already removed from ~/.aws/credentials. The passphrase is asked before the lock is taken (never held while
   * the person types). `edit` returns undefined when there is nothing to change.
   */
  const change = async (creating: boolean, edit: (keys: Keys) => Keys | undefined): Promise<boolean> => {
    if (await current(creating) === undefined)
      return false;
    const folder = keysFolder(true)!;
    const release = lock(file, env, lockWaitMs(env, KEYS_LOCK_WAIT_MS));
    try {
      const now = (await current(creating))!;
      const keys = edit(now.keys);
      if (keys === undefined)
        return false;
      const {Encrypter, Stanza} = await import(`../bundles/age.js`);
      const encrypter = new Encrypter();
      encrypter.addRecipient(new NodeScryptRecipient(now.passphrase, Stanza));
      const bytes = Buffer.from(await showing(`encrypting`, {env, platform}, () => encrypter.encrypt(JSON.stringify({version: 1, keys}))));
      writeOwnFile(folder, KEYS_FILE_NAME, bytes);
      cached = {passphrase: now.passphrase, bytes, keys};
      return true;
    } finally {
      release();
    }
  };

  return {
    name: `file`,
    where: `the encrypted file ${file}`,
    get: async accessKeyId => {
      const keys = (await current(false))?.keys ?? {};
      return Object.hasOwn(keys, accessKeyId) ? keys[accessKeyId] : undefined;
    },
    set: async (accessKeyId, secretAccessKey) => {
      await change(true, keys => ({...keys, [accessKeyId]: secretAccessKey}));
    },
    remove: async accessKeyId => change(false, keys => {
      if (!Object.hasOwn(keys, accessKeyId))
        return undefined;
      const rest = {...keys};
      delete rest[accessKeyId];
      return rest;
    }),
  };
}
