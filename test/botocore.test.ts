/**
 * Differential: for a corpus of tricky but real-world AWS files, what awsmfa resolves for each profile (the key
 * that signs, the MFA device, the role, the duration, the region, the endpoint, or the error) is compared with
 * what botocore resolves (test/support/botocore-resolve.py runs botocore's own resolver, with a fake STS client
 * that records which key signs each AssumeRole). Every comparison must agree; where awsmfa deliberately differs,
 * the difference is named below and checked as such.
 *
 * awsmfa's deliberate differences:
 * - A profile without keys and without a role, but with a source_profile, gets a session of its source's keys
 *   (botocore finds no credentials there); its MFA device and region may come from the source as well.
 * - Keys with an aws_session_token never sign (botocore would use the session).
 * - One MFA code per session: in a chain where botocore would send a device with several roles (and ask for a code
 *   each time), awsmfa sends it with the first of them; the later roles are assumed with a session that has MFA.
 * - A value AWS would refuse (a region that is no region name, a device with a comment after it) is refused
 *   before anything is sent, naming the value botocore would send as it is.
 *
 * The AWS SDK for JavaScript v3 (@smithy/shared-ini-file-loader) reads some of these files differently (it
 * trims section names, merges duplicate sections, ignores [DEFAULT]); awsmfa follows botocore, and never writes a
 * file botocore cannot read.
 */
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {readFileSync} from 'node:fs';
import {AwsFiles} from '../src/aws-files/files.js';
import {setSectionValues} from '../src/aws-files/ini-edit.js';
import {resolveRequest} from '../src/aws-files/resolve.js';
import {isTokenSource, type SessionRequest} from '../src/request.js';
import {runAwsmfa} from './support/run.js';
import {StsServer} from './support/sts-server.js';

const A = `AKIAALICEEXAMPLE0001`;
const B = `AKIABOBEXAMPLE000002`;
const C = `AKIACAROLEXAMPLE0003`;
const SERIAL = `arn:aws:iam::123456789012:mfa/alice`;
const OTHER_SERIAL = `arn:aws:iam::123456789012:mfa/other`;
const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const keys = (id: string) => `aws_access_key_id = ${id}\naws_secret_access_key = secret-of-${id}\n`;

interface Case {
  name: string;
  credentials?: string;
  config?: string;
}

