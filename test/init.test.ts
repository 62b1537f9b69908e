/**
 * Shell integration: `awsmfa init SHELL` prints the snippets of shell/, linted here, then sourced in each real
 * shell to run `mfa` against the STS stand-in, as a user's rc file would.
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {SNIPPET_SHELLS} from '../src/dialects/index.js';
import {beforeEach, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {BIN, ROOT, runAwsmfa} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {printVarsCommand, runScript, skipUnlessShell} from './support/shells.js';

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
  const lint = async (shell: string, command: string, args: string[]) => {
    const dir = join(sandbox.home, `lint`);
    mkdirSync(dir, {recursive: true});
    const file = join(dir, `snippet.${shell}`);
    writeFileSync(file, await init(shell));
    const result = spawnSync(command, [...args, file], {encoding: `utf8`});
    assert.equal(result.status, 0, `${command}: ${result.stdout}${result.stderr}`);
  };
  test(`bash -n`, {skip: skipUnlessShell(`bash`)}, () => lint(`bash`, `bash`, [`-n`]));
  test(`shellcheck`, {skip: skipUnlessShell(`shellcheck`)}, () => lint(`bash`, `shellcheck`, [`-s`, `bash`]));
  test(`zsh -n`, {skip: skipUnlessShell(`zsh`)}, () => lint(`zsh`, `zsh`, [`-n`]));
  test(`fish --no-execute`, {skip: skipUnlessShell(`fish`)}, () => lint(`fish`, `fish`, [`--no-execute`]));
  test(`tcsh -n`, {skip: skipUnlessShell(`tcsh`)}, () => lint(`tcsh`, `tcsh`, [`-f`, `-n`]));
  test(`elvish -compileonly`, {skip: skipUnlessShell(`elvish`)}, () => lint(`elvish`, `elvish`, [`-compileonly`]));
  test(`pwsh has no linter here (cmd runs under Wine, see shells-hostile): global functions, $? set on failure`, async () => {
    const pwsh = await init(`pwsh`);
    assert.match(pwsh, /^function global:mfa \{\n    \[CmdletBinding[\s\S]*\$PSCmdlet\.WriteError\([\s\S]*^function global:mfa-unset \{/m);
    assert.match(pwsh, /\[Console\]::OutputEncoding = \[System\.Text\.UTF8Encoding\]::new\(\$false\)/);
    assert.match(await init(`cmd`), /^call awsmfa env --mfa-shell cmd %\* > "%_AWSMFA_FILE%"\r$/m);
  });
});

/** Per shell: how to load the integration, and how to run a command and print its status. */
const SCENARIOS: Record<string, {load: string, status: (command: string) => string}> = {
  bash: {load: `eval "$(awsmfa init bash)"`, status: command => `${command}; echo "status=$?"`},
  zsh: {load: `eval "$(awsmfa init zsh)"`, status: command => `${command}; echo "status=$?"`},
  fish: {load: `awsmfa init fish | source`, status: command => `${command}; echo "status=$status"`},
  tcsh: {load: 'eval "`awsmfa init tcsh`"', status: command => `${command} ; echo "status=$status"`},
  // elvish runs interactively (see below): its rc.elv loads the snippet, the way a user's does.
  elvish: {
    load: ``,
    status: command => `try { ${command}; echo status=0 } catch e { echo status=$e[reason][exit-status] }`,
  },
};

/**
 * elvish hands the functions to its interactive editor (`edit:add-var`), which scripts do not have: the lines are
 * typed at a real prompt on a pseudo-terminal, with `eval (awsmfa init elvish | slurp)` in rc.elv, and what
 * they print goes to a file.
 */
async function runElvishInteractively(script: string, environment: Record<string, string>) {
  const rc = join(environment.HOME!, `.config`, `elvish`);
  mkdirSync(rc, {recursive: true});
  writeFileSync(join(rc, `rc.elv`), `eval (awsmfa init elvish | slurp)\n`);
  const out = join(environment.HOME!, `elvish.out`);
  const err = join(environment.HOME!, `elvish.err`);
  writeFileSync(out, ``);
  const marker = join(environment.HOME!, `elvish.done`);
  const lines = script.split(`\n`).filter(line => line !== ``).map(line => `{ ${line} } >> ${out} 2>> ${err}; echo done >> ${marker}`);
  const driver = fileURLToPath(new URL(`./support/interactive.py`, import.meta.url));
  await new Promise(resolve => spawn(`python3`, [driver, JSON.stringify(lines), marker, `elvish`], {env: {...environment, TERM: `dumb`}, stdio: `ignore`}).on(`close`, resolve));
  let stderr = ``;
  try {
    stderr = readFileSync(err, `utf8`);
  } catch {}
  return {status: 0, stdout: readFileSync(out, `utf8`), stderr};
}

