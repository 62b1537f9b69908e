import {isQuiet, MARGIN_TEXT, SERVER, setAsideNote} from '../contract.js';
import {fstatSync, writeSync} from 'node:fs';
import {AwsFiles} from '../aws-files/files.js';
import {type Env} from '../env.js';
import {checkEnvironment, profileName, resolveRequest} from '../aws-files/resolve.js';
import {ALL_VARIABLES, checkVariables, RULES} from '../rules.js';
import {DIALECT_NAMES, findDialect, SHELL_NAMES} from '../dialects/index.js';
import {detectShell} from '../dialects/detect.js';
import {servedNote, SessionCache, sessionKey} from '../cache/session-cache.js';
import {keysFromEnvironment} from '../request.js';
import {readIndex, stampFiles, writeIndex} from '../cache/profile-index.js';
import {sessionChanges, unsetText} from '../session/variables.js';
import {cachedSessionLine, parseSpan} from '../time.js';

type FastOption = `shell` | `mfaShell` | `profile` | `minRemaining`;

/** What the fast path understands: `env` with only these options (`unset` with only --shell), and their values. */
export const FAST_OPTIONS: Record<string, FastOption> = {
  '--shell': `shell`,
  '-s': `shell`,
  '--mfa-shell': `mfaShell`,
  '--profile': `profile`,
  '-p': `profile`,
  '--min-remaining': `minRemaining`,
};

function parseFastArgs(argv: readonly string[]): Partial<Record<FastOption | `quiet`, string>> | undefined {
  if (argv[0] !== `env` && argv[0] !== `unset` && argv[0] !== `credential-process`)
    return undefined;
  const options: Partial<Record<FastOption | `quiet`, string>> = {};
  for (let index = 1; index < argv.length; index++) {
    // The one switch: --quiet (or -q), once.
    if ((argv[index] === `--quiet` || argv[index] === `-q`) && options.quiet === undefined) {
      options.quiet = `1`;
      continue;
    }
    const [name, inline] = argv[index]!.startsWith(`--`) && argv[index]!.includes(`=`)
      ? [argv[index]!.slice(0, argv[index]!.indexOf(`=`)), argv[index]!.slice(argv[index]!.indexOf(`=`) + 1)]
      : [argv[index]!, undefined];
    const key = FAST_OPTIONS[name];
    if ((argv[0] === `unset` && key !== `shell`) || (argv[0] === `credential-process` && (key === `shell` || key === `mfaShell`)))
      return undefined;
    const value = inline ?? argv[++index];
    // An option given twice, or a value that looks like an option: the full CLI refuses those properly.
    if (key === undefined || value === undefined || value.startsWith(`-`) || options[key] !== undefined)
      return undefined;
    options[key] = value;
  }
  // mfa's own dialect and --shell together are refused by the full CLI.
  if (options.mfaShell !== undefined && options.shell !== undefined)
    return undefined;
  return options;
}

/**
 * The path every new terminal takes: `awsmfa env [--shell S] [--profile P]` answered from a valid cached
 * session (and the plain `awsmfa unset [--shell S]`), without loading clipanion, the AWS SDK or Node's stdio
 * streams (together they would double the start-up time). It prints and answers true only when it is sure;
 * anything else (another option, no cached session, any error) answers false and the full CLI handles the call,
 * errors included, exactly as it would.
 */
