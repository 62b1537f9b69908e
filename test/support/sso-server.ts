/**
 * A stand-in for IAM Identity Center on 127.0.0.1: its portal (GetRoleCredentials, `GET /federation/credentials`
 * with the access token in `x-amz-sso_bearer_token`) and its OIDC service (CreateToken with grantType
 * refresh_token, `POST /token`), one server for both, as `AWS_ENDPOINT_URL_SSO` and `AWS_ENDPOINT_URL_SSO_OIDC`
 * point awsmfa and botocore at them. Access tokens work until they expire; refresh tokens are good once (a new one
 * comes with each refresh), and the client registration must match and not have expired. Role credentials are
 * made known to the STS stand-in, so they sign there as the role's session.
 */
import {randomBytes} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {bodyOf, LoopbackServer} from './loopback.js';
import type {IssuedCredentials, StsServer} from './sts-server.js';

export interface SsoLogin {
  startUrl: string;
  region: string;
  clientId: string;
  clientSecret: string;
  registrationExpiresAt: number;
  /** Access tokens handed out, and when each expires. */
  accessTokens: Map<string, number>;
  /** The refresh token that works now. */
  refreshToken: string | undefined;
  /** Roles this sign-in may take: `<account>/<role name>`. */
  roles: string[];
}

export interface PortalRecord {
  accessToken: string;
  roleName: string | undefined;
  accountId: string | undefined;
  ok: boolean;
}

export class SsoServer extends LoopbackServer {
  readonly logins: SsoLogin[] = [];
  readonly portalCalls: PortalRecord[] = [];
  readonly tokenCalls: Array<{ok: boolean, reason?: string}> = [];
  /** How long a refreshed access token lasts (Identity Center's are an hour to 8 hours). */
  tokenSeconds = 8 * 3600;
  /** How long role credentials last. */
  roleSeconds = 3600;
  delayMs = 0;

  constructor(private readonly sts?: () => StsServer | undefined) {
    super();
  }

  reset(): void {
    this.logins.length = 0;
    this.portalCalls.length = 0;
    this.tokenCalls.length = 0;
    this.tokenSeconds = 8 * 3600;
    this.roleSeconds = 3600;
    this.delayMs = 0;
  }

  get refreshes(): number {
    return this.tokenCalls.filter(call => call.ok).length;
  }

  /**
   * What `aws sso login` leaves behind: a sign-in, and its token file's object. With `session` (an sso-session
   * profile) the file holds the refresh token and client registration; a legacy one holds the access token only.
   * `expiresInSeconds` sets the access token's life (negative: expired already).
   */
  signIn(options: {startUrl?: string, region?: string, session?: boolean, roles?: string[], expiresInSeconds?: number} = {}): {file: Record<string, unknown>, login: SsoLogin} {
    const login: SsoLogin = {
      startUrl: options.startUrl ?? `https://d-1234567890.awsapps.com/start`,
      region: options.region ?? `eu-west-1`,
      clientId: `client-${randomBytes(8).toString(`hex`)}`,
      clientSecret: `secret-${randomBytes(24).toString(`base64url`)}`,
      registrationExpiresAt: Date.now() + 90 * 86_400_000,
      accessTokens: new Map(),
      refreshToken: undefined,
      roles: options.roles ?? [`111122223333/ReadOnly`],
    };
    this.logins.push(login);
    const accessToken = this.newAccessToken(login, options.expiresInSeconds ?? this.tokenSeconds);
    const expiresAt = new Date(login.accessTokens.get(accessToken)!).toISOString().replace(/\.\d{3}Z$/, `Z`);
    const file: Record<string, unknown> = {startUrl: login.startUrl, region: login.region, accessToken, expiresAt};
    if (options.session ?? true) {
      login.refreshToken = `rt-${randomBytes(24).toString(`base64url`)}`;
      Object.assign(file, {clientId: login.clientId, clientSecret: login.clientSecret, registrationExpiresAt: new Date(login.registrationExpiresAt).toISOString().replace(/\.\d{3}Z$/, `Z`), refreshToken: login.refreshToken});
    }
    return {file, login};
  }

