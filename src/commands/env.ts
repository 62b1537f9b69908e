import {Command} from 'clipanion';
import {ConfigError} from '../errors.js';
import {cachedSessionLine, describeExpiry} from '../time.js';
import {sessionChanges} from '../session/variables.js';
import {chooseDialect, mfaShellOption, shellOption} from './base-command.js';
import {SessionCommand} from './session-command.js';
import {servedNote} from '../cache/session-cache.js';
import {setAsideNote} from '../contract.js';

export class EnvCommand extends SessionCommand {
  static override paths = [[`env`]];

  static override usage = Command.Usage({
    description: `print shell lines that set an MFA session's credentials`,
    details: `
      Asks STS (GetSessionToken) for temporary credentials with your MFA device and prints, for your shell, the lines that set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION and AWS_SESSION_EXPIRATION, AWSMFA_PROFILE, and the profile's region (AWS_REGION, AWS_DEFAULT_REGION; --no-region leaves them out), and that remove a set AWS_PROFILE and AWS_DEFAULT_PROFILE (the AWS SDK for JavaScript would prefer them to the session). Evaluate them; stdout holds nothing else. When anything fails it holds one statement that fails in your shell and changes nothing (\`false\` in bash, zsh, sh and fish), so that \`set -e\` stops at the eval; a format (dotenv, env-file, json) gets nothing.

      The request is signed with the long-term keys of the profile (\`--profile\`, else \`AWS_PROFILE\`, else \`default\`) from ~/.aws/credentials or ~/.aws/config, never with a session already in the environment. The MFA device is \`--serial-number\`, else \`mfa_serial\` of the profile. Without a code, awsmfa runs the profile's \`mfa_process\`, else asks on the terminal.

      A profile with \`role_arn\` is assumed from the MFA session of its source (cached, else asked for with the code), signed by that session and without a code, so every role of one source costs one code a day; \`--direct\` (or \`awsmfa_direct = true\`) sends the code with AssumeRole instead.

      A new session is kept in awsmfa's cache folder (mode 0600), so the next terminal reuses it without a code while it has more than \`--min-remaining\` left. A code given always asks STS for a new session.

      The shell is detected from the calling process, then \`$SHELL\`; \`--shell\` picks one: bash, zsh, sh, ksh, fish, tcsh (csh), elvish, pwsh (powershell), cmd, or the formats dotenv (a .env file, quoted), env-file (unquoted, for docker run --env-file and systemd's EnvironmentFile) and json (credential_process).
    `,
    examples: [
      [`Start a session in bash or zsh`, `eval "$(awsmfa env 123456)"`],
      [`The same, with options`, `eval "$(awsmfa env --profile work --code 123456 --duration-seconds 3600)"`],
      [`Start a session in fish`, `awsmfa env 123456 | source`],
      [`Start a session in PowerShell`, `awsmfa env --shell pwsh 123456 | Invoke-Expression`],
      [`Reuse the cached session (no code) in a new terminal, or ask for a code`, `eval "$(awsmfa env)"`],
      [`A new session even though one is cached`, `eval "$(awsmfa env --force)"`],
      [`A role profile, from the MFA session (a second role needs no new code)`, `eval "$(awsmfa env --profile admin)"`],
      [`A file for docker run --env-file (or systemd's EnvironmentFile)`, `awsmfa env --shell env-file 123456 > session.env`],
    ],
  });

  shell = shellOption();
  mfaShell = mfaShellOption();

  async run() {
    this.givenCode();
    this.refuseTerminalStdout();
    const dialect = await chooseDialect(this.shell, this.context, this.log, this.mfaShell);
    const request = await this.resolveWithDevice(this.loadFiles());
    this.refuseToReplaceEnvironmentKeys(request);
    this.refuseWhatDialectCannotCarry(dialect, request);
    const {credentials, fresh, fromCachedMfaSession} = await this.obtain(request);
    const changes = sessionChanges(credentials, request, this.context.env, this.regionChoice());
    const text = dialect.session(changes.set, changes.unset);
    // The fast path says the same of the sessions it serves; the shells' quick path too, and it does not come here then.
    // A served session: mfa's own short line (the shells print the same when they serve it without awsmfa, so it
    // is said once), else the full line.
    // And what it set aside (AWS_PROFILE, which mfa-unset puts back).
    const aside = setAsideNote(changes.setAside ?? []);
    if (fresh)
      this.note(`new session for ${request.roleArn ?? request.serialNumber}, ${describeExpiry(credentials.expiration, this.context.now())}${fromCachedMfaSession ? ` (assumed from the cached MFA session: no code needed)` : ``}${aside}`);
    else if (this.mfaShell !== undefined && !this.context.quiet)
      this.context.stderr.write(servedNote(request.profile, credentials.expiration, this.context.now(), changes.setAside));
    else
      this.note(`${cachedSessionLine(request.profile, credentials.expiration, this.context.now())}${aside}`);
    this.context.out.write(text);
  }

  /**
   * `awsmfa env` typed at a prompt would show the secrets and set nothing: it says how to use it instead, before a
   * code is spent. An explicit --shell prints them anyway (a person asking for dotenv or json on the terminal).
   */
  private refuseTerminalStdout(): void {
    const out = this.context.out as {isTTY?: boolean};
    if (out.isTTY === true && this.shell === undefined && this.mfaShell === undefined)
      throw new ConfigError(`env prints shell code that sets the session, and here it would only show the secrets: run mfa (see awsmfa init), or eval "$(awsmfa env)" (fish: awsmfa env | source); --shell NAME prints them here anyway`);
  }
}