export async function fastPath(argv: readonly string[], env: Env, ppid: number, platform: NodeJS.Platform): Promise<boolean> {
  let text: string;
  // The line that says a cached session was served, on stderr once stdout has the session.
  let served: string | undefined;
  try {
    const options = parseFastArgs(argv);
    if (!options)
      return false;
    // Exactly what the full CLI accepts; anything else goes there to be refused properly.
    const named = options.mfaShell ?? options.shell;
    if (named !== undefined && !(options.mfaShell === undefined ? DIALECT_NAMES : SHELL_NAMES as readonly string[]).includes(named))
      return false;
    // Every value checked as the full CLI checks it, before the cache is read: a bad one goes there to be refused.
    if (options.profile !== undefined && !RULES.profile.test(options.profile))
      return false;
    if (options.minRemaining !== undefined && !RULES.minRemaining.test(options.minRemaining))
      return false;
    if (argv[0] !== `unset`)
      checkVariables(env, ALL_VARIABLES);
    const minRemainingMs = parseSpan(options.minRemaining ?? MARGIN_TEXT);
    // credential-process speaks the credential_process JSON, whoever started it.
    const dialect = findDialect(argv[0] === `credential-process` ? `json` : named ?? (await detectShell(env, ppid, platform)).shell);
    if (minRemainingMs === undefined || !dialect)
      return false;
    // `env` at a prompt, no dialect named: the full CLI says how to use it instead of showing secrets. A character
    // device is a terminal or /dev/null; telling them apart would load node:tty (10 ms), and /dev/null is rare here.
    if (argv[0] === `env` && named === undefined && fstatSync(1).isCharacterDevice())
      return false;
    if (argv[0] === `unset`) {
      // A shell that `serve` pointed at its server: the full CLI also says whether that server still runs.
      if (env[SERVER.pid] !== undefined)
        return false;
      text = unsetText(dialect, env);
    } else {
      // What resolving would check of the environment, since the index skips resolving: a bad value goes to the
      // full CLI, which says so.
      checkEnvironment(env);
      const profile = profileName({profile: options.profile}, env);
      let request = readIndex(env, profile);
      let fromEnvironment = false;
      if (request === undefined) {
        // No index, or the AWS files changed since: parse them (stamped first), and index what they say.
        const stamps = stampFiles(env);
        const resolved = resolveRequest(AwsFiles.load(env), {profile: options.profile}, env, () => {});
        fromEnvironment = keysFromEnvironment(resolved.source);
        request = {profile: resolved.profile, key: sessionKey(resolved), configuredRegion: resolved.configuredRegion, stamps};
        // Keys only in the environment depend on more than the files: never indexed.
        if (!fromEnvironment)
          writeIndex(env, request, stamps);
      }
      // Keys only in the environment: the full CLI refuses to replace them, and says why (env only).
      if (fromEnvironment && argv[0] === `env`)
        return false;
      // The options understood here change nothing of the session: it is the profile's own unless the keys are
      // only in the environment.
      const credentials = new SessionCache(env, () => new Date()).serve(request, {minRemainingMs, stamps: request.stamps, plain: !fromEnvironment});
      if (!credentials)
        return false;
      const changes = sessionChanges(credentials, request, env, {exportRegion: true, regionGiven: false});
      text = dialect.session(changes.set, changes.unset);
      // What awsmfa says of a served session (not for credential_process: every AWS call would print it): mfa's
      // own short line (the one the shells print when they serve it without Node), else the full CLI's.
      if (argv[0] === `env` && !isQuiet(options.quiet !== undefined, env)) {
        const now = new Date();
        served = options.mfaShell !== undefined
          ? servedNote(request.profile, credentials.expiration, now, changes.setAside)
          : `awsmfa: ${cachedSessionLine(request.profile, credentials.expiration, now)}${setAsideNote(changes.setAside ?? [])}\n`;
      }
    }
  } catch {
    return false;
  }
  // Past this point the answer is ours: falling back now could print it twice.
  if (!writeAll(text))
    process.exitCode = 1;
  else if (served !== undefined)
    writeAll(served, 2);
  return true;
}

/**
 * Writes to fd 1 (or 2) directly: creating process.stdout costs more than the rest of this path. A pipe left
 * non-blocking by someone else is waited for; a closed one (the reader went away) ends the write.
 */
function writeAll(text: string, fd = 1): boolean {
  const bytes = Buffer.from(text, `utf8`);
  for (let offset = 0; offset < bytes.length;) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== `EAGAIN`)
        return false;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  return true;
}
