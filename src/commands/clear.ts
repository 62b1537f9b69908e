import {Command, Option} from 'clipanion';
import {RULES} from '../rules.js';
import {ConfigError} from '../errors.js';
import {UnsafeFolderError} from '../private-folder.js';
import {cacheDir, checkCacheFolders} from '../cache/folder.js';
import {forgetDevices} from '../cache/devices.js';
import {SessionCache} from '../cache/session-cache.js';
import {describeForgotten} from '../cache/forgotten.js';
import {AwsmfaCommand, unknownProfile, valueOf} from './base-command.js';

export class ClearCommand extends AwsmfaCommand {
  static override paths = [[`clear`]];

  static override usage = Command.Usage({
    description: `delete cached sessions`,
    details: `
      Deletes awsmfa's cached sessions (and the MFA devices it remembers from IAM): all of them, or those \`--profile\` uses (for a role: the role's session and the MFA session it is assumed from, so the next use asks for a code). The next \`mfa\` (or new terminal) then asks for a code. The sessions stay valid at AWS until they expire: STS cannot end them early. \`awsmfa unset --forget\` does the same for the profile in use and also clears the shell.
    `,
    examples: [
      [`Delete every cached session`, `awsmfa clear`],
      [`Only those of a profile`, `awsmfa clear --profile work`],
    ],
  });

  profile = Option.String(`--profile,-p`, {description: `Delete only the sessions this profile uses`, validator: valueOf(RULES.profile)});

  async run() {
    const profile = this.profile;
    const cache = new SessionCache(this.context.env, this.context.now, this.context);
    const forgotten = profile === undefined ? cache.forgetAll() : cache.forgetProfile(profile);
    const count = forgotten.length;
    // The devices IAM listed (a device removed since would otherwise cost a wrong-code error).
    if (profile === undefined)
      forgetDevices(cacheDir(this.context.env), () => true);
    const which = profile === undefined ? `` : ` of profile '${profile}'`;
    // A profile named in neither AWS file whose name deletes nothing: most likely a slip, said with what was meant.
    const slip = count === 0 && profile !== undefined ? unknownProfile(this.context.env, profile) : ``;
    const done = count === 0 ? `no cached session${which} to delete${slip}` : `deleted ${count} cached session${count === 1 ? `` : `s`}${which}`;
    // Which ones, by profile and kind: a role's profile takes its MFA session along, and says so.
    const listed = [done, ...describeForgotten(forgotten, this.context.now()).map(line => `  ${line}`)].join(`\n`);
    // The sweeps above skip a folder awsmfa may not touch (a link, another user's): it is named, exit 2, so that a
    // clear never looks complete while files it could not reach remain. Stale temporary files go here too.
    try {
      checkCacheFolders(this.context.env);
    } catch (error) {
      if (error instanceof UnsafeFolderError)
        throw new ConfigError(`${done}, but ${error.message}`);
      throw error;
    }
    this.note(listed);
  }
}
