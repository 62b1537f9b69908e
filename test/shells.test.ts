/**
 * Round trips through every real shell of the dialect table (test/support/shells.ts: bash, zsh, dash, ksh, fish,
 * tcsh, elvish today): what awsmfa prints, applied by the shell, must leave exactly the intended values in the
 * exported environment; and when awsmfa fails, the shell's own form must fail too (its failure statement): a
 * script under `set -e` (tcsh and elvish: any script) stops there, fish's `| source` returns non-zero, and an
 * interactive shell lives on.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {BIN} from './support/run.js';
import {awsmfaOnPath, makeSandbox, type Sandbox} from './support/sandbox.js';
import {printVarsCommand, REAL_SHELLS, runScript, skipUnlessShell} from './support/shells.js';
import {StsServer} from './support/sts-server.js';

/** Values that break naive quoting somewhere. */
const HOSTILE = [
  `plain`,
  `two  spaces and a\ttab`,
  `it's`,
  `'`,
  `''leading and trailing''`,
  `double "quotes"`,
  `$HOME and \${HOME} and $(echo no) and $((1+1))`,
  `\`echo backtick\``,
  `back\\slash and trailing \\`,
  `\\'`,
  `bang ! and !! and !$ and !-1`,
  `100% and %PATH% and %%`,
  `glob * ? [a] ~ ~root`,
  `semi; amp & pipe | lt < gt > hash # caret ^ braces {a,b}`,
  `unicode ü 漢字 😀 ‘typographic’ “quotes”`,
  `line\nbreak`,
  `+/=base64/like+value==`,
];

/** The values a dialect prints, and those it refuses (with its one-line error, printing nothing). */
const carriedBy = (set: (value: string) => string) => HOSTILE.filter(value => {
  try {
    set(value);
    return true;
  } catch (error) {
    assert.match((error as Error).message, /cannot carry safely|never prints control characters/);
    return false;
  }
});

describe(`hostile values survive each real shell`, () => {
  for (const {name: shell, label, dialect, profile} of REAL_SHELLS) {
    test(label, {skip: skipUnlessShell(shell)}, async () => {
      const carried = carriedBy(value => dialect.set([[`V`, value]]));
      assert.ok(carried.length >= 10, `${dialect.name} carries most of them`);
      assert.ok(carried.every(value => !/[\x00-\x1f]/.test(value)), `no control character is ever printed`);
      const names = carried.map((_, index) => `AWSMFA_TEST_${index}`);
      const dir = mkdtempSync(join(tmpdir(), `awsmfa-rt-`));
      try {
        const file = join(dir, `out`);
        writeFileSync(file, dialect.set(carried.map((value, index) => [names[index]!, value])));
        const result = await runScript(shell, `${profile.apply(file)}\n${printVarsCommand(names)}\n`, {PATH: process.env.PATH ?? ``, HOME: dir});
        assert.equal(result.stderr, ``);
        assert.equal(result.status, 0);
        assert.deepEqual(JSON.parse(result.stdout), Object.fromEntries(names.map((name, index) => [name, carried[index]])));

        // The unset lines remove them again.
        writeFileSync(`${file}.unset`, dialect.unset(names));
        const cleared = await runScript(shell, `${profile.apply(file)}\n${profile.apply(`${file}.unset`)}\n${printVarsCommand(names)}\n`, {PATH: process.env.PATH ?? ``, HOME: dir});
        assert.equal(cleared.status, 0, cleared.stderr);
        assert.deepEqual(JSON.parse(cleared.stdout), Object.fromEntries(names.map(name => [name, null])));
      } finally {
        rmSync(dir, {recursive: true, force: true});
      }
    });
  }
});

