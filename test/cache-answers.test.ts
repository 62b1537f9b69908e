/**
 * A cached session answers only what it was asked (issue 26, item 4): profiles on one role that ask for it with
 * another duration, session name or external id each get their own session, from the fast path and the full CLI
 * alike; `unset --forget` removes only the sessions of the profile it names, and says which. And every value is
 * checked before anything is served (item 7): a bad option or variable is a usage error with a cached session
 * present, on the fast path's forms too.
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {assertFailureOutput, type RunResult} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ADMIN_ROLE, ALICE} from './support/sts-server.js';

const {run} = useStandIn({allowReuse: true});

const keyIdOf = (result: RunResult) => /^export AWS_ACCESS_KEY_ID='(ASIA[A-Z0-9]+)'$/m.exec(result.stdout)?.[1];

/** What STS was asked for: GetSessionToken and AssumeRole calls, with their parameters. */
const asked = (): Array<Record<string, string | undefined>> => sts.sessionRequests.map(record => ({...record.params, action: record.action}));

/** `env` for bash: answered by the fast path (only --profile and --shell given) or by the full CLI (--verbose). */
const fast = (profile: string) => run([`env`, `--shell`, `bash`, `--profile`, profile]);
const full = (profile: string) => run([`env`, `--shell`, `bash`, `--profile`, profile, `--verbose`]);

/** A cache miss without a code ends at the prompt, which with no terminal is this error. */
function assertAsksForCode(result: RunResult) {
  assertFailureOutput(result);
  assert.equal(result.exitCode, 2, result.stderr);
  assert.match(result.stderr, /no MFA code given and no terminal to ask on/);
}

describe(`a cached session answers only what it was asked`, () => {
  const profiles = {
    long: ``,
    short: `duration_seconds = 900\n`,
    named: `role_session_name = alice-named\n`,
    external: `external_id = ext-42\n`,
  };
  const writeConfig = () => sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n${Object.entries(profiles).map(([name, settings]) =>
    `[profile ${name}]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = default\n${settings}`).join(`\n`)}`);

  test(`profiles on one role with another duration, session name or external id each get their own session; fast path and full CLI agree`, async () => {
    writeConfig();
    const first = await run([`env`, `--shell`, `bash`, `--profile`, `long`, sts.code]);
    assert.equal(first.exitCode, 0, first.stderr);
    const keys: Record<string, string> = {long: keyIdOf(first)!};
    // Each other profile: a new AssumeRole (from the cached MFA session, no code), sent with what it asks for.
    for (const name of [`short`, `named`, `external`] as const) {
      const before = asked().length;
      const result = await fast(name);
      assert.equal(result.exitCode, 0, result.stderr);
      const calls = asked().slice(before);
      assert.deepEqual(calls.map(call => call.action), [`AssumeRole`], `${name} is not served another profile's session`);
      keys[name] = keyIdOf(result)!;
      const call = calls[0]!;
      assert.equal(call.DurationSeconds, name === `short` ? `900` : undefined, name);
      assert.equal(call.RoleSessionName, name === `named` ? `alice-named` : `awsmfa-alice`, name);
      assert.equal(call.ExternalId, name === `external` ? `ext-42` : undefined, name);
    }
    assert.equal(new Set(Object.values(keys)).size, 4, `four sessions: ${JSON.stringify(keys)}`);
    // Asked again, each is served its own, by the fast path and by the full CLI alike, with no call to STS.
    const before = asked().length;
    for (const name of Object.keys(profiles)) {
      const [viaFast, viaFull] = [await fast(name), await full(name)];
      assert.deepEqual([viaFast.exitCode, keyIdOf(viaFast)], [0, keys[name]], `${name} (fast path): ${viaFast.stderr}`);
      assert.deepEqual([viaFull.exitCode, keyIdOf(viaFull)], [0, keys[name]], `${name} (full CLI): ${viaFull.stderr}`);
      assert.match(viaFull.stderr, /using the cached session/);
    }
    assert.equal(asked().length, before, `no call to STS`);
  });

  test(`a session asked for an hour is not served to a profile that asks for 15 minutes, nor the other way round`, async () => {
    writeConfig();
    assert.equal((await run([`env`, `--shell`, `bash`, `--profile`, `short`, sts.code])).exitCode, 0);
    const short = keyIdOf(await fast(`short`));
    const long = await fast(`long`);
    assert.equal(long.exitCode, 0, long.stderr);
    assert.notEqual(keyIdOf(long), short);
    assert.equal(asked().at(-1)!.DurationSeconds, undefined, `the hour is STS's default for a role`);
    assert.equal(keyIdOf(await fast(`short`)), short);
  });

  test(`--duration-seconds on the command line is a request of its own`, async () => {
    const plain = await run([`env`, `--shell`, `bash`, sts.code]);
    assert.equal(plain.exitCode, 0, plain.stderr);
    assertAsksForCode(await run([`env`, `--shell`, `bash`, `--duration-seconds`, `1h`]));
    const hour = await run([`env`, `--shell`, `bash`, `--duration-seconds`, `1h`, sts.code]);
    assert.equal(hour.exitCode, 0, hour.stderr);
    assert.notEqual(keyIdOf(hour), keyIdOf(plain));
    assert.equal(keyIdOf(await run([`env`, `--shell`, `bash`, `--duration-seconds`, `3600`])), keyIdOf(hour), `the same request, written another way`);
    assert.equal(keyIdOf(await run([`env`, `--shell`, `bash`])), keyIdOf(plain));
  });

  test(`unset --forget removes the sessions of the profile it names, says which, and leaves the others`, async () => {
    writeConfig();
    assert.equal((await run([`env`, `--shell`, `bash`, `--profile`, `long`, sts.code])).exitCode, 0);
    const long = keyIdOf(await fast(`long`));
    const short = keyIdOf(await fast(`short`));
    const forgot = await run([`unset`, `--forget`, `--shell`, `bash`, `--profile`, `short`]);
    assert.equal(forgot.exitCode, 0, forgot.stderr);
    assert.match(forgot.stderr, /^awsmfa: deleted the cached sessions of profile 'short'$/m);
    assert.match(forgot.stderr, new RegExp(`^  profile 'long': MFA session of ${ALICE.serialNumber.replace(/[/]/g, `\\/`)} \\(\\d+h \\d+m left\\)$`, `m`));
    assert.match(forgot.stderr, /^ {2}profile 'short': role session of arn:aws:iam::123456789012:role\/Admin \(0h 1[45]m left\)$/m);
    assert.equal(forgot.stderr.trimEnd().split(`\n`).length, 3, forgot.stderr);
    const before = asked().length;
    const still = await fast(`long`);
    assert.deepEqual([still.exitCode, keyIdOf(still)], [0, long], `profile long keeps its session`);
    assert.equal(asked().length, before);
    // Profile short's own is gone, and with it the MFA session its role is assumed from: the next one needs a code.
    assertAsksForCode(await fast(`short`));
    assert.notEqual(short, long);
  });
});

