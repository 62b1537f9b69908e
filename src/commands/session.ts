import {Option} from 'clipanion';
import * as t from 'typanion';
import {AwsFiles} from '../aws/files.js';
import {MAX_DURATION, MIN_DURATION, resolveRequest, type SessionRequest} from '../aws/request.js';
import {ConfigError} from '../errors.js';
import {obtainSession, type Obtained} from '../session/obtain.js';
import {AwsmfaCommand, cacheOptions} from './base.js';

/**
 * The options and steps of every command that obtains a session (`env`, `login`): the same source keys, serial,
 * code, duration, region, endpoint and cache rules everywhere.
 */
export abstract class SessionCommand extends AwsmfaCommand {
  positionalCode = Option.String({required: false, name: `code`});
  code = Option.String(`--code,--token-code,-c`, {description: `The 6-digit code from your MFA device (or give it as the argument)`});
  profile = Option.String(`--profile,-p`, {description: `Profile with your long-term keys (default: AWS_PROFILE, else default)`});
  serialNumber = Option.String(`--serial-number,--mfa-serial`, {description: `MFA device ARN (default: mfa_serial of the profile)`});
  durationSeconds = Option.String(`--duration-seconds,-d`, {
    description: `Session length in seconds, ${MIN_DURATION}..${MAX_DURATION} (default: duration_seconds of the profile, else STS's 12 hours)`,
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isInInclusiveRange(MIN_DURATION, MAX_DURATION)]),
  });
  region = Option.String(`--region`, {description: `STS region (default: AWS_REGION, the profile's region, else us-east-1)`});
  endpointUrl = Option.String(`--endpoint-url`, {description: `STS endpoint (default: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL)`});
  roleArn = Option.String(`--role-arn`, {description: `Assume this role with MFA instead of a plain session (default: role_arn of the profile)`});
  roleSessionName = Option.String(`--role-session-name`, {description: `With a role: its session name (default: role_session_name, else awsmfa-<device name>)`});
  force = cacheOptions.force();
  cache = cacheOptions.cache();
  minRemaining = cacheOptions.minRemaining();

  /** The code from the argument or --code; both only when they agree. */
  givenCode(): string | undefined {
    if (this.positionalCode !== undefined && this.code !== undefined && this.positionalCode !== this.code)
      throw new ConfigError(`two different codes given (argument and --code); give one`);
    return this.positionalCode ?? this.code;
  }

  resolve(files: AwsFiles, source?: SessionRequest[`source`], serialNumber?: string): SessionRequest {
    return resolveRequest(files, {...this, serialNumber: serialNumber ?? this.serialNumber}, this.context.env, this.log, source);
  }

  obtain(request: SessionRequest): Promise<Obtained> {
    return obtainSession(request, {
      code: this.givenCode(),
      force: this.force,
      cache: this.cache,
      minRemainingMs: cacheOptions.parseMinRemaining(this.minRemaining),
    }, this.context, this.log);
  }
}
