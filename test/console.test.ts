/**
 * `awsmfa console` against the STS stand-in and a stand-in federation endpoint that takes only sessions the STS
 * stand-in handed out, of the kinds AWS's sign-in takes (AssumeRole, GetFederationToken).
 */
import assert from 'node:assert/strict';
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {once} from 'node:events';
import {createServer, type AddressInfo} from 'node:net';
import {after, before, test} from 'node:test';
import {consoleHome, partitionOf} from '../src/aws/signin.js';
import {FederationServer} from './support/federation-server.js';
import {assertFails, runAwsmfa} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ADMIN_ROLE, ALICE} from './support/sts-server.js';
import {scaled} from './support/timing.js';

useStandIn();
let federation: FederationServer;
before(async () => {
  federation = await new FederationServer(() => sts).start();
});
after(() => federation.close());

const withRole = () => {
  sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n\n[profile admin]\nrole_arn = ${ADMIN_ROLE}\nsource_profile = default\nmfa_serial = ${ALICE.serialNumber}\nregion = eu-west-1\n`);
  federation.requests.length = 0;
  federation.raw = undefined;
  return {...sandbox.env, AWS_ENDPOINT_URL_SIGNIN: federation.url} as Record<string, string>;
};

/** Opens the sign-in URL as a browser would: the stand-in says who it signs in. */
async function signIn(url: string): Promise<string> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `the federation endpoint accepts the URL`);
  return await response.text();
}

test(`console --print for a role profile: a URL the federation endpoint accepts, for the role's session`, async () => {
  const env = withRole();
  const result = await runAwsmfa([`console`, `--profile`, `admin`, `--print`, `--code`, sts.code], env);
  assert.equal(result.exitCode, 0, result.stderr);
  const url = result.stdout.trimEnd();
  assert.equal(result.stdout.split(`\n`).length, 2, `one line`);
  assert.ok(url.startsWith(`${federation.url}/federation?Action=login&`), url);
  assert.equal(new URL(url).searchParams.get(`Destination`), `https://console.aws.amazon.com/console/home?region=eu-west-1`);
  assert.match(await signIn(url), /^signed in as arn:aws:sts::123456789012:assumed-role\/Admin\//);
  // The session handed over was the role's (the stand-in refuses any other), and the URL is nowhere but stdout.
  assert.deepEqual(sts.sessionRequests.map(record => record.action), [`GetSessionToken`, `AssumeRole`]);
  assert.ok(!result.stderr.includes(new URL(url).searchParams.get(`SigninToken`)!), `no token on stderr`);
  assert.ok(!result.stderr.includes(`federation?`), `no URL on stderr`);
});

test(`a second console of the role needs no code (the MFA session is cached) and lands where asked`, async () => {
  const env = withRole();
  assert.equal((await runAwsmfa([`env`, `--profile`, `admin`, `--code`, sts.code], env)).exitCode, 0);
  const result = await runAwsmfa([`console`, `--profile`, `admin`, `--print`, `--destination`, `https://console.aws.amazon.com/s3/home`], env);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(new URL(result.stdout.trim()).searchParams.get(`Destination`), `https://console.aws.amazon.com/s3/home`);
  assert.match(await signIn(result.stdout.trim()), /assumed-role\/Admin/);
});

test(`an IAM user without a role: refused, saying the federation token has no MFA, before any request`, async () => {
  const env = withRole();
  const result = await runAwsmfa([`console`, `--print`, `--code`, sts.code], env);
  assertFails(result, 2, /no role.*GetFederationToken.*NO MFA context.*--federation-token/);
  assert.deepEqual(sts.requests, []);
  assert.deepEqual(federation.requests, []);
});

test(`--federation-token: a federation token of the long-term keys, said to have no MFA, signs in`, async () => {
  const env = withRole();
  const result = await runAwsmfa([`console`, `--print`, `--federation-token`], env);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.match(result.stderr, /no MFA context/);
  const federationCalls = sts.requests.filter(record => record.action === `GetFederationToken`);
  assert.equal(federationCalls.length, 1);
  assert.equal(federationCalls[0]!.accessKeyId, ALICE.accessKeyId);
  assert.equal(federationCalls[0]!.params.TokenCode, undefined);
  // No SessionDuration with a federation token: AWS refuses one there.
  assert.equal(federation.requests.find(request => request.action === `getSigninToken`)!.params.SessionDuration, undefined);
  assert.match(await signIn(result.stdout.trim()), /federated-user\/awsmfa-default/);
  // The same from the profile's setting.
  sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\nawsmfa_console = federation-token\n`);
  const configured = await runAwsmfa([`console`, `--print`], env);
  assert.equal(configured.exitCode, 0, configured.stderr);
});

test(`without --print the browser gets a private page, never the URL on its command line`, async () => {
  const env = withRole();
  const bin = join(sandbox.home, `bin`);
  const seen = join(sandbox.home, `seen`);
  // A stand-in xdg-open: records its argv and what the page it was given holds, as a browser would read it.
  mkdirSync(bin);
  writeFileSync(join(bin, `xdg-open`), `#!/bin/sh\nprintf '%s\\n' "$@" > '${seen}.argv'\nstat -c %a "$1" > '${seen}.mode'\ncat "$1" > '${seen}.page'\n`, {mode: 0o755});
  const result = await runAwsmfa([`console`, `--profile`, `admin`, `--code`, sts.code], {...env, PATH: `${bin}:${env.PATH}`});
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout, ``);
  assert.match(result.stderr, /opened the console in your browser/);
  const argv = readFileSync(`${seen}.argv`, `utf8`);
  assert.doesNotMatch(argv, /SigninToken|federation/);
  assert.match(argv, /console-[0-9a-f]{16}\.html\n$/);
  assert.equal(readFileSync(`${seen}.mode`, `utf8`).trim(), `600`);
  const page = readFileSync(`${seen}.page`, `utf8`);
  const target = /content="0;url=([^"]+)"/.exec(page)![1]!.replace(/&#38;/g, `&`);
  assert.match(await signIn(target), /assumed-role\/Admin/);
  assert.ok(!result.stderr.includes(target));
  // The page is awsmfa's own, in its private cache folder.
  const pages = readdirSync(join(sandbox.cacheDir, `awsmfa`)).filter(name => name.startsWith(`console-`));
  assert.equal(pages.length, 1);
  assert.equal(statSync(join(sandbox.cacheDir, `awsmfa`, pages[0]!)).mode & 0o777, 0o600);
});

