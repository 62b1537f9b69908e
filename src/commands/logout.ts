import {Command, Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {removeKeys, removeSection} from '../aws-files/ini-edit.js';
import {profileName, resolveSerial} from '../aws-files/resolve.js';
import {RULES} from '../rules.js';
import {checkProfileName, configSection, COPIED_MARK, defaultSessionProfile, refuseLongTermProfile} from '../aws-files/session-profile.js';
import {updateSharedFile} from '../aws-files/update.js';
import {AwsmfaError, ConfigError} from '../errors.js';
import {SessionCache} from '../cache/session-cache.js';
import {describeForgotten} from '../cache/forgotten.js';
import {AwsmfaCommand, valueOf} from './base-command.js';

export class LogoutCommand extends AwsmfaCommand {
  static override paths = [[`logout`]];

  static override usage = Command.Usage({
    description: `remove a session profile written by awsmfa login`,
    details: `
      Removes the profile's section from ~/.aws/credentials (and nothing else of the file) and its cached session. A profile holding long-term keys is never removed. The default profile is the one \`awsmfa login\` writes by default: session-<device name> of the MFA device of \`--profile\`.

      The session itself stays valid at AWS until it expires: STS has no way to end it early.
    `,
    examples: [
      [`Remove [work-mfa]`, `awsmfa logout --update-profile work-mfa`],
      [`Remove [session-<device>] of the default profile`, `awsmfa logout`],
    ],
  });

  updateProfile = Option.String(`--update-profile,-u`, {description: `The session profile to remove (default: session-<device name>)`, validator: valueOf(RULES.profile)});
  profile = Option.String(`--profile,-p`, {description: `Without --update-profile: the profile whose MFA device names the session profile`, validator: valueOf(RULES.profile)});
  serialNumber = Option.String(`--serial-number,--mfa-serial`, {description: `Without --update-profile: the MFA device that names the session profile`, validator: valueOf(RULES.serialNumber)});

  async run() {
    const files = AwsFiles.load(this.context.env);
    const profile = profileName(this, this.context.env);
    // A name that is in neither file says so (did you mean), rather than that it has no MFA device.
    if (this.updateProfile === undefined && !files.hasProfile(profile) && (this.profile !== undefined || profile !== `default`))
      throw new ConfigError(`nothing was removed: ${files.notFound(profile)} (check --profile / AWS_PROFILE)`);
    const destination = checkProfileName(this.updateProfile ?? defaultSessionProfile({profile, serialNumber: resolveSerial(files, profile, this.serialNumber), roleArn: files.setting(profile, `role_arn`)}), `--update-profile`);
    refuseLongTermProfile(files, destination, `remove`);
    const session = files.credentialsOf(destination);
    if (session === undefined)
      throw new AwsmfaError(`nothing was removed: there is no profile '${destination}' in ${files.credentialsPath}${files.slipOf(destination, files.credentialsProfiles())}`);
    const updates = this.context;
    updateSharedFile(files.credentialsPath, updates, text => removeSection(text, destination));
    // What login copied into the config file (and noted): those keys alone, and the section if nothing else is left.
    const copied = files.configOf(destination)?.[COPIED_MARK];
    if (copied !== undefined)
      updateSharedFile(files.configPath, updates, text => removeKeys(text, configSection(destination), [...copied.split(/\s+/), COPIED_MARK]));
    const keyId = session.aws_access_key_id;
    const forgotten = keyId === undefined ? [] : new SessionCache(this.context.env, this.context.now, this.context).forget(cached => cached.credentials.accessKeyId === keyId);
    this.context.stderr.write(`Removed profile '${destination}' from ${files.credentialsPath}\n`);
    // The rest of what went, each named: the settings login copied, and the same session in awsmfa's cache.
    if (copied !== undefined)
      this.note(`removed what login copied into [${configSection(destination)}] of ${files.configPath}: ${copied.split(/\s+/).filter(Boolean).join(`, `)}`);
    for (const line of describeForgotten(forgotten, this.context.now()))
      this.note(`deleted the same session from awsmfa's cache: ${line}`);
  }
}
