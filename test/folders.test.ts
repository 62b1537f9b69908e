/**
 * The one private-folder primitive (issue #18 items 1, 2 and 7): links, foreign owners and loose modes planted at
 * every level of the cache (root, v8/, profiles/, index/, a session file, a temporary file), as the user and as
 * another user; real commands run; a canary folder holding files of awsmfa's own names must keep its names, bytes
 * and modes, and awsmfa must still answer (without its cache where it must).
 */
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {chmodSync, chownSync, existsSync, lchownSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, join} from 'node:path';
import {after, beforeEach, describe, test} from 'node:test';
import {writePrivateFile} from '../src/private-folder.js';
import {fnv1a64} from '../src/cache/folder.js';
import {sessionFile} from '../src/cache/sessions.js';
import {assertFailureOutput, type RunResult} from './support/run.js';
import {forNobody} from './support/nobody.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ALICE} from './support/sts-server.js';
import {scaled} from './support/timing.js';

const {run} = useStandIn({allowReuse: true});

const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const needsRoot = asRoot ? false : `chown to another user needs root (CI runs as root)`;

let root: string;
beforeEach(() => {
  root = join(sandbox.cacheDir, `awsmfa`);
});

const keyIdOf = (result: RunResult) => /^export AWS_ACCESS_KEY_ID='(ASIA[A-Z0-9]+)'$/m.exec(result.stdout)?.[1];
const sessionName = () => basename(sessionFile(root, {sourceAccessKeyId: ALICE.accessKeyId, serialNumber: ALICE.serialNumber, asked: `duration 43200s`}));

/** A pid that is certainly gone: a child that has exited. */
const deadPid = () => spawnSync(`true`).pid!;

/**
 * A folder of someone's own files that happen to carry every name awsmfa uses (and a temporary file of a dead
 * writer), mode 0755 with files 0644: what ~/Documents or a project looks like to a link planted into it.
 */
function makeCanary(owner?: number): string {
  const dir = mkdtempSync(join(sandbox.home, `canary-`));
  chmodSync(dir, 0o755);
  const names = [sessionName(), `device-${fnv1a64(ALICE.accessKeyId)}.json`, `default.env`, `other.env`, `fast-v20.0.0-x64-1-2-3.bin`, `main-v20.0.0-x64-1-2-3.bin`, `sts-v20.0.0-x64-1-2-3.bin`,
    `0123456789abcdef.json`, `${sessionName()}.${deadPid()}.abcdefgh.tmp`, `notes.txt`];
  for (const name of names)
    writeFileSync(join(dir, name), `the user's own ${name}\n`, {mode: 0o644});
  if (owner !== undefined)
    spawnSync(`chown`, [`-R`, `${owner}:${owner}`, dir]);
  return dir;
}

/** Everything a user would check of a folder: its mode and owner, and each file's name, mode, owner and bytes. */
function snapshot(dir: string): string {
  const stat = lstatSync(dir);
  const entries = readdirSync(dir).sort().map(name => {
    const entry = lstatSync(join(dir, name));
    const what = entry.isSymbolicLink() ? `-> ${readlinkSync(join(dir, name))}` : entry.isFile() ? readFileSync(join(dir, name)).toString(`base64`) : `?`;
    return `${name} ${(entry.mode & 0o7777).toString(8)} ${entry.uid} ${what}`;
  });
  return [`${(stat.mode & 0o7777).toString(8)} ${stat.uid}`, ...entries].join(`\n`);
}

/** `env` with a code, `env` cached, `unset`, `clear` and `login`: every command that opens the cache folders. */
async function everyCommand(env: Record<string, string> = {}): Promise<{fresh: RunResult, cached: RunResult, clear: RunResult}> {
  const fresh = await run([`env`, `--shell`, `bash`, sts.code], env);
  assert.equal(fresh.exitCode, 0, fresh.stderr);
  assert.ok(keyIdOf(fresh), fresh.stdout);
  const cached = await run([`env`, `--shell`, `bash`], env);
  assert.equal((await run([`unset`, `--shell`, `bash`], env)).exitCode, 0);
  const login = await run([`login`, `-u`, `folders-mfa`, sts.code], env);
  assert.equal(login.exitCode, 0, login.stderr);
  const clear = await run([`clear`], env);
  return {fresh, cached, clear};
}

