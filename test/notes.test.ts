/**
 * The context's notes (src/context.ts): every line for the person is `awsmfa: ...` on stderr; what was done
 * (info) is left out with AWSMFA_QUIET=1, warnings and errors never are; --verbose adds the steps; a command's
 * result is on stdout.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {assertFailureOutput} from './support/run.js';
import {sts, useStandIn} from './support/stand-in.js';

const {run, secrets} = useStandIn();

test(`what was done is said on stderr, and left out with AWSMFA_QUIET=1`, async () => {
  const said = await run([`clear`]);
  assert.deepEqual([said.exitCode, said.stdout, said.stderr], [0, ``, `awsmfa: no cached session to delete\n`]);
  const quiet = await run([`clear`], {AWSMFA_QUIET: `1`});
  assert.deepEqual([quiet.exitCode, quiet.stdout, quiet.stderr], [0, ``, ``]);
  // Only `1` quiets, as documented: another value is no switch.
  const other = await run([`clear`], {AWSMFA_QUIET: `yes`});
  assert.equal(other.stderr, `awsmfa: no cached session to delete\n`);
});

test(`errors and warnings are not quieted`, async () => {
  const failed = await run([`env`, `--shell`, `bash`, `--profile`, `nowhere`], {AWSMFA_QUIET: `1`});
  assert.equal(failed.exitCode, 2);
  assertFailureOutput(failed);
  assert.match(failed.stderr, /^awsmfa: profile 'nowhere' is not in .* nor .* \(check --profile \/ AWS_PROFILE\)\n$/);
  const unknown = await run([`clear`, `--profle`, `x`], {AWSMFA_QUIET: `1`});
  assert.equal(unknown.exitCode, 2);
  assert.match(unknown.stderr, /^awsmfa: unknown option "--profle" for awsmfa clear; did you mean --profile\?/);
});

test(`--verbose explains the steps as awsmfa: lines on stderr; the result alone is on stdout`, async () => {
  const plain = await run([`env`, `--shell`, `bash`, sts.code]);
  assert.equal(plain.exitCode, 0, plain.stderr);
  assert.doesNotMatch(plain.stderr, /GetSessionToken at/);
  const cached = await run([`status`, `--verbose`]);
  assert.equal(cached.exitCode, 0, cached.stderr);
  assert.match(cached.stdout, /^cached for profile 'default': ASIA\w+, /m);
  for (const line of cached.stderr.split(`\n`).filter(Boolean))
    assert.match(line, /^awsmfa: /);
  for (const secret of secrets())
    assert.ok(!`${plain.stderr}${cached.stdout}${cached.stderr}`.includes(secret), `a secret leaked`);
  const steps = await run([`env`, `--shell`, `bash`, `--verbose`]);
  assert.equal(steps.exitCode, 0, steps.stderr);
  assert.match(steps.stderr, /^awsmfa: using the cached session ASIA\w+ from .*, .* left$/m);
  assert.match(steps.stdout, /^export AWS_ACCESS_KEY_ID='ASIA/m);
});
