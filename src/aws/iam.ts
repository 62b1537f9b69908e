import {AwsmfaError} from '../errors.js';
import {clientConfig, describeCallError, startCall, type Where} from './client.js';
import {SERIAL_PATTERN} from './rules.js';
import type {SourceKeys} from './request.js';

/** An MFA device of the IAM user, as ListMFADevices lists it. */
export interface MfaDevice {
  readonly serialNumber: string;
  readonly userName: string | undefined;
  readonly enableDate: string | undefined;
}


/**
 * The MFA devices of the user the long-term keys belong to (IAM ListMFADevices without a user name: the caller's
 * own, which the usual "force MFA" policies allow without MFA). `@aws-sdk/client-iam` is loaded here and only
 * here. What comes back is data: a serial that is no MFA ARN is left out, never printed or saved.
 */
export async function listMfaDevices(keys: SourceKeys, where: Where, timeoutMs: number): Promise<MfaDevice[]> {
  // Every page, and loading the SDK, within what is left of the command's budget (see startCall).
  const call = startCall(timeoutMs);
  const endpoint = where.endpoint ?? `https://iam.amazonaws.com`;
  const devices: MfaDevice[] = [];
  let client: InstanceType<typeof import('@aws-sdk/client-iam').IAMClient> | undefined;
  try {
    const {IAMClient, ListMFADevicesCommand} = await call.within(import(`@aws-sdk/client-iam`));
    client = new IAMClient(clientConfig(where, {accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey}, call.leftMs()));
    let marker: string | undefined;
    do {
      const answer = await call.within(client.send(new ListMFADevicesCommand(marker === undefined ? {} : {Marker: marker}), {abortSignal: call.signal}));
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
    throw describeCallError(error, {service: `IAM`, endpoint, where, keys: `${keys.accessKeyId} from ${keys.origin}`, timeoutMs});
  } finally {
    client?.destroy();
    call.end();
  }
}
