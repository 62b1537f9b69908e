import {Command, Option} from 'clipanion';
import {sessionAssignments} from '../aws/credentials.js';
import {AwsFiles} from '../aws/files.js';
import {setSectionValues} from '../aws/ini-edit.js';
import {MissingKeysError, MissingSerialError, profileName, resolveSerial, type SessionRequest} from '../aws/request.js';
import {updateSharedFile} from '../aws/update.js';
import {ConfigError} from '../errors.js';
import {askFirstRun, offerToSave, type FirstRun} from '../setup.js';
import {chooseDialect, shellOption} from './base.js';
import {SessionCommand} from './session.js';

/**
 * `session-<device name>`, as `aws configure mfa-login` names it (the last part of the serial); with a role,
 * `session-<profile>`, so that the sessions of several roles of one device do not overwrite each other.
 */
export function defaultSessionProfile(request: Pick<SessionRequest, `serialNumber` | `roleArn` | `profile`>): string {
  return `session-${request.roleArn === undefined ? request.serialNumber.split(`/`).pop() : request.profile}`;
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

export class LoginCommand extends SessionCommand {
  static override paths = [[`login`]];

  static override usage = Command.Usage({
    description: `write an MFA session into a profile of ~/.aws/credentials`,
    details: `
      Like \`aws configure mfa-login\`: obtains a session (same keys, serial, code, duration, region, endpoint and cache rules as \`awsmfa env\`) and writes it into a profile of ~/.aws/credentials, for every tool that only understands \`--profile\`. The default profile is \`session-<device name>\`, e.g. session-alice for arn:aws:iam::123456789012:mfa/alice (with a role: \`session-<profile>\`).

      Only that profile's lines change; comments, other profiles and the rest of the file stay byte for byte. A profile holding long-term keys is never written into. The file is replaced atomically, under a lock, and stays private (0600).

      With no keys for the profile and a terminal, asks for them (and for the MFA device), then offers to save them.
    `,
    examples: [
      [`Write a session of the default profile into [session-<device>]`, `awsmfa login 123456`],
      [`Choose the profiles`, `awsmfa login --profile work --update-profile work-mfa --code 123456`],
      [`Then use it`, `aws s3 ls --profile work-mfa`],
      [`Also set it in this shell`, `eval "$(awsmfa login --print-env 123456)"`],
    ],
  });

  updateProfile = Option.String(`--update-profile,-u`, {description: `Profile to write the session into (default: session-<device name>)`});
  printEnv = Option.Boolean(`--print-env`, false, {description: `Also print the lines that set the session in this shell (see awsmfa env)`});
  shell = shellOption();

  async run() {
    this.givenCode();
    const dialect = this.printEnv ? await chooseDialect(this.shell, this.context, this.log) : undefined;
    const files = AwsFiles.load(this.context.env);
    const {request, firstRun} = await this.resolveOrAsk(files);
    const destination = this.updateProfile ?? defaultSessionProfile(request);
    refuseLongTermProfile(files, destination, `overwrite`);

    const {credentials} = await this.obtain(request);
    const text = dialect?.set(sessionAssignments(credentials));
    updateSharedFile(files.credentialsPath, this.context.env, current => setSectionValues(current, destination, [
      [`aws_access_key_id`, credentials.accessKeyId],
      [`aws_secret_access_key`, credentials.secretAccessKey],
      [`aws_session_token`, credentials.sessionToken],
      // Read by nobody but awsmfa status and people; the AWS CLI and SDKs skip keys they do not know.
      [`aws_expiration`, credentials.expiration],
    ]));
    const {stderr} = this.context;
    stderr.write(`Temporary credentials written to profile '${destination}'\n`);
    stderr.write(`Credentials will expire at ${credentials.expiration.replace(`T`, ` `).replace(`Z`, ` UTC`)}\n`);
    stderr.write(`To use them: --profile ${destination}, or export AWS_PROFILE=${destination}\n`);
    if (firstRun)
      await offerToSave(firstRun, files, this.context.env, stderr, this.context.platform);
    if (text !== undefined)
      this.context.out.write(text);
  }

  /** The request; on a first run (no keys, or no MFA device) what is missing is asked on the terminal. */
  private async resolveOrAsk(files: AwsFiles): Promise<{request: SessionRequest, firstRun?: FirstRun}> {
    let needKeys = false;
    try {
      return {request: this.resolve(files)};
    } catch (error) {
      if (!(error instanceof MissingKeysError) && !(error instanceof MissingSerialError))
        throw error;
      needKeys = error instanceof MissingKeysError;
      const needSerial = error instanceof MissingSerialError || this.hasNoSerial(files);
      const firstRun = await askFirstRun(profileName(this, this.context.env), needKeys, needSerial, this.context.stderr, this.context.platform, error);
      return {request: this.resolve(files, firstRun.source, firstRun.serialNumber), firstRun};
    }
  }

  private hasNoSerial(files: AwsFiles): boolean {
    try {
      resolveSerial(files, profileName(this, this.context.env), this.serialNumber);
      return false;
    } catch (error) {
      return error instanceof MissingSerialError;
    }
  }
}
