import {devNull} from 'node:os';
import {HIDDEN_FILE, SERVER} from '../contract.js';
import {expandPath, homeDir, readIfExists, type AwsFiles} from '../aws-files/files.js';
import {parseIni, sectionValues} from '../aws-files/ini.js';
import {envValue, type Env} from '../env.js';
import {ConfigError} from '../errors.js';
import type {SessionChanges} from './variables.js';
import {credentialsProblem, type SessionCredentials} from '../aws/credentials.js';

/**
 * Which credentials the next SDK call in an environment takes, as far as awsmfa needs to know it: what the default
 * chains of botocore (the AWS CLI v2, boto3) and the JS SDK v3 take before the container endpoint that `serve` and
 * `exec --server` point them at. Both chains read, before the container provider: the environment's keys; a web
 * identity, a relative URI or token file of ECS (the JS SDK and botocore both take those first); the profile
 * (AWS_PROFILE, else `default`) in ~/.aws/credentials and ~/.aws/config (keys, a role, credential_process, SSO,
 * `aws login`); botocore also AWS_CREDENTIAL_FILE (the EC2 tools' keys) and the boto config (BOTO_CONFIG, else
 * /etc/boto.cfg and ~/.boto). The files are read by awsmfa's reader, which reads them as botocore does.
 * https://github.com/boto/botocore/blob/develop/botocore/credentials.py (create_credential_resolver)
 * https://github.com/aws/aws-sdk-js-v3/blob/main/packages/credential-provider-node/src/defaultProvider.ts
 */

/** The keys with which a profile takes credentials of its own, in either file (botocore and the JS SDK merge them). */
const OWN_CREDENTIAL_KEYS = [`aws_access_key_id`, `role_arn`, `credential_process`, `credential_source`, `web_identity_token_file`, `sso_session`, `sso_start_url`, `login_session`] as const;

/** Variables with which the SDKs take credentials before the container endpoint (besides the keys themselves). */
const AHEAD_VARIABLES = [`AWS_ACCESS_KEY_ID`, `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_CREDENTIAL_FILE`] as const;

export type HiddenVariable = typeof HIDDEN_FILE.variables[number];

/** Something an SDK takes credentials from before the server, in words, and the variable that hides it if one does. */
export interface Ahead {
  /** `aws_access_key_id of profile 'default' in /home/me/.aws/credentials`. */
  readonly what: string;
  readonly hiddenBy?: HiddenVariable;
}

/** A file variable that names no file: awsmfa's hidden path, or the null device (a command's own file, hidden). */
function hidden(value: string | undefined): boolean {
  return value === HIDDEN_FILE.value || value === devNull;
}

/** The boto config botocore reads (BOTO_CONFIG alone when set), and its [Credentials] key id, when it has one. */
function botoKeys(env: Env): {path: string, key: string} | undefined {
  const named = envValue(env, `BOTO_CONFIG`);
  if (hidden(named))
    return undefined;
  const paths = named !== undefined ? [expandPath(named, env)] : [`/etc/boto.cfg`, `${homeDir(env)}/.boto`];
  for (const path of paths) {
    let values: Record<string, string> | undefined;
    try {
      const text = readIfExists(path);
      values = text === undefined ? undefined : sectionValues(parseIni(text), `Credentials`);
    } catch {
      // A file botocore cannot parse stops its chain with an error, not with these keys.
      continue;
    }
    if (values?.aws_access_key_id !== undefined)
      return {path, key: `aws_access_key_id`};
  }
  return undefined;
}

/**
 * Everything the SDKs' chains take before the container endpoint in `env`, first first; empty when the server's
 * credentials are what the next call signs with. `files` is what awsmfa read (the files `env` names, or the usual
 * ones where `env` hides them): a hidden file is one no SDK reads.
 */
