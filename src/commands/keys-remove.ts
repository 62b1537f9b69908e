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
      Deletes the profile's \`awsmfa_key_store\`, \`awsmfa_access_key_id\` and awsmfa's \`credential_process\` from the AWS file, then the secret from the store. The keys are then nowhere on this machine: to keep them, use \`awsmfa keys move --to aws-files\` instead. When another profile names the same key in the same store (a key \`aws configure\` wrote into two profiles, imported), it would be left with a secret that is nowhere: that is refused, naming it, unless \`--all-profiles\` removes the key from every profile that names it.
    `,
    examples: [
      [`Forget the keys of profile work`, `awsmfa keys remove --profile work`],
      [`Forget a key that profiles work and ci both name`, `awsmfa keys remove --profile work --all-profiles`],
    ],
  });

  profile = Option.String(`--profile,-p`, {description: `Profile whose keys to delete (default: AWS_PROFILE, else default)`, validator: valueOf(RULES.profile)});
  allProfiles = Option.Boolean(`--all-profiles`, false, {description: `Also from every other profile that names the same key (otherwise such a profile is a refusal)`});

  async run() {
    const files = AwsFiles.load(this.context.env);
    const line = await removeStoredKeys(files, profileName(this, this.context.env), moveContext(this, true), this.allProfiles);
    this.note(line);
  }
}
