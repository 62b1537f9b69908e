/**
 * Keys at rest (issue #21): long-term keys in the real OS keyring (gnome-keyring's Secret Service, in a D-Bus
 * session of this file) and in an age file the real `age` CLI reads and writes; sessions signed by the stored key
 * (the STS stand-in checks every signature); the AWS CLI through the credential_process an import writes; and the
 * cached paths answering while the store cannot be opened at all.
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, describe, test} from 'node:test';
import {assertFailureOutput, BIN, ROOT, runAwsmfa, runAwsmfaWithTty, type RunResult} from './support/run.js';
import {runScript, skipUnlessShell} from './support/shells.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ADMIN_ROLE, ALICE} from './support/sts-server.js';
import {makeSandbox, type Sandbox} from './support/sandbox.js';
import {motoMissing, startMoto} from './support/moto.js';
import {openKeyring, type KeyringBackend} from '../src/keys/keyring.js';
import {NodeScryptIdentity, NodeScryptRecipient} from '../src/keys/age-scrypt.js';

const TOOLS = [`dbus-run-session`, `gnome-keyring-daemon`, `secret-tool`, `age`];
const missing = TOOLS.filter(tool => spawnSync(`sh`, [`-c`, `command -v ${tool}`]).status !== 0);
if (missing.length > 0 && process.env.CI)
  throw new Error(`${missing.join(`, `)} missing, and CI must test with them (see .ci/run)`);
const skip = missing.length > 0 ? `${missing.join(`, `)} not installed here (Debian: gnome-keyring dbus libsecret-tools age)` : false;
const AWS = `/usr/bin/aws`;
const WITH_TTY = fileURLToPath(new URL(`./support/with-tty.py`, import.meta.url));
const BROKEN_BUS = `unix:path=/nonexistent/awsmfa-test-bus`;

/** One D-Bus session for the file, with gnome-keyring's Secret Service unlocked in it (its own HOME). */
let bus: {address: string, child: ChildProcess, home: string} | undefined;

