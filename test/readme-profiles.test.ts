/**
 * The README's example profiles, as written, in front of the AWS CLI v2: every profile names a region (the AWS CLI
 * takes none from source_profile, and says "You must specify a region"), and the credential_process profile signs
 * a call with awsmfa's session.
 */
import assert from 'node:assert/strict';
import {execFile, spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {ROOT, runAwsmfa} from './support/run.js';
import {awsmfaOnPath} from './support/sandbox.js';
import {sandbox, sts, useStandIn} from './support/stand-in.js';
import {ALICE} from './support/sts-server.js';

const AWS = `/usr/bin/aws`;
const awsMissing = existsSync(AWS) ? false : process.env.CI ? `` : `the AWS CLI v2 (/usr/bin/aws, Debian's awscli) is not installed here`;
if (awsMissing === ``)
  throw new Error(`/usr/bin/aws is missing, and CI must test with it (see .ci/run)`);

/** The README's ```ini blocks, cut into files at their `# ~/.aws/config` and `# ~/.aws/credentials` lines. */
function readmeAwsFiles(): {config: string, credentials: string} {
  const files = {config: ``, credentials: ``};
  for (const [, block] of readFileSync(join(ROOT, `README.md`), `utf8`).matchAll(/^```ini\n([\s\S]*?)^```$/gm)) {
    let file: keyof typeof files | undefined;
    for (const line of block!.split(`\n`)) {
      const heading = /^# ~\/\.aws\/(config|credentials)$/.exec(line);
      if (heading)
        file = heading[1] as keyof typeof files;
      else if (file !== undefined)
        files[file] += `${line}\n`;
    }
    assert.ok(file !== undefined, `an ini block of the README says which file it is: ${block}`);
  }
  return files;
}

// Profiles only: `[sso-session …]` and `[services …]` sections are not.
const profilesOf = (config: string) => [...config.matchAll(/^\[(?:profile ([^\]]+)|(default))\]$/gm)].map(match => match[1] ?? match[2]!);

describe(`the README's example profiles, with the AWS CLI`, {skip: awsMissing}, () => {
  useStandIn();

  test(`each profile of the README's config has the region the AWS CLI needs`, () => {
    const {config} = readmeAwsFiles();
    const profiles = profilesOf(config);
    assert.ok(profiles.length >= 3, profiles.join(` `));
    // The README's keys are placeholders; its config is used as it is.
    sandbox.writeConfig(config);
    const env = {PATH: process.env.PATH ?? `/usr/bin:/bin`, HOME: sandbox.home, AWS_PAGER: ``};
    for (const profile of profiles) {
      const region = spawnSync(AWS, [`configure`, `get`, `region`, `--profile`, profile], {env, encoding: `utf8`});
      assert.equal(region.status, 0, `profile ${profile} has no region: ${region.stderr}`);
      assert.match(region.stdout, /^[a-z]{2}(-[a-z]+)+-\d\n$/, profile);
    }
  });

  test(`the credential_process profile signs an AWS CLI call with the cached session of its source`, async () => {
    const {config} = readmeAwsFiles();
    const [, profile, source] = /^\[profile ([^\]]+)\]\ncredential_process = awsmfa credential-process --profile (\S+)\n/m.exec(config) ?? [];
    assert.ok(profile && source, `the README has a credential_process example`);
    // The source profile the example names, set up as the README's [default] is, with the stand-in's user.
    sandbox.writeCredentials(`[${source}]\naws_access_key_id = ${ALICE.accessKeyId}\naws_secret_access_key = ${ALICE.secretAccessKey}\n`);
    sandbox.writeConfig(`${config}\n[profile ${source}]\nregion = eu-west-1\nmfa_serial = ${ALICE.serialNumber}\n`);
    const first = await runAwsmfa([`env`, `--profile`, source, sts.code], sandbox.env);
    assert.equal(first.exitCode, 0, first.stderr);
    // This AWS CLI may predate AWS_ENDPOINT_URL_STS: the stand-in is named on its command line, never the real STS.
    const env = {...awsmfaOnPath(sandbox), AWS_PAGER: ``};
    // Not spawnSync: the stand-in answers from this process's event loop.
    const result = await new Promise<{status: number | null, stdout: string, stderr: string}>(resolve => {
      execFile(AWS, [`sts`, `get-caller-identity`, `--profile`, profile, `--endpoint-url`, sts.url, `--output`, `json`], {env, timeout: 60_000},
        (error, stdout, stderr) => resolve({status: error === null ? 0 : typeof error.code === `number` ? error.code : null, stdout, stderr}));
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).Account, `123456789012`);
    const call = sts.requests.at(-1);
    assert.equal(call?.action, `GetCallerIdentity`);
    assert.equal(call?.accessKeyId, sts.issued.at(-1)!.accessKeyId, `signed by awsmfa's session`);
    assert.ok(call?.signatureValid);
    assert.equal(call?.region, `eu-west-1`, `the region of the README's profile`);
  });
});
