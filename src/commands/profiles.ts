import {Command, Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {resolveRequest, settingOfProfileOrSource} from '../aws-files/resolve.js';
import {credentialKind, isRoleProfile, keysLocation, resolveSource, roleChain, tokenSourceOf} from '../aws-files/source.js';
import {basename} from 'node:path';
import {cacheDir} from '../cache/folder.js';
import {SessionCache, sessionKey} from '../cache/session-cache.js';
import {deviceFile, rememberedDevice} from '../cache/devices.js';
import {jsonText, visible} from '../terminal.js';
import {formatSpan, remainingMs} from '../time.js';
import {AwsmfaCommand} from './base-command.js';

/** What a profile is, as a user tells them apart. */
type Kind = `keys` | `session` | `role` | `sso` | `login` | `process` | `web-identity` | `settings`;

interface ProfileInfo {
  name: string;
  kind: Kind;
  region: string | null;
  mfaSerial: string | null;
  roleArn: string | null;
  sourceProfile: string | null;
  /** awsmfa's cached session for the profile (a role's own), or the session a session profile holds. */
  session: {expiration: string, remainingSeconds: number} | null;
  /** Why awsmfa cannot use the profile, when it cannot. */
  problem: string | null;
  /** Where the profile's own long-term keys are: `aws-files` (plaintext), `keyring`, `file`; null without keys of its own. */
  keysIn: string | null;
}

function kindOf(files: AwsFiles, name: string): Kind {
  const has = (key: string) => files.setting(name, key) !== undefined;
  if (has(`web_identity_token_file`))
    return `web-identity`;
  if (isRoleProfile(files, name))
    return `role`;
  if (has(`aws_session_token`))
    return `session`;
  // As botocore's providers take them: Identity Center, the credentials file's keys, aws login, the config file's keys.
  const credentials = credentialKind(files, name);
  if (credentials !== undefined)
    return credentials;
  if (has(`sso_session`) || has(`sso_start_url`))
    return `sso`;
  if (has(`credential_process`))
    return `process`;
  return `settings`;
}

const short = (arn: string | null) => arn?.replace(/^arn:aws[\w-]*:(iam|sts)::/, ``) ?? `-`;

export class ProfilesCommand extends AwsmfaCommand {
  static override paths = [[`profiles`]];

  static override usage = Command.Usage({
    description: `list the profiles of ~/.aws with their MFA device, role and cached session`,
    details: `
      Lists every profile of ~/.aws/config and ~/.aws/credentials as the AWS CLI reads them: what it is (long-term \`keys\`, with where they are when a store holds them: \`keys (keyring)\`, \`keys (file)\`; a \`session\`, a \`role\`, \`sso\` (IAM Identity Center), \`login\` (aws login), a credential \`process\`, or only \`settings\`), its region, the MFA device it uses (its own or its source's), its role and source profile, and the time left of awsmfa's cached session for it (for a session profile: of the session it holds). Never a secret.
    `,
    examples: [
      [`List the profiles`, `awsmfa profiles`],
      [`For a script`, `awsmfa profiles --json`],
    ],
  });

  json = Option.Boolean(`--json`, false, {description: `Print a JSON document`});

  async run() {
    // A plain copy: process.env looks every name up in the C library, and resolving 10,000 profiles asks it for the
    // same few names 10,000 times over.
    const env = {...this.context.env};
    const now = this.context.now();
    const files = AwsFiles.load(env);
    const cache = new SessionCache(env, () => now);
    const dir = cacheDir(env).dir;
    // The cache folder read once: a profile's session (or remembered device) is then read only when it is there.
    const survey = cache.survey();
    const profiles: ProfileInfo[] = files.profileNames().map(name => {
      const kind = kindOf(files, name);
      const info: ProfileInfo = {
        name,
        kind,
        region: settingOfProfileOrSource(files, name, `region`) ?? null,
        mfaSerial: settingOfProfileOrSource(files, name, `mfa_serial`) ?? null,
        roleArn: kind === `role` ? files.setting(name, `role_arn`)! : null,
        sourceProfile: kind === `role` ? files.setting(name, `source_profile`) ?? null : null,
        session: null,
        problem: null,
        keysIn: keysLocation(files, name) ?? null,
      };
      if (kind === `session`) {
        const expiration = files.setting(name, `aws_expiration`);
        if (expiration !== undefined && !Number.isNaN(Date.parse(expiration)))
          info.session = {expiration, remainingSeconds: Math.floor(remainingMs({expiration}, now) / 1000)};
        return info;
      }
      if (kind !== `keys` && kind !== `role` && kind !== `login` && kind !== `sso`)
        return info;
      try {
        if (kind === `role`)
          roleChain(files, name);
        // An aws login or Identity Center session (or a role from one) needs no device.
        const token = tokenSourceOf(files, name, env);
        // No mfa_serial: the device IAM listed for these keys, if awsmfa remembers one (as env would use it).
        if (token === undefined && info.mfaSerial === null) {
          const accessKeyId = resolveSource(files, name, env).accessKeyId;
          info.mfaSerial = survey === undefined || survey.names.has(basename(deviceFile(dir, accessKeyId))) ? rememberedDevice(dir, accessKeyId) ?? null : null;
        }
        if (token === undefined && info.mfaSerial === null)
          return info;
        const request = resolveRequest(files, {profile: name, serialNumber: info.mfaSerial ?? undefined}, env);
        const key = sessionKey(request);
        const cached = survey === undefined || survey.holds(key) ? cache.session(key, 0) : undefined;
        if (cached)
          info.session = {expiration: cached.expiration, remainingSeconds: Math.floor(remainingMs(cached, now) / 1000)};
      } catch (error) {
        info.problem = (error as Error).message;
      }
      return info;
    });

    if (this.json) {
      this.context.out.write(`${jsonText(profiles, 2)}\n`);
      return;
    }
    if (profiles.length === 0) {
      this.context.warn(`no profiles in ${files.credentialsPath} nor ${files.configPath} (aws configure adds one)`);
      return 1;
    }
    const rows = [[`PROFILE`, `KIND`, `REGION`, `MFA DEVICE`, `ROLE (SOURCE)`, `SESSION`], ...profiles.map(info => [
      info.name,
      info.keysIn === null || info.keysIn === `aws-files` ? info.kind : `${info.kind} (${info.keysIn})`,
      info.region ?? `-`,
      short(info.mfaSerial),
      info.roleArn === null ? `-` : `${short(info.roleArn)} (${info.sourceProfile ?? `?`})`,
      info.problem !== null ? `unusable: see awsmfa env --profile ${info.name}` : info.session === null ? `-` : info.session.remainingSeconds > 0 ? `${formatSpan(Date.parse(info.session.expiration) - now.getTime())} left` : `expired`,
    ].map(visible))];
    // Made visible before the columns are measured: an escape takes more room than the character it shows.
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => row[column]!.length)));
    this.context.out.write(rows.map(row => row.map((cell, column) => column === row.length - 1 ? cell : cell.padEnd(widths[column]!)).join(`  `)).join(`\n`) + `\n`);
  }
}
