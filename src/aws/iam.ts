import {AwsmfaError} from '../errors.js';
import {SERIAL_PATTERN} from './rules.js';
import type {SourceKeys} from './request.js';

/** An MFA device of the IAM user, as ListMFADevices lists it. */
export interface MfaDevice {
  readonly serialNumber: string;
  readonly userName: string | undefined;
  readonly enableDate: string | undefined;
}

export interface IamWhere {
  readonly region: string;
  /** AWS_ENDPOINT_URL_IAM and the like; undefined: IAM's own. */
  readonly endpoint: string | undefined;
}

const SILENT = {trace() {}, debug() {}, info() {}, warn() {}, error() {}};

/**
 * The MFA devices of the user the long-term keys belong to (IAM ListMFADevices without a user name: the caller's
 * own, which the usual "force MFA" policies allow without MFA). `@aws-sdk/client-iam` is loaded here and only
 * here. What comes back is data: a serial that is no MFA ARN is left out, never printed or saved.
 */
export async function listMfaDevices(keys: SourceKeys, where: IamWhere, timeoutMs: number): Promise<MfaDevice[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = `true`;
  const {IAMClient, ListMFADevicesCommand} = await import(`@aws-sdk/client-iam`);
  const client = new IAMClient({
    region: where.region,
    ...where.endpoint === undefined ? {} : {endpoint: where.endpoint},
    credentials: {accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey},
    maxAttempts: 3,
    logger: SILENT,
    requestHandler: {connectionTimeout: Math.min(5_000, timeoutMs), requestTimeout: Math.min(10_000, timeoutMs), throwOnRequestTimeout: true, logger: SILENT},
  });
  const endpoint = where.endpoint ?? `https://iam.amazonaws.com`;
  const devices: MfaDevice[] = [];
  try {
    let marker: string | undefined;
    do {
      const answer = await client.send(new ListMFADevicesCommand(marker === undefined ? {} : {Marker: marker}), {abortSignal: AbortSignal.timeout(timeoutMs)});
      for (const device of answer.MFADevices ?? []) {
        if (device.SerialNumber !== undefined && SERIAL_PATTERN.test(device.SerialNumber))
          devices.push({serialNumber: device.SerialNumber, userName: device.UserName, enableDate: device.EnableDate?.toISOString().replace(/\.\d{3}Z$/, `Z`)});
      }
      marker = answer.IsTruncated ? answer.Marker : undefined;
    } while (marker !== undefined && devices.length < 1000);
    return devices;
  } catch (error) {
    const {name = ``, message = String(error), code} = error as {name?: string, message?: string, code?: string};
    const first = message.split(`\n`)[0]!.trim();
    if (name === `AbortError` || (name === `TimeoutError` && code !== `ECONNRESET`))
      throw new AwsmfaError(`no answer from IAM at ${endpoint} within ${Math.round(timeoutMs / 1000)} s; check your network and proxy, or AWS_ENDPOINT_URL_IAM`, 1, {cause: error});
    if (name === `AccessDenied` || name === `AccessDeniedException`)
      throw new AwsmfaError(`IAM denied ${keys.accessKeyId} iam:ListMFADevices (${first}); find your device's ARN in the IAM console under Security credentials`, 1, {cause: error});
    if (/InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken/.test(name))
      throw new AwsmfaError(`IAM does not accept the keys ${keys.accessKeyId} from ${keys.origin} (${name}): they were deleted, mistyped or have expired`, 1, {cause: error});
    if (code !== undefined && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET)$/.test(code))
      throw new AwsmfaError(`cannot connect to IAM at ${endpoint} (${code}); check your network, or AWS_ENDPOINT_URL_IAM`, 1, {cause: error});
    throw new AwsmfaError(`IAM at ${endpoint} answered ${name || `an error`}: ${first}`, 1, {cause: error});
  } finally {
    client.destroy();
  }
}
