/**
 * `mfa` without Node: every shell with an `mfa` file (bash, zsh, fish, tcsh, elvish: the dialect table's) takes a
 * cached session from the per-profile file awsmfa keeps (<cache>/profiles/P.env) without starting Node, loaded as
 * the README's quick start loads it (awsmfa init --install). Node starts are counted with a `node` wrapper first on
 * PATH (awsmfa on PATH runs `node`, as an npm install does), and step markers written into the same log.
 */
import assert from 'node:assert/strict';
import {chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeEach, describe, test} from 'node:test';
import {assertFailureOutput, BIN, runAwsmfa} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {installInto, printVarsCommand, REAL_SHELLS, realShell, runScript, skipUnlessShell, type RealShell} from './support/shells.js';

useStandIn();

const VARIABLES = [`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION`, `AWS_SESSION_EXPIRATION`, `AWSMFA_PROFILE`, `AWS_REGION`, `AWS_DEFAULT_REGION`, `AWSMFA_REGION`, `AWS_PROFILE`];
/** The shells whose `mfa` has a quick path: those of the table with an mfa file (and what their quick path checks). */
const QUICK = REAL_SHELLS.filter(shell => shell.dialect.snippet !== undefined && shell.profile.quick !== undefined);

let env: Record<string, string>;
const log = () => join(sandbox.home, `node-log`);
const quickFile = (profile = `default`) => join(sandbox.cacheDir, `awsmfa`, `profiles`, `${profile}.env`);

beforeEach(() => {
  const bin = join(sandbox.home, `bin`);
  env = {...sandbox.env, PATH: `${bin}:${sandbox.env.PATH}`};
  // awsmfa as npm installs it (#!/usr/bin/env node), and a node that notes each start before it runs.
  mkdirSync(bin, {recursive: true});
  writeFileSync(join(bin, `awsmfa`), `#!/bin/sh\nexec node '${BIN}' "$@"\n`, {mode: 0o755});
  writeFileSync(join(bin, `node`), `#!/bin/sh\necho node >> '${log()}'\nexec '${process.execPath}' "$@"\n`, {mode: 0o755});
});


/** The node starts between the step markers the script wrote: {step: count}. */
function startsPerStep(): Record<string, number> {
  const counts: Record<string, number> = {};
  let step = `before`;
  for (const line of existsSync(log()) ? readFileSync(log(), `utf8`).split(`\n`).filter(Boolean) : []) {
    if (line === `node`)
      counts[step] = (counts[step] ?? 0) + 1;
    else
      counts[step = line] = 0;
  }
  return counts;
}

const mark = (step: string) => `echo ${step} >> '${log()}'`;
const exportVar = (shell: RealShell, name: string, value: string) => shell.dialect.set([[name, value]]).trim();
const unsetVar = (shell: RealShell, name: string) => shell.dialect.unset([name]).trim();

/** What a script needs for the shell's functions, as a new terminal gets them from the README's rc line (installed first). */
async function load(shell: RealShell): Promise<string> {
  return (await installInto(shell, env)).load;
}

/** A cached session and its file, as `mfa CODE` leaves them (through awsmfa, before the script's log starts). */
async function cachedSession(): Promise<void> {
  const result = await runAwsmfa([`env`, `--shell`, `json`, sts.code], env);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.ok(existsSync(quickFile()), `awsmfa left the profile's file`);
  writeFileSync(log(), ``);
}

