import type {Writable} from 'node:stream';
import type {BaseContext} from 'clipanion';

/**
 * Lines for the person, on stderr, each `awsmfa: <message>` (the prefix is written here and nowhere else). Never
 * a command's result, never a secret.
 */
export interface Notes {
  /** A step explained, shown with --verbose only. */
  log: (message: string) => void;
  /** What the person must know: a warning, a refusal, a problem left behind. Always shown. */
  warn: (message: string) => void;
  /** What was done (deleted, saved, chosen, served): left out when `quiet`. */
  info: (message: string) => void;
  /** Whether `info` is off (--quiet or AWSMFA_QUIET=1, decided once by contract.ts's isQuiet), for a line written otherwise (mfa's served line, a progress line). */
  quiet: boolean;
}

/** The notes of a command, written to `stderr`: `verbose` turns on `log`, `quiet` off `info`. */
export function notesTo(stderr: Writable, {verbose, quiet}: {verbose: boolean, quiet: boolean}): Notes {
  const say = (message: string): void => {
    stderr.write(`awsmfa: ${message}\n`);
  };
  const silent = (): void => {};
  return {log: verbose ? say : silent, warn: say, info: quiet ? silent : say, quiet};
}

/**
 * What a command may touch of the outside world. Its three kinds of output each have one way out:
 * - its result (shell code, JSON, or text for a person) goes to `out`, the process's real stdout; for a command
 *   (see cli/main.ts) `stdout` is that same stream, so a result written to either lands on stdout;
 * - lines for the person (notes, warnings, verbose steps) go through `log`, `warn` and `info` (Notes), to stderr;
 * - prompts go to the terminal (io/prompt.ts).
 * clipanion's own output (help, parse errors) is routed by cli/main.ts itself, never through a command's context.
 */
export interface AwsmfaContext extends BaseContext, Notes {
  /** The process's real stdout: the command's result (for env/unset/init/credential-process, shell code or JSON only, written once, at the end, on success). */
  out: Writable;
  now: () => Date;
  /** The calling process, for shell detection. */
  ppid: number;
  platform: NodeJS.Platform;
  /** The running awsmfa script (dist/awsmfa.cjs), to find shell/ and to name itself in snippets. */
  scriptPath: string;
  /** What followed `--` on an `awsmfa exec` line: the command to run, untouched by the option parser. */
  rest?: string[] | undefined;
}

/** The context the process starts main with: its streams and facts; main adds the notes. */
export type StartContext = Omit<AwsmfaContext, keyof Notes>;
