import {createHash, randomBytes, timingSafeEqual} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import type {SessionCredentials} from '../aws/credentials.js';
import {SESSION_VARIABLES} from '../contract.js';
import type {Env} from '../env.js';
import type {AwsFiles} from '../aws-files/files.js';
import {SERVER} from '../contract.js';
import {serverFirst, type Ahead} from './principal.js';
import type {Assignment} from '../dialects/index.js';
import {jsonText, visible} from '../terminal.js';
import {CREDENTIAL_VARIABLES} from '../env.js';
import type {SessionChanges} from './variables.js';
import {describeExpiry} from '../time.js';
import {tokenUpdatesDone} from '../sources/token-file.js';

/**
 * A credentials endpoint for the AWS SDKs and the AWS CLI: the container credentials protocol (what ECS and EKS
 * Pod Identity serve), which every SDK reads from AWS_CONTAINER_CREDENTIALS_FULL_URI with the header
 * `Authorization: <AWS_CONTAINER_AUTHORIZATION_TOKEN>`. The SDKs take a plain-http full URI only on a loopback
 * host (botocore's ContainerMetadataFetcher, the JS SDK's fromHttp), so it listens on 127.0.0.1 alone. A client
 * refreshes on its own schedule (botocore 15 and 10 minutes before Expiration, the JS SDK 5 minutes before, the
 * AWS CLI at each start) and waits 1 s (JS) or 2 s (botocore) for an answer, three times: so this server assumes
 * the role again ahead of expiry, answers within ANSWER_MS whatever happens, and never holds a request while a
 * question waits on the terminal.
 */

/** The SDKs read these (the contract's SERVER): the server's URL and token. */
export const [FULL_URI, AUTHORIZATION_TOKEN] = SERVER.variables;
/**
 * Taken before the server: both SDKs take a relative URI (ECS's 169.254.170.2) before the full one and a token file
 * before the token, and a web identity (a CI's OIDC token file with its role) before the container endpoint;
 * botocore reads the old EC2 tools' key file (AWS_CREDENTIAL_FILE, long-term keys) before it too.
 */
const SHADOWING_VARIABLES = [`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`, `AWS_CREDENTIAL_FILE`] as const;
/** Set by `awsmfa serve`, so that `kill $AWSMFA_SERVER_PID` stops it (and unset knows the other two are awsmfa's). */
export const SERVER_PID = SERVER.pid;

/**
 * How long a connection may take to send its whole request (and may stay idle between requests): the SDKs send
 * their one GET the moment they connect. A connection that sends nothing, or half a request a byte at a time, is
 * closed then.
 */
const CLIENT_MS = 2_000;
/**
 * Connections held at once. Not a cap that strangers can fill (another local user may connect too, the token only
 * keeps the credentials from them): one more closes the oldest connection that has not sent an authorized request,
 * so the holder of the token, who sends it at once, is served whatever else is connected. Kept below the open-file
 * limit (which Node raises to the hard limit at start), so that a flood never makes the server run out of
 * descriptors: 4096, or less where that limit is lower (Linux says it in /proc/self/limits; elsewhere 1024).
 */