export function aheadOfServer(files: AwsFiles, env: Env): Ahead[] {
  const ahead: Ahead[] = AHEAD_VARIABLES.filter(name => envValue(env, name) !== undefined).map(name => ({what: `${name} in the environment`}));
  // Each client's own profile: the AWS CLI v2 takes AWS_PROFILE first, boto3 (botocore) AWS_DEFAULT_PROFILE first,
  // the JS SDK AWS_PROFILE alone. Where they differ, each profile signs for some client, so each is asked.
  const named = (first: string, second?: string) => envValue(env, first) ?? (second === undefined ? undefined : envValue(env, second)) ?? `default`;
  const profiles = [...new Set([named(`AWS_PROFILE`, `AWS_DEFAULT_PROFILE`), named(`AWS_DEFAULT_PROFILE`, `AWS_PROFILE`), named(`AWS_PROFILE`)])];
  for (const profile of profiles) {
    const places = [
      [`AWS_SHARED_CREDENTIALS_FILE`, files.credentialsOf(profile), files.credentialsPath],
      [`AWS_CONFIG_FILE`, files.configOf(profile), files.configPath],
    ] as const;
    for (const [variable, values, path] of places) {
      if (hidden(envValue(env, variable)))
        continue;
      const key = OWN_CREDENTIAL_KEYS.find(name => values?.[name] !== undefined);
      if (key !== undefined)
        ahead.push({what: `${key} of profile '${profile}' in ${path}`, hiddenBy: variable});
    }
  }
  const boto = botoKeys(env);
  if (boto !== undefined)
    ahead.push({what: `the ${boto.key} of [Credentials] in ${boto.path} (boto3 and the AWS CLI)`, hiddenBy: `BOTO_CONFIG`});
  return ahead;
}

/** The environment as it will be once `changes` are made. */
export function applied(env: Env, changes: SessionChanges): Env {
  const after: Env = {...env};
  for (const name of changes.unset)
    delete after[name];
  for (const [name, value] of changes.set)
    after[name] = value;
  return after;
}

/**
 * The one decision of `serve` and `exec --server`: `changes` (what points the SDKs at the server) completed with the
 * files to hide, so that the next call in the shell (`shell`) or the command takes the server's credentials. What
 * cannot be hidden is refused in one line naming what would win and what to do; so is, in a shell, a file of the
 * user's own naming (AWS_SHARED_CREDENTIALS_FILE set by them), which `unset` could not give back. Returns the
 * changes and what was hidden.
 */
export function serverFirst(files: AwsFiles, env: Env, changes: SessionChanges, shell: boolean): {changes: SessionChanges, hidden: Ahead[]} {
  const where = shell ? `this shell` : `the command`;
  const ahead = aheadOfServer(files, applied(env, changes));
  const hide = new Map<HiddenVariable, Ahead>();
  for (const found of ahead) {
    if (found.hiddenBy === undefined)
      throw new ConfigError(`the AWS CLI and SDKs in ${where} would take ${found.what} before the credentials server: unset it, or run the command with awsmfa exec (the session in its environment)`);
    const own = envValue(env, found.hiddenBy);
    if (shell && own !== undefined && own !== HIDDEN_FILE.value)
      throw new ConfigError(`the AWS CLI and SDKs in this shell would take ${found.what} before the credentials server, and serve hides only the usual file, not one ${found.hiddenBy} names (unset could not give it back): use awsmfa exec --server -- COMMAND, which hides it from the command, or move those credentials to a profile of their own (source_profile = NAME)`);
    if (!hide.has(found.hiddenBy))
      hide.set(found.hiddenBy, found);
  }
  // A file the user named is hidden from a command by the null device, which awsmfa in the command reads as the
  // empty file it is; awsmfa reads through its own hidden path to the usual file, which would not be theirs.
  const set = [...changes.set.filter(([name]) => !hide.has(name as HiddenVariable)), ...[...hide.keys()].map(name => [name, envValue(env, name) === undefined ? HIDDEN_FILE.value : devNull] as const)];
  const result: SessionChanges = {unset: changes.unset.filter(name => !hide.has(name as HiddenVariable)), set};
  // Asked again of the environment as it will be: the decision holds, or nothing is printed or started.
  const left = aheadOfServer(files, applied(env, result));
  if (left.length > 0)
    throw new ConfigError(`the AWS CLI and SDKs in ${where} would still take ${left[0]!.what} before the credentials server; run the command with awsmfa exec instead`);
  return {changes: result, hidden: [...hide.values()]};
}

