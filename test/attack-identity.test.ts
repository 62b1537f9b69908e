/**
 * Attacking issue 26's identity decisions as a user's set-up and an attacker meet them: "which principal does my next
 * `aws` call run as, and is any secret lost or leaked?" Each finding has a test below that failed on main before its
 * fix; cases that held are in the table, with a representative test where none existed.
 *
 * | Case tried                                                                                    | Result          |
 * |-----------------------------------------------------------------------------------------------|-----------------|
 * | `set -e; eval "$(awsmfa env CODE)"` with awsmfa ended by SIGTERM/SIGHUP mid-STS (`timeout`,    | found + fixed   |
 * |   a cancelled CI job, a closed terminal): stdout was empty, `eval ""` succeeded, the script    |                 |
 * |   went on with the long-term keys (bash, zsh, dash, ksh; fish's status 0)                      |                 |
 * | ... the same ended by SIGKILL (nothing can be written)                                         | not fixable     |
 * | Endpoint rule: http://127.0.0.1.evil.com, http://127.0.0.1@evil.com, http://localhost.,        | held            |
 * |   http://[::ffff:127.0.0.1], http://127.0.0.1%2eevil.com, http://0, ftp://, ws:// refused;     |                 |
 * |   HTTP://127.0.0.1, http://[::1], http://2130706433, http://0x7f.1, fullwidth localhost        |                 |
 * |   (all this machine, as the WHATWG parser the SDK also uses reads them) accepted               |                 |
 * | AWSMFA_PASSPHRASE_FILE a FIFO, a symlink, 0640/0604/0620, another user's, > 1 MiB: refused      | held            |
 * |   (O_NOFOLLOW|O_NONBLOCK open, fstat); trailing LF or CRLF taken off once                      |                 |
 * | A cached session for another duration/session name/external id/role: its key differs           | held            |
 * |   (keyText: no separator can be forged, the rules allow no space); hostile JSON, a symlink,     |                 |
 * |   a FIFO, a group-writable or foreign file in the cache: ignored (readPrivateFile, typanion)    |                 |
 * | A served shell where AWS_PROFILE and AWS_DEFAULT_PROFILE name different profiles (the AWS CLI  | found + fixed   |
 * |   v2 takes AWS_PROFILE first, boto3 AWS_DEFAULT_PROFILE first, the JS SDK AWS_PROFILE alone):   |                 |
 * |   aheadOfServer asked one profile, so whoami named the served role while boto3 signed as the   |                 |
 * |   IAM user; now each client's profile is asked, and whoami refuses naming what would win       |                 |
 * | serve/exec --server with those variables set: both are removed from the shell/command         | held            |
 * | keys remove/move/rotate with AWS_SHARED_CREDENTIALS_FILE naming another file while the usual  | found + fixed   |
 * |   ~/.aws/credentials' marker names the same key in the same store: remove deleted the secret,   |                 |
 * |   leaving that marker with nothing; holdersOf now reads the usual files too (a file named in a  |                 |
 * |   third place, never in view, is still not known: the stores keep no list of who names a key)   |                 |
 * | Key shared by 3 profiles (markers in both files + plaintext): remove refuses naming the others | held            |
 * |   (shared-keys.test.ts); move carries all along                                                |                 |
 */
import assert from 'node:assert/strict';
import {writeFileSync, existsSync, rmSync} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import {join} from 'node:path';
import {after, before, beforeEach, afterEach, describe, test} from 'node:test';
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {spawnAndCollect} from './support/run.js';
import {sandbox as standInSandbox, sts, useStandIn} from './support/stand-in.js';
import {awsmfaOnPath, makeSandbox, type Sandbox} from './support/sandbox.js';
import {skipUnlessShell} from './support/shells.js';
import {ADMIN_ROLE, ALICE} from './support/sts-server.js';

/** An STS that accepts connections and never answers; it drops a file when the first one comes. */
class SilentEndpoint {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  url = ``;
  ready = ``;

