import {closeSync} from 'node:fs';
import type {AwsFiles} from './aws/files.js';
import {setSectionValues} from './aws/ini-edit.js';
import type {SourceKeys} from './aws/request.js';
import {SERIAL_PATTERN} from './aws/rules.js';
import {updateSharedFile, type UpdateContext} from './aws/update.js';
import {ConfigError} from './errors.js';
import {ask, openTerminal} from './prompt.js';

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
export async function askFirstRun(profile: string, needKeys: boolean, needSerial: boolean, stderr: NodeJS.WritableStream, platform: NodeJS.Platform, original: ConfigError): Promise<FirstRun> {
  const fd = openTerminal(platform);
  if (fd === undefined)
    throw original;
  try {
    let source: SourceKeys | undefined;
    if (needKeys) {
      stderr.write(`No long-term keys found for profile '${profile}'. Please provide your AWS credentials:\n`);
      const accessKeyId = (await ask(fd, `AWS Access Key ID: `, stderr))?.trim();
      const secretAccessKey = (await ask(fd, `AWS Secret Access Key: `, stderr, {hidden: true}))?.trim();
      if (!accessKeyId || !/^[A-Z0-9]{16,128}$/.test(accessKeyId))
        throw new ConfigError(`that is not an access key id (AKIA followed by letters and digits)`);
      if (!secretAccessKey)
        throw new ConfigError(`no secret access key entered`);
      source = {accessKeyId, secretAccessKey, origin: `the keys typed in`};
    }
    let serialNumber: string | undefined;
    if (needSerial) {
      serialNumber = (await ask(fd, `MFA serial number or ARN: `, stderr))?.trim();
      if (!serialNumber || !SERIAL_PATTERN.test(serialNumber))
        throw new ConfigError(`that is not an MFA device serial: expected an ARN like arn:aws:iam::123456789012:mfa/alice`);
    }
    return {profile, source, serialNumber};
  } finally {
    closeSync(fd);
  }
}

/** Offers to keep what a first run asked for: keys in the credentials file, mfa_serial in the config file. */
export async function offerToSave(setup: FirstRun, files: AwsFiles, updates: UpdateContext, stderr: NodeJS.WritableStream, platform: NodeJS.Platform): Promise<void> {
  const fd = openTerminal(platform);
  if (fd === undefined)
    return;
  try {
    const what = [setup.source && `the keys to [${setup.profile}] in ${files.credentialsPath}`, setup.serialNumber && `mfa_serial to the profile in ${files.configPath}`].filter(Boolean).join(` and `);
    const answer = (await ask(fd, `Save ${what}? [Y/n]: `, stderr))?.trim().toLowerCase();
    if (answer !== `` && answer !== `y` && answer !== `yes`)
      return;
  } finally {
    closeSync(fd);
  }
  if (setup.source)
    updateSharedFile(files.credentialsPath, updates, text => setSectionValues(text, setup.profile, [[`aws_access_key_id`, setup.source!.accessKeyId], [`aws_secret_access_key`, setup.source!.secretAccessKey]]));
  if (setup.serialNumber)
    updateSharedFile(files.configPath, updates, text => setSectionValues(text, setup.profile === `default` ? `default` : `profile ${setup.profile}`, [[`mfa_serial`, setup.serialNumber!]]));
  stderr.write(`Saved.\n`);
}
