import {Command, Option} from 'clipanion';
import {RULES} from '../aws/rules.js';
import {cacheDir, forgetSessions} from '../session/cache.js';
import {AwsmfaCommand, valueOf} from './base.js';

export class ClearCommand extends AwsmfaCommand {
  static override paths = [[`clear`]];

  static override usage = Command.Usage({
    description: `delete cached sessions`,
    details: `
      Deletes awsmfa's cached sessions: all of them, or those of \`--profile\`. The next \`mfa\` (or new terminal) then asks for a code. The sessions stay valid at AWS until they expire: STS cannot end them early. \`awsmfa unset --forget\` does the same for the profile in use and also clears the shell.
    `,
    examples: [
      [`Delete every cached session`, `awsmfa clear`],
      [`Only those of a profile`, `awsmfa clear --profile work`],
    ],
  });

  profile = Option.String(`--profile,-p`, {description: `Delete only this profile's cached sessions`, validator: valueOf(RULES.profile)});

  async run() {
    const profile = this.profile;
    const count = forgetSessions(cacheDir(this.context.env).dir, session => profile === undefined || session.profile === profile);
    const which = profile === undefined ? `` : ` of profile '${profile}'`;
    this.context.stderr.write(count === 0 ? `awsmfa: no cached session${which} to delete\n` : `awsmfa: deleted ${count} cached session${count === 1 ? `` : `s`}${which}\n`);
  }
}
