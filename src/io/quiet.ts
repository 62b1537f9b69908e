import type {Env} from '../env.js';

/**
 * AWSMFA_QUIET=1 (any value but empty and 0) turns awsmfa's informational lines off, as --quiet does: the served
 * session, the "asking STS" line, what clear and logout removed. Prompts, warnings and errors still show. Read by
 * the full CLI and by the fast path (a bundled function, no module loaded at run time).
 */
export function quietEnv(env: Env): boolean {
  const value = env.AWSMFA_QUIET;
  return value !== undefined && value !== `` && value !== `0`;
}
