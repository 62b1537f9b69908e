import {createCipheriv, createDecipheriv, randomBytes, scrypt} from 'node:crypto';
import type {Identity, Recipient, Stanza} from '../bundles/age.js';

/**
 * age's passphrase recipient (the `scrypt` stanza of age-encryption.org/v1, https://age-encryption.org/v1), with
 * the key derived by node:crypto's scrypt (OpenSSL, native, off the main thread) instead of age-encryption's
 * pure-JS one (1.5 times slower, and 330 MiB of JS heap): the file is the one the `age` CLI reads and writes, as
 * age-encryption's own ScryptRecipient/ScryptIdentity make it. The library does the rest of the format (header,
 * MAC, payload) through its public Recipient and Identity interfaces; this module only wraps and unwraps the file
 * key: ChaCha20-Poly1305 (node:crypto too) with the scrypt key, nonce zero.
 */

const LABEL = `age-encryption.org/v1/scrypt`;

/** The work factor (log2 N) a file is written with: age's own default, 2^18 (256 MiB with r = 8). */
export const WRITE_WORK_FACTOR = 18;

/** The highest work factor read, as age-encryption reads (2^20 needs 1 GiB); a higher one is refused, not tried. */
const MAX_WORK_FACTOR = 20;

/** age's base64: the standard alphabet, no padding, canonical (what re-encodes to the same text). */
function base64NoPad(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString(`base64`).replace(/=+$/, ``);
}

function fromBase64NoPad(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*$/.test(text))
    return undefined;
  const bytes = Buffer.from(text, `base64`);
  return base64NoPad(bytes) === text ? bytes : undefined;
}

/**
 * scrypt(passphrase, label || salt, N = 2^logN, r = 8, p = 1), 32 bytes, as age derives its wrapping key. OpenSSL's
 * default memory limit (32 MiB) is below what N = 2^18 needs (128 * N * r bytes, 256 MiB): maxmem says so.
 */
export function ageScryptKey(passphrase: string, salt: Uint8Array, logN: number): Promise<Buffer> {
  const N = 2 ** logN;
  const r = 8;
  return new Promise((resolve, reject) => {
    scrypt(passphrase, Buffer.concat([Buffer.from(LABEL, `latin1`), salt]), 32, {N, r, p: 1, maxmem: 128 * N * r + 1024 * 1024}, (error, key) => error ? reject(error) : resolve(key));
  });
}

const NONCE = Buffer.alloc(12);

function wrapFileKey(fileKey: Uint8Array, key: Buffer): Buffer {
  const cipher = createCipheriv(`chacha20-poly1305`, key, NONCE, {authTagLength: 16});
  return Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
}

/** The file key, or undefined when the key does not open it (a wrong passphrase). */
function unwrapFileKey(body: Uint8Array, key: Buffer): Buffer | undefined {
  const decipher = createDecipheriv(`chacha20-poly1305`, key, NONCE, {authTagLength: 16});
  decipher.setAuthTag(body.subarray(16));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, 16)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Encrypts to a passphrase: one scrypt stanza, the only one in the header, as age requires. */
export class NodeScryptRecipient implements Recipient {
  constructor(private readonly passphrase: string, private readonly stanza: typeof Stanza, private readonly logN = WRITE_WORK_FACTOR) {}

  async wrapFileKey(fileKey: Uint8Array): Promise<Stanza[]> {
    const salt = randomBytes(16);
    const key = await ageScryptKey(this.passphrase, salt, this.logN);
    return [new this.stanza([`scrypt`, base64NoPad(salt), String(this.logN)], wrapFileKey(fileKey, key))];
  }
}

/**
 * Decrypts with a passphrase, with age-encryption's checks of the stanza (alone in the header, 16 bytes of salt, a
 * work factor of at most 2^20, a 32-byte body). `wrong` says, after a decrypt that failed, that a scrypt stanza
 * was there and the passphrase did not open it, as opposed to a file of another kind or a damaged one.
 */
export class NodeScryptIdentity implements Identity {
  wrong = false;

  constructor(private readonly passphrase: string) {}

  async unwrapFileKey(stanzas: Stanza[]): Promise<Uint8Array | null> {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== `scrypt`)
        continue;
      if (stanzas.length !== 1)
        throw new Error(`scrypt recipient is not the only one in the header`);
      const salt = stanza.args.length === 3 ? fromBase64NoPad(stanza.args[1]!) : undefined;
      if (salt?.length !== 16 || !/^[1-9][0-9]*$/.test(stanza.args[2]!) || stanza.body.length !== 32)
        throw new Error(`invalid scrypt stanza`);
      const logN = Number(stanza.args[2]);
      if (logN > MAX_WORK_FACTOR)
        throw new Error(`scrypt work factor is too high`);
      const fileKey = unwrapFileKey(stanza.body, await ageScryptKey(this.passphrase, salt, logN));
      if (fileKey !== undefined)
        return fileKey;
      this.wrong = true;
    }
    return null;
  }
}
