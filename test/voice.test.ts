/**
 * One voice (issue 27, item 6): every line that shows a session's time left shows it in one format (`11h 42m`), be
 * it mfa's served line printed by bash's builtins, env, status, exec, profiles, login, whoami, clear or the prompt;
 * times are local, with the date when it is not today; ISO 8601 only where programs read (--json, the variables,
 * the files). Run in a time zone of its own, so that a UTC time passed off as local would show.
 */
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {ROOT} from './support/run.js';
import {runScript, skipUnlessShell} from './support/shells.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ALICE} from './support/sts-server.js';
import {localText, spanBetween} from './support/time.js';

const {run} = useStandIn();

/** +05:45 all year: neither UTC nor a whole hour away from it. */
const TZ = `Asia/Kathmandu`;
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d/;

test(`a session's time left and end read the same on every surface, in local time; ISO 8601 only for programs`, {skip: skipUnlessShell(`bash`)}, async () => {
  // 36 hours: the end is another day wherever the test runs, so the date is said; a plain profile's session, so
  // that bash's own mfa serves it.
  sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\nduration_seconds = 129600\n`);
  const env = {...awsmfaOnPath(sandbox), TZ};
  const start = Date.now();
  const fresh = await run([`env`, `--shell`, `bash`, sts.code], {TZ});
  assert.equal(fresh.exitCode, 0, fresh.stderr);
  const issued = sts.issued.at(-1)!;
  const end = issued.expiration;
  const local = localText(end, TZ);
  assert.match(local, /^\d{4}-\d\d-\d\d \d\d:\d\d$/, `a day that is not today has its date`);
  const until = `until ${local} local`;
  // Every check takes the span as it may read between the session's start and now.
  const span = () => spanBetween(end, start, Date.now());
  const iso = end.toISOString().replace(`.000Z`, `Z`);

  assert.match(fresh.stderr, new RegExp(`^awsmfa: new session for ${ALICE.serialNumber}, valid for ${span()}, ${until}\\n$`));
  // The variables are for programs: ISO 8601, UTC.
  assert.match(fresh.stdout, new RegExp(`^export AWS_CREDENTIAL_EXPIRATION='${iso}'$`, `m`));

  const cached = await run([`env`, `--shell`, `bash`], {TZ});
  assert.match(cached.stderr, new RegExp(`^awsmfa: cached session of profile 'default', valid for ${span()}, ${until} \\(--force asks STS for a new one\\)\\n$`));
  const served = await run([`env`, `--mfa-shell`, `bash`], {TZ});
  assert.match(served.stderr, new RegExp(`^awsmfa: default: cached session, ${span()} left\\n$`));

  // bash's mfa prints the same from its builtins (no node), and mfa-prompt the same span.
  const bash = await runScript(`bash`, [`source '${join(ROOT, `shell`, `awsmfa.bash`)}'`, `mfa`, `mfa-prompt`, ``].join(`\n`), env);
  assert.equal(bash.status, 0, bash.stderr);
  assert.match(bash.stderr, new RegExp(`^awsmfa: default: cached session, ${span()} left\\n$`));
  assert.match(bash.stdout, new RegExp(`^\\[aws ${span()}\\] $`));

  const status = await run([`status`], {TZ});
  assert.match(status.stdout, new RegExp(`^cached for profile 'default': ${issued.accessKeyId}, valid for ${span()}, ${until}$`, `m`));
  assert.match((await run([`status`, `--short`], {TZ})).stdout, new RegExp(`^${span()}\\n$`));
  assert.equal(JSON.parse((await run([`status`, `--json`], {TZ})).stdout).cache.expiration, iso);

  const profiles = await run([`profiles`], {TZ});
  assert.match(profiles.stdout, new RegExp(`^default .* ${span()} left$`, `m`));
  assert.equal(JSON.parse((await run([`profiles`, `--json`], {TZ})).stdout)[0].session.expiration, iso);

  // exec's own shell says which session it has, and for how long.
  const shell = join(sandbox.home, `my-shell`);
  writeFileSync(shell, `#!/bin/sh\nexit 0\n`, {mode: 0o755});
  const exec = await run([`exec`], {TZ, SHELL: shell});
  assert.match(exec.stderr, new RegExp(`^awsmfa: starting ${shell} with the cached session of profile 'default' \\(valid for ${span()}, ${until}\\); exit it to leave the session\\n$`));

  const session = {AWS_ACCESS_KEY_ID: issued.accessKeyId, AWS_SECRET_ACCESS_KEY: issued.secretAccessKey, AWS_SESSION_TOKEN: issued.sessionToken, AWS_CREDENTIAL_EXPIRATION: iso, AWSMFA_PROFILE: `default`};
  const whoami = await run([`whoami`], {TZ, ...session});
  assert.match(whoami.stdout, new RegExp(`, valid for ${span()}, ${until}\\n$`));

  const login = await run([`login`, `--update-profile`, `work-mfa`], {TZ});
  assert.equal(login.exitCode, 0, login.stderr);
  assert.match(login.stderr, new RegExp(`^Credentials valid for ${span()}, ${until}$`, `m`));

  const clear = await run([`clear`], {TZ});
  assert.match(clear.stderr, new RegExp(`^  profile 'default': MFA session of ${ALICE.serialNumber} \\(${span()} left\\)$`, `m`));

  // No line for a person shows an ISO 8601 time.
  for (const [what, text] of Object.entries({fresh: fresh.stderr, cached: cached.stderr, served: served.stderr, status: status.stdout, profiles: profiles.stdout, exec: exec.stderr, whoami: whoami.stdout, login: login.stderr, clear: clear.stderr}))
    assert.doesNotMatch(text, ISO, what);
});

test(`a session that ends today says the time alone; one that has ended says when`, async () => {
  // Whatever the hour here, a 15-minute session's end is today or, just before midnight, tomorrow: the test says
  // which, on its own, and awsmfa must agree.
  const start = Date.now();
  const fresh = await run([`env`, `--shell`, `bash`, `-d`, `15m`, sts.code], {TZ});
  assert.equal(fresh.exitCode, 0, fresh.stderr);
  const end = sts.issued.at(-1)!.expiration;
  assert.match(fresh.stderr, new RegExp(`valid for ${spanBetween(end, start, Date.now())}, until ${localText(end, TZ)} local\\n$`));
  const expired = await run([`status`], {TZ, AWS_ACCESS_KEY_ID: `ASIAAAAAAAAAAAAAAAAA`, AWS_SESSION_TOKEN: `t`, AWS_CREDENTIAL_EXPIRATION: `2020-01-01T00:00:00Z`});
  assert.match(expired.stdout, /^environment: ASIAAAAAAAAAAAAAAAAA, expired at 2020-01-01 05:45 local$/m);
});
