/**
 * Shell integration: `awsmfa init SHELL` prints the snippets of shell/, linted here, then sourced in each real
 * shell to run `mfa` against the STS stand-in, as a user's rc file would.
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {SNIPPET_SHELLS} from '../src/dialects/index.js';
import {beforeEach, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {BIN, ROOT, runAwsmfa} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {installInto, printVarsCommand, REAL_SHELLS, realShell, runScript, skipUnlessShell, type RealShell} from './support/shells.js';

/** The real shells that have an `mfa` file: every test below runs in each of them. */
const WITH_SNIPPET = REAL_SHELLS.filter(shell => shell.dialect.snippet !== undefined);

const VARS = [`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION`];

useStandIn();
/** The sandbox's environment with `awsmfa` on PATH, as after `npm link`. */
let env: Record<string, string>;
beforeEach(() => {
  env = awsmfaOnPath(sandbox);
});

const init = async (shell: string, environment = env) => {
  const result = await runAwsmfa([`init`, shell], environment);
  assert.equal(result.exitCode, 0, result.stderr);
  return result.stdout;
};

describe(`the snippets pass their shells' own checks`, () => {
  // As init prints them (the file and its completion, awsmfa's path put in) and as the files are.
  for (const {name: shell, dialect, profile} of WITH_SNIPPET) {
    for (const command of profile.lint) {
      test(`${shell}: ${command.join(` `)}`, {skip: skipUnlessShell(shell) || skipUnlessShell(command[0]!)}, async () => {
        const dir = join(sandbox.home, `lint`);
        mkdirSync(dir, {recursive: true});
        const printed = join(dir, `snippet.${dialect.name}`);
        writeFileSync(printed, await init(dialect.name));
        const snippet = dialect.snippet!;
        for (const file of [printed, join(ROOT, `shell`, snippet.file), ...snippet.completion === undefined ? [] : [join(ROOT, `shell`, snippet.completion)]]) {
          const result = spawnSync(command[0]!, [...command.slice(1), file], {encoding: `utf8`});
          assert.equal(result.status, 0, `${command.join(` `)} ${file}: ${result.stdout}${result.stderr}`);
        }
      });
    }
  }
  test(`every shell with an mfa file has checks of its own, or is run where it is checked (cmd.exe, PowerShell)`, async () => {
    const {SHELL_PARTS} = await import(`../scripts/render-shell.js`);
    for (const [dialect, parts] of SHELL_PARTS) {
      if (dialect.snippet !== undefined)
        assert.ok(parts.profile.lint.length > 0 || typeof parts.profile.runs === `string`, `${dialect.name}: its profile names the checks its file passes`);
    }
  });
  test(`pwsh has no linter here (cmd runs under Wine, see shells-hostile): global functions, $? set on failure`, async () => {
    const pwsh = await init(`pwsh`);
    assert.match(pwsh, /^function global:mfa \{\n    \[CmdletBinding[\s\S]*\$PSCmdlet\.WriteError\([\s\S]*^function global:mfa-unset \{/m);
    assert.match(pwsh, /\[Console\]::OutputEncoding = \[System\.Text\.UTF8Encoding\]::new\(\$false\)/);
    assert.match(await init(`cmd`), /^call awsmfa env --mfa-shell cmd %\* > "%_AWSMFA_FILE%"\r$/m);
  });
});

/**
 * A shell whose rc line gives no script its functions (elvish hands them to its interactive editor): the lines are
 * typed at a real prompt on a pseudo-terminal, with the rc line in its rc file, as a user's is, and what they
 * print goes to files.
 */
async function runInteractively(shell: RealShell, script: string, environment: Record<string, string>, rcLine?: string) {
  const rc = shell.profile.rc!.interactive!;
  // The rc file as awsmfa init --install left it, or holding the line given.
  if (rcLine !== undefined) {
    mkdirSync(dirname(join(environment.HOME!, rc.file)), {recursive: true});
    writeFileSync(join(environment.HOME!, rc.file), `${rcLine}\n`);
  }
  const out = join(environment.HOME!, `typed.out`);
  const err = join(environment.HOME!, `typed.err`);
  writeFileSync(out, ``);
  const marker = join(environment.HOME!, `typed.done`);
  const lines = script.split(`\n`).filter(line => line !== ``).map(line => rc.typed(line, out, err, marker));
  const driver = fileURLToPath(new URL(`./support/interactive.py`, import.meta.url));
  await new Promise(resolve => spawn(`python3`, [driver, JSON.stringify(lines), marker, shell.run.binary], {env: {...environment, TERM: `dumb`}, stdio: `ignore`}).on(`close`, resolve));
  let stderr = ``;
  try {
    stderr = readFileSync(err, `utf8`);
  } catch {}
  return {status: 0, stdout: readFileSync(out, `utf8`), stderr};
}

describe(`mfa and mfa-unset in each real shell, loaded by the README's rc line (awsmfa init --install)`, () => {
  for (const shell of WITH_SNIPPET) {
    const {profile} = shell;
    const echo = `echo ${profile.quote(``)}`;
    test(shell.name, {skip: skipUnlessShell(shell.name)}, async () => {
      const {load} = await installInto(shell, env);
      // What STS could hand out: printable ASCII without spaces, shell metacharacters included.
      const hostile = `s'e"c$r\`e\\t%x*;&|(y)`;
      sts.nextCredentials = {secretAccessKey: hostile};
      const script = [
        profile.rc!.interactive === undefined ? load : ``,
        profile.status(`mfa ${sts.code}`),
        printVarsCommand(VARS),
        echo,
        profile.status(`mfa 000000`), // a wrong code: the session stays as it was
        printVarsCommand(VARS),
        echo,
        profile.status(`mfa --help`), // help goes to the terminal, and nothing is applied
        printVarsCommand(VARS),
        echo,
        profile.status(`mfa --profile nosuch`),
        printVarsCommand(VARS),
        echo,
        profile.status(`mfa`), // no code: the cached session
        printVarsCommand(VARS),
        echo,
        profile.status(`mfa-unset`),
        printVarsCommand(VARS),
        ``,
      ].join(`\n`);
      const result = profile.rc!.interactive === undefined ? await runScript(shell.name, script, env) : await runInteractively(shell, script, env);
      const lines = result.stdout.trim().split(`\n`);
      assert.equal(lines.length, 12, `${result.stdout}\n${result.stderr}`);
      const step = (index: number) => ({status: lines[index], vars: JSON.parse(lines[index + 1]!)});
      const [started, wrong, help, unknownProfile, reused, unset] = [step(0), step(2), step(4), step(6), step(8), step(10)];
      const issued = sts.issued.at(-1)!;

      assert.equal(started.status, `status=0`, result.stderr);
      assert.equal(started.vars.AWS_ACCESS_KEY_ID, issued.accessKeyId);
      assert.equal(started.vars.AWS_SECRET_ACCESS_KEY, hostile);
      assert.equal(started.vars.AWS_SESSION_TOKEN, issued.sessionToken);

      // At elvish's prompt a failed mfa says awsmfa's line and nothing of elvish's (no traceback), and raises nothing.
      const quiet = profile.rc!.interactive?.quietFailure === true;
      assert.equal(wrong.status, quiet ? `status=0` : `status=1`);
      assert.deepEqual(wrong.vars, started.vars, `a failed mfa keeps the session`);
      if (quiet)
        assert.doesNotMatch(result.stderr, /Exception|Traceback|\[eval \d+\]/, result.stderr);
      assert.equal(help.status, `status=0`);
      assert.deepEqual(help.vars, started.vars, `mfa --help keeps the session`);
      assert.match(result.stderr, /Print shell lines that set an MFA session's credentials/);
      assert.equal(unknownProfile.status, quiet ? `status=0` : `status=2`);
      assert.deepEqual(unknownProfile.vars, started.vars);
      assert.match(result.stderr, /STS rejected the MFA code/);
      assert.match(result.stderr, /profile 'nosuch' is not in/);

      assert.equal(reused.status, `status=0`);
      assert.deepEqual(reused.vars, started.vars);
      assert.equal(sts.sessionRequests.length, 2, `the cached session was reused`);

      assert.equal(unset.status, `status=0`);
      assert.deepEqual(unset.vars, Object.fromEntries(VARS.map(name => [name, null])));
    });
  }
});

describe(`the line an rc file may still hold, which prints the integration at each start, keeps working`, () => {
  for (const shell of WITH_SNIPPET) {
    const {profile} = shell;
    test(`${shell.name}: ${profile.rc!.printed}`, {skip: skipUnlessShell(shell.name)}, async () => {
      const script = [profile.rc!.interactive === undefined ? profile.rc!.printed : ``, profile.status(`mfa ${sts.code}`), printVarsCommand([`AWS_ACCESS_KEY_ID`]), ``].join(`\n`);
      const result = profile.rc!.interactive === undefined ? await runScript(shell.name, script, env) : await runInteractively(shell, script, env, profile.rc!.printed);
      assert.equal(result.stdout.trim().split(`\n`)[0], `status=0`, result.stderr);
      assert.equal(JSON.parse(result.stdout.trim().split(`\n`)[1]!).AWS_ACCESS_KEY_ID, sts.issued.at(-1)!.accessKeyId);
    });
  }
});

/** A copy of awsmfa's package (dist/ and shell/) in the sandbox, as an npm install or a clone leaves one, to move or upgrade. */
function packageCopy(): {root: string, bin: string} {
  const root = join(sandbox.home, `pkg`);
  cpSync(join(ROOT, `dist`), join(root, `dist`), {recursive: true});
  cpSync(join(ROOT, `shell`), join(root, `shell`), {recursive: true});
  symlinkSync(join(ROOT, `node_modules`), join(root, `node_modules`));
  return {root, bin: join(root, `dist`, `awsmfa.cjs`)};
}

describe(`awsmfa init --install`, () => {
  const bash = realShell(`bash`);
  const copy = () => join(sandbox.home, `.local`, `share`, `awsmfa`, `shell`, `awsmfa.bash`);

  test(`adds the line once, to the file a link names, keeping its mode; says what it did, and which other lines load awsmfa`, async () => {
    const dotfiles = join(sandbox.home, `dotfiles`);
    mkdirSync(dotfiles);
    writeFileSync(join(dotfiles, `bashrc`), `export EDITOR=vi\neval "$(awsmfa init bash)"`, {mode: 0o640});
    symlinkSync(join(dotfiles, `bashrc`), join(sandbox.home, `.bashrc`));
    const first = await runAwsmfa([`init`, `--install`, `bash`], env);
    assert.equal(first.exitCode, 0, first.stderr);
    assert.equal(first.stdout, ``);
    const line = `source '${copy()}'`;
    assert.match(first.stderr, new RegExp(`^awsmfa: wrote ${copy()} \\(and its completion\\)\\nawsmfa: added to ${join(sandbox.home, `.bashrc`)}: ${line.replace(/[.*+?^${}()|[\]\\]/g, `\\$&`)}\\n`));
    assert.match(first.stderr, /also loads awsmfa at line 2: eval "\$\(awsmfa init bash\)"; remove that line \(it defines mfa a second time, and starts node at each start\)/);
    assert.equal(readFileSync(join(dotfiles, `bashrc`), `utf8`), `export EDITOR=vi\neval "$(awsmfa init bash)"\n# awsmfa: mfa and mfa-unset (awsmfa init --install bash)\n${line}\n`);
    assert.ok(lstatSync(join(sandbox.home, `.bashrc`)).isSymbolicLink(), `the link stays a link`);
    assert.equal(statSync(join(dotfiles, `bashrc`)).mode & 0o777, 0o640, `and its file keeps its mode`);
    assert.equal(statSync(join(sandbox.home, `.local`, `share`, `awsmfa`, `shell`)).mode & 0o777, 0o700);
    assert.equal(statSync(copy()).mode & 0o777, 0o600);
    const again = await runAwsmfa([`init`, `--install`, `bash`], env);
    assert.equal(again.exitCode, 0, again.stderr);
    assert.match(again.stderr, new RegExp(`^awsmfa: up to date: ${copy()}`, `m`));
    assert.match(again.stderr, /loads it already/);
    assert.equal(readFileSync(join(dotfiles, `bashrc`), `utf8`).split(line).length, 2, `never a second time`);
  });

  test(`tcsh: a ~/.cshrc the user has gets the line (a new ~/.tcshrc would hide it); PowerShell: the line to add is shown; cmd.exe: refused`, async () => {
    writeFileSync(join(sandbox.home, `.cshrc`), `set prompt = '> '\n`);
    assert.equal((await runAwsmfa([`init`, `--install`, `tcsh`], env)).exitCode, 0);
    assert.match(readFileSync(join(sandbox.home, `.cshrc`), `utf8`), /\nsource \/\S+\/awsmfa\.tcsh\n$/);
    assert.equal(existsSync(join(sandbox.home, `.tcshrc`)), false);
    const pwsh = await runAwsmfa([`init`, `--install`, `pwsh`], env);
    assert.equal(pwsh.exitCode, 0, pwsh.stderr);
    assert.match(pwsh.stderr, new RegExp(`add this line to your pwsh profile, to load mfa and mfa-unset in each new shell: \\. '${join(sandbox.home, `.local`, `share`, `awsmfa`, `shell`, `awsmfa.ps1`)}'`));
    const cmd = await runAwsmfa([`init`, `--install`, `cmd`], env);
    assert.equal(cmd.exitCode, 2);
    assert.match(cmd.stderr, /cmd has no rc file for awsmfa to write to: awsmfa init cmd > %USERPROFILE%\\bin\\mfa\.cmd/);
  });

  test(`an upgraded awsmfa brings the copy up to date the next time mfa runs it, and says so`, {skip: skipUnlessShell(`bash`)}, async () => {
    const {root, bin} = packageCopy();
    const upgraded = {...env, PATH: `${join(root, `bin`)}:${sandbox.env.PATH}`};
    mkdirSync(join(root, `bin`));
    writeFileSync(join(root, `bin`, `awsmfa`), `#!/bin/sh\nexec '${process.execPath}' '${bin}' "$@"\n`, {mode: 0o755});
    const {load} = await installInto(bash, upgraded);
    // The new version's file: mfa-prompt says something else.
    const file = join(root, `shell`, `awsmfa.bash`);
    writeFileSync(file, readFileSync(file, `utf8`).replace(`printf '[aws expired] '`, `printf '[aws: expired] '`));
    const script = [load, `mfa ${sts.code} || exit 9`, `AWS_CREDENTIAL_EXPIRATION=2020-01-01T00:00:00Z mfa-prompt; echo`, load, `AWS_CREDENTIAL_EXPIRATION=2020-01-01T00:00:00Z mfa-prompt; echo`, ``].join(`\n`);
    const result = await runScript(`bash`, script, upgraded);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`^awsmfa: updated ${copy()} to this awsmfa \\(\\d+\\.\\d+\\.\\d+\\); new shells load it$`, `m`));
    assert.deepEqual(result.stdout.split(`\n`).slice(0, 2), [`[aws expired] `, `[aws: expired] `], `this shell keeps what it loaded; a new one loads the new copy`);
    // Another awsmfa (this repository's) printing its own integration leaves the copy to the awsmfa it runs.
    const other = await runAwsmfa([`init`, `bash`], env);
    assert.equal(other.exitCode, 0, other.stderr);
    assert.match(readFileSync(copy(), `utf8`), /\[aws: expired\]/);
  });

  // A copy that runs awsmfa by its paths (awsmfa was not on PATH): each shell says so when they are gone.
  for (const shell of WITH_SNIPPET.filter(real => real.dialect.snippet!.rc?.file !== undefined)) {
    test(`${shell.name}: a copy whose awsmfa was moved away says so when a shell loads it`, {skip: skipUnlessShell(shell.name)}, async () => {
      const {root, bin} = packageCopy();
      const installed = await runAwsmfa([`init`, `--install`, shell.dialect.name], sandbox.env);
      assert.equal(installed.exitCode, 0, installed.stderr);
      const folder = join(sandbox.home, `.local`, `share`, `awsmfa`, `shell`);
      const copied = join(folder, shell.dialect.snippet!.file);
      // The same install, run from the package copy: its paths are in the copy.
      const fromPackage = spawnSync(process.execPath, [bin, `init`, `--install`, shell.dialect.name], {env: sandbox.env, encoding: `utf8`});
      assert.equal(fromPackage.status, 0, fromPackage.stderr);
      assert.ok(readFileSync(copied, `utf8`).includes(bin));
      const load = shell.profile.rc?.interactive === undefined ? shell.dialect.snippet!.rc!.line(copied) : shell.profile.load!(copied, readFileSync(copied, `utf8`));
      const before = await runScript(shell.name, `${load}\n`, sandbox.env);
      assert.equal(before.stderr, ``, `nothing to say while it is there`);
      renameSync(root, `${root}-moved`);
      const after = await runScript(shell.name, `${load}\n`, sandbox.env);
      assert.equal(after.stderr, `awsmfa: ${copied} runs ${bin}, which is gone (awsmfa moved, or its Node was removed): run awsmfa init --install again with the awsmfa you have now\n`);
    });
  }
});

describe(`init`, () => {
  test(`without awsmfa on PATH, the snippet runs this awsmfa by its path`, {skip: skipUnlessShell(`bash`)}, async () => {
    const snippet = await init(`bash`, sandbox.env);
    assert.ok(snippet.includes(`command '${process.execPath}' '${BIN}' env --mfa-shell bash "$@"`), snippet);
    const result = await runScript(`bash`, `${snippet}\nmfa ${sts.code} && ${printVarsCommand(VARS)}\n`, sandbox.env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(JSON.parse(result.stdout).AWS_ACCESS_KEY_ID, /^ASIA/);
  });

  test(`with awsmfa on PATH, the snippet calls it by name, past aliases`, async () => {
    assert.match(await init(`bash`), /_awsmfa_out=\$\(command awsmfa env --mfa-shell bash "\$@"\) \|\| return/);
    assert.match(await init(`tcsh`), / \\awsmfa env --mfa-shell tcsh \$_awsmfa_args:q >! \$_awsmfa_file:q /);
    assert.match(await init(`elvish`), /\(e:awsmfa \$command --mfa-shell elvish \$@args \| slurp\)/);
  });

  test(`prints the files under shell/ (one source of truth); tcsh without comments`, async () => {
    const file = readFileSync(join(ROOT, `shell`, `awsmfa.fish`), `utf8`) + readFileSync(join(ROOT, `shell`, `completion`, `awsmfa.fish`), `utf8`);
    assert.equal(await init(`fish`), file, `on PATH, the file as it is, and its completion after it`);
    const tcsh = await init(`csh`);
    assert.doesNotMatch(tcsh, /^#/m);
    assert.ok(tcsh.trim().split(`\n`).every(line => line.endsWith(` ;`)), `every command ends in ;`);
  });

  test(`an unknown shell: the error lists the supported ones`, async () => {
    const result = await runAwsmfa([`init`, `nushell`], env);
    assert.equal(result.exitCode, 2);
    // What eval "$(awsmfa init nushell)" gets: the failure statement of the calling shell (POSIX sh here).
    assert.equal(result.stdout, `false\n`);
    assert.equal(result.stderr, `awsmfa: no shell integration for 'nushell'; there is one for ${SNIPPET_SHELLS.join(`, `)} (in any other shell: eval "$(awsmfa env)")\n`);
  });

  test(`without a shell, the calling one is detected`, {skip: skipUnlessShell(`fish`)}, async () => {
    const result = await runScript(`fish`, `awsmfa init\n`, {...env, SHELL: `/bin/bash`});
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^function mfa --description/m);
  });

  test(`mfa asks for the code on the terminal; the shell gets only the session`, {skip: skipUnlessShell(`bash`)}, async () => {
    const withTty = fileURLToPath(new URL(`./support/with-tty.py`, import.meta.url));
    const script = join(sandbox.home, `script.bash`);
    writeFileSync(script, `eval "$(awsmfa init bash)"\nmfa || exit 7\n${printVarsCommand(VARS)}\n`);
    const result = await new Promise<{code: number | null, stdout: string, stderr: string}>(resolve => {
      const child = spawn(`python3`, [withTty, JSON.stringify([sts.code]), `bash`, script], {env});
      let stdout = ``;
      let stderr = ``;
      child.stdout.on(`data`, chunk => stdout += chunk);
      child.stderr.on(`data`, chunk => stderr += chunk);
      child.on(`close`, code => resolve({code, stdout, stderr}));
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /MFA code for arn:aws:iam::123456789012:mfa\/alice: <answered>/);
    assert.equal(JSON.parse(result.stdout).AWS_ACCESS_KEY_ID, sts.issued.at(-1)!.accessKeyId);
  });
});

describe(`the files under shell/ load as they are (plugin managers, conf.d, source), with awsmfa on PATH`, () => {
  for (const {name: shell, dialect, profile} of WITH_SNIPPET.filter(real => real.profile.load !== undefined)) {
    test(shell, {skip: skipUnlessShell(shell)}, async () => {
      const path = (await runAwsmfa([`init`, `--path`, dialect.name], env)).stdout.trim();
      assert.equal(path, join(ROOT, `shell`, dialect.snippet!.file));
      const script = `${profile.load!(path, readFileSync(path, `utf8`))}\nmfa ${sts.code}\n${printVarsCommand([`AWS_ACCESS_KEY_ID`, `AWSMFA_PROFILE`])}\n`;
      const result = await runScript(shell, script, env);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), {AWS_ACCESS_KEY_ID: sts.issued.at(-1)!.accessKeyId, AWSMFA_PROFILE: `default`});
    });
  }
});

describe(`completion of awsmfa and mfa, in each shell that has a driver for it`, () => {
  beforeEach(() => {
    sandbox.writeConfig(`[default]\nmfa_serial = ${`arn:aws:iam::123456789012:mfa/alice`}\n[profile admin]\nregion = eu-west-1\n[profile "two words"]\nregion = eu-west-1\n[sso-session corp]\nsso_region = us-east-1\n`);
  });
  for (const {name: shell, dialect, profile} of WITH_SNIPPET) {
    // A shell without a driver says why in its profile (tcsh: TAB in tmux, in test/completion.test.ts).
    const drive = profile.complete;
    if (typeof drive !== `function`)
      continue;
    test(shell, {skip: skipUnlessShell(shell)}, async () => {
      const complete = async (words: string[]) => {
        const result = await runScript(shell, drive(join(ROOT, `shell`, dialect.snippet!.file), words), env);
        assert.equal(result.stderr, ``, `${words.join(` `)}: ${result.stdout}`);
        // Some shells hand every candidate over and match what was typed themselves (zsh's bashcompinit).
        return result.stdout.split(`\n`).filter(line => line !== `` && line.startsWith(words.at(-1)!)).sort();
      };
      assert.deepEqual(await complete([`awsmfa`, `e`]), [`env`, `exec`]);
      assert.deepEqual(await complete([`awsmfa`, `env`, `--prof`]), [`--profile`]);
      const profiles = await complete([`mfa`, `--profile`, ``]);
      assert.deepEqual(profiles.filter(name => !name.startsWith(`two`)), [`admin`, `default`], `profile names as the AWS CLI reads them`);
      assert.equal(profiles.length, 3, `and the one with a space, quoted as the shell inserts it: ${profiles}`);
      assert.deepEqual(await complete([`awsmfa`, `login`, `-u`, `a`]), [`admin`]);
      assert.deepEqual(await complete([`awsmfa`, `env`, `--shell`, `f`]), [`fish`]);
      assert.deepEqual(await complete([`awsmfa`, `init`, `b`]), [`bash`]);
      assert.ok(!(await complete([`mfa`, `--`])).includes(`--shell`), `mfa takes no --shell`);
      assert.ok((await complete([`awsmfa`, `env`, `--`])).includes(`--shell`), `awsmfa env does`);

      // Linked from elsewhere (a conf.d, a plugin folder, a dotfiles repo), under another name: the file finds its
      // completion beside its real path.
      const links = join(sandbox.home, `links-${shell}`, `plugins`);
      mkdirSync(links, {recursive: true});
      symlinkSync(join(ROOT, `shell`, dialect.snippet!.file), join(links, `renamed.plugin`));
      symlinkSync(`plugins/renamed.plugin`, join(links, `..`, `again`));
      const linked = await runScript(shell, drive(join(links, `..`, `again`), [`awsmfa`, `e`]), env);
      assert.equal(linked.stderr, ``);
      assert.deepEqual(linked.stdout.split(`\n`).filter(line => line.startsWith(`e`)).sort(), [`env`, `exec`], `through two links`);
    });
  }

  // Every command's options and every dialect, as the shell offers them, against the CLI's own definitions.
  for (const {name: shell, dialect, profile} of WITH_SNIPPET.filter(real => typeof real.profile.complete === `function`)) {
    test(`${shell}: each command's own options, and every dialect after --shell`, {skip: skipUnlessShell(shell)}, async () => {
      const {completedCommands} = await import(`../scripts/render-shell.js`);
      const {DIALECTS} = await import(`../src/dialects/index.js`);
      const drive = profile.complete as (file: string, words: readonly string[]) => string;
      const offered = async (words: string[]) => {
        const result = await runScript(shell, drive(join(ROOT, `shell`, dialect.snippet!.file), words), env);
        assert.equal(result.stderr, ``);
        return result.stdout.split(`\n`).filter(line => line !== `` && line.startsWith(words.at(-1)!)).sort();
      };
      for (const command of completedCommands().filter(one => one.name !== `help`)) {
        const expected = command.options.flatMap(option => option.longs).sort();
        assert.deepEqual((await offered([`awsmfa`, ...command.path, `--`])).filter(word => word !== `--help`), expected, `awsmfa ${command.name}`);
      }
      assert.deepEqual(await offered([`awsmfa`, `env`, `--shell`, ``]), DIALECTS.map(one => one.name).sort());
    });
  }
});

describe(`mfa-unset with arguments: awsmfa unset does them (--forget), or refuses them; none is ignored`, () => {
  for (const shell of WITH_SNIPPET) {
    const {profile} = shell;
    test(shell.name, {skip: skipUnlessShell(shell.name)}, async () => {
      const {load} = await installInto(shell, env);
      const echo = `echo ${profile.quote(``)}`;
      const script = [
        profile.rc!.interactive === undefined ? load : ``,
        `mfa ${sts.code}`,
        profile.status(`mfa-unset --bogus`), printVarsCommand([`AWS_ACCESS_KEY_ID`]), echo,
        profile.status(`mfa-unset --forget`), printVarsCommand([`AWS_ACCESS_KEY_ID`]), echo,
        ``,
      ].join(`\n`);
      const result = profile.rc!.interactive === undefined ? await runScript(shell.name, script, env) : await runInteractively(shell, script, env);
      const [bogus, kept, forgot, cleared] = result.stdout.trim().split(`\n`).filter(Boolean);
      const quiet = profile.rc!.interactive?.quietFailure === true;
      assert.equal(bogus, quiet ? `status=0` : `status=2`, result.stderr);
      assert.match(result.stderr, /awsmfa: Unknown Syntax Error|--bogus/, `awsmfa says what it refused`);
      assert.equal(JSON.parse(kept!).AWS_ACCESS_KEY_ID, sts.issued.at(-1)!.accessKeyId, `a refused mfa-unset changes nothing`);
      assert.equal(forgot, `status=0`, result.stderr);
      assert.equal(JSON.parse(cleared!).AWS_ACCESS_KEY_ID, null);
      assert.match(result.stderr, /deleted the cached session of profile 'default'/);
      assert.deepEqual(readdirSync(join(sandbox.cacheDir, `awsmfa`)).filter(name => name.startsWith(`session-`)), [], `--forget was done`);
    });
  }
});

describe(`mfa and mfa-unset handle the region: awsmfa's comes and goes, a user's own stays`, () => {
  const REGION_VARS = [`AWS_REGION`, `AWS_DEFAULT_REGION`, `AWSMFA_REGION`];
  for (const shell of WITH_SNIPPET) {
    const {profile, dialect} = shell;
    test(shell.name, {skip: skipUnlessShell(shell.name)}, async () => {
      const {load} = await installInto(shell, env);
      const echo = `echo ${profile.quote(``)}`;
      const script = [
        profile.rc!.interactive === undefined ? load : ``,
        `mfa ${sts.code}`, printVarsCommand(REGION_VARS), echo,
        `mfa-unset`, printVarsCommand(REGION_VARS), echo,
        dialect.set([[`AWS_REGION`, `us-west-2`]]).trim(),
        `mfa`, printVarsCommand(REGION_VARS), echo,
        `mfa-unset`, printVarsCommand([...REGION_VARS, `AWS_ACCESS_KEY_ID`]), echo,
        ``,
      ].join(`\n`);
      const result = profile.rc!.interactive === undefined ? await runScript(shell.name, script, env) : await runInteractively(shell, script, env);
      // The first mfa asks STS, the second is served from the cache and says so, once.
      assert.match(result.stderr, /^awsmfa: new session.*\nawsmfa: default: cached session, \d+h \d\dm left\n$/);
      const [first, unset, own, ownUnset] = result.stdout.trim().split(`\n`).filter(Boolean).map(line => JSON.parse(line));
      assert.deepEqual(first, {AWS_REGION: `eu-west-1`, AWS_DEFAULT_REGION: `eu-west-1`, AWSMFA_REGION: `eu-west-1`});
      assert.deepEqual(unset, {AWS_REGION: null, AWS_DEFAULT_REGION: null, AWSMFA_REGION: null});
      assert.deepEqual(own, {AWS_REGION: `us-west-2`, AWS_DEFAULT_REGION: null, AWSMFA_REGION: null}, `the user's region is not replaced`);
      assert.deepEqual(ownUnset, {AWS_REGION: `us-west-2`, AWS_DEFAULT_REGION: null, AWSMFA_REGION: null, AWS_ACCESS_KEY_ID: null}, `nor removed`);
    });
  }
});

describe(`mfa-unset removes what serve set, and only that (issue 26 item 1)`, () => {
  const NAMES = [`AWSMFA_SERVER_PID`, `AWS_CONTAINER_CREDENTIALS_FULL_URI`, `AWS_CONTAINER_AUTHORIZATION_TOKEN`, `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, `BOTO_CONFIG`];
  const HIDDEN = `/dev/null/hidden-by-awsmfa`;
  for (const shell of WITH_SNIPPET) {
    const {profile, dialect} = shell;
    test(shell.name, {skip: skipUnlessShell(shell.name)}, async () => {
      const {load} = await installInto(shell, env);
      const echo = `echo ${profile.quote(``)}`;
      const own = join(sandbox.home, `own-config`);
      const script = [
        profile.rc!.interactive === undefined ? load : ``,
        // What serve printed, beside a config file the user named: serve's go, the user's stays.
        dialect.set([[`AWSMFA_SERVER_PID`, `12345`], [`AWS_CONTAINER_CREDENTIALS_FULL_URI`, `http://127.0.0.1:1/`], [`AWS_CONTAINER_AUTHORIZATION_TOKEN`, `abc`], [`AWS_SHARED_CREDENTIALS_FILE`, HIDDEN], [`AWS_CONFIG_FILE`, own], [`BOTO_CONFIG`, HIDDEN]]).trim(),
        `mfa-unset`, printVarsCommand(NAMES), echo,
        // A container endpoint of the platform's (an ECS task's: no pid of serve's) is not awsmfa's to remove.
        dialect.set([[`AWS_CONTAINER_CREDENTIALS_FULL_URI`, `http://169.254.170.23/v1/credentials`]]).trim(),
        `mfa-unset`, printVarsCommand(NAMES), echo,
        ``,
      ].join(`\n`);
      const result = profile.rc!.interactive === undefined ? await runScript(shell.name, script, env) : await runInteractively(shell, script, env);
      const [served, platform] = result.stdout.trim().split(`\n`).filter(Boolean).map(line => JSON.parse(line));
      assert.deepEqual(served, {AWSMFA_SERVER_PID: null, AWS_CONTAINER_CREDENTIALS_FULL_URI: null, AWS_CONTAINER_AUTHORIZATION_TOKEN: null, AWS_SHARED_CREDENTIALS_FILE: null, AWS_CONFIG_FILE: own, BOTO_CONFIG: null}, result.stderr);
      assert.deepEqual(platform, {...served, AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://169.254.170.23/v1/credentials`}, result.stderr);
    });
  }
});

describe(`mfa-prompt: the time left, computed in the shell (the shells whose file has it)`, () => {
  const prompting = WITH_SNIPPET.filter(shell => shell.profile.rc?.interactive === undefined && readFileSync(join(ROOT, `shell`, shell.dialect.snippet!.file), `utf8`).includes(`mfa-prompt`));
  test(`bash, zsh and fish have it`, () => assert.deepEqual(prompting.map(shell => shell.name), [`bash`, `zsh`, `fish`]));
  for (const {name: shell, dialect, profile} of prompting) {
    test(shell, {skip: skipUnlessShell(shell)}, async () => {
      const inAnHour = new Date(Date.now() + 90 * 60_000 + 30_000).toISOString().replace(/\.\d+Z$/, `Z`);
      const set = (value: string) => dialect.set([[`AWS_CREDENTIAL_EXPIRATION`, value]]).trim();
      const {load} = await installInto(realShell(shell), env);
      const script = [load, `mfa-prompt`, `echo '|'`, set(inAnHour), `mfa-prompt`, `echo '|'`, set(`2020-01-01T00:00:00Z`), `mfa-prompt`, `echo '|'`, ``].join(`\n`);
      const result = await runScript(shell, script, env);
      assert.equal(result.stderr, ``);
      assert.equal(result.stdout, `|\n[aws 1h 30m] |\n[aws expired] |\n`);
      // The same words as awsmfa's own for the same session (one format for time left).
      const short = await runAwsmfa([`status`, `--short`], {...env, AWS_ACCESS_KEY_ID: `ASIAAAAAAAAAAAAAAAAA`, AWS_SESSION_TOKEN: `t`, AWS_CREDENTIAL_EXPIRATION: inAnHour});
      assert.equal(short.stdout, `1h 30m\n`);
    });
  }
});

describe(`elvish at its prompt: a failed mfa says awsmfa's one line, and no traceback of the functions' insides`, () => {
  test(`mfa with a wrong code, mfa-unset with an unknown option (typed in a real elvish, in tmux)`, {skip: skipUnlessShell(`elvish`) || skipUnlessShell(`tmux`)}, async () => {
    await installInto(realShell(`elvish`), env);
    const socket = `awsmfa-init-${process.pid}-elvish`;
    const tmux = (...args: string[]) => spawnSync(`tmux`, [`-L`, socket, ...args], {env, encoding: `utf8`});
    const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
    let screen = ``;
    assert.equal(tmux(`new-session`, `-d`, `-x`, `200`, `-y`, `40`, `elvish`).status, 0);
    try {
      await sleep(1500);
      tmux(`send-keys`, `mfa 000000`, `Enter`);
      await sleep(4000);
      tmux(`send-keys`, `mfa-unset --bogus`, `Enter`);
      await sleep(3000);
      tmux(`send-keys`, `echo next`, `Enter`);
      for (let waited = 0; waited < 10_000 && !/^next$/m.test(screen); waited += 500) {
        await sleep(500);
        screen = tmux(`capture-pane`, `-p`).stdout;
      }
    } finally {
      tmux(`kill-server`);
      await sleep(300);
    }
    assert.match(screen, /^awsmfa: STS rejected the MFA code/m, screen);
    assert.match(screen, /--bogus/, screen);
    assert.match(screen, /^next$/m, `the shell lives on: ${screen}`);
    assert.doesNotMatch(screen, /Exception|Traceback|\[eval \d+\]/, screen);
  });
});
