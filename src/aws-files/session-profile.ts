import {ConfigError} from '../errors.js';
import type {AwsFiles} from './files.js';
import type {SessionRequest} from '../request.js';
import {CONTROL} from '../rules.js';
import {quoted} from '../terminal.js';

/**
 * The rules of a session profile, the section `awsmfa login` writes into ~/.aws/credentials and `logout` removes:
 * which names may be written, and which profiles must never be touched.
 */

/**
 * `session-<device name>`, as `aws configure mfa-login` names it (the last part of the serial); with a role,
 * `session-<profile>`, so that the sessions of several roles of one device do not overwrite each other.
 */
export function defaultSessionProfile(request: Pick<SessionRequest, `serialNumber` | `roleArn` | `profile`>): string {
  return `session-${request.roleArn === undefined ? request.serialNumber.split(`/`).pop() : request.profile}`;
}

/**
 * A name awsmfa may write as a section header: one that botocore and the AWS CLI read back as the same profile.
 * Refused: empty names (`[]`), brackets and line breaks (they would end the header and start another section),
 * spaces at either end (botocore keeps them, so `[ x ]` is not profile `x`), and configparser's special
 * `[DEFAULT]`, whose keys every profile inherits.
 */
export function checkProfileName(name: string, option: string): string {
  const fail = (why: string) => new ConfigError(`${option} ${quoted(name)} cannot be written as a profile: ${why}`);
  if (name === ``)
    throw fail(`it is empty`);
  if (CONTROL.test(name))
    throw fail(`it holds a line break or another control character`);
  if (/[[\]]/.test(name))
    throw fail(`it holds a bracket`);
  if (name.trim() !== name)
    throw fail(`it starts or ends with a space`);
  if (name.toUpperCase() === `DEFAULT` && name !== `default`)
    throw fail(`[${name}] is configparser's special section (or too close to it), whose keys every profile would inherit; the default profile is 'default'`);
  return name;
}

/**
 * Refuses a destination that holds long-term keys (access keys without a session token) in either file: writing
 * or removing there would destroy the keys everything else is signed with.
 */
export function refuseLongTermProfile(files: AwsFiles, profile: string, doing: string): void {
  for (const [values, path] of [[files.credentialsOf(profile), files.credentialsPath], [files.configOf(profile), files.configPath]] as const) {
    if (values?.aws_access_key_id !== undefined && values.aws_session_token === undefined)
      throw new ConfigError(`profile '${profile}' in ${path} holds long-term access keys; awsmfa will not ${doing} it: choose another --update-profile`);
  }
}

/**
 * Keys that make the AWS CLI and the SDKs take a profile's credentials from somewhere else (a role, SSO, a
 * process, web identity): keys written into such a profile would be ignored, or worse, half used.
 */
const ELSEWHERE = /^(role_arn|credential_process|credential_source|web_identity_token_file|sso_.*)$/;

export function refuseIgnoredProfile(files: AwsFiles, profile: string): void {
  for (const [values, path] of [[files.configOf(profile), files.configPath], [files.credentialsOf(profile), files.credentialsPath]] as const) {
    const key = Object.keys(values ?? {}).find(name => ELSEWHERE.test(name));
    if (key !== undefined)
      throw new ConfigError(`profile '${profile}' has ${key} in ${path}, so the AWS CLI would not use keys written into it; choose another --update-profile`);
  }
}

/** The config file's section of a profile: `[default]`, or `[profile NAME]`. */
export function configSection(profile: string): string {
  return profile === `default` ? `default` : `profile ${profile}`;
}

/** What login copies into a session profile so the AWS CLI can use it as it is (`You must specify a region`). */
const COPIED_KEYS = [`region`, `output`];

/** Notes, in the session profile's config section, the keys login added, so that logout removes those alone. */
export const COPIED_MARK = `awsmfa_copied`;

/**
 * The source profile's region and output (its own, else its source_profile's) that the session profile lacks,
 * with the mark that names them; nothing when it has them all.
 */
export function settingsToCopy(files: AwsFiles, source: string, destination: string): Array<readonly [string, string]> {
  const copied: Array<readonly [string, string]> = [];
  const sourceOfSource = files.setting(source, `source_profile`);
  for (const key of COPIED_KEYS) {
    const value = files.setting(source, key) ?? (sourceOfSource === undefined ? undefined : files.setting(sourceOfSource, key));
    if (value !== undefined && files.setting(destination, key) === undefined)
      copied.push([key, value]);
  }
  return copied.length === 0 ? [] : [...copied, [COPIED_MARK, copied.map(([key]) => key).join(` `)]];
}
