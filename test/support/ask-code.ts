/**
 * Asks for an MFA code exactly as awsmfa does when none is given (src/session/mfa-code.ts obtainCode -> src/io/prompt.ts), for a
 * device serial given as argv[2], which the CLI itself would refuse: it shows what the question does with a value
 * a hostile IAM or config could hold. Prints the code taken on stdout. Run on a terminal: node --import tsx ask-code.ts SERIAL
 */
import {obtainCode} from '../../src/session/mfa-code.js';
import type {SessionRequest} from '../../src/request.js';

// Only what a question uses: the rest of a request plays no part in asking (and grows as awsmfa does).
const request: Partial<SessionRequest> = {
  profile: `default`,
  source: {accessKeyId: `AKIAEXAMPLE`, secretAccessKey: `not-used`, origin: `the test`},
  serialNumber: process.argv[2]!,
  durationSeconds: undefined,
  region: `eu-west-1`,
  endpoint: undefined,
  mfaProcess: undefined,
  mfaProcessName: `mfa_process`,
  configuredRegion: undefined,
  roleArn: undefined,
  roles: [],
  direct: false,
};
process.stdout.write(await obtainCode(request as SessionRequest, undefined, {platform: process.platform, env: process.env}));
