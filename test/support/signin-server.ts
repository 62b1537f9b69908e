/**
 * A stand-in for AWS's sign-in service on 127.0.0.1: what `aws login` signs in with, and what refreshes its
 * sessions (CreateOAuth2Token, `POST /v1/token`, rest-json: the body is the token input, the answer the token
 * output). `AWS_ENDPOINT_URL_SIGNIN` points awsmfa, botocore and the JS SDK at it.
 *
 * It checks a refresh as the service does, as far as it can be known from outside:
 * - the DPoP proof: a JWT of `typ: dpop+jwt`, `alg: ES256`, whose `jwk` is the very key the session was signed in
 *   with (the refresh token is bound to it), whose signature that key made, for this method (`htm`) and this URL
 *   (`htu`), made now (`iat` within a minute), and whose `jti` was never seen before;
 * - the refresh token: each is good once (a new one comes with every answer); one that was used already is
 *   refused, and ends its session (as OAuth's reuse detection does: whoever raced the rightful holder is locked
 *   out, which is what aws-cli#10628's unlocked refreshes run into);
 * - the session: it ends `maxSessionSeconds` after the sign-in (TOKEN_EXPIRED), or when revoked.
 * Credentials it hands out are made known to the STS stand-in (when given one), so they sign requests there as the
 * signed-in principal.
 */
import {createHash, createPublicKey, generateKeyPairSync, randomBytes, verify, type JsonWebKey} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {bodyOf, LoopbackServer} from './loopback.js';
import type {IssuedCredentials, StsServer} from './sts-server.js';

export interface SigninSession {
  /** The login_session value (the ARN of whoever signed in). */
  arn: string;
  accountId: string;
  clientId: string;
  /** The JWK thumbprint (RFC 7638) of the key the session is bound to. */
  thumbprint: string;
  /** The one refresh token that works now; undefined once the session has ended. */
  current: string | undefined;
  /** Every refresh token handed out, the current one included. */
  tokens: Set<string>;
  signedInAt: number;
  revoked: boolean;
}

export interface RefreshRecord {
  ok: boolean;
  /** Why it was refused (`TOKEN_EXPIRED`, `reused`, `dpop: …`, …). */
  reason?: string;
  refreshToken: string | undefined;
  at: number;
}

/** The JWK thumbprint of an EC key (RFC 7638: the required members in lexicographic order, no spaces). */
export function thumbprint(jwk: JsonWebKey): string {
  return createHash(`sha256`).update(JSON.stringify({crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y})).digest(`base64url`);
}

export class SigninServer extends LoopbackServer {
  readonly sessions: SigninSession[] = [];
  readonly refreshes: RefreshRecord[] = [];
  /** How long handed-out credentials last (sign-in's are 15 minutes; a test shortens them). */
  expiresIn = 900;
  /** How long a sign-in lasts before its refresh tokens stop working (12 hours). */
  maxSessionSeconds = 12 * 3600;
  /** Each answer waits this long first (a refresh under way, for parallel callers and kills). */
  delayMs = 0;
  /** The next refreshes are answered with this error instead (`count` of them; default all). */
  fault: {status: number, errorType?: string, error?: string, message?: string, count?: number} | undefined;
  private readonly jtis = new Set<string>();

  /** `sts`: the STS stand-in that learns the credentials handed out (a getter: test files assign theirs in a hook). */
  constructor(private readonly sts?: () => StsServer | undefined) {
    super();
  }

  reset(): void {
    this.sessions.length = 0;
    this.refreshes.length = 0;
    this.jtis.clear();
    this.expiresIn = 900;
    this.maxSessionSeconds = 12 * 3600;
    this.delayMs = 0;
    this.fault = undefined;
  }

  /** The refreshes that worked. */
  get refreshed(): RefreshRecord[] {
    return this.refreshes.filter(record => record.ok);
  }

