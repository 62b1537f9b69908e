import {DEFAULT_PROFILE, PROFILE_PRECEDENCE} from '../contract.js';
import {ConfigError} from '../errors.js';
import type {AwsFiles} from './files.js';
import {envValue, type Env} from '../env.js';
import {inlineCommentHint, RULES, type ValueRule} from '../rules.js';
import {quoted} from '../io/terminal.js';
import {MARKER_KEYS, storedKeysOf, type StoreName} from '../keys/marker.js';

/** Long-term keys that may sign GetSessionToken, and where they came from (for messages). */
export interface SourceKeys {
  readonly accessKeyId: string;
  /** Undefined while the secret is in a store: src/keys/unlock.ts fetches it when a new session is signed. */
  readonly secretAccessKey: string | undefined;
  /** The store that holds the secret (the profile's awsmfa_key_store); undefined for keys in the AWS files. */
  readonly store?: StoreName;
  readonly origin: string;
  /** The keys are AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: a session set in the shell would replace them. */
  readonly fromEnvironment?: boolean;
}

/** Everything a GetSessionToken request needs but the code. */
export interface SessionRequest {
  readonly profile: string;
  readonly source: SourceKeys;
  readonly serialNumber: string;
  readonly durationSeconds: number | undefined;
  readonly region: string;
  readonly endpoint: string | undefined;
  /** The setting that chose `endpoint`, for messages: `--endpoint-url`, `AWS_ENDPOINT_URL`, a profile's `endpoint_url`. */
  readonly endpointOrigin?: string | undefined;
  /** A command that prints the MFA code (--code-command, else `mfa_process` in the profile). */
  readonly mfaProcess: string | undefined;
  /** Where that command came from, for messages (never the command itself, which may hold a TOTP seed). */
  readonly mfaProcessName: string;
  /** The region --region or the profile (or its source) names, to export with the session; not the environment's. */
  readonly configuredRegion: string | undefined;
  /** The role of the session (the last of `roles`), for messages and names; undefined for GetSessionToken. */
  readonly roleArn: string | undefined;
  /**
   * The roles to assume, in order (empty: GetSessionToken instead): the first signed by the long-term keys,
   * each later one by the session of the one before, as botocore walks a source_profile chain.
   */
  readonly roles: readonly RoleStep[];
  /**
   * How roles are assumed. false (the default): from the MFA session of the source (GetSessionToken, cached as
   * for `env`), signed by it and without a code, so that every role of the source costs one code a day. true
   * (--direct, or `awsmfa_direct = true` in the profile): AssumeRole with the device and code, signed by the keys.
   */
  readonly direct: boolean;
  /** With roles from the MFA session: the length of that session (duration_seconds of the profile with the keys). */
  readonly mfaSessionDurationSeconds: number | undefined;
}

/** One AssumeRole of a request. */
export interface RoleStep {
  readonly roleArn: string;
  readonly sessionName: string;
  /** The role profile's `external_id`, sent as the AWS CLI sends it. */
  readonly externalId: string | undefined;
  readonly durationSeconds: number | undefined;
  /** Whether this call carries the MFA device and code (one call of a chain does). */
  readonly mfa: boolean;
}

export interface RequestOptions {
  profile?: string | undefined;
  serialNumber?: string | undefined;
  durationSeconds?: number | undefined;
  region?: string | undefined;
  endpointUrl?: string | undefined;
  roleArn?: string | undefined;
  roleSessionName?: string | undefined;
  codeCommand?: string | undefined;
  direct?: boolean | undefined;
}

/** For a caller that wants no notes of the steps (the fast path, a listing of every profile). */
const silent = (): void => {};

/** The profile has no long-term keys at all (as opposed to broken ones): a first run can ask for them. */
export class MissingKeysError extends ConfigError {}

/** No MFA device is configured: a first run can ask for it. */
export class MissingSerialError extends ConfigError {}

/**
 * What a profile lacks that IAM or a first run can supply, each as the message that says what to configure when
 * nothing can. Broken settings (half a key pair, a malformed ARN) are no such gap: they throw.
 */
export interface Missing {
  /** No long-term keys at all. */
  readonly keys?: string | undefined;
  /** No MFA device. */
  readonly serial?: string | undefined;
  /** Why the device could not be found elsewhere (IAM's error), for --verbose. */
  readonly cause?: unknown;
}

