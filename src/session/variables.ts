import {sessionAssignments, type SessionCredentials} from '../aws/credentials.js';
import {envValue, type Env} from '../env.js';
import type {SessionRequest} from '../request.js';
import type {Assignment, Dialect} from '../dialects/index.js';
import {HIDDEN_FILE, REGION_MARK, REGION_VARIABLES, SERVER, SESSION_VARIABLES, SET_ASIDE} from '../contract.js';

/** Whether the shell's AWS_REGION is the one awsmfa exported (and so awsmfa's to replace or remove). */
function regionIsOurs(env: Env): boolean {
  const mark = envValue(env, REGION_MARK);
  return mark !== undefined && env.AWS_REGION === mark;
}

/** What a shell (or a command's environment) must change to hold a session: variables to remove, then to set. */
export interface SessionChanges {
  readonly unset: string[];
  readonly set: Assignment[];
  /** The profile variables set aside (SET_ASIDE), for the line that says so. */
  readonly setAside?: string[];
}

export interface RegionChoice {
  /** --no-region: leave the region variables alone. */
  readonly exportRegion: boolean;
  /** --region given: it replaces even a region the user set. */
  readonly regionGiven: boolean;
}

/**
 * The changes for a session, seen from the calling shell's environment: the profile variables that are set go
 * (the JS SDK would prefer them to the session), their values kept aside (SET_ASIDE) for `unset` to put back; the
 * region the profile names is exported with a mark, unless the user has an AWS_REGION of their own (only --region
 * replaces that); a region awsmfa exported for an earlier session, which this one does not name, goes.
 */
export function sessionChanges(credentials: SessionCredentials, request: Pick<SessionRequest, `profile` | `configuredRegion`>, env: Env, choice: RegionChoice): SessionChanges {
  // Only those that are set: fish keeps the failure of removing an unset variable in $status after later lines.
  const setAside = SET_ASIDE.filter(([name]) => env[name] !== undefined);
  const unset: string[] = setAside.map(([name]) => name);
  const set: Assignment[] = sessionAssignments(credentials, request.profile);
  if (choice.exportRegion) {
    const region = request.configuredRegion;
    const usersOwn = env.AWS_REGION !== undefined && !regionIsOurs(env) && !choice.regionGiven;
    if (region !== undefined && !usersOwn)
      set.push([`AWS_REGION`, region], [`AWS_DEFAULT_REGION`, region], [REGION_MARK, region]);
    else if (region === undefined && regionIsOurs(env))
      unset.push(...REGION_VARIABLES, REGION_MARK);
  }
  // Kept after the session's own (an empty one is only removed: there is nothing to put back).
  for (const [name, keep] of setAside.filter(([name]) => env[name] !== ``))
    set.push([keep, env[name]!]);
  return {unset, set, setAside: setAside.map(([name]) => name)};
}

/**
 * What `unset` removes: the session's variables, the region only when awsmfa exported it, and what `serve` set:
 * the server's URL and token while its pid marks them, and a file variable that holds the contract's HIDDEN_FILE
 * (serve hides only one the shell had not set, so removing it gives the shell its file back).
 */
export function unsetNames(env: Env): string[] {
  return [
    ...SESSION_VARIABLES,
    ...regionIsOurs(env) ? [...REGION_VARIABLES, REGION_MARK] : env[REGION_MARK] === undefined ? [] : [REGION_MARK],
    ...env[SERVER.pid] === undefined ? [] : [...SERVER.variables, SERVER.pid],
    ...HIDDEN_FILE.variables.filter(name => env[name] === HIDDEN_FILE.value),
  ];
}

/**
 * What `unset` changes: unsetNames removed, and each profile variable a session set aside put back from where it
 * was kept (unless the shell has set it again since), that place removed.
 */
export function unsetChanges(env: Env): Pick<SessionChanges, `set` | `unset`> {
  const kept = SET_ASIDE.filter(([, keep]) => env[keep] !== undefined);
  return {
    unset: [...unsetNames(env), ...kept.map(([, keep]) => keep)],
    set: kept.filter(([name, keep]) => env[name] === undefined && env[keep] !== ``).map(([name, keep]) => [name, env[keep]!]),
  };
}

/**
 * What `unset` prints in a dialect: unsetChanges as its lines. A format (dotenv, env-file, json) cannot unset, and its
 * unset refuses whatever there is to put back.
 */
export function unsetText(dialect: Pick<Dialect, `unset` | `session`>, env: Env): string {
  const changes = unsetChanges(env);
  const removal = dialect.unset(changes.unset);
  return changes.set.length === 0 ? removal : dialect.session(changes.set, changes.unset);
}
