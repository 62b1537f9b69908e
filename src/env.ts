/** The environment a command sees (the context's `env`): read here, never from process.env. */
export type Env = Record<string, string | undefined>;

/** A variable's value, with an empty one taken as absent (an empty AWS_PROFILE means no profile). */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === `` ? undefined : value;
}
