/**
 * `eval "$(awsmfa serve --profile admin &)"` in a real bash whose AWS files would otherwise win (issue 26 item 1):
 * the SDK chains read the shared files' default profile before the container endpoint, so awsmfa decides, with
 * the reader botocore-exact resolution uses, what the shell must not see, and the real clients are asked who they
 * are: the AWS CLI v2, boto3 and the JS SDK's default chain, each signing GetCallerIdentity at the STS stand-in
 * (which knows which key signed). mfa-unset and `awsmfa unset` give the shell its files back; status tells a server
 * that is gone.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, test} from 'node:test';
import {assertFails, ROOT, runAwsmfa, spawnAndCollect} from './support/run.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ADMIN_ROLE, ALICE} from './support/sts-server.js';
import {AwsFiles} from '../src/aws-files/files.js';
import {aheadOfServer, serverFirst} from '../src/session/principal.js';

useStandIn();

const WHO_PY = fileURLToPath(new URL(`./support/who-am-i.py`, import.meta.url));
const WHO_MJS = fileURLToPath(new URL(`./support/who-am-i.mjs`, import.meta.url));
const ROLE_ARN = `arn:aws:sts::123456789012:assumed-role/Admin/awsmfa-alice`;
const HIDDEN = `/dev/null/hidden-by-awsmfa`;

const hasBoto3 = spawnSync(`python3`, [`-c`, `import boto3`]).status === 0;
const hasCli = spawnSync(`/usr/bin/aws`, [`--version`]).status === 0;
const missing = [hasBoto3 ? `` : `boto3 (pip install boto3)`, hasCli ? `` : `the AWS CLI v2 at /usr/bin/aws`].filter(Boolean).join(` and `);
const skipClients = missing !== `` && process.env.CI !== `true` ? `needs ${missing}` : false;

const ADMIN_PROFILE = `[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\nregion = eu-west-1\n`;

/**
 * Bash lines that ask the three clients who they are, each printing one JSON line tagged with `step`. The AWS CLI
 * by its full path (/usr/bin/aws: a v1 may come first on PATH), its answer made JSON by node.
 */
function who(step: string): string {
  return `echo "== ${step}"
out=$(/usr/bin/aws sts get-caller-identity --endpoint-url "$STS" --query Arn --output text 2>&1) || true
'${process.execPath}' -e 'const [out] = process.argv.slice(1); console.log(JSON.stringify(/^arn:/.test(out) ? {client: "cli", arn: out} : {client: "cli", error: out}))' "$out"
python3 '${WHO_PY}' "$STS"
'${process.execPath}' '${WHO_MJS}' "$STS"
`;
}

interface Answer {
  client: string;
  arn?: string;
  error?: string;
}

/** The clients' answers by step, from the script's stdout; other lines (echo of values) under `lines`. */
function answers(stdout: string): {steps: Record<string, Answer[]>, lines: string[]} {
  const steps: Record<string, Answer[]> = {};
  const lines: string[] = [];
  let step = ``;
  for (const line of stdout.split(`\n`).filter(Boolean)) {
    if (line.startsWith(`== `))
      steps[step = line.slice(3)] = [];
    else if (line.startsWith(`{"client"`))
      steps[step]!.push(JSON.parse(line) as Answer);
    else
      lines.push(line);
  }
  return {steps, lines};
}

/** A real bash with awsmfa on PATH and its functions (mfa, mfa-unset) loaded, running `script`. */
async function bash(script: string, extraEnv: Record<string, string> = {}) {
  const env = {...awsmfaOnPath(sandbox), STS: sts.url, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: `true`, ...extraEnv};
  const file = join(sandbox.home, `script.bash`);
  // Every server started is stopped on the way out (mfa-unset forgets its pid): a leftover would hold stderr open.
  writeFileSync(file, `set -e\nsource '${join(ROOT, `shell`, `awsmfa.bash`)}'\nserved=\ntrap 'kill $served 2>/dev/null || true' EXIT\n${script}`);
  const result = await spawnAndCollect(`bash`, [file], {env, detached: true, timeoutMs: 150_000});
  return {...result, ...answers(result.stdout)};
}

/** Every client answered with this ARN. */
function allAre(found: Answer[] | undefined, arn: string, step: string): void {
  assert.equal(found?.length, 3, `${step}: three clients answered: ${JSON.stringify(found)}`);
  for (const answer of found!)
    assert.equal(answer.arn, arn, `${step}: ${answer.client} signs as ${answer.arn ?? answer.error}`);
}

/** serve in the background, this shell pointed at it; a code only for the first (later ones take the cached MFA session). */
const SERVE = (code = false) => `eval "$(awsmfa serve --profile admin ${code ? `--code "$CODE" ` : ``}--shell bash &)"
served="$served $AWSMFA_SERVER_PID"
`;

