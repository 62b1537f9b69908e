import {ConfigError} from './errors.js';
import {CODE_PATTERN, promptCode} from './prompt.js';
import type {SessionRequest} from './aws/request.js';

/** Checks a code given on the command line; codes stay strings, as `012345` is a code. */
export function checkCode(code: string): string {
  if (!CODE_PATTERN.test(code))
    throw new ConfigError(`an MFA code is 6 digits, like 123456 (got ${code.length} character${code.length === 1 ? `` : `s`})`);
  return code;
}

/** The code given, else the output of the profile's `mfa_process`, else one typed at the terminal. */
export async function obtainCode(request: SessionRequest, given: string | undefined, stderr: NodeJS.WritableStream, platform: NodeJS.Platform): Promise<string> {
  if (given !== undefined)
    return checkCode(given);
  if (request.mfaProcess !== undefined) {
    // Loaded only here: node:child_process costs every start a few milliseconds.
    const {execSync} = await import(`node:child_process`);
    let output: string;
    try {
      output = execSync(request.mfaProcess, {encoding: `utf8`, stdio: [`inherit`, `pipe`, `inherit`], timeout: 120_000});
    } catch (error) {
      throw new ConfigError(`mfa_process of profile '${request.profile}' failed (${(error as {status?: number}).status ?? `killed`}): ${request.mfaProcess}`);
    }
    const code = output.trim();
    if (!CODE_PATTERN.test(code))
      throw new ConfigError(`mfa_process of profile '${request.profile}' printed no 6-digit code: ${request.mfaProcess}`);
    return code;
  }
  return await promptCode(`MFA code for ${request.serialNumber}: `, stderr, platform);
}