  private credentials(session: SigninSession, seconds: number): IssuedCredentials {
    const issued: IssuedCredentials = {
      accessKeyId: `ASIA${randomBytes(8).toString(`hex`).toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString(`base64`),
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(96).toString(`base64`)}`,
      expiration: new Date(Math.floor(Date.now() / 1000) * 1000 + seconds * 1000),
      // The console's sign-in had MFA (a passkey): roles that ask for it take the session.
      owner: {accessKeyId: `AKIA${randomBytes(8).toString(`hex`).toUpperCase()}`, secretAccessKey: ``, serialNumber: ``, arn: session.arn},
      mfa: true,
      mfaAt: session.signedInAt,
      arn: session.arn,
      action: `Login`,
    };
    this.sts?.()?.issued.push(issued);
    return issued;
  }

  private newRefreshToken(session: SigninSession): string {
    const token = `rt-${randomBytes(24).toString(`base64url`)}`;
    session.tokens.add(token);
    session.current = token;
    return token;
  }

  /**
   * What `aws login` leaves behind: a session signed in now, and its cache file's object (accessToken, tokenType,
   * clientId, refreshToken, idToken, dpopKey), with the key in the form `aws login` writes (SEC1) or PKCS#8.
   * `expiresInSeconds` makes the first credentials shorter (negative: expired already).
   */
  signIn(options: {arn?: string, accountId?: string, keyFormat?: `sec1` | `pkcs8`, expiresInSeconds?: number, clientId?: string} = {}): {file: Record<string, unknown>, session: SigninSession} {
    const {privateKey, publicKey} = generateKeyPairSync(`ec`, {namedCurve: `prime256v1`});
    const accountId = options.accountId ?? `123456789012`;
    const session: SigninSession = {
      arn: options.arn ?? `arn:aws:sts::${accountId}:assumed-role/Admin/alice`,
      accountId,
      clientId: options.clientId ?? `arn:aws:signin:::devtools/same-device`,
      thumbprint: thumbprint(publicKey.export({format: `jwk`})),
      current: undefined,
      tokens: new Set(),
      signedInAt: Date.now(),
      revoked: false,
    };
    this.sessions.push(session);
    const issued = this.credentials(session, options.expiresInSeconds ?? this.expiresIn);
    if (options.expiresInSeconds !== undefined)
      issued.expiration = new Date(Math.floor(Date.now() / 1000) * 1000 + options.expiresInSeconds * 1000);
    const file = {
      accessToken: {
        accessKeyId: issued.accessKeyId,
        secretAccessKey: issued.secretAccessKey,
        sessionToken: issued.sessionToken,
        accountId,
        expiresAt: issued.expiration.toISOString().replace(/\.\d{3}Z$/, `Z`),
      },
      tokenType: `aws_sigv4`,
      clientId: session.clientId,
      refreshToken: this.newRefreshToken(session),
      idToken: `eyJhbGciOiJFUzM4NCJ9.${Buffer.from(JSON.stringify({sub: session.arn})).toString(`base64url`)}.c2ln`,
      dpopKey: privateKey.export({format: `pem`, type: options.keyFormat ?? `sec1`}).toString(),
    };
    return {file, session};
  }