async function startKeyring(unlock: boolean, home = mkdtempSync(join(tmpdir(), `awsmfa-keyring-`))): Promise<{address: string, child: ChildProcess, home: string}> {
  const start = unlock ? `printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null` : `gnome-keyring-daemon --components=secrets >/dev/null`;
  const child = spawn(`dbus-run-session`, [`--`, `sh`, `-c`, `${start}; echo "$DBUS_SESSION_BUS_ADDRESS"; exec sleep 600`], {env: {PATH: process.env.PATH!, HOME: home, XDG_DATA_HOME: join(home, `data`)}, detached: true, stdio: [`ignore`, `pipe`, `ignore`]});
  const address = await new Promise<string>((resolve, reject) => {
    let text = ``;
    child.stdout!.on(`data`, chunk => {
      text += chunk;
      if (text.includes(`\n`))
        resolve(text.trim());
    });
    child.on(`error`, reject);
  });
  // gnome-keyring-daemon returns before its Secret Service is on the bus (without --unlock, noticeably so): wait for
  // the name, or a test would see "no Secret Service" where it means to see a locked one.
  for (let tries = 0; ; tries++) {
    const owner = spawnSync(`dbus-send`, [`--session`, `--print-reply`, `--dest=org.freedesktop.DBus`, `/org/freedesktop/DBus`, `org.freedesktop.DBus.NameHasOwner`, `string:org.freedesktop.secrets`], {env: {PATH: process.env.PATH!, DBUS_SESSION_BUS_ADDRESS: address}, encoding: `utf8`});
    if (/boolean true/.test(owner.stdout))
      break;
    if (tries >= 100)
      throw new Error(`gnome-keyring's Secret Service did not come up on ${address} within 5 s: ${owner.stderr}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  return {address, child, home};
}

async function stopKeyring(started: {child: ChildProcess, home: string} | undefined, keepHome = false): Promise<void> {
  if (started?.child.pid !== undefined && started.child.exitCode === null) {
    const gone = new Promise(resolve => started.child.on(`exit`, resolve));
    try {
      process.kill(-started.child.pid, `SIGTERM`);
      await gone;
    } catch {}
  }
  if (started !== undefined && !keepHome)
    rmSync(started.home, {recursive: true, force: true});
}

const withBus = (address: string) => ({...sandbox.env, DBUS_SESSION_BUS_ADDRESS: address});

/** Every file under HOME, as bytes: no long-term secret may be in any of them. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

function assertNoSecretOnDisk(secret: string): void {
  for (const file of filesUnder(sandbox.home))
    assert.ok(!readFileSync(file).includes(secret), `the secret is in ${file}`);
}

function assertNoSecretIn(result: RunResult, secret: string): void {
  assert.ok(!result.stderr.includes(secret) && !result.stdout.includes(secret), `the secret leaked: ${result.stdout}${result.stderr}`);
}

const credentials = () => readFileSync(join(sandbox.awsDir, `credentials`), `utf8`);

/** The stand-in's requests for a session, with who signed them and whether the signature held. */
const sessionRequests = () => sts.requests.filter(request => request.action === `GetSessionToken`);

describe(`keys at rest`, {skip}, () => {
  useStandIn();
  before(async () => {
    bus = await startKeyring(true);
  });
  after(() => stopKeyring(bus));

  test(`keys import moves the keys into the real keyring; a new session is signed by the stored key; the cached paths never open the store`, async () => {
    const env = withBus(bus!.address);
    const imported = await runAwsmfa([`keys`, `import`], env);
    assert.equal(imported.exitCode, 0, imported.stderr);
    assert.equal(imported.stdout, ``);
    assert.match(imported.stderr, /are in the OS keyring \(Secret Service\) now/);
    assertNoSecretIn(imported, ALICE.secretAccessKey);
    // What is left in the file: the key id (no secret), the store's name, and the AWS CLI's way back in.
    assert.doesNotMatch(credentials(), /aws_secret_access_key|aws_access_key_id/);
    assert.match(credentials(), /awsmfa_key_store = keyring\nawsmfa_access_key_id = AKIAALICEEXAMPLE0001\ncredential_process = .* credential-process --profile default/);
    assertNoSecretOnDisk(ALICE.secretAccessKey);
    // Really in gnome-keyring, as another client of Secret Service finds it.
    const lookup = spawnSync(`secret-tool`, [`lookup`, `service`, `awsmfa`, `username`, ALICE.accessKeyId], {env: {...process.env, DBUS_SESSION_BUS_ADDRESS: bus!.address}, encoding: `utf8`});
    assert.equal(lookup.stdout, ALICE.secretAccessKey);

    const fresh = await runAwsmfa([`env`, `--shell`, `json`, `--code`, sts.code], env);
    assert.equal(fresh.exitCode, 0, fresh.stderr);
    assertNoSecretIn(fresh, ALICE.secretAccessKey);
    assert.deepEqual(sessionRequests().map(request => [request.accessKeyId, request.signatureValid]), [[ALICE.accessKeyId, true]]);
    const session = JSON.parse(fresh.stdout);

    // No D-Bus at all now: the cached env and credential-process still answer, from the key id in the profile.
    const cachedEnv = await runAwsmfa([`env`, `--shell`, `bash`], withBus(BROKEN_BUS));
    assert.equal(cachedEnv.exitCode, 0, cachedEnv.stderr);
    assert.match(cachedEnv.stdout, new RegExp(`AWS_ACCESS_KEY_ID='${session.AccessKeyId}'`));
    const cachedProcess = await runAwsmfa([`credential-process`, `--profile`, `default`], withBus(BROKEN_BUS));
    assert.equal(cachedProcess.exitCode, 0, cachedProcess.stderr);
    assert.equal(JSON.parse(cachedProcess.stdout).AccessKeyId, session.AccessKeyId);
    // The shells' quick file `mfa` reads holds the session, never the long-term secret.
    assertNoSecretOnDisk(ALICE.secretAccessKey);
    assert.equal(sessionRequests().length, 1, `the cached paths asked STS for nothing`);

    // A new session needs the store: one line naming the alternatives, nothing on stdout, no secret.
    const refused = await runAwsmfa([`env`, `--shell`, `bash`, `--force`, `--code`, sts.code], withBus(BROKEN_BUS));
    assert.equal(refused.exitCode, 2, refused.stderr);
    assertFailureOutput(refused);
    assert.match(refused.stderr, /^awsmfa: the OS keyring cannot be used: no D-Bus session bus .*dbus-run-session -- bash.*gnome-keyring-daemon --replace --unlock.*awsmfa keys move --to file/);
    assert.equal(refused.stderr.trimEnd().split(`\n`).length, 1, refused.stderr);
  });

  test(`mfa's quick path in bash takes the cached session with the keyring out of reach, and starts no node`, {skip: skipUnlessShell(`bash`)}, async () => {
    assert.equal((await runAwsmfa([`keys`, `import`], withBus(bus!.address))).exitCode, 0);
    const fresh = await runAwsmfa([`env`, `--shell`, `json`, `--code`, sts.code], withBus(bus!.address));
    assert.equal(fresh.exitCode, 0, fresh.stderr);
    // `awsmfa` on PATH is a script that notes each start: the quick path must not run it.
    const bin = join(sandbox.home, `bin`);
    const starts = join(sandbox.home, `starts`);
    mkdirSync(bin, {recursive: true});
    writeFileSync(join(bin, `awsmfa`), `#!/bin/sh\necho start >> '${starts}'\nexec '${process.execPath}' '${BIN}' "$@"\n`, {mode: 0o755});
    const script = `source '${join(ROOT, `shell`, `awsmfa.bash`)}'\nexport AWS_PROFILE=default\nmfa\nprintf '%s\\n' "$AWS_ACCESS_KEY_ID"\n`;
    const result = await runScript(`bash`, script, {...withBus(BROKEN_BUS), PATH: `${bin}:${sandbox.env.PATH}`});
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), JSON.parse(fresh.stdout).AccessKeyId);
    assert.equal(existsSync(starts), false, `no awsmfa (no node) was started`);
  });

  test(`the AWS CLI works through the credential_process the import wrote, with no key in any file`, {skip: existsSync(AWS) ? false : `no AWS CLI v2 at ${AWS}`}, async () => {
    const env = withBus(bus!.address);
    assert.equal((await runAwsmfa([`keys`, `import`], env)).exitCode, 0);
    assert.equal((await runAwsmfa([`env`, `--shell`, `json`, `--code`, sts.code], env)).exitCode, 0);
    // The AWS CLI alone (no session in its environment) reads the profile, runs awsmfa, and signs with the session.
    // Spawned without blocking: the STS stand-in answers from this process.
    const cli = await new Promise<{status: number | null, stdout: string, stderr: string}>(resolve => {
      const child = spawn(AWS, [`sts`, `get-caller-identity`, `--profile`, `default`, `--output`, `json`, `--endpoint-url`, sts.url], {env, stdio: [`ignore`, `pipe`, `pipe`]});
      let stdout = ``;
      let stderr = ``;
      child.stdout.on(`data`, chunk => stdout += chunk);
      child.stderr.on(`data`, chunk => stderr += chunk);
      child.on(`close`, status => resolve({status, stdout, stderr}));
    });
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(JSON.parse(cli.stdout).Arn, ALICE.arn);
    const identity = sts.requests.filter(request => request.action === `GetCallerIdentity`);
    assert.equal(identity.length, 1);
    assert.equal(identity[0]!.signatureValid, true);
    assert.match(identity[0]!.accessKeyId!, /^ASIA/, `signed by the MFA session, not the long-term key`);
    assertNoSecretOnDisk(ALICE.secretAccessKey);
  });

  test(`with the keys in the keyring, roles, exec, login, whoami and profiles work as before, and no secret reaches stderr or a file`, async () => {
    const env = withBus(bus!.address);
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = default\n`);
    const outputs: RunResult[] = [await runAwsmfa([`keys`, `import`], env)];
    const role = await runAwsmfa([`env`, `--profile`, `admin`, `--shell`, `json`, `--code`, sts.code], env);
    assert.equal(role.exitCode, 0, role.stderr);
    // GetSessionToken signed by the stored key, AssumeRole by the MFA session it gave: one code, the store read once.
    assert.deepEqual(sts.sessionRequests.map(request => [request.action, request.accessKeyId?.startsWith(`AKIA`), request.signatureValid]), [[`GetSessionToken`, true, true], [`AssumeRole`, false, true]]);
    const exec = await runAwsmfa([`exec`, `--`, `sh`, `-c`, `printf %s "$AWS_SESSION_TOKEN" | wc -c`], withBus(BROKEN_BUS));
    assert.equal(exec.exitCode, 0, exec.stderr);
    assert.ok(Number(exec.stdout.trim()) > 20, `exec runs with the cached session, the store closed`);
    const login = await runAwsmfa([`login`], withBus(BROKEN_BUS));
    assert.equal(login.exitCode, 0, login.stderr);
    assert.match(credentials(), /\n\[session-alice\]\naws_access_key_id = ASIA/);
    const whoami = await runAwsmfa([`whoami`, `--profile`, `default`, `--json`], {...env, AWS_PROFILE: `default`});
    assert.equal(whoami.exitCode, 0, whoami.stderr);
    assert.equal(JSON.parse(whoami.stdout).accessKeyId, ALICE.accessKeyId);
    const profiles = await runAwsmfa([`profiles`, `--json`], env);
    assert.equal(profiles.exitCode, 0, profiles.stderr);
    assert.deepEqual(JSON.parse(profiles.stdout).map((info: {name: string, kind: string, keysIn: string | null}) => [info.name, info.kind, info.keysIn]), [[`default`, `keys`, `keyring`], [`admin`, `role`, null], [`session-alice`, `session`, null]]);
    outputs.push(role, exec, login, whoami, profiles, await runAwsmfa([`keys`, `list`, `--check`, `--json`], env));
    for (const output of outputs)
      assertNoSecretIn(output, ALICE.secretAccessKey);
    assertNoSecretOnDisk(ALICE.secretAccessKey);
  });

  test(`keys move --to aws-files undoes an import, and keys list shows where each profile's keys are`, async () => {
    const env = withBus(bus!.address);
    const before = credentials();
    assert.equal((await runAwsmfa([`keys`, `import`], env)).exitCode, 0);
    const listed = await runAwsmfa([`keys`, `list`, `--check`], env);
    assert.equal(listed.exitCode, 0, listed.stderr);
    assert.equal(listed.stdout, `default\t${ALICE.accessKeyId}\tkeyring\tpresent\n`);
    assertNoSecretIn(listed, ALICE.secretAccessKey);
    const undone = await runAwsmfa([`keys`, `move`, `--to`, `aws-files`], env);
    assert.equal(undone.exitCode, 0, undone.stderr);
    assert.equal(credentials(), before);
    const lookup = spawnSync(`secret-tool`, [`lookup`, `service`, `awsmfa`, `username`, ALICE.accessKeyId], {env: {...process.env, DBUS_SESSION_BUS_ADDRESS: bus!.address}, encoding: `utf8`});
    assert.equal(lookup.stdout, ``, `the keyring's copy is gone`);
  });

  test(`a locked keyring is refused with one line, and the AWS files stay as they were`, async () => {
    // A login keyring made (and unlocked) once, then a daemon started again without the password: locked, as
    // after a login that did not unlock it.
    const first = await startKeyring(true);
    await stopKeyring(first, true);
    const locked = await startKeyring(false, first.home);
    try {
      const before = credentials();
      const result = await runAwsmfa([`keys`, `import`], withBus(locked.address));
      assert.equal(result.exitCode, 2, result.stderr);
      assert.match(result.stderr, /^awsmfa: the OS keyring is locked .*unlock it.*awsmfa keys move --to file/);
      assert.equal(result.stderr.trimEnd().split(`\n`).length, 1, result.stderr);
      assertNoSecretIn(result, ALICE.secretAccessKey);
      assert.equal(credentials(), before);
    } finally {
      await stopKeyring(locked);
    }
  });

  test(`a headless machine: the line the error and the README give unlocks the keyring, though D-Bus already started its daemon`, async () => {
    // A D-Bus session and nothing else, as after an ssh login: awsmfa's first keyring call has D-Bus start
    // gnome-keyring-daemon (activation), which has no login keyring and no desktop to ask for a password.
    const home = mkdtempSync(join(tmpdir(), `awsmfa-headless-`));
    const session = {PATH: process.env.PATH!, HOME: home, XDG_DATA_HOME: join(home, `data`), XDG_RUNTIME_DIR: join(home, `run`)};
    mkdirSync(session.XDG_RUNTIME_DIR, {mode: 0o700});
    const child = spawn(`dbus-run-session`, [`--`, `sh`, `-c`, `echo "$DBUS_SESSION_BUS_ADDRESS"; exec sleep 600`], {env: session, detached: true, stdio: [`ignore`, `pipe`, `ignore`]});
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let text = ``;
        child.stdout!.on(`data`, chunk => (text += chunk).includes(`\n`) && resolve(text.trim()));
        child.on(`error`, reject);
      });
      const env = {...withBus(address), XDG_RUNTIME_DIR: session.XDG_RUNTIME_DIR};
      // Which connection holds Secret Service's name (undefined: none): a daemon that replaces another takes it over.
      const owner = () => /string "(:[\d.]+)"/.exec(spawnSync(`dbus-send`, [`--session`, `--print-reply`, `--dest=org.freedesktop.DBus`, `/org/freedesktop/DBus`, `org.freedesktop.DBus.GetNameOwner`, `string:org.freedesktop.secrets`], {env: {...session, DBUS_SESSION_BUS_ADDRESS: address}, encoding: `utf8`}).stdout)?.[1];
      const before = credentials();
      const refused = await runAwsmfa([`keys`, `import`], env);
      assert.equal(refused.exitCode, 2, refused.stderr);
      assert.equal(refused.stderr.trimEnd().split(`\n`).length, 1, refused.stderr);
      assert.equal(credentials(), before);
      const line = /: (read -rs PW && .*?; unset PW);/.exec(refused.stderr)?.[1];
      assert.ok(line !== undefined, `the error gives the line: ${refused.stderr}`);
      assert.ok(readFileSync(join(ROOT, `README.md`), `utf8`).includes(line), `the README gives the same line`);
      const started = owner();
      assert.ok(started !== undefined, `the daemon is running already (D-Bus started it for awsmfa's call)`);
      // The line, in bash, the password typed (read takes it from stdin here as from the terminal).
      const unlocked = spawnSync(`bash`, [`-c`, line], {env: {...session, DBUS_SESSION_BUS_ADDRESS: address}, input: `pw\n`, encoding: `utf8`, timeout: 20_000});
      assert.equal(unlocked.status, 0, unlocked.stderr);
      assert.equal(unlocked.stdout, ``, `nothing of the daemon's on the terminal`);
      for (let tries = 0; (owner() === started || owner() === undefined) && tries < 100; tries++)
        await new Promise(resolve => setTimeout(resolve, 50));
      assert.notEqual(owner(), started, `a new daemon serves the name`);
      const imported = await runAwsmfa([`keys`, `import`], env);
      assert.equal(imported.exitCode, 0, imported.stderr);
      const lookup = spawnSync(`secret-tool`, [`lookup`, `service`, `awsmfa`, `username`, ALICE.accessKeyId], {env: {...session, DBUS_SESSION_BUS_ADDRESS: address}, encoding: `utf8`});
      assert.equal(lookup.stdout, ALICE.secretAccessKey);
    } finally {
      await stopKeyring({child, home});
    }
  });

  test(`a profile with keys both in the file and in a store is one clear error`, async () => {
    sandbox.writeCredentials(`[default]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\nawsmfa_key_store = keyring\nawsmfa_access_key_id = ${ALICE.accessKeyId}\n`);
    const result = await runAwsmfa([`env`, `--shell`, `bash`, `--code`, sts.code], withBus(bus!.address));
    assert.equal(result.exitCode, 2);
    assertFailureOutput(result);
    assert.match(result.stderr, /^awsmfa: profile 'default' has keys both in .* and in the keyring store/);
  });

  test(`the file store: awsmfa's file is one the age CLI decrypts, and awsmfa reads one age encrypted`, async () => {
    const passphraseFile = join(sandbox.home, `passphrase`);
    writeFileSync(passphraseFile, `correct horse battery\n`, {mode: 0o600});
    const env = {...withBus(BROKEN_BUS), AWSMFA_PASSPHRASE_FILE: passphraseFile};
    const imported = await runAwsmfa([`keys`, `import`, `--to`, `file`], env, {timeoutMs: 120_000});
    assert.equal(imported.exitCode, 0, imported.stderr);
    assertNoSecretIn(imported, ALICE.secretAccessKey);
    const file = join(sandbox.home, `.local`, `share`, `awsmfa`, `keys`, `keys.age`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(file, `..`)).mode & 0o777, 0o700);
    assertNoSecretOnDisk(ALICE.secretAccessKey);
    // The real age, passphrase typed on a terminal as age wants it.
    const decrypted = spawnSync(`python3`, [WITH_TTY, JSON.stringify([`correct horse battery`]), `age`, `-d`, file], {encoding: `utf8`});
    assert.equal(decrypted.status, 0, decrypted.stderr);
    assert.deepEqual(JSON.parse(decrypted.stdout), {version: 1, keys: {[ALICE.accessKeyId]: ALICE.secretAccessKey}});

    const fresh = await runAwsmfa([`env`, `--shell`, `json`, `--code`, sts.code], env, {timeoutMs: 120_000});
    assert.equal(fresh.exitCode, 0, fresh.stderr);
    assert.deepEqual(sessionRequests().map(request => [request.accessKeyId, request.signatureValid]), [[ALICE.accessKeyId, true]]);

    // A wrong passphrase: one line, nothing on stdout, no new session.
    writeFileSync(passphraseFile, `wrong\n`);
    const wrong = await runAwsmfa([`env`, `--shell`, `json`, `--force`, `--code`, sts.code], env, {timeoutMs: 120_000});
    assert.equal(wrong.exitCode, 2);
    assert.equal(wrong.stdout, ``);
    assert.match(wrong.stderr, /^awsmfa: wrong passphrase for .*keys\.age/);
    assert.equal(wrong.stderr.trimEnd().split(`\n`).length, 1, wrong.stderr);

    // A file age -p wrote (passphrase asked twice on the terminal) is one awsmfa reads.
    const plain = join(sandbox.home, `plain.json`);
    writeFileSync(plain, JSON.stringify({version: 1, keys: {[ALICE.accessKeyId]: ALICE.secretAccessKey}}));
    rmSync(file);
    const encrypted = spawnSync(`python3`, [WITH_TTY, JSON.stringify([`from age`, `from age`]), `age`, `-p`, `-o`, file, plain], {encoding: `utf8`});
    assert.equal(encrypted.status, 0, encrypted.stderr);
    rmSync(plain);
    chmodSync(file, 0o600);
    writeFileSync(passphraseFile, `from age\n`);
    sts.code = String(100000 + Math.floor(Math.random() * 900000));
    const fromAge = await runAwsmfa([`env`, `--shell`, `json`, `--force`, `--code`, sts.code], env, {timeoutMs: 120_000});
    assert.equal(fromAge.exitCode, 0, fromAge.stderr);
    assert.equal(sessionRequests().length, 2);
    assert.equal(sessionRequests()[1]!.signatureValid, true);
  });

  test(`the file store asks again after a wrong passphrase on the terminal (three tries, as sudo), saying it is unlocking meanwhile`, async () => {
    const passphraseFile = join(sandbox.home, `passphrase`);
    writeFileSync(passphraseFile, `right one\n`, {mode: 0o600});
    const imported = await runAwsmfa([`keys`, `import`, `--to`, `file`], {...withBus(BROKEN_BUS), AWSMFA_PASSPHRASE_FILE: passphraseFile}, {timeoutMs: 120_000});
    assert.equal(imported.exitCode, 0, imported.stderr);
    // The stanza age reads: one scrypt recipient, age's own work factor (2^18).
    const header = readFileSync(join(sandbox.home, `.local`, `share`, `awsmfa`, `keys`, `keys.age`), `latin1`).split(`\n`);
    assert.equal(header[0], `age-encryption.org/v1`);
    assert.match(header[1]!, /^-> scrypt [A-Za-z0-9+/]{22} 18$/);
    assert.match(header[3]!, /^--- /, `the scrypt stanza is the only one`);

    const second = await runAwsmfaWithTty([`wrong one`, `right one`], [`env`, `--shell`, `json`, `--code`, sts.code], withBus(BROKEN_BUS));
    assert.equal(second.exitCode, 0, second.stderr);
    assert.equal(second.stderr.match(/Passphrase of .*keys\.age: /g)?.length, 2, second.stderr);
    assert.match(second.stderr, /awsmfa: unlocking keys\.age\u2026\r +\r/, `shown while scrypt works, then blanked`);
    assert.match(second.stderr, /awsmfa: wrong passphrase, try again\r?\n/);
    assert.ok(!second.stderr.includes(`right one`) && !second.stderr.includes(`wrong one`), `the passphrases are not echoed`);
    assert.deepEqual(sessionRequests().map(request => request.signatureValid), [true]);

    const three = await runAwsmfaWithTty([`a`, `b`, `c`, `d`], [`env`, `--shell`, `json`, `--force`, `--code`, sts.code], withBus(BROKEN_BUS));
    assert.equal(three.exitCode, 2, three.stderr);
    assert.equal(three.stdout, ``);
    assert.equal(three.stderr.match(/Passphrase of .*keys\.age: /g)?.length, 3, three.stderr);
    assert.match(three.stderr, /awsmfa: 3 wrong passphrases for .*keys\.age\r?\n$/);
    assert.equal(sessionRequests().length, 1, `no request without the keys`);
  });

  test(`keys add asks on the terminal (the secret hidden), and the file store asks its passphrase there, just before the code`, async () => {
    sandbox.writeCredentials(``);
    const added = await runAwsmfaWithTty([ALICE.accessKeyId, ALICE.secretAccessKey], [`keys`, `add`, `--to`, `keyring`], withBus(bus!.address));
    assert.equal(added.exitCode, 0, added.stderr);
    assert.match(added.stderr, /AWS Secret Access Key: /);
    assert.ok(!added.stderr.includes(ALICE.secretAccessKey), `the secret is not echoed: ${added.stderr}`);
    const lookup = spawnSync(`secret-tool`, [`lookup`, `service`, `awsmfa`, `username`, ALICE.accessKeyId], {env: {...process.env, DBUS_SESSION_BUS_ADDRESS: bus!.address}, encoding: `utf8`});
    assert.equal(lookup.stdout, ALICE.secretAccessKey);

    // Into the file store, the new passphrase typed twice; then a session: the passphrase, then the code.
    const moved = await runAwsmfaWithTty([`tty pass`, `tty pass`], [`keys`, `move`, `--to`, `file`], withBus(bus!.address));
    assert.equal(moved.exitCode, 0, moved.stderr);
    assert.match(moved.stderr, /New passphrase for .*keys\.age: [\s\S]*The same passphrase again: /);
    const session = await runAwsmfaWithTty([`tty pass`, sts.code], [`env`, `--shell`, `json`], withBus(BROKEN_BUS));
    assert.equal(session.exitCode, 0, session.stderr);
    assert.match(session.stderr, /Passphrase of .*keys\.age: [\s\S]*MFA code/);
    assert.ok(!session.stderr.includes(`tty pass`), `the passphrase is not echoed`);
    assert.equal(sts.sessionRequests[0]!.signatureValid, true);
    assertNoSecretOnDisk(ALICE.secretAccessKey);
  });

  test(`a passphrase file others could write is refused`, async () => {
    const passphraseFile = join(sandbox.home, `passphrase`);
    writeFileSync(passphraseFile, `pw\n`, {mode: 0o600});
    chmodSync(passphraseFile, 0o666);
    const result = await runAwsmfa([`keys`, `import`, `--to`, `file`], {...sandbox.env, AWSMFA_PASSPHRASE_FILE: passphraseFile});
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /^awsmfa: AWSMFA_PASSPHRASE_FILE .* can be written by others \(mode 0666\): it must be a regular file of yours that no one else can read or write \(chmod 600 it\)/);
    assert.match(credentials(), /aws_secret_access_key/, `nothing moved`);
  });
});