describe(`every value is checked before anything is served`, () => {
  const cases: Array<[string, string[], Record<string, string>]> = [
    [`--duration-seconds ' 900'`, [`--duration-seconds`, ` 900`], {}],
    [`--duration-seconds '900 '`, [`--duration-seconds`, `900 `], {}],
    [`--timeout ' 30s'`, [`--timeout`, ` 30s`], {}],
    [`--min-remaining 10 (no unit)`, [`--min-remaining`, `10`], {}],
    [`--code-command ''`, [`--code-command`, ``], {}],
    [`AWSMFA_MFA_PROCESS_TIMEOUT=0`, [], {AWSMFA_MFA_PROCESS_TIMEOUT: `0`}],
    [`AWSMFA_MFA_PROCESS_TIMEOUT=abc`, [], {AWSMFA_MFA_PROCESS_TIMEOUT: `abc`}],
    [`AWSMFA_TIMEOUT=' 30s'`, [], {AWSMFA_TIMEOUT: ` 30s`}],
    [`AWSMFA_PROMPT_TIMEOUT=abc`, [], {AWSMFA_PROMPT_TIMEOUT: `abc`}],
    [`AWSMFA_LOCK_TIMEOUT_MS=abc`, [], {AWSMFA_LOCK_TIMEOUT_MS: `abc`}],
    [`AWSMFA_LOCK_TIMEOUT_MS=5s`, [], {AWSMFA_LOCK_TIMEOUT_MS: `5s`}],
  ];

  test(`a bad option or variable is a usage error, one line, whatever the cache holds (env, the fast path's forms, credential-process)`, async () => {
    const cached = await run([`env`, `--shell`, `bash`, sts.code]);
    assert.equal(cached.exitCode, 0, cached.stderr);
    assert.equal((await run([`env`, `--shell`, `bash`])).exitCode, 0, `the cached session is served to a good request`);
    for (const [name, args, env] of cases) {
      for (const command of [[`env`, `--shell`, `bash`], [`credential-process`]]) {
        const result = await run([...command, ...args], env);
        const what = `${command[0]} ${name}`;
        assert.equal(result.exitCode, 2, `${what}: ${result.stdout}${result.stderr}`);
        assertFailureOutput(result);
        assert.equal(result.stderr.trimEnd().split(`\n`).length, 1, `${what}: ${result.stderr}`);
        assert.match(result.stderr, /^awsmfa: /, what);
      }
    }
    assert.equal((await run([`env`, `--shell`, `bash`, `--min-remaining`, `10m`])).exitCode, 0, `a time with its unit is taken`);
  });

  test(`AWSMFA_LOCK_TIMEOUT_MS that is no number is refused by every command that may wait for a lock (it was NaN: a wait that never ended); unset still clears`, async () => {
    const bad = {AWSMFA_LOCK_TIMEOUT_MS: `abc`};
    for (const args of [[`login`, `--profile`, `nobody-here`], [`keys`, `list`, `--check`], [`logout`], [`rotate`], [`devices`], [`whoami`], [`init`, `bash`], [`clear`], [`status`]]) {
      const result = await run(args, bad);
      assert.equal(result.exitCode, 2, `${args.join(` `)}: ${result.stderr}`);
      assert.equal(result.stderr, `awsmfa: AWSMFA_LOCK_TIMEOUT_MS is "abc", not whole milliseconds from 0 to 600000, like 15000\n`, args.join(` `));
    }
    for (const args of [[`unset`, `--shell`, `bash`], [`unset`, `--shell`, `bash`, `--forget`]])
      assert.equal((await run(args, bad)).exitCode, 0, `${args.join(` `)} takes no lock`);
    assert.equal((await run([`env`, `--shell`, `bash`, sts.code], {AWSMFA_LOCK_TIMEOUT_MS: `2500`})).exitCode, 0, `a number is taken`);
  });
});