describe(`serve in a shell whose AWS files would sign first`, () => {
  test(`[default] long-term keys: the AWS CLI, boto3 and the JS SDK sign as the served role; mfa-unset and awsmfa unset give the keys back; status tells a server that is gone`, {skip: skipClients, timeout: 240_000}, async () => {
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n${ADMIN_PROFILE}`);
    const result = await bash(`${who(`before`)}
${SERVE(true)}
echo "credentials=\${AWS_SHARED_CREDENTIALS_FILE-unset} config=\${AWS_CONFIG_FILE-unset}"
${who(`served`)}
awsmfa status >&2 || true
awsmfa whoami >&2
mfa-unset
echo "after mfa-unset: credentials=\${AWS_SHARED_CREDENTIALS_FILE-unset} uri=\${AWS_CONTAINER_CREDENTIALS_FULL_URI-unset} pid=\${AWSMFA_SERVER_PID-unset}"
${who(`after mfa-unset`)}
${SERVE()}
${who(`served again`)}
eval "$(awsmfa unset --shell bash)"
echo "after unset: credentials=\${AWS_SHARED_CREDENTIALS_FILE-unset} uri=\${AWS_CONTAINER_CREDENTIALS_FULL_URI-unset} pid=\${AWSMFA_SERVER_PID-unset}"
${who(`after unset`)}
${SERVE()}
kill "$AWSMFA_SERVER_PID"; while kill -0 "$AWSMFA_SERVER_PID" 2>/dev/null; do sleep 0.1; done
echo "status=$(awsmfa status --short || echo "exit $?")"
awsmfa status >&2 || echo "status exit $?"
`, {CODE: sts.code, AWSMFA_QUIET: ``});
    assert.equal(result.exitCode, 0, result.stderr);
    // The shell's own keys sign before serve: the IAM user, as the issue found it after serve too.
    allAre(result.steps.before, ALICE.arn!, `before`);
    allAre(result.steps.served, ROLE_ARN, `served`);
    allAre(result.steps[`served again`], ROLE_ARN, `served again`);
    assert.ok(result.lines.includes(`credentials=${HIDDEN} config=unset`), result.stdout);
    assert.match(result.stderr, /this shell's AWS CLI and SDKs would take aws_access_key_id of profile 'default' in \S+\/\.aws\/credentials before the credentials server, so it sees no credentials file while it uses the server \(mfa-unset/);
    assert.match(result.stderr, /credentials server \(serve, pid \d+, http:\/\/127\.0\.0\.1:\d+\/\): ASIA\w+, /);
    // awsmfa's own answer to "who am I?" is the one the SDKs gave: the same decision.
    assert.match(result.stderr, /\narn: arn:aws:sts::123456789012:assumed-role\/Admin\/awsmfa-alice\ncredentials: ASIA\w+ from the credentials server of awsmfa serve \(pid \d+\), a session from awsmfa \(profile 'admin'\)/);
    // Given back: the keys sign again, nothing of serve's stays.
    assert.ok(result.lines.includes(`after mfa-unset: credentials=unset uri=unset pid=unset`), result.stdout);
    assert.ok(result.lines.includes(`after unset: credentials=unset uri=unset pid=unset`), result.stdout);
    allAre(result.steps[`after mfa-unset`], ALICE.arn!, `after mfa-unset`);
    allAre(result.steps[`after unset`], ALICE.arn!, `after unset`);
    assert.match(result.stderr, /this shell no longer uses the credentials server of awsmfa serve \(pid \d+\), which still runs: kill \d+ stops it/);
    assert.ok(result.lines.includes(`status=gone`), result.stdout);
    assert.match(result.stderr, /credentials server \(serve, pid \d+, http:\/\/127\.0\.0\.1:\d+\/\): gone \(pid \d+ is not running\): this shell's AWS calls fail until mfa-unset/);
    assert.ok(result.lines.includes(`status exit 1`), result.stdout);
  });

  test(`[default] with awsmfa's own credential_process (after keys import): the served role wins there too`, {skip: skipClients, timeout: 240_000}, async () => {
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n${ADMIN_PROFILE}`);
    const passphrase = join(sandbox.home, `passphrase`);
    writeFileSync(passphrase, `correct horse battery staple\n`, {mode: 0o600});
    const result = await bash(`awsmfa keys import --to file
grep -c credential_process "$HOME/.aws/credentials"
# The default profile's own session, cached, as credential_process would give it to every SDK.
awsmfa env --code "$CODE" --shell bash >/dev/null
${who(`imported`)}
${SERVE()}
${who(`served`)}
mfa-unset
${who(`after mfa-unset`)}
`, {CODE: sts.code, AWSMFA_PASSPHRASE_FILE: passphrase});
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.lines[0], `1`, `keys import wrote awsmfa's credential_process into [default]`);
    // The credential_process serves the IAM user's MFA session: not the role asked for.
    allAre(result.steps.imported, ALICE.arn!, `imported`);
    allAre(result.steps.served, ROLE_ARN, `served`);
    allAre(result.steps[`after mfa-unset`], ALICE.arn!, `after mfa-unset`);
    assert.match(result.stderr, /would take credential_process of profile 'default' in \S+\/\.aws\/credentials before the credentials server/);
  });

  test(`a config [default] with credential_process: the config file is hidden too, the region comes along, and both come back`, {skip: skipClients, timeout: 240_000}, async () => {
    sandbox.writeCredentials(`[alice]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    sandbox.writeConfig(`[default]\nregion = eu-west-1\ncredential_process = /bin/false\n\n[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE.serialNumber}\nregion = eu-west-1\n\n[profile alice]\nmfa_serial = ${ALICE.serialNumber}\n`);
    const result = await bash(`${SERVE(true)}
echo "credentials=\${AWS_SHARED_CREDENTIALS_FILE-unset} config=\${AWS_CONFIG_FILE-unset} region=\${AWS_REGION-unset}"
${who(`served`)}
mfa-unset
echo "after: credentials=\${AWS_SHARED_CREDENTIALS_FILE-unset} config=\${AWS_CONFIG_FILE-unset}"
`, {CODE: sts.code});
    assert.equal(result.exitCode, 0, result.stderr);
    // The credentials file has no [default]: only the config file needs hiding.
    assert.ok(result.lines.includes(`credentials=unset config=${HIDDEN} region=eu-west-1`), result.stdout);
    allAre(result.steps.served, ROLE_ARN, `served`);
    assert.ok(result.lines.includes(`after: credentials=unset config=unset`), result.stdout);
    assert.match(result.stderr, /would take credential_process of profile 'default' in \S+\/\.aws\/config before the credentials server, so it sees no config file \(the profile's region comes with AWS_REGION\)/);
  });

  test(`a credentials file the shell names itself, whose [default] would win: refused in one line before a code is spent, nothing printed`, async () => {
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n${ADMIN_PROFILE}`);
    const own = join(sandbox.home, `work-credentials`);
    writeFileSync(own, `[default]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`, {mode: 0o600});
    const result = await runAwsmfa([`serve`, `--profile`, `admin`, `--code`, sts.code, `--shell`, `bash`], {...sandbox.env, AWS_SHARED_CREDENTIALS_FILE: own});
    // Nothing that sets a variable: at most bash's failure statement.
    assertFails(result, 2, /^awsmfa: the AWS CLI and SDKs in this shell would take aws_access_key_id of profile 'default' in \S+work-credentials before the credentials server, and serve hides only the usual file, not one AWS_SHARED_CREDENTIALS_FILE names .*: use awsmfa exec --server -- COMMAND/, [ALICE.secretAccessKey]);
    assert.equal(sts.sessionRequests.length, 0, `no code spent`);
  });
});

