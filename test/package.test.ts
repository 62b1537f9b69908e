/**
 * The package as npm ships it: the Node versions it promises (20, 22 and 24) are the ones every locked dependency
 * accepts, and no install can pull an AWS SDK release that drops one of them; the tarball holds what a user needs
 * and nothing else; and both ways to install it on a fresh machine (the tarball, a clone's folder) give an
 * `awsmfa` on PATH that works.
 */
import {shellFiles} from '../scripts/render-shell.js';
import assert from 'node:assert/strict';
import {execFile, spawnSync} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import * as t from 'typanion';
import {ROOT} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';

const SUPPORTED_NODES = [`20.0.0`, `22.0.0`, `24.0.0`];
/**
 * The AWS SDK for JavaScript v3 says (its NodeVersionSupportWarning, @aws-sdk/core) that its versions published after
 * the first week of January 2027 need Node >= 22. It publishes about one minor version every two days (3.939 on
 * 2025-11-25, 3.962 on 2026-01-02 over the holidays; 3.1177 on 2026-11-24), so 3.1190 comes in mid-December 2026 at
 * that pace and before the cut-off at half of it.
 */
const FIRST_SDK_RELEASE_THAT_MAY_DROP_NODE_20 = `3.1190.0`;

const isManifest = t.isPartial({
  engines: t.isOptional(t.isPartial({node: t.isOptional(t.isString())})),
  dependencies: t.isOptional(t.isRecord(t.isString())),
  devDependencies: t.isOptional(t.isRecord(t.isString())),
});
const isShrinkwrap = t.isPartial({
  packages: t.isRecord(t.isPartial({version: t.isOptional(t.isString()), engines: t.isOptional(t.isUnknown())})),
});

function readJson<T>(file: string, validator: t.StrictValidator<unknown, T>): T {
  const value: unknown = JSON.parse(readFileSync(join(ROOT, file), `utf8`));
  const errors: string[] = [];
  assert.ok(validator(value, {errors}), `${file}: ${errors.join(`; `)}`);
  return value;
}

/** `version` as numbers; a range's partial version (`>=20`, `^18`) fills the rest with 0. */
function parts(version: string): number[] {
  const numbers = version.replace(/^v/, ``).split(`-`)[0]!.split(`.`).map(Number);
  assert.ok(numbers.length <= 3 && numbers.every(Number.isInteger), `not a version: ${version}`);
  return [...numbers, 0, 0, 0].slice(0, 3);
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++)
    if (a[i] !== b[i])
      return a[i]! - b[i]!;
  return 0;
}

/** npm's range grammar as engines and dependencies here use it: `||` of comparator sets (>=, >, <=, <, =, ^, ~). */
export function satisfies(version: string, range: string): boolean {
  const v = parts(version);
  return range.split(`||`).some(set => set.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, `$1`).split(/\s+/).every(comparator => {
    const [, op = ``, bound = ``] = /^(>=|<=|>|<|=|\^|~)?(.+)$/.exec(comparator)!;
    const b = parts(bound);
    const c = compare(v, b);
    switch (op) {
      case `>=`: return c >= 0;
      case `>`: return c > 0;
      case `<=`: return c <= 0;
      case `<`: return c < 0;
      // ^1.2.3 and ~1.2.3 as npm reads them for the majors above 0 used here.
      case `^`: return c >= 0 && v[0] === b[0];
      case `~`: return c >= 0 && v[0] === b[0] && v[1] === b[1];
      default: return bound.split(`.`).length === 3 ? c === 0 : v[0] === b[0] && (bound.split(`.`).length === 1 || v[1] === b[1]);
    }
  }));
}

