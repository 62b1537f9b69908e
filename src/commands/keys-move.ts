import {Command, Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {profileName} from '../aws-files/resolve.js';
import {KEYS_PLACES, moveKeys, type KeysPlace} from '../keys/move.js';
import {RULES, type ValueRule} from '../rules.js';
import {ConfigError} from '../errors.js';
import {AwsmfaCommand, valueOf} from './base-command.js';
import {credentialProcessOption, moveContext} from './keys-base-command.js';

const PLACE_RULE: ValueRule = {what: `one of ${KEYS_PLACES.join(`, `)}`, test: name => (KEYS_PLACES as readonly string[]).includes(name)};

export class KeysMoveCommand extends AwsmfaCommand {
  static override paths = [[`keys`, `move`]];

  static override usage = Command.Usage({
    description: `move a profile's long-term keys to another store, or back into ~/.aws/credentials`,
    details: `
      The keys are written to the new place and read back before the old copy goes. \`--to aws-files\` undoes an import: the keys go back into the AWS file in plaintext, and the marker and awsmfa's credential_process go.
    `,
    examples: [
      [`From the OS keyring into the encrypted file`, `awsmfa keys move --profile work --to file`],
      [`Undo an import`, `awsmfa keys move --profile work --to aws-files`],
    ],
  });

  profile = Option.String(`--profile,-p`, {description: `Profile whose keys to move (default: AWS_PROFILE, else default)`, validator: valueOf(RULES.profile)});
  to = Option.String(`--to`, {description: `Where to: ${KEYS_PLACES.join(`, `)}`, validator: valueOf(PLACE_RULE)});
  credentialProcess = credentialProcessOption();

  async run() {
    if (this.to === undefined)
      throw new ConfigError(`keys move needs --to with one of ${KEYS_PLACES.join(`, `)}`);
    const files = AwsFiles.load(this.context.env);
    const line = await moveKeys(files, profileName(this, this.context.env), this.to as KeysPlace, moveContext(this, this.credentialProcess));
    this.note(line);
  }
}
