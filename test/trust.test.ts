/**
 * Trust: a broken or hostile endpoint, odd files, odd names and odd options, as an attacker or an unlucky user
 * would bring them. Every case ends in bounded time, as one line, with nothing printed, cached or written that
 * should not be, and no secret anywhere.
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {assertFails, BIN, type RunResult} from './support/run.js';
import {forNobody} from './support/nobody.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {printVarsCommand, runScript, skipUnlessShell} from './support/shells.js';
import {ALICE} from './support/sts-server.js';
import {scaled} from './support/timing.js';

const {run, secrets} = useStandIn();

const fails = (result: RunResult, exitCode: number, message: RegExp) => assertFails(result, exitCode, message, secrets());
const credentialsFile = () => join(sandbox.awsDir, `credentials`);
const cachedFiles = () => existsSync(join(sandbox.cacheDir, `awsmfa`)) ? readdirSync(join(sandbox.cacheDir, `awsmfa`)).filter(name => name.startsWith(`session-`)) : [];

async function timed(promise: Promise<RunResult>): Promise<RunResult & {ms: number}> {
  const started = Date.now();
  const result = await promise;
  return {...result, ms: Date.now() - started};
}

describe(`a broken or hostile endpoint: one line, exit 1, empty stdout, nothing cached, in bounded time`, () => {
  const XML_WITHOUT_CREDENTIALS = `<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult></GetSessionTokenResult></GetSessionTokenResponse>`;
  // codeSends: how many requests carried the code. AWS takes a code once: an answer lost after STS may have read it
  // (a reset, a 5xx) is not retried with the same code; only what STS turned away unread (throttling) is.
  const cases: Array<{name: string, setup: () => void, args?: string[], env?: Record<string, string>, message: RegExp, withinMs: number, codeSends?: number}> = [
    {name: `silent (accepts, never answers): the budget of --timeout`, setup: () => sts.broken = `silent`, args: [`--timeout`, `2`], message: /^awsmfa: no answer from STS at http:\/\/127\.0\.0\.1:\d+ within 2 s; check your network and proxy, or AWS_ENDPOINT_URL_STS, which chose that endpoint \(--timeout gives it longer\)\n$/, withinMs: 5_000},
    {name: `silent: the budget of AWSMFA_TIMEOUT`, setup: () => sts.broken = `silent`, env: {AWSMFA_TIMEOUT: `1s`}, message: /no answer from STS at .* within 1 s/, withinMs: 4_000},
    {name: `slower than the budget`, setup: () => sts.delayMs = 5_000, args: [`--timeout`, `1`], message: /no answer from STS at .* within 1 s/, withinMs: 4_000},
    {name: `connection reset`, setup: () => sts.broken = `reset`, message: /^awsmfa: STS at .* closed the connection \(ECONNRESET, 1 attempt\); check your network and proxy.*; STS may have used the code: give the next one\n$/, withinMs: 10_000, codeSends: 1},
    {name: `connection refused`, setup: () => {}, args: [`--endpoint-url`, `http://127.0.0.1:9`], message: /^awsmfa: cannot connect to STS at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\); check your network and proxy, or --endpoint-url, which chose that endpoint\n$/, withinMs: 10_000},
    {name: `HTTP 503, not XML`, setup: () => sts.broken = {status: 503, body: `Service Unavailable`, contentType: `text/plain`}, message: /^awsmfa: STS at .* failed \(HTTP 503\) after 1 attempt; try again with the next code in a moment \(STS may have used this one\)\n$/, withinMs: 10_000, codeSends: 1},
    {name: `ServiceUnavailable from STS`, setup: () => sts.fault = {status: 503, code: `ServiceUnavailable`, message: `down`}, message: /STS at .* failed \(ServiceUnavailable\) after 1 attempt; try again with the next code/, withinMs: 10_000, codeSends: 1},
    {name: `throttling`, setup: () => sts.fault = {status: 400, code: `Throttling`, message: `Rate exceeded`}, message: /STS is throttling requests \(still after 3 attempts\)/, withinMs: 15_000, codeSends: 3},
    {name: `an HTML page (a captive portal)`, setup: () => sts.broken = {status: 200, body: `<html><body>Accept the terms of the hotel wifi</body></html>`}, message: /answered without credentials; is that endpoint really STS\?/, withinMs: 10_000},
    {name: `garbage`, setup: () => sts.broken = {status: 200, body: `\u0000\u0001{{garbage`, contentType: `application/octet-stream`}, message: /answered something that is not STS's \(HTTP 200, XML parse error/, withinMs: 10_000},
    {name: `XML without credentials`, setup: () => sts.broken = {status: 200, body: XML_WITHOUT_CREDENTIALS, contentType: `text/xml`}, message: /answered without credentials/, withinMs: 10_000},
    {name: `an Expiration already past`, setup: () => sts.rawFields = {Expiration: `2020-01-01T00:00:00Z`}, message: /answered credentials STS never hands out: it had expired already \(at 20(19-12-31|20-01-01) \d\d:\d\d local\); nothing was printed or saved/, withinMs: 10_000},
    {name: `an Expiration years away`, setup: () => sts.rawFields = {Expiration: `2099-01-01T00:00:00Z`}, message: /it expires further away \(at (2098-12-31|2099-01-01) \d\d:\d\d local\) than any STS session lasts/, withinMs: 10_000},
    {name: `an Expiration that is no time`, setup: () => sts.rawFields = {Expiration: `tomorrow`}, message: /answered something that is not STS's \(HTTP 200, Invalid RFC3339 timestamp format tomorrow\)/, withinMs: 10_000},
    {name: `a NUL in the token, as an XML character reference`, setup: () => sts.rawFields = {SessionToken: `;touch$IFS/tmp/PWNED&#0;`}, message: /its session token holds characters STS never uses/, withinMs: 10_000},
    {name: `a NUL in the token, as a raw byte`, setup: () => sts.rawFields = {SessionToken: `;touch /tmp/PWNED\u0000`}, message: /its session token holds characters STS never uses/, withinMs: 10_000},
    {name: `a newline in the secret`, setup: () => sts.rawFields = {SecretAccessKey: `abc&#10;export X=1`}, message: /its secret access key holds characters STS never uses/, withinMs: 10_000},
    {name: `an access key id that is shell code`, setup: () => sts.rawFields = {AccessKeyId: `$(touch /tmp/PWNED)`}, message: /its access key id is not 16 to 128 capital letters and digits/, withinMs: 10_000},
  ];
  for (const {name, setup, args = [], env = {}, message, withinMs, codeSends} of cases) {
    test(name, async () => {
      setup();
      const result = await timed(run([`env`, `--shell`, `fish`, ...args, sts.code], env));
      fails(result, 1, message);
      assert.ok(result.ms < scaled(withinMs, 28_000), `took ${result.ms} ms`);
      assert.doesNotMatch(result.stderr, /smithy|\[WARN\]|\[ERROR\]|Deserialization/, `no SDK text reaches the user`);
      assert.deepEqual(cachedFiles(), [], `nothing cached`);
      if (codeSends !== undefined)
        assert.equal(sts.requests.filter(record => record.params.TokenCode !== undefined).length, codeSends, `requests that carried the code`);
    });
  }

  test(`a slow answer within the budget is still taken`, async () => {
    sts.delayMs = 700;
    const result = await run([`env`, `--timeout`, `5s`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
  });

  test(`a bad AWSMFA_TIMEOUT is named, before any request`, async () => {
    fails(await run([`env`, sts.code], {AWSMFA_TIMEOUT: `forever`}), 2, /^awsmfa: AWSMFA_TIMEOUT is "forever", not a time from 1s to 10m, like 30, 30s or 2m\n$/);
    assert.equal(sts.requests.length, 0);
  });
});

describe(`a hostile answer never runs, through mfa in the real shells`, () => {
  const loads: Record<string, string> = {
    bash: `eval "$(awsmfa init bash)"`,
    fish: `awsmfa init fish | source`,
    zsh: `eval "$(awsmfa init zsh)"`,
    tcsh: 'eval "`awsmfa init tcsh`"',
  };
  for (const [shell, load] of Object.entries(loads)) {
    test(shell, {skip: skipUnlessShell(shell)}, async () => {
      const canary = join(sandbox.home, `PWNED`);
      const env = awsmfaOnPath(sandbox);
      const first = sts.code;
      const second = String(100000 + Math.floor(Math.random() * 900000));
      const script = [
        load,
        `mfa ${first}`,
        printVarsCommand([`AWS_SESSION_TOKEN`]),
        `echo`,
        // The next answer carries shell code and a NUL, the way fish once ran it.
        `mfa ${second}`,
        shell === `fish` || shell === `tcsh` ? `echo "status=$status"` : `echo "status=$?"`,
        printVarsCommand([`AWS_SESSION_TOKEN`]),
        ``,
      ].join(`\n`);
      // Once the first session is out, the stand-in answers the next code with a hostile token.
      sts.onIssued = () => {
        sts.code = second;
        sts.rawFields = {SessionToken: `;touch\t${canary};\u0000`};
        sts.onIssued = undefined;
      };
      const result = await runScript(shell, script, env);
      sts.onIssued = undefined;
      const lines = result.stdout.trim().split(`\n`);
      assert.equal(lines.length, 3, result.stdout + result.stderr);
      const before = JSON.parse(lines[0]!);
      assert.equal(lines[1], `status=1`);
      assert.deepEqual(JSON.parse(lines[2]!), before, `the session in the shell is the one it had`);
      assert.ok(before.AWS_SESSION_TOKEN, `the first mfa worked`);
      assert.ok(!existsSync(canary), `the canary file must never appear`);
      assert.match(result.stderr, /its session token holds characters STS never uses/);
    });
  }
});

describe(`login writes nothing it should not, and spends no code on a file it cannot write`, () => {
  test(`a token with a line break and a section in it is never written`, async () => {
    const before = readFileSync(credentialsFile(), `utf8`);
    sts.rawFields = {SessionToken: `tok&#10;[default]&#10;aws_access_key_id = AKIAEVIL000000000000`};
    fails(await run([`login`, `-u`, `sess`, sts.code]), 1, /its session token holds characters STS never uses/);
    assert.equal(readFileSync(credentialsFile(), `utf8`), before, `the file is byte for byte what it was`);
  });

  const names: Array<[string, RegExp]> = [
    [`DEFAULT`, /\[DEFAULT\] is configparser's special section/],
    [`Default`, /too close to it/],
    [``, /Invalid value for -u: expected a profile name \(not empty, no control characters\) \(got ""\)/],
    [`x]\n[default`, /Invalid value for -u: expected a profile name .*\(got "x\]\\n\[default"\)/],
    [`a[b`, /-u(pdate-profile)? "a\[b" cannot be written as a profile: it holds a bracket/],
    [` sess`, /" sess" cannot be written as a profile: it starts or ends with a space/],
  ];
  for (const [name, message] of names) {
    test(`-u ${JSON.stringify(name)} is refused with exit 2, before any code is spent`, async () => {
      const before = readFileSync(credentialsFile(), `utf8`);
      fails(await run([`login`, `-u`, name, sts.code]), 2, message);
      assert.equal(sts.requests.length, 0, `no request: the code is still good`);
      assert.equal(readFileSync(credentialsFile(), `utf8`), before);
    });
  }

  for (const key of [`role_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default`, `credential_process = /bin/false`, `sso_start_url = https://example.awsapps.com/start`, `credential_source = Environment`]) {
    test(`a profile whose config has ${key.split(` `)[0]} is not written into`, async () => {
      sandbox.writeConfig(`[default]\nmfa_serial = ${ALICE.serialNumber}\n\n[profile other]\n${key}\n`);
      fails(await run([`login`, `-u`, `other`, sts.code]), 2, new RegExp(`profile 'other' has ${key.split(` `)[0]} in .*config, so the AWS CLI would not use keys written into it; choose another --update-profile`));
      assert.equal(sts.requests.length, 0);
    });
  }
});

describe(`locks: never a spin, never a code spent on a busy file`, () => {
  const lockFile = () => `${credentialsFile()}.lock`;

  test(`a fresh empty lock is waited for, then one line; the code is not spent; the CPU stays idle`, async () => {
    writeFileSync(lockFile(), ``);
    const child = spawn(process.execPath, [BIN, `login`, `-u`, `sess`, sts.code], {env: {...sandbox.env, AWSMFA_LOCK_TIMEOUT_MS: `2500`}, detached: true});
    let stderr = ``;
    child.stderr.on(`data`, chunk => stderr += chunk);
    await new Promise(resolve => setTimeout(resolve, 1500));
    // utime + stime in clock ticks (fields 14 and 15 of /proc/PID/stat): a sleeping waiter uses next to nothing.
    const ticks = readFileSync(`/proc/${child.pid}/stat`, `utf8`).replace(/^.*\) /, ``).split(` `).slice(11, 13).reduce((sum, field) => sum + Number(field), 0);
    const exitCode = await new Promise(resolve => child.on(`close`, resolve));
    assert.ok(ticks < 40, `the waiter used ${ticks} ticks of CPU in 1.5 s`);
    assert.equal(exitCode, 1, stderr);
    assert.match(stderr, /^awsmfa: .*credentials is locked by .*credentials\.lock, which holds no pid of awsmfa's; try again, or delete the lock if nothing is editing the file\n$/);
    assert.equal(sts.requests.length, 0, `the code was not spent`);
    assert.ok(existsSync(lockFile()), `someone else's lock is not ours to delete while it is fresh`);
  });

  for (const [what, content] of [[`empty`, ``], [`garbled`, `not a pid\n`], [`foreign`, `{"owner": "some editor"}`]] as const) {
    test(`an old ${what} lock is taken over`, async () => {
      writeFileSync(lockFile(), content);
      const old = new Date(Date.now() - 60_000);
      utimesSync(lockFile(), old, old);
      const result = await run([`login`, `-u`, `sess`, sts.code]);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(readFileSync(credentialsFile(), `utf8`), /\[sess\]/);
      assert.ok(!existsSync(lockFile()), `and released`);
    });
  }
});

describe(`files keep their owner, mode, links and bytes; their errors are one line`, () => {
  test(`a file open to others is tightened to 0600, with a note`, async () => {
    chmodSync(credentialsFile(), 0o644);
    const result = await run([`login`, `-u`, `sess`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(statSync(credentialsFile()).mode & 0o777, 0o600);
    assert.match(result.stderr, /awsmfa: note: .*credentials was open to other users \(mode 0644\); it is now 0600/);
  });

  test(`a dangling symlink stays a link, and its target is created`, async () => {
    const real = join(sandbox.home, `dotfiles`, `aws-credentials`);
    mkdirSync(join(sandbox.home, `dotfiles`));
    const linkPath = join(sandbox.home, `linked-credentials`);
    symlinkSync(`dotfiles/aws-credentials`, linkPath);
    const result = await run([`login`, `-u`, `sess`, `--profile`, `default`, sts.code], {AWS_SHARED_CREDENTIALS_FILE: linkPath, AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey});
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(lstatSync(linkPath).isSymbolicLink(), `still a link`);
    assert.match(readFileSync(real, `utf8`), /^\[sess\]\naws_access_key_id = ASIA/);
    assert.equal(statSync(real).mode & 0o777, 0o600);
  });

  test(`mixed line endings: every untouched line keeps its own`, async () => {
    const text = `[default]\naws_access_key_id = ${ALICE.accessKeyId}\r\naws_secret_access_key = ${ALICE.secretAccessKey}\r\n\r\n# keep\r\n[other]\rx = y\r\n`;
    writeFileSync(credentialsFile(), text);
    const result = await run([`login`, `-u`, `sess`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    const after = readFileSync(credentialsFile(), `utf8`);
    assert.ok(after.startsWith(text), `every byte before the new section is as it was`);
    assert.match(after.slice(text.length), /^\n\[sess\]\naws_access_key_id = ASIA[A-Z0-9]+\naws_secret_access_key = /);
  });

  test(`root writing a user's file (sudo -E) leaves it that user's`, {skip: process.getuid?.() === 0 ? false : `needs root to own a file as another user`}, async () => {
    chownSync(credentialsFile(), 4242, 4343);
    chownSync(sandbox.awsDir, 4242, 4343);
    const result = await run([`login`, `-u`, `sess`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(statSync(credentialsFile()).uid, 4242);
    assert.equal(statSync(credentialsFile()).gid, 4343);
    // A new file in that user's folder goes to them too.
    // The cached session serves it: no second code.
    const result2 = await run([`login`, `-u`, `sess`], {AWS_SHARED_CREDENTIALS_FILE: join(sandbox.awsDir, `new-credentials`), AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey});
    assert.equal(result2.exitCode, 0, result2.stderr);
    assert.equal(statSync(join(sandbox.awsDir, `new-credentials`)).uid, 4242);
  });

  test(`a folder where the file should be, and a path through a file: one line each, no code spent`, async () => {
    const dir = join(sandbox.home, `creds-dir`);
    mkdirSync(dir);
    fails(await run([`login`, `-u`, `sess`, sts.code], {AWS_SHARED_CREDENTIALS_FILE: dir}), 2, /^awsmfa: .*creds-dir is not a regular file \(it is a folder\); check AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE\n$/);
    const file = join(sandbox.home, `plain-file`);
    writeFileSync(file, ``);
    fails(await run([`login`, `-u`, `sess`, sts.code], {AWS_SHARED_CREDENTIALS_FILE: join(file, `credentials`), AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey}), 2, /^awsmfa: cannot update .*plain-file\/credentials: a part of its path is not a folder \(ENOTDIR\)\n$/);
    assert.equal(sts.requests.length, 0);
  });

  test(`a file that is not UTF-8 is refused as the AWS CLI refuses it; a real U+FFFD is fine`, async () => {
    writeFileSync(credentialsFile(), Buffer.concat([Buffer.from(`[default]\n# caf`), Buffer.from([0xe9]), Buffer.from(`\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`)]));
    fails(await run([`env`, sts.code]), 2, /^awsmfa: .*credentials is not UTF-8 text, and the AWS CLI cannot read it either; save it as UTF-8\n$/);
    writeFileSync(credentialsFile(), `[default]\n# \ufffd\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    assert.equal((await run([`env`, sts.code])).exitCode, 0);
  });

  test(`a folder awsmfa may not write into: one line, no code spent`, async () => {
    // Root writes into any folder: as root (CI), awsmfa runs as nobody, who owns the sandbox.
    const asRoot = process.getuid?.() === 0;
    if (asRoot)
      spawnSync(`chown`, [`-R`, `65534:65534`, sandbox.home]);
    chmodSync(sandbox.awsDir, 0o500);
    try {
      const result = asRoot
        ? await new Promise<RunResult>(resolve => {
          const child = spawn(`setpriv`, [`--reuid=65534`, `--regid=65534`, `--clear-groups`, forNobody().node, forNobody().bin, `login`, `-u`, `sess`, sts.code], {env: sandbox.env});
          let stdout = ``;
          let stderr = ``;
          child.stdout.setEncoding(`utf8`).on(`data`, chunk => stdout += chunk);
          child.stderr.setEncoding(`utf8`).on(`data`, chunk => stderr += chunk);
          child.on(`close`, exitCode => resolve({exitCode, stdout, stderr}));
        })
        : await run([`login`, `-u`, `sess`, sts.code]);
      fails(result, 2, /^awsmfa: cannot update .*credentials: permission denied \(EACCES\)\n$/);
      assert.equal(sts.requests.length, 0);
    } finally {
      chmodSync(sandbox.awsDir, 0o700);
    }
  });
});

describe(`option values: one line naming the option and what it takes, exit 2, before any request`, () => {
  const cases: Array<[string[], RegExp, Record<string, string>?]> = [
    [[`-d`, `1e3`], /^awsmfa: Invalid value for -d: expected a time from 15m to 36h, like 12h, 90m or 3600 \(seconds\) \(got "1e3"\) \(see awsmfa env --help\)\n$/],
    [[`-d`, `900.0`], /Invalid value for -d: expected a time from 15m to 36h, like 12h, 90m or 3600 \(seconds\) \(got "900\.0"\)/],
    [[`-d`, `-900`], /Invalid value for --duration-seconds: expected a time from 15m to 36h, like 12h, 90m or 3600 \(seconds\) \(got "-900"\)/],
    [[`--min-remaining`, `-5m`], /Invalid value for --min-remaining: expected a time with its unit, like 300s, 5m or 1h \(got "-5m"\)/],
    [[`--code`, `１２３４５６`], /Invalid value for --code: expected 6 digits 0-9, like 123456 \(got 6 characters, not all of them 0-9\)/],
    [[`--code`, `111111`, `--code`, `222222`], /^awsmfa: --code was given twice \(--code\); give it once \(see awsmfa env --help\)\n$/],
    [[`-c`, `111111`, `--token-code`, `222222`], /--code was given twice \(as -c and --token-code\); give it once/],
    [[`--region=`], /Invalid value for --region: expected a region name like eu-west-1 \(got ""\)/],
    [[`--endpoint-url`, `not a url`], /Invalid value for --endpoint-url: expected an https:\/\/ URL/],
    [[`--endpoint-url`, `ftp://sts.example.com/`], /Invalid value for --endpoint-url: expected an https:\/\/ URL.*\(got "ftp:\/\/sts\.example\.com\/"\)/],
    // Secrets in the clear (a session token, a code, the answer's new secret) go over plain http to this machine only.
    [[`--endpoint-url`, `http://sts.example.invalid/`], /Invalid value for --endpoint-url: expected an https:\/\/ URL like https:\/\/sts\.eu-west-1\.amazonaws\.com \(plain http:\/\/ only to this machine: 127\.0\.0\.1, \[::1\] or localhost, as secrets go there in the clear\) \(got "http:\/\/sts\.example\.invalid\/"\)/],
    [[`--endpoint-url`, `http://10.0.0.5:4566`], /Invalid value for --endpoint-url: expected an https:\/\/ URL/],
    [[`--role-arn`, `Admin`], /Invalid value for --role-arn: expected a role ARN like arn:aws:iam::123456789012:role\/Admin \(got "Admin"\)/],
    [[`--role-session-name`, `a b`], /Invalid value for --role-session-name: expected 2 to 64 letters, digits or \+ = , \. @ - _/],
    [[`--timeout`, `0`], /Invalid value for --timeout: expected a time from 1s to 10m/],
    [[`--profile=`], /Invalid value for --profile: expected a profile name/],
    [[`--serial-number`, `x`], /Invalid value for --serial-number: expected an MFA device ARN/],
    [[`--code=123456`, `--profile`], /^awsmfa: --profile needs a value \(see awsmfa env --help\)\n$/],
    [[], /^awsmfa: AWS_REGION is "eu west", not a region name like eu-west-1\n$/, {AWS_REGION: `eu west`}],
    [[], /^awsmfa: AWS_ENDPOINT_URL_STS is "ftp:\/\/x", not an https:\/\/ URL/, {AWS_ENDPOINT_URL_STS: `ftp://x`}],
    [[], /^awsmfa: AWS_ENDPOINT_URL_STS is "http:\/\/localstack:4566", not an https:\/\/ URL .*plain http:\/\/ only to this machine/, {AWS_ENDPOINT_URL_STS: `http://localstack:4566`}],
    [[], /^awsmfa: AWS_ENDPOINT_URL is "http:\/\/sts\.example\.invalid", not an https:\/\/ URL/, {AWS_ENDPOINT_URL_STS: ``, AWS_ENDPOINT_URL: `http://sts.example.invalid`}],
  ];
  for (const [args, message, env] of cases) {
    test(`${args.join(` `) || JSON.stringify(env)}`, async () => {
      fails(await run([`env`, ...args, ...args.some(arg => /code/.test(arg)) ? [] : [sts.code]], env), 2, message);
      assert.equal(sts.requests.length, 0);
    });
  }

  test(`a value copied with its comment from an example says the AWS files have no inline comments`, async () => {
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}    # aws iam list-mfa-devices shows yours\n`);
    fails(await run([`env`, sts.code]), 2, /^awsmfa: mfa_serial of profile 'default' in .*config is "arn:aws:iam::123456789012:mfa\/alice    # aws iam list-mfa-devices shows yours", not an MFA device ARN .*; the AWS files have no comments after a value, so put the comment on a line of its own\n$/);
  });

  test(`mfa refuses --shell in bash: JSON is never evaluated, the session stays`, {skip: skipUnlessShell(`bash`)}, async () => {
    const env = awsmfaOnPath(sandbox);
    const script = `eval "$(awsmfa init bash)"\nmfa ${sts.code} || exit 9\n${printVarsCommand([`AWS_ACCESS_KEY_ID`])}\necho\nmfa --shell json; echo "status=$?"\nmfa -s=json; echo "status=$?"\nmfa --mfa-shell json; echo "status=$?"\n${printVarsCommand([`AWS_ACCESS_KEY_ID`])}\n`;
    const result = await runScript(`bash`, script, env);
    const lines = result.stdout.trim().split(`\n`);
    assert.deepEqual(lines.slice(1, 4), [`status=2`, `status=2`, `status=2`], result.stderr);
    assert.equal(lines[4], lines[0], `the session is untouched`);
    assert.match(result.stderr, /mfa writes for this shell itself and takes no --shell; for another dialect run awsmfa env --shell json/);
    assert.match(result.stderr, /--mfa-shell was given twice/);
  });
});

describe(`mfa_process: bounded, and its failures never show its command line`, () => {
  const withProcess = (command: string) => sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\nmfa_process = ${command}\n`);

  test(`a failing one names the profile and the status, not the command (which may hold a TOTP seed)`, async () => {
    withProcess(`sh -c 'exit 3' JBSWY3DPEHPK3PXPSEEDSEED`);
    const result = await run([`env`]);
    fails(result, 2, /^awsmfa: mfa_process of profile 'default' failed \(exit status 3\); run it by hand to see why\n$/);
    assert.ok(!result.stderr.includes(`JBSWY3DP`));
  });

  test(`a hung one is stopped at AWSMFA_MFA_PROCESS_TIMEOUT`, async () => {
    withProcess(`sleep 60 # SEEDSEEDSEED`);
    const result = await timed(run([`env`], {AWSMFA_MFA_PROCESS_TIMEOUT: `1`}));
    fails(result, 2, /^awsmfa: mfa_process of profile 'default' gave no code within 1 s and was stopped \(AWSMFA_MFA_PROCESS_TIMEOUT gives it longer\)\n$/);
    assert.ok(result.ms < scaled(5_000, 25_000), `took ${result.ms} ms`);
    assert.ok(!result.stderr.includes(`SEED`));
  });

  test(`SIGTERM to awsmfa while it runs: the command and what it started are stopped with awsmfa`, async () => {
    // A unique sleep, so that its own command line tells it apart from every other process.
    const marker = `sleep 700.${process.pid}${Date.now() % 100_000}`;
    withProcess(`sh -c '${marker}; echo 123456'`);
    const child = spawn(process.execPath, [BIN, `env`], {env: sandbox.env, detached: true, stdio: `ignore`});
    const running = () => spawnSync(`pgrep`, [`-f`, marker]).stdout.toString().trim();
    for (let waited = 0; running() === `` && waited < 10_000; waited += 100)
      await new Promise(resolve => setTimeout(resolve, 100));
    assert.notEqual(running(), ``, `mfa_process started`);
    const ended = new Promise<NodeJS.Signals | null>(resolve => child.on(`exit`, (_, signal) => resolve(signal)));
    child.kill(`SIGTERM`);
    assert.equal(await ended, `SIGTERM`, `awsmfa dies of the signal`);
    for (let waited = 0; running() !== `` && waited < 3_000; waited += 100)
      await new Promise(resolve => setTimeout(resolve, 100));
    assert.equal(running(), ``, `no process of mfa_process outlives awsmfa`);
  });

  test(`one that prints something else: its output is not echoed`, async () => {
    withProcess(`echo otpauth://totp/alice?secret=SEEDSEEDSEED`);
    const result = await run([`env`]);
    fails(result, 2, /mfa_process of profile 'default' printed no 6-digit code \(it must print the code alone\)/);
    assert.ok(!result.stderr.includes(`SEED`));
  });

  test(`its stderr reaches the user (a "touch your key" prompt), its code is used`, async () => {
    withProcess(`echo 'touch your key' >&2; echo ${sts.code}`);
    const result = await run([`env`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /touch your key/);
  });
});

describe(`secrets never appear on stderr, in argv, or in a file others can read`, () => {
  test(`every command and failure, with --verbose`, async () => {
    const argvLog = join(sandbox.home, `argv-seen`);
    // While mfa_process runs, every process's argv on the machine is taken down.
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile proc]\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\nmfa_process = ps -eo args > '${argvLog}'; echo ${sts.code}\n`);
    const runs: RunResult[] = [];
    const step = async (args: string[], env: Record<string, string> = {}) => runs.push(await run([...args, `--verbose`], env));
    await step([`env`, `--profile`, `proc`]);
    sts.code = `111111`;
    await step([`env`, `111111`]);
    await step([`env`]);
    await step([`env`, `000000`, `--force`]);
    sts.code = `222222`;
    await step([`login`, `-u`, `sess`, `222222`]);
    await step([`login`, `-u`, `sess`]);
    await step([`status`, `--profile`, `sess`]);
    await step([`status`, `--json`]);
    sts.broken = {status: 200, body: `<html>portal</html>`};
    await step([`env`, `333333`]);
    sts.broken = undefined;
    sandbox.writeCredentials(`[default]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = wrong-${ALICE.secretAccessKey}\n`);
    await step([`env`, `444444`]);
    await step([`logout`, `-u`, `sess`]);
    await step([`unset`, `--forget`]);
    assert.ok(runs.slice(0, 3).every(result => result.exitCode === 0), runs.map(result => result.stderr).join(``));
    const all = [...secrets(), `wrong-${ALICE.secretAccessKey}`];
    for (const result of runs) {
      for (const secret of all)
        assert.ok(!result.stderr.includes(secret), `a secret on stderr: ${result.stderr}`);
    }
    const argvSeen = readFileSync(argvLog, `utf8`);
    assert.match(argvSeen, /ps -eo args/, `the list was taken`);
    for (const secret of all)
      assert.ok(!argvSeen.includes(secret), `a secret in some process's argv`);

    // Every file under HOME: the long-term secret only in the credentials file, sessions only in private files.
    const walk = (dir: string): string[] => readdirSync(dir, {withFileTypes: true}).flatMap(entry => entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]);
    for (const file of walk(sandbox.home)) {
      const text = readFileSync(file, `utf8`);
      if (file !== credentialsFile())
        assert.ok(!text.includes(ALICE.secretAccessKey), `the long-term secret in ${file}`);
      if (sts.issued.some(issued => text.includes(issued.sessionToken) || text.includes(issued.secretAccessKey)))
        assert.equal(statSync(file).mode & 0o077, 0, `${file} holds a session and is open to others`);
    }
  });
});
