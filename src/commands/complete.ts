import {AwsFiles} from '../aws-files/files.js';
import {visible} from '../terminal.js';
import {AwsmfaCommand} from './base-command.js';

/**
 * `awsmfa complete-profiles`: the profile names of the AWS files, one a line, read as the AWS CLI reads them, for
 * the completion functions of shell/. Hidden from the help; a broken file completes nothing rather than an error.
 * A name holding a control character (C0, DEL, C1, a bidirectional override: what terminal.ts makes visible) is
 * left out: a completion list goes to the terminal as it is, and a newline would split the name in two.
 */
export class CompleteProfilesCommand extends AwsmfaCommand {
  static override paths = [[`complete-profiles`]];

  static override usage = undefined;

  async run() {
    let files: AwsFiles;
    try {
      files = AwsFiles.load(this.context.env);
    } catch {
      return 0;
    }
    const profiles = files.profileNames().filter(name => name !== `` && visible(name) === name);
    this.context.out.write(profiles.length === 0 ? `` : `${profiles.join(`\n`)}\n`);
    return 0;
  }
}
