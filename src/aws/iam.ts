import {AwsmfaError} from '../errors.js';
import type {SourceKeys} from '../aws-files/resolve.js';
import {clientConfig, describeCallError, startCall, longTermKeys, type Where} from './client.js';
import {SERIAL_PATTERN} from '../rules.js';
import {visible} from '../io/terminal.js';

/** An MFA device of the IAM user, as ListMFADevices lists it. */
export interface MfaDevice {
  readonly serialNumber: string;
  readonly userName: string | undefined;
  readonly enableDate: string | undefined;
}


/**
 * IAM did not take "no user name" to mean the caller (moto and LocalStack look up a user named "None"; real IAM
 * never says this): ask again with the caller's user name. Its message still reads well if nobody does.
 */
export class CallerNotImpliedError extends AwsmfaError {}

/**
 * The user name in an IAM user's ARN (`arn:aws:iam::123456789012:user/path/alice` -> alice), as GetCallerIdentity
 * gives it; undefined for any other principal (a role's session, the root user), which has no MFA devices to list.
 */
export function iamUserName(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::\d{12}:user\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/.exec(arn)?.[1];
}

/**
 * The MFA devices of the user the long-term keys belong to (IAM ListMFADevices without a user name: the caller's
 * own, which the usual "force MFA" policies allow without MFA; with `userName` where IAM needs it named, see
 * CallerNotImpliedError). `@aws-sdk/client-iam` is loaded here and only here. What comes back is data: a serial
 * that is no MFA ARN is left out, never printed or saved.
 */
export async function listMfaDevices(keys: SourceKeys, where: Where, timeoutMs: number, userName?: string): Promise<MfaDevice[]> {
  // Every page, and loading the SDK, within what is left of the command's budget (see startCall).
  const call = startCall(timeoutMs);
  const endpoint = where.endpoint ?? `https://iam.amazonaws.com`;
  const devices: MfaDevice[] = [];
  let client: InstanceType<typeof import('@aws-sdk/client-iam').IAMClient> | undefined;
  try {
    const {IAMClient, ListMFADevicesCommand} = await call.within(import(`@aws-sdk/client-iam`));
    client = new IAMClient(clientConfig(where, longTermKeys(keys), call.leftMs()));
    let marker: string | undefined;
    do {
      const answer = await call.within(client.send(new ListMFADevicesCommand({...userName === undefined ? {} : {UserName: userName}, ...marker === undefined ? {} : {Marker: marker}}), {abortSignal: call.signal}));
      for (const device of answer.MFADevices ?? []) {
        if (device.SerialNumber !== undefined && SERIAL_PATTERN.test(device.SerialNumber))
          devices.push({serialNumber: device.SerialNumber, userName: device.UserName, enableDate: device.EnableDate?.toISOString().replace(/\.\d{3}Z$/, `Z`)});
      }
      marker = answer.IsTruncated ? answer.Marker : undefined;
    } while (marker !== undefined && devices.length < 1000);
    return devices;
  } catch (caught) {
    const error: unknown = call.signal.aborted ? call.signal.reason : caught;
    const {name} = error as {name?: string};
    if (name === `AccessDenied` || name === `AccessDeniedException`)
      throw new AwsmfaError(`IAM denied ${keys.accessKeyId} iam:ListMFADevices (${((error as Error).message ?? ``).split(`\n`)[0]!.trim()}); find your device's ARN in the IAM console under Security credentials`, 1, {cause: error});
    if (userName === undefined && (name === `NoSuchEntity` || name === `NoSuchEntityException`))
      throw new CallerNotImpliedError(`IAM at ${endpoint} lists MFA devices only for a named user (${visible(((error as Error).message ?? ``).split(`\n`)[0]!.trim())}), which STS did not name for ${keys.accessKeyId}; find your device's ARN in the IAM console under Security credentials`, 1, {cause: error});
    throw describeCallError(error, {service: `IAM`, endpoint, where, keys: `${keys.accessKeyId} from ${keys.origin}`, timeoutMs});
  } finally {
    client?.destroy();
    call.end();
  }
}
