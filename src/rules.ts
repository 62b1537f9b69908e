/**
 * What each value awsmfa takes from the command line, the environment or the AWS files must look like, in one
 * place: the options' validators and the checks of values read from files use the same rules and say the same
 * thing about them ("expected <what>").
 */

import {ConfigError} from './errors.js';
import {envValue, type Env} from './env.js';
import {quoted} from './terminal.js';
import {parseSpan} from './time.js';

export interface ValueRule {
  /** What the value must be, for messages: "whole seconds from 900 to 129600". */
  readonly what: string;
  readonly test: (value: string) => boolean;
  /** Never echo the value in a message (an MFA code is short-lived, but still nobody's business). */
  readonly secret?: boolean;
}

export const MIN_DURATION = 900;
export const MAX_DURATION = 129600;

/** The STS API's own constraint on SerialNumber: an MFA device ARN, or a hardware token's serial. */
export const SERIAL_PATTERN = /^[\w+=/:,.@-]{9,256}$/;

/** C0 and C1 control characters and DEL: never part of a value awsmfa prints, writes or accepts as a name. */
export const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === `http:` || url.protocol === `https:`) && url.hostname !== `` && !CONTROL.test(value);
  } catch {
    return false;
  }
}

/** This machine, as a URL's host names it (the WHATWG parser has normalized 127.1 and 0x7f.0.0.1 already). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, `$1`).toLowerCase();
  return host === `localhost` || host === `::1` || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * An endpoint that receives secrets in the clear, not only a signature: STS and IAM (a session token in a header,
 * an MFA code in the body, a new session's or key's secret in the answer) and the console's federation endpoint
 * (the session's secret key in the query). https://, or plain http:// only to this machine (a stand-in, moto,
 * localstack on the same host): checked where the value is read, before any connection.
 */
function isSecretEndpoint(value: string): boolean {
  // The last answer kept: resolving every profile (`awsmfa profiles`) checks the same AWS_ENDPOINT_URL each time,
  // and a URL parse is the dearest test of all.
  if (value === lastEndpoint.value)
    return lastEndpoint.secret;
  const url = isHttpUrl(value) ? new URL(value) : undefined;
  const secret = url !== undefined && (url.protocol === `https:` || isLoopbackHost(url.hostname));
  lastEndpoint = {value, secret};
  return secret;
}

let lastEndpoint = {value: undefined as string | undefined, secret: false};

/**
 * The code in what a person typed or a program printed: six digits, or the two groups of three that authenticator
 * apps show (`123 456`, one space between); undefined for anything else.
 */
export function codeOf(text: string): string | undefined {
  const match = /^([0-9]{3}) ?([0-9]{3})$/.exec(text);
  return match === null ? undefined : `${match[1]}${match[2]}`;
}

/** Half of a code as an authenticator app shows it (`123` of `123 456`). */
export const HALF_CODE = /^[0-9]{3}$/;

export const RULES = {
  code: {what: `6 digits 0-9, like 123456`, test: value => /^[0-9]{6}$/.test(value), secret: true},
  profile: {
    what: `a profile name (not empty, no control characters)`,
    test: value => value !== `` && !CONTROL.test(value),
  },
  serialNumber: {
    what: `an MFA device ARN like arn:aws:iam::123456789012:mfa/alice, or a hardware token's serial`,
    test: value => SERIAL_PATTERN.test(value),
  },
  // --duration-seconds takes a time as --timeout does (12h, 90m, 3600); the profile's duration_seconds is botocore's
  // setting, whole seconds, which is all the AWS CLI reads there.
  duration: {
    what: `a time from 15m to 36h, like 12h, 90m or 3600 (seconds)`,
    test: value => {
      const ms = parseSpan(value);
      return ms !== undefined && ms >= MIN_DURATION * 1000 && ms <= MAX_DURATION * 1000;
    },
  },
  durationSetting: {
    what: `whole seconds from ${MIN_DURATION} to ${MAX_DURATION}`,
    test: value => /^[0-9]{1,6}$/.test(value) && Number(value) >= MIN_DURATION && Number(value) <= MAX_DURATION,
  },
  // Partition prefixes vary (us-gov-west-1, eu-isoe-west-1, and STS's own aws-global): lower-case words and dashes.
  region: {what: `a region name like eu-west-1`, test: value => /^[a-z0-9]+(-[a-z0-9]+)+$/.test(value)},
  endpoint: {what: `an https:// URL like https://sts.eu-west-1.amazonaws.com (plain http:// only to this machine: 127.0.0.1, [::1] or localhost, as secrets go there in the clear)`, test: isSecretEndpoint},
  // A page the browser is sent to (console --destination): no secret of awsmfa's goes there.
  page: {what: `an http:// or https:// URL, like https://console.aws.amazon.com/s3/home`, test: isHttpUrl},
  roleArn: {
    what: `a role ARN like arn:aws:iam::123456789012:role/Admin`,
    test: value => /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/.test(value),
  },
  roleSessionName: {what: `2 to 64 letters, digits or + = , . @ - _`, test: value => /^[\w+=,.@-]{2,64}$/.test(value)},
  // STS's own constraint on ExternalId.
  externalId: {what: `2 to 1224 letters, digits or + = , . @ : / - _`, test: value => /^[\w+=,.@:/-]{2,1224}$/.test(value)},
  // A margin with its unit: a bare `10` could mean minutes as well as seconds, and 10 seconds would serve a session
  // about to end.
  minRemaining: {what: `a time with its unit, like 300s, 5m or 1h`, test: value => /^\d+[smh]$/.test(value)},
  codeCommand: {what: `the command that prints the code (leave --code-command out to type the code)`, test: value => value.trim() !== `` && !value.includes(`\0`)},
  timeout: {
    what: `a time from 1s to 10m, like 30, 30s or 2m`,
    test: value => {
      const ms = parseSpan(value);
      return ms !== undefined && ms >= 1000 && ms <= 600_000;
    },
  },
} satisfies Record<string, ValueRule>;

