import {ConfigError} from '../errors.js';
import {envValue, type AwsFiles, type Env} from './files.js';
import {inlineCommentHint, RULES, type ValueRule} from './rules.js';

/** Long-term keys that may sign GetSessionToken, and where they came from (for messages). */
export interface SourceKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly origin: string;
}

/** Everything a GetSessionToken request needs but the code. */
export interface SessionRequest {
  readonly profile: string;
  readonly source: SourceKeys;
  readonly serialNumber: string;
  readonly durationSeconds: number | undefined;
  readonly region: string;
  readonly endpoint: string | undefined;
  /** A command that prints the MFA code (`mfa_process` in the profile). */
  readonly mfaProcess: string | undefined;
  /** With a role (`role_arn`), the session is AssumeRole's instead of GetSessionToken's. */
  readonly roleArn: string | undefined;
  readonly roleSessionName: string | undefined;
}

export interface RequestOptions {
  profile?: string | undefined;
  serialNumber?: string | undefined;
  durationSeconds?: number | undefined;
  region?: string | undefined;
  endpointUrl?: string | undefined;
  roleArn?: string | undefined;
  roleSessionName?: string | undefined;
}

/** The profile has no long-term keys at all (as opposed to broken ones): a first run can ask for them. */
export class MissingKeysError extends ConfigError {}

/** No MFA device is configured: a first run can ask for it. */
export class MissingSerialError extends ConfigError {}

export function profileName(options: {profile?: string | undefined}, env: Env): string {
  return options.profile ?? envValue(env, `AWS_PROFILE`) ?? envValue(env, `AWS_DEFAULT_PROFILE`) ?? `default`;
}

/**
 * The long-term keys of the profile, else of its `source_profile`, else of the environment. Keys that belong to
 * a session (an AWS_SESSION_TOKEN beside them) never sign: a session cannot ask STS for another session.
 */
export function resolveSource(files: AwsFiles, profile: string, env: Env, log: (message: string) => void): SourceKeys {
  for (const name of [profile, files.setting(profile, `source_profile`)]) {
    if (name === undefined)
      continue;
    for (const [values, path] of [[files.credentialsOf(name), files.credentialsPath], [files.configOf(name), files.configPath]] as const) {
      const accessKeyId = values?.aws_access_key_id;
      const secretAccessKey = values?.aws_secret_access_key;
      if (accessKeyId === undefined && secretAccessKey === undefined)
        continue;
      const origin = `profile '${name}' in ${path}`;
      if (!accessKeyId || !secretAccessKey)
        throw new ConfigError(`${origin} has only half a key pair: it needs both aws_access_key_id and aws_secret_access_key`);
      if (values?.aws_session_token) {
        const candidates = files.longTermProfiles();
        const instead = candidates.length > 0 ? `--profile ${candidates.slice(0, 3).join(` or --profile `)}` : `--profile with the profile that holds your IAM user's access keys`;
        throw new ConfigError(`${origin} holds temporary credentials (aws_session_token), not long-term keys; use ${instead}`);
      }
      return {accessKeyId, secretAccessKey, origin};
    }
  }

  const accessKeyId = envValue(env, `AWS_ACCESS_KEY_ID`);
  const secretAccessKey = envValue(env, `AWS_SECRET_ACCESS_KEY`);
  if (accessKeyId && secretAccessKey) {
    if (envValue(env, `AWS_SESSION_TOKEN`) === undefined)
      return {accessKeyId, secretAccessKey, origin: `the environment (AWS_ACCESS_KEY_ID)`};
    log(`ignoring AWS_ACCESS_KEY_ID ${accessKeyId} in the environment: AWS_SESSION_TOKEN is set, so it is a session, and a session cannot ask for a new one`);
  }

  if (!files.hasProfile(profile) && profile !== `default`)
    throw new MissingKeysError(`profile '${profile}' is not in ${files.credentialsPath} nor ${files.configPath}; check --profile / AWS_PROFILE`);
  throw new MissingKeysError(`no long-term access keys for profile '${profile}': add aws_access_key_id and aws_secret_access_key under [${profile}] in ${files.credentialsPath} (or run: aws configure --profile ${profile})`);
}

