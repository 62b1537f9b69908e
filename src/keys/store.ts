import type {StoreName} from '../key-marker.js';

/**
 * A place that holds long-term secret access keys, by access key id. Only the secret is stored (the id is in the
 * profile, see marker.ts): some 40 bytes, far below Windows Credential Manager's 2,560-byte limit. Opened only where
 * a new session is signed with the long-term keys, and by `awsmfa keys`; never on the cached path.
 */
export interface KeyStore {
  readonly name: StoreName;
  /** Where it is, for messages: `the OS keyring (Secret Service)`, `the age file /home/me/.local/share/awsmfa/keys/keys.age`. */
  readonly where: string;
  get(accessKeyId: string): Promise<string | undefined>;
  set(accessKeyId: string, secretAccessKey: string): Promise<void>;
  /** True when there was something to remove. */
  remove(accessKeyId: string): Promise<boolean>;
}
