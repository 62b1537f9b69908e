/**
 * What a keyring failure is called (issue 26 item 9): a D-Bus session with no Secret Service is not a "locked"
 * keyring. Real dbus-daemon sessions of the test's own: one that offers no Secret Service at all, one whose Secret
 * Service activation never answers (D-Bus then says the reply was "blocked", which a loose match took for
 * "locked"), one whose Secret Service exits at once. `keys import` refuses each in one line that says no Secret
 * Service answers, and the AWS file stays as it was.
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {runAwsmfa} from './support/run.js';
import {sandbox, useStandIn} from './support/stand-in.js';
import {ALICE} from './support/sts-server.js';

useStandIn();

const hasBus = spawnSync(`sh`, [`-c`, `command -v dbus-daemon`]).status === 0;
if (!hasBus && process.env.CI)
  throw new Error(`dbus-daemon is missing, and CI must test with it (see .ci/run)`);

const folder = mkdtempSync(join(tmpdir(), `awsmfa-bus-`));
const buses: ChildProcess[] = [];
after(() => {
  for (const bus of buses)
    bus.kill();
  rmSync(folder, {recursive: true, force: true});
});

/** A session bus of its own, whose only activatable service (if any) is a Secret Service that runs `exec`. */
async function bus(name: string, exec: string | undefined): Promise<string> {
  const services = join(folder, `${name}-services`);
  mkdirSync(services);
  if (exec !== undefined)
    writeFileSync(join(services, `org.freedesktop.secrets.service`), `[D-BUS Service]\nName=org.freedesktop.secrets\nExec=${exec}\n`);
  const config = join(folder, `${name}.conf`);
  writeFileSync(config, `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=${folder}</listen><auth>EXTERNAL</auth><servicedir>${services}</servicedir>
<limit name="service_start_timeout">3000</limit>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
`);
  const child = spawn(`dbus-daemon`, [`--config-file=${config}`, `--nofork`, `--print-address=1`], {stdio: [`ignore`, `pipe`, `ignore`]});
  buses.push(child);
  return await new Promise<string>(resolve => {
    let text = ``;
    child.stdout!.on(`data`, chunk => {
      text += chunk;
      if (text.includes(`\n`))
        resolve(text.trim());
    });
  });
}

describe(`a session bus without a working Secret Service`, {skip: hasBus ? false : `needs dbus-daemon`}, () => {
  const cases: Array<[string, string | undefined, RegExp]> = [
    [`no Secret Service on the bus`, undefined, /not provided by any \.service files/],
    [`a Secret Service whose activation never answers`, `/bin/sleep 60`, /Did not receive a reply|timed out/],
    [`a Secret Service that exits at once`, `/bin/false`, /exited with status 1/],
  ];
  for (const [what, exec, cause] of cases) {
    test(`${what}: keys import says no Secret Service answers (not "locked"), and changes nothing`, {timeout: 60_000}, async () => {
      const address = await bus(what.replace(/\W+/g, `-`), exec);
      const before = readFileSync(join(sandbox.awsDir, `credentials`), `utf8`);
      const result = await runAwsmfa([`keys`, `import`], {...sandbox.env, DBUS_SESSION_BUS_ADDRESS: address});
      assert.equal(result.exitCode, 2, result.stderr);
      assert.match(result.stderr, /^awsmfa: the OS keyring cannot be used: no Secret Service answers on D-Bus /);
      assert.match(result.stderr, cause);
      assert.doesNotMatch(result.stderr, /keyring is locked\b/);
      assert.equal(result.stderr.trimEnd().split(`\n`).length, 1);
      assert.ok(!result.stderr.includes(ALICE.secretAccessKey));
      assert.equal(readFileSync(join(sandbox.awsDir, `credentials`), `utf8`), before);
    });
  }
});