for (const shell of QUICK) {
  const quick = shell.profile.quick!;
  describe(`${shell.label}: mfa from a cached session`, {skip: skipUnlessShell(shell.name)}, () => {
    test(`the rc line and mfa start no node, and set exactly what awsmfa env sets (AWS_PROFILE set aside and said so, the region with its mark); mfa-unset puts AWS_PROFILE back`, async () => {
      const loaded = await load(shell);
      await cachedSession();
      const kept = [...VARIABLES, `AWSMFA_AWS_PROFILE`];
      const script = [
        mark(`rc`), loaded,
        mark(`mfa`), exportVar(shell, `AWS_PROFILE`, `default`), `mfa`, printVarsCommand(kept),
        mark(`by-name`), `mfa --profile default`, `mfa -p default`, `mfa --profile=default`,
        mark(`unset`), `mfa-unset`, printVarsCommand([`AWS_PROFILE`, `AWSMFA_AWS_PROFILE`, `AWS_ACCESS_KEY_ID`]),
        ``,
      ].join(`\n`);
      const result = await runScript(shell.name, script, env);
      assert.equal(result.status, 0, result.stderr);
      // Each served session says so in one line, from the shell itself (no node started above).
      const left = Math.floor((sts.issued.at(-1)!.expiration.getTime() - Date.now()) / 60_000);
      const line = (minutes: number, aside = ``) => `awsmfa: default: cached session, ${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, `0`)}m left${aside}\n`;
      const near = (aside = ``) => [line(left - 1, aside), line(left, aside), line(left + 1, aside)];
      const setAside = ` (AWS_PROFILE set aside until mfa-unset)`;
      const lines = result.stderr.split(/(?<=\n)/);
      assert.equal(lines.length, 4, result.stderr);
      assert.ok(near(setAside).includes(lines[0]!), `the first one set AWS_PROFILE aside, and says so: ${result.stderr}`);
      assert.ok(lines.slice(1).every(one => near().includes(one)), result.stderr);
      assert.deepEqual(startsPerStep(), {rc: 0, mfa: 0, 'by-name': 0, unset: 0});
      const quiet = await runScript(shell.name, [loaded, `mfa`, ``].join(`\n`), {...env, AWSMFA_QUIET: `1`});
      assert.equal(quiet.stderr, ``, `AWSMFA_QUIET=1 keeps mfa quiet`);
      // What awsmfa env itself makes of the same shell, applied by the same shell; awsmfa says the line, once.
      const viaNode = await runScript(shell.name, [exportVar(shell, `AWS_PROFILE`, `default`), loaded, `mfa --min-remaining 6m`, printVarsCommand(kept), ``].join(`\n`), env);
      assert.equal(viaNode.status, 0, viaNode.stderr);
      assert.ok(near(setAside).includes(viaNode.stderr), viaNode.stderr);
      const [served, unset] = result.stdout.trim().split(/(?<=\})/).map(one => JSON.parse(one));
      assert.deepEqual(served, JSON.parse(viaNode.stdout.trim()));
      assert.equal(served.AWS_ACCESS_KEY_ID, sts.issued.at(-1)!.accessKeyId);
      assert.equal(served.AWS_PROFILE, null);
      assert.equal(served.AWSMFA_AWS_PROFILE, `default`);
      assert.equal(served.AWS_REGION, `eu-west-1`);
      assert.deepEqual(unset, {AWS_PROFILE: `default`, AWSMFA_AWS_PROFILE: null, AWS_ACCESS_KEY_ID: null}, `mfa-unset put AWS_PROFILE back`);
    });

    test(`anything but a fresh, private, untouched file and no options goes to awsmfa`, async () => {
      const loaded = await load(shell);
      await cachedSession();
      const saved = join(sandbox.home, `saved.env`);
      copyFileSync(quickFile(), saved);
      const restore = `cp -p '${saved}' '${quickFile()}'`;
      const config = join(sandbox.awsDir, `config`);
      const expired = join(sandbox.home, `expired.env`);
      writeFileSync(expired, readFileSync(saved, `utf8`).replace(/^AWSMFA_EXPIRES=\d+$/m, `AWSMFA_EXPIRES=${Math.floor(Date.now() / 1000) + 120}`), {mode: 0o600});
      const foreign = join(sandbox.home, `foreign.env`);
      writeFileSync(foreign, `${readFileSync(saved, `utf8`)}AWS_PROFILE=evil\n`, {mode: 0o600});
      // Another config file, older than the profile's file: the file was not made from it.
      const oldConfig = join(sandbox.home, `old-config`);
      writeFileSync(oldConfig, readFileSync(config, `utf8`));
      utimesSync(oldConfig, new Date(2020, 0, 1), new Date(2020, 0, 1));
      const profiles = join(sandbox.cacheDir, `awsmfa`, `profiles`);
      const steps: Array<[string, string]> = [
        // Another profile's file (and its stamps) renamed to this one's name, as a writer of the folder could: the
        // file names its profile, so it is not taken as this profile's session. (First: a failed refresh below
        // removes the stamps the copy needs.)
        [`renamed`, `sh -c 'cd "$1" && cp -p default.env other.env && for f in default.*.lo default.*.hi; do cp -p "$f" "other.\${f#default.}"; done' sh '${profiles}'; mfa --profile other; rm -f '${profiles}/other.env'`],
        [`code`, `mfa 000000`],
        [`force`, `mfa --force`],
        [`option`, `mfa --no-region`],
        [`region`, `mfa --region eu-west-1`],
        [`other-profile`, `mfa --profile other`],
        [`expiring`, `cp -p '${expired}' '${quickFile()}'; mfa`],
        [`unknown-name`, `cp -p '${foreign}' '${quickFile()}'; mfa`],
        [`missing`, `rm '${quickFile()}'; mfa`],
        [`other-config-file`, `${exportVar(shell, `AWS_CONFIG_FILE`, oldConfig)}; mfa; ${unsetVar(shell, `AWS_CONFIG_FILE`)}`],
        [`config-newer`, `sleep 0.02; touch '${config}'; mfa`],
        [`settled`, `mfa`],
      ];
      // A failed mfa ends a script where its failure is an exception (elvish): each step is tried on its own.
      const attempt = (line: string) => shell.profile.status(line);
      // The last step follows the one before as it left things: awsmfa has rewritten the file.
      const script = [loaded, ...steps.flatMap(([step, line]) => step === `settled` ? [mark(step), attempt(line)] : [restore, mark(step), attempt(line)]), ``].join(`\n`);
      await runScript(shell.name, script, env);
      const counts = startsPerStep();
      for (const [step] of steps.slice(0, -1))
        assert.equal(counts[step], 1, `${step}: one node start (${JSON.stringify(counts)})`);
      assert.equal(counts.settled, 0, `after a change to the AWS files, awsmfa refreshed the file and the next mfa needs no node`);
    });

    test(`a changed AWS file is seen as the Node path sees it: an older file restored, a rename, a deleted or a new file${quick.record ? `, an edit with its mtime put back` : ``}`, async () => {
      const loaded = await load(shell);
      const config = join(sandbox.awsDir, `config`);
      const credentials = join(sandbox.awsDir, `credentials`);
      const keys = readFileSync(credentials, `utf8`).replace(/^\[default\]\n/, ``);
      // The keys in the config file too, so that the credentials file can go and come back.
      const configWith = (region: string) => `[default]\nregion = ${region}\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n${keys}`;
      writeFileSync(config, configWith(`eu-west-1`));
      await cachedSession();
      // An older config of the same size, as a backup restores it (cp -p: its own, older mtime).
      const older = join(sandbox.home, `older-config`);
      writeFileSync(older, configWith(`eu-west-2`));
      utimesSync(older, new Date(2020, 0, 1), new Date(2020, 0, 1));
      const saved = join(sandbox.home, `saved-config`);
      const savedCredentials = join(sandbox.home, `saved-credentials`);
      copyFileSync(credentials, savedCredentials);
      const region = join(sandbox.home, `region`);
      const noteRegion = `${printVarsCommand([`AWS_REGION`])} >> '${region}'`;
      const steps: Array<[string, string, number]> = [
        [`restored`, `cp -p '${older}' '${config}'; mfa; ${noteRegion}`, 1],
        [`settled-1`, `mfa; ${noteRegion}`, 0],
        [`renamed`, `cp '${config}' '${config}.new'; touch -d @1700000000.5 '${config}.new'; mv '${config}.new' '${config}'; mfa`, 1],
        [`settled-2`, `mfa`, 0],
        [`credentials-deleted`, `rm '${credentials}'; mfa`, 1],
        [`settled-3`, `mfa`, 0],
        [`credentials-new`, `cp -p '${savedCredentials}' '${credentials}'; mfa`, 1],
        [`settled-4`, `mfa`, 0],
        ...quick.record ? [[`put-back`, `cp -p '${config}' '${saved}'; sed -i s/eu-west-2/eu-west-3/ '${config}'; touch -r '${saved}' '${config}'; mfa; ${noteRegion}`, 1] as [string, string, number]] : [],
        [`config-deleted`, `rm '${config}'; mfa`, 1],
      ];
      const script = [loaded, ...steps.flatMap(([step, line]) => [mark(step), line]), ``].join(`\n`);
      const result = await runScript(shell.name, script, env);
      const counts = startsPerStep();
      for (const [step, , starts] of steps)
        assert.equal(counts[step], starts, `${step}: ${starts} node start(s) (${JSON.stringify(counts)}) ${result.stderr}`);
      // The restored file's region is what mfa set, and what the next mfa took from the rewritten file.
      assert.deepEqual(readFileSync(region, `utf8`).trim().split(/(?<=\})/).map(one => JSON.parse(one).AWS_REGION), [`eu-west-2`, `eu-west-2`, ...quick.record ? [`eu-west-3`] : []]);
    });

    test(`a file of another user is ignored${quick.modes ? `, and so is one others could write` : ``}`, {skip: process.getuid?.() === 0 ? false : `chown needs root (CI runs as root)`}, async () => {
      const loaded = await load(shell);
      await cachedSession();
      chownSync(quickFile(), 65534, 65534);
      const script = [loaded, mark(`foreign`), shell.profile.status(`mfa`), ``].join(`\n`);
      await runScript(shell.name, script, env);
      assert.equal(startsPerStep().foreign, 1);
      if (quick.modes) {
        await runAwsmfa([`clear`], env);
        // A code of its own: STS refuses one used before (by another shell's run of this test).
        sts.code = String(246802 + QUICK.indexOf(shell));
        await cachedSession();
        chmodSync(quickFile(), 0o622);
        await runScript(shell.name, [loaded, mark(`loose`), shell.profile.status(`mfa`), ``].join(`\n`), env);
        assert.equal(startsPerStep().loose, 1);
      }
    });

    test(`values are data: shell metacharacters arrive exactly, and nothing in them runs`, async () => {
      const loaded = await load(shell);
      await cachedSession();
      const pwned = join(sandbox.home, `pwned`);
      const values = {
        AWS_ACCESS_KEY_ID: `$(touch ${pwned})`,
        AWS_SECRET_ACCESS_KEY: `\`touch ${pwned}\`;'q' "d" \\ * ?`,
        AWS_SESSION_TOKEN: `a=b c; touch ${pwned} | & > < {x,y} ~ # %s $HOME (put x) $E:HOME`,
        AWS_CREDENTIAL_EXPIRATION: `2099-01-01T00:00:00Z`,
        AWS_SESSION_EXPIRATION: `2099-01-01T00:00:00Z`,
        AWSMFA_PROFILE: `default`,
      };
      // The records of the AWS files as awsmfa left them (their stamps are in place).
      const records = readFileSync(quickFile(), `utf8`).split(`\n`).filter(line => /^AWSMFA_(CONFIG|CREDENTIALS)_STAT=/.test(line));
      assert.equal(records.length, 2);
      const text = [`AWSMFA_EXPIRES=4070908800`, `AWSMFA_CONFIG_FILE=${join(sandbox.awsDir, `config`)}`, `AWSMFA_CREDENTIALS_FILE=${join(sandbox.awsDir, `credentials`)}`, ...records, ...Object.entries(values).map(([name, value]) => `${name}=${value}`), ``].join(`\n`);
      writeFileSync(quickFile(), text, {mode: 0o600});
      const result = await runScript(shell.name, [loaded, mark(`mfa`), `mfa`, printVarsCommand(Object.keys(values)), ``].join(`\n`), env);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout.trim()), values);
      assert.equal(startsPerStep().mfa, 0);
      assert.equal(existsSync(pwned), false, `nothing ran`);
    });
  });
}

