/** A throwaway HOME with its own ~/.aws and XDG folders, so no test touches the real ones. */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {BIN} from './run.js';
import {ALICE, type StsUser} from './sts-server.js';

export interface Sandbox {
  home: string;
  env: Record<string, string>;
  awsDir: string;
  cacheDir: string;
  writeCredentials(text: string): void;
  writeConfig(text: string): void;
  cleanup(): void;
}

export function makeSandbox(options: {user?: StsUser, endpoint?: string, profiles?: boolean} = {}): Sandbox {
  const home = mkdtempSync(join(tmpdir(), `awsmfa-test-`));
  const awsDir = join(home, `.aws`);
  mkdirSync(awsDir, {mode: 0o700});
  const cacheDir = join(home, `.cache`);
  const env: Record<string, string> = {
    HOME: home,
    USERPROFILE: home,
    PATH: process.env.PATH ?? `/usr/bin:/bin`,
    XDG_CACHE_HOME: cacheDir,
    XDG_CONFIG_HOME: join(home, `.config`),
    XDG_DATA_HOME: join(home, `.local`, `share`),
    LANG: `C.UTF-8`,
    SHELL: `/bin/sh`,
    TMPDIR: tmpdir(),
  };
  // IAM too (a profile without mfa_serial asks it for the devices): a test never reaches the real AWS.
  if (options.endpoint !== undefined) {
    env.AWS_ENDPOINT_URL_STS = options.endpoint;
    env.AWS_ENDPOINT_URL_IAM = options.endpoint;
  }
  const sandbox: Sandbox = {
    home,
    env,
    awsDir,
    cacheDir,
    writeCredentials: text => writeFileSync(join(awsDir, `credentials`), text, {mode: 0o600}),
    writeConfig: text => writeFileSync(join(awsDir, `config`), text, {mode: 0o600}),
    cleanup: () => rmSync(home, {recursive: true, force: true}),
  };
  if (options.profiles ?? true) {
    const user = options.user ?? ALICE;
    sandbox.writeCredentials(`[default]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
    sandbox.writeConfig(`[default]\nregion = eu-west-1\nmfa_serial = ${user.serialNumber}\n`);
  }
  return sandbox;
}

/** The sandbox's environment with an `awsmfa` on PATH that runs the built CLI, as after `npm link`. */
export function awsmfaOnPath(sandbox: Sandbox): Record<string, string> {
  const bin = join(sandbox.home, `bin`);
  mkdirSync(bin, {recursive: true});
  writeFileSync(join(bin, `awsmfa`), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`, {mode: 0o755});
  return {...sandbox.env, PATH: `${bin}:${sandbox.env.PATH}`};
}
