import {Option} from 'clipanion';
import {STORE_NAMES} from '../key-marker.js';
import {credentialProcessLine, type MoveContext} from '../keys/move.js';
import type {ValueRule} from '../rules.js';
import {valueOf, type AwsmfaCommand} from './base-command.js';

// What the `awsmfa keys …` commands share (their options, what moving keys may touch): a base of theirs, as
// base-command.ts is of every command, so that no command imports another.

const STORE_RULE: ValueRule = {what: `one of ${STORE_NAMES.join(`, `)}`, test: name => (STORE_NAMES as readonly string[]).includes(name)};

/** --to for the commands that put keys into a store. */
export const storeOption = () => Option.String(`--to`, `keyring`, {description: `The store: keyring (the OS keyring: macOS Keychain, Windows Credential Manager, Secret Service) or file (an age-encrypted file); default keyring`, validator: valueOf(STORE_RULE)});

/** Whether to write the credential_process that keeps `aws --profile P` working. */
export const credentialProcessOption = () => Option.Boolean(`--credential-process`, true, {description: `Point the profile's credential_process at awsmfa, so the AWS CLI and SDKs keep working with it (default; --no-credential-process leaves it out)`});

/** What the keys commands may touch: the stores, the AWS files, stderr for notes. */
export function moveContext(command: AwsmfaCommand, withProcess: boolean): MoveContext {
  const {env, platform, scriptPath} = command.context;
  return {env, platform, warn: command.context.warn, credentialProcess: withProcess ? credentialProcessLine(process.execPath, scriptPath, platform) : undefined};
}
