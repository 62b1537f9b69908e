import {ConfigError} from './errors.js';
import {quoted} from './terminal.js';

/**
 * The stores long-term keys may live in besides the AWS files. This module is read on the cached path (resolving a
 * profile names its session by the access key id): it imports no store, only says which one holds the secret.
 */
export const STORE_NAMES = [`keyring`, `file`] as const;
export type StoreName = typeof STORE_NAMES[number];

/**
 * The profile's keys are in a store: `awsmfa_key_store = keyring` and `awsmfa_access_key_id = AKIA…` in its
 * section, where `aws_access_key_id` and `aws_secret_access_key` were. The key id is no secret (it names the key,
 * as in every CloudTrail record), and with it here the cached path finds the session without opening the store.
 * botocore ignores both settings.
 */
export const MARKER_KEYS = {store: `awsmfa_key_store`, accessKeyId: `awsmfa_access_key_id`} as const;

/** What a profile section's marker says, checked; undefined when it has none. */
export function storedKeysOf(values: Record<string, string> | undefined, origin: string): {store: StoreName, accessKeyId: string} | undefined {
  const store = values?.[MARKER_KEYS.store];
  const accessKeyId = values?.[MARKER_KEYS.accessKeyId];
  if (store === undefined && accessKeyId === undefined)
    return undefined;
  if (store === undefined || accessKeyId === undefined)
    throw new ConfigError(`${origin} has only one of ${MARKER_KEYS.store} and ${MARKER_KEYS.accessKeyId}: it needs both (awsmfa keys import writes them)`);
  const name = STORE_NAMES.find(known => known === store);
  if (name === undefined)
    throw new ConfigError(`${origin} has ${MARKER_KEYS.store} = ${quoted(store)}, not one of ${STORE_NAMES.join(`, `)}`);
  if (!/^[A-Z0-9]{16,128}$/.test(accessKeyId))
    throw new ConfigError(`${origin} has an ${MARKER_KEYS.accessKeyId} that is not an access key id (16 to 128 capital letters and digits)`);
  return {store: name, accessKeyId};
}
