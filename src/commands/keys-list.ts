import {Command, Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {jsonText} from '../terminal.js';
import {findKeys} from '../keys/move.js';
import {openStore} from '../keys/stores.js';
import {brokenLine, mendLine} from '../keys/process-line.js';
import {AwsmfaCommand} from './base-command.js';

export class KeysListCommand extends AwsmfaCommand {
  static override paths = [[`keys`, `list`]];

  static override usage = Command.Usage({
    description: `list where each profile's long-term keys live (key ids only, never a secret)`,
    details: `
      One line per profile with keys of its own: the profile, the access key id, and where the secret is (keyring, file, or aws-files for plaintext in ~/.aws). \`--check\` opens the stores (the file store asks its passphrase) and says whether each holds its secret, and whether the \`credential_process\` awsmfa wrote can still run (awsmfa moved, or Node upgraded, leave it naming programs that are gone; \`awsmfa keys import\` again mends it).
    `,
    examples: [
      [`Where are my keys?`, `awsmfa keys list`],
      [`And are they really there?`, `awsmfa keys list --check`],
    ],
  });

  check = Option.Boolean(`--check`, false, {description: `Open the stores and check that each secret is there`});
  json = Option.Boolean(`--json`, false, {description: `Print a JSON document`});

  async run() {
    const files = AwsFiles.load(this.context.env);
    const rows: Array<{profile: string, accessKeyId: string, store: string, present?: boolean, credentialProcess?: string}> = [];
    for (const profile of files.profileNames()) {
      let found;
      try {
        found = findKeys(files, profile);
      } catch (error) {
        this.context.warn((error as Error).message);
        continue;
      }
      if (found !== undefined)
        rows.push({profile, accessKeyId: found.accessKeyId, store: found.place});
    }
    if (this.check) {
      for (const row of rows) {
        if (row.store !== `aws-files`)
          row.present = await (await openStore(row.store as `keyring` | `file`, this.context)).get(row.accessKeyId) !== undefined;
        // The credential_process awsmfa wrote runs programs by path: a moved awsmfa or a new Node leaves them gone.
        const line = files.setting(row.profile, `credential_process`);
        const problem = line === undefined ? undefined : brokenLine(line, this.context.platform);
        if (problem !== undefined) {
          row.credentialProcess = problem;
          this.context.warn(`the credential_process of profile '${row.profile}' cannot run: ${problem} (awsmfa moved, or Node upgraded): ${mendLine(files, row.profile)}`);
        }
      }
    }
    if (this.json) {
      this.context.out.write(`${jsonText(rows, 2)}\n`);
      return;
    }
    for (const row of rows)
      this.context.out.write(`${row.profile}\t${row.accessKeyId}\t${row.store}${row.present === undefined ? `` : row.present ? `\tpresent` : `\tMISSING`}${row.credentialProcess === undefined ? `` : `\tcredential_process broken`}\n`);
  }
}
