import {isQuiet, MARGIN_TEXT} from '../contract.js';
import {Command, Option} from 'clipanion';
import * as t from 'typanion';
import {checkVariables, COMMON_VARIABLES, describeGot, RULES, variableValue, type ValueRule, type Variable} from '../rules.js';
import {AwsmfaError, ConfigError} from '../errors.js';
import {notesTo, type AwsmfaContext} from '../context.js';
import {DIALECT_NAMES, findDialect, SHELL_NAMES, type Dialect} from '../dialects/index.js';
import {detectShell} from '../dialects/detect.js';
import {parseSpan} from '../time.js';
import type {Env} from '../env.js';
import {AwsFiles} from '../aws-files/files.js';

/**
 * What every awsmfa command shares: `--verbose`, and errors turned into one line on stderr with an exit code
 * (1: AWS or the network said no; 2: the command line or the configuration needs fixing).
 */
export abstract class AwsmfaCommand extends Command<AwsmfaContext> {
  verbose = Option.Boolean(`--verbose`, false, {description: `Explain each step on stderr (never secrets); show stack traces`});
  quiet = Option.Boolean(`--quiet,-q`, false, {description: `No informational lines on stderr (also AWSMFA_QUIET=1); prompts and errors still show`});

  /** awsmfa's variables the command reads: checked before it runs (the options were, by their validators). */
  readonly variables: readonly Variable[] = [];

  /**
   * Whether the command may wait for a lock, and so has COMMON_VARIABLES checked too: every command but unset, which
   * takes none and clears a shell whatever its variables hold (its fast path checks none either).
   */
  readonly takesLocks: boolean = true;

  abstract run(): Promise<number | void>;

  /** Whether the command failed (it threw), rather than ended with a status of its own (serve, stopped). */
  failed = false;

  async execute(): Promise<number> {
    // --verbose and --quiet are known only now: the notes of the context (context.ts) are made again with them.
    this.context = {...this.context, ...notesTo(this.context.stderr, {verbose: this.verbose, quiet: isQuiet(this.quiet, this.context.env)})};
    try {
      checkVariables(this.context.env, [...this.takesLocks ? COMMON_VARIABLES : [], ...this.variables]);
      return (await this.run()) ?? 0;
    } catch (error) {
      this.failed = true;
      return this.report(error);
    }
  }

  /** A note on stderr with --verbose (the context's `log`). */
  log = (message: string): void => {
    this.context.log(message);
  };

  /** An informational line on stderr (what was done, what was served): the context's `info`, off when quiet. */
  note = (message: string): void => {
    this.context.info(message);
  };

  private report(error: unknown): number {
    const {stderr, warn} = this.context;
    if (error instanceof AwsmfaError) {
      warn(error.message);
      if (this.verbose && error.cause instanceof Error)
        stderr.write(`${error.cause.stack ?? error.cause.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    warn(`unexpected error: ${message.split(`\n`)[0]}${this.verbose ? `` : ` (--verbose shows details)`}`);
    if (this.verbose && error instanceof Error)
      stderr.write(`${error.stack}\n`);
    return 1;
  }
}

/**
 * A typanion validator for a rule: clipanion prints its message as `Invalid value for --region: expected a region
 * name like eu-west-1 (got "")`, one line naming the option, what it takes and what it got.
 */
export function valueOf(rule: ValueRule) {
  return t.makeValidator<unknown, string>({
    test: (value, state): value is string => {
      if (typeof value === `string` && rule.test(value))
        return true;
      state?.errors?.push(`${state.p ?? `.`}: expected ${rule.what} ${typeof value === `string` ? describeGot(rule, value) : ``}`.trimEnd());
      return false;
    },
  });
}

const DIALECT_RULE: ValueRule = {what: `one of ${DIALECT_NAMES.join(`, `)}`, test: name => DIALECT_NAMES.includes(name)};

export const shellOption = () => Option.String(`--shell,-s`, {
  description: `Output dialect: ${DIALECT_NAMES.join(`, `)}; detected from the calling shell when not given`,
  validator: valueOf(DIALECT_RULE),
});

const MFA_SHELL_RULE: ValueRule = {what: `one of ${SHELL_NAMES.join(`, `)}`, test: name => (SHELL_NAMES as readonly string[]).includes(name)};

/**
 * Set by the `mfa` functions of shell/ (`awsmfa env --mfa-shell bash "$@"`): the dialect of the shell that will
 * evaluate the output. Hidden, and exclusive with --shell, so that `mfa --shell json` is refused instead of
 * handing JSON to bash's eval.
 */
export const mfaShellOption = () => Option.String(`--mfa-shell`, {hidden: true, validator: valueOf(MFA_SHELL_RULE)});

/** The dialect of --mfa-shell or --shell (never both), else the one of the calling shell. */
export async function chooseDialect(name: string | undefined, context: AwsmfaContext, log: (message: string) => void, mfaShell?: string): Promise<Dialect> {
  if (mfaShell !== undefined) {
    if (name !== undefined)
      throw new ConfigError(`mfa writes for this shell itself and takes no --shell; for another dialect run awsmfa env --shell ${name}`);
    name = mfaShell;
  }
  if (name === undefined) {
    const {shell, how} = await detectShell(context.env, context.ppid, context.platform);
    log(`writing for ${shell}, detected from ${how}; --shell overrides`);
    name = shell;
  }
  return findDialect(name)!;
}

/** The budget of one request to STS, retries included, unless --timeout or AWSMFA_TIMEOUT says otherwise. */
export const DEFAULT_TIMEOUT = `30s`;

/** The time budget of a request to AWS: --timeout, else AWSMFA_TIMEOUT (checked like the option), else 30 s. */
export function budgetMs(given: string | undefined, env: Env): number {
  return parseSpan(given ?? variableValue(env, `AWSMFA_TIMEOUT`) ?? DEFAULT_TIMEOUT)!;
}

/** The cache switches of every command that obtains a session. */
export const cacheOptions = {
  force: () => Option.Boolean(`--force,-f`, false, {description: `Ask STS for a new session even when a cached one is still valid (needs a code)`}),
  // Shown as --no-cache in the help (cli/help.ts): on by default, the switch users type is the negative one.
  cache: () => Option.Boolean(`--cache`, true, {description: `Read and keep the session in awsmfa's cache`}),
  minRemaining: () => Option.String(`--min-remaining`, MARGIN_TEXT, {
    description: `Reuse a cached session only with more than this left: 300s, 5m, 1h (default ${MARGIN_TEXT})`,
    validator: valueOf(RULES.minRemaining),
  }),
  parseMinRemaining: (text: string): number => parseSpan(text)!,
};

/**
 * For a note about a profile that found nothing: `; profile 'wrok' is not in … nor …; did you mean 'work'?` when the
 * AWS files know no such profile, else nothing (nor when they cannot be read: the note is not the place to say so).
 */
export function unknownProfile(env: Env, profile: string): string {
  try {
    const files = AwsFiles.load(env);
    return files.hasProfile(profile) ? `` : `; ${files.notFound(profile)}`;
  } catch {
    return ``;
  }
}
