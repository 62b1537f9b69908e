/**
 * Attacks on the credentials server of `exec --server` and `serve` (issue 22): what happens at its edges.
 */
import assert from 'node:assert/strict';
import {fileURLToPath} from 'node:url';
import {describe, test} from 'node:test';
import {BIN, runAwsmfaWithTty, spawnAndCollect} from './support/run.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';

useStandIn();

const nodeScript = (source: string) => [process.execPath, `--input-type=module`, `-e`, source];

describe(`exec --server`, () => {
  test(`a command that ends while the server asks for a code on the terminal: awsmfa ends with it, and no code is taken`, async () => {
    sts.lifetimeSeconds = {session: 4};
    // One call once the session nears its end (the server then asks for a code on the terminal), then the command ends.
    const script = `
await new Promise(resolve => setTimeout(resolve, 3300));
const r = await fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, {headers: {authorization: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN}});
console.log(r.status);
`;
    const started = Date.now();
    const result = await runAwsmfaWithTty([], [`exec`, `--server`, `--code`, sts.code, `--`, ...nodeScript(script)], {...sandbox.env, AWSMFA_PROMPT_TIMEOUT: `20s`});
    const took = Date.now() - started;
    assert.match(result.stderr, /MFA code for .*: /, `the question showed on the terminal`);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(took < 8_000, `awsmfa ended ${took} ms after it started (the command took about 4 s): ${result.stderr}`);
  });
});

/** One call as an SDK makes it, once the 4-second session nears its end: its status, the body's message, how long it took. */
const LATE_CALL = `
await new Promise(resolve => setTimeout(resolve, 3300));
const started = Date.now();
try {
  const r = await fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, {headers: {authorization: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN}, signal: AbortSignal.timeout(3000)});
  console.log(JSON.stringify({status: r.status, message: (await r.json()).Message, ms: Date.now() - started}));
} catch (error) {
  console.log(JSON.stringify({status: 0, message: String(error), ms: Date.now() - started}));
}
`;

describe(`exec --server in the background of a terminal (cmd &, or bg after Ctrl+Z)`, () => {
  test(`the session nears its end: no question on a terminal it may not read (which would stop awsmfa, server and all), an answer within a second that says what to do`, async () => {
    sts.lifetimeSeconds = {session: 4};
    const background = fileURLToPath(new URL(`./support/background-tty.py`, import.meta.url));
    const result = await spawnAndCollect(`python3`, [background, process.execPath, BIN, `exec`, `--server`, `--code`, sts.code, `--`, ...nodeScript(LATE_CALL)], {env: {...sandbox.env, AWSMFA_PROMPT_TIMEOUT: `20s`}});
    assert.doesNotMatch(result.stderr, /STOPPED/, `awsmfa was stopped by the terminal (SIGTTIN): ${result.stderr}`);
    const call = JSON.parse(result.stdout) as {status: number, message: string, ms: number};
    assert.equal(call.status, 503, result.stdout);
    assert.match(call.message, /no terminal to ask on/);
    assert.ok(call.ms < 1000, `answered in ${call.ms} ms`);
    assert.equal(result.exitCode, 0, result.stderr);
  });
});
