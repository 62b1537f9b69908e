import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {SHELL_PARTS} from '../scripts/render-shell.js';
import {shellFromName} from '../src/dialects/detect.js';
import {DIALECT_NAMES, DIALECTS, findDialect, SHELL_DIALECTS} from '../src/dialects/index.js';
import {runAwsmfa} from './support/run.js';

const SESSION = [
  [`AWS_ACCESS_KEY_ID`, `ASIAEXAMPLE`],
  [`AWS_SECRET_ACCESS_KEY`, `se/cr+et=`],
  [`AWS_SESSION_TOKEN`, `tok`],
  [`AWS_CREDENTIAL_EXPIRATION`, `2026-11-24T06:15:00Z`],
] as const;

const set = (dialect: string, value: string) => findDialect(dialect)!.set([[`V`, value]]);

describe(`dialects print exact lines`, () => {
  test(`POSIX: export with single quotes, a quote as '\\''`, () => {
    assert.equal(findDialect(`bash`)!.set(SESSION), [
      `export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'`,
      `export AWS_SECRET_ACCESS_KEY='se/cr+et='`,
      `export AWS_SESSION_TOKEN='tok'`,
      `export AWS_CREDENTIAL_EXPIRATION='2026-11-24T06:15:00Z'`,
      ``,
    ].join(`\n`));
    assert.equal(set(`sh`, `it's $HOME \`x\` \\ "q" !`), `export V='it'\\''s $HOME \`x\` \\ "q" !'\n`);
    assert.equal(findDialect(`zsh`)!.unset([`A`, `B`]), `unset A\nunset B\n`);
  });

  test(`fish: set -gx, backslash and quote escaped`, () => {
    assert.equal(set(`fish`, `it's a \\ b $x`), `set -gx V 'it\\'s a \\\\ b $x'\n`);
    assert.equal(findDialect(`fish`)!.unset([`A`]), `set -e -g A\n`);
  });

  test(`tcsh: setenv with ' ;' ends, refuses ! and newlines`, () => {
    assert.equal(set(`tcsh`, `it's $x`), `setenv V 'it'\\''s $x' ;\n`);
    assert.equal(findDialect(`csh`)!.unset([`A`]), `unsetenv A ;\n`);
    assert.throws(() => set(`tcsh`, `a!b`), /V holds the character !, which the tcsh dialect cannot carry safely/);
    assert.throws(() => set(`tcsh`, `a\nb`), /V holds a newline/);
  });

  test(`elvish: set-env, quote doubled`, () => {
    assert.equal(set(`elvish`, `it's $x`), `set-env V 'it''s $x'\n`);
    assert.equal(findDialect(`elvish`)!.unset([`A`]), `unset-env A\n`);
  });

  test(`pwsh: $env:, straight and typographic single quotes doubled`, () => {
    assert.equal(set(`pwsh`, `it's ‘x’ $y`), `$env:V = 'it''s ‘‘x’’ $y'\n`);
    assert.equal(findDialect(`powershell`)!.unset([`A`]), `Remove-Item -Path Env:A -ErrorAction SilentlyContinue\n`);
    assert.ok(!findDialect(`pwsh`)!.set(SESSION).endsWith(`\n\n`), `no trailing blank line for | iex`);
  });

  test(`cmd: set "NAME=value", refuses % ! and "`, () => {
    assert.equal(set(`cmd`, `a&b|c<d>e^f g`), `set "V=a&b|c<d>e^f g"\n`);
    assert.equal(findDialect(`cmd`)!.unset([`A`]), `set A=\n`);
    for (const bad of [`50%`, `hi!`, `say "x"`])
      assert.throws(() => set(`cmd`, bad), /cmd dialect cannot carry safely/);
  });

  test(`cmd: refuses non-ASCII (a batch file is read in the console's code page) and lines cmd.exe would cut`, () => {
    assert.throws(() => set(`cmd`, `ü`), /the value of V holds the character U\+00FC, which the cmd dialect cannot carry safely/);
    assert.throws(() => set(`cmd`, `emoji 😀`), /U\+1F600/);
    assert.throws(() => set(`cmd`, `rtl \u200f mark`), /U\+200F/);
    const longest = `x`.repeat(8190 - `set "V="`.length);
    assert.equal(set(`cmd`, longest).length, 8191, `8190 characters and the line break`);
    assert.throws(() => set(`cmd`, `${longest}x`), /the value of V is 8183 characters long, more than a line of cmd.exe holds/);
  });

  test(`every dialect refuses NUL and the other control characters, naming them, printing nothing`, () => {
    const names = DIALECTS.map(dialect => dialect.name);
    const controls: Array<[string, RegExp]> = [[`\u0000`, /a NUL byte \(U\+0000\)/], [`\n`, /a newline/], [`\r`, /a carriage return/], [`\t`, /a tab/], [`\u001b`, /a control character \(U\+001B\)/], [`\u007f`, /U\+007F/], [`\u009b`, /U\+009B/]];
    for (const name of names) {
      for (const [char, message] of controls) {
        assert.throws(() => findDialect(name)!.set([[`AWS_SESSION_TOKEN`, `; touch /tmp/PWNED${char}`]]), error => {
          assert.match((error as Error).message, message, name);
          assert.match((error as Error).message, /^the value of AWS_SESSION_TOKEN holds/, name);
          assert.ok(!(error as Error).message.includes(`PWNED`), `the value itself is never echoed (${name})`);
          return true;
        });
      }
    }
  });

  test(`dotenv: NAME='value', refuses ' \\ and $, cannot unset`, () => {
    assert.equal(set(`dotenv`, `a b#c"d`), `V='a b#c"d'\n`);
    for (const bad of [`it's`, `a\\b`, `a$b`])
      assert.throws(() => set(`dotenv`, bad), /dotenv dialect cannot carry/);
    assert.throws(() => findDialect(`dotenv`)!.unset([`A`]), /cannot unset/);
  });

  test(`json: the credential_process document, Version 1`, () => {
    assert.deepEqual(JSON.parse(findDialect(`json`)!.set(SESSION)), {
      Version: 1,
      AccessKeyId: `ASIAEXAMPLE`,
      SecretAccessKey: `se/cr+et=`,
      SessionToken: `tok`,
      Expiration: `2026-11-24T06:15:00Z`,
    });
  });

  test(`names and aliases resolve, case and .exe and a login shell's dash ignored`, () => {
    assert.equal(findDialect(`-zsh`)!.name, `zsh`);
    assert.equal(findDialect(`PowerShell.exe`)!.name, `pwsh`);
    assert.equal(findDialect(`dash`)!.name, `sh`);
    assert.equal(findDialect(`nushell`), undefined);
    for (const name of [`bash`, `zsh`, `sh`, `ksh`, `fish`, `tcsh`, `csh`, `elvish`, `pwsh`, `powershell`, `cmd`, `dotenv`, `env-file`, `json`])
      assert.ok(DIALECT_NAMES.includes(name), name);
  });
});