/**
 * awsmfa's own variables that take a value, each with its rule: checked as the options are, before anything is
 * served (see checkVariables). The others are not values a person sets this way: AWSMFA_QUIET is a switch (only `1`
 * turns it on); AWSMFA_CACHE_DIR a folder and AWSMFA_PASSPHRASE_FILE a file, each checked where it is opened;
 * AWSMFA_PROFILE, AWSMFA_REGION, AWSMFA_SERVER_PID and the set-aside AWSMFA_AWS_* are awsmfa's own marks in a shell
 * (one that does not look like awsmfa's is no mark); AWSMFA_TEST_* are the tests' hooks.
 */
export const VARIABLES = {
  AWSMFA_TIMEOUT: RULES.timeout,
  AWSMFA_MFA_PROCESS_TIMEOUT: RULES.timeout,
  AWSMFA_PROMPT_TIMEOUT: RULES.timeout,
  // How long awsmfa waits for another awsmfa that holds a lock (a file of ~/.aws, keys.age, a token being refreshed).
  AWSMFA_LOCK_TIMEOUT_MS: {what: `whole milliseconds from 0 to 600000, like 15000`, test: value => /^[0-9]{1,6}$/.test(value) && Number(value) <= 600_000},
} satisfies Record<string, ValueRule>;

export type Variable = keyof typeof VARIABLES;

/** Every one of them: what a command that obtains a session reads (the STS budget, mfa_process, the prompt, locks). */
export const ALL_VARIABLES = Object.keys(VARIABLES) as Variable[];

/**
 * What every command checks before it runs, whatever else it reads: any of them may wait for a lock (an update of
 * the AWS files, of keys.age, of a token), and a bad wait would be NaN, a wait that never ends.
 */
export const COMMON_VARIABLES: readonly Variable[] = [`AWSMFA_LOCK_TIMEOUT_MS`];

/** The variable's value, checked against its rule (an empty one is unset); a bad one is a ConfigError naming it. */
export function variableValue(env: Env, name: Variable): string | undefined {
  const value = envValue(env, name);
  if (value !== undefined && !VARIABLES[name].test(value))
    throw new ConfigError(`${name} is ${quoted(value)}, not ${VARIABLES[name].what}`);
  return value;
}

/** How long to wait for a lock another process holds: AWSMFA_LOCK_TIMEOUT_MS (checked), else `otherwise`. */
export function lockWaitMs(env: Env, otherwise: number): number {
  const value = variableValue(env, `AWSMFA_LOCK_TIMEOUT_MS`);
  return value === undefined ? otherwise : Number(value);
}

/**
 * Checks the variables a command reads, all of them before it does anything: a bad value is refused whatever the
 * cache holds, not only when the command comes to read it. The full CLI (base-command.ts) and the fast path call it.
 */
export function checkVariables(env: Env, names: readonly Variable[]): void {
  for (const name of names)
    variableValue(env, name);
}

/** `(got "x")`, or for a secret only its length, for the end of a message. */
export function describeGot(rule: ValueRule, value: string): string {
  if (rule.secret)
    return `(got ${value.length} character${value.length === 1 ? `` : `s`}${/[^0-9]/.test(value) ? `, not all of them 0-9` : ``})`;
  return `(got ${quoted(value)})`;
}

/** A hint for values copied from an example with a comment after them: the AWS files have no inline comments. */
export function inlineCommentHint(value: string): string {
  return /\s[#;]/.test(value) ? `; the AWS files have no comments after a value, so put the comment on a line of its own` : ``;
}
