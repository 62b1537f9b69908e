/**
 * The two file formats, read back by what reads them: `--shell dotenv` by python-dotenv itself, `--shell env-file`
 * by a reader that follows `docker run --env-file`'s documented rules (and docker/cli's parseKeyValueFile). Seeded
 * hostile values: each one a format prints reads back exactly, each one it refuses gets the format's one line.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {findDialect} from '../src/dialects/index.js';
import {CASES, hostileValues, SEED} from './support/hostile.js';
import {assertFails, runAwsmfa} from './support/run.js';
import {ALICE} from './support/sts-server.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';

useStandIn();

/**
 * `docker run --env-file` as documented (https://docs.docker.com/reference/cli/docker/container/run/#env): one
 * `VAR=value` a line, leading whitespace dropped, empty lines and lines starting with `#` ignored, the value is
 * everything after the first `=` (no quotes, no escapes, no expansion, no line continues); a byte order mark at
 * the start of the file goes; a name with whitespace in it is an error.
 */
function readDockerEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  text.replace(/^\uFEFF/, ``).split(`\n`).forEach((raw, index) => {
    const line = raw.replace(/\r$/, ``).replace(/^\s+/, ``);
    if (line === `` || line.startsWith(`#`))
      return;
    const at = line.indexOf(`=`);
    assert.notEqual(at, -1, `line ${index + 1} takes its value from the environment: awsmfa never writes one`);
    const name = line.slice(0, at);
    assert.doesNotMatch(name, /\s/, `docker refuses a name with whitespace (line ${index + 1})`);
    values[name] = line.slice(at + 1);
  });
  return values;
}

/** python-dotenv's dotenv_values (its defaults, interpolation included) of the file, as JSON; undefined when absent. */
function pythonDotenv(file: string): Record<string, string> | string {
  const result = spawnSync(`python3`, [`-c`, `import json, sys, dotenv; print(json.dumps(dotenv.dotenv_values(sys.argv[1], encoding="utf-8")))`, file], {encoding: `utf8`});
  if (result.status !== 0)
    return result.stderr || String(result.error);
  return JSON.parse(result.stdout);
}

const dotenvMissing = (() => {
  const result = spawnSync(`python3`, [`-c`, `import dotenv`]);
  if (result.status === 0)
    return false;
  if (process.env.CI)
    throw new Error(`python-dotenv is not installed, and CI must run this test (see .ci/run)`);
  return `python-dotenv is not installed here (pip install python-dotenv; CI installs it)`;
})();

/** The hostile values split by what the format does with them: printed (with their variable names) or refused. */
function split(format: string): {printed: Array<[string, string]>, refused: number} {
  const dialect = findDialect(format)!;
  const printed: Array<[string, string]> = [];
  let refused = 0;
  // STS's own shapes first: a format must carry every session.
  const values = [`ASIAEXAMPLE0123456789`, `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY==`, `IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH`, `2026-11-24T06:15:00Z`, ``,
    ...hostileValues(SEED, CASES, `/tmp/awsmfa-never`, `C:\\awsmfa-never`)];
  values.forEach((value, index) => {
    const name = `V${index}`;
    try {
      const text = dialect.set([[name, value]]);
      assert.equal(text.split(`\n`).length, 2, `one line for ${JSON.stringify(value)}`);
      printed.push([name, value]);
    } catch (error) {
      assert.ok(index > 4, `a session value was refused: ${(error as Error).message}`);
      assert.match((error as Error).message, new RegExp(`^the value of ${name} holds .*(which the ${format} dialect cannot carry safely|awsmfa never prints control characters)`));
      refused++;
    }
  });
  return {printed, refused};
}

