import {DEFAULT_PROFILE, PROFILE_PRECEDENCE} from '../contract.js';
import {ConfigError} from '../errors.js';
import type {AwsFiles} from './files.js';
import {envValue, type Env} from '../env.js';
import {RULES} from '../rules.js';
import type {RoleStep, SessionRequest, SourceKeys, TokenSource} from '../request.js';
import {findSource, isRoleProfile, MissingKeysError, roleChain, tokenSourceOf} from './source.js';
import {firstValid, option, variable, type Found} from './values.js';
import {endpointVariables, resolveEndpoint} from './endpoints.js';

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

/** A setting of the profile, else of its source_profile (for the keys a role profile usually leaves to its source). */
function fromProfileOrSource(files: AwsFiles, profile: string, key: string): Found | undefined {
  const source = files.setting(profile, `source_profile`);
  return files.locate(profile, key) ?? (source === undefined ? undefined : files.locate(source, key));
}

/** The value of fromProfileOrSource: e.g. the mfa_serial or region a profile uses, its own or its source's. */
export function settingOfProfileOrSource(files: AwsFiles, profile: string, key: string): string | undefined {
  // fromProfileOrSource's rule, without the origins no one reads here.
  const own = files.setting(profile, key);
  if (own !== undefined)
    return own;
  const source = files.setting(profile, `source_profile`);
  return source === undefined ? undefined : files.setting(source, key);
}

export function resolveSerial(files: AwsFiles, profile: string, given: string | undefined): string {
  const found = findSerial(files, profile, given);
  if (typeof found !== `string`)
    throw new MissingSerialError(found.missing);
  return found;
}

/** The device of resolveSerial, or the message that says none is configured. */
function findSerial(files: AwsFiles, profile: string, given: string | undefined): string | {missing: string} {
  // The first candidate found is the one checked (firstValid): the later ones are looked up only when needed.
  const serial = firstValid(RULES.serialNumber, option(`--serial-number`, given) ?? fromProfileOrSource(files, profile, `mfa_serial`));
  if (serial !== undefined)
    return serial;
  const section = profile === `default` ? `[default]` : `[profile ${profile}]`;
  return {missing: `no MFA device for profile '${profile}': pass --serial-number arn:aws:iam::ACCOUNT_ID:mfa/DEVICE, or add 'mfa_serial = arn:aws:iam::ACCOUNT_ID:mfa/DEVICE' under ${section} in ${files.configPath} (aws iam list-mfa-devices lists yours)`};
}

function resolveDuration(files: AwsFiles, profile: string, given: number | undefined): number | undefined {
  const duration = firstValid(RULES.durationSetting, option(`--duration-seconds`, given?.toString()) ?? files.locate(profile, `duration_seconds`));
  return duration === undefined ? undefined : Number(duration);
}

/**
 * The roles a request assumes. A role profile's chain is walked as botocore walks it (roleChain), each role with
 * its own profile's session name, external id and duration; --role-arn replaces the profile's own role, or makes
 * a profile without one assume it. The MFA device and code go with the first role whose profile names a device
 * (where botocore sends them), else with the first role, signed by the long-term keys.
 */
function resolveRoles(files: AwsFiles, profile: string, options: RequestOptions, serialNumber: string, durationSeconds: number | undefined, withoutDevice: `first` | `none` = `first`): RoleStep[] {
  const given = firstValid(RULES.roleArn, option(`--role-arn`, options.roleArn));
  const names = isRoleProfile(files, profile) ? roleChain(files, profile).roles.slice().reverse() : given === undefined ? [] : [profile];
  const fallbackName = `awsmfa-${serialNumber === `` ? profile : serialNumber.split(`/`).pop()}`.replace(/[^\w+=,.@-]/g, `-`).slice(0, 64);
  const steps = names.map((name, index) => {
    const own = index === names.length - 1;
    return {
      roleArn: own && given !== undefined ? given : firstValid(RULES.roleArn, files.locate(name, `role_arn`))!,
      sessionName: firstValid(RULES.roleSessionName, (own ? option(`--role-session-name`, options.roleSessionName) : undefined) ?? files.locate(name, `role_session_name`)) ?? fallbackName,
      externalId: firstValid(RULES.externalId, files.locate(name, `external_id`)),
      durationSeconds: own ? durationSeconds : resolveDuration(files, name, undefined),
      mfa: false,
    };
  });
  const withDevice = names.findIndex(name => files.setting(name, `mfa_serial`) !== undefined);
  if (steps.length > 0 && (withDevice >= 0 || withoutDevice === `first`))
    steps[Math.max(withDevice, 0)]!.mfa = true;
  return steps;
}

