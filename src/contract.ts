/**
 * The facts the shells' files (shell/) share with the CLI, stated once. scripts/render-shell.ts writes the parts
 * of shell/ that repeat them (the regions between `>>> contract: NAME` and `<<< contract: NAME`) from this module
 * and from the CLI's own clipanion definitions (commands, options, descriptions); test/contract.test.ts fails,
 * naming the file and the fact, when any file under shell/ differs from what they say. Kept to constants and one
 * small function: the loader (src/bin/awsmfa.ts) and the fast path import it.
 */
import {join} from 'node:path';

/**
 * What `env` sets, in the order every dialect prints them, and `unset` removes: the session; its end under both
 * names tools read (the AWS CLI and SDKs AWS_CREDENTIAL_EXPIRATION, prompt themes AWS_SESSION_EXPIRATION); and the
 * profile it belongs to (AWSMFA_PROFILE), which awsmfa reads when AWS_PROFILE is not set, so a refresh stays on it.
 */
export const SESSION_VARIABLES = [`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION`, `AWS_SESSION_EXPIRATION`, `AWSMFA_PROFILE`] as const;

/** The region variables: the JS SDK reads AWS_REGION, boto3 only AWS_DEFAULT_REGION, the AWS CLI both. */
export const REGION_VARIABLES = [`AWS_REGION`, `AWS_DEFAULT_REGION`] as const;

/** Where awsmfa notes the region it exported, so that only that one is ever removed again. */
export const REGION_MARK = `AWSMFA_REGION`;

/**
 * What `awsmfa serve` sets in a shell besides the region and AWSMFA_PROFILE: the container endpoint's URL and token
 * (which every SDK reads), and the server's pid. The pid marks the other two as awsmfa's: `unset` and `mfa-unset`
 * remove them only while it is set (in an ECS task or an EKS pod they are the platform's own).
 */
export const SERVER = {pid: `AWSMFA_SERVER_PID`, variables: [`AWS_CONTAINER_CREDENTIALS_FULL_URI`, `AWS_CONTAINER_AUTHORIZATION_TOKEN`]} as const;

/**
 * How `serve` and `exec --server` hide a file from the SDKs, whose default chains read the default profile (and
 * botocore ~/.boto) before the container endpoint: the file's variable is set to a path under the null device,
 * which cannot exist (ENOTDIR: no one can create it), so every SDK reads no file there. awsmfa itself reads the
 * usual file in its place (src/aws-files/files.ts), and `unset`/`mfa-unset` remove a variable that holds exactly
 * this value, which is then the shell's as before (serve hides only a variable the shell did not set).
 */