describe(`supported Node versions`, () => {
  test(`the range reader agrees with npm on the shapes the manifests use`, () => {
    assert.equal(satisfies(`20.0.0`, `>=20`), true);
    assert.equal(satisfies(`18.19.0`, `>=20`), false);
    assert.equal(satisfies(`22.1.0`, `^18 || ^20 || >= 21`), true);
    assert.equal(satisfies(`19.0.0`, `^18 || ^20 || >= 21`), false);
    assert.equal(satisfies(`3.1189.0`, `>=3.1173.0 <3.1190.0`), true);
    assert.equal(satisfies(`3.1190.0`, `>=3.1173.0 <3.1190.0`), false);
    assert.equal(satisfies(`3.1300.0`, `^3.1173.0`), true);
    assert.equal(satisfies(`14.17.0`, `>=14.17`), true);
  });

  test(`package.json promises Node 20, 22 and 24, and the README says so`, () => {
    const manifest = readJson(`package.json`, isManifest);
    for (const node of SUPPORTED_NODES)
      assert.ok(satisfies(node, manifest.engines?.node ?? ``), `engines.node (${manifest.engines?.node}) refuses ${node}`);
    assert.equal(satisfies(`18.20.0`, manifest.engines?.node ?? ``), false, `engines.node admits Node 18, which is not tested`);
    assert.match(readFileSync(join(ROOT, `README.md`), `utf8`), /Node\.js 20, 22 and 24/);
  });

  test(`every package the shrinkwrap installs, the tools of the tests included, accepts Node 20, 22 and 24`, () => {
    const {packages = {}} = readJson(`npm-shrinkwrap.json`, isShrinkwrap);
    assert.ok(Object.keys(packages).length > 50, `the shrinkwrap lists the whole tree`);
    const refused: string[] = [];
    for (const [path, entry] of Object.entries(packages)) {
      const engines = entry.engines;
      const range = t.isPartial({node: t.isOptional(t.isString())})(engines) ? engines.node : undefined;
      for (const node of range === undefined ? [] : SUPPORTED_NODES)
        if (!satisfies(node, range!))
          refused.push(`${path || `awsmfa`}@${entry.version} (node ${range}) refuses ${node}`);
    }
    assert.deepEqual(refused, []);
  });

  test(`each AWS SDK range stops before the releases that may need Node 22, and admits the locked version`, () => {
    const manifest = readJson(`package.json`, isManifest);
    const {packages = {}} = readJson(`npm-shrinkwrap.json`, isShrinkwrap);
    const ranges = Object.entries({...manifest.dependencies, ...manifest.devDependencies}).filter(([name]) => name.startsWith(`@aws-sdk/`));
    assert.ok(ranges.length >= 2, `the SDK clients are dependencies`);
    for (const [name, range] of ranges) {
      assert.equal(satisfies(FIRST_SDK_RELEASE_THAT_MAY_DROP_NODE_20, range), false, `${name}@${range} admits ${FIRST_SDK_RELEASE_THAT_MAY_DROP_NODE_20}`);
      const locked = packages[`node_modules/${name}`]?.version ?? `none`;
      assert.ok(satisfies(locked, range), `${name}: the shrinkwrap's ${locked} is outside ${range}`);
    }
  });
});

/** npm as a user runs it, under the Node that runs the tests (PATH), with the user's npm cache but nothing that the
 * `npm test` around us set to make it global or elsewhere. */
function npm(args: string[], cwd: string): string {
  return npmSaying(args, cwd, `error`).stdout;
}

/** npm at a log level of choice (`warn` is npm's own default, what a user sees): its stdout and stderr. */
function npmSaying(args: string[], cwd: string, loglevel: `error` | `warn`): {stdout: string, stderr: string} {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_(global|location|prefix|loglevel)$/i.test(name)));
  env.PATH = `${dirname(process.execPath)}:${env.PATH ?? `/usr/bin:/bin`}`;
  const result = spawnSync(`npm`, [...args, `--no-audit`, `--no-fund`, `--prefer-offline`, `--loglevel=${loglevel}`], {cwd, env, encoding: `utf8`, timeout: 240_000});
  assert.equal(result.status, 0, `npm ${args.join(` `)}: ${result.stderr}${result.error ?? ``}`);
  return {stdout: result.stdout, stderr: result.stderr};
}

/** The checkout's files as git would give them (tracked, and new ones not ignored), copied: no node_modules, no dist. */
function checkoutCopy(to: string): void {
  mkdirSync(to);
  const files = spawnSync(`git`, [`ls-files`, `-z`, `--cached`, `--others`, `--exclude-standard`], {cwd: ROOT, encoding: `utf8`}).stdout.split(`\0`).filter(Boolean);
  assert.ok(files.includes(`package.json`) && !files.some(file => /^(dist|node_modules)(\/|$)/.test(file)), files.join(` `));
  for (const file of files)
    if (existsSync(join(ROOT, file)))
      cpSync(join(ROOT, file), join(to, file), {recursive: true});
}

/** Runs the `awsmfa` that npm put in `prefix`/bin, by name from PATH, as a user's shell would. */
function awsmfaIn(prefix: string, args: string[], env: Record<string, string>): Promise<{exitCode: number, stdout: string, stderr: string}> {
  return new Promise(resolve => {
    const path = `${join(prefix, `bin`)}:${dirname(process.execPath)}:${env.PATH}`;
    execFile(`awsmfa`, args, {env: {...env, PATH: path}, timeout: 30_000}, (error, stdout, stderr) => {
      resolve({exitCode: error === null ? 0 : typeof error.code === `number` ? error.code : -1, stdout, stderr});
    });
  });
}

const manifest = readJson(`package.json`, t.isPartial({version: t.isString(), dependencies: t.isRecord(t.isString()), devDependencies: t.isRecord(t.isString())}));

/** `awsmfa --version` and one `env` against the stand-in, with the installed command. */
async function assertWorks(prefix: string) {
  const version = await awsmfaIn(prefix, [`--version`], sandbox.env);
  assert.deepEqual(version, {exitCode: 0, stdout: `${manifest.version}\n`, stderr: ``});
  const env = await awsmfaIn(prefix, [`env`, `--shell`, `bash`, sts.code], sandbox.env);
  assert.equal(env.exitCode, 0, env.stderr);
  assert.match(env.stdout, new RegExp(`^export AWS_ACCESS_KEY_ID='${sts.issued.at(-1)!.accessKeyId}'$`, `m`));
}

