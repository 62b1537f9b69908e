import {ConfigError} from '../errors.js';
import type {Env} from '../env.js';
import type {AwsFiles} from './files.js';
import {RULES} from '../rules.js';
import type {LoginSource, SsoSource} from '../request.js';
import {quoted, visible} from '../terminal.js';
import {tokenEndpoint} from './endpoints.js';
import type {ValueRule} from '../rules.js';
import {firstValid, firstValidFound, variable} from './values.js';

/**
 * The token sources a profile may name, resolved from the files and the environment as botocore resolves them, and
 * nothing read or hashed yet (so that resolving a profile costs a cached `env` nothing more): `login_session` (aws
 * login) and IAM Identity Center (`sso_session`, legacy `sso_start_url`). Reading and refreshing their caches is
 * sources/'s.
 */

/** Whether botocore's LoginProvider would take the profile: it has login_session. */
export function isLoginProfile(files: AwsFiles, profile: string): boolean {
  return files.setting(profile, `login_session`) !== undefined;
}

/** Whether botocore's SSOProvider takes the profile: it names a role or an account of Identity Center. */
export function isSsoProfile(files: AwsFiles, profile: string): boolean {
  return files.setting(profile, `sso_role_name`) !== undefined || files.setting(profile, `sso_account_id`) !== undefined;
}

/** Whether the profile has any Identity Center setting (one with sso_session alone is for bearer tokens, not credentials). */
export function hasSsoSettings(files: AwsFiles, profile: string): boolean {
  return isSsoProfile(files, profile) || files.setting(profile, `sso_session`) !== undefined || files.setting(profile, `sso_start_url`) !== undefined;
}

/** `aws login --profile P` / `aws sso login --profile P`, the profile quoted for a POSIX shell when it needs it. */
export function signInCommand(command: `aws login` | `aws sso login`, profile: string): string {
  return `${command} --profile ${/^[\w.@+=:,/-]+$/.test(profile) ? profile : `'${visible(profile).replace(/'/g, `'\\''`)}'`}`;
}

/**
 * The login region: where `aws login` signed in, which is where the refresh token works (aws-cli#10613: the AWS CLI
 * refreshes in the command's region, and fails in any other). The login profile's own `region` (which `aws login`
 * writes when it asks for one), else AWS_DEFAULT_REGION and AWS_REGION (what it took instead), else us-east-1.
 * Never the command's --region, nor a role's. A cache that names its region (`signInRegion`) overrides this.
 */
function loginRegion(files: AwsFiles, profile: string, env: Env): string {
  return firstValid(RULES.region, files.locate(profile, `region`), variable(env, `AWS_DEFAULT_REGION`), variable(env, `AWS_REGION`)) ?? `us-east-1`;
}

export function loginSource(files: AwsFiles, profile: string, env: Env): LoginSource {
  const session = files.setting(profile, `login_session`);
  if (session === undefined)
    throw new ConfigError(`profile '${visible(profile)}' has no login_session: run ${signInCommand(`aws login`, profile)}`);
  const region = loginRegion(files, profile, env);
  const configured = tokenEndpoint(files, profile, env, `signin`, region);
  return {kind: `login`, profile, session, region, endpoint: configured.endpointOrigin === undefined ? undefined : configured};
}

/**
 * The SSO settings of a profile, as botocore's SSOProvider merges them: the profile's own, and with sso_session the
 * named `[sso-session]` section's (a key set in both to different values is an error, as there). Every value is
 * checked before anything is read or sent.
 */
export function ssoSource(files: AwsFiles, profile: string, env: Env): SsoSource {
  const sessionName = files.setting(profile, `sso_session`);
  const section = profile === `default` ? `[default]` : `[profile ${profile}]`;
  const setting = (key: string): {value: string, origin: string} | undefined => {
    const own = files.locate(profile, key);
    const shared = sessionName === undefined ? undefined : files.ssoSessionSetting(sessionName, key);
    if (own !== undefined && shared !== undefined && own.value !== shared.value)
      throw new ConfigError(`${own.origin} is ${quoted(own.value)} but ${shared.origin} is ${quoted(shared.value)}; the AWS CLI refuses that too: keep one`);
    return shared ?? own;
  };
  if (sessionName !== undefined && !files.hasSsoSession(sessionName))
    throw new ConfigError(`profile '${visible(profile)}' names sso_session ${quoted(sessionName)}, and ${files.configPath} has no [sso-session ${visible(sessionName)}]: run aws configure sso --profile ${visible(profile)}`);
  const missing = [`sso_start_url`, `sso_region`, `sso_account_id`, `sso_role_name`].filter(key => setting(key) === undefined);
  if (missing.length > 0)
    throw new ConfigError(`profile '${visible(profile)}' is an IAM Identity Center profile without ${missing.join(`, `)}: add ${missing.length === 1 ? `it` : `them`} under ${visible(section)}${sessionName === undefined ? `` : ` or [sso-session ${visible(sessionName)}]`} in ${files.configPath} (aws configure sso --profile ${visible(profile)} writes them)`);
  const checked = (key: string, rule: ValueRule) => firstValidFound(rule, setting(key))!.value;
  const startUrl = checked(`sso_start_url`, RULES.endpoint);
  const ssoRegion = checked(`sso_region`, RULES.region);
  const accountId = checked(`sso_account_id`, {what: `an account id of 12 digits`, test: value => /^\d{12}$/.test(value)});
  const roleName = checked(`sso_role_name`, {what: `a role name (1 to 64 letters, digits or + = , . @ - _)`, test: value => /^[\w+=,.@-]{1,64}$/.test(value)});
  return {
    kind: `sso`, profile, sessionName, startUrl, ssoRegion, accountId, roleName,
    // The region of both calls is the sso_region, as botocore's clients for them take it; the endpoint settings are the profile's.
    portal: tokenEndpoint(files, profile, env, `sso`, ssoRegion),
    oidc: tokenEndpoint(files, profile, env, `sso_oidc`, ssoRegion),
  };
}
