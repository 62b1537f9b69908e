import {createPrivateKey, createPublicKey, randomUUID, sign, type KeyObject} from 'node:crypto';

/**
 * DPoP (RFC 9449) proofs for the sign-in service's CreateOAuth2Token, with node:crypto alone: a JWT whose header
 * carries the public half of the key `aws login` made (the refresh token is bound to it), signed ES256 by its
 * private half. What the AWS CLI (botocore's _build_dpop_header) and the JS SDK send, field for field.
 */

/** A P-256 private key, from the PEM `aws login` writes (SEC1, `EC PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`). */
export function dpopKey(pem: string): KeyObject {
  // createPrivateKey reads both PEM labels; anything else (a public key, RSA, another curve, garbage) is refused.
  const key = createPrivateKey({key: pem, format: `pem`});
  if (key.asymmetricKeyType !== `ec` || key.asymmetricKeyDetails?.namedCurve !== `prime256v1`)
    throw new Error(`not a P-256 (ES256) private key`);
  return key;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString(`base64url`);

/**
 * The `DPoP` header of one request: `{typ: dpop+jwt, alg: ES256, jwk}` and `{htm, htu, iat, jti}`, signed as JWS
 * wants ECDSA signatures (r and s, 32 bytes each, not DER). `htu` is the URL the request goes to, exactly; a fresh
 * jti makes each proof good for one request.
 */
export function dpopProof(key: KeyObject, method: string, url: string, now: Date): string {
  const {kty, crv, x, y} = createPublicKey(key).export({format: `jwk`});
  const header = {typ: `dpop+jwt`, alg: `ES256`, jwk: {kty, x, y, crv}};
  const payload = {htm: method, htu: url, iat: Math.floor(now.getTime() / 1000), jti: randomUUID()};
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${base64url(sign(`sha256`, Buffer.from(input), {key, dsaEncoding: `ieee-p1363`}))}`;
}
