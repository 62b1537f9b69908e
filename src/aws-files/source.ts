import {ConfigError} from '../errors.js';
import type {AwsFiles} from './files.js';
import {envValue, type Env} from '../env.js';
import {RULES} from '../rules.js';
import {MARKER_KEYS, storedKeysOf, type StoreName} from '../key-marker.js';
import type {SourceKeys, TokenSource} from '../request.js';
import {hasSsoSettings, isLoginProfile, isSsoProfile, loginSource, signInCommand, ssoSource} from './token-sources.js';

// Where a profile's long-term keys come from, as botocore's providers find them: its own (in the AWS files or in a
// store, by its marker), its source_profile chain's, or the environment's.

/** For a caller that wants no notes of the steps. */
const silent = (): void => {};

/** The profile has no long-term keys at all (as opposed to broken ones): a first run can ask for them. */
export class MissingKeysError extends ConfigError {}

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
  // Once per profile: every role of a generated config signs with the same source's keys.
  return files.derive(readStaticKeys, name);
}

/** The settings that make keys of a profile's own, in a file (present at all: an empty one is half a pair). */
const KEY_SETTINGS = [`aws_access_key_id`, `aws_secret_access_key`, MARKER_KEYS.store, MARKER_KEYS.accessKeyId];

function readStaticKeys(files: AwsFiles, name: string): SourceKeys | undefined {
  // Most profiles of a large config are roles that hold none of them: nothing to check then.
  if (!files.hasAnyKey(name, KEY_SETTINGS))
    return undefined;
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

/** What botocore's providers take a profile's credentials from, in their order: the first that applies. */
export type CredentialKind = `sso` | `keys` | `login`;

/**
 * A profile's own credentials as botocore's profile providers find them, in their order: Identity Center (a role or
 * account of it), the credentials file's keys, `login_session`, the config file's keys (awsmfa's marker of keys in
 * a store counts where it stands); undefined when none applies.
 */
export function credentialKind(files: AwsFiles, name: string): CredentialKind | undefined {
  const keysIn = (values: Record<string, string> | undefined) => values?.aws_access_key_id !== undefined || values?.aws_secret_access_key !== undefined || values?.[MARKER_KEYS.store] !== undefined || values?.[MARKER_KEYS.accessKeyId] !== undefined;
  if (isSsoProfile(files, name))
    return `sso`;
  if (keysIn(files.credentialsOf(name)))
    return `keys`;
  if (isLoginProfile(files, name))
    return `login`;
  return keysIn(files.configOf(name)) ? `keys` : undefined;
}

/**
 * The way a role profile gets its credentials, as botocore's AssumeRoleProvider walks it: the profile's own are not
 * used (its role is assumed with its source's); a `source_profile` with static keys, or without a role of its own,
 * ends the walk with its own credentials (keys, or an `aws login` or Identity Center session; see credentialKind);
 * one with only a role adds that role and goes on. A profile may name itself only when it holds keys; any other
 * circle is an error. Returns the roles to assume (the profile's own first, so the last is assumed first) and the
 * profile whose keys sign (`keysFrom`), or whose token session does (`tokenFrom`).
 */
export function roleChain(files: AwsFiles, profile: string): RoleChain {
  return files.derive(walkRoleChain, profile);
}

/** A role profile's chain (see roleChain); read-only, as it is shared by every caller. */
export interface RoleChain {
  readonly roles: readonly string[];
  readonly keysFrom?: string;
  readonly tokenFrom?: string;
}

function walkRoleChain(files: AwsFiles, profile: string): RoleChain {
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
      throw new ConfigError(files.notFound(source, `the source_profile '${source}' of profile '${current}'`));
    if (visited.includes(source) && (source !== current || !hasStaticKeys(files, source)))
      throw new ConfigError(`the profiles ${[...visited, source].map(name => `'${name}'`).join(` -> `)} go round in a circle through source_profile; one of them must hold keys`);
    visited.push(source);
    if (hasStaticKeys(files, source) || !isRoleProfile(files, source)) {
      const kind = credentialKind(files, source);
      if (kind === `keys`)
        return {roles, keysFrom: source};
      if (kind !== undefined)
        return {roles, tokenFrom: source};
      throw new ConfigError(`the source_profile '${source}' of profile '${current}' holds neither keys, a role, an aws login session nor an IAM Identity Center role: add aws_access_key_id and aws_secret_access_key under [${source}] in ${files.credentialsPath} (or run aws login --profile ${source})`);
    }
    roles.push(source);
    current = source;
  }
}

/**
 * The token source a profile's session comes from (its own, or its role chain's), as botocore would take it before
 * any keys; undefined when keys sign (see findSource). Nothing is read yet.
 */
export function tokenSourceOf(files: AwsFiles, profile: string, env: Env): TokenSource | undefined {
  const from = isRoleProfile(files, profile) ? roleChain(files, profile).tokenFrom : profile;
  const kind = from === undefined ? undefined : credentialKind(files, from);
  if (kind === `login`)
    return loginSource(files, from!, env);
  if (kind === `sso`)
    return ssoSource(files, from!, env);
  return undefined;
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
export function findSource(files: AwsFiles, profile: string, env: Env, log: (message: string) => void): SourceKeys | {missing: string} {
  if (isRoleProfile(files, profile)) {
    const {keysFrom, tokenFrom} = roleChain(files, profile);
    if (keysFrom !== undefined)
      return staticKeys(files, keysFrom)!;
    if (tokenFrom !== undefined)
      throw notKeysProfile(files, tokenFrom)!;
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
    return {missing: `${files.notFound(profile)} (check --profile / AWS_PROFILE)`};
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
  const instead = `awsmfa env, exec, credential-process, whoami and console take it as it is; this needs a profile with long-term keys`;
  if (isSsoProfile(files, profile))
    return new ConfigError(`profile '${profile}' signs in with IAM Identity Center (SSO) through ${signInCommand(`aws sso login`, profile)}, not with long-term keys: ${instead}`);
  if (hasSsoSettings(files, profile))
    return new ConfigError(`profile '${profile}' has IAM Identity Center (SSO) settings but no sso_account_id and sso_role_name, so it gives no AWS credentials (to the AWS CLI and SDKs neither): add them (aws configure sso --profile ${profile}), then run ${signInCommand(`aws sso login`, profile)}`);
  if (isLoginProfile(files, profile))
    return new ConfigError(`profile '${profile}' signs in with aws login (login_session), not with long-term keys: ${instead}`);
  if (files.setting(profile, `web_identity_token_file`) !== undefined)
    return new ConfigError(`profile '${profile}' assumes its role with a web identity token, not long-term keys: the AWS CLI and SDKs use it as it is; awsmfa needs a profile with long-term keys and mfa_serial`);
  return undefined;
}
