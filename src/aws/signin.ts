import {AwsmfaError} from '../errors.js';
import {endpointAdvice, seconds, startCall, type Where} from './client.js';
import type {SessionCredentials} from './credentials.js';

/** The sign-in host and the console of each partition, chosen by the region's prefix (as the SDKs' partitions.json does). */
const PARTITIONS = [
  {name: `aws-cn`, test: /^cn-/, signin: `https://signin.amazonaws.cn/federation`, console: `https://console.amazonaws.cn/`},
  {name: `aws-us-gov`, test: /^us-gov-/, signin: `https://signin.amazonaws-us-gov.com/federation`, console: `https://console.amazonaws-us-gov.com/`},
  {name: `aws`, test: /./, signin: `https://signin.aws.amazon.com/federation`, console: `https://console.aws.amazon.com/`},
] as const;

export type Partition = (typeof PARTITIONS)[number];

export function partitionOf(region: string): Partition {
  return PARTITIONS.find(partition => partition.test.test(region))!;
}

/** The console's home page in the region, in its partition. */
export function consoleHome(region: string): string {
  return `${partitionOf(region).console}console/home?region=${encodeURIComponent(region)}`;
}

/**
 * One GET, no redirect followed, no connection kept (fetch's pool would keep the process alive after the answer),
 * the body cut at 64 KiB. node:http(s) is loaded only here.
 */
async function get(url: string, signal: AbortSignal): Promise<{status: number, body: string}> {
  const {request} = url.startsWith(`https:`) ? await import(`node:https`) : await import(`node:http`);
  return await new Promise((resolve, reject) => {
    const req = request(url, {method: `GET`, agent: false, signal, headers: {accept: `application/json`}}, response => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on(`data`, (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 65_536)
          chunks.push(chunk);
      });
      response.on(`end`, () => resolve({status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString(`utf8`)}));
      response.on(`error`, reject);
    });
    req.on(`error`, reject);
    req.end();
  });
}

/** What the federation endpoint hands back: a token of URL-safe characters (real ones are some 600-1000 long). */
const SIGNIN_TOKEN = /^[A-Za-z0-9_-]{16,8192}$/;

export interface SigninOptions {
  /** The federation endpoint: AWS_ENDPOINT_URL_SIGNIN (+ `/federation`), else the partition's. */
  readonly endpoint: string;
  /** Where it came from, for messages (`AWS_ENDPOINT_URL_SIGNIN`), undefined for the partition's own. */
  readonly endpointOrigin: string | undefined;
  /** Only for a role's session: a GetFederationToken session takes its own length, and the endpoint refuses one. */
  readonly sessionDurationSeconds: number | undefined;
  readonly destination: string;
  readonly issuer: string;
  readonly timeoutMs: number;
}

/**
 * The sign-in URL of the console for a session: the federation endpoint's getSigninToken with the session (its
 * key id, secret and token as the endpoint's JSON), then its `login` URL with that token. The URL signs anyone
 * in who opens it for 15 minutes, so it is a secret: it never goes into a message. The session goes over HTTPS
 * to the endpoint only (a GET, as AWS documents it); what comes back is checked before it is put into a URL.
 */
export async function signinUrl(session: SessionCredentials, options: SigninOptions): Promise<string> {
  const where: Pick<Where, `endpointOrigin`> = {endpointOrigin: options.endpointOrigin};
  const query = new URLSearchParams({
    Action: `getSigninToken`,
    ...options.sessionDurationSeconds === undefined ? {} : {SessionDuration: String(options.sessionDurationSeconds)},
    Session: JSON.stringify({sessionId: session.accessKeyId, sessionKey: session.secretAccessKey, sessionToken: session.sessionToken}),
  });
  const call = startCall(options.timeoutMs);
  let status: number;
  let body: string;
  try {
    ({status, body} = await call.within(get(`${options.endpoint}?${query}`, call.signal)));
  } catch (error) {
    if (call.signal.aborted)
      throw new AwsmfaError(`no answer from the sign-in endpoint ${options.endpoint} within ${seconds(options.timeoutMs)}; check ${endpointAdvice(where)}`, 1, {cause: error});
    const code = (error as NodeJS.ErrnoException).code ?? ``;
    throw new AwsmfaError(`cannot reach the sign-in endpoint ${options.endpoint}${/^E[A-Z]+$/.test(code) ? ` (${code})` : ``}; check ${endpointAdvice(where)}`, 1, {cause: error});
  } finally {
    call.end();
  }
  // The endpoint answers 400 with an HTML page for a session it does not take (a GetSessionToken session, an expired one).
  if (status !== 200)
    throw new AwsmfaError(`the sign-in endpoint ${options.endpoint} refused the session (HTTP ${status}): it takes a role's session or a federation token only, and one that has not expired`);
  let token: unknown;
  try {
    token = (JSON.parse(body) as {SigninToken?: unknown}).SigninToken;
  } catch {}
  if (typeof token !== `string` || !SIGNIN_TOKEN.test(token))
    throw new AwsmfaError(`the sign-in endpoint ${options.endpoint} answered no sign-in token; is that endpoint really AWS's sign-in? (check ${endpointAdvice(where)})`);
  return `${options.endpoint}?${new URLSearchParams({Action: `login`, Issuer: options.issuer, Destination: options.destination, SigninToken: token})}`;
}