  private newAccessToken(login: SsoLogin, seconds: number): string {
    const token = `aoa${randomBytes(48).toString(`base64url`)}`;
    login.accessTokens.set(token, Date.now() + seconds * 1000);
    return token;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await bodyOf(req);
    if (this.delayMs > 0)
      await new Promise(resolve => setTimeout(resolve, this.delayMs));
    const answer = (status: number, body: unknown, errorType?: string) => {
      res.writeHead(status, {'content-type': `application/json`, ...errorType === undefined ? {} : {'x-amzn-errortype': errorType}});
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? `/`, `http://localhost`);
    if (req.method === `GET` && url.pathname === `/federation/credentials`) {
      const accessToken = String(req.headers[`x-amz-sso_bearer_token`] ?? ``);
      const roleName = url.searchParams.get(`role_name`) ?? undefined;
      const accountId = url.searchParams.get(`account_id`) ?? undefined;
      const login = this.logins.find(candidate => candidate.accessTokens.has(accessToken));
      const record = {accessToken, roleName, accountId, ok: false};
      this.portalCalls.push(record);
      if (login === undefined || login.accessTokens.get(accessToken)! <= Date.now())
        return answer(401, {message: `Session token not found or invalid`}, `UnauthorizedException`);
      if (!login.roles.includes(`${accountId}/${roleName}`))
        return answer(403, {message: `No access`}, `ForbiddenException`);
      record.ok = true;
      const issued: IssuedCredentials = {
        accessKeyId: `ASIA${randomBytes(8).toString(`hex`).toUpperCase()}`,
        secretAccessKey: randomBytes(30).toString(`base64`),
        sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(96).toString(`base64`)}`,
        expiration: new Date(Math.floor(Date.now() / 1000) * 1000 + this.roleSeconds * 1000),
        owner: {accessKeyId: ``, secretAccessKey: ``, serialNumber: ``, arn: `arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_${roleName}_0123456789abcdef/alice`},
        mfa: true,
        mfaAt: Date.now(),
        arn: `arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_${roleName}_0123456789abcdef/alice`,
        action: `GetRoleCredentials`,
      };
      this.sts?.()?.issued.push(issued);
      return answer(200, {roleCredentials: {accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken, expiration: issued.expiration.getTime()}});
    }
    if (req.method === `POST` && url.pathname === `/token`) {
      let input: {clientId?: unknown, clientSecret?: unknown, grantType?: unknown, refreshToken?: unknown};
      try {
        input = JSON.parse(body.toString(`utf8`));
      } catch {
        return answer(400, {error: `invalid_request`}, `InvalidRequestException`);
      }
      const refuse = (status: number, errorType: string, error: string, reason: string) => {
        this.tokenCalls.push({ok: false, reason});
        return answer(status, {error, error_description: reason}, errorType);
      };
      if (input.grantType !== `refresh_token`)
        return refuse(400, `UnsupportedGrantTypeException`, `unsupported_grant_type`, `grant`);
      const login = this.logins.find(candidate => candidate.clientId === input.clientId);
      if (login === undefined || login.clientSecret !== input.clientSecret || login.registrationExpiresAt <= Date.now())
        return refuse(401, `InvalidClientException`, `invalid_client`, `client`);
      if (login.refreshToken === undefined || input.refreshToken !== login.refreshToken)
        return refuse(400, `InvalidGrantException`, `invalid_grant`, `refresh token`);
      const accessToken = this.newAccessToken(login, this.tokenSeconds);
      login.refreshToken = `rt-${randomBytes(24).toString(`base64url`)}`;
      this.tokenCalls.push({ok: true});
      return answer(200, {accessToken, tokenType: `Bearer`, expiresIn: this.tokenSeconds, refreshToken: login.refreshToken});
    }
    return answer(404, {message: `not found`}, `NotFoundException`);
  }
}