describe(`mfa and mfa-unset in each real shell`, () => {
  for (const [shell, scenario] of Object.entries(SCENARIOS)) {
    test(shell, {skip: skipUnlessShell(shell)}, async () => {
      // What STS could hand out: printable ASCII without spaces, shell metacharacters included.
      const hostile = `s'e"c$r\`e\\t%x*;&|(y)`;
      sts.nextCredentials = {secretAccessKey: hostile};
      const script = [
        scenario.load,
        scenario.status(`mfa ${sts.code}`),
        printVarsCommand(VARS),
        shell === `elvish` ? `echo ''` : `echo`,
        scenario.status(`mfa 000000`), // a wrong code: the session stays as it was
        printVarsCommand(VARS),
        shell === `elvish` ? `echo ''` : `echo`,
        scenario.status(`mfa --help`), // help goes to the terminal, and nothing is applied
        printVarsCommand(VARS),
        shell === `elvish` ? `echo ''` : `echo`,
        scenario.status(`mfa --profile nosuch`),
        printVarsCommand(VARS),
        shell === `elvish` ? `echo ''` : `echo`,
        scenario.status(`mfa`), // no code: the cached session
        printVarsCommand(VARS),
        shell === `elvish` ? `echo ''` : `echo`,
        scenario.status(`mfa-unset`),
        printVarsCommand(VARS),
        ``,
      ].join(`\n`);
      const result = shell === `elvish` ? await runElvishInteractively(script, env) : await runScript(shell, script, env);
      const lines = result.stdout.trim().split(`\n`);
      assert.equal(lines.length, 12, `${result.stdout}\n${result.stderr}`);
      const step = (index: number) => ({status: lines[index], vars: JSON.parse(lines[index + 1]!)});
      const [started, wrong, help, unknownProfile, reused, unset] = [step(0), step(2), step(4), step(6), step(8), step(10)];
      const issued = sts.issued.at(-1)!;

      assert.equal(started.status, `status=0`, result.stderr);
      assert.equal(started.vars.AWS_ACCESS_KEY_ID, issued.accessKeyId);
      assert.equal(started.vars.AWS_SECRET_ACCESS_KEY, hostile);
      assert.equal(started.vars.AWS_SESSION_TOKEN, issued.sessionToken);

      assert.equal(wrong.status, `status=1`);
      assert.deepEqual(wrong.vars, started.vars, `a failed mfa keeps the session`);
      assert.equal(help.status, `status=0`);
      assert.deepEqual(help.vars, started.vars, `mfa --help keeps the session`);
      assert.match(result.stderr, /Print shell lines that set an MFA session's credentials/);
      assert.equal(unknownProfile.status, `status=2`);
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
    assert.match(await init(`elvish`), /\(e:awsmfa env --mfa-shell elvish \$@args \| slurp\)/);
  });

  test(`prints the files under shell/ (one source of truth); tcsh without comments`, async () => {
    const file = readFileSync(join(ROOT, `shell`, `awsmfa.fish`), `utf8`);
    assert.equal(await init(`fish`), file, `on PATH, the file as it is`);
    const tcsh = await init(`csh`);
    assert.doesNotMatch(tcsh, /^#/m);
    assert.ok(tcsh.trim().split(`\n`).every(line => line.endsWith(` ;`)), `every command ends in ;`);
  });

  test(`an unknown shell: the error lists the supported ones`, async () => {
    const result = await runAwsmfa([`init`, `nushell`], env);
    assert.equal(result.exitCode, 2);
    assert.equal(result.stdout, ``);
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
  const loads: Record<string, (file: string) => string> = {
    bash: file => `source '${file}'`,
    zsh: file => `source '${file}'`,
    fish: file => `source '${file}'`,
    tcsh: file => `source '${file}'`,
    elvish: file => `eval (slurp < '${file}')\n`,
  };
  for (const [shell, load] of Object.entries(loads)) {
    test(shell, {skip: skipUnlessShell(shell)}, async () => {
      const path = (await runAwsmfa([`init`, `--path`, shell], env)).stdout.trim();
      assert.equal(path, join(ROOT, `shell`, shell === `elvish` ? `awsmfa.elv` : `awsmfa.${shell}`));
      // elvish keeps definitions made by eval inside it: the file is the top of the script there.
      const script = shell === `elvish`
        ? `${readFileSync(path, `utf8`)}\nmfa ${sts.code}\n${printVarsCommand([`AWS_ACCESS_KEY_ID`, `AWSMFA_PROFILE`])}\n`
        : `${load(path)}\nmfa ${sts.code}\n${printVarsCommand([`AWS_ACCESS_KEY_ID`, `AWSMFA_PROFILE`])}\n`;
      const result = await runScript(shell, script, env);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), {AWS_ACCESS_KEY_ID: sts.issued.at(-1)!.accessKeyId, AWSMFA_PROFILE: `default`});
    });
  }

  test(`shellcheck and the shells' own checks pass on the files as they are`, {skip: skipUnlessShell(`shellcheck`)}, () => {
    for (const [command, args, file] of [[`shellcheck`, [`-s`, `bash`], `awsmfa.bash`], [`bash`, [`-n`], `awsmfa.bash`], [`zsh`, [`-n`], `awsmfa.zsh`], [`fish`, [`--no-execute`], `awsmfa.fish`]] as const) {
      const result = spawnSync(command, [...args, join(ROOT, `shell`, file)], {encoding: `utf8`});
      assert.equal(result.status, 0, `${command} ${file}: ${result.stdout}${result.stderr}`);
    }
  });
});

describe(`completion of awsmfa and mfa`, () => {
  beforeEach(() => {
    sandbox.writeConfig(`[default]\nmfa_serial = ${`arn:aws:iam::123456789012:mfa/alice`}\n[profile admin]\nregion = eu-west-1\n[profile "two words"]\nregion = eu-west-1\n[sso-session corp]\nsso_region = us-east-1\n`);
  });
  const bashLike = (shell: string, words: string[]) => [
    ...shell === `zsh` ? [`autoload -U compinit && compinit -u -D`] : [],
    `source '${join(ROOT, `shell`, `awsmfa.${shell}`)}'`,
    `COMP_WORDS=(${words.map(word => `'${word}'`).join(` `)}); COMP_CWORD=${words.length - 1}`,
    `_awsmfa_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ``,
  ].join(`\n`);

  for (const shell of [`bash`, `zsh`]) {
    test(shell, {skip: skipUnlessShell(shell)}, async () => {
      const complete = async (words: string[]) => {
        const result = await runScript(shell, bashLike(shell, words), env);
        assert.equal(result.stderr, ``);
        // zsh's bashcompinit hands every candidate to zsh, which matches the typed prefix itself.
        return result.stdout.trim().split(`\n`).filter(line => line !== `` && line.startsWith(words.at(-1)!)).sort();
      };
      assert.deepEqual(await complete([`awsmfa`, `e`]), [`env`, `exec`]);
      assert.deepEqual(await complete([`awsmfa`, `env`, `--prof`]), [`--profile`]);
      assert.deepEqual(await complete([`mfa`, `--profile`, ``]), [`admin`, `default`, `two\\ words`], `profile names as the AWS CLI reads them, quoted for the command line`);
      assert.deepEqual(await complete([`awsmfa`, `login`, `-u`, `a`]), [`admin`]);
      assert.deepEqual(await complete([`awsmfa`, `env`, `--shell`, `f`]), [`fish`]);
      assert.ok(!(await complete([`mfa`, `--`])).includes(`--shell`), `mfa takes no --shell`);
    });
  }

  test(`fish`, {skip: skipUnlessShell(`fish`)}, async () => {
    const complete = async (line: string) => {
      const result = await runScript(`fish`, `source '${join(ROOT, `shell`, `awsmfa.fish`)}'\ncomplete -C '${line}'\n`, env);
      assert.equal(result.stderr, ``);
      return result.stdout.trim().split(`\n`).map(entry => entry.split(`\t`)[0]!).sort();
    };
    assert.deepEqual(await complete(`awsmfa e`), [`env`, `exec`]);
    assert.deepEqual(await complete(`mfa --profile `), [`admin`, `default`, `two words`]);
    assert.deepEqual(await complete(`awsmfa env --shell f`), [`fish`]);
    assert.ok((await complete(`mfa --no-`)).includes(`--no-cache`));
  });

  test(`every dialect is offered after --shell, and nothing else (the scripts cannot drift from the table)`, async () => {
    const {DIALECTS} = await import(`../src/dialects/index.js`);
    const names = DIALECTS.map(dialect => dialect.name);
    const lists: Record<string, RegExp> = {
      'awsmfa.bash': /--shell\|-s\)\s*(?:#[^\n]*\n\s*)*COMPREPLY=\(\$\(compgen -W '([^']*)'/,
      'awsmfa.zsh': /--shell\|-s\)\s*(?:#[^\n]*\n\s*)*COMPREPLY=\(\$\(compgen -W '([^']*)'/,
      'awsmfa.fish': /case --shell -s\n\s*printf '%s\\n' ([^\n]*)\n/,
      'awsmfa.ps1': /-in '--shell', '-s'\) \{\s*\n\s*(?:#[^\n]*\n\s*)*([^\n]*)\n/,
    };
    for (const [file, pattern] of Object.entries(lists)) {
      const list = pattern.exec(readFileSync(join(ROOT, `shell`, file), `utf8`))?.[1];
      assert.ok(list !== undefined, `${file}: the --shell list is where this test looks for it`);
      assert.deepEqual(list.replaceAll(`'`, ``).split(/[\s,]+/).filter(Boolean), names, file);
    }
  });

  test(`every option of every command is offered (the scripts cannot drift from the CLI)`, async () => {
    const {buildCli} = await import(`../src/cli/main.js`);
    const bash = readFileSync(join(ROOT, `shell`, `awsmfa.bash`), `utf8`);
    const fish = readFileSync(join(ROOT, `shell`, `awsmfa.fish`), `utf8`);
    const pwsh = readFileSync(join(ROOT, `shell`, `awsmfa.ps1`), `utf8`);
    for (const definition of buildCli().definitions()) {
      for (const option of definition.options) {
        const long = option.definition.replace(/ .*$/, ``).split(`,`).find(name => name.startsWith(`--`))!;
        const typed = long === `--cache` ? `--no-cache` : long;
        assert.match(bash, new RegExp(`[\\s'"]${typed}(?![\\w-])`), `bash completion lacks ${typed} (${definition.path})`);
        assert.match(fish, new RegExp(`\\s${typed} '`), `fish completion lacks ${typed}`);
        if ([`env`, `exec`, `login`].some(command => definition.path === `awsmfa ${command}`))
          assert.ok(pwsh.includes(`'${typed}'`), `PowerShell completion lacks ${typed}`);
      }
    }
  });
});

describe(`mfa and mfa-unset handle the region: awsmfa's comes and goes, a user's own stays`, () => {
  const shells: Record<string, {load: string, set: (name: string, value: string) => string}> = {
    bash: {load: `eval "$(awsmfa init bash)"`, set: (name, value) => `export ${name}=${value}`},
    zsh: {load: `eval "$(awsmfa init zsh)"`, set: (name, value) => `export ${name}=${value}`},
    fish: {load: `awsmfa init fish | source`, set: (name, value) => `set -gx ${name} ${value}`},
    tcsh: {load: 'eval "`awsmfa init tcsh`"', set: (name, value) => `setenv ${name} ${value}`},
  };
  const REGION_VARS = [`AWS_REGION`, `AWS_DEFAULT_REGION`, `AWSMFA_REGION`];
  for (const [shell, {load, set}] of Object.entries(shells)) {
    test(shell, {skip: skipUnlessShell(shell)}, async () => {
      const script = [
        load,
        `mfa ${sts.code}`, printVarsCommand(REGION_VARS), `echo`,
        `mfa-unset`, printVarsCommand(REGION_VARS), `echo`,
        set(`AWS_REGION`, `us-west-2`),
        `mfa`, printVarsCommand(REGION_VARS), `echo`,
        `mfa-unset`, printVarsCommand([...REGION_VARS, `AWS_ACCESS_KEY_ID`]), `echo`,
        ``,
      ].join(`\n`);
      const result = await runScript(shell, script, env);
      // The first mfa asks STS, the second is served from the cache and says so, once.
      assert.match(result.stderr, /^awsmfa: new session.*\nawsmfa: default: cached session, \d+h \d\dm left\n$/);
      const [first, unset, own, ownUnset] = result.stdout.trim().split(`\n`).map(line => JSON.parse(line));
      assert.deepEqual(first, {AWS_REGION: `eu-west-1`, AWS_DEFAULT_REGION: `eu-west-1`, AWSMFA_REGION: `eu-west-1`});
      assert.deepEqual(unset, {AWS_REGION: null, AWS_DEFAULT_REGION: null, AWSMFA_REGION: null});
      assert.deepEqual(own, {AWS_REGION: `us-west-2`, AWS_DEFAULT_REGION: null, AWSMFA_REGION: null}, `the user's region is not replaced`);
      assert.deepEqual(ownUnset, {AWS_REGION: `us-west-2`, AWS_DEFAULT_REGION: null, AWSMFA_REGION: null, AWS_ACCESS_KEY_ID: null}, `nor removed`);
    });
  }
});

describe(`mfa-prompt: the time left, computed in the shell`, () => {
  const cases: Array<[string, string]> = [[`bash`, `eval "$(awsmfa init bash)"`], [`zsh`, `eval "$(awsmfa init zsh)"`], [`fish`, `awsmfa init fish | source`]];
  for (const [shell, load] of cases) {
    test(shell, {skip: skipUnlessShell(shell)}, async () => {
      const inAnHour = new Date(Date.now() + 90 * 60_000 + 30_000).toISOString().replace(/\.\d+Z$/, `Z`);
      const set = (value: string) => shell === `fish` ? `set -gx AWS_CREDENTIAL_EXPIRATION ${value}` : `export AWS_CREDENTIAL_EXPIRATION=${value}`;
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
