import {closeSync, constants as fsConstants, fstatSync, openSync, readSync, type Stats} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {ConfigError, fileError} from '../errors.js';
import {IniSyntaxError, nestedValues, parseIni, shlexSplit, valuesOf, type IniFile, type IniSection} from './ini.js';
import {envValue, type Env} from '../env.js';
import {Derived, mergeSettings, type ProfileSettings} from './profile-settings.js';
import {HIDDEN_FILE} from '../contract.js';
import {didYouMean} from '../did-you-mean.js';

/**
 * The home folder, from the environment first so tests and `sudo -E` see the same files as the user. On Windows
 * %USERPROFILE%, as the AWS CLI (Python's expanduser) and Node's os.homedir() take it: a HOME that Git Bash, MSYS2 or
 * Emacs set there may name another folder, whose .aws the AWS CLI never reads.
 */
export function homeDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  if (platform === `win32`)
    return envValue(env, `USERPROFILE`) ?? homedir();
  return envValue(env, `HOME`) ?? envValue(env, `USERPROFILE`) ?? homedir();
}

/** A variable as Windows looks it up (names in any case); set but empty is still set, as Python's os.environ has it. */
function windowsVariable(env: Env, name: string): string | undefined {
  const key = Object.keys(env).find(other => other.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

/**
 * Python's ntpath.expandvars, which botocore applies on Windows: `%VAR%`, `$VAR` (letters, digits, `_` and `-`) and
 * `${VAR}` expanded, names in any case; `%%` and `$$` stand for `%` and `$`; nothing between single quotes is
 * touched (the quotes stay); an unknown variable is left as it is.
 */
function expandWindowsVariables(path: string, env: Env): string {
  let out = ``;
  for (let index = 0; index < path.length; index++) {
    const char = path[index]!;
    const rest = path.slice(index + 1);
    if (char === `'`) {
      const end = rest.indexOf(`'`);
      out += end === -1 ? path.slice(index) : path.slice(index, index + end + 2);
      index = end === -1 ? path.length : index + end + 1;
    } else if ((char === `%` || char === `$`) && rest.startsWith(char)) {
      out += char;
      index++;
    } else if (char === `%` || (char === `$` && rest.startsWith(`{`))) {
      const [open, end] = char === `%` ? [`%`, rest.indexOf(`%`)] : [`\${`, rest.indexOf(`}`)];
      if (end === -1) {
        out += path.slice(index);
        break;
      }
      const name = char === `%` ? rest.slice(0, end) : rest.slice(1, end);
      out += windowsVariable(env, name) ?? `${open}${name}${char === `%` ? `%` : `}`}`;
      index += end + 1;
    } else if (char === `$`) {
      const name = /^[A-Za-z0-9_-]*/.exec(rest)![0];
      out += windowsVariable(env, name) ?? `$${name}`;
      index += name.length;
    } else {
      out += char;
    }
  }
  return out;
}

/**
 * `$VAR`, `${VAR}` and a leading `~` expanded, as botocore expands AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
 * (os.path.expandvars, then expanduser): an unknown variable is left as it is. On Windows `%VAR%` too, by
 * ntpath's rules (above), and `~` is %USERPROFILE%.
 */
export function expandPath(path: string, env: Env, platform: NodeJS.Platform = process.platform): string {
  const expanded = platform === `win32` ? expandWindowsVariables(path, env)
    : path.replace(/\$(\w+|\{([^}]*)\})/g, (whole, name: string, braced: string | undefined) => env[braced ?? name] ?? whole);
  return expanded === `~` || expanded.startsWith(`~/`) || expanded.startsWith(`~\\`) ? join(homeDir(env, platform), expanded.slice(1)) : expanded;
}

/**
 * A file variable as awsmfa reads it: a value that is the contract's HIDDEN_FILE (set by `serve` or `exec --server`
 * to keep the file from the SDKs) names the usual file, which awsmfa still needs for the user's keys and profiles.
 */
function fileVariable(env: Env, name: string): string | undefined {
  const value = envValue(env, name);
  return value === HIDDEN_FILE.value ? undefined : value;
}

export function credentialsPath(env: Env): string {
  return expandPath(fileVariable(env, `AWS_SHARED_CREDENTIALS_FILE`) ?? join(homeDir(env), `.aws`, `credentials`), env);
}

export function configPath(env: Env): string {
  return expandPath(fileVariable(env, `AWS_CONFIG_FILE`) ?? join(homeDir(env), `.aws`, `config`), env);
}

