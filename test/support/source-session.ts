/**
 * One process that obtains a profile's session from its token source (aws login, Identity Center) with awsmfa's own
 * code, and prints it as one JSON line ({ok, accessKeyId, …} or {ok: false, error}): for tests that need several
 * processes at once before the commands themselves take these profiles.
 * Usage: node --import tsx test/support/source-session.ts PROFILE
 */
import {AwsFiles} from '../../src/aws-files/files.js';
import {isLoginProfile, loginSource, ssoSource} from '../../src/aws-files/token-sources.js';
import {loginSession} from '../../src/sources/login.js';
import {ssoSession} from '../../src/sources/sso.js';

const profile = process.argv[2]!;
const env = process.env;
const options = {env, now: () => new Date(), minRemainingMs: 5 * 60_000, timeoutMs: 30_000, log: () => {}, warn: (message: string) => process.stderr.write(`awsmfa: ${message}\n`)};
try {
  const files = AwsFiles.load(env);
  const session = isLoginProfile(files, profile) ? await loginSession(loginSource(files, profile, env), options) : await ssoSession(ssoSource(files, profile, env), options);
  process.stdout.write(`${JSON.stringify({ok: true, ...session.credentials, accountId: session.accountId, fresh: session.fresh})}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ok: false, error: (error as Error).message})}\n`);
  process.exitCode = 1;
}