describe(`the real awsmfa env in each real shell, against the STS stand-in, in the README's form`, () => {
  let sts: StsServer;
  let sandbox: Sandbox;
  let env: Record<string, string>;
  // Printable ASCII without spaces, as STS hands out, but every shell's metacharacters in it.
  const hostile = {secretAccessKey: `s'e"c$r\`e\\t%x;&|<>*?~#`, sessionToken: `tok'en$(x)\`y\`\\z{a,b}[c]`};
  const names = [`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION`];
  /** The keys the shell had before: what a failed awsmfa must leave. */
  const old = [[`AWS_ACCESS_KEY_ID`, `AKIAOLDKEYS000000000`], [`AWS_SECRET_ACCESS_KEY`, `oldSecretOfTheShell`]] as const;
  before(async () => {
    sts = await new StsServer({allowReuse: true}).start();
    sandbox = makeSandbox({endpoint: sts.url});
    env = awsmfaOnPath(sandbox);
  });
  after(async () => {
    await sts.close();
    sandbox.cleanup();
  });

  for (const {name: shell, label, dialect, profile, run} of REAL_SHELLS) {
    describe(label, {skip: skipUnlessShell(shell)}, () => {
      test(`a session applied: exactly the values STS sent`, async () => {
        sts.nextCredentials = {accessKeyId: `ASIAHOSTILE${shell.toUpperCase()}`.padEnd(20, `0`), ...hostile};
        const command = `${process.execPath} ${BIN} env --code 123456 --shell ${dialect.name}`;
        const result = await runScript(shell, `${profile.strict}\n${profile.applyOutput(command)}\n${printVarsCommand(names)}\n`, sandbox.env);
        assert.equal(result.status, 0, result.stderr);
        const vars = JSON.parse(result.stdout);
        const issued = sts.issued.at(-1)!;
        assert.equal(vars.AWS_ACCESS_KEY_ID, `ASIAHOSTILE${shell.toUpperCase()}`.padEnd(20, `0`));
        assert.equal(vars.AWS_SECRET_ACCESS_KEY, hostile.secretAccessKey);
        assert.equal(vars.AWS_SESSION_TOKEN, hostile.sessionToken);
        assert.equal(new Date(vars.AWS_CREDENTIAL_EXPIRATION).getTime(), issued.expiration.getTime());
      });

      // A wrong code, a usage error, an unknown profile: each is a failure of `env` and of `unset` and `init`.
      const failures = [`env 000000`, `env --duration-seconds 1 123456`, `env --profile nosuch 123456`, `unset --nosuch`, `init --nosuch`];
      test(`awsmfa fails: its stdout is the failure statement, and the form fails${profile.failureStops ? ` and stops the script` : ``}`, async () => {
        for (const args of failures) {
          const command = `awsmfa ${args}`;
          const script = [
            dialect.set(old),
            profile.strict,
            profile.failureStops ? profile.applyOutput(command) : profile.status(profile.applyOutput(command)),
            `echo next-ran`,
            ``,
          ].join(`\n`);
          const result = await runScript(shell, script, env);
          assert.doesNotMatch(result.stderr, /oldSecretOfTheShell/, `${args}: no secret in the errors`);
          if (profile.failureStops) {
            assert.notEqual(result.status, 0, `${args}: the script failed`);
            assert.doesNotMatch(result.stdout, /next-ran/, `${args}: the next line did not run`);
          } else {
            assert.match(result.stdout, /^status=[1-9]\d*\nnext-ran\n$/, `${args}: the form's status is a failure`);
          }
        }
      });

      test(`the failure statement changes nothing in the shell`, async () => {
        const dir = mkdtempSync(join(tmpdir(), `awsmfa-fail-`));
        try {
          const file = join(dir, `out`);
          const printed = spawnSync(process.execPath, [BIN, `env`, `--shell`, dialect.name, `000000`], {env: sandbox.env, encoding: `utf8`});
          assert.equal(printed.status, 1);
          assert.equal(printed.stdout, dialect.failure, `all that awsmfa printed is ${dialect.name}'s failure statement`);
          writeFileSync(file, printed.stdout);
          // Where a failure ends every script (tcsh, elvish) nothing after it runs to read the variables: there,
          // that the statement is a fixed text that assigns nothing is what is checked (above).
          if (profile.strict !== `` || !profile.failureStops) {
            const result = await runScript(shell, [dialect.set(old), profile.status(profile.apply(file)), printVarsCommand(names), ``].join(`\n`), env);
            const [status, vars] = result.stdout.trim().split(`\n`);
            assert.match(status!, /^status=[1-9]/);
            assert.deepEqual(JSON.parse(vars!), {...Object.fromEntries(old), AWS_SESSION_TOKEN: null, AWS_CREDENTIAL_EXPIRATION: null});
          }
        } finally {
          rmSync(dir, {recursive: true, force: true});
        }
      });

      test(`an interactive ${shell} lives on after a failed apply`, {skip: skipUnlessShell(`tmux`)}, async () => {
        const dir = mkdtempSync(join(tmpdir(), `awsmfa-tty-`));
        const socket = `awsmfa-shells-${process.pid}-${shell}`;
        const tmux = (...args: string[]) => spawnSync(`tmux`, [`-L`, socket, ...args], {env: {...env, HOME: dir}, encoding: `utf8`});
        const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
        const alive = join(dir, `alive`);
        try {
          assert.equal(tmux(`new-session`, `-d`, `-x`, `200`, `-y`, `50`, [run.binary, ...run.interactive].join(` `)).status, 0);
          await sleep(1000);
          tmux(`send-keys`, profile.applyOutput(`awsmfa env 000000`), `Enter`);
          await sleep(3000);
          tmux(`send-keys`, `echo alive >> ${alive}`, `Enter`);
          for (let waited = 0; waited < 10_000 && !existsSync(alive); waited += 250)
            await sleep(250);
          assert.ok(existsSync(alive), `the shell ran the next line: ${tmux(`capture-pane`, `-p`).stdout}`);
          assert.equal(readFileSync(alive, `utf8`), `alive\n`);
        } finally {
          tmux(`kill-server`);
          rmSync(dir, {recursive: true, force: true});
        }
      });
    });
  }
});