test(`an opener that stays (a browser started by xdg-open) does not keep awsmfa waiting`, async () => {
  const env = withRole();
  const bin = join(sandbox.home, `bin`);
  mkdirSync(bin);
  writeFileSync(join(bin, `xdg-open`), `#!/bin/sh\necho $$ > '${sandbox.home}/opener.pid'\nexec sleep 60\n`, {mode: 0o755});
  const started = Date.now();
  const result = await runAwsmfa([`console`, `--profile`, `admin`, `--code`, sts.code], {...env, PATH: `${bin}:${env.PATH}`});
  assert.equal(result.exitCode, 0, result.stderr);
  assert.ok(Date.now() - started < scaled(15_000, 25_000), `ended while the opener still runs`);
  const opener = Number(readFileSync(join(sandbox.home, `opener.pid`), `utf8`));
  assert.doesNotThrow(() => process.kill(opener, 0), `the opener still runs`);
  process.kill(opener, `SIGKILL`);
});

test(`no browser opener: one line saying to use --print, nothing on stdout`, async () => {
  const env = withRole();
  const result = await runAwsmfa([`console`, `--profile`, `admin`, `--code`, sts.code], {...env, PATH: `/nonexistent`});
  assertFails(result, 2, /xdg-open could not open a browser .*--print/);
});

test(`what the endpoint answers is checked: a hostile token is refused, the endpoint named, no URL printed`, async () => {
  const env = withRole();
  federation.raw = {status: 200, body: JSON.stringify({SigninToken: `abc\u001b]0;pwned\u0007" onload="x`})};
  const result = await runAwsmfa([`console`, `--profile`, `admin`, `--print`, `--code`, sts.code], env);
  assertFails(result, 1, /answered no sign-in token.*AWS_ENDPOINT_URL_SIGNIN/);
  assert.doesNotMatch(result.stderr, /\u001b/);
  federation.raw = {status: 400, body: `<html>Bad Request</html>`};
  const refused = await runAwsmfa([`console`, `--profile`, `admin`, `--print`], env);
  assertFails(refused, 1, /refused the session \(HTTP 400\)/);
});

test(`a silent sign-in endpoint ends within --timeout, in one line naming it and the setting that chose it`, async () => {
  const env = withRole();
  assert.equal((await runAwsmfa([`env`, `--profile`, `admin`, `--code`, sts.code], env)).exitCode, 0);
  const silent = createServer(() => {}).listen(0, `127.0.0.1`);
  await once(silent, `listening`);
  try {
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const started = Date.now();
    const result = await runAwsmfa([`console`, `--profile`, `admin`, `--print`, `--timeout`, `2`], {...env, AWS_ENDPOINT_URL_SIGNIN: url});
    assertFails(result, 1, new RegExp(`no answer from the sign-in endpoint ${url}/federation within 2 s; check your network and proxy, or AWS_ENDPOINT_URL_SIGNIN`));
    const took = Date.now() - started;
    assert.ok(took < 2_000 + scaled(4_000, 20_000), `took ${took} ms`);
  } finally {
    silent.close();
  }
});

test(`the partition's sign-in endpoint and console follow the region`, () => {
  assert.equal(partitionOf(`eu-west-1`).signin, `https://signin.aws.amazon.com/federation`);
  assert.equal(partitionOf(`cn-north-1`).signin, `https://signin.amazonaws.cn/federation`);
  assert.equal(partitionOf(`us-gov-west-1`).signin, `https://signin.amazonaws-us-gov.com/federation`);
  assert.equal(consoleHome(`cn-northwest-1`), `https://console.amazonaws.cn/console/home?region=cn-northwest-1`);
  assert.equal(consoleHome(`us-gov-east-1`), `https://console.amazonaws-us-gov.com/console/home?region=us-gov-east-1`);
});