test(`the keyring holds the secret alone: far below Windows Credential Manager's 2,560-byte limit`, async () => {
  // A store that enforces Windows' limit (CRED_MAX_CREDENTIAL_BLOB_SIZE, 5 * 512 bytes, of UTF-16 text there).
  const entries = new Map<string, string>();
  const limited: KeyringBackend = {
    get: async (service, account) => entries.get(`${service}/${account}`) ?? null,
    set: async (service, account, password) => {
      if (Buffer.byteLength(password, `utf16le`) > 2560)
        throw new Error(`CredWrite: the blob is larger than 2,560 bytes`);
      entries.set(`${service}/${account}`, password);
    },
    remove: async (service, account) => entries.delete(`${service}/${account}`),
  };
  const store = await openKeyring(`win32`, limited);
  await store.set(ALICE.accessKeyId, ALICE.secretAccessKey);
  assert.equal(await store.get(ALICE.accessKeyId), ALICE.secretAccessKey);
  assert.deepEqual([...entries.keys()], [`awsmfa/${ALICE.accessKeyId}`]);
  assert.ok(Buffer.byteLength(entries.get(`awsmfa/${ALICE.accessKeyId}`)!, `utf16le`) <= 100);
  // And a failure of the store is one line that names the alternative.
  await assert.rejects(store.set(ALICE.accessKeyId, `x`.repeat(2000)), /the OS keyring cannot be used: Windows Credential Manager: CredWrite: the blob is larger than 2,560 bytes; or keep the keys in an encrypted file instead: awsmfa keys move --to file/);
});

