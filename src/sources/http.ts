import {AwsmfaError} from '../errors.js';
import {endpointAdvice, seconds, startCall} from '../aws/client.js';
import {visible} from '../terminal.js';
import type {TokenEndpoint} from '../request.js';

/** An answer: its status, its error type (rest-json's `x-amzn-errortype`, else the body's `__type`), its JSON body. */
export interface JsonAnswer {
  readonly status: number;
  readonly errorType: string | undefined;
  readonly body: unknown;
}

/** No answer of these services comes near this; a bigger one is cut, and then is no JSON. */
const MAX_BODY = 256 * 1024;

/** Errors that mean the request never reached the service: it cannot have spent a token, so one retry is safe. */
const NEVER_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/;

/**
 * One HTTPS request (HTTP for a loopback stand-in named by an endpoint setting) of rest-json, as the sign-in,
 * Identity Center portal and OIDC services speak it: JSON in, JSON out, no redirect followed, no connection kept
 * (the process must be free to exit at once), the body cut at 256 KiB. node:http(s) is loaded only here.
 */
async function once(url: string, init: {method: `GET` | `POST`, headers: Record<string, string>, body?: string}, signal: AbortSignal): Promise<JsonAnswer> {
  const {request} = url.startsWith(`https:`) ? await import(`node:https`) : await import(`node:http`);
  return await new Promise((resolve, reject) => {
    const headers = {accept: `application/json`, ...init.body === undefined ? {} : {'content-type': `application/json`, 'content-length': String(Buffer.byteLength(init.body))}, ...init.headers};
    const req = request(url, {method: init.method, agent: false, signal, headers}, response => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on(`data`, (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY)
          chunks.push(chunk);
      });
      response.on(`end`, () => {
        let body: unknown;
        try {
          body = size <= MAX_BODY ? JSON.parse(Buffer.concat(chunks).toString(`utf8`)) : undefined;
        } catch {}
        const header = response.headers[`x-amzn-errortype`];
        const typeOf = (value: unknown) => typeof value === `string` ? value.split(`:`)[0]!.split(`#`).pop() : undefined;
        resolve({status: response.statusCode ?? 0, errorType: typeOf(Array.isArray(header) ? header[0] : header) ?? typeOf((body as {__type?: unknown} | undefined)?.__type), body});
      });
      response.on(`error`, reject);
    });
    req.on(`error`, reject);
    req.end(init.body);
  });
}

/**
 * A request within the time budget (see startCall: the one budget of the command's AWS calls), retried once when it
 * never left this machine; any other failure is one line naming the service, its endpoint and the setting that
 * chose it. `build` makes the request anew for each try (a DPoP proof is good for one request only).
 */
export async function requestJson(service: string, where: TokenEndpoint, timeoutMs: number, build: () => {url: string, method: `GET` | `POST`, headers: Record<string, string>, body?: string}): Promise<JsonAnswer> {
  const call = startCall(timeoutMs);
  try {
    for (let attempt = 1; ; attempt++) {
      const {url, ...init} = build();
      try {
        return await call.within(once(url, init, call.signal));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? ``;
        if (call.signal.aborted)
          throw new AwsmfaError(`no answer from ${service} at ${where.endpoint} within ${seconds(timeoutMs)}; check ${endpointAdvice(where)} (--timeout gives it longer)`, 1, {cause: error});
        if (attempt < 2 && NEVER_SENT.test(code))
          continue;
        throw new AwsmfaError(`cannot reach ${service} at ${where.endpoint}${/^E[A-Z]+$/.test(code) ? ` (${code})` : ``}; check ${endpointAdvice(where)}`, 1, {cause: error});
      }
    }
  } finally {
    call.end();
  }
}

/** A service's own words for an error, as one line that cannot carry a control character. */
export function serviceWords(answer: JsonAnswer): string {
  const body = (answer.body ?? {}) as {message?: unknown, Message?: unknown, error_description?: unknown, error?: unknown};
  const words = [body.error, body.message ?? body.Message ?? body.error_description].filter((value): value is string => typeof value === `string` && value !== ``);
  return visible(`${answer.errorType ?? `HTTP ${answer.status}`}${words.length > 0 ? `: ${words.join(`, `)}` : ``}`.slice(0, 300));
}
