import {Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {requireRequest, resolveProfile, type RequestOptions, type Resolution, type Supplied} from '../aws-files/resolve.js';
import {isTokenSource, keysFromEnvironment, mfaSessionRequest, sourceOrigin, type SessionRequest, type SourceKeys} from '../request.js';
import {discoverSerial} from '../session/devices.js';
import {stampFiles, type Stamps} from '../cache/profile-index.js';
import {SessionCache, sessionKey, type Obtained} from '../cache/session-cache.js';
import {ALL_VARIABLES, MAX_DURATION, MIN_DURATION, RULES} from '../rules.js';
import {CodeRefusedError, ConfigError} from '../errors.js';
import {obtainSession} from '../session/obtain.js';
import {sessionChanges, type RegionChoice, type SessionChanges} from '../session/variables.js';
import type {Dialect} from '../dialects/index.js';
import {isoSeconds, type SessionCredentials} from '../aws/credentials.js';
import type {CredentialsServer} from '../session/server.js';
import {cachedSessionLine, describeExpiry, formatSpan, parseSpan} from '../time.js';
import {AwsmfaCommand, budgetMs, cacheOptions, DEFAULT_TIMEOUT, valueOf} from './base-command.js';

/**
 * The options and steps of every command that obtains a session (`env`, `login`): the same source keys, serial,
 * code, duration, region, endpoint and cache rules everywhere.
 */
export abstract class SessionCommand extends AwsmfaCommand {
  positionalCode = Option.String({required: false, name: `code`, validator: valueOf(RULES.code)});
  code = Option.String(`--code,--token-code,-c`, {description: `The 6-digit code from your MFA device (or give it as the argument)`, validator: valueOf(RULES.code)});
  profile = Option.String(`--profile,-p`, {description: `Profile with your long-term keys (default: AWS_PROFILE, else default)`, validator: valueOf(RULES.profile)});
  serialNumber = Option.String(`--serial-number,--mfa-serial`, {description: `MFA device ARN (default: mfa_serial of the profile)`, validator: valueOf(RULES.serialNumber)});
  durationSeconds = Option.String(`--duration-seconds,-d`, {
    description: `Session length: 12h, 90m, 3600 (seconds); ${MIN_DURATION / 60}m to ${MAX_DURATION / 3600}h (default: duration_seconds of the profile, else STS's 12 hours)`,
    validator: valueOf(RULES.duration),
  });
  region = Option.String(`--region`, {description: `STS region, also exported with the session (default: AWS_REGION, the profile's region, else us-east-1)`, validator: valueOf(RULES.region)});
  noRegion = Option.Boolean(`--no-region`, false, {description: `Export no AWS_REGION / AWS_DEFAULT_REGION with the session`});
  endpointUrl = Option.String(`--endpoint-url`, {description: `STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)`, validator: valueOf(RULES.endpoint)});
  roleArn = Option.String(`--role-arn`, {description: `Assume this role instead of a plain session, from your MFA session (default: role_arn of the profile)`, validator: valueOf(RULES.roleArn)});
  direct = Option.Boolean(`--direct`, false, {description: `With a role: send the code with AssumeRole itself, signed by your keys, instead of assuming it from the MFA session (default: awsmfa_direct of the profile)`});
  roleSessionName = Option.String(`--role-session-name`, {description: `With a role: its session name (default: role_session_name, else awsmfa-<device name>)`, validator: valueOf(RULES.roleSessionName)});
  codeCommand = Option.String(`--code-command`, {description: `A command that prints the code (like mfa_process; its stderr, e.g. "touch your key", reaches you)`, validator: valueOf(RULES.codeCommand)});
  timeout = Option.String(`--timeout`, {description: `Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else ${DEFAULT_TIMEOUT})`, validator: valueOf(RULES.timeout)});
  force = cacheOptions.force();
  cache = cacheOptions.cache();
  minRemaining = cacheOptions.minRemaining();

  override readonly variables = ALL_VARIABLES;

  /** The stamps of both AWS files taken just before loadFiles read them: what a profile's file for the shells vouches for. */
  private filesStamps: Stamps | undefined;

  /**
   * The AWS files, stamped first: an edit made while the code is typed (or STS answers) is then newer than what the
   * shells' profile file records, so `mfa` does not take a session made from the older text.
   */
  loadFiles(): AwsFiles {
    this.filesStamps = stampFiles(this.context.env);
    return AwsFiles.load(this.context.env);
  }

  /** The code from the argument or --code; both only when they agree. */
  givenCode(): string | undefined {
    if (this.positionalCode !== undefined && this.code !== undefined && this.positionalCode !== this.code)
      throw new ConfigError(`two different codes given (argument and --code); give one`);
    return this.positionalCode ?? this.code;
  }

  /**
   * What the options say of the request, field by field: a field renamed here or in RequestOptions is a type error,
   * never an option silently dropped.
   */
  requestOptions(region?: string): RequestOptions {
    return {
      profile: this.profile,
      serialNumber: this.serialNumber,
      // Checked by its validator: a time of whole seconds (12h, 90m, 3600).
      durationSeconds: this.durationSeconds === undefined ? undefined : parseSpan(this.durationSeconds)! / 1000,
      // A region typed at login's first run, when no --region was given.
      region: this.region ?? region,
      endpointUrl: this.endpointUrl,
      roleArn: this.roleArn,
      roleSessionName: this.roleSessionName,
      codeCommand: this.codeCommand,
      direct: this.direct,
    };
  }

  /** One resolution of the profile with these options (see resolveProfile), completed by what was `supplied`. */
  resolution(files: AwsFiles, supplied?: Supplied, region?: string): Resolution {
    return resolveProfile(files, this.requestOptions(region), this.context.env, this.context.log, supplied);
  }

  /** The request, else an error saying what is missing; `source`, `serialNumber` and `region` come from a first run. */
  resolve(files: AwsFiles, source?: SourceKeys, serialNumber?: string, region?: string): SessionRequest {
    return requireRequest(this.resolution(files, {source, serialNumber}, region));
  }

  /**
   * The resolution; a profile with keys that names no MFA device gets the user's own from IAM (the only one, else
   * the one picked on the terminal; see discoverSerial). When IAM cannot tell, the device stays missing, its message
   * saying why; no device, or several and no terminal, is an error. Missing keys stay missing: a first run asks.
   */
  async resolveWithIam(files: AwsFiles): Promise<Resolution> {
    const first = this.resolution(files);
    if (first.request !== undefined || first.missing.keys !== undefined || first.source === undefined)
      return first;
    let serialNumber: string;
    try {
      serialNumber = await discoverSerial(files, first.profile, first.source, this.context, {cache: this.cache, timeoutMs: this.timeoutMs()});
    } catch (discovery) {
      // No device, or several and no terminal: that message says it all. IAM failing: the way to configure it.
      if (discovery instanceof ConfigError)
        throw discovery;
      const serial = `${first.missing.serial!.replace(/ \(aws iam list-mfa-devices lists yours\)$/, ``)}; awsmfa asked IAM for your devices, but ${(discovery as Error).message}`;
      return {...first, missing: {serial, cause: discovery}};
    }
    return this.resolution(files, {source: first.source, serialNumber});
  }

  /** The request (see resolveWithIam), else an error saying what is missing. */
  async resolveWithDevice(files: AwsFiles): Promise<SessionRequest> {
    return requireRequest(await this.resolveWithIam(files));
  }

  /**
   * A credentials server for the request (exec --server, serve), started with `credentials` and renewing them
   * through obtain(). Its module comes with it: loaded only here, as node:http costs every other command's start a
   * few milliseconds.
   */
  async startServer(request: SessionRequest, credentials: SessionCredentials): Promise<{server: CredentialsServer, module: typeof import('../session/server.js')}> {
    const module = await import(`../session/server.js`);
    const server = await new module.CredentialsServer({
      initial: credentials,
      refresh: async minRemainingMs => (await this.obtain(request, {minRemainingMs})).credentials,
      now: this.context.now,
      warn: this.context.warn,
      log: this.log,
    }).start();
    return {server, module};
  }

  /**
   * What the environment of the shell (`serve`: its pid) or the command (exec --server) must change to take the
   * server's credentials first (serverEnvironment: the one decision of src/session/principal.ts), with a note for
   * each file hidden. Called once with a stand-in server before a code is spent, so that a refusal comes first.
   */
  async serverChanges(files: AwsFiles, request: SessionRequest, server: Pick<CredentialsServer, `url` | `token`> | undefined, pid?: number): Promise<SessionChanges> {
    const {serverEnvironment} = await import(`../session/server.js`);
    const {hiddenNote} = await import(`../session/principal.js`);
    const stand = {accessKeyId: `ASIAAAAAAAAAAAAAAAAA`, secretAccessKey: `a`, sessionToken: `a`, expiration: isoSeconds(new Date(this.context.now().getTime() + 3_600_000))};
    const {changes, hidden} = serverEnvironment(server ?? {url: `http://127.0.0.1:1/`, token: `0`}, sessionChanges(stand, request, this.context.env, this.regionChoice()), files, this.context.env, pid);
    if (server !== undefined) {
      for (const found of hidden)
        (found.hiddenBy === `AWS_SHARED_CREDENTIALS_FILE` && pid === undefined ? this.log : this.context.warn)(hiddenNote(found, pid !== undefined));
    }
    return changes;
  }

  /**
   * The one line every command that obtains a session for a person says of it (env, console): a new one with what it is
   * for and its time left, or the cached one served, and `after` (env: what it set aside). Off when quiet.
   */
  noteSession(request: SessionRequest, {credentials, fresh, fromCachedMfaSession}: Obtained, after = ``): void {
    const now = this.context.now();
    this.note(`${fresh
      ? `new session for ${request.roleArn ?? (isTokenSource(request.source) ? sourceOrigin(request.source) : request.serialNumber)}, ${describeExpiry(credentials.expiration, now)}${fromCachedMfaSession ? ` (assumed from the cached MFA session: no code needed)` : ``}`
      : cachedSessionLine(request.profile, credentials.expiration, now)}${after}`);
  }

  /** How this command is asked for again without a code, for messages: `awsmfa env with no code`; env run by mfa says `mfa`. */
  againWithoutCode(): string {
    return `awsmfa ${this.path.join(` `)}${this.profile === undefined ? `` : ` --profile ${this.profile}`} with no code`;
  }

  /**
   * A refused code, when a cached session would have served (a second `mfa CODE` within the same 30 s: STS refuses the
   * used code): the message says so, and how to take it. The request's own session, else, for a role assumed from
   * the MFA session, that MFA session, from which the role is assumed with no code. Said only when one is valid.
   */
  private withCachedSession(error: CodeRefusedError, request: SessionRequest, minRemainingMs: number): CodeRefusedError {
    const cache = this.sessionCache();
    const own = cache.session(sessionKey(request), minRemainingMs);
    const mfa = own === undefined && request.roles.length > 0 && !request.direct ? cache.session(sessionKey(mfaSessionRequest(request)), minRemainingMs) : undefined;
    const session = own ?? mfa;
    if (session === undefined)
      return error;
    const left = formatSpan(Date.parse(session.expiration) - this.context.now().getTime());
    const what = own !== undefined ? `the cached session of profile '${request.profile}' is still valid (${left} left): ${this.againWithoutCode()} takes it` : `the cached MFA session of ${request.serialNumber} is still valid (${left} left): ${this.againWithoutCode()} assumes the role from it`;
    return new CodeRefusedError(`${error.message.replace(/; wait for the next code and try again$/, ``)}; ${what}, or wait for the next code for a new one`, {cause: error.cause});
  }

  timeoutMs(): number {
    return budgetMs(this.timeout, this.context.env);
  }

  /**
   * How long a credentials server that is stopped (serve on a signal, exec --server when its command ends) waits for
   * a token refresh under way: its request's budget, and some more for the write.
   */
  settleMs(): number {
    return this.timeoutMs() + 5_000;
  }

  /**
   * Long-term keys found only in the environment would be replaced by the session this shell is about to set,
   * and the next `mfa` there would have none: refused, before a code is spent, with the ways that keep them.
   */
  refuseToReplaceEnvironmentKeys(request: SessionRequest): void {
    if (keysFromEnvironment(request.source))
      throw new ConfigError(`your long-term keys are only in this shell's AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, which the session would replace (and the next mfa would have none): save them with aws configure --profile ${request.profile} (or awsmfa login, which offers to), or run commands with awsmfa exec -- COMMAND, which leaves them in place`);
  }

  /**
   * Refuses, before a code is spent, what the dialect could not print around any session: the profile's name and
   * region go out as they are (AWSMFA_PROFILE, AWS_REGION), and a format may refuse them. STS's own values are
   * checked when they come.
   */
  refuseWhatDialectCannotCarry(dialect: Dialect, request: SessionRequest): void {
    const stand = {accessKeyId: `ASIAAAAAAAAAAAAAAAAA`, secretAccessKey: `a`, sessionToken: `a`, expiration: isoSeconds(new Date(this.context.now().getTime() + 3_600_000))};
    const changes = sessionChanges(stand, request, this.context.env, this.regionChoice());
    dialect.session(changes.set, changes.unset);
  }

  /** How the region goes with the session: --no-region, and whether --region was given. */
  regionChoice(): RegionChoice {
    return {exportRegion: !this.noRegion, regionGiven: this.region !== undefined};
  }

  /**
   * Whether the session is the profile's own, as `mfa` with no options would get it: no option that changes the
   * device, role, duration, region or endpoint. Only such a session goes into the profile's file for the shells.
   */
  private plainRequest(): boolean {
    return this.serialNumber === undefined && this.durationSeconds === undefined && this.region === undefined && !this.noRegion && this.endpointUrl === undefined
      && this.roleArn === undefined && this.roleSessionName === undefined && !this.direct;
  }

  /** The session cache, through which this command reads and keeps sessions (see cache/session-cache.ts). */
  sessionCache(): SessionCache {
    return new SessionCache(this.context.env, this.context.now, this.context);
  }

  /**
   * The session: the cached one of the request while it lasts, else a new one (see obtainSession), through the
   * session cache's retrieve. A profile's own session is also left in its file for the shells' `mfa`
   * (cache/shell-files.ts). A failed refresh (a wrong code, no network) leaves the cached session and that file while
   * the session is valid: the failure says nothing against it. `renew` is a later session of the same request (the
   * credentials server's): no code given (that one was used), no --force, and a cached session taken only with
   * more than `renew.minRemainingMs` left.
   */
  async obtain(request: SessionRequest, renew?: {minRemainingMs: number}): Promise<Obtained> {
    const minRemainingMs = renew?.minRemainingMs ?? cacheOptions.parseMinRemaining(this.minRemaining);
    const cache = this.cache ? this.sessionCache() : undefined;
    const cached = {profile: request.profile, key: sessionKey(request), configuredRegion: request.configuredRegion};
    // A renewal has used its code and --force already: a cached session (one made elsewhere meanwhile) is welcome.
    const read = this.cache && (renew !== undefined || (!this.force && this.givenCode() === undefined));
    const options = {read, write: this.cache, minRemainingMs, plain: this.cache && this.plainRequest() && !keysFromEnvironment(request.source), stamps: this.filesStamps};
    try {
      return await this.sessionCache().retrieve(cached, options, () => obtainSession(request, {
        code: renew === undefined ? this.givenCode() : undefined,
        force: renew === undefined && this.force,
        cache,
        minRemainingMs,
        timeoutMs: this.timeoutMs(),
      }, this.context));
    } catch (error) {
      throw this.cache && error instanceof CodeRefusedError ? this.withCachedSession(error, request, minRemainingMs) : error;
    }
  }
}
