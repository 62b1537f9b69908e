import {Writable} from 'node:stream';
import {DEFAULT_PROFILE, PROFILE_PRECEDENCE, QUIET} from '../contract.js';
import {envValue, type Env} from '../env.js';

// The help as a person reads it: clipanion's text polished, the general help, and what `mfa --help` adds.

/** What `mfa --help` adds to env's help: the profile that sticks in this shell, and how to change it. */
export function mfaHelp(env: Env): string {
  const from = PROFILE_PRECEDENCE.find(name => envValue(env, name) !== undefined);
  const now = from === undefined ? `${DEFAULT_PROFILE} (none of them is set)` : `${envValue(env, from)} (from ${from})`;
  return `\nmfa\n\nmfa is the shell function around awsmfa env: it applies the session to this shell, and takes a cached one without starting awsmfa. Without --profile it uses ${PROFILE_PRECEDENCE.join(`, else `)} (which mfa sets: the profile sticks), else ${DEFAULT_PROFILE}. Here that is ${now}. Change it with mfa --profile NAME, which then sticks; mfa-unset removes the session and the sticky profile. ${QUIET.variable}=${QUIET.value} keeps mfa from saying which cached session it took.\n`;
}

/** What each option's value is called in the help, where clipanion would print `#0`. */
const PLACEHOLDERS: Record<string, string> = {
  '--code': `CODE`, '--profile': `NAME`, '--serial-number': `ARN`, '--duration-seconds': `TIME`, '--region': `REGION`,
  '--endpoint-url': `URL`, '--role-arn': `ARN`, '--role-session-name': `NAME`, '--timeout': `TIME`, '--min-remaining': `TIME`,
  '--shell': `SHELL`, '--update-profile': `NAME`, '--destination': `URL`, '--delete': `KEY`, '--to': `STORE`,
};

/**
 * clipanion's help, as a user should read it: named values instead of `#0`, and `--no-cache` (what one types)
 * instead of the `--cache` that is on by default. Columns stay aligned.
 */
export function polishHelp(text: string): string {
  return text
    .replace(/^( +)(--[\w-]+)((?:,-{1,2}[\w-]+)*) #0( *)/gm, (_, indent: string, first: string, rest: string, pad: string) => {
      const placeholder = PLACEHOLDERS[first] ?? `VALUE`;
      return `${indent}${first}${rest} ${placeholder}${` `.repeat(Math.max(1, pad.length + 2 - placeholder.length))}`;
    })
    .replace(/^( +)--cache( +).*$/m, (_, indent: string, pad: string) => `${indent}--no-cache${` `.repeat(Math.max(1, pad.length - 3))}Neither read nor write awsmfa's session cache (it is used by default)`)
    .replace(/\[(--[\w-]+)((?:,-{1,2}[\w-]+)*) #0\]/g, (_, first: string, rest: string) => `[${first}${rest} ${PLACEHOLDERS[first] ?? `VALUE`}]`)
    .replace(/\[--cache\]/g, `[--no-cache]`)
    // exec's command comes after `--`, which main hands over itself.
    .replace(/^(.*awsmfa exec .*\[code\])$/gm, `$1 -- COMMAND [ARGS...]`);
}

/** A command as the general help lists it: its words and the one line that says what it is for. */
export interface ListedCommand {
  readonly path: string;
  readonly description: string;
}

/**
 * The help of `awsmfa`, `awsmfa --help` and `awsmfa help`, as gh and aws-vault give theirs: first what most people
 * need (the rc line and three commands), then every command on one line with its purpose, in the order the CLI
 * registers them (sessions first, then profiles and devices, setup, keys); options stay in each command's own help.
 */
export function generalHelp(commands: readonly ListedCommand[], version: string): string {
  const rows: Array<[string, string]> = [
    ...commands.map(command => [command.path, command.description] as [string, string]),
    [`help COMMAND`, `show a command's options and examples (also: awsmfa COMMAND --help)`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  const list = (entries: ReadonlyArray<[string, string]>) => entries.map(([name, what]) => `  ${name.padEnd(width)}${what}`);
  return [
    `awsmfa ${version}: MFA sessions for the AWS command line`,
    ``,
    `Usage: awsmfa COMMAND [options]`,
    ``,
    `Start here`,
    `  awsmfa init --install          once: mfa and mfa-unset in every new shell, started without node (awsmfa init --help)`,
    `  mfa 123456                     start a session in this shell with the code of your MFA device (mfa-unset ends it)`,
    `  awsmfa status                  show the session in use and how long it has left`,
    `  awsmfa exec -- aws s3 ls       run one command with the session (scripts, CI, any shell)`,
    ``,
    `Commands`,
    ...list(rows),
    ``,
    `Options`,
    ...list([[`--version`, `print awsmfa's version`], [`--help`, `print this help`]]),
    ``,
    `Each command's options and examples: awsmfa COMMAND --help (or awsmfa help COMMAND).`,
    ``,
  ].join(`\n`);
}

/** A stream that polishes the help on its way to `target`. */
export function helpStream(target: Writable): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      target.write(polishHelp(chunk.toString()));
      callback();
    },
  });
}