/**
 * Far above any real AWS file (a generated config of 10,000 role profiles is about 1 MiB), far below what would
 * hurt: a file larger than this is refused rather than read.
 */
export const AWS_FILE_CAP = 16 * 1024 * 1024;

/** What a file that is not a regular file is, in the words of a message. */
function kindOf(stat: Stats): string {
  return stat.isDirectory() ? `a folder` : stat.isFIFO() ? `a FIFO` : stat.isCharacterDevice() ? `a character device`
    : stat.isBlockDevice() ? `a block device` : stat.isSocket() ? `a socket` : `no file awsmfa can read`;
}

const DEFAULT_HINT = `check AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE`;

/** The refusal of a file that is not a regular file: one line naming it and what it is. */
export function notRegularFile(path: string, stat: Stats, hint = DEFAULT_HINT): ConfigError {
  return new ConfigError(`${path} is not a regular file (it is ${kindOf(stat)}); ${hint}`);
}

// O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever, before fstat could say what it is (on a
// regular file the flag changes nothing). O_NOCTTY: a terminal named here must not become ours. Windows has neither.
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_NOCTTY ?? 0);

/**
 * The bytes of a regular file of at most `cap` bytes, or undefined when it does not exist (ENOENT, ENOTDIR). A
 * FIFO, a device (/dev/zero, /dev/stdin), a socket or a folder is refused with one line naming the file and what it
 * is, and so is a larger file; `hint` ends that line (what to check). Whatever AWS_CONFIG_FILE or
 * AWS_SHARED_CREDENTIALS_FILE names, reading it ends, and soon. The check is made on the open file (fstat), so a
 * swap between check and read cannot fool it; a file that grows while read is cut at `cap` + 1 bytes and refused.
 * Other errors are the filesystem's. Every read of an AWS file (the full CLI, login and logout, devices --save, the
 * fast path's first parse) and of the locks beside them comes through here.
 */