describe(`on failure: one statement that fails in the shell and changes nothing`, () => {
  test(`each shell's, exactly; a format has none (its stdout stays empty)`, () => {
    const statements = Object.fromEntries(DIALECTS.map(dialect => [dialect.name, dialect.failure]));
    assert.deepEqual(statements, {
      bash: `false\n`, zsh: `false\n`, sh: `false\n`, ksh: `false\n`, fish: `false\n`,
      tcsh: `: $awsmfa_failed ;\n`,
      elvish: `fail 'awsmfa failed; nothing was changed'\n`,
      pwsh: `Write-Error 'awsmfa failed; nothing was changed'\n`,
      cmd: `cmd /c exit 1\n`,
      dotenv: undefined, 'env-file': undefined, json: undefined,
    });
  });

  test(`every shell has one, of one line, that assigns nothing and holds no text but its own`, () => {
    for (const dialect of SHELL_DIALECTS) {
      const statement = dialect.failure!;
      assert.match(statement, /^[^\n]+\n$/, dialect.name);
      assert.doesNotMatch(statement, /\b(export|setenv|set-env|set|\$env:|unset)\b|=/, `${dialect.name}: no assignment`);
    }
  });
});

describe(`the dialect table is the one list of shells`, () => {
  test(`every shell's module gives its parts: the renderers of its files and a test profile that runs it somewhere`, () => {
    assert.deepEqual([...SHELL_PARTS.keys()].map(dialect => dialect.name), SHELL_DIALECTS.map(dialect => dialect.name));
    for (const [dialect, {profile}] of SHELL_PARTS) {
      assert.ok(profile.runs === `wine-cmd` || profile.runs === `pwsh-grammar` || profile.runs.length > 0, `${dialect.name}: its round trips run somewhere`);
      if (dialect.snippet !== undefined && typeof profile.runs !== `string`)
        assert.ok(profile.rc !== undefined && profile.load !== undefined, `${dialect.name}: its mfa file's profile says how it is loaded`);
    }
  });

  test(`detection knows every shell by its name and aliases, and no format`, () => {
    for (const dialect of DIALECTS) {
      for (const name of [dialect.name, ...dialect.aliases])
        assert.equal(shellFromName(`/usr/bin/${name}`), dialect.kind === `shell` ? dialect.name : undefined, name);
    }
  });

  test(`the mfa functions' --mfa-shell takes every shell of the table, and no format`, async () => {
    for (const dialect of DIALECTS) {
      // No keys anywhere: a shell it takes fails for that; a format it refuses first, naming the option.
      const result = await runAwsmfa([`env`, `--mfa-shell`, dialect.name], {PATH: process.env.PATH ?? ``, HOME: `/nonexistent`});
      assert.notEqual(result.exitCode, 0);
      assert.equal(/Invalid value for --mfa-shell/.test(result.stderr), dialect.kind === `format`, `${dialect.name}: ${result.stderr}`);
    }
  });
});