  /** Why a DPoP proof is not good for this request, or undefined when it is. */
  private dpopProblem(proof: string | undefined, url: string, session: SigninSession | undefined): string | undefined {
    const parts = (proof ?? ``).split(`.`);
    if (parts.length !== 3)
      return `no JWT`;
    let header: {typ?: unknown, alg?: unknown, jwk?: JsonWebKey};
    let payload: {htm?: unknown, htu?: unknown, iat?: unknown, jti?: unknown};
    try {
      header = JSON.parse(Buffer.from(parts[0]!, `base64url`).toString(`utf8`));
      payload = JSON.parse(Buffer.from(parts[1]!, `base64url`).toString(`utf8`));
    } catch {
      return `not JSON`;
    }
    if (header.typ !== `dpop+jwt` || header.alg !== `ES256` || header.jwk?.kty !== `EC` || header.jwk.crv !== `P-256`)
      return `header ${JSON.stringify(header)}`;
    const signature = Buffer.from(parts[2]!, `base64url`);
    let good = false;
    try {
      good = signature.length === 64 && verify(`sha256`, Buffer.from(`${parts[0]}.${parts[1]}`), {key: createPublicKey({key: header.jwk, format: `jwk`}), dsaEncoding: `ieee-p1363`}, signature);
    } catch {}
    if (!good)
      return `signature`;
    if (session !== undefined && thumbprint(header.jwk) !== session.thumbprint)
      return `key not bound to the token`;
    if (payload.htm !== `POST`)
      return `htm ${String(payload.htm)}`;
    if (payload.htu !== url)
      return `htu ${String(payload.htu)} for ${url}`;
    if (typeof payload.iat !== `number` || Math.abs(payload.iat - Date.now() / 1000) > 60)
      return `iat ${String(payload.iat)}`;
    if (typeof payload.jti !== `string` || payload.jti.length < 16 || this.jtis.has(payload.jti))
      return `jti ${String(payload.jti)} seen before`;
    this.jtis.add(payload.jti);
    return undefined;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await bodyOf(req);
    const answer = (status: number, body: unknown, errorType?: string) => {
      res.writeHead(status, {'content-type': `application/json`, ...errorType === undefined ? {} : {'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazon.signin/`}});
      res.end(JSON.stringify(body));
    };
    if (this.delayMs > 0)
      await new Promise(resolve => setTimeout(resolve, this.delayMs));
    if (req.method !== `POST` || new URL(req.url ?? `/`, `http://localhost`).pathname !== `/v1/token`)
      return answer(404, {message: `no such operation`}, `UnknownOperationException`);
    let input: {clientId?: unknown, refreshToken?: unknown, grantType?: unknown};
    try {
      input = JSON.parse(body.toString(`utf8`));
    } catch {
      return answer(400, {error: `INVALID_REQUEST`, message: `body is not JSON`}, `ValidationException`);
    }
    const refreshToken = typeof input.refreshToken === `string` ? input.refreshToken : undefined;
    const refuse = (status: number, errorType: string, error: string, message: string, reason = error) => {
      this.refreshes.push({ok: false, reason, refreshToken, at: Date.now()});
      return answer(status, {error, message}, errorType);
    };
    if (this.fault !== undefined && (this.fault.count ?? 1) > 0) {
      if (this.fault.count !== undefined)
        this.fault.count--;
      this.refreshes.push({ok: false, reason: `fault`, refreshToken, at: Date.now()});
      return answer(this.fault.status, {error: this.fault.error, message: this.fault.message ?? `fault`}, this.fault.errorType);
    }
    if (input.grantType !== `refresh_token` || refreshToken === undefined)
      return refuse(400, `ValidationException`, `INVALID_REQUEST`, `grantType must be refresh_token, with a refreshToken`);
    const session = this.sessions.find(candidate => candidate.tokens.has(refreshToken));
    // The URL the client sent to, as the service sees it: the proof must name exactly this.
    const url = `http://${req.headers.host}${req.url}`;
    const problem = this.dpopProblem(req.headers.dpop as string | undefined, url, session);
    if (problem !== undefined)
      return refuse(400, `ValidationException`, `INVALID_REQUEST`, `invalid DPoP proof`, `dpop: ${problem}`);
    if (session === undefined || input.clientId !== session.clientId)
      return refuse(400, `AccessDeniedException`, `TOKEN_EXPIRED`, `The refresh token has expired.`, session === undefined ? `unknown token` : `client`);
    if (session.revoked || Date.now() - session.signedInAt > this.maxSessionSeconds * 1000)
      return refuse(400, `AccessDeniedException`, `TOKEN_EXPIRED`, `The refresh token has expired.`);
    if (refreshToken !== session.current) {
      // A token used already: someone raced its rightful holder. The session ends for everyone.
      session.revoked = true;
      session.current = undefined;
      return refuse(400, `AccessDeniedException`, `TOKEN_EXPIRED`, `The refresh token has expired.`, `reused`);
    }
    const issued = this.credentials(session, this.expiresIn);
    const next = this.newRefreshToken(session);
    this.refreshes.push({ok: true, refreshToken, at: Date.now()});
    return answer(200, {
      accessToken: {accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken},
      tokenType: `aws_sigv4`,
      expiresIn: this.expiresIn,
      refreshToken: next,
    });
  }
}