/** The corpus: the cases of the issue, and what generated configs, Windows editors and sync tools produce. */
const CORPUS: Case[] = [
  {name: `plain default`, credentials: `[default]\n${keys(A)}`, config: `[default]\nregion = eu-west-1\nmfa_serial = ${SERIAL}\n`},
  {name: `named profiles`, credentials: `[default]\n${keys(A)}\n[work]\n${keys(B)}`, config: `[default]\nmfa_serial = ${SERIAL}\n\n[profile work]\nregion = us-west-2\nmfa_serial = ${OTHER_SERIAL}\n`},
  {name: `duplicate sections in credentials`, credentials: `[default]\naws_access_key_id = ${A}\n[default]\naws_secret_access_key = s\n`},
  {name: `duplicate sections in config`, credentials: `[default]\n${keys(A)}`, config: `[default]\nregion = eu-west-1\n[default]\nmfa_serial = ${SERIAL}\n`},
  {name: `duplicate key in a section`, credentials: `[default]\n${keys(A)}aws_access_key_id = ${B}\n`},
  {name: `a BOM at the start of credentials`, credentials: `\ufeff[default]\n${keys(A)}`},
  {name: `a BOM at the start of config`, credentials: `[default]\n${keys(A)}`, config: `\ufeff[default]\nmfa_serial = ${SERIAL}\n`},
  {name: `a key before the first section`, credentials: `aws_access_key_id = ${A}\n[default]\n${keys(A)}`},
  {name: `a line without = or :`, credentials: `[default]\n${keys(A)}oops\n`},
  {name: `a line = x`, credentials: `[default]\n${keys(A)}= x\n`},
  {name: `[ default ] keeps its spaces`, credentials: `[ default ]\n${keys(A)}`, config: `[default]\nmfa_serial = ${SERIAL}\n`},
  {name: `[profile a]b] is profile a]b`, credentials: `[a]b]\n${keys(A)}`, config: `[profile a]b]\nmfa_serial = ${SERIAL}\nregion = eu-north-1\n`},
  {name: `[profile "quoted name"]`, credentials: `[quoted name]\n${keys(A)}`, config: `[profile "quoted name"]\nmfa_serial = ${SERIAL}\n`},
  {name: `[profile a b] is no profile`, credentials: `[default]\n${keys(A)}`, config: `[profile a b]\nmfa_serial = ${SERIAL}\n[default]\nregion = eu-west-1\n`},
  {name: `[DEFAULT] in credentials gives its keys to every section`, credentials: `[DEFAULT]\n${keys(A)}\n[work]\nregion = eu-west-1\n`, config: `[profile work]\nmfa_serial = ${SERIAL}\n`},
  {name: `[DEFAULT] in config gives mfa_serial and region to every profile`, credentials: `[default]\n${keys(A)}\n[work]\n${keys(B)}`, config: `[DEFAULT]\nmfa_serial = ${SERIAL}\nregion = ap-south-1\n[default]\n[profile work]\nregion = us-east-2\n`},
  {name: `[default] and [profile default]: the later wins`, credentials: `[default]\n${keys(A)}`, config: `[default]\nregion = eu-west-1\nmfa_serial = ${SERIAL}\n[profile default]\nregion = us-west-1\n`},
  {name: `[profile default] then [default]: the later wins`, credentials: `[default]\n${keys(A)}`, config: `[profile default]\nregion = us-west-1\nmfa_serial = ${OTHER_SERIAL}\n[default]\nregion = eu-west-1\nmfa_serial = ${SERIAL}\n`},
  {name: `mfa_serial in both files: the credentials file's`, credentials: `[default]\n${keys(A)}mfa_serial = ${OTHER_SERIAL}\n`, config: `[default]\nmfa_serial = ${SERIAL}\n`},
  {name: `region in both files: the credentials file's`, credentials: `[default]\n${keys(A)}region = sa-east-1\n`, config: `[default]\nmfa_serial = ${SERIAL}\nregion = eu-west-1\n`},
  {name: `a role profile with its own keys signs with its source's`, credentials: `[default]\n${keys(A)}\n[admin]\n${keys(B)}`, config: `[profile admin]\nrole_arn = ${role(`Admin`)}\nsource_profile = default\nmfa_serial = ${SERIAL}\n`},
  {name: `a role of the default profile`, credentials: `[base]\n${keys(A)}`, config: `[default]\nrole_arn = ${role(`Dev`)}\nsource_profile = base\nmfa_serial = ${SERIAL}\nduration_seconds = 1800\n`},
  {name: `a chain A -> B -> C`, credentials: `[c]\n${keys(C)}`, config: `[profile a]\nrole_arn = ${role(`A`)}\nsource_profile = b\nmfa_serial = ${SERIAL}\n[profile b]\nrole_arn = ${role(`B`)}\nsource_profile = c\n`},
  {name: `a chain where every role names the device`, credentials: `[c]\n${keys(C)}`, config: `[profile a]\nrole_arn = ${role(`A`)}\nsource_profile = b\nmfa_serial = ${SERIAL}\n[profile b]\nrole_arn = ${role(`B`)}\nsource_profile = c\nmfa_serial = ${SERIAL}\n`},
  {name: `a chain of three roles with their own names, ids and durations`, credentials: `[base]\n${keys(B)}`, config: `[profile top]\nrole_arn = ${role(`Top`)}\nsource_profile = mid\nmfa_serial = ${SERIAL}\nrole_session_name = top-session\nduration_seconds = 1200\n[profile mid]\nrole_arn = ${role(`Mid`)}\nsource_profile = low\nexternal_id = mid-ext\n[profile low]\nrole_arn = ${role(`Low`)}\nsource_profile = base\nduration_seconds = 2400\n`},
  {name: `a source with keys and a role: its keys sign`, credentials: `[b]\n${keys(B)}`, config: `[profile a]\nrole_arn = ${role(`A`)}\nsource_profile = b\nmfa_serial = ${SERIAL}\n[profile b]\nrole_arn = ${role(`B`)}\nsource_profile = b\n`},
  {name: `a profile that is its own source, with keys`, credentials: `[self]\n${keys(A)}`, config: `[profile self]\nrole_arn = ${role(`Self`)}\nsource_profile = self\nmfa_serial = ${SERIAL}\n`},
  {name: `a profile that is its own source, without keys`, config: `[profile self]\nrole_arn = ${role(`Self`)}\nsource_profile = self\nmfa_serial = ${SERIAL}\n`},
  {name: `a loop of two`, config: `[profile x]\nrole_arn = ${role(`X`)}\nsource_profile = y\n[profile y]\nrole_arn = ${role(`Y`)}\nsource_profile = x\n`},
  {name: `a loop of three`, config: `[profile x]\nrole_arn = ${role(`X`)}\nsource_profile = y\n[profile y]\nrole_arn = ${role(`Y`)}\nsource_profile = z\n[profile z]\nrole_arn = ${role(`Z`)}\nsource_profile = x\n`},
  {name: `a missing source_profile`, config: `[profile a]\nrole_arn = ${role(`A`)}\nsource_profile = nowhere\nmfa_serial = ${SERIAL}\n`},
  {name: `a role without a source`, config: `[profile a]\nrole_arn = ${role(`A`)}\nmfa_serial = ${SERIAL}\n`},
  {name: `source_profile and credential_source together`, credentials: `[base]\n${keys(A)}`, config: `[profile a]\nrole_arn = ${role(`A`)}\nsource_profile = base\ncredential_source = Environment\n`},
  {name: `a source with half a key pair`, credentials: `[base]\naws_access_key_id = ${A}\n`, config: `[profile a]\nrole_arn = ${role(`A`)}\nsource_profile = base\nmfa_serial = ${SERIAL}\n`},
  {name: `external_id and role_session_name`, credentials: `[base]\n${keys(A)}`, config: `[profile a]\nrole_arn = ${role(`A`)}\nsource_profile = base\nmfa_serial = ${SERIAL}\nexternal_id = partner-42\nrole_session_name = alice\n`},
  {name: `CR-only line endings (old Mac editors)`, credentials: `[default]\r${keys(A).replaceAll(`\n`, `\r`)}`, config: `[default]\rmfa_serial = ${SERIAL}\rregion = eu-west-1\r`},
  {name: `CRLF (Windows editors)`, credentials: `[default]\r\n${keys(A).replaceAll(`\n`, `\r\n`)}`, config: `[default]\r\nmfa_serial = ${SERIAL}\r\n`},
  {name: `mixed line endings`, credentials: `[default]\n${keys(A).replace(`\n`, `\r\n`)}`, config: `[default]\rmfa_serial = ${SERIAL}\r\nregion = eu-west-1\n`},
  {name: `no line break at the end`, credentials: `[default]\n${keys(A).trimEnd()}`, config: `[default]\nmfa_serial = ${SERIAL}`},
  {name: `the services section gives STS an endpoint`, credentials: `[default]\n${keys(A)}`, config: `[default]\nmfa_serial = ${SERIAL}\nservices = local\n\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:4566\n`},
  {name: `endpoint_url of the profile`, credentials: `[default]\n${keys(A)}`, config: `[default]\nmfa_serial = ${SERIAL}\nendpoint_url = http://localhost:4566\n`},
  {name: `services beats the profile's endpoint_url`, credentials: `[default]\n${keys(A)}`, config: `[default]\nmfa_serial = ${SERIAL}\nendpoint_url = http://localhost:1111\nservices = local\n[services local]\nsts =\n  endpoint_url = http://localhost:2222\n`},
  {name: `ignore_configured_endpoint_urls in the profile`, credentials: `[default]\n${keys(A)}`, config: `[default]\nmfa_serial = ${SERIAL}\nendpoint_url = http://localhost:1111\nignore_configured_endpoint_urls = true\n`},
  {name: `a blank line then an indented line continues the value`, credentials: `[default]\n${keys(A)}`, config: `[default]\nmfa_serial = ${SERIAL}\nregion = eu-west-1\n\n   more\n`},
  {name: `a nested value without = fails everywhere`, credentials: `[default]\n${keys(A)}`, config: `[default]\nmfa_serial = ${SERIAL}\ns3 =\n  max_concurrent_requests\n`},
  {name: `a nested s3 block is fine`, credentials: `[default]\n${keys(A)}`, config: `[default]\nmfa_serial = ${SERIAL}\ns3 =\n  max_concurrent_requests = 20\n  signature_version = s3v4\nregion = eu-west-1\n`},
  {name: `keys in upper case, : delimiters, odd spacing`, credentials: `[default]\nAWS_ACCESS_KEY_ID:${A}\n  AWS_Secret_Access_Key   =   secret-of-${A}\n`, config: `[default]\nMFA_SERIAL : ${SERIAL}\nRegion=eu-west-3\n`},
  {name: `tab-indented keys under a header`, credentials: `[default]\n\taws_access_key_id = ${A}\n\taws_secret_access_key = secret-of-${A}\n`, config: `[default]\n\tmfa_serial = ${SERIAL}\n`},
  {name: `an indented key after a key continues it`, credentials: `[default]\n${keys(A)}`, config: `[default]\nregion = eu-west-1\n  mfa_serial = ${SERIAL}\n`},
  {name: `comments of both kinds, indented too`, credentials: `# keys\n[default]\n; generated\n${keys(A)}  # trailing comment line\n`, config: `[default]\n# device\nmfa_serial = ${SERIAL}\n    ; indented comment\nregion = eu-west-1\n`},
  {name: `an inline comment is part of the value`, credentials: `[default]\n${keys(A)}`, config: `[default]\nmfa_serial = ${SERIAL}    # aws iam list-mfa-devices shows yours\n`},
  {name: `an empty value`, credentials: `[default]\n${keys(A)}`, config: `[default]\nmfa_serial = ${SERIAL}\nregion =\n`},
  {name: `a session profile next to long-term keys`, credentials: `[default]\n${keys(A)}\n[session-alice]\naws_access_key_id = ASIAOLDSESSION000001\naws_secret_access_key = s\naws_session_token = t\naws_expiration = 2020-01-01T00:00:00Z\n`, config: `[default]\nmfa_serial = ${SERIAL}\n`},
  {name: `a profile only in the config file, with keys there`, config: `[profile cfg]\n${keys(B)}mfa_serial = ${SERIAL}\n`},
  {name: `keys split over both files`, credentials: `[split]\naws_access_key_id = ${A}\n`, config: `[profile split]\naws_secret_access_key = secret-of-${A}\nmfa_serial = ${SERIAL}\n`},
  {name: `a generated config of many accounts`, credentials: `[default]\n${keys(A)}`, config: [`[default]\nmfa_serial = ${SERIAL}\nregion = eu-west-1\n`, ...Array.from({length: 20}, (_, index) => `[profile acct-${index}]\nrole_arn = arn:aws:iam::${String(100000000000 + index)}:role/Deploy\nsource_profile = default\nmfa_serial = ${SERIAL}\nregion = us-east-1\n`)].join(`\n`)},
  {name: `aws login profiles, and roles from them`, credentials: `[default]\n${keys(A)}`, config: `[default]\nmfa_serial = ${SERIAL}\n[profile passkey]\nlogin_session = arn:aws:sts::123456789012:assumed-role/Admin/alice\nregion = eu-central-1\n[profile admin]\nrole_arn = ${role(`Admin`)}\nsource_profile = passkey\n[profile deep]\nrole_arn = ${role(`Deep`)}\nsource_profile = admin\nmfa_serial = ${SERIAL}\n`},
  {name: `roles from an Identity Center profile`, config: `[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n[profile ops]\nrole_arn = ${role(`Ops`)}\nsource_profile = sso\n[profile legacy]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n`},
  {name: `which comes first: keys, aws login, Identity Center`, credentials: `[both]\n${keys(A)}[sso-and-keys]\n${keys(B)}`, config: `[profile both]\nlogin_session = arn:aws:iam::123456789012:user/alice\nmfa_serial = ${SERIAL}\n[profile config-keys]\nlogin_session = arn:aws:iam::123456789012:user/alice\n${keys(C)}mfa_serial = ${SERIAL}\n[profile sso-and-keys]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\nmfa_serial = ${SERIAL}\n[profile token-only]\nsso_session = corp\n[profile role-and-login]\nrole_arn = ${role(`A`)}\nlogin_session = arn:aws:iam::123456789012:user/alice\nsource_profile = both\n[profile from-role-and-login]\nrole_arn = ${role(`B`)}\nsource_profile = role-and-login\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n`},
  {name: `sso profiles beside awsmfa's`, credentials: `[default]\n${keys(A)}`, config: `[default]\nmfa_serial = ${SERIAL}\n[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n`},
  {name: `a sync tool's conflict markers`, credentials: `[default]\n${keys(A)}<<<<<<< HEAD\naws_session_token = x\n=======\n>>>>>>> other\n`},
  {name: `a merge that duplicated a profile`, credentials: `[default]\n${keys(A)}\n[work]\n${keys(B)}\n[work]\n${keys(C)}`},
  {name: `Unicode profile names`, credentials: `[работа]\n${keys(A)}`, config: `[profile работа]\nmfa_serial = ${SERIAL}\nregion = eu-central-1\n`},
  {name: `a profile named like a keyword`, credentials: `[profile]\n${keys(A)}\n[services]\n${keys(B)}`, config: `[profile profile]\nmfa_serial = ${SERIAL}\n`},
  {name: `[profiles x] is read as profile x by botocore`, credentials: `[x]\n${keys(A)}`, config: `[profiles x]\nmfa_serial = ${SERIAL}\nregion = eu-west-2\n`},
  {name: `[profilex] is no profile`, credentials: `[profilex]\n${keys(A)}`, config: `[profilex]\nmfa_serial = ${SERIAL}\n`},
  {name: `a header with text after it`, credentials: `[default] ; keys\n${keys(A)}`, config: `[default]   # comment\nmfa_serial = ${SERIAL}\n`},
  {name: `duration_seconds of a role`, credentials: `[base]\n${keys(A)}`, config: `[profile a]\nrole_arn = ${role(`A`)}\nsource_profile = base\nmfa_serial = ${SERIAL}\nduration_seconds = 3600\n`},
  {name: `only a credentials file`, credentials: `[default]\n${keys(A)}mfa_serial = ${SERIAL}\n`},
  {name: `only a config file with a role`, config: `[profile a]\nrole_arn = ${role(`A`)}\nsource_profile = b\nmfa_serial = ${SERIAL}\n[profile b]\n${keys(B)}`},
  {name: `empty files`, credentials: ``, config: ``},
  {name: `a file of comments only`, credentials: `# nothing yet\n`, config: `; nothing\n`},
];

