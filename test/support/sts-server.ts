/**
 * A stand-in for AWS STS on 127.0.0.1, speaking the Query protocol as the SDK does: form-encoded POSTs, XML
 * answers, XML errors. It checks the SigV4 signature against the secrets it knows (so it can tell which key
 * signed, and reject a wrong secret as STS does), checks MFA codes (and their reuse), and can be told to hand out
 * chosen credentials or to fail.
 */
import {createHash, createHmac, randomBytes} from 'node:crypto';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export interface StsUser {
  accessKeyId: string;
  secretAccessKey: string;
  /** The MFA device of this user. */
  serialNumber: string;
  arn?: string;
  /** The user's MFA devices as IAM ListMFADevices lists them (default: serialNumber alone). */
  devices?: string[];
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** Whose session it is, and whether it was obtained with MFA (a chained role inherits both). */
  owner?: StsUser;
  mfa?: boolean;
  /** When the MFA code behind this session was checked (a role assumed from a session inherits it). */
  mfaAt?: number;
  /** The ARN GetCallerIdentity answers for these credentials. */
  arn?: string;
  /**
   * The call that handed them out (the console's sign-in takes AssumeRole and GetFederationToken sessions only):
   * `Login` for the sign-in stand-in's (aws login), `GetRoleCredentials` for the Identity Center portal's.
   */
  action?: `GetSessionToken` | `AssumeRole` | `GetFederationToken` | `Login` | `GetRoleCredentials`;
}

export interface StsRequestRecord {
  action: string;
  /** The access key id in the Authorization header: who signed. */
  accessKeyId: string | undefined;
  sessionToken: string | undefined;
  signatureValid: boolean;
  /** The region of the signature's credential scope. */
  region: string | undefined;
  params: Record<string, string>;
}

export interface Fault {
  status: number;
  code: string;
  message: string;
  /** How many requests fail; the rest succeed. Default: all. */
  count?: number;
}

export interface StsServerOptions {
  users?: StsUser[];
  /** The code every device accepts now (default 123456). A code is accepted once per device. */
  code?: string;
  /** Accept a code again (the real STS does not). */
  allowReuse?: boolean;
  /** Roles any known user may assume (with MFA), and their maximum session duration (default 3600). */
  roles?: string[];
  /** Roles whose trust policy asks for no MFA (a middle role of a chain). */
  rolesWithoutMfa?: string[];
  /** Any role, any device, MFA optional: a recorder of what is sent (signatures and codes are still checked). */
  permissive?: boolean;
  /**
   * Roles whose trust policy asks for a recent MFA (aws:MultiFactorAuthAge below this many seconds): a session
   * whose code is older is refused the role with STS's plain AccessDenied, as AWS does.
   */
  mfaMaxAge?: Record<string, number>;
  /**
   * Roles whose trust policy takes MFA only as a code sent with AssumeRole: one signed by an MFA session (however
   * fresh) is refused with an MFA message, so awsmfa falls back to a direct AssumeRole with a new code.
   */
  codeOnCall?: string[];
  /**
   * Sessions that end sooner than asked, to test what refreshes them without waiting an hour: AssumeRole's
   * (`role`) and GetSessionToken's (`session`) Expiration this many seconds after the call, whatever
   * DurationSeconds said (which is still checked as STS checks it). Expired ones are refused (ExpiredToken).
   */
  lifetimeSeconds?: {role?: number, session?: number};
}

/** The length of a TOTP time step (RFC 6238), as AWS's virtual and hardware devices use. */
export const TOTP_STEP_MS = 30_000;

/** The code of a TOTP device at `ms` (a stand-in: one code per 30-second step, a new one at each step). */
export function totpCode(ms: number): string {
  return String(100000 + Math.floor(ms / TOTP_STEP_MS) % 900000);
}

export const ADMIN_ROLE = `arn:aws:iam::123456789012:role/Admin`;

export const ALICE: StsUser = {
  accessKeyId: `AKIAALICEEXAMPLE0001`,
  secretAccessKey: `alice/secret+EXAMPLEKEY0000000000000000`,
  serialNumber: `arn:aws:iam::123456789012:mfa/alice`,
  arn: `arn:aws:iam::123456789012:user/alice`,
};

