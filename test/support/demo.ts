/**
 * `npm run demo`: the main job end to end with no AWS account. Starts the STS stand-in, writes a throwaway
 * profile into a temporary HOME, runs the real `awsmfa env` and shows a shell that evaluated its lines.
 */
import {spawnSync} from 'node:child_process';
import {BIN, runAwsmfa} from './run.js';
import {makeSandbox} from './sandbox.js';
import {ALICE, StsServer} from './sts-server.js';
import {runScript} from './shells.js';

const sts = await new StsServer().start();
const sandbox = makeSandbox({endpoint: sts.url});
const say = (text: string) => process.stdout.write(`${text}\n`);
const indent = (text: string) => text.trimEnd().split(`\n`).map(line => `    ${line}`).join(`\n`);

try {
  say(`STS stand-in listening at ${sts.url} (it accepts code ${sts.code}, once)`);
  say(`A throwaway HOME: ${sandbox.home}`);
  say(`  ~/.aws/credentials: [default] aws_access_key_id = ${ALICE.accessKeyId}, aws_secret_access_key = …`);
  say(`  ~/.aws/config:      [default] mfa_serial = ${ALICE.serialNumber}`);
  say(`  AWS_ENDPOINT_URL_STS=${sts.url}\n`);

  say(`$ awsmfa env --shell bash --code ${sts.code}`);
  const env = await runAwsmfa([`env`, `--shell`, `bash`, `--code`, sts.code], sandbox.env);
  say(indent(env.stdout));
  say(`    (stderr) ${env.stderr.trim()}   exit ${env.exitCode}`);
  const signed = sts.sessionRequests.at(-1);
  say(`    the stand-in saw GetSessionToken signed by ${signed?.accessKeyId} (signature ${signed?.signatureValid ? `valid` : `INVALID`}), code ${signed?.params.TokenCode}\n`);

  const shell = spawnSync(`sh`, [`-c`, `command -v bash`]).status === 0 ? `bash` : `sh`;
  say(`$ ${shell}: eval "$(awsmfa env ...)"; then eval "$(awsmfa unset)"`);
  sts.allowReuse = true;
  const script = [
    `eval "$(${process.execPath} ${BIN} env --shell sh --code ${sts.code} 2>/dev/null)"`,
    `echo "AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID"`,
    `echo "AWS_SESSION_TOKEN=$(printf %.12s "$AWS_SESSION_TOKEN")… (\${#AWS_SESSION_TOKEN} characters)"`,
    `echo "AWS_CREDENTIAL_EXPIRATION=$AWS_CREDENTIAL_EXPIRATION"`,
    `eval "$(${process.execPath} ${BIN} unset --shell sh)"`,
    `echo "after unset: AWS_ACCESS_KEY_ID=\${AWS_ACCESS_KEY_ID-<unset>}"`,
  ].join(`\n`);
  const result = await runScript(shell, script, sandbox.env);
  say(indent(result.stdout + result.stderr));
  sts.allowReuse = false;

  say(`\n$ ${shell}: a new terminal, with the rc line eval "$(awsmfa init bash)": mfa, no code (the cached session)`);
  const requestsBefore = sts.sessionRequests.length;
  const again = await runScript(shell, [
    `awsmfa() { ${process.execPath} ${BIN} "$@"; }`, // as if on PATH
    `eval "$(awsmfa init bash 2>/dev/null)"`,
    `mfa && echo "AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID"`,
    `awsmfa status`,
  ].join(`\n`), sandbox.env);
  say(indent(again.stdout + again.stderr));
  say(`    requests the stand-in saw meanwhile: ${sts.sessionRequests.length - requestsBefore}`);

  say(`\n$ two role profiles of the same source, admin and readonly: no new code, the MFA session assumes both`);
  sts.roles = [`arn:aws:iam::123456789012:role/Admin`, `arn:aws:iam::123456789012:role/ReadOnly`];
  sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n[profile admin]\nrole_arn = ${sts.roles[0]}\nsource_profile = default\n[profile readonly]\nrole_arn = ${sts.roles[1]}\nsource_profile = default\n`);
  const rolesBefore = sts.sessionRequests.length;
  for (const profile of [`admin`, `readonly`]) {
    const role = await runAwsmfa([`env`, `--shell`, `bash`, `--profile`, profile], sandbox.env);
    say(`    awsmfa env --profile ${profile}: exit ${role.exitCode}; ${role.stderr.trim()}`);
  }
  say(`    the stand-in saw: ${sts.sessionRequests.slice(rolesBefore).map(request => `${request.action} ${request.params.RoleArn} signed by ${request.accessKeyId} (the MFA session), code ${request.params.TokenCode ?? `none`}`).join(`; `)}`);

  say(`\n$ awsmfa env --code 000000        # a wrong code: one line on stderr; stdout only a statement that fails (set -e stops)`);
  const wrong = await runAwsmfa([`env`, `--code`, `000000`], sandbox.env);
  say(`    stdout: ${JSON.stringify(wrong.stdout)}`);
  say(`    stderr: ${wrong.stderr.trim()}`);
  say(`    exit ${wrong.exitCode}`);
} finally {
  await sts.close();
  sandbox.cleanup();
}
