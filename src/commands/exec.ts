import {constants} from 'node:os';
import {Command} from 'clipanion';
import {SESSION_VARIABLES} from '../aws/credentials.js';
import {AwsFiles} from '../aws/files.js';
import {AwsmfaError, ConfigError} from '../errors.js';
import {sessionChanges} from '../session/variables.js';
import {SessionCommand} from './session.js';

/** Signals passed on to the command while it runs; awsmfa itself waits for it. */
const FORWARDED = [`SIGINT`, `SIGTERM`, `SIGHUP`] as const;

export class ExecCommand extends SessionCommand {
  static override paths = [[`exec`]];

  static override usage = Command.Usage({
    description: `run a command with an MFA session in its environment`,
    details: `
      Obtains a session as \`awsmfa env\` does (the cached one while it lasts, else a new one with your code) and runs COMMAND with it in its environment, without a shell in between: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION and AWS_SESSION_EXPIRATION are set; a stale session, AWS_PROFILE and AWS_DEFAULT_PROFILE are removed from it. Its stdin, stdout and stderr are yours; its exit status is awsmfa's (128 + the signal when a signal ended it); SIGINT, SIGTERM and SIGHUP are passed on.

      The way for scripts, Makefiles, CI, shells without eval, and Windows without a snippet. Everything before \`--\` is awsmfa's, everything after it the command's.
    `,
    examples: [
      [`Run the AWS CLI with a session`, `awsmfa exec --code 123456 -- aws s3 ls`],
      [`With the cached session of a profile`, `awsmfa exec --profile work -- terraform plan`],
      [`In a Makefile or CI step`, `awsmfa exec --code "$CODE" -- ./deploy.sh production`],
      [`In PowerShell or cmd.exe`, `awsmfa exec --code 123456 -- aws sts get-caller-identity`],
    ],
  });

  async run() {
    const command = this.context.rest;
    if (command === undefined || command.length === 0)
      throw new ConfigError(`awsmfa exec runs a command: awsmfa exec [options] -- COMMAND [ARGS...]`);
    this.givenCode();
    const request = await this.resolveWithDevice(AwsFiles.load(this.context.env));
    const {credentials} = await this.obtain(request);
    const env: Record<string, string | undefined> = {...this.context.env};
    const changes = sessionChanges(credentials, request, this.context.env, this.regionChoice());
    // A stale session goes whole, with boto2's old name of the token, which would pair a stale token with new keys.
    for (const name of [...SESSION_VARIABLES, ...changes.unset, `AWS_SECURITY_TOKEN`])
      delete env[name];
    for (const [name, value] of changes.set)
      env[name] = value;
    this.log(`running ${command[0]} with the session ${credentials.accessKeyId} of profile '${request.profile}'`);

    const {spawn} = await import(`node:child_process`);
    return await new Promise<number>((resolve, reject) => {
      // The handlers come first: the command may already run (and be signalled through awsmfa) before spawn()
      // returns, and a signal awsmfa did not handle would end awsmfa and leave the command behind. One that comes
      // that early is passed on as soon as there is a child to pass it to.
      let child: ReturnType<typeof spawn> | undefined;
      const early: NodeJS.Signals[] = [];
      const forward = (signal: NodeJS.Signals) => () => child === undefined ? early.push(signal) : child.kill(signal);
      const handlers = FORWARDED.map(signal => [signal, forward(signal)] as const);
      for (const [signal, handler] of handlers)
        process.on(signal, handler);
      child = spawn(command[0]!, command.slice(1), {stdio: `inherit`, env});
      for (const signal of early)
        child.kill(signal);
      const done = () => {
        for (const [signal, handler] of handlers)
          process.off(signal, handler);
      };
      child.on(`error`, error => {
        done();
        const code = (error as NodeJS.ErrnoException).code;
        // As shells report them: 127 not found, 126 found but not runnable.
        reject(code === `ENOENT`
          ? new AwsmfaError(`${command[0]}: command not found (awsmfa exec runs it without a shell; check PATH)`, 127)
          : new AwsmfaError(`${command[0]} could not be run (${code ?? error.message})`, 126));
      });
      child.on(`exit`, (status, signal) => {
        done();
        resolve(status ?? 128 + (signal === null ? 0 : constants.signals[signal] ?? 0));
      });
    });
  }
}