const XMLNS = `https://sts.amazonaws.com/doc/2011-06-15/`;

function xmlEscape(value: string): string {
  return value.replace(/[<>&'"]/g, char => `&#${char.charCodeAt(0)};`);
}

const sha256 = (data: string | Buffer) => createHash(`sha256`).update(data).digest(`hex`);
const hmac = (key: string | Buffer, data: string) => createHmac(`sha256`, key).update(data).digest();

/** Checks an `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header against a secret. */
export function verifySigV4(request: IncomingMessage, body: Buffer, secret: string): boolean {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(request.headers.authorization ?? ``);
  if (!match)
    return false;
  const [, , date, region, service, signedHeaders, signature] = match as unknown as string[];
  const url = new URL(request.url ?? `/`, `http://localhost`);
  const query = [...url.searchParams].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).sort().join(`&`);
  const headers = signedHeaders!.split(`;`).map(name => `${name}:${String(request.headers[name] ?? ``).trim().replace(/\s+/g, ` `)}\n`).join(``);
  const canonical = [request.method, url.pathname, query, headers, signedHeaders, sha256(body)].join(`\n`);
  const amzDate = String(request.headers[`x-amz-date`] ?? ``);
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = [`AWS4-HMAC-SHA256`, amzDate, scope, sha256(canonical)].join(`\n`);
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region!), service!), `aws4_request`);
  return createHmac(`sha256`, key).update(toSign).digest(`hex`) === signature;
}

type Reply = (status: number, xml: string) => void;
type ErrorReply = (status: number, code: string, message: string) => void;
const IAM_XMLNS = `https://iam.amazonaws.com/doc/2010-05-08/`;

