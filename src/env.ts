/** The environment a command sees (the context's `env`): read here, never from process.env. */
export type Env = Record<string, string | undefined>;

/** A variable's value, with an empty one taken as absent (an empty AWS_PROFILE means no profile). */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === `` ? undefined : value;
}

/**
 * Every variable an AWS SDK or tool takes credentials from: the standard names and boto2's AWS_SECURITY_TOKEN;
 * AWS_ACCESS_KEY and AWS_SECRET_KEY of the Java SDK v1, the Go SDK v1 and the Ruby SDK; AMAZON_* of the Ruby SDK
 * and the JavaScript SDK v2; EC2_* of the EC2 API tools. What awsmfa starts gets none of them (`exec` then sets
 * the session under the standard names), so no long-term key reaches it under a name it might read.
 */
export const CREDENTIAL_VARIABLES = [
  `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_SECURITY_TOKEN`,
  `AWS_ACCESS_KEY`, `AWS_SECRET_KEY`,
  `AMAZON_ACCESS_KEY_ID`, `AMAZON_SECRET_ACCESS_KEY`, `AMAZON_SESSION_TOKEN`,
  `EC2_ACCESS_KEY`, `EC2_SECRET_KEY`,
] as const;

/** What awsmfa set in its own environment for a library (setOwnVariable): awsmfa's, never a child's. */
const ownVariables = new Set<string>();

/**
 * Sets a variable in awsmfa's own environment for a library that reads it there (the SDK's notice about Node
 * versions), unless the user set it: one of the user's stays as it is, and goes to children as theirs.
 */
export function setOwnVariable(name: string, value: string): void {
  if (process.env[name] !== undefined)
    return;
  process.env[name] = value;
  ownVariables.add(name);
}

/**
 * The one place that builds the environment of anything awsmfa starts (exec's command, mfa_process, a browser
 * opener, ps): `env` without any credential variable and without what awsmfa set for itself. Callers add what
 * the child is meant to get (exec: the session, or the server's URL and token).
 */
export function childEnvironment(env: Env): Record<string, string | undefined> {
  const copy = {...env};
  for (const name of [...CREDENTIAL_VARIABLES, ...ownVariables])
    delete copy[name];
  return copy;
}
