import {Command, Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {envValue} from '../env.js';
import {profileName, resolveRequest} from '../aws-files/resolve.js';
import {AwsmfaError} from '../errors.js';
import {SessionCache, sessionKey} from '../cache/session-cache.js';
import {jsonText} from '../terminal.js';
import {describeExpiry, formatSpan, remainingMs} from '../time.js';
import {AwsmfaCommand} from './base-command.js';

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
      Shows the session in the environment (from AWS_ACCESS_KEY_ID and AWS_CREDENTIAL_EXPIRATION), the session of the profile when it is one written by \`awsmfa login\`, and the cached session of the profile (\`--profile\`, else AWS_PROFILE, else default): the access key id, never the secret, and the time left.

      Exit code: 0 while the session in use (the environment's, else the session profile's, else the cached one) is valid; 1 when it has expired, its expiry is unknown, or there is none.
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

    const profile = profileName(this, env);
    const files = AwsFiles.load(env);
    // A session profile (written by awsmfa login): its own keys are the session, and aws_expiration its end.
    const written = files.credentialsOf(profile);
    const profileSession = written?.aws_session_token !== undefined && written.aws_access_key_id !== undefined
      ? state(written.aws_access_key_id, written.aws_expiration)
      : null;
    let cached: SessionState | null = null;
    let cacheNote = `none`;
    try {
      const request = resolveRequest(files, {profile: this.profile}, env, this.log);
      const session = new SessionCache(env, this.context.now, this.context).peek(sessionKey(request));
      if (session)
        cached = state(session.credentials.accessKeyId, session.credentials.expiration);
    } catch (error) {
      if (!(error instanceof AwsmfaError))
        throw error;
      cacheNote = profileSession ? `none (a session profile has none)` : `none (${error.message})`;
    }

    const inUse = environment ?? profileSession ?? cached;
    const valid = inUse?.valid ?? false;
    if (this.json) {
      this.context.out.write(`${jsonText({valid, environment, profile: profileSession && {profile, ...profileSession}, cache: cached && {profile, ...cached}}, 2)}\n`);
    } else if (this.short) {
      if (inUse)
        this.context.out.write(`${inUse.remainingSeconds === null ? `unknown` : inUse.valid ? formatSpan(inUse.remainingSeconds * 1000) : `expired`}\n`);
    } else {
      const describe = (session: SessionState, expiry: string) => `${session.accessKeyId}, ${session.expiration === null ? `expiry unknown (${expiry} is not set)` : describeExpiry(session.expiration, now)}`;
      this.context.out.write([
        `environment: ${environment ? describe(environment, `AWS_CREDENTIAL_EXPIRATION`) : `no session (AWS_SESSION_TOKEN is not set)`}`,
        ...profileSession ? [`session profile '${profile}': ${describe(profileSession, `aws_expiration`)}`] : [],
        `cached for profile '${profile}': ${cached ? describe(cached, ``) : cacheNote}`,
        ``,
      ].join(`\n`));
    }
    return valid ? 0 : 1;
  }
}
