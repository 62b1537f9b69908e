import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {fileError} from '../errors.js';
import {parseIni, sectionValues, type IniFile} from './ini.js';

export type Env = Record<string, string | undefined>;

/** A variable's value, with an empty one taken as absent (an empty AWS_PROFILE means no profile). */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === `` ? undefined : value;
}

/** The home folder, from the environment first so tests and `sudo -E` see the same files as the user. */
export function homeDir(env: Env): string {
  return envValue(env, `HOME`) ?? envValue(env, `USERPROFILE`) ?? homedir();
}

function expandHome(path: string, env: Env): string {
  return path === `~` || path.startsWith(`~/`) || path.startsWith(`~\\`) ? join(homeDir(env), path.slice(1)) : path;
}

export function credentialsPath(env: Env): string {
  return expandHome(envValue(env, `AWS_SHARED_CREDENTIALS_FILE`) ?? join(homeDir(env), `.aws`, `credentials`), env);
}

export function configPath(env: Env): string {
  return expandHome(envValue(env, `AWS_CONFIG_FILE`) ?? join(homeDir(env), `.aws`, `config`), env);
}

/** The file's text, or undefined when it does not exist. */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, `utf8`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === `ENOENT` || (error as NodeJS.ErrnoException).code === `ENOTDIR`)
      return undefined;
    throw fileError(`read`, path, error);
  }
}

/** ~/.aws/credentials and ~/.aws/config, as the AWS CLI finds them. */
export class AwsFiles {
  readonly credentials: IniFile | undefined;
  readonly config: IniFile | undefined;

  constructor(readonly credentialsPath: string, readonly configPath: string) {
    const credentials = readIfExists(credentialsPath);
    const config = readIfExists(configPath);
    this.credentials = credentials === undefined ? undefined : parseIni(credentials);
    this.config = config === undefined ? undefined : parseIni(config);
  }

  static load(env: Env): AwsFiles {
    return new AwsFiles(credentialsPath(env), configPath(env));
  }

  /** The profile's keys in the credentials file (`[name]`). */
  credentialsOf(profile: string): Record<string, string> | undefined {
    return sectionValues(this.credentials, profile);
  }

  /** The profile's keys in the config file (`[profile name]`, or `[default]`). */
  configOf(profile: string): Record<string, string> | undefined {
    if (!this.config)
      return undefined;
    let values: Record<string, string> | undefined;
    for (const section of this.config.sections) {
      const match = /^profile\s+(.+)$/.exec(section.name);
      const name = match ? match[1]!.trim() : section.name === `default` ? `default` : undefined;
      if (name !== profile)
        continue;
      values = {...values, ...sectionValues({...this.config, sections: [section]}, section.name)};
    }
    return values;
  }

  /** A setting of the profile: the config file first, then the credentials file (the AWS CLI reads both). */
  setting(profile: string, key: string): string | undefined {
    return this.locate(profile, key)?.value;
  }

  /** A setting of the profile and where it is, for messages: `region of profile 'work' in /home/me/.aws/config`. */
  locate(profile: string, key: string): {value: string, origin: string} | undefined {
    for (const [values, path] of [[this.configOf(profile), this.configPath], [this.credentialsOf(profile), this.credentialsPath]] as const) {
      const value = values?.[key];
      if (value !== undefined)
        return {value, origin: `${key} of profile '${profile}' in ${path}`};
    }
    return undefined;
  }

  /** The profiles of the credentials file that hold long-term keys (a key pair and no session token). */
  longTermProfiles(): string[] {
    const names = [...new Set(this.credentials?.sections.map(section => section.name) ?? [])];
    return names.filter(name => {
      const values = this.credentialsOf(name);
      return values?.aws_access_key_id !== undefined && values.aws_secret_access_key !== undefined && values.aws_session_token === undefined;
    });
  }

  hasProfile(profile: string): boolean {
    return this.credentialsOf(profile) !== undefined || this.configOf(profile) !== undefined;
  }
}
