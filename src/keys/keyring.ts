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

/**
 * Nothing answers as Secret Service on the bus: no such name, or an activation that failed or never answered. D-Bus
 * says the last in words that hold "blocked" ("the message bus security policy blocked the reply"), so this is asked
 * before anything that looks for "locked". No bus at all (none set, a dead socket) is said on its own, with its mend.
 */
const NO_SECRET_SERVICE = /not provided by any \.service|ServiceUnknown|NameHasNoOwner|Did not receive a reply|timed out|exited with status|No such file/i;

/**
 * The line that starts gnome-keyring's Secret Service unlocked, on a machine without a desktop to ask for the
 * password (bash, zsh; the password is typed unseen, and a new login keyring takes it). `--replace`: D-Bus starts the
 * daemon on first use (the first keyring call of awsmfa did), and without it a second daemon would not take over;
 * `--unlock` reads the password from stdin; the daemon's own line (its control socket) is not the user's business.
 */
export const UNLOCK_LINE = `read -rs PW && printf %s "$PW" | gnome-keyring-daemon --replace --unlock --components=secrets >/dev/null; unset PW`;

/**
 * A keyring failure as one line: missing (no D-Bus, no Secret Service) or locked, and what to do instead. On Linux,
 * what mends it: a D-Bus session, and the line that unlocks gnome-keyring where no desktop asks for its password.
 */
function keyringError(error: unknown, platform: NodeJS.Platform): ConfigError {
  const message = error instanceof Error ? error.message.split(`\n`)[0]! : String(error);
  const said = visible(message);
  if (platform === `linux`) {
    // libdbus reached no session bus: none is set (it would autolaunch one under X11 only), or its socket is gone.
    if (/Failed to connect|autolaunch|DBUS_SESSION_BUS_ADDRESS/i.test(message))
      return new ConfigError(`the OS keyring cannot be used: no D-Bus session bus (${said}): on a machine without a desktop, start a shell that has one (dbus-run-session -- bash) and unlock the keyring there: ${UNLOCK_LINE}; ${INSTEAD}`, {cause: error});
    if (NO_SECRET_SERVICE.test(message))
      return new ConfigError(`the OS keyring cannot be used: no Secret Service answers on D-Bus (gnome-keyring or KeePassXC): ${said}; start one, ${INSTEAD}`, {cause: error});
    // Secret Service answered, but its login keyring is locked or not made yet, and it had no desktop to ask on.
    if (/\b(locked|dismissed|cancell?ed)\b|no result found|prompt|collection/i.test(message))
      return new ConfigError(`the OS keyring is locked (${said}), or has no login keyring yet: unlock it (a desktop asks at login; without one, type its password unseen, and a new keyring takes it): ${UNLOCK_LINE}; ${INSTEAD}`, {cause: error});
  }
  // Linux's locked keyring is said above, with its line.
  if (/\b(locked|dismissed|cancell?ed)\b/i.test(message))
    return new ConfigError(`the OS keyring is locked (${said}): unlock it (log in to the desktop), ${INSTEAD}`, {cause: error});
  // Only Linux's Secret Service is a service the person can start; elsewhere the keyring is the system's own.
  const what = platform === `win32` ? `Windows Credential Manager` : platform === `darwin` ? `the macOS Keychain` : `the OS keyring`;
  return new ConfigError(`the OS keyring cannot be used: ${what}: ${said}; ${INSTEAD}`, {cause: error});
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
