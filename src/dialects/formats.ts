import {ConfigError} from '../errors.js';
import {checkAssignment, findForbidden, UnsafeValueError, type Assignment, type Dialect} from './types.js';

/**
 * dotenv files (`--env-file`, python-dotenv, node's dotenv, docker compose): `NAME='value'`, where single quotes
 * keep the value literal in every common reader. No reader agrees on escapes inside them, so a value holding
 * a single quote or a line break is refused.
 */
export const dotenv: Dialect = {
  name: `dotenv`,
  aliases: [`env-file`],
  description: `a .env file: NAME='value'`,
  set: assignments => assignments.map(([name, value]) => {
    checkAssignment(name, value);
    const bad = findForbidden(value, /'/);
    if (bad !== undefined)
      throw new UnsafeValueError(`dotenv`, name, bad);
    return `${name}='${value}'\n`;
  }).join(``),
  unset: () => {
    throw new ConfigError(`the dotenv format cannot unset variables; delete the lines from the file instead`);
  },
  // A file is read into a fresh environment: nothing to remove.
  session: assignments => dotenv.set(assignments),
};

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
