import {Command, Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {profileName} from '../aws-files/resolve.js';
import type {StoreName} from '../key-marker.js';
import {findKeys, moveKeys} from '../keys/move.js';
import {repointLine} from '../keys/process-line.js';
import {RULES} from '../rules.js';
import {AwsmfaCommand, valueOf} from './base-command.js';
import {credentialProcessOption, moveContext, storeOption} from './keys-base-command.js';

export class KeysImportCommand extends AwsmfaCommand {
  static override paths = [[`keys`, `import`]];

  static override usage = Command.Usage({
    description: `move a profile's long-term keys from ~/.aws/credentials into the OS keyring or an encrypted file`,
    details: `
      Reads the profile's aws_access_key_id and aws_secret_access_key, writes the secret to the store, reads it back, and only then edits the AWS file (locked, atomic, nothing else touched): the keys go, \`awsmfa_key_store\` and \`awsmfa_access_key_id\` (the key id is no secret) take their place, and \`credential_process\` points at awsmfa, so \`aws --profile P\` gets P's MFA session (the cached one; else the code is asked on the terminal). The store is opened only when a new session is made, never for a cached one. Undo: \`awsmfa keys move --profile P --to aws-files\`. Run again for keys already in the store, it points \`credential_process\` at the awsmfa in use now (after awsmfa was moved, or installed under another Node).
    `,
    examples: [
      [`Move the default profile's keys into the OS keyring`, `awsmfa keys import`],
      [`Into an age-encrypted file (WSL, containers, headless machines)`, `awsmfa keys import --profile work --to file`],
    ],
  });

  profile = Option.String(`--profile,-p`, {description: `Profile whose keys to import (default: AWS_PROFILE, else default)`, validator: valueOf(RULES.profile)});
  to = storeOption();
  credentialProcess = credentialProcessOption();

  async run() {
    const files = AwsFiles.load(this.context.env);
    const profile = profileName(this, this.context.env);
    const context = moveContext(this, this.credentialProcess);
    // Imported already: again points its credential_process at this awsmfa (after a move of awsmfa or of Node).
    const line = findKeys(files, profile)?.place === this.to ? repointLine(files, profile, context) : await moveKeys(files, profile, this.to as StoreName, context);
    this.note(line);
  }
}
