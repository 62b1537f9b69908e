import {Command} from 'clipanion';
import {ConfigError} from '../errors.js';
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

      A profile of \`aws login\` (\`login_session\`: passkeys, the console's own sign-in) or of IAM Identity Center (\`sso_session\`, \`sso_start_url\`) gives the session the AWS CLI's sign-in left, with no code: refreshed through sign-in when it has too little left (under a lock every awsmfa shares, one refresh for all), or the role's credentials from the Identity Center portal; a role whose \`source_profile\` is such a profile is assumed from it. When the sign-in has ended, one line says which AWS CLI command signs in again.

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
      [`The session of aws login (a passkey), after aws login --profile passkey`, `eval "$(awsmfa env --profile passkey)"`],
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
    const obtained = await this.obtain(request);
    const changes = sessionChanges(obtained.credentials, request, this.context.env, this.regionChoice());
    const text = dialect.session(changes.set, changes.unset);
    // A served session through mfa: mfa's own short line (the shells print the same when they serve it without
    // awsmfa, and the fast path too, so it is said once); anything else, the line every command says. Each says
    // what was set aside (AWS_PROFILE, which mfa-unset puts back).
    if (!obtained.fresh && this.mfaShell !== undefined) {
      if (!this.context.quiet)
        this.context.stderr.write(servedNote(request.profile, obtained.credentials.expiration, this.context.now(), changes.setAside));
    } else {
      this.noteSession(request, obtained, setAsideNote(changes.setAside ?? []));
    }
    this.context.out.write(text);
  }

  /** mfa's call is asked again as `mfa`. */
  override againWithoutCode(): string {
    return this.mfaShell === undefined ? super.againWithoutCode() : `mfa${this.profile === undefined ? `` : ` --profile ${this.profile}`} with no code`;
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
