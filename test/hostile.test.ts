/**
 * Property-based: thousands of seeded hostile values (test/support/hostile.ts) per dialect, each of which must
 * either round-trip exactly through the real shell (applied as `eval` would, and through the shell's `mfa`
 * function) or be refused by the dialect with its one-line error. A canary file that any payload would create
 * must never appear. The same for cmd.exe, under Wine, with mfa.cmd. The counts are reported per dialect.
 *
 * The values reach the shells the way awsmfa's own output does; what STS could send is narrower still (printable
 * ASCII, checked before any dialect sees it), so this is the defence in depth holding on its own.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {findDialect} from '../src/dialects/index.js';
import {CASES, hostileValues, SEED} from './support/hostile.js';
import {runAwsmfa} from './support/run.js';
import {printVarsCommand, REAL_SHELLS, runScript, shellsRunBy, skipUnlessShell} from './support/shells.js';

const CHUNK = 200;
let dir: string;
let canary: string;
let canaryWindows: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), `awsmfa-hostile-`));
  canary = join(dir, `PWNED`);
  canaryWindows = `Z:${canary.replaceAll(`/`, `\\`)}`;
});
after(() => rmSync(dir, {recursive: true, force: true}));

/** The values a dialect prints (with their names) and how many it refused; a refusal must be the dialect's own. */
function partition(dialectName: string, values: readonly string[]): {accepted: Array<[string, string]>, refused: number} {
  const dialect = findDialect(dialectName)!;
  const accepted: Array<[string, string]> = [];
  let refused = 0;
  values.forEach((value, index) => {
    const name = `HV_${String(index).padStart(5, `0`)}`;
    try {
      dialect.set([[name, value]]);
      accepted.push([name, value]);
    } catch (error) {
      const message = (error as Error).message;
      assert.match(message, new RegExp(`^the value of ${name} (holds|is \\d+ characters long)`), `a refusal is the dialect's own error`);
      assert.ok(!message.includes(`\n`), `one line`);
      refused++;
    }
  });
  return {accepted, refused};
}

const chunks = <T>(items: readonly T[]): T[][] => Array.from({length: Math.ceil(items.length / CHUNK)}, (_, index) => items.slice(index * CHUNK, (index + 1) * CHUNK));

/** A fake awsmfa first on PATH: prints the next prepared chunk (for mfa), or records its argv. */
function fakeAwsmfa(home: string, mode: `chunks` | `argv`): string {
  const bin = join(home, `bin`);
  mkdirSync(bin, {recursive: true});
  writeFileSync(join(home, `n`), `0\n`);
  writeFileSync(join(bin, `awsmfa`), mode === `chunks`
    ? `#!/bin/sh\nn=$(cat '${home}/n')\necho $((n + 1)) > '${home}/n'\ncat '${home}/chunk.'"$n"\n`
    : `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(join(home, `argv`))}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`, {mode: 0o755});
  return bin;
}

/** The snippet `awsmfa init SHELL` prints when awsmfa is on PATH (the real init, run against the fake's PATH). */
async function snippet(shell: string, bin: string): Promise<string> {
  const result = await runAwsmfa([`init`, shell], {PATH: `${bin}:${process.env.PATH}`, HOME: dir});
  assert.equal(result.exitCode, 0, result.stderr);
  return result.stdout;
}