describe(`awsmfa keeps the profile files`, () => {
  test(`written 0600 in a 0700 folder for a profile's own session only; removed by unset --forget, clear and logout`, async () => {
    await cachedSession();
    assert.equal(statSync(quickFile()).mode & 0o777, 0o600);
    assert.equal(statSync(join(sandbox.cacheDir, `awsmfa`, `profiles`)).mode & 0o777, 0o700);
    assert.match(readFileSync(quickFile(), `utf8`), new RegExp(`^AWSMFA_EXPIRES=\\d+\\nAWSMFA_CONFIG_FILE=${join(sandbox.awsDir, `config`)}\\nAWSMFA_CREDENTIALS_FILE=${join(sandbox.awsDir, `credentials`)}\\nAWSMFA_CONFIG_STAT=\\d+:\\d+:\\d+:\\d+\\nAWSMFA_CREDENTIALS_STAT=\\d+:\\d+:\\d+:\\d+\\nAWS_ACCESS_KEY_ID=${sts.issued.at(-1)!.accessKeyId}\\n`));
    const run = (args: string[]) => runAwsmfa(args, env);

    assert.equal((await run([`unset`, `--forget`])).exitCode, 0);
    assert.equal(existsSync(quickFile()), false, `unset --forget`);
    sts.code = `111222`;
    await run([`env`, `111222`]);
    assert.equal((await run([`clear`])).exitCode, 0);
    assert.equal(existsSync(quickFile()), false, `clear`);
    sts.code = `555666`;
    await run([`login`, `-u`, `work-mfa`, `555666`]);
    assert.equal((await run([`env`])).exitCode, 0);
    assert.ok(existsSync(quickFile()), `served from the cache: written again`);
    assert.equal((await run([`logout`, `-u`, `work-mfa`])).exitCode, 0);
    assert.equal(existsSync(quickFile()), false, `logout of the session it holds`);
    sts.code = `777888`;
    await run([`env`, `--region`, `us-west-2`, `777888`]);
    assert.equal(existsSync(quickFile()), false, `a session asked for with options is not the profile's own`);
    await run([`env`, `--profile`, `default`]);
    assert.ok(existsSync(quickFile()));
  });

  test(`an AWS file edited while the code is being given: no profile file vouches for the older text (bash takes it to awsmfa)`, async () => {
    const config = join(sandbox.awsDir, `config`);
    // The code command edits the config after awsmfa read it and before the session is in hand, as a person
    // editing it while typing the code would.
    const edit = `sed -i s/eu-west-1/ap-south-1/ '${config}' && echo ${sts.code}`;
    const result = await runAwsmfa([`env`, `--shell`, `bash`, `--code-command`, edit], env);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /AWS_REGION='eu-west-1'/, `the session was made from the text read before the edit`);
    const loaded = await load(realShell(`bash`));
    writeFileSync(log(), ``);
    const script = [loaded, mark(`mfa`), `mfa`, printVarsCommand([`AWS_REGION`]), ``].join(`\n`);
    const {stdout} = await runScript(`bash`, script, env);
    assert.equal(startsPerStep().mfa, 1, `mfa asked awsmfa, which reads the edited file`);
    assert.match(stdout, /ap-south-1/);
  });
});

