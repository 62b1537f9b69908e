import {Command, Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {profileName} from '../aws-files/resolve.js';
import {ACCESS_KEY_ID_PATTERN, SECRET_TEXT_PATTERN} from '../aws/credentials.js';
import {ConfigError} from '../errors.js';
import {openTerminal} from '../io/prompt.js';
import {visible} from '../terminal.js';
import type {StoreName} from '../key-marker.js';
import {addKeys} from '../keys/move.js';
import {RULES} from '../rules.js';
import {AwsmfaCommand, valueOf} from './base-command.js';
import {credentialProcessOption, moveContext, storeOption} from './keys-base-command.js';

export class KeysAddCommand extends AwsmfaCommand {
  static override paths = [[`keys`, `add`]];

  static override usage = Command.Usage({
    description: `store new long-term keys for a profile, typed on the terminal, without writing them to any file`,
    details: `
      Asks for the access key id and (hidden) the secret access key on the terminal, never in arguments or the environment; stores the secret, reads it back, and writes only \`awsmfa_key_store\`, \`awsmfa_access_key_id\` and \`credential_process\` under the profile in ~/.aws/credentials.
    `,
    examples: [
      [`New keys for profile work, in the OS keyring`, `awsmfa keys add --profile work`],
      [`In the encrypted file`, `awsmfa keys add --profile work --to file`],
    ],
  });

  profile = Option.String(`--profile,-p`, {description: `Profile the keys are for (default: AWS_PROFILE, else default)`, validator: valueOf(RULES.profile)});
  to = storeOption();
  credentialProcess = credentialProcessOption();

  async run() {
    const {env, platform} = this.context;
    const profile = profileName(this, env);
    const files = AwsFiles.load(env);
    const terminal = openTerminal({platform, env});
    const instead = `or put the keys in ~/.aws/credentials and run awsmfa keys import`;
    if (terminal === undefined)
      throw new ConfigError(`keys add asks for the keys on a terminal, and there is none: run it in a terminal, ${instead}`);
    let accessKeyId: string | undefined;
    let secretAccessKey: string | undefined;
    try {
      accessKeyId = (await terminal.ask(`AWS Access Key ID for profile '${visible(profile)}': `, {instead}))?.trim();
      if (!accessKeyId || !ACCESS_KEY_ID_PATTERN.test(accessKeyId))
        throw new ConfigError(`that is not an access key id (AKIA followed by capital letters and digits)`);
      secretAccessKey = (await terminal.ask(`AWS Secret Access Key: `, {hidden: true, instead}))?.trim();
      if (!secretAccessKey || !SECRET_TEXT_PATTERN.test(secretAccessKey))
        throw new ConfigError(`that is not a secret access key (printable characters, no spaces)`);
    } finally {
      terminal.close();
    }
    const line = await addKeys(files, profile, this.to as StoreName, accessKeyId, secretAccessKey, moveContext(this, this.credentialProcess));
    this.note(line);
  }
}