/** The region variables, in the SDKs' order. */
const regionVariables = (env: Env) => [variable(env, `AWS_REGION`), variable(env, `AWS_DEFAULT_REGION`)];

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
  return regionOf(given, env, () => fromProfileOrSource(files, profile, `region`));
}

/** resolveRegion, the profile's own region found by `configured` (looked up only when nothing comes before it). */
function regionOf(given: string | undefined, env: Env, configured: () => Found | undefined): string {
  return firstValid(RULES.region, option(`--region`, given) ?? variable(env, `AWS_REGION`) ?? variable(env, `AWS_DEFAULT_REGION`) ?? configured())
    // GetSessionToken is served by every region; the SDK refuses to start without one.
    ?? `us-east-1`;
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
  const token = supplied.source === undefined ? tokenSourceOf(files, profile, env) : undefined;
  if (token !== undefined)
    return {request: tokenRequest(files, profile, options, env, token)};
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
    ...whereAndHow(files, profile, options, env),
    roleArn: roles.at(-1)?.roleArn,
    roles,
    direct: roles.length > 0 && (options.direct === true || isTrue(files, profile, `awsmfa_direct`)),
    mfaSessionDurationSeconds: isRoleProfile(files, profile) ? durationOfSource(files, roleChain(files, profile).keysFrom) : undefined,
  }};
}

/** What every request of a profile takes alike: STS's region and endpoint, the region to export, the code's command. */
function whereAndHow(files: AwsFiles, profile: string, options: RequestOptions, env: Env) {
  // The profile's region looked up once for both, and only when --region does not come first.
  let own: Found | undefined | null = null;
  const configured = () => own === null ? own = fromProfileOrSource(files, profile, `region`) : own;
  return {
    region: regionOf(options.region, env, configured),
    configuredRegion: firstValid(RULES.region, option(`--region`, options.region) ?? configured()),
    ...resolveEndpoint(files, profile, options.endpointUrl, env),
    mfaProcess: options.codeCommand ?? files.setting(profile, `mfa_process`),
    mfaProcessName: options.codeCommand !== undefined ? `--code-command` : `mfa_process of profile '${profile}'`,
  };
}

/** The MFA session's duration for a role chain: its source profile's setting (none for keys from the environment). */
function durationOfSource(files: AwsFiles, keysFrom: string | undefined): number | undefined {
  return keysFrom === undefined ? undefined : resolveDuration(files, keysFrom, undefined);
}

/**
 * The request of a profile whose session comes from a token source (aws login, Identity Center; see tokenSourceOf):
 * no GetSessionToken and no code for it; the roles of its chain (or --role-arn) are assumed from that session, as
 * botocore assumes them, an MFA code going with the role whose profile names a device, and with none otherwise.
 */
function tokenRequest(files: AwsFiles, profile: string, options: RequestOptions, env: Env, source: TokenSource): SessionRequest {
  const what = source.kind === `login` ? `an aws login` : `an IAM Identity Center`;
  if (options.direct)
    throw new ConfigError(`--direct sends the MFA code with AssumeRole signed by long-term keys, and profile '${profile}' takes ${what} session instead: leave it out`);
  const serialNumber = firstValid(RULES.serialNumber, option(`--serial-number`, options.serialNumber), fromProfileOrSource(files, profile, `mfa_serial`)) ?? ``;
  const durationSeconds = resolveDuration(files, profile, options.durationSeconds);
  const roles = resolveRoles(files, profile, options, serialNumber, durationSeconds, `none`);
  if (roles.length === 0 && options.durationSeconds !== undefined)
    throw new ConfigError(`--duration-seconds: profile '${profile}' takes ${what} session, whose length its service sets (${source.kind === `login` ? `15 minutes, refreshed` : `the permission set's session duration`}); it sets the length of a role only`);
  return {
    profile,
    source,
    serialNumber: roles.some(step => step.mfa) ? serialNumber : ``,
    durationSeconds,
    ...whereAndHow(files, profile, options, env),
    roleArn: roles.at(-1)?.roleArn,
    roles,
    direct: false,
    mfaSessionDurationSeconds: undefined,
  };
}
