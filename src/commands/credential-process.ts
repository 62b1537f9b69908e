import {Command} from 'clipanion';
import {sessionAssignments} from '../aws/credentials.js';
import {json} from '../dialects/formats.js';
import {ConfigError} from '../errors.js';
import {NoTerminalError} from '../io/prompt.js';
import {SessionCommand} from './session-command.js';

/**
 * `awsmfa credential-process --profile P`: the Version 1 JSON of a `credential_process`, so that every SDK and the
 * AWS CLI use awsmfa's sessions for a profile that names it. The AWS CLI and SDKs keep a credential process's
 * stdin and hide its stderr, so a question there would look like a hang: the cached session is used while it
 * lasts; without one the code is asked on the terminal (/dev/tty) when there is one, else it fails at once.
 * A cached session is answered by the fast path (src/cli/fast-path.ts), as a cached `env` is.
 */
export class CredentialProcessCommand extends SessionCommand {
  static override paths = [[`credential-process`]];

  static override usage = Command.Usage({
    description: `print a session as a credential_process's JSON, for profiles that use awsmfa`,
    details: `
      For tools that only read profiles (the AWS SDKs, the AWS CLI, Terraform): a profile with \`credential_process = awsmfa credential-process --profile P\` gets the session of profile P (its role included) from awsmfa's cache while it lasts, and a new one when it does not, the code asked on the terminal (or by P's \`mfa_process\`). With no terminal and no cached session it fails at once: run \`mfa\` or \`awsmfa env\` first. Nothing but the JSON goes to stdout.
    `,
    examples: [
      [`What a profile with 'credential_process = awsmfa credential-process --profile work' in ~/.aws/config gets`, `awsmfa credential-process --profile work`],
      [`Then any tool uses work's MFA session through it`, `aws s3 ls --profile work-mfa`],
    ],
  });

  async run() {
    this.givenCode();
    const request = await this.resolveWithDevice(this.loadFiles());
    let credentials;
    try {
      ({credentials} = await this.obtain(request));
    } catch (error) {
      if (error instanceof NoTerminalError)
        throw new ConfigError(`no cached session of profile '${request.profile}' and no terminal to ask for a code on: run mfa (or awsmfa env --profile ${request.profile}) in a terminal first, or let the profile's mfa_process print the code`);
      throw error;
    }
    this.context.out.write(json.set(sessionAssignments(credentials, request.profile)));
  }
}
