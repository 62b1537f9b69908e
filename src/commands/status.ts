import {Command, Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {envValue, type Env} from '../env.js';
import {profileName, resolveRequest} from '../aws-files/resolve.js';
import {AwsmfaError} from '../errors.js';
import {SessionCache, sessionKey} from '../cache/session-cache.js';
import {isTokenSource, type SessionRequest} from '../request.js';
import {jsonText} from '../terminal.js';
import {SERVER} from '../contract.js';
import {askServer, servedShell, serverRunning} from '../session/principal.js';
import {describeExpiry, formatSpan, remainingMs} from '../time.js';
import {AwsmfaCommand} from './base-command.js';
import {brokenProcesses, mendLine} from '../keys/process-line.js';
import {goneInitPaths} from '../cache/init-record.js';

interface SessionState {
  accessKeyId: string;
  expiration: string | null;
  remainingSeconds: number | null;
  valid: boolean;
}

export class StatusCommand extends AwsmfaCommand {
  static override paths = [[`status`]];

  static override usage = Command.Usage({
    description: `show the MFA session in use and how long it has left`,
    details: `
      Shows the session in the environment (from AWS_ACCESS_KEY_ID and AWS_CREDENTIAL_EXPIRATION), the credentials server \`awsmfa serve\` pointed this shell at (what it serves, or that it is gone), the session of the profile when it is one written by \`awsmfa login\`, and the cached session of the profile (\`--profile\`, else AWS_PROFILE, else default): the access key id, never the secret, and the time left.

      For a profile of aws login or IAM Identity Center (or a role from one), also the state of the AWS CLI's own cache it comes from, as it is (nothing refreshed): the login credentials and their end, or the Identity Center token's end, and what signs in again after it.

      It also names what awsmfa wrote or printed that runs programs by path and can no longer run them, after awsmfa was moved or installed under another Node: a profile's credential_process (\`awsmfa keys import\` mends it) or a path \`awsmfa init\` gave for an rc file.

      Exit code: 0 while the session in use (the environment's, else the credentials server's, else the session profile's, else the cached one, else the aws login or Identity Center cache's) is valid; 1 when it has expired, its server is gone, its expiry is unknown, or there is none.
    `,
    examples: [
      [`Show both sessions`, `awsmfa status`],
      [`Only the time left, for a prompt or a script`, `awsmfa status --short`],
      [`For scripts`, `awsmfa status --json`],
      [`A session only when needed needs no check: mfa takes the cached one, else asks for a code`, `mfa`],
    ],
  });

  profile = Option.String(`--profile,-p`, {description: `Profile whose cached session to show (default: AWS_PROFILE, else default)`});
  json = Option.Boolean(`--json`, false, {description: `Print a JSON document`});
  short = Option.Boolean(`--short`, false, {description: `Print only the time left of the session in use (11h 42m), or "expired"`});

  async run() {
    const {env} = this.context;
    const now = this.context.now();
    const state = (accessKeyId: string, expiration: string | undefined): SessionState => {
      const left = expiration === undefined || Number.isNaN(Date.parse(expiration)) ? null : remainingMs({expiration}, now);
      return {accessKeyId, expiration: expiration ?? null, remainingSeconds: left === null ? null : Math.floor(left / 1000), valid: left !== null && left > 0};
    };

    const envKey = envValue(env, `AWS_ACCESS_KEY_ID`);
    const environment = envKey !== undefined && envValue(env, `AWS_SESSION_TOKEN`) !== undefined
      ? state(envKey, envValue(env, `AWS_CREDENTIAL_EXPIRATION`))
      : null;

    // What `serve` set in this shell: its server, asked as an SDK asks it (the SDKs take it after the environment).
    const served = servedShell(env);
    let server: (SessionState & {url: string, pid: number, running: boolean}) | null = null;
    let serverNote = ``;
    if (served !== undefined) {
      const answer = serverRunning(served.pid) ? await askServer(served.url, envValue(env, SERVER.variables[1]) ?? ``) : {problem: `gone`};
      const running = `accessKeyId` in answer;
      server = {...running ? state(answer.accessKeyId, answer.expiration) : {accessKeyId: ``, expiration: null, remainingSeconds: null, valid: false}, url: served.url, pid: served.pid, running};
      serverNote = running ? `` : answer.problem === `gone` || answer.problem === `refused`
        ? `gone (pid ${served.pid} is not running): this shell's AWS calls fail until mfa-unset (or eval "$(awsmfa unset)") removes its variables`
        : `not serving (${answer.problem})`;
    }

    const profile = profileName(this, env);
    const files = AwsFiles.load(env);
    // A session profile (written by awsmfa login): its own keys are the session, and aws_expiration its end.
    const written = files.credentialsOf(profile);
    const profileSession = written?.aws_session_token !== undefined && written.aws_access_key_id !== undefined
      ? state(written.aws_access_key_id, written.aws_expiration)
      : null;
    let cached: SessionState | null = null;
    let cacheNote = `none`;
    // The aws login or Identity Center session the profile takes its own from, as its cache holds it (nothing refreshed).
    let source: (SessionState & {kind: string, profile: string, problem: string | null, refreshable: boolean}) | null = null;
    try {
      const request = resolveRequest(files, {profile: this.profile}, env, this.log);
      const session = new SessionCache(env, this.context.now, this.context).peek(sessionKey(request));
      if (session)
        cached = state(session.credentials.accessKeyId, session.credentials.expiration);
      source = await tokenState(request.source, env, now, state);
    } catch (error) {
      if (!(error instanceof AwsmfaError))
        throw error;
      cacheNote = profileSession ? `none (a session profile has none)` : `none (${error.message})`;
    }

    // What awsmfa wrote or printed that runs programs by path, and can no longer run them: said with the mend.
    const broken = [
      ...brokenProcesses(files, this.context.platform).map(({profile: name, problem}) => `the credential_process of profile '${name}' cannot run: ${problem} (awsmfa moved, or Node upgraded): ${mendLine(files, name)}`),
      ...goneInitPaths(env),
    ];
    // A source's session counts as one in use: awsmfa takes it (or refreshes it) without a sign-in.
    const inUse = environment ?? server ?? profileSession ?? cached ?? (source?.problem === null ? source : null);
    const valid = inUse?.valid ?? false;
    if (this.json) {
      this.context.out.write(`${jsonText({valid, environment, server, profile: profileSession && {profile, ...profileSession}, cache: cached && {profile, ...cached}, source, broken}, 2)}\n`);
    } else if (this.short) {
      // Counted from the end itself, as every other line counts it (remainingSeconds, for --json, is rounded down).
      if (inUse)
        this.context.out.write(`${inUse === server && !server.running ? `gone` : inUse.remainingSeconds === null ? `unknown` : inUse.valid ? formatSpan(inUse.expiration === null ? inUse.remainingSeconds * 1000 : Date.parse(inUse.expiration) - now.getTime()) : `expired`}\n`);
    } else {
      const describe = (session: SessionState, expiry: string) => `${session.accessKeyId}, ${session.expiration === null ? `expiry unknown (${expiry} is not set)` : describeExpiry(session.expiration, now)}`;
      this.context.out.write([
        `environment: ${environment ? describe(environment, `AWS_CREDENTIAL_EXPIRATION`) : `no session (AWS_SESSION_TOKEN is not set)`}`,
        ...server ? [`credentials server (serve, pid ${server.pid}, ${server.url}): ${server.running ? describe(server, ``) : serverNote}`] : [],
        ...profileSession ? [`session profile '${profile}': ${describe(profileSession, `aws_expiration`)}`] : [],
        `cached for profile '${profile}': ${cached ? describe(cached, ``) : cacheNote}`,
        ...source === null ? [] : [describeSource(source, now)],
        ...broken.map(line => `broken: ${line}`),
        ``,
      ].join(`\n`));
    }
    return valid ? 0 : 1;
  }
}

/**
 * The state of a token source's own cache, read as it is: the aws login cache's credentials, or the Identity Center
 * token's end; null for keys. Its modules are loaded only for such a profile.
 */
async function tokenState<T extends {expiration: string | null, valid: boolean}>(source: SessionRequest[`source`], env: Env, now: Date, state: (accessKeyId: string, expiration: string | undefined) => T): Promise<(T & {kind: string, profile: string, problem: string | null, refreshable: boolean}) | null> {
  if (!isTokenSource(source))
    return null;
  const about = {kind: source.kind, profile: source.profile};
  if (source.kind === `login`) {
    const read = (await import(`../sources/login.js`)).loginCacheState(source, env);
    // Refreshable by awsmfa (and the AWS CLI) until the sign-in itself ends, which only sign-in knows.
    return `problem` in read ? {...state(``, undefined), ...about, problem: read.problem, refreshable: false} : {...state(read.accessKeyId, read.expiration), ...about, problem: null, refreshable: true};
  }
  const read = (await import(`../sources/sso.js`)).ssoTokenState(source, env, now);
  return `problem` in read ? {...state(``, undefined), ...about, problem: read.problem, refreshable: false} : {...state(``, read.expiration), ...about, problem: null, refreshable: read.refreshable};
}

/** The line of a token source: `aws login session of profile 'me': ASIA…, valid for 0h 12m, until 10:15 local (…)`. */
function describeSource(source: {kind: string, profile: string, accessKeyId: string, expiration: string | null, problem: string | null, refreshable: boolean}, now: Date): string {
  const what = source.kind === `login` ? `aws login session of profile '${source.profile}'` : `IAM Identity Center token of profile '${source.profile}'`;
  if (source.problem !== null)
    return `${what}: ${source.problem}`;
  const again = source.kind === `login` ? `aws login` : `aws sso login`;
  const renewal = source.refreshable ? `awsmfa refreshes it until the sign-in ends, then: ${again}` : `then: ${again}`;
  return `${what}: ${source.accessKeyId === `` ? `` : `${source.accessKeyId}, `}${describeExpiry(source.expiration!, now)} (${renewal})`;
}
