import {ConfigError} from '../errors.js';
import {checkAssignment, findForbidden, UnsafeValueError, type Assignment, type Dialect} from './types.js';

/** A file format holds assignments only: what a reader loads goes into a fresh environment, with nothing to remove. */
function fileFormat(name: string, description: string, line: (name: string, value: string) => string): Dialect {
  const format: Dialect = {
    name,
    aliases: [],
    description,
    kind: `format`,
    set: assignments => assignments.map(([variable, value]) => {
      checkAssignment(variable, value);
      return `${line(variable, value)}\n`;
    }).join(``),
    unset: () => {
      throw new ConfigError(`the ${name} format cannot unset variables; delete the lines from the file instead`);
    },
    session: assignments => format.set(assignments),
  };
  return format;
}

/**
 * dotenv files as the dotenv libraries read them (python-dotenv, node's dotenv, docker compose's `.env`):
 * `NAME='value'`. Single quotes keep the rest literal in each of them, but they disagree at three characters, which
 * are refused: `'` (no common escape for it), `\` (python-dotenv reads `\\` and `\'` as escapes, node's dotenv does
 * not) and `$` (python-dotenv expands `${NAME}` even in single quotes, by default).
 * https://saurabh-kumar.com/python-dotenv/#file-format, https://github.com/motdotla/dotenv#what-rules-does-the-parsing-engine-follow
 */
export const dotenv = fileFormat(`dotenv`, `a .env file for the dotenv libraries: NAME='value'`, (name, value) => {
  const bad = findForbidden(value, /['\\$]/);
  if (bad !== undefined)
    throw new UnsafeValueError(`dotenv`, name, bad);
  return `${name}='${value}'`;
});

/**
 * What is not text: a byte order mark, the Unicode noncharacters (systemd refuses a file holding one) and a lone
 * surrogate (which Node would write as U+FFFD).
 */
const NOT_TEXT = /[\uFEFF\uFDD0-\uFDEF\uFFFE\uFFFF\u{1FFFE}\u{1FFFF}\u{2FFFE}\u{2FFFF}\u{3FFFE}\u{3FFFF}\u{4FFFE}\u{4FFFF}\u{5FFFE}\u{5FFFF}\u{6FFFE}\u{6FFFF}\u{7FFFE}\u{7FFFF}\u{8FFFE}\u{8FFFF}\u{9FFFE}\u{9FFFF}\u{AFFFE}\u{AFFFF}\u{BFFFE}\u{BFFFF}\u{CFFFE}\u{CFFFF}\u{DFFFE}\u{DFFFF}\u{EFFFE}\u{EFFFF}\u{FFFFE}\u{FFFFF}\u{10FFFE}\u{10FFFF}\uD800-\uDFFF]/u;

/**
 * The unquoted `NAME=value` lines that `docker run --env-file` and systemd's `EnvironmentFile=` both read as the
 * same value. Docker takes everything after the first `=` verbatim (no quotes, no escapes, no expansion;
 * https://docs.docker.com/reference/cli/docker/container/run/#env); systemd reads the value as unquoted POSIX text
 * (https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#EnvironmentFile=). So refused: a
 * backslash (an escape to systemd), a quote at the start (quoting to systemd), a space at either end (systemd drops
 * it), `$` (expanded by compose's env_file, and by systemd where it merges files), and what is not text.
 */
export const envFile = fileFormat(`env-file`, `docker run --env-file and systemd EnvironmentFile: NAME=value, unquoted`, (name, value) => {
  const bad = findForbidden(value, /[\\$]/) ?? findForbidden(value, NOT_TEXT)
    ?? (/^['"]/.test(value) ? `a quote at its start` : /^ | $/.test(value) ? `a space at its start or end` : undefined);
  if (bad !== undefined)
    throw new UnsafeValueError(`env-file`, name, bad);
  return `${name}=${value}`;
});

const PROCESS_FIELDS: Record<string, string> = {
  AWS_ACCESS_KEY_ID: `AccessKeyId`,
  AWS_SECRET_ACCESS_KEY: `SecretAccessKey`,
  AWS_SESSION_TOKEN: `SessionToken`,
  AWS_CREDENTIAL_EXPIRATION: `Expiration`,
};

/**
 * The JSON a `credential_process` prints (Version 1), so `credential_process = awsmfa env --shell json` works in
 * ~/.aws/config. https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html
 */
export const json: Dialect = {
  name: `json`,
  aliases: [`process`],
  description: `credential_process JSON (Version 1)`,
  kind: `format`,
  set: (assignments: readonly Assignment[]) => {
    const out: Record<string, string | number> = {Version: 1};
    for (const [name, value] of assignments) {
      checkAssignment(name, value);
      // The document has its own fields; other variables have no place in it.
      if (PROCESS_FIELDS[name] !== undefined)
        out[PROCESS_FIELDS[name]] = value;
    }
    return `${JSON.stringify(out, null, 2)}\n`;
  },
  unset: () => {
    throw new ConfigError(`the json format describes credentials; it cannot unset variables (use --shell with your shell)`);
  },
  session: assignments => json.set(assignments),
};
