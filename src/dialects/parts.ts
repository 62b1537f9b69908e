/**
 * What a shell dialect holds besides what awsmfa needs at run time: the renderers of its files under shell/ and
 * its test profile. Each shell's module gives them through `shellParts()` beside its dialect; nothing at run time
 * calls it, so the bundles leave it out. scripts/render-shell.ts renders shell/ from them, and the tests
 * (real-shell round trips, the hostile values, lint, completion, the README's examples) are derived from them, so a
 * shell in the table without them, or without a working round trip, fails the suite.
 *
 * The renderers know nothing of the CLI's modules: scripts/render-shell.ts reads the commands, their options and
 * descriptions from clipanion's definitions and hands them in as {@link CliFacts}.
 */

/** An option of a command as completion offers it: its names (long ones first), what it does, whether it takes a value. */
export interface CompletedOption {
  readonly longs: readonly string[];
  readonly shorts: readonly string[];
  readonly description: string;
  readonly value: boolean;
}

export interface CompletedCommand {
  /** The words typed to run it (`keys import`), and each of them. */
  readonly name: string;
  readonly path: readonly string[];
  readonly description: string;
  readonly options: readonly CompletedOption[];
  /** Its options whose values are fixed words (`--to`: keyring, file), with those words. */
  readonly valued: ReadonlyArray<{readonly names: readonly string[], readonly values: readonly string[]}>;
}

/**
 * What completion offers as a command's first word: each command of one word, and once the first word of the
 * commands of several (`keys`), described by src/contract.ts's COMMAND_GROUPS and followed by its second words.
 */
export interface CommandWord {
  readonly word: string;
  readonly description: string;
  /** The commands this word starts, when it is the first of several (`keys` -> `keys import`, …). */
  readonly group: readonly CompletedCommand[];
}

/** The CLI as the renderers see it, and the dialect table's names. */
export interface CliFacts {
  /** Every command (hidden ones are not there), and `help`. */
  readonly commands: readonly CompletedCommand[];
  readonly words: readonly CommandWord[];
  /** What --shell takes (each dialect's name), and the shells `awsmfa init` has a snippet for. */
  readonly dialects: readonly string[];
  readonly snippetShells: readonly string[];
}

/** Per file under shell/ (a path relative to it), per region, the lines the region holds. */
export type Renderers = Readonly<Record<string, Readonly<Record<string, (cli: CliFacts) => string[]>>>>;

/** A real shell binary: how it runs a script file, and how it starts at a prompt, neither reading rc files. */
export interface ShellRun {
  readonly binary: string;
  readonly args: readonly string[];
  readonly interactive: readonly string[];
}

/**
 * How the tests drive a shell. Every line is one the shell runs in a script; `file` arguments are absolute paths
 * of plain characters, `command` arguments a command line of plain words.
 */
export interface TestProfile {
  /**
   * Where its round trips run: real shell binaries (each runs every test of the dialect), or, for the two shells
   * that have none here, cmd.exe under Wine (test/hostile.test.ts) and the PowerShell grammar
   * (test/pwsh-grammar.test.ts), whose tests take the dialects that name them.
   */
  readonly runs: readonly ShellRun[] | `wine-cmd` | `pwsh-grammar`;
  /** A line that applies a file of this dialect's output, as evaluating awsmfa's output does. */
  apply(file: string): string;
  /** The README's form: a line that applies what `command` prints (`eval "$(command)"`). */
  applyOutput(command: string): string;
  /** A line that makes a failed command stop the script (`set -e`); empty where a failed apply stops it anyway. */
  readonly strict: string;
  /** Whether a failed apply stops a script (with `strict`), or only leaves a failing status (fish). */
  readonly failureStops: boolean;
  /** A line that runs `command` and prints `status=N`, N its status. */
  status(command: string): string;
  /** A line that ends the script with status 97 when the line before it failed (empty where it ends anyway). */
  readonly stopOnFailure: string;
  /** How a script writes one argument of a command line. */
  quote(value: string): string;
  /** Whether `mfa` loses an empty argument (tcsh drops empty words when it expands a list; the README says so). */
  readonly dropsEmptyArguments?: boolean;
  /**
   * The line an rc file may still hold that prints the integration at each start (`eval "$(awsmfa init bash)"`:
   * node at every start; the README's line loads the copy `awsmfa init --install` writes, test/support/shells.ts's
   * installInto). Where the functions an rc line defines reach no script (elvish), the tests type lines at a real
   * prompt instead: the rc file it goes in (relative to HOME), and how a typed line sends its output to files and
   * notes it is done.
   */
  readonly rc?: {
    readonly printed: string;
    readonly interactive?: {
      readonly file: string;
      typed(line: string, out: string, err: string, done: string): string;
      /** At its prompt a failed mfa says awsmfa's line and nothing else, and raises nothing (elvish): no status. */
      readonly quietFailure?: boolean;
    };
  };
  /** Script text that loads the shell's file as it is (`source FILE`; `text` is the file's content). */
  load?(file: string, text: string): string;
  /**
   * What its quick path (mfa from the shells' file, with no node) checks beyond the owner of the file and folder and
   * the AWS files' mtimes: the file's and folder's modes, and the AWS files' whole record (size, inode, ctime: an
   * edit whose mtime was put back is seen).
   */
  readonly quick?: {readonly modes: boolean, readonly record: boolean};
  /** The checks its files pass: commands, each given the file's path last. */
  readonly lint: ReadonlyArray<readonly string[]>;
  /** The README's fenced languages whose runnable lines this shell runs (```sh runnable: every POSIX shell). */
  readonly fences: readonly string[];
  /**
   * A script that prints what completion offers for `words` (the command line so far, the last one being
   * completed), one candidate per line, with the shell's file loaded from `file`; or why the tests type TAB in
   * a real terminal instead, or why there is none.
   */
  readonly complete: ((file: string, words: readonly string[]) => string) | {readonly none: string};
}

/**
 * A shell dialect's parts: its module exports a function `shellParts` that gives them (a function, so that the
 * bundles, which never call it, leave it and all it uses out).
 */
export interface ShellParts {
  readonly renderers: Renderers;
  /** How a comment line starts in its files, when not `#` (the first line of each says what is rendered). */
  readonly comment?: string;
  readonly profile: TestProfile;
}

/** Helpers the renderers share: what completion offers, from the facts. */
export const completion = {
  /** The first words of the commands, each once. */
  commandNames: (cli: CliFacts) => cli.words.map(word => word.word),
  /** The first words of commands of two words. */
  groups: (cli: CliFacts) => cli.words.filter(word => word.group.length > 0),
  /** The second word of a command of two words. */
  second: (command: CompletedCommand) => command.path[1]!,
  env: (cli: CliFacts) => cli.commands.find(command => command.name === `env`)!,
  /** mfa takes env's options, but not --shell: its dialect is its own. */
  mfaOptions: (cli: CliFacts) => completion.env(cli).options.filter(option => !option.longs.includes(`--shell`)),
  /** Every long option of every command, and --help. */
  everyOption: (cli: CliFacts) => [...new Set([...cli.commands.flatMap(command => command.options.flatMap(option => option.longs)), `--help`])],
  /** The options whose values are profile names (completed with `awsmfa complete-profiles`), long and short. */
  profileOptions: [`--profile`, `--update-profile`, `-p`, `-u`] as const,
  /** The options whose values are dialects. */
  shellOptions: [`--shell`, `-s`] as const,
  /** A command's long options. */
  longs: (command: CompletedCommand) => command.options.flatMap(option => option.longs),
};
