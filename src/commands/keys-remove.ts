import {Command, Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {profileName} from '../aws-files/resolve.js';
import {removeStoredKeys} from '../keys/move.js';
import {RULES} from '../rules.js';
import {AwsmfaCommand, valueOf} from './base-command.js';
import {moveContext} from './keys-base-command.js';

export class KeysRemoveCommand extends AwsmfaCommand {
  static override paths = [[`keys`, `remove`]];

  static override usage = Command.Usage({
    description: `delete a profile's long-term keys from their store (after a key rotation, or to forget them)`,
    details: `
      Deletes the secret from the store, and the profile's \`awsmfa_key_store\`, \`awsmfa_access_key_id\` and awsmfa's \`credential_process\` from the AWS file. The keys are then nowhere on this machine: to keep them, use \`awsmfa keys move --to aws-files\` instead.
    `,
    examples: [
      [`Forget the keys of profile work`, `awsmfa keys remove --profile work`],
    ],
  });

  profile = Option.String(`--profile,-p`, {description: `Profile whose keys to delete (default: AWS_PROFILE, else default)`, validator: valueOf(RULES.profile)});

  async run() {
    const files = AwsFiles.load(this.context.env);
    const line = await removeStoredKeys(files, profileName(this, this.context.env), moveContext(this, true));
    this.note(line);
  }
}