export function readRegularFile(path: string, {cap = AWS_FILE_CAP, hint = DEFAULT_HINT} = {}): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === `ENOENT` || (error as NodeJS.ErrnoException).code === `ENOTDIR`)
      return undefined;
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw notRegularFile(path, stat, hint);
    const tooLarge = () => new ConfigError(`${path} is larger than ${cap >= 1024 * 1024 ? `${Math.round(cap / 1024 / 1024)} MiB` : `${cap} bytes`}${hint === DEFAULT_HINT ? `, far more than any AWS file holds` : ``}; ${hint}`);
    if (stat.size > cap)
      throw tooLarge();
    // The size fstat gave, read as readFileSync reads it (no extra call to find the end). A size of 0 may be a
    // file that does not know its size (/proc): read to the end then, up to cap + 1 bytes.
    let buffer = Buffer.allocUnsafe(stat.size > 0 ? stat.size : Math.min(64 * 1024, cap + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (stat.size > 0 || length > cap)
          break;
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, cap + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0)
        break;
      length += read;
    }
    if (length > cap)
      throw tooLarge();
    return length === buffer.length ? buffer : buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * The file's text, or undefined when it does not exist; text that is not UTF-8 is refused, as botocore refuses it.
 * `hint` ends the line that refuses a file (what to check), for a file that is not an AWS file (a shell's rc file).
 */
export function readIfExists(path: string, hint?: string): string | undefined {
  let bytes: Buffer | undefined;
  try {
    bytes = readRegularFile(path, hint === undefined ? {} : {hint});
  } catch (error) {
    throw fileError(`read`, path, error);
  }
  if (bytes === undefined)
    return undefined;
  // Buffer's decoding is the fast one; only text that holds U+FFFD (a broken byte, or a real U+FFFD) is checked
  // again by a strict decoder, whose setup would cost every start.
  const text = bytes.toString(`utf8`);
  if (!text.includes(`\ufffd`))
    return text;
  try {
    return new TextDecoder(`utf-8`, {fatal: true, ignoreBOM: true}).decode(bytes);
  } catch {
    throw new ConfigError(hint === undefined ? `${path} is not UTF-8 text, and the AWS CLI cannot read it either; save it as UTF-8` : `${path} is not UTF-8 text; ${hint}`);
  }
}

/** Parses an AWS file, or says in one line where the AWS CLI would fail on it too. */
function parseAwsFile(path: string, text: string): IniFile {
  try {
    return parseIni(text);
  } catch (error) {
    if (error instanceof IniSyntaxError)
      throw new ConfigError(`${path}, ${error.message}; the AWS CLI cannot read this file either: fix that line`);
    throw error;
  }
}

/** The profile a config-file section defines: `[default]`, or `[profile NAME]` as botocore splits it (shlex). */
export function configProfileName(section: string): string | undefined {
  if (section === `default`)
    return `default`;
  if (!section.startsWith(`profile`))
    return undefined;
  // The usual `profile NAME`, with nothing shlex would treat specially, needs no shlex.
  const plain = /^profile[ \t]+([^\s'"\\]+)[ \t]*$/.exec(section);
  if (plain)
    return plain[1];
  const words = shlexSplit(section);
  return words?.length === 2 ? words[1] : undefined;
}

/**
 * ~/.aws/credentials and ~/.aws/config, resolved into profiles as botocore resolves them: the config file's
 * `[default]` and `[profile NAME]` sections (a later one replacing an earlier one of the same name), then the
 * credentials file's sections by their plain names, whose keys override the config file's key by key. Each file's
 * `[DEFAULT]` keys go to every section of that file.
 */
export class AwsFiles {
  readonly credentials: IniFile | undefined;
  readonly config: IniFile | undefined;
  /** The section of each profile; its keys (with [DEFAULT]'s) are made when first asked for. */
  private readonly configProfiles = new Map<string, IniSection>();
  private readonly credentialProfiles = new Map<string, IniSection>();
  private readonly made = new Map<IniSection, Record<string, string>>();
  /** Each profile's settings as `setting` and `locate` answer them, merged when first asked for. */
  private readonly merged = new Map<string, ProfileSettings>();
  /** What was worked out of a profile's settings alone (see derive). */
  private readonly derived = new Derived<AwsFiles>(this);
  /** Named `services` sections of the config file (`[services NAME]`), for service-specific endpoints. */
  private readonly services = new Map<string, Record<string, string>>();
  /** Named `sso-session` sections of the config file (`[sso-session NAME]`), for IAM Identity Center profiles. */
  private readonly ssoSessions = new Map<string, Record<string, string>>();

  constructor(readonly credentialsPath: string, readonly configPath: string) {
    const credentials = readIfExists(credentialsPath);
    const config = readIfExists(configPath);
    this.credentials = credentials === undefined ? undefined : parseAwsFile(credentialsPath, credentials);
    this.config = config === undefined ? undefined : parseAwsFile(configPath, config);
    for (const section of this.config?.sections ?? []) {
      const profile = configProfileName(section.name);
      if (profile !== undefined) {
        this.configProfiles.set(profile, section);
      } else {
        // As botocore's configloader reads them: the section's name split as shlex splits it, two words.
        const named = section.name.startsWith(`services`) ? this.services : section.name.startsWith(`sso-session`) ? this.ssoSessions : undefined;
        const words = named === undefined ? undefined : shlexSplit(section.name);
        if (words?.length === 2)
          named!.set(words[1]!, valuesOf(this.config!, section));
      }
    }
    for (const section of this.credentials?.sections ?? [])
      this.credentialProfiles.set(section.name, section);
  }

  /**
   * `compute` for the profile once, its value or its error kept: what depends only on the files (which do not change
   * once read) is worked out once per profile, however often resolving many profiles asks for it (`awsmfa profiles`
   * walks each role's chain several times, and every role of a team's config shares one source).
   */
  derive<T>(compute: (files: AwsFiles, profile: string) => T, profile: string): T {
    return this.derived.get(compute, profile);
  }

  private valuesIn(file: IniFile | undefined, section: IniSection | undefined): Record<string, string> | undefined {
    if (file === undefined || section === undefined)
      return undefined;
    let values = this.made.get(section);
    if (values === undefined)
      this.made.set(section, values = valuesOf(file, section));
    return values;
  }

  /**
   * The usual files (~/.aws/credentials and ~/.aws/config) when the environment names others: a key in a store is
   * shared by every file whose marker names it, and the stores do not follow AWS_SHARED_CREDENTIALS_FILE.
   */
  usual: AwsFiles | undefined;

  static load(env: Env): AwsFiles {
    const files = new AwsFiles(credentialsPath(env), configPath(env));
    const usual = [join(homeDir(env), `.aws`, `credentials`), join(homeDir(env), `.aws`, `config`)] as const;
    if (usual[0] !== files.credentialsPath || usual[1] !== files.configPath) {
      // Read only when asked (holdersOf): the paths of every other command cost nothing more.
      let loaded: AwsFiles | undefined;
      Object.defineProperty(files, `usual`, {get: () => loaded ??= new AwsFiles(usual[0], usual[1])});
    }
    return files;
  }

  /** The profile's keys in the credentials file (`[name]`). */
  credentialsOf(profile: string): Record<string, string> | undefined {
    return this.valuesIn(this.credentials, this.credentialProfiles.get(profile));
  }

  /** The profile's keys in the config file (`[profile name]`, or `[default]`). */
  configOf(profile: string): Record<string, string> | undefined {
    return this.valuesIn(this.config, this.configProfiles.get(profile));
  }

  /** Whether either file gives the profile any of these keys (its section's own or [DEFAULT]'s), empty or not. */
  hasAnyKey(profile: string, keys: readonly string[]): boolean {
    const has = (file: IniFile | undefined, section: IniSection | undefined) => file !== undefined && section !== undefined
      && (section.entries.some(entry => keys.includes(entry.key)) || file.defaults.some(entry => keys.includes(entry.key)));
    return has(this.credentials, this.credentialProfiles.get(profile)) || has(this.config, this.configProfiles.get(profile));
  }

  /** A setting of the profile: the credentials file's, else the config file's (botocore merges them so). */
  setting(profile: string, key: string): string | undefined {
    return this.locate(profile, key)?.value;
  }

  /**
   * A setting of the profile and where it is, for messages: `region of profile 'work' in /home/me/.aws/config`.
   * An empty value (`region =`) is no setting, as botocore's clients take it.
   */
  locate(profile: string, key: string): {value: string, origin: string} | undefined {
    // From the profile's settings merged once: resolving 10,000 profiles (`awsmfa profiles`) asks about a million
    // times, and building each answer anew was most of its time and garbage.
    let merged = this.merged.get(profile);
    if (merged === undefined) {
      merged = mergeSettings(profile, {file: this.config, section: this.configProfiles.get(profile), path: this.configPath},
        {file: this.credentials, section: this.credentialProfiles.get(profile), path: this.credentialsPath});
      this.merged.set(profile, merged);
    }
    return merged.get(key);
  }

  /** A key of the named services section: `[services NAME]` `sts =` `  endpoint_url = …` gives (NAME, sts, endpoint_url). */
  serviceSetting(services: string, service: string, key: string): {value: string, origin: string} | undefined {
    const nested = this.services.get(services)?.[service];
    const value = nested === undefined ? undefined : nestedValues(nested)[key];
    return value === undefined ? undefined : {value, origin: `${service} ${key} of [services ${services}] in ${this.configPath}`};
  }

  /**
   * A key of the named sso-session section (`[sso-session NAME]`) and where it is, for messages; an empty value is
   * no setting, as for a profile's.
   */
  ssoSessionSetting(session: string, key: string): {value: string, origin: string} | undefined {
    const value = this.ssoSessions.get(session)?.[key];
    return value === undefined || value === `` ? undefined : {value, origin: `${key} of [sso-session ${session}] in ${this.configPath}`};
  }

  hasSsoSession(session: string): boolean {
    return this.ssoSessions.has(session);
  }

  /** The profiles of the credentials file that hold long-term keys (a key pair and no session token). */
  longTermProfiles(): string[] {
    return [...this.credentialProfiles.keys()].filter(name => {
      const values = this.credentialsOf(name)!;
      return values.aws_access_key_id !== undefined && values.aws_secret_access_key !== undefined && values.aws_session_token === undefined;
    });
  }

  /** Every profile name, as botocore lists them: the config file's first, then those only in the credentials file. */
  profileNames(): string[] {
    return [...new Set([...this.configProfiles.keys(), ...this.credentialProfiles.keys()])];
  }

  hasProfile(profile: string): boolean {
    return this.credentialProfiles.has(profile) || this.configProfiles.has(profile);
  }

  /** `; did you mean 'work'?` when `name` is a slip of one of `among` (these files' profiles), as for commands and options. */
  slipOf(name: string, among: readonly string[] = this.profileNames()): string {
    const meant = didYouMean(name, among);
    return meant === undefined ? `` : `; did you mean '${meant}'?`;
  }

  /** That `profile` is in neither file, as one line that names the profile of these files it is a slip of. */
  notFound(profile: string, what = `profile '${profile}'`): string {
    return `${what} is not in ${this.credentialsPath} nor ${this.configPath}${this.slipOf(profile)}`;
  }

  /** The sections of the credentials file, by name (the profiles `login` writes into and `logout` removes). */
  credentialsProfiles(): string[] {
    return [...this.credentialProfiles.keys()];
  }
}
