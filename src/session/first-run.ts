import type {AwsFiles} from '../aws-files/files.js';
import {setSectionValues} from '../aws-files/ini-edit.js';
import type {SourceKeys} from '../aws-files/resolve.js';
import {SERIAL_PATTERN} from '../rules.js';
import {updateSharedFile, type UpdateContext} from '../aws-files/update.js';
import {ConfigError} from '../errors.js';
import {openTerminal, PromptTimeoutError, type PromptContext} from '../io/prompt.js';
import {visible} from '../io/terminal.js';

/** What a first run asked for, to be saved once it has proved itself with a session. */
export interface FirstRun {
  profile: string;
  source: SourceKeys | undefined;
  serialNumber: string | undefined;
}

/**
 * A first run, as `aws configure mfa-login` does it: the profile has no keys (or no MFA device), so ask for them
 * on the terminal. With no terminal, say what to configure instead.
 */
export async function askFirstRun(profile: string, needKeys: boolean, needSerial: boolean, context: PromptContext, original: ConfigError): Promise<FirstRun> {
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
    let serialNumber: string | undefined;
    if (needSerial) {
      serialNumber = (await terminal.ask(`MFA serial number or ARN: `, {instead}))?.trim();
      if (!serialNumber || !SERIAL_PATTERN.test(serialNumber))
        throw new ConfigError(`that is not an MFA device serial: expected an ARN like arn:aws:iam::123456789012:mfa/alice`);
    }
    return {profile, source, serialNumber};
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
    const what = [setup.source && `the keys to [${setup.profile}] in ${files.credentialsPath}`, setup.serialNumber && `mfa_serial to the profile in ${files.configPath}`].filter(Boolean).join(` and `);
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
    updateSharedFile(files.credentialsPath, updates, text => setSectionValues(text, setup.profile, [[`aws_access_key_id`, setup.source!.accessKeyId], [`aws_secret_access_key`, setup.source!.secretAccessKey]]));
  if (setup.serialNumber)
    updateSharedFile(files.configPath, updates, text => setSectionValues(text, setup.profile === `default` ? `default` : `profile ${setup.profile}`, [[`mfa_serial`, setup.serialNumber!]]));
  stderr.write(`Saved.\n`);
}
