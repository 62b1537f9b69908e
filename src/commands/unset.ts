import {Command} from 'clipanion';
import {SESSION_VARIABLES} from '../aws/credentials.js';
import {AwsmfaCommand, chooseDialect, shellOption} from './base.js';

export class UnsetCommand extends AwsmfaCommand {
  static override paths = [[`unset`]];

  static override usage = Command.Usage({
    description: `print the lines that clear the session variables`,
    details: `
      Prints, for your shell, the lines that remove AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_CREDENTIAL_EXPIRATION from the environment. Evaluate them as you evaluate \`awsmfa env\`.
    `,
    examples: [
      [`Clear the session in bash or zsh`, `eval "$(awsmfa unset)"`],
      [`Clear it in fish`, `awsmfa unset | source`],
      [`Clear it in PowerShell`, `awsmfa unset --shell pwsh | Invoke-Expression`],
    ],
  });

  shell = shellOption();

  async run() {
    const dialect = await chooseDialect(this.shell, this.context, this.log);
    this.context.out.write(dialect.unset(SESSION_VARIABLES));
  }
}
