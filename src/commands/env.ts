import {Command, Option} from 'clipanion';
import * as t from 'typanion';
import {sessionAssignments} from '../aws/credentials.js';
import {AwsFiles} from '../aws/files.js';
import {MAX_DURATION, MIN_DURATION, resolveRequest} from '../aws/request.js';
import {ConfigError} from '../errors.js';
import {obtainSession} from '../session/obtain.js';
import {describeExpiry} from '../time.js';
import {AwsmfaCommand, cacheOptions, chooseDialect, shellOption} from './base.js';

export class EnvCommand extends AwsmfaCommand {
  static override paths = [[`env`]];

  static override usage = Command.Usage({
    description: `print shell lines that set an MFA session's credentials`,
    details: `
      Asks STS (GetSessionToken) for temporary credentials with your MFA device and prints, for your shell, the lines that set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_CREDENTIAL_EXPIRATION. Evaluate them; stdout holds nothing else, and nothing at all when anything fails.

      The request is signed with the long-term keys of the profile (\`--profile\`, else \`AWS_PROFILE\`, else \`default\`) from ~/.aws/credentials or ~/.aws/config, never with a session already in the environment. The MFA device is \`--serial-number\`, else \`mfa_serial\` of the profile. Without a code, awsmfa runs the profile's \`mfa_process\`, else asks on the terminal.

      A new session is kept in awsmfa's cache folder (mode 0600), so the next terminal reuses it without a code while it has more than \`--min-remaining\` left. A code given always asks STS for a new session.

      The shell is detected from the calling process, then \`$SHELL\`; \`--shell\` picks one: bash, zsh, sh, ksh, fish, tcsh (csh), elvish, pwsh (powershell), cmd, or the formats dotenv and json (credential_process).
    `,
    examples: [
      [`Start a session in bash or zsh`, `eval "$(awsmfa env 123456)"`],
      [`The same, with options`, `eval "$(awsmfa env --profile work --code 123456 --duration-seconds 3600)"`],
      [`Start a session in fish`, `awsmfa env 123456 | source`],
      [`Start a session in PowerShell`, `awsmfa env --shell pwsh 123456 | Invoke-Expression`],
      [`Reuse the cached session (no code) in a new terminal, or ask for a code`, `eval "$(awsmfa env)"`],
      [`A new session even though one is cached`, `eval "$(awsmfa env --force)"`],
    ],
  });

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
  shell = shellOption();
  force = cacheOptions.force();
  cache = cacheOptions.cache();
  minRemaining = cacheOptions.minRemaining();

  async run() {
    if (this.positionalCode !== undefined && this.code !== undefined && this.positionalCode !== this.code)
      throw new ConfigError(`two different codes given (argument and --code); give one`);
    const dialect = await chooseDialect(this.shell, this.context, this.log);
    const files = AwsFiles.load(this.context.env);
    const request = resolveRequest(files, this, this.context.env, this.log);
    const {credentials, fresh} = await obtainSession(request, {
      code: this.positionalCode ?? this.code,
      force: this.force,
      cache: this.cache,
      minRemainingMs: cacheOptions.parseMinRemaining(this.minRemaining),
    }, this.context, this.log);
    const text = dialect.set(sessionAssignments(credentials));
    if (fresh)
      this.context.stderr.write(`awsmfa: new session for ${request.serialNumber}, ${describeExpiry(credentials.expiration, this.context.now())}\n`);
    this.context.out.write(text);
  }
}
