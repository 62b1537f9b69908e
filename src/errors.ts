/**
 * Errors a user can act on. The CLI prints `awsmfa: <message>` as one line on stderr and exits with `exitCode`:
 * 1 when AWS or the network said no, 2 when the command line or the configuration needs fixing.
 */
export class AwsmfaError extends Error {
  constructor(message: string, readonly exitCode = 1, options?: {cause?: unknown}) {
    super(message, options);
    this.name = `AwsmfaError`;
  }
}

/** The command line or the AWS files need fixing before anything is asked of AWS. */
export class ConfigError extends AwsmfaError {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, 2, options);
    this.name = `ConfigError`;
  }
}
