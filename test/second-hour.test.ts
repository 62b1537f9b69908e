/**
 * A newcomer's second hour (issue 27, item 7), tried as a new user would: the code typed again within its 30 s, a
 * profile name mistyped, a code typed as the app shows it (`123 456`), what --verbose says of the limits of a
 * request. The shells' own items (mfa-unset's arguments, the sticky AWS_PROFILE, zsh's completion order, elvish's
 * tracebacks) are tested with the shells' files.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {assertFails, ROOT, runAwsmfaWithTty, spawnAndCollect} from './support/run.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {runScript, skipUnlessShell} from './support/shells.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ADMIN_ROLE, ALICE} from './support/sts-server.js';

const {run} = useStandIn();

describe(`mfa CODE a second time within the same 30 s`, () => {
  test(`in bash: STS refuses the used code, the line says the cached session is valid and that mfa alone takes it; mfa does`, {skip: skipUnlessShell(`bash`)}, async () => {
    const script = [`source '${join(ROOT, `shell`, `awsmfa.bash`)}'`, `mfa ${sts.code}`, `echo "first:$?"`, `mfa ${sts.code}`, `echo "second:$?"`, `mfa`, `echo "alone:$?"`, `printf '%s\\n' "$AWS_ACCESS_KEY_ID"`, ``].join(`\n`);
    const result = await runScript(`bash`, script, awsmfaOnPath(sandbox));
    const issued = sts.issued.at(-1)!;
    assert.deepEqual(result.stdout.split(`\n`), [`first:0`, `second:1`, `alone:0`, issued.accessKeyId, ``]);
    const lines = result.stderr.split(`\n`);
    assert.match(lines[0]!, /^awsmfa: new session for /);
    assert.match(lines[1]!, /^awsmfa: STS rejected the MFA code for arn:aws:iam::123456789012:mfa\/alice: it is wrong, expired or already used \(AWS takes a code once\); the cached session of profile 'default' is still valid \(1[12]h \d\dm left\): mfa with no code takes it, or wait for the next code for a new one$/);
    assert.match(lines[2]!, /^awsmfa: default: cached session, 1[12]h \d\dm left$/);
    assert.equal(sts.issued.length, 1, `one session, and the refused code cost nothing else`);
  });

  test(`a role: the MFA session it is assumed from is named, and mfa --profile admin takes the role from it with no code`, async () => {
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = default\nregion = eu-west-1\n`);
    assert.equal((await run([`env`, `--shell`, `bash`, sts.code])).exitCode, 0);
    assertFails(await run([`env`, `--mfa-shell`, `bash`, `--profile`, `admin`, sts.code]), 1, /the cached MFA session of arn:aws:iam::123456789012:mfa\/alice is still valid \(1[12]h \d\dm left\): mfa --profile admin with no code assumes the role from it, or wait/);
    const taken = await run([`env`, `--mfa-shell`, `bash`, `--profile`, `admin`]);
    assert.equal(taken.exitCode, 0, taken.stderr);
  });
});

describe(`a mistyped profile name gets "did you mean", as commands and options do`, () => {
  test(`every command that takes a profile names the one the AWS files have, in one line; nothing close, no guess`, async () => {
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile work]\nregion = eu-west-1\nsource_profile = default\n\n[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = defualt\n`);
    const notIn = `is not in ${sandbox.awsDir}/credentials nor ${sandbox.awsDir}/config`;
    const cases: Array<[string[], Record<string, string>, number, string]> = [
      [[`env`, `--profile`, `wrok`, sts.code], {}, 2, `^awsmfa: profile 'wrok' ${notIn}; did you mean 'work'\\? \\(check --profile / AWS_PROFILE\\)\\n$`],
      [[`env`, sts.code], {AWS_PROFILE: `Work`}, 2, `^awsmfa: profile 'Work' ${notIn}; did you mean 'work'\\?`],
      [[`exec`, `--profile`, `wrok`, `--`, `true`], {}, 2, `did you mean 'work'\\?`],
      [[`credential-process`, `--profile`, `wrok`], {}, 2, `did you mean 'work'\\?`],
      [[`whoami`, `--profile`, `wrok`], {}, 2, `^awsmfa: no credentials in effect: AWS_ACCESS_KEY_ID is not set, and profile 'wrok' ${notIn}; did you mean 'work'\\?`],
      [[`logout`, `--profile`, `wrok`], {}, 2, `^awsmfa: nothing was removed: profile 'wrok' ${notIn}; did you mean 'work'\\?`],
      [[`keys`, `import`, `--profile`, `wrok`], {}, 2, `^awsmfa: profile 'wrok' ${notIn}; did you mean 'work'\\?\\n$`],
      // A source_profile mistyped in the file is a slip too.
      [[`env`, `--profile`, `admin`, sts.code], {}, 2, `^awsmfa: the source_profile 'defualt' of profile 'admin' ${notIn}; did you mean 'default'\\?\\n$`],
      [[`env`, `--profile`, `production`, sts.code], {}, 2, `^awsmfa: profile 'production' ${notIn} \\(check --profile / AWS_PROFILE\\)\\n$`],
    ];
    for (const [args, env, code, message] of cases)
      assertFails(await run(args, env), code, new RegExp(message));
    // A note that found nothing says it too (exit 0: nothing was asked to be there).
    const clear = await run([`clear`, `--profile`, `wrok`]);
    assert.equal(clear.exitCode, 0);
    assert.equal(clear.stderr, `awsmfa: no cached session of profile 'wrok' to delete; profile 'wrok' ${notIn}; did you mean 'work'?\n`);
    const status = await run([`status`, `--profile`, `wrok`]);
    assert.match(status.stdout, new RegExp(`^cached for profile 'wrok': none \\(profile 'wrok' ${notIn}; did you mean 'work'\\?`, `m`));
    // login's session profile: among the credentials file's profiles.
    assert.equal((await run([`login`, `--update-profile`, `work-mfa`, sts.code])).exitCode, 0);
    assertFails(await run([`logout`, `--update-profile`, `wrok-mfa`]), 1, /^awsmfa: nothing was removed: there is no profile 'wrok-mfa' in .*credentials; did you mean 'work-mfa'\?\n$/);
    assert.equal(sts.sessionRequests.length, 1, `no slip cost a code`);
  });

  test(`10,000 profiles: the suggestion is still one line and quick`, async () => {
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n${Array.from({length: 10_000}, (_, index) => `[profile team-${index}]\nregion = eu-west-1\n`).join(``)}`);
    const started = Date.now();
    assertFails(await run([`env`, `--profile`, `team-12345x`, sts.code]), 2, /; did you mean 'team-1234'\? /);
    assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  });
});

describe(`a code typed as the app shows it (123 456) is taken`, () => {
  test(`one word with the space, two words, after --code or -c, at the prompt and from mfa_process; the same code reaches STS`, async () => {
    // A new code for each try (STS takes a code once), split as the app shows it.
    const next = (): [string, string] => {
      sts.code = String(100000 + Math.floor(Math.random() * 900000));
      return [sts.code.slice(0, 3), sts.code.slice(3)];
    };
    const forms: Array<(first: string, second: string) => string[]> = [
      (first, second) => [`${first} ${second}`],
      (first, second) => [first, second],
      (first, second) => [`--code`, first, second],
      (first, second) => [`--code`, `${first} ${second}`],
      (first, second) => [`--code=${first} ${second}`],
      (first, second) => [`-c`, first, second],
      (first, second) => [first, second, `--profile`, `default`],
    ];
    for (const form of forms) {
      const words = form(...next());
      const result = await run([`env`, `--shell`, `bash`, `--no-cache`, ...words]);
      assert.equal(result.exitCode, 0, `${JSON.stringify(words)}: ${result.stderr}`);
      assert.equal(sts.sessionRequests.at(-1)!.params.TokenCode, sts.code, JSON.stringify(words));
    }
    // exec: the code before the --, the command's words after it untouched.
    const exec = await run([`exec`, `--no-cache`, ...next(), `--`, `echo`, `123`, `456`]);
    assert.equal(exec.stdout, `123 456\n`, exec.stderr);
    // Typed at the prompt.
    const typed = await runAwsmfaWithTty([next().join(` `)], [`env`, `--shell`, `json`, `--no-cache`], sandbox.env);
    assert.equal(typed.exitCode, 0, typed.stderr);
    assert.equal(sts.sessionRequests.at(-1)!.params.TokenCode, sts.code);
    // Printed by mfa_process (a password manager's OTP as the app shows it).
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\nmfa_process = echo '${next().join(` `)}'\n`);
    const printed = await run([`env`, `--shell`, `bash`, `--no-cache`]);
    assert.equal(printed.exitCode, 0, printed.stderr);
    assert.equal(sts.sessionRequests.at(-1)!.params.TokenCode, sts.code);
  });

  test(`in bash: mfa 123 456`, {skip: skipUnlessShell(`bash`)}, async () => {
    const script = [`source '${join(ROOT, `shell`, `awsmfa.bash`)}'`, `mfa ${sts.code.slice(0, 3)} ${sts.code.slice(3)}`, `printf '%s\\n' "$AWS_ACCESS_KEY_ID"`, ``].join(`\n`);
    const result = await runScript(`bash`, script, awsmfaOnPath(sandbox));
    assert.equal(result.stdout, `${sts.issued.at(-1)!.accessKeyId}\n`, result.stderr);
  });

  test(`anything else that is not one code stays refused, before STS is asked`, async () => {
    const refused: Array<[string[], RegExp]> = [
      [[`123`, `4567`], /unexpected arguments for awsmfa env/],
      [[`12`, `3456`], /unexpected arguments for awsmfa env/],
      [[`123`, `456`, `789`], /unexpected arguments for awsmfa env/],
      [[`123  456`], /Invalid value for code: expected 6 digits/],
      [[`123-456`], /Invalid value for code: expected 6 digits/],
      [[`123`], /Invalid value for code: expected 6 digits/],
      [[`123`, `--profile`, `default`, `456`], /unexpected arguments for awsmfa env/],
      // A value of another option is never half a code.
      [[`-d`, `900`, `123`], /Invalid value for code/],
      // Two codes, one spaced: still two.
      [[`--code`, `111 111`, `222222`], /two different codes given/],
    ];
    for (const [words, message] of refused)
      assertFails(await run([`env`, `--shell`, `bash`, ...words]), 2, message);
    assert.equal(sts.requests.length, 0);
    // init takes a shell, not a code: its words are not joined.
    assertFails(await run([`init`, `123`, `456`]), 2, /unexpected arguments|no shell integration/);
  });
});

describe(`--verbose states the limits the client really has`, () => {
  /** A TCP server that accepts and never answers: the silent endpoint of a dead proxy. */
  async function silent(): Promise<{url: string, server: Server}> {
    const server = createServer(socket => socket.on(`error`, () => {}));
    await new Promise<void>(resolve => server.listen(0, `127.0.0.1`, resolve));
    const address = server.address();
    assert.ok(address !== null && typeof address === `object`);
    return {url: `http://127.0.0.1:${address.port}`, server};
  }

  test(`a call with a code: one attempt, answered within 10 s or given up; said before, and the error says after how long`, async () => {
    const {url, server} = await silent();
    try {
      const started = Date.now();
      const result = await run([`env`, `--shell`, `bash`, `--verbose`, `--no-cache`, sts.code], {AWS_ENDPOINT_URL_STS: url});
      const took = Date.now() - started;
      assert.equal(result.exitCode, 1);
      assert.match(result.stderr, /^awsmfa: GetSessionToken at .* signed by AKIAALICEEXAMPLE0001 \(.*\): one attempt \(a code is sent once; again only if it never reached STS\), waiting up to 5 s to connect and 10 s for the answer, within \d+(\.\d)? s left of the 30 s budget$/m);
      assert.match(result.stderr, /^awsmfa: no answer from STS at http:\/\/127\.0\.0\.1:\d+ within 10 s \(one attempt: a code is sent once\); check your network and proxy, or AWS_ENDPOINT_URL_STS, which chose that endpoint$/m);
      assert.ok(took > 9_000 && took < 25_000, `gave up after ${took} ms, as said`);
    } finally {
      server.close();
    }
  });

  test(`a call without a code (whoami): up to 3 attempts within the budget, and --timeout is the budget`, async () => {
    const {url, server} = await silent();
    try {
      const started = Date.now();
      const result = await run([`whoami`, `--verbose`, `--timeout`, `4s`], {AWS_ENDPOINT_URL_STS: url});
      const took = Date.now() - started;
      assert.equal(result.exitCode, 1);
      assert.match(result.stderr, /^awsmfa: GetCallerIdentity at .*: up to 3 attempts, waiting up to \d(\.\d)? s to connect and \d(\.\d)? s for the answer, within \d(\.\d)? s left of the 4 s budget$/m);
      assert.match(result.stderr, /^awsmfa: no answer from STS at .* within 4 s; check /m);
      assert.ok(took > 3_000 && took < 15_000, `gave up after ${took} ms`);
    } finally {
      server.close();
    }
  });
});