/** What came from elsewhere than the files and options: keys typed at a first run, a device IAM listed. */
export interface Supplied {
  readonly source?: SourceKeys | undefined;
  readonly serialNumber?: string | undefined;
}

/**
 * One resolution of a profile: the request, or what is missing for one, with the profile and the keys found (so
 * that what is supplied next completes this resolution instead of starting another).
 */
export type Resolution =
  | {readonly request: SessionRequest, readonly missing?: undefined}
  | {readonly request?: undefined, readonly missing: Missing, readonly profile: string, readonly source: SourceKeys | undefined};

/** The request of a resolution, else the error that says what is missing (the keys first). */
export function requireRequest(resolution: Resolution): SessionRequest {
  if (resolution.request !== undefined)
    return resolution.request;
  throw missingError(resolution.missing);
}

/** The error for what is missing: the keys first, as they are looked for first. */
export function missingError(missing: Missing): MissingKeysError | MissingSerialError {
  return missing.keys !== undefined ? new MissingKeysError(missing.keys) : new MissingSerialError(missing.serial!, {cause: missing.cause});
}

/**
 * --profile, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else AWSMFA_PROFILE (the profile of the session `env` set,
 * which removes the other two), else default. boto3 prefers AWS_DEFAULT_PROFILE when both are set; the AWS CLI v2
 * prefers AWS_PROFILE, and awsmfa follows the AWS CLI.
 */
export function profileName(options: {profile?: string | undefined}, env: Env): string {
  if (options.profile !== undefined)
    return options.profile;
  for (const name of PROFILE_PRECEDENCE) {
    const value = envValue(env, name);
    if (value !== undefined)
      return value;
  }
  return DEFAULT_PROFILE;
}

/** Keys that belong to a session never sign: a session cannot ask STS for another session. */
function refuseSessionKeys(files: AwsFiles, origin: string): never {
  const candidates = files.longTermProfiles();
  const instead = candidates.length > 0 ? `--profile ${candidates.slice(0, 3).join(` or --profile `)}` : `--profile with the profile that holds your IAM user's access keys`;
  throw new ConfigError(`${origin} holds temporary credentials (aws_session_token), not long-term keys; use ${instead}`);
}

/**
 * The keys a profile holds itself, as botocore's providers read them: the credentials file's section first,
 * then the config file's (a half pair in the first is an error, not a reason to look further).
 */
function staticKeys(files: AwsFiles, name: string): SourceKeys | undefined {
  const stored = storedKeys(files, name);
  for (const [values, path] of [[files.credentialsOf(name), files.credentialsPath], [files.configOf(name), files.configPath]] as const) {
    const accessKeyId = values?.aws_access_key_id;
    const secretAccessKey = values?.aws_secret_access_key;
    if (accessKeyId === undefined && secretAccessKey === undefined)
      continue;
    const origin = `profile '${name}' in ${path}`;
    if (stored !== undefined)
      throw new ConfigError(`profile '${name}' has keys both in ${path} and in the ${stored.store} store (${MARKER_KEYS.store}): remove aws_access_key_id and aws_secret_access_key from [${name}], or run awsmfa keys remove --profile ${name}`);
    if (!accessKeyId || !secretAccessKey)
      throw new ConfigError(`${origin} has only half a key pair: it needs both aws_access_key_id and aws_secret_access_key`);
    if (values?.aws_session_token)
      refuseSessionKeys(files, origin);
    return {accessKeyId, secretAccessKey, origin};
  }
  return stored;
}

/** The keys of a profile whose secret is in a store: the key id from its marker, the secret left in the store. */
function storedKeys(files: AwsFiles, name: string): SourceKeys | undefined {
  for (const [values, path] of [[files.credentialsOf(name), files.credentialsPath], [files.configOf(name), files.configPath]] as const) {
    const marker = storedKeysOf(values, `profile '${name}' in ${path}`);
    if (marker !== undefined)
      return {accessKeyId: marker.accessKeyId, secretAccessKey: undefined, store: marker.store, origin: `profile '${name}' (keys in the ${marker.store} store)`};
  }
  return undefined;
}

/** Where the profile's own long-term keys live, for `profiles`: a store's name, `file` for the AWS files, or undefined. */
export function keysLocation(files: AwsFiles, name: string): StoreName | `aws-files` | undefined {
  try {
    const keys = staticKeys(files, name);
    return keys === undefined ? undefined : keys.store ?? `aws-files`;
  } catch {
    return undefined;
  }
}

