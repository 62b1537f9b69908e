import {AwsmfaError} from '../errors.js';
import type {SourceKeys} from '../request.js';
import {clientConfig, describeCallError, startCall, longTermKeys, type Keys, type Where} from './client.js';
import {ACCESS_KEY_ID_PATTERN} from './credentials.js';
import {SERIAL_PATTERN} from '../rules.js';
import {visible} from '../terminal.js';

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
 * CallerNotImpliedError). The IAM client (its bundle, src/bundles/iam.ts) is loaded here and only here. What comes back is data: a serial
 * that is no MFA ARN is left out, never printed or saved.
 */
export async function listMfaDevices(keys: SourceKeys, where: Where, timeoutMs: number, userName?: string): Promise<MfaDevice[]> {
  // Every page, and loading the SDK, within what is left of the command's budget (see startCall).
  const call = startCall(timeoutMs);
  const endpoint = where.endpoint ?? `https://iam.amazonaws.com`;
  const devices: MfaDevice[] = [];
  let client: InstanceType<typeof import('../bundles/iam.js').IAMClient> | undefined;
  try {
    const {IAMClient, ListMFADevicesCommand} = await call.within(import(`../bundles/iam.js`));
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

/** An access key of an IAM user, as ListAccessKeys lists it (never a secret). */
export interface AccessKey {
  readonly id: string;
  readonly status: string;
  readonly created: string | undefined;
}

/** What CreateAccessKey hands out, checked: a key id and a secret of printable ASCII without spaces. */
export interface NewAccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

type IamSdk = typeof import('../bundles/iam.js');
type IamClient = InstanceType<IamSdk[`IAMClient`]>;

/**
 * One IAM call about the user's own access keys, signed by `keys` (the MFA session: under the usual "force MFA"
 * policies IAM refuses key management to anything without MFA), within the command's budget (see startCall).
 * AccessDenied says which action was denied and that it needs the MFA session.
 */
async function accessKeyCall<T>(keys: Keys, where: Where, timeoutMs: number, action: string, run: (sdk: IamSdk, client: IamClient, signal: AbortSignal) => Promise<T>): Promise<T> {
  const call = startCall(timeoutMs);
  const endpoint = where.endpoint ?? `https://iam.amazonaws.com`;
  let client: IamClient | undefined;
  try {
    const sdk = await call.within(import(`../bundles/iam.js`));
    client = new sdk.IAMClient(clientConfig(where, keys, call.leftMs()));
    return await call.within(run(sdk, client, call.signal));
  } catch (caught) {
    const error: unknown = call.signal.aborted ? call.signal.reason : caught;
    const {name, message = ``} = error as {name?: string, message?: string};
    if (name === `AccessDenied` || name === `AccessDeniedException`)
      throw new AwsmfaError(`IAM denied iam:${action} to ${keys.accessKeyId} (${visible(message.split(`\n`)[0]!.trim())}); your policies must allow it for your own user, with MFA`, 1, {cause: error});
    if (name === `LimitExceeded` || name === `LimitExceededException`)
      throw new AwsmfaError(`IAM refused iam:${action}: the user has two access keys already, AWS's limit (${visible(message.split(`\n`)[0]!.trim())})`, 1, {cause: error});
    throw describeCallError(error, {service: `IAM`, endpoint, where, keys: keys.accessKeyId, timeoutMs});
  } finally {
    client?.destroy();
    call.end();
  }
}

/** The user's access keys (ListAccessKeys; one page holds IAM's limit of two). */
export async function listAccessKeys(keys: Keys, where: Where, timeoutMs: number, userName: string): Promise<AccessKey[]> {
  return await accessKeyCall(keys, where, timeoutMs, `ListAccessKeys`, async (sdk, client, abortSignal) => {
    const answer = await client.send(new sdk.ListAccessKeysCommand({UserName: userName}), {abortSignal});
    return (answer.AccessKeyMetadata ?? [])
      .filter(key => key.AccessKeyId !== undefined && ACCESS_KEY_ID_PATTERN.test(key.AccessKeyId))
      .map(key => ({id: key.AccessKeyId!, status: key.Status === `Active` || key.Status === `Inactive` ? key.Status : `unknown`, created: key.CreateDate?.toISOString().replace(/\.\d{3}Z$/, `Z`)}));
  });
}

/** A new access key of the user (CreateAccessKey), checked before anyone uses it. */
export async function createAccessKey(keys: Keys, where: Where, timeoutMs: number, userName: string): Promise<NewAccessKey> {
  return await accessKeyCall(keys, where, timeoutMs, `CreateAccessKey`, async (sdk, client, abortSignal) => {
    const answer = await client.send(new sdk.CreateAccessKeyCommand({UserName: userName}), {abortSignal});
    const id = answer.AccessKey?.AccessKeyId;
    const secret = answer.AccessKey?.SecretAccessKey;
    if (id === undefined || !ACCESS_KEY_ID_PATTERN.test(id) || secret === undefined || !/^[\x21-\x7e]{16,256}$/.test(secret))
      throw new AwsmfaError(`IAM at ${where.endpoint ?? `https://iam.amazonaws.com`} answered CreateAccessKey without a key IAM would hand out; is that endpoint really IAM?`);
    return {accessKeyId: id, secretAccessKey: secret};
  });
}

/** Deactivates (UpdateAccessKey Inactive) or deletes (DeleteAccessKey) one of the user's keys. */
export async function retireAccessKey(keys: Keys, where: Where, timeoutMs: number, userName: string, accessKeyId: string, how: `deactivate` | `delete`): Promise<void> {
  await accessKeyCall(keys, where, timeoutMs, how === `delete` ? `DeleteAccessKey` : `UpdateAccessKey`, async (sdk, client, abortSignal) => {
    if (how === `delete`)
      await client.send(new sdk.DeleteAccessKeyCommand({UserName: userName, AccessKeyId: accessKeyId}), {abortSignal});
    else
      await client.send(new sdk.UpdateAccessKeyCommand({UserName: userName, AccessKeyId: accessKeyId, Status: `Inactive`}), {abortSignal});
  });
}
