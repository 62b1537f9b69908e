import {Builtins, Cli, UsageError} from 'clipanion';
import type {AwsmfaContext} from './context.js';
import {AwsmfaCommand} from './commands/base.js';
import {EnvCommand} from './commands/env.js';
import {UnsetCommand} from './commands/unset.js';

import packageJson from '../package.json' with {type: 'json'};

export function buildCli(): Cli<AwsmfaContext> {
  const cli = new Cli<AwsmfaContext>({
    binaryLabel: `awsmfa`,
    binaryName: `awsmfa`,
    binaryVersion: packageJson.version,
    enableColors: false,
    enableCapture: false,
  });
  cli.register(EnvCommand);
  cli.register(UnsetCommand);
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  return cli;
}

/**
 * Runs awsmfa. Help and the version go to stdout (they are asked for); every error goes to stderr as one line,
 * so `eval "$(awsmfa ...)"` never sees anything but shell code.
 */
export async function main(argv: string[], context: AwsmfaContext): Promise<number> {
  const cli = buildCli();
  let command;
  try {
    command = cli.process(argv, context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.stderr.write(`awsmfa: ${message.replace(/^(Unknown Syntax Error|Usage Error): /, ``).split(`\n`)[0]} (awsmfa --help lists the commands and options)\n`);
    return 2;
  }
  // Help and --version (clipanion's own commands) print what was asked for, on stdout.
  if (!(command instanceof AwsmfaCommand))
    return cli.run(command, {...context, stdout: context.out});
  // Options are validated (typanion) inside run; clipanion reports those on its stdout, which is our stderr.
  command.context = context;
  try {
    return await command.validateAndExecute();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.stderr.write(`awsmfa: ${message.replace(/^Usage Error: /, ``).split(`\n`)[0]} (awsmfa ${command.path.join(` `)} --help)\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}
