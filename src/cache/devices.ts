import {basename, join} from 'node:path';
import * as t from 'typanion';
import {SERIAL_PATTERN} from '../rules.js';
import {openPrivateFolder, readPrivateFile, writeOwnFile, type CacheLocation} from '../private-folder.js';
import {fnv1a64, parsed, removeMatching} from './folder.js';

// The MFA devices IAM listed, remembered in the cache folder beside the sessions, one file per
// keys: device-<hash of the access key id>.json.

const isDeviceMemory = t.isObject({
  version: t.isLiteral(1),
  accessKeyId: t.isString(),
  serialNumber: t.cascade(t.isString(), [t.matchesRegExp(SERIAL_PATTERN)]),
});

export function deviceFile(dir: string, accessKeyId: string): string {
  return join(dir, `device-${fnv1a64(accessKeyId)}.json`);
}

/**
 * The MFA device IAM listed for these keys, kept so that a profile without mfa_serial does not cost every new
 * terminal a call to IAM. Read back only from a private file of this user, and only for the same keys.
 */
export function rememberedDevice(dir: string, accessKeyId: string): string | undefined {
  try {
    const data: unknown = JSON.parse(readPrivateFile(deviceFile(dir, accessKeyId))?.toString(`utf8`) ?? `null`);
    return isDeviceMemory(data) && data.accessKeyId === accessKeyId ? data.serialNumber : undefined;
  } catch {
    return undefined;
  }
}

export function rememberDevice(location: CacheLocation, accessKeyId: string, serialNumber: string): void {
  writeOwnFile(openPrivateFolder(location, ``, true)!, basename(deviceFile(location.dir, accessKeyId)), `${JSON.stringify({version: 1, accessKeyId, serialNumber}, null, 2)}\n`);
}

/** Deletes the devices remembered for keys that `which` picks (all: every one); returns how many. */
export function forgetDevices(location: CacheLocation, which: (accessKeyId: string) => boolean): number {
  return removeMatching(() => openPrivateFolder(location, ``, false), /^device-[0-9a-f]{16}\.json$/, text => {
    const data = parsed(text);
    return isDeviceMemory(data) && which(data.accessKeyId);
  });
}