describe(`what awsmfa wrote or printed by path, after awsmfa is moved or Node upgraded`, () => {
  /** Runs the SDK's own credential_process provider for the profile: the access key id it got, or its error. */
  function sdkKeyFor(profile: string): string {
    const result = spawnSync(process.execPath, [`-e`, `require('@aws-sdk/credential-providers').fromIni({profile: '${profile}'})().then(c => console.log(c.accessKeyId), e => console.log('error ' + e.message))`], {cwd: ROOT, env: sandbox.env, encoding: `utf8`, timeout: 60_000});
    return result.stdout.trim();
  }

  test(`status and keys list --check say the credential_process and the rc file's path are broken, and how to mend; keys import again mends the line`, async () => {
    // An install of its own, with a node of its own: the clone before it moved, the Node before an upgrade.
    const old = join(sandbox.home, `old`);
    mkdirSync(join(old, `bin`), {recursive: true});
    copyFileSync(process.execPath, join(old, `bin`, `node`));
    chmodSync(join(old, `bin`, `node`), 0o755);
    for (const part of [`dist`, `shell`, `package.json`])
      cpSync(join(ROOT, part), join(old, `awsmfa`, part), {recursive: true});
    symlinkSync(join(ROOT, `node_modules`), join(old, `awsmfa`, `node_modules`));
    const passphrase = join(sandbox.home, `passphrase`);
    writeFileSync(passphrase, `a passphrase\n`, {mode: 0o600});
    const env = {...sandbox.env, AWSMFA_PASSPHRASE_FILE: passphrase};
    const oldAwsmfa = (args: string[]) => spawnAndCollect(join(old, `bin`, `node`), [join(old, `awsmfa`, `dist`, `awsmfa.cjs`), ...args], {env});
    assert.equal((await oldAwsmfa([`keys`, `import`, `--to`, `file`])).exitCode, 0);
    assert.equal((await oldAwsmfa([`init`, `--path`, `bash`])).stdout, `${join(old, `awsmfa`, `shell`, `awsmfa.bash`)}\n`);
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile via-process]\nregion = eu-west-1\ncredential_process = ${readFileSync(join(sandbox.awsDir, `credentials`), `utf8`).match(/^credential_process = (.*)$/m)![1]}\n`);
    assert.equal((await run([`env`, `--shell`, `bash`, sts.code], env)).exitCode, 0);
    const session = sts.issued.at(-1)!.accessKeyId;
    assert.equal(sdkKeyFor(`via-process`), session, `the line works while the old install is there`);
    const fine = await run([`status`], env);
    assert.doesNotMatch(fine.stdout, /broken/);

    // The old install goes.
    rmSync(old, {recursive: true, force: true});
    assert.match(sdkKeyFor(`via-process`), /^error /, `the SDK cannot run the line now`);
    const status = await run([`status`], env);
    assert.equal(status.exitCode, 0, `the session in use is still valid`);
    const broken = status.stdout.split(`\n`).filter(line => line.startsWith(`broken: `));
    assert.deepEqual(broken, [
      `broken: the credential_process of profile 'default' cannot run: ${join(old, `bin`, `node`)} is gone (awsmfa moved, or Node upgraded): awsmfa keys import --profile default --to file points it at the awsmfa in use now`,
      `broken: the credential_process of profile 'via-process' cannot run: ${join(old, `bin`, `node`)} is gone (awsmfa moved, or Node upgraded): awsmfa keys import --profile via-process points it at the awsmfa in use now`,
      `broken: the file awsmfa init --path bash gave (${join(old, `awsmfa`, `shell`, `awsmfa.bash`)}) is gone (awsmfa moved, or installed under another Node): an rc file that sources it needs what awsmfa init --path bash prints now`,
    ]);
    assert.equal(JSON.parse((await run([`status`, `--json`], env)).stdout).broken.length, 3);
    const listed = await run([`keys`, `list`, `--check`], env);
    assert.equal(listed.stdout, `default\t${ALICE.accessKeyId}\tfile\tpresent\tcredential_process broken\n`);
    assert.match(listed.stderr, /^awsmfa: the credential_process of profile 'default' cannot run: .* is gone .*: awsmfa keys import --profile default --to file points it at the awsmfa in use now\n$/);

    // The mend it names, with the awsmfa in use now: the line runs this awsmfa, and works.
    const mended = await run([`keys`, `import`, `--profile`, `default`, `--to`, `file`], env);
    assert.equal(mended.exitCode, 0, mended.stderr);
    assert.match(mended.stderr, /^awsmfa: the keys of profile 'default' are in file already; its credential_process now runs this awsmfa \(.*credential-process --profile default\)\n$/);
    const line = readFileSync(join(sandbox.awsDir, `credentials`), `utf8`).match(/^credential_process = (.*)$/m)![1]!;
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile via-process]\nregion = eu-west-1\ncredential_process = ${line}\n`);
    assert.equal(sdkKeyFor(`via-process`), session);
    assert.equal((await run([`init`, `--path`, `bash`], env)).exitCode, 0);
    assert.doesNotMatch((await run([`status`], env)).stdout, /broken/);
    assert.match((await run([`keys`, `import`, `--profile`, `default`, `--to`, `file`], env)).stderr, /are in file already, and its credential_process runs this awsmfa\n$/, `again: nothing to change`);
  });
});