export function connectionCap(): number {
  let limit = 1024 + 128;
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/self/limits`, `latin1`));
    if (line !== null)
      limit = Number(line[1]);
  } catch {}
  return Math.max(64, Math.min(4096, limit - 128));
}

/** How long a request may wait for a refresh before it is answered anyway: under the JS SDK's 1 s. */
const ANSWER_MS = 700;
/** botocore's advisory refresh: credentials with more left than this are refreshed by no client. */
const CLIENT_REFRESH_MS = 15 * 60_000;
/** After a failed refresh, requests are answered with its error for this long before another is tried. */
const RETRY_AFTER_MS = 3_000;
/** Credentials with less than this left are not handed out: a call made with them could not finish. */
const FLOOR_MS = 1_000;

/**
 * When to assume the role (or ask for the session) again: a third of the session's lifetime before its end, at
 * most 15 minutes before (the earliest any SDK asks again), so a 1-hour role is refreshed once per hour and a
 * 10-second one of a test three seconds before it ends.
 */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(CLIENT_REFRESH_MS, Math.max(0, lifetimeMs) / 3);
}

export interface ServerOptions {
  /** The session to serve first, obtained before the server starts (its code asked as for `exec`). */
  initial: SessionCredentials;
  /**
   * A new session, from the cache or STS: what awsmfa obtains anywhere (src/session/obtain.ts), with a cached one
   * taken only when it has more than `minRemainingMs` left. May ask for a code on the terminal.
   */
  refresh: (minRemainingMs: number) => Promise<SessionCredentials>;
  now: () => Date;
  /** One line on stderr, for the person (a failed refresh, a question waiting). */
  warn: (message: string) => void;
  log: (message: string) => void;
}

interface Held {
  credentials: SessionCredentials;
  /** When it was obtained (or first served): its lifetime sets the refresh margin. */
  since: number;
}

export class CredentialsServer {
  /** The random token a request must carry; 256 bits, hex (safe in every dialect and header). */
  readonly token = randomBytes(32).toString(`hex`);
  url = ``;
  private readonly tokenDigest = createHash(`sha256`).update(this.token).digest();
  private held: Held;
  private refreshing: Promise<void> | undefined;
  private failure: {message: string, at: number} | undefined;
  private readonly server: Server;
  private port = 0;

  constructor(private readonly options: ServerOptions) {
    this.held = {credentials: options.initial, since: options.now().getTime()};
    // Half a request is dropped CLIENT_MS after it began, checked four times a second (Node's default is every 30 s);
    // a connection that sends nothing at all Node never drops: admit() does.
    this.server = createServer({headersTimeout: CLIENT_MS, requestTimeout: CLIENT_MS, keepAliveTimeout: CLIENT_MS, connectionsCheckingInterval: 250}, (request, response) => {
      this.answer(request, response).catch(error => this.send(response, 500, {Code: `InternalError`, Message: `awsmfa: ${visible((error as Error).message)}`}));
    });
    this.server.on(`connection`, socket => this.admit(socket));
  }

  /** The open connections, oldest first, and whether each has sent an authorized request (the token's holder). */
  private readonly open = new Map<Socket, {authorized: boolean}>();
  private readonly cap = connectionCap();

  /**
   * Every connection: closed when it says nothing for CLIENT_MS, and, past connectionCap() at once, the oldest one that
   * has not sent an authorized request makes room (see connectionCap).
   */
  private admit(socket: Socket): void {
    socket.setTimeout(CLIENT_MS, () => socket.destroy());
    this.open.set(socket, {authorized: false});
    socket.once(`close`, () => this.open.delete(socket));
    if (this.open.size <= this.cap)
      return;
    for (const [other, state] of this.open) {
      if (!state.authorized && other !== socket) {
        this.open.delete(other);
        other.destroy();
        return;
      }
    }
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once(`error`, reject);
      this.server.listen(0, `127.0.0.1`, () => {
        this.server.off(`error`, reject);
        resolve();
      });
    });
    // What accepting a connection may still throw (out of descriptors after all): said, and the server goes on.
    this.server.on(`error`, error => this.options.log(`credentials server: ${(error as Error).message}`));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}/`;
    return this;
  }

  /**
   * Stops listening and drops every connection: a client's next call is refused. Then, for at most `settleMs`, waits
   * for a refresh of an aws login or Identity Center token under way to reach its rename: the service has spent the
   * refresh token in the file by then, and an awsmfa that ended first would end the session (the signal that stops
   * serve is held meanwhile, see token-file.ts). Said when it did not finish in time.
   */
  async close(settleMs = 0): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
    if (settleMs > 0 && !await tokenUpdatesDone(settleMs))
      this.options.warn(`stopped with the refresh of a token still unanswered after ${Math.round(settleMs / 1000)} s; if the next call asks you to sign in again, run aws login (or aws sso login)`);
  }

  /** Keeps the process alive only while something else does (exec's child); `serve` keeps it referenced. */
  unref(): void {
    this.server.unref();
  }

  private authorized(request: IncomingMessage): boolean {
    const given = request.headers.authorization;
    if (typeof given !== `string`)
      return false;
    // Digests of equal length, compared in constant time: the time taken says nothing of the token.
    return timingSafeEqual(createHash(`sha256`).update(given).digest(), this.tokenDigest);
  }

  private send(response: ServerResponse, status: number, body: Record<string, string>): void {
    if (response.headersSent)
      return;
    // jsonText: what the SDKs print of an error body (botocore prints it whole) has no raw control character.
    response.writeHead(status, {'content-type': `application/json`, 'cache-control': `no-store`});
    response.end(jsonText(body));
  }

  private error(response: ServerResponse, status: number, code: string, message: string): void {
    this.send(response, status, {Code: code, Message: `awsmfa: ${visible(message)}`});
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The token first: nothing about the server is told to a client without it, whose connection is not kept.
    if (!this.authorized(request)) {
      response.shouldKeepAlive = false;
      return this.error(response, 403, `AccessDenied`, `this credentials server takes requests with its AWS_CONTAINER_AUTHORIZATION_TOKEN only`);
    }
    const state = this.open.get(request.socket);
    if (state !== undefined)
      state.authorized = true;
    // A browser page whose name resolves to 127.0.0.1 sends its own Host (and could not send the token anyway).
    if (request.headers.host !== `127.0.0.1:${this.port}`)
      return this.error(response, 403, `AccessDenied`, `this credentials server answers 127.0.0.1:${this.port} only`);
    if (request.method !== `GET`)
      return this.error(response, 405, `MethodNotAllowed`, `GET the credentials`);
    if ((request.url ?? ``).split(`?`)[0] !== `/`)
      return this.error(response, 404, `NotFound`, `the credentials are at /`);
    const credentials = await this.current();
    if (typeof credentials === `string`)
      return this.error(response, 503, `CredentialsUnavailable`, credentials);
    this.send(response, 200, {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      Token: credentials.sessionToken,
      Expiration: credentials.expiration,
    });
  }

  private remainingMs(credentials: SessionCredentials): number {
    return Date.parse(credentials.expiration) - this.options.now().getTime();
  }

  /** The credentials to hand out now, or why there are none (answered within ANSWER_MS). */
  private async current(): Promise<SessionCredentials | string> {
    const {credentials, since} = this.held;
    const left = this.remainingMs(credentials);
    const margin = refreshMarginMs(Date.parse(credentials.expiration) - since);
    if (left > margin)
      return credentials;
    const now = this.options.now().getTime();
    if (this.refreshing === undefined && (this.failure === undefined || now - this.failure.at >= RETRY_AFTER_MS))
      this.refreshing = this.startRefresh(margin);
    if (this.refreshing !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.refreshing, new Promise(resolve => timer = setTimeout(resolve, ANSWER_MS))]);
      clearTimeout(timer);
    }
    const fresh = this.held.credentials;
    if (this.remainingMs(fresh) > FLOOR_MS)
      return fresh;
    if (this.refreshing !== undefined)
      return `the session is being renewed (awsmfa may be asking for an MFA code on its terminal: type it there); try again in a moment`;
    return this.failure?.message ?? `the session has ended`;
  }

  private async startRefresh(margin: number): Promise<void> {
    try {
      const credentials = await this.options.refresh(margin);
      this.held = {credentials, since: this.options.now().getTime()};
      this.failure = undefined;
      this.options.log(`credentials server: now serving ${credentials.accessKeyId}, ${describeExpiry(credentials.expiration, this.options.now())}`);
    } catch (error) {
      const message = (error as Error).message;
      // Said once per cause on stderr; every request in the meantime gets it in its answer.
      if (this.failure?.message !== message)
        this.options.warn(`the credentials server could not renew the session: ${message}`);
      this.failure = {message, at: this.options.now().getTime()};
    } finally {
      this.refreshing = undefined;
    }
  }
}

