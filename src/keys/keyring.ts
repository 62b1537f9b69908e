import {ConfigError} from '../errors.js';
import {visible} from '../terminal.js';
import type {KeyStore} from './store.js';

/** The service name of awsmfa's entries; the account is the access key id, the secret the secret access key. */
export const KEYRING_SERVICE = `awsmfa`;

/** What the keyring store needs of @napi-rs/keyring: one entry per (service, account). A test may give a fake. */
export interface KeyringBackend {
  get(service: string, account: string): Promise<string | null>;
  set(service: string, account: string, password: string): Promise<void>;
  remove(service: string, account: string): Promise<boolean>;
}

/**
 * @napi-rs/keyring: the macOS Keychain, Windows Credential Manager, Secret Service on Linux. On Linux its default
 * falls back to the kernel's keyutils store when Secret Service is missing, and that store is lost at reboot (and
 * never asks for an unlock): awsmfa requires Secret Service, so a missing one is an error instead. macOS and Windows
 * take the same calls (the option is Linux's only).
 */
async function napiBackend(): Promise<KeyringBackend> {
  const {AsyncEntry} = await import(`@napi-rs/keyring`);
  const entry = (service: string, account: string) => new AsyncEntry(service, account, {linux: {store: `secret-service`}});
  return {
    get: async (service, account) => entry(service, account).getPassword(),
    set: async (service, account, password) => entry(service, account).setPassword(password),
    remove: async (service, account) => entry(service, account).deletePassword(),
  };
}

const INSTEAD = `or keep the keys in an encrypted file instead: awsmfa keys move --to file (or leave them in ~/.aws/credentials)`;

/** A keyring failure as one line: missing (no D-Bus, no Secret Service) or locked, and what to do instead. */
function keyringError(error: unknown, platform: NodeJS.Platform): ConfigError {
  const message = error instanceof Error ? error.message.split(`\n`)[0]! : String(error);
  if (/dismissed|locked|cancel/i.test(message))
    return new ConfigError(`the OS keyring is locked (${visible(message)}): unlock it (log in to the desktop, or gnome-keyring-daemon --unlock), ${INSTEAD}`, {cause: error});
  // Only Linux's Secret Service is a service the person can start; elsewhere the keyring is the system's own.
  const [what, start] = platform === `linux` ? [`no Secret Service on D-Bus (gnome-keyring or KeePassXC, with DBUS_SESSION_BUS_ADDRESS set)`, `start one, `]
    : [platform === `win32` ? `Windows Credential Manager` : platform === `darwin` ? `the macOS Keychain` : `the OS keyring`, ``];
  return new ConfigError(`the OS keyring cannot be used: ${what}: ${visible(message)}; ${start}${INSTEAD}`, {cause: error});
}

export async function openKeyring(platform: NodeJS.Platform, backend?: KeyringBackend): Promise<KeyStore> {
  const where = platform === `darwin` ? `the macOS Keychain` : platform === `win32` ? `Windows Credential Manager` : `the OS keyring (Secret Service)`;
  const use = async <T>(action: (chosen: KeyringBackend) => Promise<T>): Promise<T> => {
    try {
      return await action(backend ?? await napiBackend());
    } catch (error) {
      throw keyringError(error, platform);
    }
  };
  return {
    name: `keyring`,
    where,
    get: async accessKeyId => (await use(chosen => chosen.get(KEYRING_SERVICE, accessKeyId))) ?? undefined,
    set: async (accessKeyId, secretAccessKey) => use(chosen => chosen.set(KEYRING_SERVICE, accessKeyId, secretAccessKey)),
    remove: async accessKeyId => use(chosen => chosen.remove(KEYRING_SERVICE, accessKeyId)),
  };
}