/** What a hidden variable kept from the SDKs, in the words of a note. */
const HIDDEN_WHAT: Record<HiddenVariable, string> = {
  AWS_SHARED_CREDENTIALS_FILE: `credentials file`,
  AWS_CONFIG_FILE: `config file (the profile's region comes with AWS_REGION)`,
  BOTO_CONFIG: `boto config (gsutil neither)`,
};

/** The note for what serverFirst hid: what would have won, and what the shell or command sees instead. */
export function hiddenNote(hidden: Ahead, shell: boolean): string {
  return shell
    ? `this shell's AWS CLI and SDKs would take ${hidden.what} before the credentials server, so it sees no ${HIDDEN_WHAT[hidden.hiddenBy!]} while it uses the server (mfa-unset, or eval "$(awsmfa unset)", gives it back)`
    : `the SDKs would take ${hidden.what} before the credentials server: the command sees no ${HIDDEN_WHAT[hidden.hiddenBy!]}`;
}

/**
 * Whether the next SDK call in `env` takes the credentials of the server `serve` pointed it at: its variables are
 * there, and nothing the SDKs read first would sign (no keys in the environment, no file of the default profile).
 */
export function servedFirst(files: AwsFiles, env: Env): {url: string, pid: number} | undefined {
  const served = servedShell(env);
  return served !== undefined && envValue(env, `AWS_ACCESS_KEY_ID`) === undefined && aheadOfServer(files, env).length === 0 ? served : undefined;
}

/** The server `serve` pointed this shell at: its URL and pid, when its variables are there (SERVER.pid marks them). */
export function servedShell(env: Env): {url: string, pid: number} | undefined {
  const pid = envValue(env, SERVER.pid);
  const url = envValue(env, SERVER.variables[0]);
  if (pid === undefined || url === undefined || !/^[1-9][0-9]{0,9}$/.test(pid))
    return undefined;
  return {url, pid: Number(pid)};
}

/** Whether the process `serve` left its pid of is still there and this user's (signal 0 asks without sending one). */
export function serverRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: gone; EPERM: another user's process now holds that number, which is no serve of ours.
    return false;
  }
}

/**
 * What the server at `url` hands out now, asked as an SDK asks (GET with the token, within a second): the
 * credentials, checked as any STS answer is, or why there are none (`refused`: nothing listens there any more).
 * Callers keep what they show (the key id, the expiration) or sign with them (whoami); nothing else.
 */
export async function askServer(url: string, token: string, now = new Date()): Promise<SessionCredentials | {problem: string}> {
  const {request} = await import(`node:http`);
  return await new Promise(resolve => {
    const req = request(url, {method: `GET`, agent: false, timeout: 1000, headers: {authorization: token}}, response => {
      const chunks: Buffer[] = [];
      response.on(`data`, (chunk: Buffer) => chunks.push(chunk));
      response.on(`end`, () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString(`utf8`));
        } catch {}
        const text = (name: string) => typeof body[name] === `string` ? body[name] as string : ``;
        const credentials = {accessKeyId: text(`AccessKeyId`), secretAccessKey: text(`SecretAccessKey`), sessionToken: text(`Token`), expiration: text(`Expiration`)};
        const problem = credentialsProblem(credentials, now);
        if (response.statusCode === 200 && problem === undefined)
          resolve(credentials);
        else
          resolve({problem: response.statusCode === 200 ? `its answer is no session: ${problem!}` : `it answered HTTP ${response.statusCode}${text(`Message`) === `` ? `` : `: ${text(`Message`).split(`\n`)[0]}`}`});
      });
      response.on(`error`, () => resolve({problem: `its answer broke off`}));
    });
    req.on(`timeout`, () => req.destroy(new Error(`timeout`)));
    req.on(`error`, error => resolve({problem: (error as NodeJS.ErrnoException).code === `ECONNREFUSED` ? `refused` : `no answer (${(error as NodeJS.ErrnoException).code ?? error.message})`}));
    req.end();
  });
}
