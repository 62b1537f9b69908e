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

/**
 * STS refused the MFA code: wrong, expired, or used already (AWS takes a code once). A caller that knows of a cached
 * session still valid says so (a second `mfa CODE` within the same 30 s meets this).
 */
export class CodeRefusedError extends AwsmfaError {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, 1, options);
    this.name = `CodeRefusedError`;
  }
}

/** The command line or the AWS files need fixing before anything is asked of AWS. */
export class ConfigError extends AwsmfaError {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, 2, options);
    this.name = `ConfigError`;
  }
}

/** What the usual errno codes mean, in the words of a one-line message. */
const FILE_CAUSES: Record<string, string> = {
  EACCES: `permission denied`,
  EPERM: `operation not permitted`,
  EROFS: `the file system is read-only`,
  ENOSPC: `no space left on the device`,
  EDQUOT: `disk quota exceeded`,
  EISDIR: `it is a folder`,
  ENOTDIR: `a part of its path is not a folder`,
  ELOOP: `too many symbolic links`,
  ENAMETOOLONG: `its name is too long`,
  EBUSY: `it is busy`,
  EIO: `an input/output error`,
  EMFILE: `too many open files`,
};

/**
 * A filesystem error as one line naming the file and the cause: `cannot write /home/me/.aws/credentials: the file
 * system is read-only (EROFS)`. Exit code 2: the files need fixing before awsmfa can work.
 */
export function fileError(action: string, path: string, error: unknown): AwsmfaError {
  if (error instanceof AwsmfaError)
    return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const cause = code === undefined
    ? (error instanceof Error ? error.message : String(error)).split(`\n`)[0]
    : `${FILE_CAUSES[code] ?? `error`} (${code})`;
  return new ConfigError(`cannot ${action} ${path}: ${cause}`, {cause: error});
}