describe(`a failed refresh keeps what still works`, () => {
  const sessionFiles = () => readdirSync(join(sandbox.cacheDir, `awsmfa`)).filter(name => /^session-.*\.json$/.test(name));

  test(`a wrong code or no STS leaves the valid cached session and its file: the next mfa in bash takes it without node`, {skip: skipUnlessShell(`bash`)}, async () => {
    await cachedSession();
    const before = readFileSync(quickFile(), `utf8`);
    const issued = sts.issued.at(-1)!.accessKeyId;
    for (const args of [[`env`, `000000`], [`env`, `--force`, `000000`], [`env`, `--code`, `000000`, `--shell`, `bash`]]) {
      const failed = await runAwsmfa(args, env);
      assert.equal(failed.exitCode, 1, failed.stderr);
      assertFailureOutput(failed);
    }
    const unreachable = await runAwsmfa([`env`, `--force`, `000000`, `--timeout`, `2s`], {...env, AWS_ENDPOINT_URL_STS: `http://127.0.0.1:9`});
    assert.equal(unreachable.exitCode, 1, unreachable.stderr);
    assert.equal(readFileSync(quickFile(), `utf8`), before, `the profile's file is as it was`);
    assert.equal(sessionFiles().length, 1, `the cached session is kept`);
    const loaded = await load(realShell(`bash`));
    writeFileSync(log(), ``);
    const result = await runScript(`bash`, [loaded, mark(`mfa`), `mfa`, printVarsCommand([`AWS_ACCESS_KEY_ID`]), ``].join(`\n`), env);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout.trim()).AWS_ACCESS_KEY_ID, issued);
    assert.deepEqual(startsPerStep(), {mfa: 0});
    // And awsmfa itself still serves it.
    const served = await runAwsmfa([`env`, `--shell`, `json`], env);
    assert.equal(served.exitCode, 0, served.stderr);
    assert.equal(JSON.parse(served.stdout).AccessKeyId, issued);
  });

  test(`an expired session goes with the failed refresh: the cached session and the profile's file`, async () => {
    await cachedSession();
    // The session as it would be a day later: expired in the cache and in the profile's file.
    const [name] = sessionFiles();
    const file = join(sandbox.cacheDir, `awsmfa`, name!);
    const session = JSON.parse(readFileSync(file, `utf8`));
    session.credentials.expiration = new Date(Date.now() - 60_000).toISOString();
    writeFileSync(file, JSON.stringify(session), {mode: 0o600});
    writeFileSync(quickFile(), readFileSync(quickFile(), `utf8`).replace(/^AWSMFA_EXPIRES=\d+$/m, `AWSMFA_EXPIRES=${Math.floor(Date.now() / 1000) - 60}`), {mode: 0o600});
    const failed = await runAwsmfa([`env`, `000000`], env);
    assert.equal(failed.exitCode, 1, failed.stderr);
    assert.equal(existsSync(quickFile()), false, `the expired profile file is gone`);
    assert.deepEqual(sessionFiles(), [], `the expired cached session is gone`);
  });
});