const RESOLVER = fileURLToPath(new URL(`./support/botocore-resolve.py`, import.meta.url));

/** botocore, when installed: a skip with the reason on a developer machine, a failure in CI. */
function skipUnlessBotocore(): string | false {
  if (spawnSync(`python3`, [`-c`, `import botocore`]).status === 0)
    return false;
  if (process.env.CI)
    throw new Error(`botocore is not installed, and CI must compare with it (see .ci/run)`);
  return `botocore is not installed here (pip install botocore; CI installs it)`;
}

interface Botocore {
  error?: string;
  settings?: Record<string, string | null>;
  calls?: Array<{RoleArn: string, SerialNumber: string | null, DurationSeconds: number | null, RoleSessionName: string, ExternalId: string | null, SignedBy: string}>;
  accessKeyId?: string | null;
  endpoint?: string;
}

type Awsmfa = {request: SessionRequest} | {error: string};

/** The access key id that signs the request's first call (none for a token source). */
const keyOf = (request: SessionRequest) => isTokenSource(request.source) ? undefined : request.source.accessKeyId;

function awsmfaResolve(dir: string, profile: string): Awsmfa {
  const env = {HOME: dir, AWS_CONFIG_FILE: join(dir, `config`), AWS_SHARED_CREDENTIALS_FILE: join(dir, `credentials`)};
  try {
    return {request: resolveRequest(AwsFiles.load(env), {profile}, env, () => {})};
  } catch (error) {
    return {error: (error as Error).message};
  }
}

