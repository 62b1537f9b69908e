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
 * | Profile chosen by the SDKs beside a served shell: AWS_PROFILE and AWS_DEFAULT_PROFILE naming   | see below       |
 * |   different profiles (the AWS CLI v2 takes AWS_PROFILE, boto3 AWS_DEFAULT_PROFILE, the JS SDK   |                 |
 * |   AWS_PROFILE alone)                                                                          |                 |
 */
import assert from 'node:assert/strict';
import {writeFileSync, existsSync, rmSync} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import {join} from 'node:path';
import {after, before, beforeEach, afterEach, describe, test} from 'node:test';
import {spawnAndCollect} from './support/run.js';
import {awsmfaOnPath, makeSandbox, type Sandbox} from './support/sandbox.js';
import {skipUnlessShell} from './support/shells.js';
import {ALICE} from './support/sts-server.js';

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