describe(`the fast path's per-profile index`, () => {
  test(`a cached env reads the index while both AWS files are untouched; every kind of change to them is seen`, async () => {
    const {readdirSync, renameSync, rmSync, symlinkSync, utimesSync} = await import(`node:fs`);
    const config = join(sandbox.awsDir, `config`);
    const credentials = join(sandbox.awsDir, `credentials`);
    const region = async (extra: Record<string, string> = {}) => {
      const result = await runAwsmfa([`env`, `--shell`, `bash`], {...env, ...extra});
      assert.equal(result.exitCode, 0, result.stderr);
      return /^export AWS_REGION='(.*)'$/m.exec(result.stdout)?.[1];
    };
    const configWith = (name: string) => `[default]\nregion = ${name}\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n`;
    await cachedSession();
    assert.equal(await region(), `eu-west-1`);
    const index = join(sandbox.cacheDir, `awsmfa`, `index`);
    assert.equal(readdirSync(index).length, 1, `the first cached env indexed the profile`);
    assert.equal(await region(), `eu-west-1`);

    // Edited in place to the same size, its mtime put back: the ctime still tells.
    const before = statSync(config);
    writeFileSync(config, configWith(`eu-west-2`));
    utimesSync(config, before.atime, before.mtime);
    assert.equal(await region(), `eu-west-2`);
    // Replaced by a rename, as editors save.
    writeFileSync(`${config}.new`, configWith(`eu-west-3`));
    renameSync(`${config}.new`, config);
    assert.equal(await region(), `eu-west-3`);
    // Made a symbolic link to another file.
    writeFileSync(join(sandbox.home, `other-config`), configWith(`ca-central-1`));
    rmSync(config);
    symlinkSync(join(sandbox.home, `other-config`), config);
    assert.equal(await region(), `ca-central-1`);
    // Another file named by AWS_CONFIG_FILE.
    writeFileSync(join(sandbox.home, `third-config`), configWith(`ap-south-1`));
    assert.equal(await region({AWS_CONFIG_FILE: join(sandbox.home, `third-config`)}), `ap-south-1`);
    assert.equal(await region(), `ca-central-1`);
    // The credentials file removed: no keys, so no cached session is served.
    const keys = readFileSync(credentials, `utf8`);
    rmSync(credentials);
    const noKeys = await runAwsmfa([`env`, `--shell`, `bash`], env);
    assert.notEqual(noKeys.exitCode, 0);
    assertFailureOutput(noKeys);
    writeFileSync(credentials, keys, {mode: 0o600});
    assert.equal(await region(), `ca-central-1`);
    // The index is what a cached env reads: one planted with another region is believed while it is private...
    const entry = readdirSync(index).map(name => join(index, name)).find(file => readFileSync(file, `utf8`).includes(`"configuredRegion":"ca-central-1"`));
    writeFileSync(entry!, readFileSync(entry!, `utf8`).replace(`"configuredRegion":"ca-central-1"`, `"configuredRegion":"us-gov-west-1"`));
    chmodSync(entry!, 0o600);
    assert.equal(await region(), `us-gov-west-1`, `no INI was read`);
    // ... and ignored once others could write it.
    chmodSync(entry!, 0o666);
    assert.equal(await region(), `ca-central-1`);
  });
});
