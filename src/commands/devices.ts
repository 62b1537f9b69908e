import {Command, Option} from 'clipanion';
import {AwsFiles} from '../aws-files/files.js';
import {setSectionValues} from '../aws-files/ini-edit.js';
import {profileName, settingOfProfileOrSource} from '../aws-files/resolve.js';
import {resolveSource} from '../aws-files/source.js';
import {RULES} from '../rules.js';
import {checkProfileName, configSection} from '../aws-files/session-profile.js';
import {checkUpdatable, updateSharedFile} from '../aws-files/update.js';
import {cacheDir} from '../cache/folder.js';
import {rememberDevice} from '../cache/devices.js';
import {chooseDevice, devicesOf} from '../session/devices.js';
import {jsonText} from '../terminal.js';
import {AwsmfaCommand, budgetMs, DEFAULT_TIMEOUT, valueOf} from './base-command.js';
import {localDate} from '../time.js';

export class DevicesCommand extends AwsmfaCommand {
  static override paths = [[`devices`]];

  static override usage = Command.Usage({
    description: `list your MFA devices, and save one as the profile's mfa_serial`,
    details: `
      Asks IAM (ListMFADevices, signed by the profile's long-term keys) for the MFA devices of your IAM user and prints one per line: the ARN, when it was enabled, and whether the profile uses it. The endpoint is AWS_ENDPOINT_URL_IAM, else AWS_ENDPOINT_URL, else the profile's services section. Where IAM wants the user named (moto, LocalStack), it is asked again with the user name from STS GetCallerIdentity.

      \`--save\` writes the device into the profile's section of ~/.aws/config as \`mfa_serial\` (only that line changes; the file is replaced atomically, under a lock). With several devices it asks which on the terminal.

      A profile without \`mfa_serial\` needs none of this: \`env\` and \`login\` use your only device by themselves (and say so), asking IAM once.
    `,
    examples: [
      [`List the devices of the default profile's user`, `awsmfa devices`],
      [`Save the device into profile work`, `awsmfa devices --save --profile work`],
      [`For a script`, `awsmfa devices --json`],
    ],
  });

  profile = Option.String(`--profile,-p`, {description: `Profile with your long-term keys (default: AWS_PROFILE, else default)`, validator: valueOf(RULES.profile)});
  save = Option.Boolean(`--save`, false, {description: `Write the device (the only one, or the one you pick) as mfa_serial of the profile`});
  json = Option.Boolean(`--json`, false, {description: `Print a JSON document`});
  timeout = Option.String(`--timeout`, {description: `Give up on IAM after this long: 30, 30s, 2m (default: AWSMFA_TIMEOUT, else ${DEFAULT_TIMEOUT})`, validator: valueOf(RULES.timeout)});

  override readonly variables = [`AWSMFA_TIMEOUT`, `AWSMFA_PROMPT_TIMEOUT`] as const;

  async run() {
    const {env} = this.context;
    const files = AwsFiles.load(env);
    const profile = profileName(this, env);
    const source = resolveSource(files, profile, env, this.context.log);
    const configured = settingOfProfileOrSource(files, profile, `mfa_serial`);
    const timeoutMs = budgetMs(this.timeout, env);
    const updates = this.context;
    // The file that holds a profile's mfa_serial now wins; a new one goes into the config file, as aws configure puts it.
    const inCredentials = files.credentialsOf(profile)?.mfa_serial !== undefined;
    const target = inCredentials ? files.credentialsPath : files.configPath;
    if (this.save) {
      checkProfileName(profile, `--profile`);
      checkUpdatable(target, updates);
    }

    const devices = await devicesOf(files, profile, source, this.context, timeoutMs);
    if (!this.save) {
      if (this.json) {
        this.context.out.write(`${jsonText(devices.map(device => ({serialNumber: device.serialNumber, userName: device.userName ?? null, enableDate: device.enableDate ?? null, usedByProfile: device.serialNumber === configured})), 2)}\n`);
        return;
      }
      if (devices.length === 0) {
        this.context.warn(`your IAM user (keys ${source.accessKeyId}) has no MFA device: assign one in the IAM console under Security credentials`);
        return 1;
      }
      this.context.out.write(devices.map(device => `${device.serialNumber}${device.enableDate === undefined ? `` : `  enabled ${localDate(new Date(device.enableDate))}`}${device.serialNumber === configured ? `  (mfa_serial of profile '${profile}')` : ``}\n`).join(``));
      if (configured === undefined)
        this.context.info(`profile '${profile}' names no mfa_serial; awsmfa devices --save${profile === `default` ? `` : ` --profile ${profile}`} writes ${devices.length === 1 ? `it` : `one`} into ${files.configPath}`);
      return;
    }

    const device = await chooseDevice(devices, this.context, `pick one on a terminal, or add mfa_serial = ARN under [${configSection(profile)}] in ${files.configPath} yourself`);
    if (device.serialNumber === files.setting(profile, `mfa_serial`)) {
      this.context.info(`profile '${profile}' already has mfa_serial = ${device.serialNumber}`);
    } else {
      const section = inCredentials ? profile : configSection(profile);
      updateSharedFile(target, updates, text => setSectionValues(text, section, [[`mfa_serial`, device.serialNumber]]));
      const before = files.setting(profile, `mfa_serial`);
      this.context.info(`saved mfa_serial = ${device.serialNumber} under [${section}] in ${target}${before === undefined ? `` : ` (it was ${before})`}`);
    }
    try {
      rememberDevice(cacheDir(env), source.accessKeyId, device.serialNumber);
    } catch {}
    if (this.json)
      this.context.out.write(`${jsonText({serialNumber: device.serialNumber, profile, file: target}, 2)}\n`);
  }
}