/** Whether botocore counts the profile as holding static keys: either key, in either file (or awsmfa's marker of a store). */
function hasStaticKeys(files: AwsFiles, name: string): boolean {
  return files.setting(name, `aws_access_key_id`) !== undefined || files.setting(name, `aws_secret_access_key`) !== undefined || files.setting(name, MARKER_KEYS.store) !== undefined || files.setting(name, MARKER_KEYS.accessKeyId) !== undefined;
}

/** A profile whose role botocore assumes: `role_arn`, and no `web_identity_token_file` (which takes another way). */
export function isRoleProfile(files: AwsFiles, name: string): boolean {
  return files.setting(name, `role_arn`) !== undefined && files.setting(name, `web_identity_token_file`) === undefined;
}

/**
 * The way a role profile gets its keys, as botocore's AssumeRoleProvider walks it: the profile's own keys are not
 * used (its role is assumed with its source's); each `source_profile` with static keys ends the walk (even if it
 * has a role of its own), one with only a role adds that role and goes on. A profile may name itself only when it
 * holds keys; any other circle is an error. Returns the roles to assume (the profile's own first, so the last is
 * assumed first) and the profile whose keys sign.
 */
export function roleChain(files: AwsFiles, profile: string): {roles: string[], keysFrom?: string} {
  const visited = [profile];
  const roles = [profile];
  for (let current = profile; ;) {
    const source = files.setting(current, `source_profile`);
    const credentialSource = files.setting(current, `credential_source`);
    if (source !== undefined && credentialSource !== undefined)
      throw new ConfigError(`profile '${current}' has both source_profile and credential_source, which the AWS CLI refuses too; keep one`);
    // The environment's keys sign the chain's first role, as botocore's EnvProvider gives them (keysFrom stays
    // undefined: no profile holds them). The instance's and the container's credentials are no keys of a person.
    if (credentialSource === `Environment`)
      return {roles};
    if (credentialSource !== undefined)
      throw new ConfigError(`profile '${current}' takes its keys from credential_source = ${credentialSource}, which awsmfa does not read (it reads Environment); name a profile with long-term keys in source_profile instead`);
    if (source === undefined)
      throw new ConfigError(`profile '${current}' has role_arn but no source_profile: add source_profile = <the profile with your long-term keys> under it`);
    if (!files.hasProfile(source))
      throw new ConfigError(`the source_profile '${source}' of profile '${current}' does not exist in ${files.credentialsPath} nor ${files.configPath}`);
    if (visited.includes(source) && (source !== current || !hasStaticKeys(files, source)))
      throw new ConfigError(`the profiles ${[...visited, source].map(name => `'${name}'`).join(` -> `)} go round in a circle through source_profile; one of them must hold keys`);
    visited.push(source);
    if (hasStaticKeys(files, source))
      return {roles, keysFrom: source};
    if (!isRoleProfile(files, source))
      throw new ConfigError(`the source_profile '${source}' of profile '${current}' holds neither keys nor a role: add aws_access_key_id and aws_secret_access_key under [${source}] in ${files.credentialsPath}`);
    roles.push(source);
    current = source;
  }
}

/**
 * The long-term keys that sign the first call: for a role profile, those its source_profile chain leads to (botocore's way);
 * otherwise the profile's own, else those of its `source_profile` (awsmfa's shortcut for a profile that only
 * names a device), else the environment's. Keys that belong to a session never sign.
 */
export function resolveSource(files: AwsFiles, profile: string, env: Env, log: (message: string) => void = silent): SourceKeys {
  const found = findSource(files, profile, env, log);
  if (`missing` in found)
    throw new MissingKeysError(found.missing);
  return found;
}

/** The keys of resolveSource, or the message that says none were found. */
function findSource(files: AwsFiles, profile: string, env: Env, log: (message: string) => void): SourceKeys | {missing: string} {
  if (isRoleProfile(files, profile)) {
    const {keysFrom} = roleChain(files, profile);
    if (keysFrom !== undefined)
      return staticKeys(files, keysFrom)!;
    return environmentKeys(env, log) ?? {missing: `profile '${profile}' takes its keys from the environment (credential_source = Environment), and ${envValue(env, `AWS_SESSION_TOKEN`) === undefined ? `AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set` : `AWS_SESSION_TOKEN says they are a session, which cannot ask for an MFA session`}: export your long-term keys there, or name a profile that holds them in source_profile`};
  }
  for (const name of [profile, files.setting(profile, `source_profile`)]) {
    const keys = name === undefined ? undefined : staticKeys(files, name);
    if (keys !== undefined)
      return keys;
  }

  const fromEnvironment = environmentKeys(env, log);
  if (fromEnvironment !== undefined)
    return fromEnvironment;

  const otherKind = notKeysProfile(files, profile);
  if (otherKind !== undefined)
    throw otherKind;
  if (!files.hasProfile(profile) && profile !== `default`)
    return {missing: `profile '${profile}' is not in ${files.credentialsPath} nor ${files.configPath}; check --profile / AWS_PROFILE`};
  return {missing: `no long-term access keys for profile '${profile}': add aws_access_key_id and aws_secret_access_key under [${profile}] in ${files.credentialsPath} (or run: aws configure --profile ${profile})`};
}

