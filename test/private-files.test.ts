/**
 * Private means private (issue 26 items 6 and 9): the file AWSMFA_PASSPHRASE_FILE names holds a secret, so it must
 * be a regular file of the user's that no one else can read (0600 or 0400, as ssh requires of a private key): any
 * other mode is one line, and nothing changes. And a file refused is called what it is: an oversized keys.age is
 * too large, not "written by others".
 */
import assert from 'node:assert/strict';
import {chmodSync, mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {runAwsmfa} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ALICE} from './support/sts-server.js';

useStandIn();

const BROKEN_BUS = `unix:path=/nonexistent/awsmfa-test-bus`;
const credentials = () => readFileSync(join(sandbox.awsDir, `credentials`), `utf8`);
const keysFolder = () => join(sandbox.home, `.local`, `share`, `awsmfa`, `keys`);

/** A passphrase file with this mode (set after writing: the umask does not decide it). */
function passphraseFile(mode: number): string {
  const file = join(sandbox.home, `passphrase`);
  writeFileSync(file, `private passphrase\n`, {mode: 0o600});
  chmodSync(file, mode);
  return file;
}

describe(`AWSMFA_PASSPHRASE_FILE`, () => {
  for (const mode of [0o644, 0o640, 0o604, 0o660, 0o606, 0o610]) {
    test(`mode ${mode.toString(8)}: refused in one line, the keys stay where they were`, async () => {
      const before = credentials();
      const result = await runAwsmfa([`keys`, `import`, `--to`, `file`], {...sandbox.env, AWSMFA_PASSPHRASE_FILE: passphraseFile(mode), DBUS_SESSION_BUS_ADDRESS: BROKEN_BUS});
      assert.equal(result.exitCode, 2, result.stderr);
      assert.equal(result.stdout, ``);
      const why = (mode & 0o022) !== 0 ? `written` : `read`;
      assert.match(result.stderr, new RegExp(`^awsmfa: AWSMFA_PASSPHRASE_FILE \\S+passphrase can be ${why} by others \\(mode 0${mode.toString(8)}\\): it must be a regular file of yours that no one else can read or write \\(chmod 600 it\\)\\n$`));
      assert.ok(!result.stderr.includes(`private passphrase`));
      assert.equal(credentials(), before, `nothing changed`);
    });
  }

  test(`a link to a private file, and a folder: refused, saying which`, async () => {
    const target = passphraseFile(0o600);
    const link = join(sandbox.home, `link`);
    symlinkSync(target, link);
    const linked = await runAwsmfa([`keys`, `import`, `--to`, `file`], {...sandbox.env, AWSMFA_PASSPHRASE_FILE: link, DBUS_SESSION_BUS_ADDRESS: BROKEN_BUS});
    assert.equal(linked.exitCode, 2);
    assert.match(linked.stderr, /^awsmfa: AWSMFA_PASSPHRASE_FILE \S+link is a symbolic link: it must be a regular file of yours/);
    const folder = await runAwsmfa([`keys`, `import`, `--to`, `file`], {...sandbox.env, AWSMFA_PASSPHRASE_FILE: sandbox.awsDir, DBUS_SESSION_BUS_ADDRESS: BROKEN_BUS});
    assert.equal(folder.exitCode, 2);
    assert.match(folder.stderr, /^awsmfa: AWSMFA_PASSPHRASE_FILE \S+\.aws is not a regular file: it must be/);
  });

  for (const mode of [0o600, 0o400]) {
    test(`mode ${mode.toString(8)}: taken, and a session is signed with the stored key`, {timeout: 180_000}, async () => {
      const env = {...sandbox.env, AWSMFA_PASSPHRASE_FILE: passphraseFile(mode), DBUS_SESSION_BUS_ADDRESS: BROKEN_BUS};
      const imported = await runAwsmfa([`keys`, `import`, `--to`, `file`], env, {timeoutMs: 120_000});
      assert.equal(imported.exitCode, 0, imported.stderr);
      assert.ok(!credentials().includes(ALICE.secretAccessKey));
      const session = await runAwsmfa([`env`, `--shell`, `json`, `--code`, sts.code], env, {timeoutMs: 120_000});
      assert.equal(session.exitCode, 0, session.stderr);
      assert.equal(sts.sessionRequests.at(-1)!.signatureValid, true);
    });
  }
});

test(`an oversized keys.age is called too large, not another user's file`, async () => {
  sandbox.writeCredentials(`[default]\nawsmfa_key_store = file\nawsmfa_access_key_id = ${ALICE.accessKeyId}\n`);
  mkdirSync(keysFolder(), {recursive: true, mode: 0o700});
  const file = join(keysFolder(), `keys.age`);
  writeFileSync(file, ``, {mode: 0o600});
  truncateSync(file, 17 * 1024 * 1024);
  const result = await runAwsmfa([`env`, `--shell`, `json`, `--code`, sts.code], {...sandbox.env, AWSMFA_PASSPHRASE_FILE: passphraseFile(0o600), DBUS_SESSION_BUS_ADDRESS: BROKEN_BUS});
  assert.equal(result.exitCode, 2, result.stderr);
  assert.match(result.stderr, /^awsmfa: \S+keys\.age is larger than 16 MiB, and awsmfa reads its keys only from a private file/);
  assert.doesNotMatch(result.stderr, /others could have written|another user/);
  assert.equal(sts.requests.length, 0, `no code spent`);
});