describe(`the one decision (serverFirst), asked directly`, () => {
  const changes = {unset: [], set: [[`AWS_CONTAINER_CREDENTIALS_FULL_URI`, `http://127.0.0.1:1/`] as const]};
  test(`nothing of the default profile signs first: nothing is hidden`, () => {
    sandbox.writeCredentials(`[alice]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    const decided = serverFirst(AwsFiles.load(sandbox.env), sandbox.env, changes, true);
    assert.deepEqual(decided.hidden, []);
    assert.deepEqual(decided.changes.set, changes.set);
  });
  test(`a command's own credentials file (the user named it) is hidden by the null device, which awsmfa in the command reads as empty; the usual one by the contract's path`, () => {
    const own = join(sandbox.home, `work-credentials`);
    writeFileSync(own, `[default]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`, {mode: 0o600});
    const env = {...sandbox.env, AWS_SHARED_CREDENTIALS_FILE: own};
    const named = serverFirst(AwsFiles.load(env), env, changes, false);
    assert.deepEqual(named.changes.set.at(-1), [`AWS_SHARED_CREDENTIALS_FILE`, `/dev/null`]);
    const usual = serverFirst(AwsFiles.load(sandbox.env), sandbox.env, changes, false);
    assert.deepEqual(usual.changes.set.at(-1), [`AWS_SHARED_CREDENTIALS_FILE`, HIDDEN]);
    // And asked again of what the command will have, nothing signs before the server.
    assert.deepEqual(aheadOfServer(AwsFiles.load(sandbox.env), {...sandbox.env, AWS_SHARED_CREDENTIALS_FILE: HIDDEN}), []);
  });
  test(`keys in the environment, a web identity or the EC2 tools' file would sign first and cannot be hidden by a file: named`, () => {
    const env = {...sandbox.env, AWS_WEB_IDENTITY_TOKEN_FILE: `/tmp/token`, AWS_CREDENTIAL_FILE: `/tmp/ec2`};
    assert.deepEqual(aheadOfServer(AwsFiles.load(env), env).map(ahead => ahead.what).slice(0, 2), [`AWS_WEB_IDENTITY_TOKEN_FILE in the environment`, `AWS_CREDENTIAL_FILE in the environment`]);
  });
});
