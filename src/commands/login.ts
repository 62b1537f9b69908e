import {Command, Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {envValue} from '../env.js';
import {ConfigError} from '../errors.js';
import {devicesOf} from '../session/devices.js';
import {setSectionValues} from '../aws-files/ini-edit.js';
import {missingError} from '../aws-files/resolve.js';
import {isTokenSource, sourceOrigin, type SessionRequest} from '../request.js';
import {RULES} from '../rules.js';
import {checkProfileName, configSection, COPIED_MARK, defaultSessionProfile, refuseIgnoredProfile, refuseLongTermProfile, settingsToCopy} from '../aws-files/session-profile.js';
import {checkUpdatable, updateSharedFile} from '../aws-files/update.js';
import {openTerminal} from '../io/prompt.js';
import {askFirstRun, offerToSave, type FirstRun} from '../session/first-run.js';
import {chooseDialect, shellOption, valueOf} from './base-command.js';
import {sessionChanges} from '../session/variables.js';
import {visible} from '../terminal.js';
import {cachedSessionLine, describeExpiry} from '../time.js';
import {SessionCommand} from './session-command.js';

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
      [`Also set it in this shell (bash, zsh)`, `eval "$(awsmfa login --print-env 123456)"`],
      [`... in fish`, `awsmfa login --print-env 123456 | source`],
      [`... in PowerShell`, `awsmfa login --print-env --shell pwsh 123456 | Invoke-Expression`],
    ],
  });

  updateProfile = Option.String(`--update-profile,-u`, {description: `Profile to write the session into (default: session-<device name>)`, validator: valueOf(RULES.profile)});
  printEnv = Option.Boolean(`--print-env`, false, {description: `Also print the lines that set the session in this shell (see awsmfa env)`});
  shell = shellOption();

  async run() {
    this.givenCode();
    if (this.updateProfile !== undefined)
      checkProfileName(this.updateProfile, `--update-profile`);
    const dialect = this.printEnv ? await chooseDialect(this.shell, this.context, this.log) : undefined;
    const files = this.loadFiles();
    const {request, firstRun} = await this.resolveOrAsk(files);
    // A session that sign-in or the portal renews (15 minutes for aws login) would be stale in a file within the
    // hour: such a profile is used as it is, or through credential-process.
    if (isTokenSource(request.source))
      throw new ConfigError(`profile '${request.profile}' takes its session from ${sourceOrigin(request.source)}, which the AWS CLI and SDKs use as it is: a copy in a session profile would go stale (use --profile ${request.profile} itself, or credential_process = awsmfa credential-process --profile ${request.profile})`);
    const destination = checkProfileName(this.updateProfile ?? await this.askProfile(defaultSessionProfile(request)), `--update-profile`);
    refuseLongTermProfile(files, destination, `overwrite`);
    refuseIgnoredProfile(files, destination);
    if (dialect !== undefined) {
      this.refuseToReplaceEnvironmentKeys(request);
      this.refuseWhatDialectCannotCarry(dialect, request);
    }
    const copied = settingsToCopy(files, request.profile, destination);
    // A region typed at a first run goes with the session profile too, so that `aws --profile` works at once.
    if (firstRun?.region !== undefined && files.setting(destination, `region`) === undefined && !copied.some(([key]) => key === `region`))
      copied.splice(0, copied.length, ...withCopied(copied, [`region`, firstRun.region]));
    // Before the code is spent: a locked, foreign or unwritable file must not cost one.
    const updates = this.context;
    checkUpdatable(files.credentialsPath, updates);
    if (copied.length > 0)
      checkUpdatable(files.configPath, updates);

    const {credentials, fresh} = await this.obtain(request);
    // `aws configure mfa-login` always asks for a code: say when this one did not, and how to get a new session.
    if (!fresh)
      this.note(cachedSessionLine(request.profile, credentials.expiration, this.context.now()));
    const changes = sessionChanges(credentials, request, this.context.env, this.regionChoice());
    const text = dialect?.session(changes.set, changes.unset);
    updateSharedFile(files.credentialsPath, updates, current => setSectionValues(current, destination, [
      [`aws_access_key_id`, credentials.accessKeyId],
      [`aws_secret_access_key`, credentials.secretAccessKey],
      [`aws_session_token`, credentials.sessionToken],
      // Read by nobody but awsmfa status and people; the AWS CLI and SDKs skip keys they do not know.
      [`aws_expiration`, credentials.expiration],
    ]));
    // The region (and output) of the source, so that `aws --profile <session profile>` works with nothing else set.
    if (copied.length > 0)
      updateSharedFile(files.configPath, updates, current => setSectionValues(current, configSection(destination), copied));
    const {stderr} = this.context;
    stderr.write(`Temporary credentials written to profile '${destination}'\n`);
    stderr.write(`Credentials ${describeExpiry(credentials.expiration, this.context.now())}\n`);
    stderr.write(`To use them: --profile ${destination}, or export AWS_PROFILE=${destination}\n`);
    if (firstRun)
      await offerToSave(firstRun, files, updates, stderr, this.context);
    if (text !== undefined)
      this.context.out.write(text);
  }

  /**
   * The profile to write, asked on the terminal as `aws configure mfa-login` asks (Enter takes the default); with
   * no terminal, the default.
   */
  private async askProfile(fallback: string): Promise<string> {
    const terminal = openTerminal(this.context);
    if (terminal === undefined)
      return fallback;
    try {
      const answer = (await terminal.ask(`Profile to update [${visible(fallback)}]: `, {instead: `pass --update-profile NAME`}))?.trim();
      return answer === undefined || answer === `` ? fallback : answer;
    } finally {
      terminal.close();
    }
  }

  /**
   * The request; on a first run (no keys, or no MFA device) what is missing is asked on the terminal. Keys but no
   * device: IAM knows the user's devices; only when it cannot tell is the device asked for.
   */
  private async resolveOrAsk(files: AwsFiles): Promise<{request: SessionRequest, firstRun?: FirstRun}> {
    const resolution = await this.resolveWithIam(files);
    if (resolution.request !== undefined)
      return {request: resolution.request};
    const {missing} = resolution;
    const needKeys = missing.keys !== undefined;
    // What a first run asks for may be saved under this name: it must be one that can be written.
    const profile = checkProfileName(resolution.profile, `--profile`);
    const {env} = this.context;
    // As aws configure: the region, when the profile (or its source) has none, offering the environment's.
    const fromEnv = [envValue(env, `AWS_REGION`), envValue(env, `AWS_DEFAULT_REGION`)].find(value => value !== undefined && RULES.region.test(value));
    const hasRegion = this.region !== undefined || files.setting(profile, `region`) !== undefined || (files.setting(profile, `source_profile`) !== undefined && files.setting(files.setting(profile, `source_profile`)!, `region`) !== undefined);
    const firstRun = await askFirstRun(profile, needKeys, missing.serial !== undefined, this.context, missingError(missing), {
      region: hasRegion ? undefined : {default: fromEnv},
      // Keys typed now may ask IAM for their devices (the profile's own keys already did, above, and failed).
      devices: needKeys ? async (typed, region) => typed === undefined ? [] : devicesOf(files, profile, typed, this.context, this.timeoutMs(), this.region ?? region) : undefined,
    });
    return {request: this.resolve(files, firstRun.source ?? resolution.source, firstRun.serialNumber, firstRun.region), firstRun};
  }
}

/** The settings login copies, with one more, and the mark that lists them all (which logout removes). */
function withCopied(copied: ReadonlyArray<readonly [string, string]>, extra: readonly [string, string]): Array<readonly [string, string]> {
  const settings = [...copied.filter(([key]) => key !== COPIED_MARK), extra];
  return [...settings, [COPIED_MARK, settings.map(([key]) => key).join(` `)]];
}
