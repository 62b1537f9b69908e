/**
 * Ctrl+Z at a hidden question never becomes part of the answer (issue 26 item 9). A hidden question reads the
 * terminal in raw mode, where Ctrl+Z is a byte rather than a stop. Typed in a real interactive bash in tmux:
 * awsmfa run as a job of its own stops as any command would ("Stopped"), and after `fg` asks the question again;
 * inside `$(…)` (whose shell would wait on a stopped child forever) it says it cannot stop and asks again. Either
 * way the secret stored is exactly the one typed afterwards: a session signed with it is one the STS stand-in takes.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {runAwsmfa} from './support/run.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {skipUnlessShell} from './support/shells.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ALICE} from './support/sts-server.js';

useStandIn();

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const BROKEN_BUS = `unix:path=/nonexistent/awsmfa-test-bus`;

/** An interactive bash in a tmux of its own: keys sent, the screen read back until it shows what is awaited. */
async function withBash(env: Record<string, string>, play: (keys: (...keys: string[]) => void, screenShows: (text: string | RegExp) => Promise<string>) => Promise<void>): Promise<void> {
  const socket = `awsmfa-ctrl-z-${process.pid}`;
  const tmux = (...args: string[]) => spawnSync(`tmux`, [`-L`, socket, ...args], {env, encoding: `utf8`});
  assert.equal(tmux(`new-session`, `-d`, `-x`, `200`, `-y`, `50`, `bash --norc --noprofile -i`).status, 0);
  const screen = () => tmux(`capture-pane`, `-p`, `-S`, `-200`).stdout;
  const screenShows = async (text: string | RegExp) => {
    for (let waited = 0; waited < 60_000; waited += 200) {
      const shown = screen();
      if (typeof text === `string` ? shown.includes(text) : text.test(shown))
        return shown;
      await sleep(200);
    }
    throw new Error(`the screen never showed ${String(text)}:\n${screen()}`);
  };
  try {
    await play((...keys) => tmux(`send-keys`, ...keys), screenShows);
  } finally {
    tmux(`kill-server`);
    await sleep(300);
  }
}

describe(`Ctrl+Z at a hidden question`, {skip: skipUnlessShell(`tmux`)}, () => {
  /** keys add into the file store (its passphrase from a private file): the hidden question is the secret key's. */
  const setUp = () => {
    sandbox.writeCredentials(``);
    const passphrase = join(sandbox.home, `passphrase`);
    writeFileSync(passphrase, `ctrl z passphrase\n`, {mode: 0o600});
    return {...awsmfaOnPath(sandbox), AWSMFA_PASSPHRASE_FILE: passphrase, DBUS_SESSION_BUS_ADDRESS: BROKEN_BUS, PS1: `$ `};
  };
  /** The stored secret signs a new session: exactly the one typed, no Ctrl+Z byte, nothing typed before it. */
  const secretSigns = async (env: Record<string, string>) => {
    const session = await runAwsmfa([`env`, `--shell`, `json`, `--code`, sts.code], env, {timeoutMs: 120_000});
    assert.equal(session.exitCode, 0, session.stderr);
    assert.equal(sts.sessionRequests.at(-1)!.accessKeyId, ALICE.accessKeyId);
    assert.equal(sts.sessionRequests.at(-1)!.signatureValid, true, `signed with the secret as typed after Ctrl+Z`);
  };

  test(`awsmfa as a job of its own stops, with the terminal as it was; after fg the question is asked again`, {timeout: 180_000}, async () => {
    const env = setUp();
    await withBash(env, async (keys, screenShows) => {
      keys(`awsmfa keys add --to file`, `Enter`);
      await screenShows(`AWS Access Key ID for profile 'default':`);
      keys(ALICE.accessKeyId, `Enter`);
      await screenShows(`AWS Secret Access Key:`);
      keys(`typo-before-ctrl-z`);
      await sleep(300);
      keys(`C-z`);
      await screenShows(/Stopped\s+awsmfa keys add/);
      // The shell's own terminal is back in line mode with echo: what it shows of a command typed is that command.
      keys(`stty -a | tr ' ' '\\n' | grep -x -e echo -e icanon | tr '\\n' ' '; echo`, `Enter`);
      await screenShows(/^icanon echo\s*$/m);
      keys(`fg`, `Enter`);
      const asked = await screenShows(/AWS Secret Access Key:[\s\S]*AWS Secret Access Key:/);
      assert.ok(!asked.includes(`typo-before-ctrl-z`), `the hidden answer was not echoed`);
      keys(ALICE.secretAccessKey, `Enter`);
      const done = await screenShows(/are in the encrypted file/);
      assert.ok(!done.includes(ALICE.secretAccessKey), `the secret was not echoed`);
    });
    await secretSigns(env);
  });

  test(`inside $(…) awsmfa cannot stop (its shell would wait forever): it says so and asks again`, {timeout: 180_000}, async () => {
    const env = setUp();
    await withBash(env, async (keys, screenShows) => {
      keys(`out=$(awsmfa keys add --to file 2>&1 >/dev/null); echo "status=$?"`, `Enter`);
      await screenShows(`AWS Access Key ID for profile 'default':`);
      keys(ALICE.accessKeyId, `Enter`);
      await screenShows(`AWS Secret Access Key:`);
      keys(`typo`);
      await sleep(300);
      keys(`C-z`);
      await screenShows(`(Ctrl+Z cannot stop awsmfa here, inside another command; Ctrl+C cancels)`);
      await screenShows(/cancels\)\s*\n\s*AWS Secret Access Key:/);
      keys(ALICE.secretAccessKey, `Enter`);
      const done = await screenShows(/status=\d+/);
      assert.match(done, /status=0/);
    });
    await secretSigns(env);
  });
});
