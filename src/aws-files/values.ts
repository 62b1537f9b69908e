import {ConfigError} from '../errors.js';
import {envValue, type Env} from '../env.js';
import {inlineCommentHint, type ValueRule} from '../rules.js';
import {quoted} from '../terminal.js';

/** A value found somewhere, and where: `--region`, `AWS_REGION`, `region of profile 'work' in ~/.aws/config`. */
export interface Found {
  readonly value: string;
  readonly origin: string;
}

/** The first value found, checked against its rule; the message names where the bad value came from. */
export function firstValid(rule: ValueRule, ...candidates: Array<Found | undefined>): string | undefined {
  return firstValidFound(rule, ...candidates)?.value;
}

/** The same, with where it was found. */
export function firstValidFound(rule: ValueRule, ...candidates: Array<Found | undefined>): Found | undefined {
  const found = candidates.find(candidate => candidate !== undefined);
  if (found === undefined)
    return undefined;
  if (!rule.test(found.value))
    throw new ConfigError(`${found.origin} is ${quoted(found.value)}, not ${rule.what}${inlineCommentHint(found.value)}`);
  return found;
}

/** A command line option's value, as a Found. */
export const option = (name: string, value: string | undefined): Found | undefined => value === undefined ? undefined : {value, origin: name};

/** An environment variable's value (an empty one is none), as a Found. */
export const variable = (env: Env, name: string): Found | undefined => option(name, envValue(env, name));
