import {Command, Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {envValue} from '../env.js';
import {profileName, resolveRegion, resolveRequest} from '../aws-files/resolve.js';
import {resolveEndpoint} from '../aws-files/endpoints.js';
import {isRoleProfile, resolveSource, tokenSourceOf} from '../aws-files/source.js';
import {SessionCache, sessionKey} from '../cache/session-cache.js';
import {MARGIN_TEXT} from '../contract.js';
import {sourceOrigin} from '../request.js';
import {obtainSession} from '../session/obtain.js';
import {longTermKeys} from '../aws/client.js';
import {MARKER_KEYS} from '../key-marker.js';
import {unlockSource} from '../keys/stores.js';
import {RULES} from '../rules.js';
import {callerIdentity} from '../aws/sts.js';
import {ConfigError} from '../errors.js';
import {SERVER} from '../contract.js';
import {aheadOfServer, askServer, servedFirst, servedShell} from '../session/principal.js';
import {jsonText} from '../terminal.js';
import {describeExpiry, parseSpan} from '../time.js';
import {AwsmfaCommand, budgetMs, DEFAULT_TIMEOUT, valueOf} from './base-command.js';

export class WhoamiCommand extends AwsmfaCommand {
  static override paths = [[`whoami`]];

  static override usage = Command.Usage({
    description: `show who the credentials in effect belong to`,
    details: `
      Asks STS (GetCallerIdentity) who the credentials in effect are: those of the environment first (AWS_ACCESS_KEY_ID), else, in a shell \`awsmfa serve\` points at its server (and with no --profile), the server's, as the SDKs there take them, else those of the profile (\`--profile\`, else AWS_PROFILE, else the profile of awsmfa's session, else default). Prints the account, the ARN, and whether and for how long the session came from awsmfa. Never a secret.

      A profile of aws login or IAM Identity Center (or a role from one) is asked about with its session, as \`awsmfa env\` would take it (refreshed when it has too little left).
    `,
    examples: [
      [`Who am I now?`, `awsmfa whoami`],
      [`For a script`, `awsmfa whoami --json`],
    ],
  });

  profile = Option.String(`--profile,-p`, {description: `Profile whose keys to ask about when the environment holds none`, validator: valueOf(RULES.profile)});
  json = Option.Boolean(`--json`, false, {description: `Print a JSON document`});
  timeout = Option.String(`--timeout`, {description: `Give up on STS after this long, retries included: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else ${DEFAULT_TIMEOUT})`, validator: valueOf(RULES.timeout)});

  override readonly variables = [`AWSMFA_TIMEOUT`, `AWSMFA_PROMPT_TIMEOUT`] as const;

  async run() {
    const {env} = this.context;
    const files = AwsFiles.load(env);
    const profile = profileName(this, env);
    const fromEnv = envValue(env, `AWS_ACCESS_KEY_ID`);
    let keys: {accessKeyId: string, secretAccessKey: string, sessionToken?: string};
    let origin: string;
    let expiration: string | undefined;
    let served: {url: string, pid: number} | undefined;
    if (fromEnv !== undefined && envValue(env, `AWS_SECRET_ACCESS_KEY`) !== undefined) {
      const token = envValue(env, `AWS_SESSION_TOKEN`);
      keys = {accessKeyId: fromEnv, secretAccessKey: envValue(env, `AWS_SECRET_ACCESS_KEY`)!, ...token === undefined ? {} : {sessionToken: token}};
      origin = `the environment`;
      expiration = token === undefined ? undefined : envValue(env, `AWS_CREDENTIAL_EXPIRATION`) ?? envValue(env, `AWS_SESSION_EXPIRATION`);
    } else if (this.profile === undefined && (served = servedFirst(files, env)) !== undefined) {
      // The shell's next SDK call takes the server's credentials (the decision serve made): asked as an SDK asks.
      const answer = await askServer(served.url, envValue(env, SERVER.variables[1]) ?? ``, this.context.now());
      if (`problem` in answer)
        throw new ConfigError(`this shell takes its credentials from the server of awsmfa serve (pid ${served.pid}), and ${answer.problem === `refused` ? `it is gone` : answer.problem}: mfa-unset (or eval "$(awsmfa unset)") removes its variables`);
      // The SDK reads an `expiration` among credentials as a Date: only the three it signs with.
      keys = {accessKeyId: answer.accessKeyId, secretAccessKey: answer.secretAccessKey, sessionToken: answer.sessionToken};
      origin = `the credentials server of awsmfa serve (pid ${served.pid})`;
      expiration = answer.expiration;
    } else if (this.profile === undefined && servedShell(env) !== undefined) {
      // Pointed at a server, but a profile some SDK reads first signs there: no one answer is the truth.
      const first = aheadOfServer(files, env)[0];
      throw new ConfigError(`this shell points at the credentials server of awsmfa serve (pid ${servedShell(env)!.pid}), but the AWS CLI or SDKs here would take ${first?.what ?? `other credentials`} first: unset AWS_PROFILE and AWS_DEFAULT_PROFILE (or mfa-unset), or ask with --profile`);
    } else if (tokenSourceOf(files, profile, env) !== undefined) {
      // An aws login or Identity Center profile (or a role from one): its session as env would take it, awsmfa's
      // cached copy while it lasts, else from its source (a refresh, the portal, the roles).
      const request = resolveRequest(files, {profile}, env, this.log);
      const timeoutMs = budgetMs(this.timeout, env);
      const minRemainingMs = parseSpan(MARGIN_TEXT)!;
      const cache = new SessionCache(env, this.context.now, this.context);
      const cached = {profile, key: sessionKey(request), configuredRegion: request.configuredRegion};
      const {credentials} = await cache.retrieve(cached, {read: true, write: true, minRemainingMs, plain: false, stamps: undefined},
        () => obtainSession(request, {code: undefined, force: false, cache, minRemainingMs, timeoutMs}, this.context));
      keys = {accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken};
      origin = request.roleArn === undefined ? sourceOrigin(request.source) : `the role ${request.roleArn} of profile '${profile}'`;
      expiration = credentials.expiration;
    } else if (files.setting(profile, MARKER_KEYS.store) !== undefined && !isRoleProfile(files, profile)) {
      // Keys in a store: read from it, as for a new session (the OS keyring or the file's passphrase).
      const source = await unlockSource(resolveSource(files, profile, env, this.log), this.context, this.log);
      keys = longTermKeys(source);
      origin = source.origin;
    } else {
      const values = files.credentialsOf(profile) ?? files.configOf(profile);
      if (!files.hasProfile(profile) && (this.profile !== undefined || profile !== `default`))
        throw new ConfigError(`no credentials in effect: AWS_ACCESS_KEY_ID is not set, and ${files.notFound(profile)} (check --profile / AWS_PROFILE)`);
      if (values?.aws_access_key_id === undefined || values.aws_secret_access_key === undefined)
        throw new ConfigError(`no credentials in effect: neither AWS_ACCESS_KEY_ID in the environment nor keys under profile '${profile}'; start a session with mfa (or awsmfa env)`);
      keys = {accessKeyId: values.aws_access_key_id, secretAccessKey: values.aws_secret_access_key, ...values.aws_session_token === undefined ? {} : {sessionToken: values.aws_session_token}};
      origin = `profile '${profile}'`;
      expiration = values.aws_expiration;
    }
    const identity = await callerIdentity(keys, {region: resolveRegion(files, profile, undefined, env), ...resolveEndpoint(files, profile, undefined, env)}, budgetMs(this.timeout, env), this.log);
    const awsmfaProfile = origin === `the environment` || served !== undefined ? envValue(env, `AWSMFA_PROFILE`) : expiration === undefined ? undefined : profile;
    const session = keys.sessionToken === undefined ? `long-term keys` : awsmfaProfile !== undefined ? `a session from awsmfa (profile '${awsmfaProfile}')` : `a session`;
    const left = expiration === undefined ? null : Math.floor((Date.parse(expiration) - this.context.now().getTime()) / 1000);
    if (this.json) {
      this.context.out.write(`${jsonText({account: identity.account, arn: identity.arn, userId: identity.userId, accessKeyId: keys.accessKeyId, from: origin, session: keys.sessionToken !== undefined, awsmfaProfile: awsmfaProfile ?? null, expiration: expiration ?? null, remainingSeconds: left}, 2)}\n`);
      return;
    }
    this.context.out.write([
      `account: ${identity.account}`,
      `arn: ${identity.arn}`,
      `credentials: ${keys.accessKeyId} from ${origin}, ${session}${expiration === undefined ? `` : `, ${describeExpiry(expiration, this.context.now())}`}`,
      ``,
    ].join(`\n`));
  }
}