describe(`seeded hostile values: exact or refused in every real shell, plain and through mfa`, () => {
  for (const {name: shell, label, dialect, profile} of REAL_SHELLS) {
    test(label, {skip: skipUnlessShell(shell), timeout: 300_000}, async t => {
      const home = mkdtempSync(join(dir, `${shell}-`));
      const values = hostileValues(SEED, CASES, canary, canaryWindows);
      const {accepted, refused} = partition(dialect.name, values);
      const names = accepted.map(([name]) => name);
      const expected = Object.fromEntries(accepted);
      const parts = chunks(accepted);
      parts.forEach((part, index) => writeFileSync(join(home, `chunk.${index}`), dialect.set(part)));

      // Plain: the lines applied as `eval "$(awsmfa env)"` applies them.
      const plain = await runScript(shell, [...parts.map((_, index) => profile.apply(join(home, `chunk.${index}`))), printVarsCommand(names), ``].join(`\n`), {PATH: process.env.PATH ?? ``, HOME: home});
      assert.equal(plain.stderr, ``);
      assert.equal(plain.status, 0);
      assert.deepEqual(JSON.parse(plain.stdout), expected);
      let through = `no mfa function`;

      // Through mfa: awsmfa (a fake printing the same chunks) called by the shell's own function.
      if (dialect.snippet !== undefined) {
        assert.ok(profile.load !== undefined, `${dialect.name} has an mfa file: its profile says how to load it`);
        const bin = fakeAwsmfa(home, `chunks`);
        const file = join(home, `snippet`);
        const text = await snippet(dialect.name, bin);
        writeFileSync(file, text);
        const script = [profile.load(file, text), ...parts.slice(1).map(() => `mfa`), profile.status(`mfa`), printVarsCommand(names), ``].join(`\n`);
        const result = await runScript(shell, script, {PATH: `${bin}:${process.env.PATH}`, HOME: home});
        assert.equal(result.stderr, ``);
        const [status, vars] = result.stdout.split(`\n`);
        assert.equal(status, `status=0`);
        assert.deepEqual(JSON.parse(vars!), expected);
        through = `the same through mfa`;
      }
      assert.ok(!existsSync(canary), `the canary must never appear`);
      t.diagnostic(`seed ${SEED}: ${shell} (${dialect.name}): ${accepted.length} exact, ${refused} refused, of ${values.length}; ${through}`);
    });
  }
});