describe(`keys at rest, against moto and the AWS CLI`, {skip: skip || motoMissing() || (existsSync(AWS) ? false : `no AWS CLI v2 at ${AWS}`)}, () => {
  let moto: Awaited<ReturnType<typeof startMoto>> | undefined;
  let motoBus: Awaited<ReturnType<typeof startKeyring>> | undefined;
  let home: Sandbox | undefined;
  before(async () => {
    moto = await startMoto();
    motoBus = await startKeyring(true);
    home = makeSandbox({endpoint: moto.url});
  });
  after(async () => {
    moto?.stop();
    await stopKeyring(motoBus);
    home?.cleanup();
  });

  test(`after an import, moto's GetSessionToken works with the stored key, and the AWS CLI signs with the session through credential_process`, async () => {
    const env = {...home!.env, DBUS_SESSION_BUS_ADDRESS: motoBus!.address};
    assert.equal((await runAwsmfa([`keys`, `import`], env)).exitCode, 0);
    assert.doesNotMatch(readFileSync(join(home!.awsDir, `credentials`), `utf8`), /aws_secret_access_key/);
    const session = await runAwsmfa([`env`, `--shell`, `json`, `123456`], env);
    assert.equal(session.exitCode, 0, session.stderr);
    const issued = JSON.parse(session.stdout);
    // The AWS CLI, nothing in its environment but the sandbox: the profile's credential_process gives it the session.
    const exported = spawnSync(AWS, [`configure`, `export-credentials`, `--profile`, `default`, `--format`, `process`], {env, encoding: `utf8`});
    assert.equal(exported.status, 0, exported.stderr);
    assert.equal(JSON.parse(exported.stdout).AccessKeyId, issued.AccessKeyId);
    const identity = spawnSync(AWS, [`sts`, `get-caller-identity`, `--profile`, `default`, `--endpoint-url`, moto!.url, `--output`, `json`], {env, encoding: `utf8`});
    assert.equal(identity.status, 0, identity.stderr);
    assert.match(JSON.parse(identity.stdout).Arn, /^arn:aws:sts::\d{12}:/);
    for (const file of filesUnder(home!.home))
      assert.ok(!readFileSync(file).includes(ALICE.secretAccessKey), `the secret is in ${file}`);
  });
});