/** A value found somewhere, and where: `--region`, `AWS_REGION`, `region of profile 'work' in ~/.aws/config`. */
interface Found {
  readonly value: string;
  readonly origin: string;
}

/** The first value found, checked against its rule; the message names where the bad value came from. */
function firstValid(rule: ValueRule, ...candidates: Array<Found | undefined>): string | undefined {
  const found = candidates.find(candidate => candidate !== undefined);
  if (found === undefined)
    return undefined;
  if (!rule.test(found.value))
    throw new ConfigError(`${found.origin} is ${JSON.stringify(found.value)}, not ${rule.what}${inlineCommentHint(found.value)}`);
  return found.value;
}

const option = (name: string, value: string | undefined): Found | undefined => value === undefined ? undefined : {value, origin: name};
const variable = (env: Env, name: string): Found | undefined => option(name, envValue(env, name));

/** A setting of the profile, else of its source_profile (for the keys a role profile usually leaves to its source). */
function fromProfileOrSource(files: AwsFiles, profile: string, key: string): Found | undefined {
  const source = files.setting(profile, `source_profile`);
  return files.locate(profile, key) ?? (source === undefined ? undefined : files.locate(source, key));
}

export function resolveSerial(files: AwsFiles, profile: string, given: string | undefined): string {
  const serial = firstValid(RULES.serialNumber, option(`--serial-number`, given), fromProfileOrSource(files, profile, `mfa_serial`));
  if (serial === undefined) {
    const section = profile === `default` ? `[default]` : `[profile ${profile}]`;
    throw new MissingSerialError(`no MFA device for profile '${profile}': pass --serial-number arn:aws:iam::ACCOUNT_ID:mfa/DEVICE, or add 'mfa_serial = arn:aws:iam::ACCOUNT_ID:mfa/DEVICE' under ${section} in ${files.configPath} (aws iam list-mfa-devices lists yours)`);
  }
  return serial;
}

function resolveDuration(files: AwsFiles, profile: string, given: number | undefined): number | undefined {
  const duration = firstValid(RULES.duration, option(`--duration-seconds`, given?.toString()), files.locate(profile, `duration_seconds`));
  return duration === undefined ? undefined : Number(duration);
}

function resolveRegion(files: AwsFiles, profile: string, given: string | undefined, env: Env): string {
  return firstValid(RULES.region, option(`--region`, given), variable(env, `AWS_REGION`), variable(env, `AWS_DEFAULT_REGION`), fromProfileOrSource(files, profile, `region`))
    // GetSessionToken is served by every region; the SDK refuses to start without one.
    ?? `us-east-1`;
}

/** The SDK's standard endpoint settings: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, then the profile's endpoint_url. */
function resolveEndpoint(files: AwsFiles, profile: string, given: string | undefined, env: Env): string | undefined {
  if (given === undefined && envValue(env, `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`)?.toLowerCase() === `true`)
    return undefined;
  return firstValid(RULES.endpoint, option(`--endpoint-url`, given), variable(env, `AWS_ENDPOINT_URL_STS`), variable(env, `AWS_ENDPOINT_URL`), files.locate(profile, `endpoint_url`));
}

/** The request for the profile; `source` replaces the profile's keys (keys typed at a first run). */
export function resolveRequest(files: AwsFiles, options: RequestOptions, env: Env, log: (message: string) => void, source?: SourceKeys): SessionRequest {
  const profile = profileName(options, env);
  source ??= resolveSource(files, profile, env, log);
  return {
    profile,
    source,
    serialNumber: resolveSerial(files, profile, options.serialNumber),
    durationSeconds: resolveDuration(files, profile, options.durationSeconds),
    region: resolveRegion(files, profile, options.region, env),
    endpoint: resolveEndpoint(files, profile, options.endpointUrl, env),
    mfaProcess: files.setting(profile, `mfa_process`),
    roleArn: firstValid(RULES.roleArn, option(`--role-arn`, options.roleArn), files.locate(profile, `role_arn`)),
    roleSessionName: firstValid(RULES.roleSessionName, option(`--role-session-name`, options.roleSessionName), files.locate(profile, `role_session_name`)),
  };
}
