import {Command, Option} from 'clipanion';
import {profileName} from '../aws-files/resolve.js';
import {describeForgotten} from '../cache/forgotten.js';
import {SessionCache} from '../cache/session-cache.js';
import {unsetText} from '../session/variables.js';
import {servedShell, serverRunning} from '../session/principal.js';
import {HIDDEN_FILE} from '../contract.js';
import {AwsmfaCommand, chooseDialect, mfaShellOption, shellOption, unknownProfile} from './base-command.js';

export class UnsetCommand extends AwsmfaCommand {
  static override paths = [[`unset`]];

  static override usage = Command.Usage({
    description: `print the lines that clear the session variables`,
    details: `
      Prints, for your shell, the lines that remove what \`awsmfa env\` set: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_SESSION_EXPIRATION and AWSMFA_PROFILE, and the region only when awsmfa exported it; that put back the AWS_PROFILE (and AWS_DEFAULT_PROFILE) the session set aside, unless you have set it again since; and that remove what \`awsmfa serve\` set: AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN and AWSMFA_SERVER_PID, and the files it hid from the SDKs (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE, BOTO_CONFIG holding ${HIDDEN_FILE.value}), which the shell then reads again. Evaluate them as you evaluate \`awsmfa env\`; \`mfa-unset\` does it in the shells \`awsmfa init\` knows (\`mfa-unset --forget\` runs this command). The server itself keeps running (another shell may use it): \`kill $AWSMFA_SERVER_PID\` first stops it.
    `,
    examples: [
      [`Clear the session in bash or zsh`, `eval "$(awsmfa unset)"`],
      [`Clear it in fish`, `awsmfa unset | source`],
      [`Clear it in PowerShell`, `awsmfa unset --shell pwsh | Invoke-Expression`],
      [`Also delete the cached session, so the next terminal asks for a code`, `eval "$(awsmfa unset --forget)"`],
    ],
  });

  shell = shellOption();
  mfaShell = mfaShellOption();
  forget = Option.Boolean(`--forget`, false, {description: `Also delete the cached session of the profile`});
  profile = Option.String(`--profile,-p`, {description: `With --forget: the profile (default: AWS_PROFILE, else default)`});

  override readonly takesLocks = false;

  async run() {
    const dialect = await chooseDialect(this.shell, this.context, this.log, this.mfaShell);
    const text = unsetText(dialect, this.context.env);
    const served = servedShell(this.context.env);
    if (served !== undefined && serverRunning(served.pid))
      this.note(`this shell no longer uses the credentials server of awsmfa serve (pid ${served.pid}), which still runs: kill ${served.pid} stops it`);
    if (this.forget) {
      const profile = profileName(this, this.context.env);
      const forgotten = new SessionCache(this.context.env, this.context.now, this.context).forgetProfile(profile);
      const count = forgotten.length;
      // Which ones, as clear says them: a role's profile takes the MFA session its roles are assumed from along.
      this.note([count > 0 ? `deleted the cached session${count === 1 ? `` : `s`} of profile '${profile}'` : `no cached session of profile '${profile}' to delete${unknownProfile(this.context.env, profile)}`,
        ...describeForgotten(forgotten, this.context.now()).map(line => `  ${line}`)].join(`\n`));
    }
    this.context.out.write(text);
  }
}