/** Long-term keys in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); a session there never signs. */
function environmentKeys(env: Env, log: (message: string) => void): SourceKeys | undefined {
  const accessKeyId = envValue(env, `AWS_ACCESS_KEY_ID`);
  const secretAccessKey = envValue(env, `AWS_SECRET_ACCESS_KEY`);
  if (!accessKeyId || !secretAccessKey)
    return undefined;
  if (envValue(env, `AWS_SESSION_TOKEN`) === undefined)
    return {accessKeyId, secretAccessKey, origin: `the environment (AWS_ACCESS_KEY_ID)`, fromEnvironment: true};
  log(`ignoring AWS_ACCESS_KEY_ID ${accessKeyId} in the environment: AWS_SESSION_TOKEN is set, so it is a session, and a session cannot ask for a new one`);
  return undefined;
}

/**
 * A profile that gets credentials some other way than long-term keys, named where keys are needed: what it is and
 * which profile to use instead. A `credential_process` of awsmfa's own names its source profile; an SSO or web
 * identity profile has no MFA device for awsmfa to use. Not a MissingKeysError: a first run must not ask for keys
 * and write them into such a profile.
 */
function notKeysProfile(files: AwsFiles, profile: string): ConfigError | undefined {
  const command = files.setting(profile, `credential_process`);
  if (command !== undefined) {
    const named = /\bawsmfa(?:\.cmd|\.cjs)?\s+credential-process\b.*?(?:--profile[=\s]|-p\s)\s*(\S+)/.exec(command)?.[1]?.replace(/^["']|["']$/g, ``);
    const source = named !== undefined && RULES.profile.test(named) && named !== profile ? named : undefined;
    return new ConfigError(`profile '${profile}' gets its credentials from credential_process, not from long-term keys, and awsmfa needs the profile that holds your keys: ${source === undefined ? `pass that one with --profile` : `use --profile ${source}, which its credential_process names`} (the AWS CLI and SDKs use '${profile}' as it is)`);
  }
  if (files.setting(profile, `sso_session`) !== undefined || files.setting(profile, `sso_start_url`) !== undefined)
    return new ConfigError(`profile '${profile}' signs in with IAM Identity Center (SSO), which has no MFA device for awsmfa: run aws sso login --profile ${profile}, or name a profile with long-term keys and mfa_serial`);
  if (files.setting(profile, `web_identity_token_file`) !== undefined)
    return new ConfigError(`profile '${profile}' assumes its role with a web identity token, not long-term keys: the AWS CLI and SDKs use it as it is; awsmfa needs a profile with long-term keys and mfa_serial`);
  return undefined;
}

/** A value found somewhere, and where: `--region`, `AWS_REGION`, `region of profile 'work' in ~/.aws/config`. */
interface Found {
  readonly value: string;
  readonly origin: string;
}

/** The first value found, checked against its rule; the message names where the bad value came from. */
function firstValid(rule: ValueRule, ...candidates: Array<Found | undefined>): string | undefined {
  return firstValidFound(rule, ...candidates)?.value;
}

/** The same, with where it was found. */
function firstValidFound(rule: ValueRule, ...candidates: Array<Found | undefined>): Found | undefined {
  const found = candidates.find(candidate => candidate !== undefined);
  if (found === undefined)
    return undefined;
  if (!rule.test(found.value))
    throw new ConfigError(`${found.origin} is ${quoted(found.value)}, not ${rule.what}${inlineCommentHint(found.value)}`);
  return found;
}

const option = (name: string, value: string | undefined): Found | undefined => value === undefined ? undefined : {value, origin: name};
const variable = (env: Env, name: string): Found | undefined => option(name, envValue(env, name));

/** A setting of the profile, else of its source_profile (for the keys a role profile usually leaves to its source). */
function fromProfileOrSource(files: AwsFiles, profile: string, key: string): Found | undefined {
  const source = files.setting(profile, `source_profile`);
  return files.locate(profile, key) ?? (source === undefined ? undefined : files.locate(source, key));
}

/** The value of fromProfileOrSource: e.g. the mfa_serial or region a profile uses, its own or its source's. */
export function settingOfProfileOrSource(files: AwsFiles, profile: string, key: string): string | undefined {
  return fromProfileOrSource(files, profile, key)?.value;
}

export function resolveSerial(files: AwsFiles, profile: string, given: string | undefined): string {
  const found = findSerial(files, profile, given);
  if (typeof found !== `string`)
    throw new MissingSerialError(found.missing);
  return found;
}

/** The device of resolveSerial, or the message that says none is configured. */
function findSerial(files: AwsFiles, profile: string, given: string | undefined): string | {missing: string} {
  const serial = firstValid(RULES.serialNumber, option(`--serial-number`, given), fromProfileOrSource(files, profile, `mfa_serial`));
  if (serial !== undefined)
    return serial;
  const section = profile === `default` ? `[default]` : `[profile ${profile}]`;
  return {missing: `no MFA device for profile '${profile}': pass --serial-number arn:aws:iam::ACCOUNT_ID:mfa/DEVICE, or add 'mfa_serial = arn:aws:iam::ACCOUNT_ID:mfa/DEVICE' under ${section} in ${files.configPath} (aws iam list-mfa-devices lists yours)`};
}

function resolveDuration(files: AwsFiles, profile: string, given: number | undefined): number | undefined {
  const duration = firstValid(RULES.durationSetting, option(`--duration-seconds`, given?.toString()), files.locate(profile, `duration_seconds`));
  return duration === undefined ? undefined : Number(duration);
}

/**
 * The roles a request assumes. A role profile's chain is walked as botocore walks it (roleChain), each role with
 * its own profile's session name, external id and duration; --role-arn replaces the profile's own role, or makes
 * a profile without one assume it. The MFA device and code go with the first role whose profile names a device
 * (where botocore sends them), else with the first role, signed by the long-term keys.
 */
function resolveRoles(files: AwsFiles, profile: string, options: RequestOptions, serialNumber: string, durationSeconds: number | undefined): RoleStep[] {
  const given = firstValid(RULES.roleArn, option(`--role-arn`, options.roleArn));
  const names = isRoleProfile(files, profile) ? roleChain(files, profile).roles.slice().reverse() : given === undefined ? [] : [profile];
  const fallbackName = `awsmfa-${serialNumber.split(`/`).pop()}`.replace(/[^\w+=,.@-]/g, `-`).slice(0, 64);
  const steps = names.map((name, index) => {
    const own = index === names.length - 1;
    return {
      roleArn: own && given !== undefined ? given : firstValid(RULES.roleArn, files.locate(name, `role_arn`))!,
      sessionName: firstValid(RULES.roleSessionName, own ? option(`--role-session-name`, options.roleSessionName) : undefined, files.locate(name, `role_session_name`)) ?? fallbackName,
      externalId: firstValid(RULES.externalId, files.locate(name, `external_id`)),
      durationSeconds: own ? durationSeconds : resolveDuration(files, name, undefined),
      mfa: false,
    };
  });
  const withDevice = names.findIndex(name => files.setting(name, `mfa_serial`) !== undefined);
  if (steps.length > 0)
    steps[Math.max(withDevice, 0)]!.mfa = true;
  return steps;
}

/** The region variables, in the SDKs' order. */
const regionVariables = (env: Env) => [variable(env, `AWS_REGION`), variable(env, `AWS_DEFAULT_REGION`)];

/**
 * The services awsmfa calls, by botocore's name for their settings (the service id, spaces as underscores):
 * `AWS_ENDPOINT_URL_<NAME>` upper-cased, `<name> =` in a `[services …]` section.
 */
export type EndpointService = `sts` | `iam` | `signin` | `sso` | `sso_oidc`;

/** The endpoint variables of a service, in the SDKs' order. */
const endpointVariables = (env: Env, service: EndpointService) => [variable(env, `AWS_ENDPOINT_URL_${service.toUpperCase()}`), variable(env, `AWS_ENDPOINT_URL`)];

/**
 * What resolving a request checks of the environment alone (the region and STS endpoint variables that come
 * first), for a caller that skips resolving (the fast path's index): a bad value throws as resolveRequest would.
 */
export function checkEnvironment(env: Env): void {
  firstValid(RULES.region, ...regionVariables(env));
  if (envValue(env, `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`)?.toLowerCase() !== `true`)
    firstValid(RULES.endpoint, ...endpointVariables(env, `sts`));
}

export function resolveRegion(files: AwsFiles, profile: string, given: string | undefined, env: Env): string {
  return firstValid(RULES.region, option(`--region`, given), ...regionVariables(env), fromProfileOrSource(files, profile, `region`))
    // GetSessionToken is served by every region; the SDK refuses to start without one.
    ?? `us-east-1`;
}

/**
 * The SDKs' endpoint settings for a service, in their order: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the
 * service's endpoint_url in the profile's `services` section, then the profile's endpoint_url; none of them when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's ignore_configured_endpoint_urls) is true.
 */
export function resolveEndpoint(files: AwsFiles, profile: string, given: string | undefined, env: Env, service: EndpointService = `sts`): {endpoint: string | undefined, endpointOrigin: string | undefined} {
  const ignore = envValue(env, `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`) ?? files.setting(profile, `ignore_configured_endpoint_urls`);
  if (given === undefined && ignore?.toLowerCase() === `true`)
    return {endpoint: undefined, endpointOrigin: undefined};
  const services = files.setting(profile, `services`);
  const found = firstValidFound(RULES.endpoint, option(`--endpoint-url`, given), ...endpointVariables(env, service),
    services === undefined ? undefined : files.serviceSetting(services, service, `endpoint_url`), files.locate(profile, `endpoint_url`));
  return {endpoint: found?.value, endpointOrigin: found?.origin};
}

/** A yes/no setting as botocore reads one: `true` in any case is true, anything else false. */
function isTrue(files: AwsFiles, profile: string, key: string): boolean {
  return files.setting(profile, key)?.toLowerCase() === `true`;
}

/** The request for the profile, or an error saying what is missing; `source` replaces the profile's keys (keys typed at a first run). */
export function resolveRequest(files: AwsFiles, options: RequestOptions, env: Env, log: (message: string) => void = silent, source?: SourceKeys): SessionRequest {
  return requireRequest(resolveProfile(files, options, env, log, {source}));
}

/**
 * The request for the profile, or what it lacks (see Resolution); `supplied` fills what the files and options do
 * not hold (keys typed at a first run, a device from IAM).
 */
export function resolveProfile(files: AwsFiles, options: RequestOptions, env: Env, log: (message: string) => void = silent, supplied: Supplied = {}): Resolution {
  const profile = profileName(options, env);
  const source = supplied.source ?? findSource(files, profile, env, log);
  const serialNumber = supplied.serialNumber ?? findSerial(files, profile, options.serialNumber);
  if (`missing` in source || typeof serialNumber !== `string`) {
    const missing = {keys: `missing` in source ? source.missing : undefined, serial: typeof serialNumber === `string` ? undefined : serialNumber.missing};
    return {missing, profile, source: `missing` in source ? undefined : source};
  }
  const durationSeconds = resolveDuration(files, profile, options.durationSeconds);
  const roles = resolveRoles(files, profile, options, serialNumber, durationSeconds);
  return {request: {
    profile,
    source,
    serialNumber,
    durationSeconds,
    region: resolveRegion(files, profile, options.region, env),
    configuredRegion: firstValid(RULES.region, option(`--region`, options.region), fromProfileOrSource(files, profile, `region`)),
    ...resolveEndpoint(files, profile, options.endpointUrl, env),
    mfaProcess: options.codeCommand ?? files.setting(profile, `mfa_process`),
    mfaProcessName: options.codeCommand !== undefined ? `--code-command` : `mfa_process of profile '${profile}'`,
    roleArn: roles.at(-1)?.roleArn,
    roles,
    direct: roles.length > 0 && (options.direct === true || isTrue(files, profile, `awsmfa_direct`)),
    mfaSessionDurationSeconds: isRoleProfile(files, profile) ? durationOfSource(files, roleChain(files, profile).keysFrom) : undefined,
  }};
}

/** The MFA session's duration for a role chain: its source profile's setting (none for keys from the environment). */
function durationOfSource(files: AwsFiles, keysFrom: string | undefined): number | undefined {
  return keysFrom === undefined ? undefined : resolveDuration(files, keysFrom, undefined);
}