/** Why the two disagree, or undefined when they agree (or differ only where awsmfa means to). */
function disagreement(boto: Botocore, mine: Awsmfa, files: AwsFiles | undefined, profile: string): string | undefined {
  if (boto.error === `parse`)
    return `error` in mine && /the AWS CLI cannot read this file either/.test(mine.error) ? undefined : `botocore cannot parse the files; awsmfa: ${JSON.stringify(mine)}`;
  if (`error` in mine && /the AWS CLI cannot read this file either/.test(mine.error))
    return `awsmfa refuses a file botocore reads: ${mine.error}`;
  if (boto.error === `no-profile`)
    return `error` in mine && /is not in|no long-term access keys/.test(mine.error) ? undefined : `no such profile for botocore; awsmfa: ${JSON.stringify(mine)}`;
  if (boto.error === `loop`)
    return `error` in mine && /go round in a circle/.test(mine.error) ? undefined : `botocore finds a loop; awsmfa: ${JSON.stringify(mine)}`;
  // A profile (or a role's source) that takes an Identity Center or aws login session: botocore goes for its token
  // (and finds none here); awsmfa must resolve the same source.
  if (boto.error === `sso` || boto.error === `login`)
    return `request` in mine && isTokenSource(mine.request.source) && mine.request.source.kind === boto.error ? undefined : `botocore takes an ${boto.error} session; awsmfa: ${JSON.stringify(mine)}`;
  if (`request` in mine && isTokenSource(mine.request.source))
    return `awsmfa takes an ${mine.request.source.kind} session of profile '${mine.request.source.profile}'; botocore: ${JSON.stringify(boto)}`;
  if (boto.error !== undefined)
    return `error` in mine ? undefined : `botocore fails (${boto.error}); awsmfa resolves ${JSON.stringify(mine)}`;

  // Both take a value as written; awsmfa refuses one AWS would refuse (a region with a line break in it, a device
  // with a comment after it) before sending it, and names it.
  const refused = `error` in mine ? /^(\w+) of profile '.*' in .* is ("(?:[^"\\]|\\.)*"), not /.exec(mine.error) : null;
  if (refused && boto.settings?.[refused[1]!] === JSON.parse(refused[2]!))
    return undefined;

  const calls = boto.calls ?? [];
  if (calls.length > 0) {
    if (`error` in mine) {
      // No device on the roles nor their source: awsmfa needs one, botocore would assume the roles without MFA.
      return calls.every(call => call.SerialNumber === null) && /no MFA device/.test(mine.error) ? undefined : `botocore assumes ${calls.map(call => call.RoleArn).join(` then `)}; awsmfa: ${mine.error}`;
    }
    const {request} = mine;
    if (request.roles.length !== calls.length)
      return `${request.roles.length} roles against ${calls.length}`;
    // The first role is signed by the long-term keys, each later one by the session before it.
    if (keyOf(request) !== calls[0]!.SignedBy)
      return `signed by ${keyOf(request)} against ${calls[0]!.SignedBy}`;
    if (calls.slice(1).some(call => !/^ASIAFAKESESSION/.test(call.SignedBy)))
      return `botocore signs a later role with long-term keys`;
    // One code: it goes with the first role botocore sends a device with (botocore asks for one per such role).
    const withDevice = calls.findIndex(call => call.SerialNumber !== null);
    const mineWithDevice = request.roles.findIndex(step => step.mfa);
    if (withDevice >= 0 && (mineWithDevice !== withDevice || request.serialNumber !== calls[withDevice]!.SerialNumber))
      return `the device goes with role ${mineWithDevice} (${request.serialNumber}), botocore's with role ${withDevice} (${calls[withDevice]!.SerialNumber})`;
    for (const [index, call] of calls.entries()) {
      const step = request.roles[index]!;
      if (step.roleArn !== call.RoleArn)
        return `role ${index}: ${step.roleArn} against ${call.RoleArn}`;
      if ((step.durationSeconds ?? null) !== call.DurationSeconds)
        return `role ${index}: duration ${step.durationSeconds} against ${call.DurationSeconds}`;
      if ((step.externalId ?? null) !== call.ExternalId)
        return `role ${index}: external id ${step.externalId} against ${call.ExternalId}`;
      if (!call.RoleSessionName.startsWith(`botocore-session-`) && step.sessionName !== call.RoleSessionName)
        return `role ${index}: session name ${step.sessionName} against ${call.RoleSessionName}`;
    }
  } else {
    const settings = boto.settings ?? {};
    const sessionKeys = files?.setting(profile, `aws_session_token`) !== undefined;
    if (`error` in mine) {
      if (boto.accessKeyId === null || boto.accessKeyId === undefined)
        return undefined; // neither has keys for it
      if (sessionKeys && /holds temporary credentials/.test(mine.error))
        return undefined; // awsmfa's rule: sessions never sign
      if (settings.mfa_serial === null && /no MFA device/.test(mine.error))
        return undefined; // no device: botocore needs none, awsmfa does
      return `botocore signs with ${boto.accessKeyId}; awsmfa: ${mine.error}`;
    }
    const {request} = mine;
    if (boto.accessKeyId === null || boto.accessKeyId === undefined) {
      if (files?.setting(profile, `source_profile`) === undefined)
        return `awsmfa finds keys (${keyOf(request)}) where botocore finds none`;
    } else if (keyOf(request) !== boto.accessKeyId) {
      return `signed by ${keyOf(request)} against ${boto.accessKeyId}`;
    }
    if (settings.mfa_serial !== null && settings.mfa_serial !== undefined && request.serialNumber !== settings.mfa_serial)
      return `device ${request.serialNumber} against ${settings.mfa_serial}`;
    if (settings.role_arn === null && request.roleArn !== undefined)
      return `awsmfa assumes ${request.roleArn} where botocore assumes nothing`;
  }
  const request = (mine as {request: SessionRequest}).request;
  const region = boto.settings?.region;
  if (region !== null && region !== undefined && region !== `` && request.region !== region)
    return `region ${request.region} against ${region}`;
  const endpoint = boto.endpoint ?? ``;
  const configured = /^https:\/\/sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.test(endpoint) ? undefined : endpoint.replace(/\/$/, ``);
  if ((request.endpoint?.replace(/\/$/, ``)) !== configured)
    return `endpoint ${request.endpoint} against ${endpoint}`;
  return undefined;
}