/**
 * What a command's environment (or a shell) must change to take its credentials from the server: every variable a
 * credential would be taken from before the server goes (static keys under any name, a session's, a profile, a
 * relative URI or token file), and so does another server's pid (an outer `serve`'s, which is not this one); the
 * server's URL and token, the profile's region and AWSMFA_PROFILE (as for `env`) are set, and for a shell (`pid`)
 * the pid of `serve`. Then the one decision of src/session/principal.ts (serverFirst) hides the files the SDKs would
 * read first. `sessionChanges` is what `env` would change: its region and profile parts are kept.
 */
export function serverEnvironment(server: Pick<CredentialsServer, `url` | `token`>, sessionChanges: SessionChanges, files: AwsFiles, env: Env, pid?: number): {changes: SessionChanges, hidden: Ahead[]} {
  const credentialNames = new Set<string>([...CREDENTIAL_VARIABLES, ...SESSION_VARIABLES]);
  const set: Assignment[] = [
    [FULL_URI, server.url],
    [AUTHORIZATION_TOKEN, server.token],
    ...sessionChanges.set.filter(([name]) => !credentialNames.has(name) || name === `AWSMFA_PROFILE`),
    ...pid === undefined ? [] : [[SERVER_PID, String(pid)] as const],
  ];
  // Only those that are set: fish keeps the failure of removing an unset variable in $status after later lines.
  const unset = [...new Set([...CREDENTIAL_VARIABLES, ...SESSION_VARIABLES, ...SHADOWING_VARIABLES, SERVER_PID, ...sessionChanges.unset])]
    .filter(name => env[name] !== undefined && !set.some(([setName]) => setName === name));
  return serverFirst(files, env, {unset, set}, pid !== undefined);
}
