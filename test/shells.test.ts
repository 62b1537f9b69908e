/**
 * Round trips through the real shells: what awsmfa prints, applied by bash, zsh, dash, ksh, fish, tcsh and
 * elvish, must leave exactly the intended values in the exported environment.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {findDialect} from '../src/dialects/index.js';
import {BIN} from './support/run.js';
import {makeSandbox, type Sandbox} from './support/sandbox.js';
import {applyFile, DIALECT_OF, printVarsCommand, runScript, SHELLS, skipUnlessShell, type ShellName} from './support/shells.js';
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

/** Which of them a dialect refuses (it must say so, and print nothing): control characters everywhere, and more. */
const REFUSED: Record<string, RegExp> = {tcsh: /[!\x00-\x1f]|[^\x00-\x7e]/u, default: /[\x00-\x1f]/};

describe(`hostile values survive each real shell`, () => {
  for (const shell of SHELLS) {
    const dialect = findDialect(DIALECT_OF[shell])!;
    test(shell, {skip: skipUnlessShell(shell)}, async () => {
      const refused = REFUSED[dialect.name] ?? REFUSED.default!;
      const carried = HOSTILE.filter(value => !refused?.test(value));
      const names = carried.map((_, index) => `AWSMFA_TEST_${index}`);
      const dir = mkdtempSync(join(tmpdir(), `awsmfa-rt-`));
      try {
        const file = join(dir, `out`);
        writeFileSync(file, dialect.set(carried.map((value, index) => [names[index]!, value])));
        const result = await runScript(shell, `${applyFile(shell, file)}\n${printVarsCommand(names)}\n`, {PATH: process.env.PATH ?? ``, HOME: dir});
        assert.equal(result.stderr, ``);
        assert.equal(result.status, 0);
        assert.deepEqual(JSON.parse(result.stdout), Object.fromEntries(names.map((name, index) => [name, carried[index]])));

        // The unset lines remove them again.
        writeFileSync(`${file}.unset`, dialect.unset(names));
        const cleared = await runScript(shell, `${applyFile(shell, file)}\n${applyFile(shell, `${file}.unset`)}\n${printVarsCommand(names)}\n`, {PATH: process.env.PATH ?? ``, HOME: dir});
        assert.equal(cleared.status, 0, cleared.stderr);
        assert.deepEqual(JSON.parse(cleared.stdout), Object.fromEntries(names.map(name => [name, null])));
      } finally {
        rmSync(dir, {recursive: true, force: true});
      }
      for (const value of HOSTILE.filter(value => refused?.test(value)))
        assert.throws(() => dialect.set([[`V`, value]]), /cannot carry safely|never prints control characters/);
    });
  }
});

describe(`eval of the real awsmfa env, in each real shell, against the STS stand-in`, () => {
  let sts: StsServer;
  let sandbox: Sandbox;
  // Printable ASCII without spaces, as STS hands out, but every shell's metacharacters in it.
  const hostile = {secretAccessKey: `s'e"c$r\`e\\t%x;&|<>*?~#`, sessionToken: `tok'en$(x)\`y\`\\z{a,b}[c]`};
  before(async () => {
    sts = await new StsServer({allowReuse: true}).start();
    sandbox = makeSandbox({endpoint: sts.url});
  });
  after(async () => {
    await sts.close();
    sandbox.cleanup();
  });

  const invocations: Record<ShellName, (command: string) => string> = {
    bash: command => `out=$(${command}) || exit 9\neval "$out"`,
    zsh: command => `out=$(${command}) || exit 9\neval "$out"`,
    dash: command => `out=$(${command}) || exit 9\neval "$out"`,
    ksh: command => `out=$(${command}) || exit 9\neval "$out"`,
    fish: command => `${command} | source`,
    tcsh: command => `eval "\`${command}\`"`,
    elvish: command => `eval (${command} | slurp)`,
  };

  for (const shell of SHELLS) {
    test(shell, {skip: skipUnlessShell(shell)}, async () => {
      sts.nextCredentials = {accessKeyId: `ASIAHOSTILE${shell.toUpperCase()}`.padEnd(20, `0`), ...hostile};
      const command = `${process.execPath} ${BIN} env --code 123456 --shell ${DIALECT_OF[shell]}`;
      const names = [`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION`];
      const result = await runScript(shell, `${invocations[shell](command)}\n${printVarsCommand(names)}\n`, sandbox.env);
      assert.equal(result.status, 0, result.stderr);
      const vars = JSON.parse(result.stdout);
      const issued = sts.issued.at(-1)!;
      assert.equal(vars.AWS_ACCESS_KEY_ID, `ASIAHOSTILE${shell.toUpperCase()}`.padEnd(20, `0`));
      assert.equal(vars.AWS_SECRET_ACCESS_KEY, hostile.secretAccessKey);
      assert.equal(vars.AWS_SESSION_TOKEN, hostile.sessionToken);
      assert.equal(new Date(vars.AWS_CREDENTIAL_EXPIRATION).getTime(), issued.expiration.getTime());
    });
  }
});
