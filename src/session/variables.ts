import {PROFILE_VARIABLES, sessionAssignments, type SessionCredentials} from '../aws/credentials.js';
import {envValue, type Env} from '../env.js';
import type {SessionRequest} from '../request.js';
import type {Assignment} from '../dialects/index.js';
import {REGION_MARK, REGION_VARIABLES, SESSION_VARIABLES} from '../contract.js';

/** Whether the shell's AWS_REGION is the one awsmfa exported (and so awsmfa's to replace or remove). */
function regionIsOurs(env: Env): boolean {
  const mark = envValue(env, REGION_MARK);
  return mark !== undefined && env.AWS_REGION === mark;
}

/** What a shell (or a command's environment) must change to hold a session: variables to remove, then to set. */
export interface SessionChanges {
  readonly unset: string[];
  readonly set: Assignment[];
}

export interface RegionChoice {
  /** --no-region: leave the region variables alone. */
  readonly exportRegion: boolean;
  /** --region given: it replaces even a region the user set. */
  readonly regionGiven: boolean;
}

/**
 * The changes for a session, seen from the calling shell's environment: the profile variables that are set go
 * (the JS SDK would prefer them to the session); the region the profile names is exported with a mark, unless the
 * user has an AWS_REGION of their own (only --region replaces that); a region awsmfa exported for an earlier
 * session, which this one does not name, goes.
 */
export function sessionChanges(credentials: SessionCredentials, request: Pick<SessionRequest, `profile` | `configuredRegion`>, env: Env, choice: RegionChoice): SessionChanges {
  // Only those that are set: fish keeps the failure of removing an unset variable in $status after later lines.
  const unset: string[] = PROFILE_VARIABLES.filter(name => env[name] !== undefined);
  const set: Assignment[] = sessionAssignments(credentials, request.profile);
  if (choice.exportRegion) {
    const region = request.configuredRegion;
    const usersOwn = env.AWS_REGION !== undefined && !regionIsOurs(env) && !choice.regionGiven;
    if (region !== undefined && !usersOwn)
      set.push([`AWS_REGION`, region], [`AWS_DEFAULT_REGION`, region], [REGION_MARK, region]);
    else if (region === undefined && regionIsOurs(env))
      unset.push(...REGION_VARIABLES, REGION_MARK);
  }
  return {unset, set};
}

/** What `unset` removes: the session's variables, and the region only when awsmfa exported it. */
export function unsetNames(env: Env): string[] {
  return [...SESSION_VARIABLES, ...regionIsOurs(env) ? [...REGION_VARIABLES, REGION_MARK] : env[REGION_MARK] === undefined ? [] : [REGION_MARK]];
}