describe(`--shell dotenv is read back exactly by python-dotenv`, {skip: dotenvMissing}, () => {
  test(`seeded hostile values: printed ones read back exactly, the rest refused`, () => {
    const {printed, refused} = split(`dotenv`);
    assert.ok(printed.length > CASES / 10, `many values are carried (${printed.length} of ${CASES})`);
    assert.ok(refused > 0);
    const file = join(sandbox.home, `values.env`);
    writeFileSync(file, findDialect(`dotenv`)!.set(printed));
    assert.deepEqual(pythonDotenv(file), Object.fromEntries(printed));
  });

  test(`what python-dotenv would read otherwise is refused: a quote, a backslash, \${NAME}`, () => {
    for (const value of [`it's`, `a\\\\b`, `x\${HOME}y`])
      assert.throws(() => findDialect(`dotenv`)!.set([[`V`, value]]), /the value of V holds the character [\\'$], which the dotenv dialect cannot carry safely/);
  });

  test(`awsmfa env --shell dotenv: the session, as python-dotenv loads it`, async () => {
    const result = await runAwsmfa([`env`, `--shell`, `dotenv`, sts.code], sandbox.env);
    assert.equal(result.exitCode, 0, result.stderr);
    const file = join(sandbox.home, `session.env`);
    writeFileSync(file, result.stdout);
    const issued = sts.issued.at(-1)!;
    const read = pythonDotenv(file) as Record<string, string>;
    assert.equal(read.AWS_ACCESS_KEY_ID, issued.accessKeyId);
    assert.equal(read.AWS_SECRET_ACCESS_KEY, issued.secretAccessKey);
    assert.equal(read.AWS_SESSION_TOKEN, issued.sessionToken);
    assert.equal(read.AWS_REGION, `eu-west-1`);
  });
});

describe(`--shell env-file is read back exactly by docker's env-file rules`, () => {
  test(`the lines are unquoted NAME=value`, () => {
    assert.equal(findDialect(`env-file`)!.set([[`A`, `a b#c=d'e"`], [`B`, ``], [`C`, `ü😀`]]), `A=a b#c=d'e"\nB=\nC=ü😀\n`);
    assert.throws(() => findDialect(`env-file`)!.unset([`A`]), /the env-file format cannot unset variables/);
  });

  test(`seeded hostile values: printed ones read back exactly, the rest refused`, () => {
    const {printed, refused} = split(`env-file`);
    assert.ok(printed.length > CASES / 10, `many values are carried (${printed.length} of ${CASES})`);
    assert.ok(refused > 0);
    assert.deepEqual(readDockerEnvFile(findDialect(`env-file`)!.set(printed)), Object.fromEntries(printed));
  });

  test(`what systemd's EnvironmentFile would read otherwise is refused, naming it`, () => {
    const refusals: Array<[string, RegExp]> = [
      [`a\\b`, /the character \\/], [`$HOME`, /the character \$/], [`'quoted'`, /a quote at its start/], [`"x`, /a quote at its start/],
      [` lead`, /a space at its start or end/], [`trail `, /a space at its start or end/], [`\uFEFFbom`, /U\+FEFF/], [`x\uFFFF`, /U\+FFFF/], [`x\uD800`, /U\+D800/],
    ];
    for (const [value, message] of refusals) {
      assert.throws(() => findDialect(`env-file`)!.set([[`V`, value]]), error => {
        assert.match((error as Error).message, /the value of V holds .*, which the env-file dialect cannot carry safely/);
        assert.match((error as Error).message, message);
        return true;
      });
    }
  });

  test(`awsmfa env --shell env-file: the session without quotes; a value it cannot carry is one line and no output`, async () => {
    const result = await runAwsmfa([`env`, `--shell`, `env-file`, sts.code], sandbox.env);
    assert.equal(result.exitCode, 0, result.stderr);
    const issued = sts.issued.at(-1)!;
    const read = readDockerEnvFile(result.stdout);
    assert.equal(read.AWS_ACCESS_KEY_ID, issued.accessKeyId);
    assert.equal(read.AWS_SECRET_ACCESS_KEY, issued.secretAccessKey);
    assert.equal(read.AWS_SESSION_TOKEN, issued.sessionToken);
    assert.equal(read.AWSMFA_PROFILE, `default`);
    assert.doesNotMatch(result.stdout, /'/);
    // A profile name (exported as AWSMFA_PROFILE) that systemd would expand: refused before a code is spent.
    sandbox.writeCredentials(`[pro$file]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    sandbox.writeConfig(`[profile pro$file]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n`);
    sts.code = `246810`;
    const calls = sts.issued.length;
    assertFails(await runAwsmfa([`env`, `--shell`, `env-file`, `--profile`, `pro$file`, sts.code], sandbox.env), 2, /^awsmfa: the value of AWSMFA_PROFILE holds the character \$, which the env-file dialect cannot carry safely/);
    assert.equal(sts.issued.length, calls, `no session was asked for`);
  });
});
