import type {Writable} from 'node:stream';
import type {BaseContext} from 'clipanion';

/**
 * What a command may touch of the outside world. `stdout` (clipanion's) is wired to the process's stderr, because
 * clipanion writes its own messages there and awsmfa's stdout goes into `eval`; shell code goes to `out`.
 */
export interface AwsmfaContext extends BaseContext {
  /** The process's real stdout: shell code only, written once, at the end, on success. */
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
