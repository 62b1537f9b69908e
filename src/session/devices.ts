import type {AwsFiles} from '../aws-files/files.js';
import {CallerNotImpliedError, iamUserName, listMfaDevices, type MfaDevice} from '../aws/iam.js';
import {resolveRegion} from '../aws-files/resolve.js';
import {resolveEndpoint} from '../aws-files/endpoints.js';
import type {SourceKeys} from '../request.js';
import {callerIdentity} from '../aws/sts.js';
import {longTermKeys} from '../aws/client.js';
import {unlockSource} from '../keys/stores.js';
import type {AwsmfaContext} from '../context.js';
import {ConfigError} from '../errors.js';
import {openTerminal} from '../io/prompt.js';
import {visible} from '../terminal.js';
import {cacheDir} from '../cache/folder.js';
import {rememberDevice, rememberedDevice} from '../cache/devices.js';
import {localDate} from '../time.js';

/**
 * The user's MFA devices, from IAM, signed by the profile's long-term keys (endpoint: AWS_ENDPOINT_URL_IAM, ...).
 * Where IAM wants the user named (moto, LocalStack), the name is the one in the keys' ARN from STS GetCallerIdentity.
 */
export async function devicesOf(files: AwsFiles, profile: string, stored: SourceKeys, context: Pick<AwsmfaContext, `env` | `platform`>, timeoutMs: number, givenRegion?: string, log: (message: string) => void = () => {}): Promise<MfaDevice[]> {
  // Keys in a store are read from it here, once: IAM is asked with them.
  const source = await unlockSource(stored, context, log);
  const region = resolveRegion(files, profile, givenRegion, context.env);
  const iam = {region, ...resolveEndpoint(files, profile, undefined, context.env, `iam`)};
  try {
    return await listMfaDevices(source, iam, timeoutMs);
  } catch (error) {
    if (!(error instanceof CallerNotImpliedError))
      throw error;
    const {arn} = await callerIdentity(longTermKeys(source), {region, ...resolveEndpoint(files, profile, undefined, context.env, `sts`)}, timeoutMs);
    const userName = iamUserName(arn);
    if (userName === undefined)
      throw error;
    return listMfaDevices(source, iam, timeoutMs, userName);
  }
}

/**
 * One device of the list: the only one; with several, the one picked on the terminal (or an error listing them
 * when there is none to ask on); with none, an error that says where to assign one.
 */
export async function chooseDevice(devices: readonly MfaDevice[], context: Pick<AwsmfaContext, `env` | `platform`>, instead: string): Promise<MfaDevice> {
  if (devices.length === 0)
    throw new ConfigError(`your IAM user has no MFA device (IAM ListMFADevices lists none): assign one in the IAM console under Security credentials, then run again`);
  if (devices.length === 1)
    return devices[0]!;
  const terminal = openTerminal(context);
  if (terminal === undefined)
    throw new ConfigError(`your IAM user has ${devices.length} MFA devices (${devices.map(device => visible(device.serialNumber)).join(`, `)}); ${instead}`);
  try {
    terminal.say(`Your MFA devices:\n${devices.map((device, index) => `  ${index + 1}) ${visible(device.serialNumber)}${device.enableDate === undefined ? `` : `  (enabled ${localDate(new Date(device.enableDate))})`}\n`).join(``)}`);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const answer = (await terminal.ask(`Which one? [1-${devices.length}]: `, {instead}))?.trim();
      if (answer === undefined)
        break;
      const chosen = /^\d+$/.test(answer) ? devices[Number(answer) - 1] : devices.find(device => device.serialNumber === answer);
      if (chosen !== undefined)
        return chosen;
      terminal.say(`awsmfa: type a number from 1 to ${devices.length}\n`);
    }
  } finally {
    terminal.close();
  }
  throw new ConfigError(`no MFA device chosen; ${instead}`);
}

/**
 * The MFA device of a profile that names none: the one IAM listed for these keys before (remembered in the cache
 * folder), else the user's only device from IAM (or the one picked on the terminal), said on stderr and
 * remembered, so that later terminals need no call to IAM.
 */
export async function discoverSerial(files: AwsFiles, profile: string, source: SourceKeys, context: AwsmfaContext, options: {cache: boolean, timeoutMs: number}): Promise<string> {
  const location = cacheDir(context.env);
  const remembered = options.cache ? rememberedDevice(location.dir, source.accessKeyId) : undefined;
  if (remembered !== undefined) {
    context.log(`no mfa_serial for profile '${profile}': using ${remembered}, which IAM listed for ${source.accessKeyId} before`);
    return remembered;
  }
  const save = `awsmfa devices --save${profile === `default` ? `` : ` --profile ${profile}`}`;
  const devices = await devicesOf(files, profile, source, context, options.timeoutMs, undefined, context.log);
  const device = await chooseDevice(devices, context, `pass --serial-number, or pick one with ${save} on a terminal`);
  context.info(`no mfa_serial for profile '${profile}': using ${devices.length === 1 ? `your only MFA device ` : ``}${device.serialNumber} from IAM (${save} writes it into ${files.configPath})`);
  if (options.cache) {
    try {
      rememberDevice(location, source.accessKeyId, device.serialNumber);
    } catch {}
  }
  return device.serialNumber;
}
