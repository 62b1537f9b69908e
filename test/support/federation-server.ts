/**
 * A stand-in for AWS's sign-in federation endpoint (`/federation`) on 127.0.0.1, as `AWS_ENDPOINT_URL_SIGNIN`
 * points the console at it. `getSigninToken` takes the session only when it is one the STS stand-in handed out
 * (key id, secret and token all matching, not expired) and of a kind AWS's sign-in takes: an AssumeRole or
 * GetFederationToken session, never a GetSessionToken one (HTTP 400, as AWS answers). `login` with a token it
 * issued answers who is signed in; anything else is 400.
 */
import {randomBytes} from 'node:crypto';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {LoopbackServer} from './loopback.js';
import type {IssuedCredentials, StsServer} from './sts-server.js';

export interface FederationRequest {
  action: string;
  /** Every parameter but Session (the secret), for assertions. */
  params: Record<string, string>;
  method: string;
}

/**
 * The sessions AWS's sign-in takes: a role's (AssumeRole, and an Identity Center role's from its portal), a
 * federation token's, and (as modelled here) an aws login session of a role, which is a role's session too; never a
 * GetSessionToken session, nor an aws login of an IAM user or root, which are sessions of the same kind.
 */
function takesSession(issued: IssuedCredentials): boolean {
  return issued.action === `AssumeRole` || issued.action === `GetFederationToken` || issued.action === `GetRoleCredentials`
    || (issued.action === `Login` && /:assumed-role\//.test(issued.arn ?? ``));
}

export class FederationServer extends LoopbackServer {
  readonly requests: FederationRequest[] = [];
  /** Tokens issued, and whose session each signs in. */
  readonly tokens = new Map<string, IssuedCredentials>();
  /** A hostile or broken endpoint: its answer to getSigninToken, sent as it is. */
  raw: {status: number, body: string} | undefined;
  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? `/`, `http://localhost`);
    const params = Object.fromEntries(url.searchParams);
    const action = params.Action ?? ``;
    const {Session: _session, ...rest} = params;
    this.requests.push({action, params: rest, method: req.method ?? ``});
    const answer = (status: number, body: string, type = `text/html`) => {
      res.writeHead(status, {'content-type': type});
      res.end(body);
    };
    if (url.pathname !== `/federation`)
      return answer(404, `<html>not found</html>`);
    if (action === `getSigninToken`) {
      if (this.raw !== undefined)
        return answer(this.raw.status, this.raw.body, `application/json`);
      let session: {sessionId?: unknown, sessionKey?: unknown, sessionToken?: unknown};
      try {
        session = JSON.parse(params.Session ?? ``);
      } catch {
        return answer(400, `<html>Bad Request</html>`);
      }
      const issued = this.sts().issued.find(candidate => candidate.accessKeyId === session.sessionId);
      const duration = params.SessionDuration === undefined ? undefined : Number(params.SessionDuration);
      if (issued === undefined || issued.secretAccessKey !== session.sessionKey || issued.sessionToken !== session.sessionToken
        || issued.expiration.getTime() < Date.now() || !takesSession(issued)
        || (duration !== undefined && (issued.action !== `AssumeRole` || !(duration >= 900 && duration <= 43200))))
        return answer(400, `<html>Bad Request</html>`);
      const token = randomBytes(300).toString(`base64url`);
      this.tokens.set(token, issued);
      return answer(200, JSON.stringify({SigninToken: token}), `application/json`);
    }
    if (action === `login`) {
      const issued = this.tokens.get(params.SigninToken ?? ``);
      if (issued === undefined || !params.Destination?.startsWith(`https://`))
        return answer(400, `<html>Bad Request</html>`);
      return answer(200, `signed in as ${issued.arn}`, `text/plain`);
    }
    return answer(400, `<html>Bad Request</html>`);
  }

  /** `sts`: the STS stand-in whose sessions are taken (a getter: test files assign theirs in a hook). */
  constructor(private readonly sts: () => StsServer) {
    super();
  }
}
