/**
 * An attacker's look at the newest shell work (issue 27 items 1, 2, 7): `awsmfa init --install` (the copy in the
 * data folder and the rc line), the quick paths of tcsh and elvish, the set-aside of AWS_PROFILE, `mfa-unset ARGS`.
 * Each finding has a test that failed before its fix; what held is in the table, with representative tests below.
 *
 * | case tried                                                                 | result                           |
 * |----------------------------------------------------------------------------|----------------------------------|
 * | awsmfa's own path holds a newline (`pkg\ntouch X\n#`): the copy's first line | FOUND, fixed: every new shell ran |
 * |   is a comment naming that path, so the shell ran the line after it         |   `touch X`; now through visible() |
 * | the `gone` line's message (paths) printed raw at each shell start           | fixed with it (visible())        |
 * | XDG_DATA_HOME relative (`data`): the rc line was `source 'data/awsmfa/...'`, | FOUND, fixed: a relative one is  |
 * |   loaded from below whatever folder a new shell starts in                   |   ignored (XDG spec); a relative |
 * |                                                                            |   rc path is refused             |
 * | rc file read-only (0444)                                                   | FOUND, fixed: it was replaced by |
 * |                                                                            |   the rename; now refused, with  |
 * |                                                                            |   the line to add                |
 * | rc file a FIFO, > 16 MiB, not UTF-8                                        | refused before; FOUND the line   |
 * |                                                                            |   said "check AWS_CONFIG_FILE..."; |
 * |                                                                            |   now it shows the line to add   |
 * | rc file a symlink (to a file of ours, dangling), CRLF, no final newline,    | held: the link's file gets the   |
 * |   the line there already / commented out / loaded another way              |   line once; a commented one does |
 * |                                                                            |   not count; others are named    |
 * | rc file a symlink to a file of another user (non-root)                     | held: refused (updateSharedFile) |
 * | HOME with spaces, quotes, $(), backticks, newline: bash, zsh, fish, elvish | held: loads, nothing runs        |
 * |   tcsh                                                                     | held: refused in one line        |
 * | HOME with ESC/C1: init's stderr                                            | held: rendered visibly           |
 * | data folder a symlink, another user's, group-writable                     | held: private-folder primitive   |
 * | `sudo -E awsmfa init --install` (root, HOME of a user)                     | FOUND, not fixed: the copy is    |
 * |                                                                            |   root's 0600, the user's shells |
 * |                                                                            |   say Permission denied (report) |
 * | tcsh quick path: AWS_PROFILE with `$()`, backticks, `!`, quotes, glob, `-e`, | held: set aside and put back     |
 * |   ESC, spaces (mfa --profile P)                                            |   exactly, nothing runs          |
 * | tcsh quick path: AWS_PROFILE with a newline                                | FOUND, not fixed: tcsh stops the |
 * |                                                                            |   quick file ("Unmatched"), after |
 * |                                                                            |   it removed the session; node   |
 * |                                                                            |   then decides (report)          |
 * | quick paths: values with `$()`, backticks, quotes, globs                  | held (quick.test.ts)             |
 * | quick paths: foreign owner, group/other-writable (tcsh, elvish, zsh)       | held (quick.test.ts); bash/fish  |
 * |                                                                            |   check the owner only (known)   |
 * | quick path: a file renamed to another profile's name                       | held (AWSMFA_PROFILE must match) |
 * | mfa-unset with `$()`, backticks, `;`, globs in tcsh and elvish             | held: data, refused by awsmfa    |
 * | stdout of init --install on failure                                        | held: the failure statement only |
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {beforeEach, describe, test} from 'node:test';
import {BIN, ROOT, runAwsmfa} from './support/run.js';
import {sandbox, useStandIn} from './support/stand-in.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {installInto, realShell, runScript, skipUnlessShell} from './support/shells.js';

useStandIn();
let env: Record<string, string>;
beforeEach(() => {
  env = awsmfaOnPath(sandbox);
});

const copyOf = (file: string) => join(sandbox.home, `.local`, `share`, `awsmfa`, `shell`, file);
const canary = () => join(sandbox.home, `canary`);

describe(`init --install: nothing of a path becomes shell code`, () => {
  test(`awsmfa installed under a path with a newline: a new shell runs nothing of it`, {skip: skipUnlessShell(`bash`)}, async () => {
    // A clone or prefix whose name holds a newline, then a command, as a path can.
    const root = join(sandbox.home, `pkg\ntouch ${canary()}\n#`);
    cpSync(join(ROOT, `dist`), join(root, `dist`), {recursive: true});
    cpSync(join(ROOT, `shell`), join(root, `shell`), {recursive: true});
    symlinkSync(join(ROOT, `node_modules`), join(root, `node_modules`));
    const installed = spawnSync(process.execPath, [join(root, `dist`, `awsmfa.cjs`), `init`, `--install`, `bash`], {env: sandbox.env, encoding: `utf8`});
    assert.equal(installed.status, 0, installed.stderr);
    const result = await runScript(`bash`, `source '${join(sandbox.home, `.bashrc`)}'\ntype -t mfa\n`, sandbox.env);
    assert.equal(result.stdout, `function\n`, result.stderr);
    assert.equal(existsSync(canary()), false, `the line after the newline ran in the new shell`);
  });

  for (const name of [`bash`, `zsh`, `fish`, `elvish`]) {
    test(`${name}: a HOME with spaces, quotes, $(), backticks and a newline loads, and runs nothing of it`, {skip: skipUnlessShell(name)}, async () => {
      const home = join(sandbox.home, `a b '$(touch ${canary()})\`touch ${canary()}\`\n;touch ${canary()} "`);
      mkdirSync(home, {recursive: true});
      const hostile: Record<string, string> = {...env, HOME: home, XDG_DATA_HOME: join(home, `.local`, `share`), XDG_CONFIG_HOME: join(home, `.config`)};
      const shell = realShell(name);
      const installed = await runAwsmfa([`init`, `--install`, name], hostile);
      assert.equal(installed.exitCode, 0, installed.stderr);
      // The rc file as a new shell reads it (named through the environment: its path is the hostile one).
      const rcFile = shell.dialect.snippet!.rc!.file!(home, hostile, existsSync);
      const copy = join(home, `.local`, `share`, `awsmfa`, `shell`, shell.dialect.snippet!.file);
      const load = name === `elvish` ? shell.profile.load!(copy, readFileSync(copy, `utf8`)) : name === `fish` ? `source $AWSMFA_TEST_RC` : `source "$AWSMFA_TEST_RC"`;
      hostile.AWSMFA_TEST_RC = rcFile;
      const defined = name === `fish` ? `functions -q mfa; and echo defined` : name === `elvish` ? `echo defined` : `type mfa >/dev/null && echo defined`;
      const result = await runScript(name, `${load}\n${defined}\n`, hostile);
      assert.equal(result.stdout, `defined\n`, result.stderr);
      assert.equal(existsSync(canary()), false);
    });
  }

  test(`tcsh: a HOME it cannot quote is refused in one line, with only the failure statement on stdout`, async () => {
    const home = join(sandbox.home, `a b`);
    mkdirSync(home);
    const result = await runAwsmfa([`init`, `--install`, `tcsh`], {...env, HOME: home, XDG_DATA_HOME: join(home, `.local`, `share`)});
    assert.equal(result.exitCode, 2);
    assert.equal(result.stdout, `: $awsmfa_failed ;\n`);
    assert.match(result.stderr, /^awsmfa: the path .*a b.* cannot be written safely for tcsh/);
    assert.equal(existsSync(join(home, `.tcshrc`)), false);
  });
});

describe(`init --install: a relative XDG_DATA_HOME`, () => {
  test(`the rc line names the copy by an absolute path: a shell started elsewhere loads no file planted there`, {skip: skipUnlessShell(`bash`)}, async () => {
    const here = join(sandbox.home, `project`);
    mkdirSync(here);
    const installed = spawnSync(process.execPath, [BIN, `init`, `--install`, `bash`], {env: {...env, XDG_DATA_HOME: `data`}, cwd: here, encoding: `utf8`});
    assert.equal(installed.status, 0, installed.stderr);
    const rc = readFileSync(join(sandbox.home, `.bashrc`), `utf8`);
    assert.ok(rc.includes(`source '${copyOf(`awsmfa.bash`)}'\n`), rc);
    // Another user's folder, where a new shell starts (cd /tmp/shared; bash), holding a file of that relative name.
    const elsewhere = join(sandbox.home, `shared`);
    mkdirSync(join(elsewhere, `data`, `awsmfa`, `shell`), {recursive: true});
    writeFileSync(join(elsewhere, `data`, `awsmfa`, `shell`, `awsmfa.bash`), `touch '${canary()}'\n`);
    const shell = spawnSync(`bash`, [`-c`, `source ~/.bashrc; type -t mfa`], {env, cwd: elsewhere, encoding: `utf8`});
    assert.equal(shell.stdout, `function\n`, shell.stderr);
    assert.equal(existsSync(canary()), false, `the planted file ran`);
  });

  test(`an rc file that a relative XDG_CONFIG_HOME names is refused, not written below the current folder`, async () => {
    const result = await runAwsmfa([`init`, `--install`, `fish`], {...env, XDG_CONFIG_HOME: `cfg`});
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /^awsmfa: cfg\/fish\/config\.fish is not an absolute path \(HOME, XDG_DATA_HOME, XDG_CONFIG_HOME or ZDOTDIR is relative\): set it to an absolute one/m);
  });
});

describe(`init --install: an rc file it must not write`, () => {
  const bashrc = () => join(sandbox.home, `.bashrc`);
  const line = () => `source '${copyOf(`awsmfa.bash`)}'`;
  /** Refused: exit 2, the failure statement, one line that names the file and the line to add, and nothing of the AWS files. */
  async function refused(why: RegExp): Promise<void> {
    const result = await runAwsmfa([`init`, `--install`, `bash`], env);
    assert.equal(result.exitCode, 2, result.stderr);
    assert.equal(result.stdout, `false\n`);
    const last = result.stderr.trimEnd().split(`\n`).at(-1)!;
    assert.match(last, why);
    assert.ok(last.endsWith(`add this line to it yourself: ${line()}`), last);
    assert.doesNotMatch(result.stderr, /AWS_CONFIG_FILE|AWS file/);
  }

  test(`read-only (0444): left as it is`, async () => {
    writeFileSync(bashrc(), `export EDITOR=vi\n`);
    chmodSync(bashrc(), 0o444);
    await refused(/\.bashrc is read-only \(mode 0444\)/);
    assert.equal(readFileSync(bashrc(), `utf8`), `export EDITOR=vi\n`);
  });

  test(`a FIFO, a file over 16 MiB, text that is not UTF-8: refused in the rc file's terms`, async () => {
    execFileSync(`mkfifo`, [bashrc()]);
    await refused(/\.bashrc is not a regular file \(it is a FIFO\)/);
    execFileSync(`rm`, [bashrc()]);
    writeFileSync(bashrc(), Buffer.alloc(17 * 1024 * 1024, `#`));
    await refused(/\.bashrc is larger than 16 MiB;/);
    writeFileSync(bashrc(), Buffer.from(`# caf\xe9\n`, `latin1`));
    await refused(/\.bashrc is not UTF-8 text;/);
    assert.equal(readFileSync(bashrc(), `latin1`), `# caf\xe9\n`);
  });

  test(`CRLF, no final newline, the line commented out: the line is added once, on a line of its own`, async () => {
    writeFileSync(bashrc(), `a\r\n# ${line()}\r\nb`);
    for (let run = 0; run < 2; run++)
      assert.equal((await runAwsmfa([`init`, `--install`, `bash`], env)).exitCode, 0);
    assert.equal(readFileSync(bashrc(), `utf8`), `a\r\n# ${line()}\r\nb\n# awsmfa: mfa and mfa-unset (awsmfa init --install bash)\n${line()}\n`);
  });
});

describe(`mfa-unset ARGS: hostile arguments are data`, () => {
  for (const name of [`tcsh`, `elvish`]) {
    test(name, {skip: skipUnlessShell(name)}, async () => {
      const {load} = await installInto(realShell(name), env);
      const c = canary();
      const call = name === `tcsh`
        ? `mfa-unset '\`touch ${c}\`' "x;touch ${c}" '$(touch ${c})' '*'\necho "status=$status"\n`
        : `try { mfa-unset '\`touch ${c}\`' 'x;touch ${c}' '$(touch ${c})' '(touch ${c})' } catch { echo 'status=2' }\n`;
      const result = await runScript(name, `${load}\n${call}`, env);
      assert.match(result.stdout, /status=2/, result.stderr);
      assert.equal(existsSync(c), false);
    });
  }
});