describe(`a link at any level of the cache is never followed`, () => {
  for (const level of [``, `v8`, `profiles`, `index`]) {
    test(`${level === `` ? `the cache root` : `${level}/`} as a link to a folder of the user's`, async () => {
      const canary = makeCanary();
      const before = snapshot(canary);
      mkdirSync(root, {recursive: true, mode: 0o700});
      if (level === ``)
        rmSync(root, {recursive: true});
      symlinkSync(canary, level === `` ? root : join(root, level));
      const {fresh, cached, clear} = await everyCommand();
      assert.equal(snapshot(canary), before, `the folder behind the link is untouched`);
      assert.ok(lstatSync(level === `` ? root : join(root, level)).isSymbolicLink(), `the link itself is left alone`);
      if (level === ``) {
        // No cache at all: the session works, says once that it is not cached, and the next terminal needs a code.
        assert.match(fresh.stderr, /^awsmfa: warning: the session works but could not be cached \(.*awsmfa is a symbolic link, and awsmfa follows none in its cache: remove the link/m);
        assert.equal(cached.exitCode, 2, cached.stderr);
        assertFailureOutput(cached);
      } else {
        assert.doesNotMatch(fresh.stderr, /warning/, `only speed is lost: nothing to say`);
        assert.equal(keyIdOf(cached), keyIdOf(fresh), `the session is still cached and served`);
      }
      // clear deletes what it can reach, then names the link: exit 2, one line.
      assert.equal(clear.exitCode, 2, clear.stderr);
      assert.match(clear.stderr, new RegExp(`^awsmfa: (deleted \\d+ cached sessions?|no cached session to delete), but ${level === `` ? root : join(root, level)} is a symbolic link`));
      assert.equal(clear.stderr.trimEnd().split(`\n`).length, 1);
      if (level !== ``)
        assert.deepEqual(readdirSync(root).filter(name => name.startsWith(`session-`)), [], `the sessions it could reach are gone`);
    });
  }

  test(`a session file, an index file and a profile file as links: read through none, written over none`, async () => {
    const canary = makeCanary();
    const before = snapshot(canary);
    const fresh = await run([`env`, `--shell`, `bash`, sts.code]);
    assert.equal(fresh.exitCode, 0, fresh.stderr);
    // The index is written by the cached path.
    assert.equal(keyIdOf(await run([`env`, `--shell`, `bash`])), keyIdOf(fresh));
    // Swap each file awsmfa wrote for a link to the canary's file of the same name.
    const index = readdirSync(join(root, `index`))[0]!;
    for (const [folder, name] of [[root, sessionName()], [join(root, `index`), index], [join(root, `profiles`), `default.env`]] as const) {
      rmSync(join(folder, name));
      writeFileSync(join(canary, name), `the user's own ${name}\n`, {mode: 0o644});
      symlinkSync(join(canary, name), join(folder, name));
    }
    const canaryNow = snapshot(canary);
    const cached = await run([`env`, `--shell`, `bash`, `--verbose`]);
    assert.equal(cached.exitCode, 2, `a linked session is no session: ${cached.stderr}`);
    assert.match(cached.stderr, /ignoring the cached session .*: it is not a private file of this user/);
    const again = await run([`env`, `--shell`, `bash`, sts.code]);
    assert.equal(again.exitCode, 0, again.stderr);
    assert.ok(lstatSync(join(root, sessionName())).isFile(), `the link was replaced by awsmfa's own file`);
    assert.equal((await run([`clear`])).exitCode, 0);
    assert.equal(snapshot(canary), canaryNow);
    assert.notEqual(canaryNow, before, `(the canary holds the linked files too)`);
  });
});

describe(`folders of another user, and folders open to others`, {skip: needsRoot}, () => {
  test(`the cache root of another user: refused with one warning, nothing in it touched`, async () => {
    const canary = makeCanary(NOBODY);
    rmSync(root, {recursive: true, force: true});
    mkdirSync(sandbox.cacheDir, {recursive: true});
    spawnSync(`mv`, [canary, root]);
    const before = snapshot(root);
    const {fresh, cached, clear} = await everyCommand();
    assert.match(fresh.stderr, /^awsmfa: warning: the session works but could not be cached \(.*awsmfa belongs to another user \(uid 65534\)/m);
    assert.equal(cached.exitCode, 2);
    assert.equal(clear.exitCode, 2);
    assert.equal(snapshot(root), before);
  });

  for (const level of [`v8`, `profiles`, `index`]) {
    test(`${level}/ of another user: not written, not swept, not chmodded; the session still cached`, async () => {
      mkdirSync(root, {recursive: true, mode: 0o700});
      const canary = makeCanary(NOBODY);
      spawnSync(`mv`, [canary, join(root, level)]);
      const before = snapshot(join(root, level));
      const {fresh, cached, clear} = await everyCommand();
      assert.doesNotMatch(fresh.stderr, /warning/);
      assert.equal(keyIdOf(cached), keyIdOf(fresh));
      assert.equal(clear.exitCode, 2);
      assert.match(clear.stderr, new RegExp(`but ${join(root, level)} belongs to another user \\(uid 65534\\)`));
      assert.equal(snapshot(join(root, level)), before);
    });
  }

  test(`a session file of another user is neither read nor deleted`, async () => {
    assert.equal((await run([`env`, sts.code])).exitCode, 0);
    chownSync(join(root, sessionName()), NOBODY, NOBODY);
    const entry = () => snapshot(root).split(`\n`).find(line => line.startsWith(sessionName()));
    const before = entry();
    assert.equal((await run([`env`])).exitCode, 2, `not used`);
    assert.match((await run([`clear`])).stderr, /^awsmfa: no cached session to delete\n$/);
    assert.equal(entry(), before);
  });

  test(`AWSMFA_CACHE_DIR in a shared 1777 folder of another user: neither it, nor a link or folder planted in it, is used`, async () => {
    const shared = mkdtempSync(join(tmpdir(), `awsmfa-shared-`));
    after(() => rmSync(shared, {recursive: true, force: true}));
    chmodSync(shared, 0o1777);
    chownSync(shared, NOBODY, NOBODY);
    const canary = makeCanary();
    const before = snapshot(canary);
    // The shared folder itself (another user's), a link another user planted, and a folder another user made.
    symlinkSync(canary, join(shared, `linked`));
    lchownSync(join(shared, `linked`), NOBODY, NOBODY);
    mkdirSync(join(shared, `planted`), {mode: 0o700});
    chownSync(join(shared, `planted`), NOBODY, NOBODY);
    // (`linked/`: a trailing slash would make open(2) follow the link.)
    for (const [dir, reason] of [[shared, /belongs to another user \(uid 65534\)/], [`${join(shared, `linked`)}/`, /is a symbolic link/], [join(shared, `planted`), /belongs to another user \(uid 65534\)/]] as const) {
      const sharedBefore = snapshot(shared);
      const {fresh, cached} = await everyCommand({AWSMFA_CACHE_DIR: dir});
      assert.match(fresh.stderr, new RegExp(`^awsmfa: warning: the session works but could not be cached \\(${dir.replace(/\/$/, ``).replace(/[.*+?^${}()|[\]\\]/g, `\\$&`)} ${reason.source}`, `m`));
      assert.equal(cached.exitCode, 2, `no session read from there`);
      assert.equal(snapshot(shared), sharedBefore, dir);
    }
    assert.equal(snapshot(canary), before);
    // A folder of one's own in the shared folder is fine: made 0700, and used.
    const mine = join(shared, `mine`);
    const fresh = await run([`env`, sts.code], {AWSMFA_CACHE_DIR: mine});
    assert.doesNotMatch(fresh.stderr, /warning/);
    assert.equal(statSync(mine).mode & 0o777, 0o700);
    assert.equal(keyIdOf(await run([`env`], {AWSMFA_CACHE_DIR: mine})), keyIdOf(fresh));
  });

  test(`a FIFO another user planted as a profile's file in a shared folder: env prints the session at once, the code not lost`, async () => {
    const shared = mkdtempSync(join(tmpdir(), `awsmfa-shared-`));
    after(() => rmSync(shared, {recursive: true, force: true}));
    chmodSync(shared, 0o1777);
    mkdirSync(join(shared, `profiles`), {mode: 0o755});
    chownSync(join(shared, `profiles`), NOBODY, NOBODY);
    spawnSync(`mkfifo`, [join(shared, `profiles`, `default.env`)]);
    chownSync(join(shared, `profiles`, `default.env`), NOBODY, NOBODY);
    const started = Date.now();
    const fresh = await run([`env`, `--shell`, `bash`, sts.code], {AWSMFA_CACHE_DIR: shared});
    assert.equal(fresh.exitCode, 0, fresh.stderr);
    assert.ok(keyIdOf(fresh), fresh.stdout);
    assert.ok(Date.now() - started < scaled(10_000, 25_000), `took ${Date.now() - started} ms`);
    assert.ok(lstatSync(join(shared, `profiles`, `default.env`)).isFIFO(), `another user's FIFO is left as it was`);
  });
});

describe(`modes`, () => {
  test(`awsmfa's own folders found open are tightened to 0700; a folder the user named is never chmodded, and refused when others can write it`, async () => {
    mkdirSync(join(root, `v8`), {recursive: true});
    for (const level of [root, join(root, `v8`), join(root, `profiles`), join(root, `index`)]) {
      mkdirSync(level, {recursive: true});
      chmodSync(level, 0o777);
    }
    const fresh = await run([`env`, `--shell`, `bash`, sts.code]);
    assert.equal(fresh.exitCode, 0, fresh.stderr);
    // The index is written by the cached path.
    assert.equal(keyIdOf(await run([`env`, `--shell`, `bash`])), keyIdOf(fresh));
    for (const level of [root, join(root, `v8`), join(root, `profiles`), join(root, `index`)])
      assert.equal(statSync(level).mode & 0o777, 0o700, level);

    const named = join(sandbox.home, `my-cache`);
    mkdirSync(named, {mode: 0o777});
    chmodSync(named, 0o777);
    const refused = await run([`env`, sts.code], {AWSMFA_CACHE_DIR: named});
    assert.match(refused.stderr, /could not be cached \(.*my-cache can be written by other users \(mode 0777\): chmod 700 it/);
    assert.equal(statSync(named).mode & 0o777, 0o777, `not chmodded`);
    assert.deepEqual(readdirSync(named), []);
    // Readable by others only (the umask's 0755): used as it is, each file 0600.
    chmodSync(named, 0o755);
    const kept = await run([`env`, sts.code], {AWSMFA_CACHE_DIR: named});
    assert.doesNotMatch(kept.stderr, /warning/);
    assert.equal(statSync(named).mode & 0o777, 0o755);
    assert.equal(statSync(join(named, sessionName())).mode & 0o777, 0o600);
    assert.equal(keyIdOf(await run([`env`], {AWSMFA_CACHE_DIR: named})), keyIdOf(kept));
  });

  test(`a FIFO or a folder where a cache file should be: no hang, the cache is just not used`, async () => {
    mkdirSync(root, {recursive: true, mode: 0o700});
    spawnSync(`mkfifo`, [join(root, sessionName())]);
    const started = Date.now();
    const result = await run([`env`, `--verbose`], {});
    assert.equal(result.exitCode, 2, result.stderr);
    assert.match(result.stderr, /ignoring the cached session .*: it is not a private file of this user/);
    assert.ok(Date.now() - started < scaled(10_000, 25_000));
    assert.equal((await run([`clear`])).exitCode, 0);
    assert.ok(lstatSync(join(root, sessionName())).isFIFO(), `not awsmfa's to delete`);
  });
});

describe(`temporary files`, () => {
  /** A temporary file as a killed writer leaves it: the whole session in it. */
  function plantTemp(folder: string, final: string, pid: number, ageMs = 0): string {
    mkdirSync(folder, {recursive: true, mode: 0o700});
    const temp = join(folder, `${final}.${pid}.${ageMs > 0 ? `o1dw41t3` : `k1ll3dxx`}.tmp`);
    writeFileSync(temp, `{"credentials": {"secretAccessKey": "a whole session"}}\n`, {mode: 0o600});
    if (ageMs > 0)
      utimesSync(temp, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
    return temp;
  }

  for (const how of [`clear`, `the next write`] as const) {
    test(`stale ones (their writer gone, or a minute old) are removed by ${how}; a live writer's and anything else are kept`, async () => {
      const stale = [
        plantTemp(root, sessionName(), deadPid()),
        plantTemp(root, `device-0123456789abcdef.json`, deadPid()),
        plantTemp(root, sessionName(), process.pid, 120_000),
        plantTemp(join(root, `profiles`), `default.env`, deadPid()),
        plantTemp(join(root, `index`), `0123456789abcdef.json`, deadPid()),
      ];
      const kept = [
        plantTemp(root, sessionName(), process.pid),
        plantTemp(root, `notes.txt`, deadPid()),
        plantTemp(join(root, `profiles`), `default`, deadPid()),
        join(root, `${sessionName()}.${deadPid()}.abc.tmp`),
      ];
      writeFileSync(kept.at(-1)!, `not of awsmfa's shape\n`, {mode: 0o600});
      // A link of a temporary file's shape: not a file of awsmfa's, and what it points to stays.
      const canary = makeCanary();
      const before = snapshot(canary);
      const link = join(root, `${sessionName()}.${deadPid()}.abcdefgh.tmp`);
      symlinkSync(join(canary, `notes.txt`), link);
      if (how === `clear`) {
        const result = await run([`clear`]);
        assert.equal(result.exitCode, 0, result.stderr);
      } else {
        const result = await run([`env`, `--shell`, `bash`, sts.code]);
        assert.equal(result.exitCode, 0, result.stderr);
        // The cached path writes the index (and the profile file when it changed).
        assert.equal(keyIdOf(await run([`env`, `--shell`, `bash`])), keyIdOf(result));
      }
      for (const file of stale)
        assert.equal(existsSync(file), false, file);
      for (const file of kept)
        assert.ok(existsSync(file), file);
      assert.ok(lstatSync(link).isSymbolicLink());
      assert.equal(snapshot(canary), before);
    });
  }

  test(`the very file a write leaves when killed before its rename (caught mid-write) is removed by clear once stale`, async () => {
    mkdirSync(root, {recursive: true, mode: 0o700});
    const keep = mkdtempSync(join(sandbox.home, `caught-`));
    let caught = ``;
    // Between its write and its rename, as a SIGKILL there would leave it: the temporary file, copied aside.
    writePrivateFile(join(root, sessionName()), `{"a whole": "session"}\n`, () => {
      caught = readdirSync(root).find(name => name.endsWith(`.tmp`))!;
      linkSync(join(root, caught), join(keep, caught));
    });
    assert.match(caught, new RegExp(`^${sessionName().replace(/\./g, `\\.`)}\\.${process.pid}\\.[0-9a-z]{8}\\.tmp$`));
    renameSync(join(keep, caught), join(root, caught));
    // This test's process is alive: only age makes its file stale.
    assert.equal((await run([`clear`])).exitCode, 0);
    assert.ok(existsSync(join(root, caught)), `a live writer's fresh file stays`);
    utimesSync(join(root, caught), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    assert.equal((await run([`clear`])).exitCode, 0);
    assert.equal(existsSync(join(root, caught)), false);
  });

  test(`the loader removes only the code caches of the same bundle's earlier builds (fast-*.bin for fast.cjs), nothing else in v8/`, async () => {
    const v8 = join(root, `v8`);
    mkdirSync(v8, {recursive: true, mode: 0o700});
    // Another bundle's cache (main.js's, sts.cjs's) is that bundle's to replace, when it runs.
    const others = [`notes.txt`, `fast-notes.txt`, `fast-old.bin.bak`, `session-0123456789abcdef.json`, `main-v18.0.0-x64-1-2-3.bin`, `sts-v18.0.0-x64-1-2-3.bin`];
    for (const name of [...others, `fast-v18.0.0-x64-1-2-3.bin`])
      writeFileSync(join(v8, name), `x`, {mode: 0o600});
    assert.equal((await run([`unset`, `--shell`, `bash`])).exitCode, 0);
    const names = readdirSync(v8).sort();
    assert.deepEqual(names.filter(name => !others.includes(name)).map(name => /^fast-v\d+\.\d+\.\d+-\w+-\d+-\d+-\d+\.bin$/.test(name)), [true], names.join(` `));
    assert.ok(!names.includes(`fast-v18.0.0-x64-1-2-3.bin`), `an earlier bundle's cache is removed`);
    for (const name of others)
      assert.ok(names.includes(name), name);
  });

  test(`login removes a killed writer's temporary file of the credentials file, and nothing that only looks like one`, async () => {
    const aws = sandbox.awsDir;
    const orphan = join(aws, `credentials.${deadPid()}.k1ll3dxx.tmp`);
    const lockOrphan = join(aws, `credentials.lock.${deadPid()}.k1ll3dxx.tmp`);
    const lookalikes = [`credentials.2023.bak`, `credentials.1.old`, `credentials-old.${deadPid()}.k1ll3dxx.tmp`, `credentials.${deadPid()}.abc`, `credentials.${deadPid()}.abcdefgh.tmp.keep`];
    for (const name of [basename(orphan), basename(lockOrphan), ...lookalikes])
      writeFileSync(join(aws, name), `x`, {mode: 0o600});
    const result = await run([`login`, `-u`, `folders-mfa`, sts.code]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(existsSync(orphan), false);
    assert.equal(existsSync(lockOrphan), false);
    for (const name of lookalikes)
      assert.ok(existsSync(join(aws, name)), name);
  });
});

/** Runs the built CLI as uid 65534 (setpriv), as a user who is not root would. */
function runAsNobody(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise(resolve => {
    const child = spawn(`setpriv`, [`--reuid=65534`, `--regid=65534`, `--clear-groups`, forNobody().node, forNobody().bin, ...args], {env, detached: true, stdio: [`ignore`, `pipe`, `pipe`]});
    let stdout = ``;
    let stderr = ``;
    child.stdout.setEncoding(`utf8`).on(`data`, chunk => stdout += chunk);
    child.stderr.setEncoding(`utf8`).on(`data`, chunk => stderr += chunk);
    child.on(`close`, exitCode => resolve({exitCode, stdout, stderr}));
  });
}

describe(`a user who is not root`, {skip: needsRoot}, () => {
  test(`links to the user's Documents at v8/ and profiles/, and another user's link as the cache root: Documents untouched`, async () => {
    const documents = join(sandbox.home, `Documents`);
    mkdirSync(documents, {mode: 0o755});
    for (const name of [`default.env`, `fast-v20.0.0-x64-1-2-3.bin`, `report.txt`])
      writeFileSync(join(documents, name), `mine: ${name}\n`, {mode: 0o644});
    mkdirSync(root, {recursive: true, mode: 0o700});
    symlinkSync(documents, join(root, `v8`));
    symlinkSync(documents, join(root, `profiles`));
    spawnSync(`chown`, [`-hR`, `${NOBODY}:${NOBODY}`, sandbox.home]);
    const before = snapshot(documents);
    const env = sandbox.env;
    const fresh = await runAsNobody([`env`, `--shell`, `bash`, sts.code], env);
    assert.equal(fresh.exitCode, 0, fresh.stderr);
    assert.equal(keyIdOf(await runAsNobody([`env`, `--shell`, `bash`], env)), keyIdOf(fresh));
    assert.equal((await runAsNobody([`unset`, `--shell`, `bash`], env)).exitCode, 0);
    assert.match((await runAsNobody([`clear`], env)).stderr, /but .*\/(v8|profiles) is a symbolic link/);
    assert.equal(snapshot(documents), before);

    // Root (here: another user) plants the cache root of a shared AWSMFA_CACHE_DIR as a link to the victim's files.
    const shared = mkdtempSync(join(tmpdir(), `awsmfa-shared-`));
    after(() => rmSync(shared, {recursive: true, force: true}));
    chmodSync(shared, 0o1777);
    symlinkSync(documents, join(shared, `cache`));
    const planted = {...env, AWSMFA_CACHE_DIR: join(shared, `cache`)};
    const refused = await runAsNobody([`env`, `--shell`, `bash`, sts.code], planted);
    assert.equal(refused.exitCode, 0, refused.stderr);
    assert.match(refused.stderr, /could not be cached \(.*cache is a symbolic link/);
    assert.equal((await runAsNobody([`unset`, `--shell`, `bash`], planted)).exitCode, 0);
    assert.equal(snapshot(documents), before);
  });

  test(`root running for the user (sudo -E) still caches, in folders it gives to the user`, async () => {
    spawnSync(`chown`, [`-R`, `${NOBODY}:${NOBODY}`, sandbox.home]);
    const fresh = await run([`env`, `--shell`, `bash`, sts.code]);
    assert.doesNotMatch(fresh.stderr, /warning/);
    assert.equal(keyIdOf(await run([`env`, `--shell`, `bash`])), keyIdOf(fresh));
    for (const level of [sandbox.cacheDir, root, join(root, `profiles`), join(root, `index`), join(root, `v8`)]) {
      assert.equal(statSync(level).uid, NOBODY, level);
      if (level !== sandbox.cacheDir)
        assert.equal(statSync(level).mode & 0o777, 0o700, level);
    }
  });
});
