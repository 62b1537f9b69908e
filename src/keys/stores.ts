import type {SourceKeys} from '../request.js';
import {SECRET_TEXT_PATTERN} from '../aws/credentials.js';
import type {Env} from '../env.js';
import {ConfigError} from '../errors.js';
import type {StoreName} from '../key-marker.js';
import type {KeyStore} from './store.js';

/** What opening a store may touch. */
export interface StoreContext {
  readonly env: Env;
  readonly platform: NodeJS.Platform;
}

/** The table of stores, by the name a profile's awsmfa_key_store gives. Each is imported only when opened. */
const STORES: Record<StoreName, (context: StoreContext) => Promise<KeyStore>> = {
  keyring: async context => (await import(`./keyring.js`)).openKeyring(context.platform),
  file: async context => (await import(`./age-file.js`)).openAgeFile(context.env, context.platform),
};

/**
 * Each store is opened once per process: a command that reads a secret and then writes one (rotate), or looks the
 * device up and then signs the session, asks the file store's passphrase (or the OS for its unlock) once.
 */
const opened = new Map<StoreName, Promise<KeyStore>>();

export async function openStore(name: StoreName, context: StoreContext): Promise<KeyStore> {
  let store = opened.get(name);
  if (store === undefined) {
    store = STORES[name](context);
    opened.set(name, store);
    // A failed open (a locked keyring, a wrong passphrase) is not remembered: the next attempt asks again.
    store.catch(() => opened.delete(name));
  }
  return store;
}

/**
 * The keys with their secret: as they are for keys from the AWS files or the environment; fetched from the store
 * for a profile whose secret is there. Called where a new session is signed with the long-term keys, once.
 */
export async function unlockSource(source: SourceKeys, context: StoreContext, log: (message: string) => void): Promise<SourceKeys & {secretAccessKey: string}> {
  if (source.secretAccessKey !== undefined)
    return {...source, secretAccessKey: source.secretAccessKey};
  const store = await openStore(source.store!, context);
  log(`reading the secret of ${source.accessKeyId} from ${store.where}`);
  const secretAccessKey = await store.get(source.accessKeyId);
  if (secretAccessKey === undefined)
    throw new ConfigError(`${store.where} holds no secret for ${source.accessKeyId} (${source.origin}): add it with awsmfa keys add, or put the keys back in ~/.aws/credentials`);
  if (!SECRET_TEXT_PATTERN.test(secretAccessKey))
    throw new ConfigError(`the secret of ${source.accessKeyId} in ${store.where} holds characters no secret access key has: store it again with awsmfa keys add`);
  return {...source, secretAccessKey};
}