  async start(): Promise<this> {
    this.server = createServer(socket => {
      this.sockets.add(socket);
      socket.on(`error`, () => {});
      socket.on(`close`, () => this.sockets.delete(socket));
      if (this.ready !== ``)
        writeFileSync(this.ready, ``);
    });
    await new Promise<void>(resolve => this.server!.listen(0, `127.0.0.1`, resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === `object` && address !== null ? address.port : 0}`;
    return this;
  }

  close(): void {
    for (const socket of this.sockets)
      socket.destroy();
    this.server?.close();
  }
}

describe(`set -e and an awsmfa ended by a signal while it waits on STS (timeout, a cancelled job, a closed terminal)`, () => {
  let silent: SilentEndpoint;
  let sandbox: Sandbox;
  before(async () => {
    silent = await new SilentEndpoint().start();
  });
  after(() => silent.close());
  beforeEach(() => {
    sandbox = makeSandbox({endpoint: silent.url});
    silent.ready = join(sandbox.home, `connected`);
  });
  afterEach(() => sandbox.cleanup());

  /**
   * A file that runs `awsmfa env CODE --shell DIALECT`, waits until it has connected to STS, sends it SIGNAL and
   * passes on what it printed: what `$(timeout 20 awsmfa env CODE)` gives a shell when the time runs out.
   */
  function killedDuringSts(): string {
    const file = join(sandbox.home, `killed-during-sts`);
    writeFileSync(file, `#!/bin/sh
awsmfa env 123456 --shell "$1" &
pid=$!
while [ ! -e "$READY" ]; do sleep 0.05; done
kill -"$2" "$pid"
wait "$pid"
`, {mode: 0o755});
    return file;
  }

  const cases = [
    {shell: `bash`, dialect: `bash`, signal: `TERM`, script: (killer: string) => `set -e\neval "$(${killer} bash TERM)"\necho CONTINUED\n`},
    {shell: `zsh`, dialect: `zsh`, signal: `TERM`, script: (killer: string) => `set -e\neval "$(${killer} zsh TERM)"\necho CONTINUED\n`},
    {shell: `dash`, dialect: `sh`, signal: `HUP`, script: (killer: string) => `set -e\neval "$(${killer} sh HUP)"\necho CONTINUED\n`},
    {shell: `ksh`, dialect: `ksh`, signal: `INT`, script: (killer: string) => `set -e\neval "$(${killer} ksh INT)"\necho CONTINUED\n`},
    {shell: `fish`, dialect: `fish`, signal: `TERM`, script: (killer: string) => `${killer} fish TERM | source\nor begin; echo "status $status"; exit 3; end\necho CONTINUED\n`},
    {shell: `tcsh`, dialect: `tcsh`, signal: `TERM`, script: (killer: string) => `eval "\`${killer} tcsh TERM\`"\necho CONTINUED\n`},
  ];
  for (const {shell, dialect, signal, script} of cases) {
    test(`${shell}: the script stops at the line, and the keys the shell had are never used by the next command (SIG${signal})`, {skip: skipUnlessShell(shell), timeout: 60_000}, async () => {
      const killer = killedDuringSts();
      const file = join(sandbox.home, `script.${shell}`);
      writeFileSync(file, script(killer));
      const result = await spawnAndCollect(shell, [file], {env: {...awsmfaOnPath(sandbox), READY: silent.ready, AWSMFA_TIMEOUT: `2m`}, detached: true, timeoutMs: 50_000});
      assert.ok(existsSync(silent.ready), `awsmfa reached STS: ${result.stderr}`);
      assert.doesNotMatch(result.stdout, /CONTINUED/, `${shell} went on after awsmfa was killed (${dialect}): ${result.stdout}${result.stderr}`);
      assert.notEqual(result.exitCode, 0, result.stderr);
      assert.ok(!result.stdout.includes(ALICE.accessKeyId) && !result.stderr.includes(ALICE.secretAccessKey));
      rmSync(silent.ready, {force: true});
    });
  }
});

describe(`a served shell where the clients' profiles differ: AWS_PROFILE (the AWS CLI v2, the JS SDK) and AWS_DEFAULT_PROFILE (boto3)`, () => {
  useStandIn();
  const hasBoto3 = spawnSync(`python3`, [`-c`, `import boto3`]).status === 0;
  const skipBoto3 = !hasBoto3 && process.env.CI !== `true` ? `needs boto3 (pip install boto3)` : false;
  const WHO_PY = fileURLToPath(new URL(`./support/who-am-i.py`, import.meta.url));

  test(`whoami never names the server's role while boto3 there signs as the IAM user: it says what would win`, {skip: skipBoto3, timeout: 180_000}, async () => {
    // [default] signs nothing, so serve hides no file; the keys are alice's, the role's source.
    standInSandbox.writeCredentials(`[alice]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    standInSandbox.writeConfig(`[default]\nregion = eu-west-1\n\n[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE.serialNumber}\nregion = eu-west-1\n\n[profile tools]\nregion = eu-west-1\n`);
    const file = join(standInSandbox.home, `script.bash`);
    writeFileSync(file, `set -e
served=
trap 'kill $served 2>/dev/null || true' EXIT
eval "$(awsmfa serve --profile admin --code "$CODE" --shell bash &)"
served=$AWSMFA_SERVER_PID
# A profile for the CLI's region, and a legacy AWS_DEFAULT_PROFILE from an old rc file.
export AWS_PROFILE=tools AWS_DEFAULT_PROFILE=alice
python3 '${WHO_PY}' "$STS"
awsmfa whoami || echo "whoami exit $?"
`);
    const result = await spawnAndCollect(`bash`, [file], {env: {...awsmfaOnPath(standInSandbox), STS: sts.url, CODE: sts.code}, detached: true, timeoutMs: 150_000});
    assert.equal(result.exitCode, 0, result.stderr);
    const boto3 = JSON.parse(result.stdout.split(`\n`).find(line => line.startsWith(`{`)) ?? `{}`) as {arn?: string};
    // What the user's next boto3 call signs as: the IAM user, not the role.
    assert.equal(boto3.arn, ALICE.arn, result.stdout);
    assert.doesNotMatch(result.stdout, /assumed-role\/Admin/, `whoami claimed the served role: ${result.stdout}`);
    assert.match(result.stderr, /awsmfa: this shell points at the credentials server of awsmfa serve \(pid \d+\), but the AWS CLI or SDKs here would take aws_access_key_id of profile 'alice' in \S+\/\.aws\/credentials first/);
    assert.match(result.stdout, /whoami exit 2/);
  });
});

describe(`a key in a store named by the usual ~/.aws/credentials and by a file AWS_SHARED_CREDENTIALS_FILE names`, () => {
  test(`keys remove in the other file's view refuses, naming the usual file's profile; the secret is still there to move back`, {timeout: 120_000}, async () => {
    const box = makeSandbox();
    try {
      const {readFileSync, copyFileSync} = await import(`node:fs`);
      const {runAwsmfa} = await import(`./support/run.js`);
      const work = join(box.home, `work-credentials`);
      copyFileSync(join(box.awsDir, `credentials`), work);
      const passphrase = join(box.home, `passphrase`);
      writeFileSync(passphrase, `correct horse battery staple\n`, {mode: 0o600});
      const env = {...box.env, AWSMFA_PASSPHRASE_FILE: passphrase};
      const inWork = {...env, AWS_SHARED_CREDENTIALS_FILE: work};
      assert.equal((await runAwsmfa([`keys`, `import`, `--to`, `file`], env)).exitCode, 0);
      assert.equal((await runAwsmfa([`keys`, `import`, `--to`, `file`], inWork)).exitCode, 0);
      const removed = await runAwsmfa([`keys`, `remove`], inWork);
      assert.notEqual(removed.exitCode, 0, `removed the secret the usual file still names: ${removed.stderr}`);
      assert.match(removed.stderr, /is also named by profile 'default' \(\S+\/\.aws\/credentials\), which needs its secret in the file store/);
      assert.match(readFileSync(join(box.awsDir, `credentials`), `utf8`), /awsmfa_access_key_id = AKIAALICEEXAMPLE0001/);
      // The secret is still in the store: the usual file's profile gets it back in plaintext.
      const back = await runAwsmfa([`keys`, `move`, `--to`, `aws-files`], env);
      assert.equal(back.exitCode, 0, back.stderr);
      assert.match(readFileSync(join(box.awsDir, `credentials`), `utf8`), new RegExp(`aws_secret_access_key = ${ALICE.secretAccessKey.replace(/[+/]/g, `\\$&`)}`));
    } finally {
      box.cleanup();
    }
  });
});
