import {AwsFiles} from '../aws/files.js';
import {AwsmfaCommand} from './base.js';

/**
 * `awsmfa complete-profiles`: the profile names of the AWS files, one a line, read as the AWS CLI reads them, for
 * the completion functions of shell/. Hidden from the help; a broken file completes nothing rather than an error.
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
    const profiles = files.profileNames();
    this.context.out.write(profiles.length === 0 ? `` : `${profiles.join(`\n`)}\n`);
    return 0;
  }
}
