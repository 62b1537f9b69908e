/** `awsmfa exec -- COMMAND`: the session in the command's environment, no shell in between, its status awsmfa's. */
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, test} from 'node:test';
import {assertFails, BIN} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {printVarsCommand} from './support/shells.js';
import {ALICE} from './support/sts-server.js';
import {scaled} from './support/timing.js';

const {run} = useStandIn();

const CTRL_C_PY = fileURLToPath(new URL(`./support/ctrl-c.py`, import.meta.url));

const printVars = (names: string[]) => printVarsCommand(names).split(` `);

const CTRL_C = `\u0003`;
const CTRL_BACKSLASH = `\u001c`;

/** Runs awsmfa as the foreground of a new terminal (support/ctrl-c.py) and types the keys once it shows "ready". */
function onTerminal(keys: string[], args: string[]): Promise<{exitCode: number | null, output: string}> {
  return new Promise(resolve => {
    const child = spawn(`python3`, [CTRL_C_PY, JSON.stringify(keys), process.execPath, BIN, ...args], {env: sandbox.env, stdio: [`ignore`, `pipe`, `inherit`]});
    let output = ``;
    child.stdout.setEncoding(`utf8`).on(`data`, chunk => output += chunk);
    child.on(`close`, exitCode => resolve({exitCode, output}));
  });
}

