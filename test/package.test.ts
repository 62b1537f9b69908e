/**
 * The package as npm ships it: the Node versions it promises (20, 22 and 24) are the ones every locked dependency
 * accepts, and no install can pull an AWS SDK release that drops one of them.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import * as t from 'typanion';
import {ROOT} from './support/run.js';

const SUPPORTED_NODES = [`20.0.0`, `22.0.0`, `24.0.0`];
/**
 * The AWS SDK for JavaScript v3 announced that its releases after January 2027 need Node >= 22. It publishes about
 * one minor version every two days (3.939 on 2025-11-25, 3.975 at the end of January 2026; 3.1177 on 2026-11-24), so
 * 3.1200 comes around mid-January 2027 at that pace and still before February at half of it.
 */
const FIRST_SDK_RELEASE_THAT_MAY_DROP_NODE_20 = `3.1200.0`;

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
    assert.equal(satisfies(`3.1199.0`, `>=3.1173.0 <3.1200.0`), true);
    assert.equal(satisfies(`3.1200.0`, `>=3.1173.0 <3.1200.0`), false);
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