describe(`botocore parity: every profile of the corpus resolves as the AWS CLI resolves it`, {skip: skipUnlessBotocore()}, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), `awsmfa-botocore-`));
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  test(`${CORPUS.length} files, each profile compared`, async t => {
    assert.ok(CORPUS.length >= 60, `the corpus holds at least 60 files`);
    const cases = CORPUS.map((item, index) => {
      const caseDir = join(dir, String(index));
      mkdirSync(caseDir);
      if (item.credentials !== undefined)
        writeFileSync(join(caseDir, `credentials`), item.credentials);
      if (item.config !== undefined)
        writeFileSync(join(caseDir, `config`), item.config);
      // Every name either reader might see, and one that is in neither.
      const names = new Set([`default`, `nosuch`]);
      for (const text of [item.credentials ?? ``, item.config ?? ``])
        for (const match of text.matchAll(/^\s*\[\s*(?:profiles?\s+)?"?([^\]"]*?)"?\s*\]/gm))
          names.add(match[1]!);
      for (const extra of [`a]b`, `quoted name`, ` default `, `a b`])
        if ((item.config ?? ``).includes(extra) || (item.credentials ?? ``).includes(extra))
          names.add(extra);
      return {dir: caseDir, profiles: [...names]};
    });
    const run = spawnSync(`python3`, [RESOLVER], {input: JSON.stringify(cases), encoding: `utf8`, maxBuffer: 64 * 1024 * 1024});
    assert.equal(run.status, 0, run.stderr);
    const results: Array<Record<string, Botocore>> = JSON.parse(run.stdout);
    let compared = 0;
    const problems: string[] = [];
    results.forEach((byProfile, index) => {
      let files: AwsFiles | undefined;
      try {
        files = AwsFiles.load({AWS_CONFIG_FILE: join(cases[index]!.dir, `config`), AWS_SHARED_CREDENTIALS_FILE: join(cases[index]!.dir, `credentials`)});
      } catch {}
      for (const [profile, boto] of Object.entries(byProfile)) {
        compared++;
        const why = disagreement(boto, awsmfaResolve(cases[index]!.dir, profile), files, profile);
        if (why !== undefined)
          problems.push(`${CORPUS[index]!.name} [${profile}]: ${why}`);
      }
    });
    t.diagnostic(`botocore parity: ${compared - problems.length} of ${compared} profile resolutions agree, over ${CORPUS.length} files`);

    // What awsmfa resolves is what it sends: every resolvable profile, through the real CLI, to a stand-in that
    // records each call (it knows the corpus's keys, so every signature is checked and every chain completes).
    // --direct: botocore's own way, the code with the AssumeRole call (by default awsmfa assumes roles from the MFA
    // session instead, which roles.test.ts checks).
    const jobs = cases.flatMap(({dir, profiles}) => profiles.map(profile => ({dir, profile, mine: awsmfaResolve(dir, profile)})))
      .filter((job): job is {dir: string, profile: string, mine: {request: SessionRequest}} => `request` in job.mine && !isTokenSource(job.mine.request.source));
    const lanes = await Promise.all([0, 1, 2, 3].map(() => new StsServer({users: [A, B, C].map(id => ({accessKeyId: id, secretAccessKey: `secret-of-${id}`, serialNumber: SERIAL})), permissive: true, allowReuse: true}).start()));
    let sent = 0;
    try {
      await Promise.all(lanes.map(async (sts, lane) => {
        for (const {dir, profile, mine: {request}} of jobs.filter((_, index) => index % lanes.length === lane)) {
          const where = `${CORPUS[Number(dir.split(`/`).pop())]!.name} [${profile}]`;
          sts.requests.length = 0;
          const env = {PATH: process.env.PATH ?? ``, HOME: dir, AWS_CONFIG_FILE: join(dir, `config`), AWS_SHARED_CREDENTIALS_FILE: join(dir, `credentials`)};
          const result = await runAwsmfa([`env`, `--shell`, `json`, `--no-cache`, `--direct`, `--profile`, profile, `--endpoint-url`, sts.url, `--code`, sts.code], env);
          if (result.exitCode !== 0) {
            problems.push(`${where}: resolved in process, but the CLI failed: ${result.stderr.trim()}`);
            continue;
          }
          const calls = sts.sessionRequests;
          const expected = request.roles.length === 0
            ? [{action: `GetSessionToken`, SerialNumber: request.serialNumber, DurationSeconds: request.durationSeconds}]
            : request.roles.map((step, index) => ({
              action: `AssumeRole`, RoleArn: step.roleArn, RoleSessionName: step.sessionName, ExternalId: step.externalId,
              SerialNumber: step.mfa ? request.serialNumber : undefined,
              DurationSeconds: index > 0 && (step.durationSeconds ?? 0) > 3600 ? 3600 : step.durationSeconds,
            }));
          const seen = calls.map(call => Object.fromEntries(Object.entries({action: call.action, RoleArn: call.params.RoleArn, RoleSessionName: call.params.RoleSessionName, ExternalId: call.params.ExternalId, SerialNumber: call.params.SerialNumber, DurationSeconds: call.params.DurationSeconds === undefined ? undefined : Number(call.params.DurationSeconds)}).filter(([, value]) => value !== undefined)));
          const wanted = expected.map(call => Object.fromEntries(Object.entries(call).filter(([, value]) => value !== undefined)));
          if (JSON.stringify(seen) !== JSON.stringify(wanted))
            problems.push(`${where}: sent ${JSON.stringify(seen)}, resolved ${JSON.stringify(wanted)}`);
          else if (calls[0]!.accessKeyId !== keyOf(request) || !calls.every(call => call.signatureValid) || calls.some(call => call.region !== request.region))
            problems.push(`${where}: signed by ${calls[0]!.accessKeyId} in ${calls[0]!.region}, resolved ${keyOf(request)} in ${request.region}`);
          else
            sent++;
        }
      }));
    } finally {
      await Promise.all(lanes.map(sts => sts.close()));
    }
    t.diagnostic(`sent: ${sent} of ${jobs.length} resolvable profiles went through the CLI to the stand-in exactly as resolved`);
    assert.deepEqual(problems, []);
  });
});