test(`the file store's scrypt stanza (node:crypto) is age-encryption's own: each reads what the other wrote, and a wrong passphrase is told apart`, async () => {
  const age = await import(`../src/bundles/age.js`);
  // Work factor 2^10 here: the format is the same at any factor, and the store's own 2^18 is checked above.
  const theirs = new age.Encrypter();
  theirs.setScryptWorkFactor(10);
  theirs.setPassphrase(`pass phrase`);
  const fromLibrary = new age.Decrypter();
  fromLibrary.addIdentity(new NodeScryptIdentity(`pass phrase`));
  assert.equal(await fromLibrary.decrypt(await theirs.encrypt(`written by age-encryption`), `text`), `written by age-encryption`);

  const ours = new age.Encrypter();
  ours.addRecipient(new NodeScryptRecipient(`pass phrase`, age.Stanza, 10));
  const encrypted = await ours.encrypt(`written by awsmfa`);
  const byLibrary = new age.Decrypter();
  byLibrary.addPassphrase(`pass phrase`);
  assert.equal(await byLibrary.decrypt(encrypted, `text`), `written by awsmfa`);

  const wrong = new NodeScryptIdentity(`another`);
  const withWrong = new age.Decrypter();
  withWrong.addIdentity(wrong);
  await assert.rejects(withWrong.decrypt(encrypted, `text`), /no identity matched/);
  assert.equal(wrong.wrong, true);
  // A work factor above 2^20 (1 GiB and more) is refused before scrypt runs, as age-encryption refuses it.
  const greedy = Buffer.from(Buffer.from(encrypted).toString(`latin1`).replace(/^(-> scrypt \S+) 10$/m, `$1 30`), `latin1`);
  const refusing = new NodeScryptIdentity(`pass phrase`);
  const withGreedy = new age.Decrypter();
  withGreedy.addIdentity(refusing);
  await assert.rejects(withGreedy.decrypt(greedy, `text`), /work factor is too high/);
  assert.equal(refusing.wrong, false);
});

test(`the cached path's bundle holds no store: dist/fast.cjs names neither @napi-rs/keyring nor age-encryption`, () => {
  const fast = readFileSync(fileURLToPath(new URL(`../dist/fast.cjs`, import.meta.url)), `utf8`);
  assert.ok(fast.length > 1000, `dist/fast.cjs is built`);
  assert.doesNotMatch(fast, /@napi-rs\/keyring|age-encryption|keys\.age/);
  const main = readFileSync(fileURLToPath(new URL(`../dist/main.js`, import.meta.url)), `utf8`);
  assert.match(main, /require\("@napi-rs\/keyring"\)/, `the full CLI loads the keyring only when a store is opened`);
  assert.doesNotMatch(main, /scryptWorkFactor/, `age-encryption is a bundle of its own (dist/age.cjs), loaded only for the file store`);
  assert.match(main, /require\("\.\.\/bundles\/age\.js"\)/);
});
