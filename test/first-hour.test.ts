/**
 * What a newcomer sees (issue 20): awsmfa says what it did, on stderr, in a line, and --quiet (AWSMFA_QUIET=1) turns
 * those lines off; `env` at a prompt gives a hint instead of secrets; a slow STS shows one "asking STS" line on a
 * terminal, gone when the answer comes; `clear` lists what it deleted; a profile without keys says what it is.
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {assertFailureOutput, BIN, runAwsmfa} from './support/run.js';
import {onTty} from './support/on-tty.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ADMIN_ROLE, ALICE} from './support/sts-server.js';
import {loadFactor, scaled} from './support/timing.js';

useStandIn();
const run = (args: string[], env: Record<string, string> = {}) => runAwsmfa(args, {...sandbox.env, ...env});
const awsmfa = (args: string[]) => [process.execPath, BIN, ...args];
/** The stand-in takes a code once: another for each new session. */
const nextCode = () => String((Number(sts.code) + 1) % 900000 + 100000);

describe(`env at a prompt`, () => {
  test(`stdout a terminal and no --shell: a hint, no secrets, no code spent; --shell prints them`, async () => {
    const hint = await onTty(awsmfa([`env`, sts.code]), [], sandbox.env, {stdout: `tty`});
    assert.equal(hint.exit, 2, hint.screen);
    assert.match(hint.screen, /awsmfa: env prints shell code that sets the session, and here it would only show the secrets: run mfa \(see awsmfa init\), or eval "\$\(awsmfa env\)"/);
    assert.doesNotMatch(hint.screen, /AWS_SECRET_ACCESS_KEY|ASIA/);
    assert.equal(sts.sessionRequests.length, 0, `the code is still good`);
    // The fast path (a cached session) sends it to the full CLI, which gives the same hint.
    assert.equal((await run([`env`, `--shell`, `bash`, sts.code])).exitCode, 0);
    const cached = await onTty(awsmfa([`env`]), [], sandbox.env, {stdout: `tty`});
    assert.equal(cached.exit, 2, cached.screen);
    assert.match(cached.screen, /here it would only show the secrets/);
    const asked = await onTty(awsmfa([`env`, `--shell`, `bash`]), [], sandbox.env, {stdout: `tty`});
    assert.equal(asked.exit, 0, asked.screen);
    assert.match(asked.screen, /AWS_SECRET_ACCESS_KEY='/);
  });
});

describe(`a slow STS`, () => {
  test(`on a terminal: one "asking STS" line after a second, erased when the answer comes`, async () => {
    sts.delayMs = 2_500;
    // stderr a terminal, stdout captured: eval "$(awsmfa env 123456)" typed at a prompt.
    const result = await onTty(awsmfa([`env`, `--shell`, `bash`, sts.code]), [], sandbox.env);
    assert.equal(result.exit, 0, result.screen);
    assert.match(result.stdout, /AWS_SESSION_TOKEN=/);
    assert.match(result.screen, new RegExp(`^awsmfa: asking STS at ${sts.url.replace(/[.]/g, `\\.`)} for an MFA session of ${ALICE.serialNumber}\\.\\.\\. \\(Ctrl\\+C to stop\\)\\r\\x1b\\[Kawsmfa: new session for`));
    assert.equal(result.screen.match(/asking STS/g)?.length, 1);
  });

  test(`no line when the answer is quick, on a captured stderr, or with --quiet`, async () => {
    const quick = await onTty(awsmfa([`env`, `--shell`, `bash`, sts.code]), [], sandbox.env);
    assert.equal(quick.exit, 0, quick.screen);
    // The line counts awsmfa's own second (loading the SDK included): on a quiet machine a quick answer shows none;
    // on a loaded one that second can pass before the answer, and then only a run that took it may show the line.
    if (loadFactor() < 2)
      assert.doesNotMatch(quick.screen, /asking STS/);
    else if (/asking STS/.test(quick.screen))
      assert.ok(quick.seconds >= 1, `the line showed after ${quick.seconds} s`);
    sts.delayMs = 1_800;
    sts.code = nextCode();
    const captured = await run([`env`, `--shell`, `bash`, `--force`, sts.code]);
    assert.equal(captured.exitCode, 0, captured.stderr);
    assert.doesNotMatch(captured.stderr, /asking STS|\x1b/);
    sts.code = nextCode();
    const quiet = await onTty(awsmfa([`env`, `--shell`, `bash`, `--force`, `--quiet`, sts.code]), [], sandbox.env);
    assert.equal(quiet.exit, 0, quiet.screen);
    assert.equal(quiet.screen, ``, `--quiet: nothing at all on success`);
    sts.code = nextCode();
    const quietEnv = await onTty(awsmfa([`env`, `--shell`, `bash`, `--force`, sts.code]), [], {...sandbox.env, AWSMFA_QUIET: `1`});
    assert.equal(quietEnv.screen, ``);
  });

  test(`Ctrl+C while it waits: the line is ended and awsmfa stops`, async () => {
    sts.broken = `silent`;
    const result = await onTty(awsmfa([`env`, `--shell`, `bash`, sts.code]), [{expect: `(Ctrl+C to stop)`}, {send: `\x03`}], sandbox.env, {limit: 20});
    assert.equal(result.failed, null, result.screen);
    assert.ok(result.seconds * 1000 < scaled(10_000, 18_000), `stopped at once (${result.seconds} s)`);
    assert.notEqual(result.exit, 0);
    assert.match(result.screen, /\(Ctrl\+C to stop\)\^?C?\r?\n/);
    // awsmfa dies of the signal, as the shell that runs it does (Ctrl+C reaches the whole job), having printed only
    // the failure statement: an eval of its output fails too.
    assert.equal(result.stdout, `false\n`);
  });
});

describe(`clear and logout say what went`, () => {
  test(`clear --profile of a role: the role's session and the MFA session, each named by profile and kind`, async () => {
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\n`);
    assert.equal((await run([`env`, `--shell`, `bash`, `--profile`, `admin`, sts.code])).exitCode, 0);
    const result = await run([`clear`, `--profile`, `admin`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, ``);
    const lines = result.stderr.trimEnd().split(`\n`);
    assert.equal(lines[0], `awsmfa: deleted 2 cached sessions of profile 'admin'`);
    assert.deepEqual(lines.slice(1).map(line => line.replace(/\(\d+h \d+m left\)|\(\d+m left\)/, `(T left)`)), [
      `  profile 'admin': role session of ${ADMIN_ROLE} (T left)`,
      `  profile 'admin': MFA session of ${ALICE.serialNumber} (T left)`,
    ]);
    const again = await run([`clear`, `--profile`, `admin`]);
    assert.equal(again.stderr, `awsmfa: no cached session of profile 'admin' to delete\n`);
    assert.equal((await run([`clear`, `--quiet`])).stderr, ``);
  });

  test(`a hostile profile name in a cache file is shown, not obeyed`, async () => {
    assert.equal((await run([`env`, `--shell`, `bash`, sts.code])).exitCode, 0);
    const {readdirSync, readFileSync, writeFileSync} = await import(`node:fs`);
    const {join} = await import(`node:path`);
    const file = readdirSync(join(sandbox.cacheDir, `awsmfa`)).find(name => name.startsWith(`session-`))!;
    const path = join(sandbox.cacheDir, `awsmfa`, file);
    writeFileSync(path, readFileSync(path, `utf8`).replace(`"profile": "default"`, `"profile": "x\\u001b]0;owned\\u0007\\u009b2J"`));
    const result = await run([`clear`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /profile 'x\\x1b\]0;owned\\x07\\u009b2J': MFA session of/);
    assert.doesNotMatch(result.stderr, /[\x1b\x07\u009b]/);
  });
});

describe(`a profile without long-term keys`, () => {
  test(`a credential_process profile says what it is and which profile to use`, async () => {
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile viamfa]\nregion = eu-west-1\ncredential_process = awsmfa credential-process --profile default\n\n[profile other]\ncredential_process = /opt/vault/get-creds\n\n[profile sso]\nsso_session = corp\n`);
    for (const command of [[`env`, `--shell`, `bash`], [`login`], [`exec`, `--`, `true`]]) {
      const named = await run([...command.slice(0, 1), `--profile`, `viamfa`, ...command.slice(1), sts.code]);
      assert.equal(named.exitCode, 2, named.stderr);
      assertFailureOutput(named);
      assert.match(named.stderr, /^awsmfa: profile 'viamfa' gets its credentials from credential_process, not from long-term keys, .*use --profile default, which its credential_process names/);
    }
    const other = await run([`env`, `--shell`, `bash`, `--profile`, `other`, sts.code]);
    assert.match(other.stderr, /profile 'other' gets its credentials from credential_process, .*pass that one with --profile/);
    const sso = await run([`env`, `--shell`, `bash`, `--profile`, `sso`, sts.code]);
    assert.match(sso.stderr, /^awsmfa: profile 'sso' has IAM Identity Center \(SSO\) settings but no sso_account_id and sso_role_name.*then run aws sso login --profile sso\n$/);
    assert.equal(sts.sessionRequests.length, 0);
  });
});