describe(`exec`, () => {
  test(`the command gets the session; a stale session, AWS_PROFILE and AWS_DEFAULT_PROFILE are gone`, async () => {
    const names = [`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION`, `AWS_SESSION_EXPIRATION`, `AWS_PROFILE`, `AWS_DEFAULT_PROFILE`, `AWS_SECURITY_TOKEN`, `AWSMFA_PROFILE`];
    const result = await run([`exec`, `--code`, sts.code, `--`, ...printVars(names)], {AWS_PROFILE: `default`, AWS_DEFAULT_PROFILE: `default`, AWS_SESSION_TOKEN: `stale`, AWS_SECURITY_TOKEN: `stale`});
    assert.equal(result.exitCode, 0, result.stderr);
    const issued = sts.issued.at(-1)!;
    const expiration = issued.expiration.toISOString().replace(`.000Z`, `Z`);
    assert.deepEqual(JSON.parse(result.stdout), {
      AWS_ACCESS_KEY_ID: issued.accessKeyId, AWS_SECRET_ACCESS_KEY: issued.secretAccessKey, AWS_SESSION_TOKEN: issued.sessionToken,
      AWS_CREDENTIAL_EXPIRATION: expiration, AWS_SESSION_EXPIRATION: expiration,
      AWS_PROFILE: null, AWS_DEFAULT_PROFILE: null, AWS_SECURITY_TOKEN: null, AWSMFA_PROFILE: `default`,
    });
    assert.equal(sts.sessionRequests[0]!.accessKeyId, ALICE.accessKeyId, `the stale session never signs`);
  });

  test(`the cached session is reused; the command's words after -- are its own, options and -- included`, async () => {
    assert.equal((await run([`exec`, `--code`, sts.code, `--`, `true`])).exitCode, 0);
    const result = await run([`exec`, `--`, `sh`, `-c`, `printf '%s|' "$@"`, `sh`, `--profile`, `x`, `--`, `it's "q" $HOME`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, `--profile|x|--|it's "q" $HOME|`);
    assert.equal(sts.sessionRequests.length, 1, `no second request`);
  });

  test(`stdin passes through, and the command's status is awsmfa's; a signal's is 128 + its number`, async () => {
    assert.equal((await run([`exec`, `--code`, sts.code, `--`, `true`])).exitCode, 0);
    const echoed = await run([`exec`, `--`, `cat`], {}, {input: `from stdin\n`});
    assert.equal(echoed.stdout, `from stdin\n`);
    assert.equal((await run([`exec`, `--`, `sh`, `-c`, `exit 7`])).exitCode, 7);
    assert.equal((await run([`exec`, `--`, `sh`, `-c`, `kill -TERM $$`])).exitCode, 143);
  });

  test(`SIGTERM and SIGHUP sent to awsmfa alone are passed on to the command`, async () => {
    assert.equal((await run([`exec`, `--code`, sts.code, `--`, `true`])).exitCode, 0);
    for (const signal of [`SIGTERM`, `SIGHUP`] as const) {
      const name = signal.slice(3);
      // In a process group of its own, so that a command left behind (the failure this test looks for) is ended
      // rather than holding the test's pipe open for ever.
      const child = spawn(process.execPath, [BIN, `exec`, `--`, `sh`, `-c`, `trap 'echo got ${name}; exit 3' ${name}; echo ready; while :; do sleep 0.1; done`], {env: sandbox.env, stdio: [`ignore`, `pipe`, `pipe`], detached: true});
      const stop = setTimeout(() => process.kill(-child.pid!, `SIGKILL`), 15_000);
      let stdout = ``;
      child.stdout.setEncoding(`utf8`).on(`data`, chunk => {
        stdout += chunk;
        if (stdout === `ready\n`)
          child.kill(signal);
      });
      const status = await new Promise(resolve => child.on(`close`, resolve));
      clearTimeout(stop);
      assert.equal(stdout, `ready\ngot ${name}\n`, signal);
      assert.equal(status, 3, signal);
    }
  });

  test(`Ctrl+C at a terminal reaches the command once per key, from the terminal; its death by SIGINT is awsmfa's 130`, async () => {
    assert.equal((await run([`exec`, `--code`, sts.code, `--`, `true`])).exitCode, 0);
    // The terminal signals the whole foreground group, awsmfa and the command: a SIGINT passed on by awsmfa would
    // be a second one (Terraform takes it as "exit now" and leaves its state lock). The command takes each SIGINT
    // as it comes (sigwaitinfo) and says who sent it; at the fifth it dies of it.
    const counter = `import os, signal
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
os.write(1, b"ready\\n")
for n in range(1, 6):
    info = signal.sigwaitinfo({signal.SIGINT})
    os.write(1, b"INT %d %s\\n" % (n, b"from the terminal" if info.si_code == 0x80 else b"from pid %d" % info.si_pid))
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.kill(os.getpid(), signal.SIGINT)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
`;
    const result = await onTerminal(Array(5).fill(CTRL_C), [`exec`, `--`, `python3`, `-c`, counter]);
    assert.equal(result.output, `ready\n${[1, 2, 3, 4, 5].map(n => `INT ${n} from the terminal\n`).join(``)}`);
    assert.equal(result.exitCode, 130);
  });

  test(`Ctrl+C stops the script that ran awsmfa exec, as it stops one that ran the command itself`, async () => {
    assert.equal((await run([`exec`, `--code`, sts.code, `--`, `true`])).exitCode, 0);
    // bash goes on with its loop when its child exits with 130, and stops when the child died of SIGINT: awsmfa
    // dies of the signal that killed the command, so the loop stops at the first Ctrl+C.
    const loop = `for i in 1 2; do '${process.execPath}' '${BIN}' exec -- sh -c 'echo ready; sleep 10'; echo "after $i"; done`;
    const result = await new Promise<{exitCode: number | null, output: string}>(resolve => {
      const child = spawn(`python3`, [CTRL_C_PY, JSON.stringify([CTRL_C]), `bash`, `-c`, loop], {env: sandbox.env, stdio: [`ignore`, `pipe`, `inherit`]});
      let output = ``;
      child.stdout.setEncoding(`utf8`).on(`data`, chunk => output += chunk);
      child.on(`close`, exitCode => resolve({exitCode, output}));
    });
    assert.equal(result.output, `ready\n`, `the loop did not go on`);
    assert.equal(result.exitCode, 130);
  });

  test(`Ctrl+\\ reaches the command once and leaves awsmfa waiting for it: its status is the command's`, async () => {
    assert.equal((await run([`exec`, `--code`, sts.code, `--`, `true`])).exitCode, 0);
    const result = await onTerminal([CTRL_BACKSLASH], [`exec`, `--`, `python3`, `-c`, `import os, signal, time
def on_quit(number, frame):
    os.write(1, b"got QUIT\\n")
    time.sleep(0.3)
    os._exit(5)
signal.signal(signal.SIGQUIT, on_quit)
os.write(1, b"ready\\n")
while True:
    time.sleep(0.1)
`]);
    assert.equal(result.output, `ready\ngot QUIT\n`);
    assert.equal(result.exitCode, 5, `awsmfa outlived the key and reported the command's status`);
  });

  test(`the command's words reach it byte for byte, bytes that are not UTF-8 included (its name too), from awsmfa's own pid`, async () => {
    assert.equal((await run([`exec`, `--code`, sts.code, `--`, `true`])).exitCode, 0);
    // A tool whose name is not UTF-8, printing its parent's pid and the bytes of its words, one hex word each.
    const tool = Buffer.concat([Buffer.from(join(sandbox.home, `tool`)), Buffer.from([0xff])]);
    writeFileSync(tool, `#!/usr/bin/env python3\nimport os, sys\nprint(os.getppid(), *(os.fsencode(word).hex() for word in sys.argv))\n`, {mode: 0o755});
    const canary = join(sandbox.home, `canary`);
    const words = [
      tool, Buffer.from([0xff]), Buffer.from([0xc3, 0x28]), Buffer.from(`é€😀`), Buffer.from(`\uFFFD`), Buffer.from([0x61, 0xe2, 0x82]),
      Buffer.from(`%d\\n\\0%s`), Buffer.from([0x25, 0x64, 0xff, 0x5c, 0x6e, 0x0a, 0x0a]), Buffer.from(``), Buffer.from(`-n`),
      Buffer.from(`$(touch ${canary})\`touch ${canary}\``), Buffer.from(`'"*`),
    ];
    // Node passes only UTF-8 as argv (as it decodes it): python execs awsmfa with the raw bytes, as a shell would.
    const launcher = `import os, sys\nos.execv(sys.argv[1], [sys.argv[1]] + [bytes.fromhex(word) for word in sys.argv[2:]])`;
    const args = [BIN, `exec`, `--`, ...words].map(word => Buffer.from(word).toString(`hex`));
    const child = spawn(`python3`, [`-c`, launcher, process.execPath, ...args], {env: sandbox.env, stdio: [`ignore`, `pipe`, `pipe`]});
    let stdout = ``;
    let stderr = ``;
    child.stdout.setEncoding(`utf8`).on(`data`, chunk => stdout += chunk);
    child.stderr.setEncoding(`utf8`).on(`data`, chunk => stderr += chunk);
    const status = await new Promise(resolve => child.on(`close`, resolve));
    assert.equal(status, 0, stderr);
    assert.equal(stdout, `${child.pid} ${words.map(word => word.toString(`hex`)).join(` `)}\n`);
    assert.ok(!existsSync(canary), `nothing in a word was run`);
    // Valid UTF-8 (U+FFFD itself included) goes as before, without sh in between.
    const plain = await run([`exec`, `--`, `sh`, `-c`, `printf '%s|' "$@"`, `sh`, `\uFFFD`, `é`]);
    assert.equal(plain.stdout, `\uFFFD|é|`);
    // A missing command with such a word is awsmfa's one line, its name made visible (sh would print it raw).
    const missing = spawnSync(`python3`, [`-c`, launcher, process.execPath, ...[BIN, `exec`, `--`, Buffer.from(`nocmd\x1b]0;PWN\x07`), Buffer.from([0xff])].map(word => Buffer.from(word).toString(`hex`))], {env: sandbox.env});
    assert.equal(missing.status, 127);
    assert.equal(missing.stdout.length, 0);
    assert.equal(missing.stderr.toString(`utf8`), `awsmfa: nocmd\\x1b]0;PWN\\x07: command not found (awsmfa exec runs it without a shell; check PATH)\n`);
  });

  test(`the command's environment holds no long-term key under any name an SDK reads, and mfa_process's no credential at all`, async () => {
    const legacy = {
      AWS_ACCESS_KEY: ALICE.accessKeyId, AWS_SECRET_KEY: ALICE.secretAccessKey,
      AMAZON_ACCESS_KEY_ID: ALICE.accessKeyId, AMAZON_SECRET_ACCESS_KEY: ALICE.secretAccessKey, AMAZON_SESSION_TOKEN: `stale`,
      EC2_ACCESS_KEY: ALICE.accessKeyId, EC2_SECRET_KEY: ALICE.secretAccessKey, AWS_SECURITY_TOKEN: `stale`,
    };
    // The long-term keys in the environment sign (exec leaves the shell's keys in place); the same under every old name.
    const keys = {AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey, ...legacy};
    const seen = join(sandbox.home, `mfa-process-env`);
    const result = await run([`exec`, `--code-command`, `env > '${seen}'; echo ${sts.code}`, `--`, `env`], keys);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(sts.sessionRequests[0]!.accessKeyId, ALICE.accessKeyId);
    const issued = sts.issued.at(-1)!;
    const child = Object.fromEntries(result.stdout.trimEnd().split(`\n`).map(line => [line.slice(0, line.indexOf(`=`)), line.slice(line.indexOf(`=`) + 1)]));
    assert.equal(child.AWS_ACCESS_KEY_ID, issued.accessKeyId);
    assert.equal(child.AWS_SECRET_ACCESS_KEY, issued.secretAccessKey);
    for (const name of Object.keys(legacy))
      assert.equal(child[name], undefined, name);
    assert.ok(!result.stdout.includes(ALICE.secretAccessKey) && !result.stdout.includes(ALICE.accessKeyId));
    const mfaProcess = readFileSync(seen, `utf8`);
    for (const name of [...Object.keys(keys), `AWS_SESSION_TOKEN`])
      assert.doesNotMatch(mfaProcess, new RegExp(`^${name}=`, `m`), name);
    assert.ok(!mfaProcess.includes(ALICE.secretAccessKey));
    assert.match(mfaProcess, new RegExp(`^HOME=${sandbox.home}$`, `m`), `what a password manager needs stays`);
    assert.match(mfaProcess, /^PATH=/m);
  });

  test(`no command: the user's shell ($SHELL) with the session, said on stderr; with -- and nothing after it too`, async () => {
    // A "shell" that shows what it got: its words and the session's variables.
    const shell = join(sandbox.home, `my-shell`);
    writeFileSync(shell, `#!/bin/sh\necho "args:$#"\nexec ${printVarsCommand([`AWS_ACCESS_KEY_ID`, `AWSMFA_PROFILE`])}\n`, {mode: 0o755});
    for (const args of [[`exec`, `--code`, sts.code], [`exec`, `--`]]) {
      const result = await run(args, {SHELL: shell});
      assert.equal(result.exitCode, 0, result.stderr);
      const [first, json] = result.stdout.split(`\n`);
      assert.equal(first, `args:0`);
      assert.deepEqual(JSON.parse(json!), {AWS_ACCESS_KEY_ID: sts.issued.at(-1)!.accessKeyId, AWSMFA_PROFILE: `default`});
      assert.match(result.stderr, new RegExp(`^awsmfa: starting ${shell.replace(/[.*+?^${}()|[\]\\]/g, `\\$&`)} with the ${args.length === 3 ? `new` : `cached`} session of profile 'default' \\(valid for \\d+h \\d\\dm, until [0-9: -]+ local\\); exit it to leave the session\\n$`));
    }
    assert.equal(sts.sessionRequests.length, 1, `the second one took the cached session`);
  });

  test(`failures: no --, a command that does not exist, a wrong code (the command never runs)`, async () => {
    assertFails(await run([`exec`, `--code`, sts.code, `--`, `no-such-command-awsmfa`]), 127, /^awsmfa: no-such-command-awsmfa: command not found \(awsmfa exec runs it without a shell; check PATH\)\n$/);
    assertFails(await run([`exec`, `--force`, `--code`, `000000`, `--`, `sh`, `-c`, `echo ran`]), 1, /STS rejected the MFA code/);
  });
});

describe(`credential-process`, () => {
  const AWS = `/usr/bin/aws`;

  test(`a profile with credential_process = awsmfa credential-process gets the cached session, in the JS SDK and the AWS CLI`, async () => {
    const {existsSync} = await import(`node:fs`);
    const {spawnSync} = await import(`node:child_process`);
    const {ROOT} = await import(`./support/run.js`);
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile viaproc]\ncredential_process = ${process.execPath} ${BIN} credential-process --profile default\n`);
    assert.equal((await run([`env`, `--code`, sts.code])).exitCode, 0);
    const issued = sts.issued.at(-1)!;
    const direct = await run([`credential-process`, `--profile`, `default`]);
    assert.equal(direct.exitCode, 0, direct.stderr);
    assert.deepEqual(JSON.parse(direct.stdout), {Version: 1, AccessKeyId: issued.accessKeyId, SecretAccessKey: issued.secretAccessKey, SessionToken: issued.sessionToken, Expiration: issued.expiration.toISOString().replace(`.000Z`, `Z`)});
    assert.equal(direct.stderr, ``);
    const sdk = spawnSync(process.execPath, [`-e`, `require('@aws-sdk/credential-providers').fromIni({profile: 'viaproc'})().then(c => console.log(c.accessKeyId), e => console.log('error ' + e.message))`], {cwd: ROOT, env: sandbox.env, encoding: `utf8`});
    assert.equal(sdk.stdout.trim(), issued.accessKeyId);
    if (existsSync(AWS)) {
      const cli = spawnSync(AWS, [`configure`, `export-credentials`, `--profile`, `viaproc`, `--format`, `process`], {env: sandbox.env, encoding: `utf8`});
      assert.equal(cli.status, 0, cli.stderr);
      assert.equal(JSON.parse(cli.stdout).AccessKeyId, issued.accessKeyId);
    }
    assert.equal(sts.sessionRequests.length, 1, `every read came from the cache`);
  });

  test(`no cached session and no terminal: one line saying to run mfa first, nothing on stdout, at once`, async () => {
    const started = Date.now();
    assertFails(await run([`credential-process`, `--profile`, `default`]), 2, /^awsmfa: no cached session of profile 'default' and no terminal to ask for a code on: run mfa \(or awsmfa env --profile default\) in a terminal first, or let the profile's mfa_process print the code\n$/);
    assert.ok(Date.now() - started < scaled(5_000, 25_000));
    assert.equal(sts.requests.length, 0);
  });
});

describe(`clear and --code-command`, () => {
  test(`clear deletes every cached session, or a profile's; the next env asks for a code`, async () => {
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\n`);
    const ok = async (args: string[]) => {
      const result = await run(args);
      assert.equal(result.exitCode, 0, result.stderr);
    };
    await ok([`env`, `--code`, sts.code]);
    sts.code = String(Number(sts.code) % 899999 + 100001);
    await ok([`env`, `--profile`, `admin`, `--code`, sts.code]);
    sandbox.writeCredentials(`${readFileSync(join(sandbox.awsDir, `credentials`), `utf8`)}[other]\naws_access_key_id = AKIAOTHER00000000000\naws_secret_access_key = other\nmfa_serial = ${ALICE.serialNumber}\n`);
    sts.users.push({accessKeyId: `AKIAOTHER00000000000`, secretAccessKey: `other`, serialNumber: ALICE.serialNumber});
    after(() => sts.users.pop());
    sts.code = String(Number(sts.code) % 899999 + 100001);
    await ok([`env`, `--profile`, `other`, `--code`, sts.code]);
    const one = await run([`clear`, `--profile`, `admin`]);
    assert.match(one.stderr, /^awsmfa: deleted 2 cached sessions of profile 'admin'\n  profile 'admin': role session of arn:aws:iam::123456789012:role\/Admin \((0h 59m|1h 00m) left\)\n  profile 'admin': MFA session of arn:aws:iam::123456789012:mfa\/alice \(1[12]h \d+m left\)\n$/, `the role's session and the MFA session it was assumed from, each named`);
    assertFails(await run([`env`, `--profile`, `admin`]), 2, /no MFA code given/);
    assertFails(await run([`env`]), 2, /no MFA code given/);
    assert.equal((await run([`env`, `--profile`, `other`])).exitCode, 0, `other's session is still cached`);
    assert.match((await run([`clear`])).stderr, /^awsmfa: deleted 1 cached session\n  profile 'other': MFA session of arn:aws:iam::123456789012:mfa\/alice \(\d+h \d+m left\)\n$/);
    assertFails(await run([`env`, `--profile`, `other`]), 2, /no MFA code given/);
    assert.equal((await run([`clear`])).stderr, `awsmfa: no cached session to delete\n`);
  });

  test(`--code-command prints the code; its failure names the option, never the command`, async () => {
    const result = await run([`env`, `--code-command`, `echo 'touch your key' >&2; echo ${sts.code}`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /touch your key/);
    assert.equal(sts.sessionRequests[0]!.params.TokenCode, sts.code);
    const failed = await run([`env`, `--force`, `--code-command`, `exit 4 # SEEDSEED`]);
    assertFails(failed, 2, /^awsmfa: --code-command failed \(exit status 4\); run it by hand to see why\n$/);
    assert.ok(!failed.stderr.includes(`SEED`));
    for (const blank of [``, `  `])
      assertFails(await run([`env`, `--force`, `--code-command`, blank]), 2, /^awsmfa: Invalid value for --code-command: expected the command that prints the code \(leave --code-command out to type the code\) \(got "\s*"\) \(see awsmfa env --help\)\n$/);
    assert.equal(sts.sessionRequests.length, 1);
  });
});

describe(`whoami`, () => {
  test(`the session in the environment: account, ARN, and that it came from awsmfa, with the time left`, async () => {
    const out = await run([`env`, `--shell`, `json`, `--code`, sts.code]);
    const session = JSON.parse(out.stdout);
    const env = {AWS_ACCESS_KEY_ID: session.AccessKeyId, AWS_SECRET_ACCESS_KEY: session.SecretAccessKey, AWS_SESSION_TOKEN: session.SessionToken, AWS_CREDENTIAL_EXPIRATION: session.Expiration, AWSMFA_PROFILE: `default`};
    const result = await run([`whoami`], env);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^account: 123456789012\\narn: arn:aws:iam::123456789012:user/alice\\ncredentials: ${session.AccessKeyId} from the environment, a session from awsmfa \\(profile 'default'\\), valid for (11h 59m|12h 00m), until .* local\\n$`));
    const caller = sts.requests.at(-1)!;
    assert.equal(caller.action, `GetCallerIdentity`);
    assert.equal(caller.accessKeyId, session.AccessKeyId);
    assert.ok(caller.signatureValid);
    const json = JSON.parse((await run([`whoami`, `--json`], env)).stdout);
    assert.equal(json.session, true);
    assert.equal(json.awsmfaProfile, `default`);
    assert.ok(json.remainingSeconds > 43000);
    assert.ok(!result.stdout.includes(session.SecretAccessKey) && !result.stdout.includes(session.SessionToken));
  });

  test(`without a session: the profile's long-term keys; with none at all: one line`, async () => {
    const result = await run([`whoami`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /credentials: AKIAALICEEXAMPLE0001 from profile 'default', long-term keys\n$/);
    sandbox.writeCredentials(``);
    assertFails(await run([`whoami`]), 2, /^awsmfa: no credentials in effect: neither AWS_ACCESS_KEY_ID in the environment nor keys under profile 'default'; start a session with mfa \(or awsmfa env\)\n$/);
  });
});