/** Every package.json under `folder`/node_modules, as name@version -> its engines.node. */
function installedEngines(folder: string): Map<string, string | undefined> {
  const found = new Map<string, string | undefined>();
  const visit = (modules: string) => {
    for (const name of existsSync(modules) ? readdirSync(modules) : []) {
      if (name.startsWith(`.`))
        continue;
      if (name.startsWith(`@`)) {
        visit(join(modules, name));
        continue;
      }
      const pkg = join(modules, name);
      const json: unknown = JSON.parse(readFileSync(join(pkg, `package.json`), `utf8`));
      if (t.isPartial({name: t.isString(), version: t.isString(), engines: t.isOptional(t.isPartial({node: t.isOptional(t.isString())}))})(json))
        found.set(`${json.name}@${json.version}`, json.engines?.node);
      visit(join(pkg, `node_modules`));
    }
  };
  visit(join(folder, `node_modules`));
  return found;
}

describe(`install`, () => {
  useStandIn();
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), `awsmfa-install-`));
  });
  after(() => rmSync(work, {recursive: true, force: true}));

  test(`the tarball holds the built CLI, the shell snippets, the shrinkwrap, README and LICENSE, and nothing else`, () => {
    // --ignore-scripts: `npm test` has just built dist/, and a rebuild here would change it under other tests.
    const [packed] = JSON.parse(npm([`pack`, `--dry-run`, `--json`, `--ignore-scripts`], ROOT)) as [{files: {path: string}[]}];
    const expected = [`LICENSE`, `README.md`, `dist/age.cjs`, `dist/awsmfa.cjs`, `dist/fast.cjs`, `dist/iam.cjs`, `dist/main.js`, `dist/package.json`, `dist/sts.cjs`, `npm-shrinkwrap.json`, `package.json`,
      ...shellFiles().map(name => `shell/${name}`)];
    assert.deepEqual(packed.files.map(file => file.path).sort(), expected.sort());
    assert.match(readFileSync(join(ROOT, `LICENSE`), `utf8`), /^MIT License\n\nCopyright \(c\) \d{4} the awsmfa authors\n/);
  });

  test(`npm install -g of the packed tarball: no install script (npm 11 warns of none), awsmfa --version and env work, with no devDependency installed`, async () => {
    // Packed as a maintainer packs it, scripts and all (prepack builds and leaves prepare out of the package's
    // package.json; postpack puts the checkout's back), in a copy: the build must not change dist/ under other tests.
    const checkout = join(work, `checkout`);
    checkoutCopy(checkout);
    symlinkSync(join(ROOT, `node_modules`), join(checkout, `node_modules`));
    const before = readFileSync(join(checkout, `package.json`));
    const [packed] = JSON.parse(npm([`pack`, `--json`, `--pack-destination`, work], checkout)) as [{filename: string}];
    assert.deepEqual(readFileSync(join(checkout, `package.json`)), before, `the checkout's package.json is as it was, its prepare kept`);
    assert.ok(!existsSync(join(checkout, `package.json.packing`)));
    const shipped = JSON.parse(spawnSync(`tar`, [`-xzOf`, join(work, packed.filename), `package/package.json`], {encoding: `utf8`}).stdout) as {scripts?: Record<string, string>};
    assert.deepEqual(Object.keys(shipped.scripts ?? {}).filter(name => /^(pre|post)?install$|^prepare$/.test(name)), [], `no script npm runs at install`);
    assert.equal(JSON.parse(before.toString()).scripts.prepare, `node scripts/prepare.mjs`, `a clone still builds through prepare`);
    const prefix = join(work, `from-tarball`);
    const install = npmSaying([`install`, `-g`, `--prefix`, prefix, join(work, packed.filename)], work, `warn`);
    assert.doesNotMatch(install.stderr, /install.?script|allowScripts|allow-scripts/i, `no install-script warning: ${install.stderr}`);
    await assertWorks(prefix);
    const installed = [...installedEngines(join(prefix, `lib`, `node_modules`, `awsmfa`))];
    for (const name of Object.keys(manifest.devDependencies ?? {}))
      assert.ok(!installed.some(([id]) => id.startsWith(`${name}@`)), `the devDependency ${name} was installed`);
    for (const name of Object.keys(manifest.dependencies ?? {}))
      assert.ok(installed.some(([id]) => id.startsWith(`${name}@`)), `the dependency ${name} is missing`);
    const refused = installed.flatMap(([id, range]) => SUPPORTED_NODES.filter(node => range !== undefined && !satisfies(node, range)).map(node => `${id} (node ${range}) refuses ${node}`));
    assert.deepEqual(refused, []);
  });

  test(`npm install -g of a fresh clone's folder (no node_modules, no dist): it installs the locked tree and builds`, async () => {
    const clone = join(work, `clone`);
    checkoutCopy(clone);
    const prefix = join(work, `from-clone`);
    npm([`install`, `-g`, `--prefix`, prefix, clone], work);
    await assertWorks(prefix);
  });
});