export const HIDDEN_FILE = {value: `/dev/null/hidden-by-awsmfa`, variables: [`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, `BOTO_CONFIG`]} as const;

/**
 * The profile variables a session takes the place of (the JS SDK would prefer them to the session's keys), each
 * with the variable where `env` and `mfa` keep its value while the session is in the shell, so that `unset` and
 * `mfa-unset` put it back (unless it was set again meanwhile). The line that says a session was served says so too,
 * as SET_ASIDE_NOTE fills it: the names, joined by `join`, between `before` and `after`.
 */
export const SET_ASIDE = [[`AWS_PROFILE`, `AWSMFA_AWS_PROFILE`], [`AWS_DEFAULT_PROFILE`, `AWSMFA_AWS_DEFAULT_PROFILE`]] as const;
export const SET_ASIDE_NOTE = {before: ` (`, join: ` and `, after: ` set aside until mfa-unset)`} as const;

/** SET_ASIDE_NOTE for these names; empty for none. */
export function setAsideNote(names: readonly string[]): string {
  return names.length === 0 ? `` : `${SET_ASIDE_NOTE.before}${names.join(SET_ASIDE_NOTE.join)}${SET_ASIDE_NOTE.after}`;
}

/** The profile a request is for, when no --profile is given: the first of these that is set, else the default. */
export const PROFILE_PRECEDENCE = [`AWS_PROFILE`, `AWS_DEFAULT_PROFILE`, `AWSMFA_PROFILE`] as const;
export const DEFAULT_PROFILE = `default`;

/**
 * Profile names a shell can turn into a file name with a pattern match alone (the shells' files): these
 * characters, 1 to this many of them.
 */
export const QUICK_PROFILE = {characters: `ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@+-`, maxLength: 128} as const;

/** A cached session is served only with more than this left (the default of --min-remaining), in seconds. */
export const MARGIN_SECONDS = 300;
export const MARGIN_TEXT = `5m`;

/**
 * awsmfa's cache folder: `$AWSMFA_CACHE_DIR`, else the platform's, as env-paths names it with no suffix: macOS
 * `~/Library/Caches/awsmfa`, Windows `%LOCALAPPDATA%\awsmfa\Cache`, elsewhere `${XDG_CACHE_HOME:-~/.cache}/awsmfa`.
 * The shells tell macOS by `$OSTYPE` (bash, zsh: darwin*) and, fish having no such variable and no fork allowed,
 * by the system's own version file, which every macOS has and no other system.
 */
export const CACHE_FOLDER = {
  override: `AWSMFA_CACHE_DIR`,
  name: `awsmfa`,
  macos: [`Library`, `Caches`],
  macosMarker: `/System/Library/CoreServices/SystemVersion.plist`,
  xdg: `XDG_CACHE_HOME`,
  xdgDefault: `.cache`,
} as const;

/** The cache folder for this environment, and whether awsmfa chose it (and so may create it). */
export function cacheLocationFor(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform, home: string): {dir: string, own: boolean} {
  const override = env[CACHE_FOLDER.override];
  if (override !== undefined && override !== ``)
    return {dir: override, own: false};
  const dir = platform === `darwin` ? join(home, ...CACHE_FOLDER.macos, CACHE_FOLDER.name)
    : platform === `win32` ? join(env.LOCALAPPDATA || join(home, `AppData`, `Local`), CACHE_FOLDER.name, `Cache`)
      : join(env[CACHE_FOLDER.xdg] || join(home, CACHE_FOLDER.xdgDefault), CACHE_FOLDER.name);
  return {dir, own: true};
}

/** The shells' files: `<cache>/profiles/<profile>.env`. */
export const SHELL_FILES = {folder: `profiles`, extension: `.env`} as const;

/** What a shells' file records besides the session's variables; any other name makes the shell refuse the file. */
export const SHELL_FILE_RECORDS = [`AWSMFA_EXPIRES`, `AWSMFA_CONFIG_FILE`, `AWSMFA_CREDENTIALS_FILE`, `AWSMFA_CONFIGURED_REGION`, `AWSMFA_CONFIG_STAT`, `AWSMFA_CREDENTIALS_STAT`] as const;

/** Set to this value, it turns awsmfa's informational lines off (as --quiet does), the shells' `mfa` line included. */
export const QUIET = {variable: `AWSMFA_QUIET`, value: `1`} as const;

/**
 * Whether awsmfa's informational lines are off: `asked` (--quiet, -q) or QUIET in the environment. Decided here once
 * per run, by the full CLI (base-command.ts, into the context's notes) and by the fast path, which has no context.
 */
export function isQuiet(asked: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return asked || env[QUIET.variable] === QUIET.value;
}

/**
 * Time left, as every line of awsmfa shows it (`11h 42m`, `0h 05m`): whole hours and minutes, rounded down, as a
 * printf format the shells fill with their builtins from the same two numbers.
 */
export const SPAN_FORMAT = `%dh %02dm`;

/**
 * The line that says a cached session was served, as a printf format (the shells print it with their printf
 * builtin): the profile, the time left (SPAN_FORMAT), and what was set aside (setAsideNote, or nothing).
 */
export const SERVED_FORMAT = `awsmfa: %s: cached session, ${SPAN_FORMAT} left%s\n`;

/** A printf format filled with these values, as the shells' printf fills it (`%s`, `%d`, `%02d` only). */
function printf(format: string, values: Array<string | number>): string {
  const rest = [...values];
  return format.replace(/%(s|d|02d)/g, (_, kind: string) => {
    const value = rest.shift()!;
    return kind === `02d` ? String(value).padStart(2, `0`) : String(value);
  });
}

/**
 * The hours and minutes of SPAN_FORMAT for a span in seconds (a negative one counts as 0). The seconds are counted as
 * the shells count them, the end's second less the clock's whole second (`expires - EPOCHSECONDS`): for an end on a
 * whole second (STS's), that is the span rounded up to the second, so awsmfa and the shells never differ by a minute.
 */
function spanValues(seconds: number): [number, number] {
  const left = Math.max(0, Math.ceil(seconds));
  return [Math.floor(left / 3600), Math.floor(left % 3600 / 60)];
}

/** SPAN_FORMAT filled in for a span in seconds: `11h 42m`. */
export function spanText(seconds: number): string {
  return printf(SPAN_FORMAT, spanValues(seconds));
}

/**
 * SERVED_FORMAT filled in, as the shells' printf fills it. The shells only name profiles of the quick pattern; a
 * name with anything but printable ASCII is shown as a JSON string with every other character escaped, so that
 * the line can reach a terminal without the sanitizer (the fast path does not load it).
 */
export function servedLine(profile: string, leftSeconds: number, setAside: readonly string[] = []): string {
  const shown = /^[\x21-\x7e]+$/.test(profile) ? profile : JSON.stringify(profile).replace(/[^\x20-\x7e]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, `0`)}`);
  return printf(SERVED_FORMAT, [shown, ...spanValues(leftSeconds), setAsideNote(setAside)]);
}

/**
 * The first words of the commands of two words (`keys import`), as completion offers them before the second: what
 * the group is about (the second words follow it, from the CLI's own definitions).
 */
export const COMMAND_GROUPS: Readonly<Record<string, string>> = {keys: `long-term keys off the disk`};