describe(`mfa hands its arguments to awsmfa untouched, hostile ones included`, () => {
  for (const {name: shell, dialect, profile} of REAL_SHELLS.filter(real => real.dialect.snippet !== undefined)) {
    test(shell, {skip: skipUnlessShell(shell)}, async () => {
      const home = mkdtempSync(join(dir, `args-${shell}-`));
      const bin = fakeAwsmfa(home, `argv`);
      // Words a user could type: no NUL (argv cannot hold one), and only what the shell's own quoting can write.
      // A shell that drops empty words when it expands a list (tcsh: its profile says so) gets no empty ones.
      const args = hostileValues(SEED + 1, 60, canary, canaryWindows).filter(value => !value.includes(`\0`) && (profile.dropsEmptyArguments !== true || value !== ``)).filter(value => {
        try {
          profile.quote(value);
          return true;
        } catch {
          return false;
        }
      }).slice(0, 40);
      const text = await snippet(dialect.name, bin);
      const file = join(home, `snippet`);
      writeFileSync(file, text);
      const call = `mfa ${args.map(profile.quote).join(` `)}`;
      const result = await runScript(shell, [profile.load!(file, text), call, `mfa --profile ${profile.quote(`bob's keys`)} 123456`, ``].join(`\n`), {PATH: `${bin}:${process.env.PATH}`, HOME: home});
      assert.equal(result.stderr, ``, result.stdout);
      const [first, second] = readFileSync(join(home, `argv`), `utf8`).trim().split(`\n`).map(line => JSON.parse(line));
      assert.deepEqual(first, [`env`, `--mfa-shell`, dialect.name, ...args]);
      assert.deepEqual(second, [`env`, `--mfa-shell`, dialect.name, `--profile`, `bob's keys`, `123456`]);
      assert.ok(!existsSync(canary), `the canary must never appear`);
    });
  }
});

/** Wine's cmd.exe, when installed: a skip with the reason on a developer machine, a failure in CI. */
function skipUnlessWine(): string | false {
  if (spawnSync(`sh`, [`-c`, `command -v wine`]).status === 0)
    return false;
  if (process.env.CI)
    throw new Error(`wine is not installed, and CI must run cmd.exe (see .ci/run)`);
  return `wine is not installed here (apt-get install wine64; CI installs it)`;
}

/** The dialects whose round trips run in cmd.exe (the table's cmd): this harness is how Wine runs a batch file. */
const WINE = shellsRunBy(`wine-cmd`);
test(`the table's cmd.exe dialects are the ones this harness knows`, () => {
  assert.deepEqual(WINE.map(({dialect}) => dialect.name), [`cmd`]);
});

describe(`cmd.exe under Wine: the cmd dialect and mfa.cmd`, {skip: skipUnlessWine()}, () => {
  let prefix: string;
  let work: string;
  const wine = (batch: string) => {
    const file = join(work, `driver.cmd`);
    writeFileSync(file, `@echo off\r\n${batch.replaceAll(`\n`, `\r\n`)}\r\n`);
    const result = spawnSync(`wine`, [`cmd`, `/c`, `driver.cmd`], {cwd: work, env: wineEnv(), encoding: `latin1`, timeout: 120_000});
    return {status: result.status, stdout: result.stdout.replaceAll(`\r\n`, `\n`), stderr: result.stderr};
  };
  /** `set PREFIX` output as a record (cmd prints NAME=value, sorted). */
  const vars = (stdout: string, prefix: string) => Object.fromEntries(stdout.split(`\n`).filter(line => line.startsWith(prefix)).map(line => [line.slice(0, line.indexOf(`=`)), line.slice(line.indexOf(`=`) + 1)]));

  /** Only what Wine needs: cmd.exe sees the Unix environment, and the machine's own AWS_* must not mix in. */
  const wineEnv = () => ({PATH: process.env.PATH ?? ``, HOME: process.env.HOME ?? dir, WINEPREFIX: prefix, WINEDEBUG: `-all`});

  before(async () => {
    prefix = mkdtempSync(join(tmpdir(), `awsmfa-wine-`));
    // The first start of a prefix sets it up (about 10 s) and may answer oddly: done once, before the tests.
    spawnSync(`wine`, [`cmd`, `/c`, `exit 0`], {env: wineEnv(), stdio: `ignore`, timeout: 120_000});
    work = mkdtempSync(join(dir, `cmd-`));
    writeFileSync(join(work, `mfa.cmd`), (await snippet(`cmd`, fakeAwsmfa(work, `argv`))));
    // The fake awsmfa of cmd: prints chunk.txt, records its arguments, exits with FAKE_STATUS.
    writeFileSync(join(work, `awsmfa.cmd`), `@echo off\r\necho %*> "%~dp0argv.txt"\r\ntype "%~dp0chunk.txt"\r\nexit /b %FAKE_STATUS%\r\n`);
  });
  after(() => {
    // The prefix's wineserver writes its registry when it ends, a few seconds after the last program: wait for it.
    spawnSync(`wineserver`, [`-w`], {env: wineEnv(), stdio: `ignore`, timeout: 60_000});
    rmSync(prefix, {recursive: true, force: true, maxRetries: 5});
  });

  test(`seeded hostile values: exact or refused, set by a batch file and through mfa.cmd`, {timeout: 300_000}, async t => {
    const values = hostileValues(SEED, CASES, canary, canaryWindows);
    const {accepted, refused} = partition(`cmd`, values);
    const expected = Object.fromEntries(accepted);
    writeFileSync(join(work, `chunk.txt`), findDialect(`cmd`)!.set(accepted).replaceAll(`\n`, `\r\n`));
    writeFileSync(join(work, `chunk.cmd`), readFileSync(join(work, `chunk.txt`)));
    const plain = wine(`call chunk.cmd\nset HV_`);
    assert.deepEqual(vars(plain.stdout, `HV_`), expected, `status ${plain.status}: ${plain.stdout.slice(0, 300)} ${plain.stderr.slice(0, 300)}`);
    const through = wine(`set FAKE_STATUS=0\ncall mfa.cmd 123456 --profile work\necho status=%ERRORLEVEL%\nset HV_\nset _AWSMFA`);
    assert.match(through.stdout, /^status=0$/m);
    assert.deepEqual(vars(through.stdout, `HV_`), expected);
    assert.deepEqual(vars(through.stdout, `_AWSMFA`), {}, `mfa.cmd leaves none of its own variables behind`);
    assert.equal(readFileSync(join(work, `argv.txt`), `latin1`).trim(), `env --mfa-shell cmd 123456 --profile work`);
    assert.ok(!existsSync(canary), `the canary must never appear`);
    t.diagnostic(`seed ${SEED}: cmd: ${accepted.length} exact, ${refused} refused, of ${values.length}; the same through mfa.cmd`);
  });

  test(`a failing awsmfa (a positive or a negative ERRORLEVEL) changes nothing; --unset clears; no leftovers`, () => {
    writeFileSync(join(work, `chunk.txt`), `set "AWS_ACCESS_KEY_ID=ASIANEW0000000000000"\r\n`);
    const session = `set "AWS_ACCESS_KEY_ID=ASIAOLD0000000000000"\nset "AWS_SESSION_TOKEN=old"`;
    for (const status of [`1`, `2`, `-1073741510`]) {
      const result = wine(`${session}\nset FAKE_STATUS=${status}\ncall mfa.cmd 000000\nif not "%ERRORLEVEL%"=="0" echo failed\nset AWS_\nset _AWSMFA`);
      assert.match(result.stdout, /^failed$/m, `status ${status} is a failure`);
      assert.deepEqual(vars(result.stdout, `AWS_`), {AWS_ACCESS_KEY_ID: `ASIAOLD0000000000000`, AWS_SESSION_TOKEN: `old`}, `status ${status}`);
      assert.deepEqual(vars(result.stdout, `_AWSMFA`), {});
    }
    const applied = wine(`${session}\nset FAKE_STATUS=0\ncall mfa.cmd\necho status=%ERRORLEVEL%\nset AWS_`);
    assert.match(applied.stdout, /^status=0$/m);
    assert.deepEqual(vars(applied.stdout, `AWS_`), {AWS_ACCESS_KEY_ID: `ASIANEW0000000000000`}, `the old token is gone with the old session`);
    writeFileSync(join(work, `chunk.txt`), ``);
    const help = wine(`${session}\nset FAKE_STATUS=0\ncall mfa.cmd --help\necho status=%ERRORLEVEL%\nset AWS_`);
    assert.match(help.stdout, /^status=0$/m);
    assert.deepEqual(vars(help.stdout, `AWS_`), {AWS_ACCESS_KEY_ID: `ASIAOLD0000000000000`, AWS_SESSION_TOKEN: `old`}, `nothing printed, nothing applied`);
    const unset = wine(`${session}\nset AWS_REGION=eu-west-1\ncall mfa.cmd --unset\necho status=%ERRORLEVEL%\nset AWS_`);
    assert.match(unset.stdout, /^status=0$/m);
    assert.deepEqual(vars(unset.stdout, `AWS_`), {AWS_REGION: `eu-west-1`}, `only the session's variables go`);
  });

  test(`the failure statement, applied as a called file or a for /f loop, leaves a failing ERRORLEVEL and changes nothing`, () => {
    const {dialect, parts} = WINE[0]!;
    writeFileSync(join(work, `failed.cmd`), dialect.failure!.replaceAll(`\n`, `\r\n`));
    const session = `set "AWS_ACCESS_KEY_ID=ASIAOLD0000000000000"\nset "AWS_SESSION_TOKEN=old"`;
    for (const apply of [parts.profile.apply(`failed.cmd`), parts.profile.applyOutput(`type failed.cmd`)]) {
      const result = wine(`${session}\n${apply}\necho status=%ERRORLEVEL%\nset AWS_`);
      assert.match(result.stdout, /^status=[1-9]\d*$/m, `${apply}: ${result.stdout}`);
      assert.deepEqual(vars(result.stdout, `AWS_`), {AWS_ACCESS_KEY_ID: `ASIAOLD0000000000000`, AWS_SESSION_TOKEN: `old`}, apply);
    }
    // mfa.cmd never runs what a failed awsmfa printed.
    writeFileSync(join(work, `chunk.txt`), `${dialect.failure!.replaceAll(`\n`, `\r\n`)}set "AWS_ACCESS_KEY_ID=ASIANEW0000000000000"\r\n`);
    const through = wine(`${session}\nset FAKE_STATUS=1\ncall mfa.cmd 000000\necho status=%ERRORLEVEL%\nset AWS_`);
    assert.match(through.stdout, /^status=1$/m);
    assert.deepEqual(vars(through.stdout, `AWS_`), {AWS_ACCESS_KEY_ID: `ASIAOLD0000000000000`, AWS_SESSION_TOKEN: `old`});
  });
});