/** Runs botocore's resolver on the cases; botocore's own session names carry a timestamp, which is left out. */
function botocoreResolve(cases: Array<{dir: string, profiles: string[]}>): Array<Record<string, Botocore>> {
  const run = spawnSync(`python3`, [RESOLVER], {input: JSON.stringify(cases), encoding: `utf8`, maxBuffer: 64 * 1024 * 1024});
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.replace(/botocore-session-\d+/g, `botocore-session-*`));
}

const AWS = `/usr/bin/aws`;

describe(`botocore parity after a write: the session reads back, every other profile resolves as before`, {skip: skipUnlessBotocore()}, () => {
  const SESSION = {accessKeyId: `ASIAWRITTENEXAMPLE01`, secretAccessKey: `written/secret+EXAMPLE`, sessionToken: `FwoGZXIvYXdzEWRITTENTOKEN+/=`, expiration: `2099-01-01T00:00:00Z`};
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), `awsmfa-botocore-write-`));
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  test(`every file of the corpus: written as login writes, then read by botocore (and the AWS CLI)`, t => {
    const cases = CORPUS.map((item, index) => {
      const caseDir = join(dir, String(index));
      mkdirSync(caseDir);
      writeFileSync(join(caseDir, `credentials`), item.credentials ?? ``);
      if (item.config !== undefined)
        writeFileSync(join(caseDir, `config`), item.config);
      const names = new Set([`default`, `awsmfa-written`]);
      for (const text of [item.credentials ?? ``, item.config ?? ``])
        for (const match of text.matchAll(/^\s*\[\s*(?:profiles?\s+)?"?([^\]"]*?)"?\s*\]/gm))
          names.add(match[1]!);
      return {dir: caseDir, profiles: [...names]};
    });
    const before = botocoreResolve(cases);
    const problems: string[] = [];
    let written = 0;
    let refused = 0;
    let awsChecked = 0;
    cases.forEach((item, index) => {
      const file = join(item.dir, `credentials`);
      const text = readFileSync(file, `utf8`);
      const parseError = Object.values(before[index]!).some(result => result.error === `parse`);
      let after: string;
      try {
        // As login does: both files are read first, and a file the AWS CLI cannot read stops it there.
        AwsFiles.load({AWS_CONFIG_FILE: join(item.dir, `config`), AWS_SHARED_CREDENTIALS_FILE: file});
        after = setSectionValues(text, `awsmfa-written`, [[`aws_access_key_id`, SESSION.accessKeyId], [`aws_secret_access_key`, SESSION.secretAccessKey], [`aws_session_token`, SESSION.sessionToken], [`aws_expiration`, SESSION.expiration]]);
      } catch (error) {
        if (!parseError)
          problems.push(`${CORPUS[index]!.name}: awsmfa refuses to write a file botocore reads: ${(error as Error).message}`);
        refused++;
        return;
      }
      if (parseError) {
        problems.push(`${CORPUS[index]!.name}: awsmfa writes into a file botocore cannot read`);
        return;
      }
      assert.ok(after.startsWith(text.replace(/[\r\n]*$/, ``)), `${CORPUS[index]!.name}: only lines are added after the file's own`);
      writeFileSync(file, after);
      written++;
    });
    const afterResolve = botocoreResolve(cases);
    cases.forEach((item, index) => {
      if (Object.values(before[index]!).some(result => result.error === `parse`))
        return;
      for (const profile of item.profiles) {
        if (profile === `awsmfa-written`)
          continue;
        if (JSON.stringify(afterResolve[index]![profile]) !== JSON.stringify(before[index]![profile]))
          problems.push(`${CORPUS[index]!.name} [${profile}]: resolves differently after the write`);
      }
      const session = afterResolve[index]![`awsmfa-written`]!;
      if (session.accessKeyId !== SESSION.accessKeyId)
        problems.push(`${CORPUS[index]!.name}: botocore reads ${JSON.stringify(session)} for the written profile`);
    });
    // The AWS CLI itself, on a few files of every kind of line ending (each run costs the CLI's start).
    if (existsSync(AWS)) {
      for (const index of [0, CORPUS.findIndex(item => item.name.startsWith(`CR-only`)), CORPUS.findIndex(item => item.name.startsWith(`mixed line`)), CORPUS.findIndex(item => item.name.startsWith(`[DEFAULT] in credentials`)), CORPUS.findIndex(item => item.name.startsWith(`no line break`))]) {
        const env = {PATH: process.env.PATH ?? ``, HOME: cases[index]!.dir, AWS_CONFIG_FILE: join(cases[index]!.dir, `config`), AWS_SHARED_CREDENTIALS_FILE: join(cases[index]!.dir, `credentials`)};
        const run = spawnSync(AWS, [`configure`, `export-credentials`, `--profile`, `awsmfa-written`, `--format`, `process`], {env, encoding: `utf8`});
        if (run.status !== 0 || JSON.parse(run.stdout).AccessKeyId !== SESSION.accessKeyId || JSON.parse(run.stdout).SessionToken !== SESSION.sessionToken)
          problems.push(`${CORPUS[index]!.name}: the AWS CLI does not read the written session: ${run.stderr}${run.stdout}`);
        awsChecked++;
      }
    } else if (process.env.CI) {
      throw new Error(`/usr/bin/aws is missing, and CI must test with it (see .ci/run)`);
    }
    t.diagnostic(`written into ${written} files (refused ${refused} that botocore cannot read either); every other profile resolves as before; the AWS CLI read the session back from ${awsChecked}`);
    assert.deepEqual(problems, []);
  });
});
