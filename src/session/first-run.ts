import type {AwsFiles} from '../aws-files/files.js';
import {setSectionValues} from '../aws-files/ini-edit.js';
import type {SourceKeys} from '../request.js';
import {RULES, SERIAL_PATTERN} from '../rules.js';
import type {MfaDevice} from '../aws/iam.js';
import {updateSharedFile, type UpdateContext} from '../aws-files/update.js';
import {ConfigError} from '../errors.js';
import {openTerminal, PromptTimeoutError, type PromptContext} from '../io/prompt.js';
import {visible} from '../terminal.js';

/** What a first run asked for, to be saved once it has proved itself with a session. */
export interface FirstRun {
  profile: string;
  source: SourceKeys | undefined;
  serialNumber: string | undefined;
  /** The region typed (or the default taken), for a profile that had none. */
  region?: string | undefined;
}

/** What a first run may ask besides keys and device: the region when the profile has none, and IAM's device list. */
export interface FirstRunOffers {
  /** Ask for the region, offering this default (the environment's AWS_REGION / AWS_DEFAULT_REGION, as aws configure offers the current one). */
  region?: {default: string | undefined};
  /** The user's MFA devices from IAM, signed by these keys (typed or the profile's); a failure means "type it". */
  devices?: (source: SourceKeys | undefined, region: string | undefined) => Promise<readonly MfaDevice[]>;
}

/**
 * A first run, as `aws configure mfa-login` does it: the profile has no keys (or no MFA device), so ask for them
 * on the terminal. With no terminal, say what to configure instead.
 */
export async function askFirstRun(profile: string, needKeys: boolean, needSerial: boolean, context: PromptContext, original: ConfigError, offers: FirstRunOffers = {}): Promise<FirstRun> {
  const terminal = openTerminal(context);
  if (terminal === undefined)
    throw original;
  const instead = `put the keys and mfa_serial of profile '${visible(profile)}' in the AWS files (aws configure), then run again`;
  try {
    let source: SourceKeys | undefined;
    if (needKeys) {
      terminal.say(`No long-term keys found for profile '${visible(profile)}'. Please provide your AWS credentials:\n`);
      const accessKeyId = (await terminal.ask(`AWS Access Key ID: `, {instead}))?.trim();
      // Checked before the secret is asked for: after a wrong id (or Ctrl+D) nobody should type a secret in vain.
      if (!accessKeyId || !/^[A-Z0-9]{16,128}$/.test(accessKeyId))
        throw new ConfigError(`that is not an access key id (AKIA followed by letters and digits)`);
      const secretAccessKey = (await terminal.ask(`AWS Secret Access Key: `, {hidden: true, instead}))?.trim();
      if (!secretAccessKey)
        throw new ConfigError(`no secret access key entered`);
      source = {accessKeyId, secretAccessKey, origin: `the keys typed in`};
    }
    let region: string | undefined;
    if (offers.region !== undefined) {
      const fallback = offers.region.default;
      const answer = (await terminal.ask(`Default region name [${fallback === undefined ? `None` : visible(fallback)}]: `, {instead}))?.trim();
      region = answer === undefined || answer === `` ? fallback : answer;
      if (region !== undefined && !RULES.region.test(region))
        throw new ConfigError(`that is not ${RULES.region.what}`);
    }
    let serialNumber: string | undefined;
    if (needSerial) {
      // The keys may ask IAM which devices they have: offered as a list, so nobody copies an ARN by hand.
      let devices: readonly MfaDevice[] = [];
      if (offers.devices !== undefined) {
        try {
          devices = await offers.devices(source, region);
        } catch (error) {
          terminal.say(`(IAM did not list your MFA devices: ${visible((error as Error).message.split(`\n`)[0]!)})\n`);
        }
      }
      if (devices.length > 0)
        terminal.say(`Your MFA devices (from IAM):\n${devices.map((device, index) => `  ${index + 1}) ${visible(device.serialNumber)}\n`).join(``)}`);
      const answer = (await terminal.ask(devices.length === 0 ? `MFA serial number or ARN: ` : `MFA device [1]: `, {instead}))?.trim();
      serialNumber = devices.length === 0 ? answer
        : answer === `` ? devices[0]!.serialNumber
          : /^\d+$/.test(answer ?? ``) ? devices[Number(answer) - 1]?.serialNumber ?? `` : answer;
      if (!serialNumber || !SERIAL_PATTERN.test(serialNumber))
        throw new ConfigError(devices.length === 0
          ? `that is not an MFA device serial: expected an ARN like arn:aws:iam::123456789012:mfa/alice`
          : `that is neither a number from 1 to ${devices.length} nor an MFA device ARN`);
    }
    return {profile, source, serialNumber, region};
  } finally {
    terminal.close();
  }
}

/** Offers to keep what a first run asked for: keys in the credentials file, mfa_serial in the config file. */
export async function offerToSave(setup: FirstRun, files: AwsFiles, updates: UpdateContext, stderr: NodeJS.WritableStream, context: PromptContext): Promise<void> {
  const terminal = openTerminal(context);
  if (terminal === undefined)
    return;
  try {
    const settings = [setup.serialNumber && `mfa_serial`, setup.region && `region`].filter(Boolean).join(` and `);
    const what = [setup.source && `the keys to [${setup.profile}] in ${files.credentialsPath}`, settings && `${settings} to the profile in ${files.configPath}`].filter(Boolean).join(` and `);
    let answer: string | undefined;
    try {
      answer = (await terminal.ask(`Save ${visible(what)}? [Y/n]: `))?.trim().toLowerCase();
    } catch (error) {
      // The session is written by now: no answer in time is a no, not a failure of the command.
      if (!(error instanceof PromptTimeoutError))
        throw error;
      updates.warn(`no answer in time, so nothing was saved (aws configure saves the keys)`);
      return;
    }
    if (answer !== `` && answer !== `y` && answer !== `yes`)
      return;
  } finally {
    terminal.close();
  }
  if (setup.source)
    updateSharedFile(files.credentialsPath, updates, text => setSectionValues(text, setup.profile, [[`aws_access_key_id`, setup.source!.accessKeyId], [`aws_secret_access_key`, setup.source!.secretAccessKey!]]));
  const settings: Array<[string, string]> = [...setup.serialNumber ? [[`mfa_serial`, setup.serialNumber] as [string, string]] : [], ...setup.region ? [[`region`, setup.region] as [string, string]] : []];
  if (settings.length > 0)
    updateSharedFile(files.configPath, updates, text => setSectionValues(text, setup.profile === `default` ? `default` : `profile ${setup.profile}`, settings));
  stderr.write(`Saved.\n`);
}
