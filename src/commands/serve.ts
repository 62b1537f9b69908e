import {Command} from 'clipanion';
import {closeSync, openSync} from 'node:fs';
import {constants, devNull} from 'node:os';
import {HIDDEN_FILE} from '../contract.js';
import {chooseDialect, shellOption} from './base-command.js';
import {SessionCommand} from './session-command.js';

/** What stops the server: Ctrl+C in its terminal, `kill`, the terminal closing. */
const STOPPED_BY = [`SIGINT`, `SIGTERM`, `SIGHUP`] as const;

/**
 * `awsmfa serve`: the credentials server of `exec --server` on its own, for shells and programs that awsmfa does
 * not start. It prints the variables that point the SDKs at it, ends its stdout (so `$(…)` gets them at once),
 * and serves until it is stopped.
 */
export class ServeCommand extends SessionCommand {
  static override paths = [[`serve`]];

  static override usage = Command.Usage({
    description: `serve a profile's credentials on 127.0.0.1 for the AWS SDKs and CLI, renewed before they expire`,
    details: `
      Obtains a session as \`awsmfa env\` does, starts a credentials endpoint on 127.0.0.1 (the container credentials protocol, which every AWS SDK and the AWS CLI read) and prints, for your shell, the lines that set AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN (a random token: requests without it get 403), AWSMFA_SERVER_PID and the profile's region, and that remove static credentials and AWS_PROFILE (the SDKs would take them first). It then serves until it is stopped, assuming the role again (or taking the cached MFA session) before the credentials expire; when the MFA session itself ends it asks for a code on its terminal, or answers an error that names what to do.

      The SDKs read the default profile of ~/.aws/credentials and ~/.aws/config (and botocore ~/.boto) before the server. awsmfa reads those files as botocore does: when one of them would sign first ([default] keys, a credential_process such as the one \`awsmfa keys import\` writes, a role, SSO), the lines also point that file's variable (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE, BOTO_CONFIG) at ${HIDDEN_FILE.value}, a path that cannot exist, and say so on stderr; awsmfa itself still reads your files there. A file you named yourself in one of those variables is refused instead (use \`awsmfa exec --server\`). \`mfa-unset\` or \`eval "$(awsmfa unset)"\` removes all of it, the files come back; \`awsmfa status\` says what the server serves, or that it is gone.

      Stop it with Ctrl+C in its terminal, \`kill $AWSMFA_SERVER_PID\`, or by closing its terminal; calls made after that are refused (mfa-unset to go back).
    `,
    examples: [
      [`In bash or zsh: the server in the background, this shell pointed at it`, `eval "$(awsmfa serve --profile admin &)"`],
      [`Stop it`, `kill $AWSMFA_SERVER_PID`],
      [`In a terminal of its own, printing the lines for fish to paste elsewhere`, `awsmfa serve --profile admin --shell fish`],
    ],
  });

  shell = shellOption();

  async run() {
    this.givenCode();
    const dialect = await chooseDialect(this.shell, this.context, this.log);
    const files = this.loadFiles();
    const request = await this.resolveWithDevice(files);
    // The lines remove static keys from the shell: keys that live only there would be lost.
    this.refuseToReplaceEnvironmentKeys(request);
    this.refuseWhatDialectCannotCarry(dialect, request);
    // Whether the shell's next SDK call can be made to take the server's credentials (or the one-line refusal),
    // and whether the dialect can carry those lines: before a code is spent.
    dialect.session((await this.serverChanges(files, request, undefined, process.pid)).set, []);
    const {credentials} = await this.obtain(request);
    const {server} = await this.startServer(request, credentials);
    const changes = await this.serverChanges(files, request, server, process.pid);
    const text = dialect.session(changes.set, changes.unset);
    const signal = await new Promise<NodeJS.Signals>(resolve => {
      const stop = (received: NodeJS.Signals) => resolve(received);
      for (const name of STOPPED_BY)
        process.once(name, stop);
      this.context.out.write(text);
      // The lines are all there is: `$(awsmfa serve &)` returns once stdout is closed, not when the server ends.
      // Node never closes its stdout (end() and destroy() keep the descriptor), so fd 1 is closed here and the
      // null device takes its number at once: a late write goes nowhere rather than into a socket that got fd 1.
      // (Node writes pipes and files synchronously, so the lines are out by now.)
      if (this.context.out === process.stdout) {
        closeSync(1);
        openSync(devNull, `w`);
      }
      this.context.warn(`serving the credentials of profile '${request.profile}' at ${server.url} (pid ${process.pid}); stop with Ctrl+C or kill ${process.pid}`);
    });
    // A token refresh the server had under way is saved first: the signal was held for it (token-file.ts).
    await server.close(this.settleMs());
    return 128 + (constants.signals[signal] ?? 0);
  }
}
