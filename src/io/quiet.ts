import type {Env} from '../env.js';
import {quietIn} from '../contract.js';

/**
 * AWSMFA_QUIET=1 turns awsmfa's informational lines off, as --quiet does: the served session, the "asking STS"
 * line, what clear and logout removed. Prompts, warnings and errors still show. The value is the contract's (the
 * shells' `mfa` checks the same one with builtins); read by the full CLI and by the fast path.
 */
export function quietEnv(env: Env): boolean {
  return quietIn(env);
}