export class StsServer {
  readonly requests: StsRequestRecord[] = [];
  readonly users: StsUser[];
  readonly issued: IssuedCredentials[] = [];
  code: string;
  allowReuse: boolean;
  roles: string[];
  rolesWithoutMfa: string[];
  permissive: boolean;
  mfaMaxAge: Record<string, number>;
  codeOnCall: string[];
  lifetimeSeconds: {role?: number, session?: number};
  /**
   * A TOTP device instead of the one `code`: the code taken is totpCode(now + offsetMs), so a code changes every
   * 30 s as on a real device (offsetMs moves this device's clock, to match a test's clock).
   */
  totp: {offsetMs: number} | undefined = undefined;
  /** Sessions ended at AWS (by key id): STS answers InvalidClientTokenId, as for a deleted key. */
  readonly revoked = new Set<string>();
  /** Access keys made inactive by IAM UpdateAccessKey: they sign nothing. */
  readonly inactive = new Set<string>();
  /** When a key is made inactive, the sessions obtained with it end too (whether AWS does so is not documented). */
  keyRevokesSessions = false;
  /** Credentials the next GetSessionToken hands out (any field left out is made up). */
  nextCredentials: Partial<IssuedCredentials> | undefined;
  fault: Fault | undefined;
  /**
   * A broken or hostile endpoint, for every request: `silent` accepts the connection and never answers, `reset`
   * drops it, a `raw` answer is sent as it is (HTML of a captive portal, garbage, XML without credentials).
   */
  broken: `silent` | `reset` | {status: number, body: string, contentType?: string} | undefined;
  /** Credential fields written into the XML as they are, unescaped (for `&#0;` and the like). */
  rawFields: Partial<Record<`AccessKeyId` | `SecretAccessKey` | `SessionToken` | `Expiration`, string>> | undefined;
  delayMs = 0;
  /** Called after each session handed out (to change what the next request gets). */
  onIssued: (() => void) | undefined;
  url = ``;
  private usedCodes = new Set<string>();
  private server = createServer((req, res) => {
    this.handle(req, res).catch(error => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });

  /**
   * Back to what the constructor made, between tests: no records, faults, delays, planted answers or hooks, and
   * the first code and roles.
   */
  reset(): void {
    this.requests.length = 0;
    this.fault = undefined;
    this.broken = undefined;
    this.rawFields = undefined;
    this.nextCredentials = undefined;
    this.onIssued = undefined;
    this.delayMs = 0;
    this.code = this.options.code ?? `123456`;
    this.roles = this.options.roles ?? [ADMIN_ROLE];
    this.rolesWithoutMfa = this.options.rolesWithoutMfa ?? [];
    this.mfaMaxAge = {...this.options.mfaMaxAge};
    this.codeOnCall = [...this.options.codeOnCall ?? []];
    this.lifetimeSeconds = {...this.options.lifetimeSeconds};
    this.totp = undefined;
    this.revoked.clear();
    this.inactive.clear();
    this.keyRevokesSessions = false;
    this.users.splice(0, this.users.length, ...this.options.users ?? [ALICE]);
  }

  constructor(private readonly options: StsServerOptions = {}) {
    this.users = [...options.users ?? [ALICE]];
    this.code = options.code ?? `123456`;
    this.allowReuse = options.allowReuse ?? false;
    this.roles = options.roles ?? [ADMIN_ROLE];
    this.rolesWithoutMfa = options.rolesWithoutMfa ?? [];
    this.permissive = options.permissive ?? false;
    this.mfaMaxAge = {...options.mfaMaxAge};
    this.codeOnCall = [...options.codeOnCall ?? []];
    this.lifetimeSeconds = {...options.lifetimeSeconds};
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>(resolve => this.server.listen(port, `127.0.0.1`, resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** Makes the MFA behind every session handed out so far look `seconds` older (no waiting in tests). */
  ageMfa(seconds: number): void {
    for (const issued of this.issued) {
      if (issued.mfaAt !== undefined)
        issued.mfaAt -= seconds * 1000;
    }
  }

  /** The requests that ask for a session: GetSessionToken and AssumeRole. */
  get sessionRequests(): StsRequestRecord[] {
    return this.requests.filter(record => record.action === `GetSessionToken` || record.action === `AssumeRole`);
  }

  /**
   * IAM's access key calls for the caller's own user, under a "force MFA" policy: only a session obtained with MFA may
   * make them (explicit deny otherwise, as AWS words it). A new key is a new StsUser of the same person, so STS checks
   * its signature from then on; an inactive key signs nothing; a deleted one is gone. Two keys at most, as IAM.
   */
  private accessKeys(action: string, params: Record<string, string>, user: StsUser | undefined, session: IssuedCredentials | undefined, reply: Reply, error: ErrorReply): void {
    const owner = user ?? session?.owner;
    const name = owner?.arn?.split(`/`).pop();
    if (!owner || params.UserName !== name)
      return error(403, `AccessDenied`, `User: ${owner?.arn} is not authorized to perform: iam:${action} on resource: user ${params.UserName}`);
    if (!session?.mfa)
      return error(403, `AccessDenied`, `User: ${owner.arn} is not authorized to perform: iam:${action} on resource: user ${name} with an explicit deny in an identity-based policy (aws:MultiFactorAuthPresent)`);
    const keys = this.users.filter(candidate => candidate.arn === owner.arn);
    const id = () => randomBytes(8).toString(`hex`);
    const done = (extra = ``) => reply(200, `<${action}Response xmlns="${IAM_XMLNS}">\n  ${extra}<ResponseMetadata><RequestId>${id()}</RequestId></ResponseMetadata>\n</${action}Response>\n`);
    if (action === `ListAccessKeys`) {
      const members = keys.map(key => `<member><UserName>${xmlEscape(name!)}</UserName><AccessKeyId>${key.accessKeyId}</AccessKeyId><Status>${this.inactive.has(key.accessKeyId) ? `Inactive` : `Active`}</Status><CreateDate>2026-01-01T00:00:00Z</CreateDate></member>`).join(``);
      return done(`<ListAccessKeysResult><IsTruncated>false</IsTruncated><AccessKeyMetadata>${members}</AccessKeyMetadata></ListAccessKeysResult>`);
    }
    if (action === `CreateAccessKey`) {
      if (keys.length >= 2)
        return error(409, `LimitExceeded`, `Cannot exceed quota for AccessKeysPerUser: 2`);
      const created: StsUser = {...owner, accessKeyId: `AKIA${randomBytes(8).toString(`hex`).toUpperCase()}`, secretAccessKey: randomBytes(30).toString(`base64`)};
      this.users.push(created);
      return done(`<CreateAccessKeyResult><AccessKey><UserName>${xmlEscape(name!)}</UserName><AccessKeyId>${created.accessKeyId}</AccessKeyId><Status>Active</Status><SecretAccessKey>${xmlEscape(created.secretAccessKey)}</SecretAccessKey><CreateDate>${new Date().toISOString()}</CreateDate></AccessKey></CreateAccessKeyResult>`);
    }
    const target = keys.find(key => key.accessKeyId === params.AccessKeyId);
    if (!target)
      return error(404, `NoSuchEntity`, `The Access Key with id ${params.AccessKeyId} cannot be found.`);
    if (action === `UpdateAccessKey`) {
      if (params.Status === `Inactive`) {
        this.inactive.add(target.accessKeyId);
        if (this.keyRevokesSessions) {
          for (const issued of this.issued.filter(candidate => candidate.owner?.accessKeyId === target.accessKeyId))
            this.revoked.add(issued.accessKeyId);
        }
      } else {
        this.inactive.delete(target.accessKeyId);
      }
      return done();
    }
    this.users.splice(this.users.indexOf(target), 1);
    this.inactive.delete(target.accessKeyId);
    return done();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req)
      chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const params = Object.fromEntries(new URLSearchParams(body.toString(`utf8`)));
    const accessKeyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? ``)?.[1];
    const sessionToken = req.headers[`x-amz-security-token`] as string | undefined;
    const user = this.users.find(candidate => candidate.accessKeyId === accessKeyId);
    const session = this.issued.find(candidate => candidate.accessKeyId === accessKeyId);
    const secret = user?.secretAccessKey ?? session?.secretAccessKey;
    const signatureValid = secret !== undefined && verifySigV4(req, body, secret);
    const action = params.Action ?? ``;
    const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? ``)?.[1];
    this.requests.push({action, accessKeyId, sessionToken, signatureValid, region, params});

    if (this.broken === `silent`)
      return; // the response is never ended; close() ends the connection
    if (this.broken === `reset`) {
      req.socket.destroy();
      return;
    }
    if (this.broken !== undefined) {
      res.writeHead(this.broken.status, {'content-type': this.broken.contentType ?? `text/html`});
      res.end(this.broken.body);
      return;
    }
    if (this.delayMs > 0)
      await new Promise(resolve => setTimeout(resolve, this.delayMs));
    const reply = (status: number, xml: string) => {
      res.writeHead(status, {'content-type': `text/xml`, 'x-amzn-requestid': randomBytes(8).toString(`hex`)});
      res.end(xml);
    };
    const error = (status: number, code: string, message: string) => reply(status, `<ErrorResponse xmlns="${XMLNS}">
  <Error>
    <Type>Sender</Type>
    <Code>${code}</Code>
    <Message>${xmlEscape(message)}</Message>
  </Error>
  <RequestId>${randomBytes(8).toString(`hex`)}</RequestId>
</ErrorResponse>
`);

    if (this.fault && (this.fault.count ?? 1) > 0) {
      const {status, code, message} = this.fault;
      if (this.fault.count !== undefined)
        this.fault.count--;
      return error(status, code, message);
    }
    if (secret === undefined || (session !== undefined && session.sessionToken !== sessionToken) || this.revoked.has(accessKeyId ?? ``) || this.inactive.has(accessKeyId ?? ``))
      return error(403, `InvalidClientTokenId`, `The security token included in the request is invalid.`);
    if (!signatureValid)
      return error(403, `SignatureDoesNotMatch`, `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.`);
    if (session && session.expiration.getTime() < Date.now())
      return error(403, `ExpiredToken`, `The security token included in the request is expired`);

    if (action === `ListMFADevices`) {
      const owner = user ?? session?.owner;
      if (!owner || (params.UserName !== undefined && params.UserName !== owner.arn?.split(`/`).pop()))
        return error(403, `AccessDenied`, `User: ${owner?.arn ?? accessKeyId} is not authorized to perform: iam:ListMFADevices`);
      const devices = (owner.devices ?? [owner.serialNumber]).map(serial => `
      <member>
        <UserName>${xmlEscape(owner.arn?.split(`/`).pop() ?? `user`)}</UserName>
        <SerialNumber>${xmlEscape(serial)}</SerialNumber>
        <EnableDate>2024-03-01T09:00:00Z</EnableDate>
      </member>`).join(``);
      return reply(200, `<ListMFADevicesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListMFADevicesResult>
    <IsTruncated>false</IsTruncated>
    <MFADevices>${devices}
    </MFADevices>
  </ListMFADevicesResult>
  <ResponseMetadata><RequestId>${randomBytes(8).toString(`hex`)}</RequestId></ResponseMetadata>
</ListMFADevicesResponse>
`);
    }
    if (/^(ListAccessKeys|CreateAccessKey|UpdateAccessKey|DeleteAccessKey)$/.test(action))
      return this.accessKeys(action, params, user, session, reply, error);
    if (action === `GetCallerIdentity`) {
      const arn = user?.arn ?? session?.arn ?? session?.owner?.arn ?? `arn:aws:iam::123456789012:user/unknown`;
      return reply(200, `<GetCallerIdentityResponse xmlns="${XMLNS}">
  <GetCallerIdentityResult>
    <Arn>${xmlEscape(arn)}</Arn>
    <UserId>${xmlEscape(accessKeyId!)}</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>${randomBytes(8).toString(`hex`)}</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>
`);
    }
    if (action === `GetFederationToken`) {
      // Long-term keys only, and never with MFA (AWS takes no code here), as STS does.
      if (!user)
        return error(403, `AccessDenied`, `Cannot call GetFederationToken with session credentials`);
      if (!/^[\w+=,.@-]{2,32}$/.test(params.Name ?? ``))
        return error(400, `ValidationError`, `1 validation error detected: Value '${params.Name}' at 'name' failed to satisfy constraint`);
      const seconds = Number(params.DurationSeconds ?? 43200);
      const issued: IssuedCredentials = {
        accessKeyId: `ASIA${randomBytes(8).toString(`hex`).toUpperCase()}`,
        secretAccessKey: randomBytes(30).toString(`base64`),
        sessionToken: `FQoGZXIvYXdzE${randomBytes(96).toString(`base64`)}`,
        expiration: new Date(Math.floor(Date.now() / 1000) * 1000 + seconds * 1000),
        owner: user,
        mfa: false,
        arn: `arn:aws:sts::123456789012:federated-user/${params.Name}`,
        action: `GetFederationToken`,
      };
      this.issued.push(issued);
      return reply(200, `<GetFederationTokenResponse xmlns="${XMLNS}">
  <GetFederationTokenResult>
    <Credentials>
      <SessionToken>${xmlEscape(issued.sessionToken)}</SessionToken>
      <SecretAccessKey>${xmlEscape(issued.secretAccessKey)}</SecretAccessKey>
      <Expiration>${issued.expiration.toISOString()}</Expiration>
      <AccessKeyId>${issued.accessKeyId}</AccessKeyId>
    </Credentials>
    <FederatedUser><Arn>${xmlEscape(issued.arn!)}</Arn><FederatedUserId>123456789012:${xmlEscape(params.Name!)}</FederatedUserId></FederatedUser>
  </GetFederationTokenResult>
  <ResponseMetadata><RequestId>${randomBytes(8).toString(`hex`)}</RequestId></ResponseMetadata>
</GetFederationTokenResponse>
`);
    }
    if (action !== `GetSessionToken` && action !== `AssumeRole`)
      return error(400, `InvalidAction`, `Could not find operation ${action} for version ${params.Version}`);
    // GetSessionToken takes long-term keys only; AssumeRole also a session (role chaining), as STS does.
    const caller = user ?? (action === `AssumeRole` ? session?.owner : undefined);
    if (!caller)
      return error(403, `AccessDenied`, `Cannot call ${action} with session credentials`);
    const role = action === `AssumeRole` ? params.RoleArn ?? `` : undefined;
    if (role !== undefined && !this.permissive && !this.roles.includes(role))
      return error(403, `AccessDenied`, `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${role}`);
    if (role !== undefined && !/^[\w+=,.@-]{2,64}$/.test(params.RoleSessionName ?? ``))
      return error(400, `ValidationError`, `1 validation error detected: Value '${params.RoleSessionName}' at 'roleSessionName' failed to satisfy constraint`);
    const duration = params.DurationSeconds === undefined ? (role === undefined ? 43200 : 3600) : Number(params.DurationSeconds);
    if (role !== undefined && duration > 3600)
      return error(400, `ValidationError`, `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
    if (!(duration >= 900))
      return error(400, `ValidationError`, `1 validation error detected: Value '${params.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
    if (duration > 129600)
      return error(400, `ValidationError`, `1 validation error detected: Value '${params.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600`);
    // MFA: a code with the call, or (for a chained role) a signing session that was obtained with one.
    const codeKey = `${params.SerialNumber} ${params.TokenCode}`;
    const codeGiven = params.SerialNumber !== undefined || params.TokenCode !== undefined;
    const mfaNeeded = !this.permissive && (role === undefined || !this.rolesWithoutMfa.includes(role));
    if (codeGiven || (mfaNeeded && !session?.mfa)) {
      const code = this.totp === undefined ? this.code : totpCode(Date.now() + this.totp.offsetMs);
      if ((!this.permissive && params.SerialNumber !== caller.serialNumber) || params.TokenCode !== code || (!this.allowReuse && this.usedCodes.has(codeKey)))
        return error(403, `AccessDenied`, `MultiFactorAuthentication failed with invalid MFA one time pass code. `);
      this.usedCodes.add(codeKey);
    }
    if (role !== undefined && !codeGiven && this.codeOnCall.includes(role))
      return error(403, `AccessDenied`, `MultiFactorAuthentication is required with the call: ${role} is not assumed with the MFA of a session`);
    const mfa = codeGiven || (session?.mfa ?? false);
    const mfaAt = codeGiven ? Date.now() : session?.mfaAt;
    const maxAge = role === undefined ? undefined : this.mfaMaxAge[role];
    if (maxAge !== undefined && (mfaAt === undefined || Date.now() - mfaAt > maxAge * 1000))
      return error(403, `AccessDenied`, `User: ${session?.arn ?? caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${role}`);
    const lifetime = (role === undefined ? this.lifetimeSeconds.session : this.lifetimeSeconds.role) ?? duration;
    const assumedArn = role === undefined ? caller.arn : `${role.replace(`:iam::`, `:sts::`).replace(`:role/`, `:assumed-role/`)}/${params.RoleSessionName}`;

    const issued: IssuedCredentials = {
      accessKeyId: `ASIA${randomBytes(8).toString(`hex`).toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString(`base64`),
      sessionToken: `FwoGZXIvYXdzE${randomBytes(96).toString(`base64`)}`,
      expiration: new Date(Math.floor(Date.now() / 1000) * 1000 + lifetime * 1000),
      owner: caller,
      mfa,
      mfaAt,
      arn: assumedArn,
      action,
      ...this.nextCredentials,
    };
    this.nextCredentials = undefined;
    this.issued.push(issued);
    queueMicrotask(() => this.onIssued?.());
    const assumed = role === undefined ? `` : `
    <AssumedRoleUser>
      <Arn>${xmlEscape(assumedArn ?? ``)}</Arn>
      <AssumedRoleId>AROAEXAMPLE:${xmlEscape(params.RoleSessionName ?? ``)}</AssumedRoleId>
    </AssumedRoleUser>`;
    return reply(200, `<${action}Response xmlns="${XMLNS}">
  <${action}Result>${assumed}
    <Credentials>
      <SessionToken>${this.rawFields?.SessionToken ?? xmlEscape(issued.sessionToken)}</SessionToken>
      <SecretAccessKey>${this.rawFields?.SecretAccessKey ?? xmlEscape(issued.secretAccessKey)}</SecretAccessKey>
      <Expiration>${this.rawFields?.Expiration ?? issued.expiration.toISOString()}</Expiration>
      <AccessKeyId>${this.rawFields?.AccessKeyId ?? xmlEscape(issued.accessKeyId)}</AccessKeyId>
    </Credentials>
  </${action}Result>
  <ResponseMetadata>
    <RequestId>${randomBytes(8).toString(`hex`)}</RequestId>
  </ResponseMetadata>
</${action}Response>
`);
  }
}

/** Runs the stand-in on its own: `node --import tsx test/support/sts-server.ts [PORT]`. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await new StsServer({allowReuse: true}).start(Number(process.argv[2] ?? 0));
  process.stdout.write(`STS stand-in at ${server.url} (access key ${ALICE.accessKeyId}, device ${ALICE.serialNumber}, code ${server.code})\n`);
}
