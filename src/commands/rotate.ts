import {Command, Option} from 'clipanion';
import {envValue} from '../env.js';
import {resolveEndpoint} from '../aws-files/endpoints.js';
import {isKeysRequest, mfaSessionRequest, sourceOrigin, type KeysRequest, type SessionRequest, type SourceKeys} from '../request.js';
import {checkUpdatable} from '../aws-files/update.js';
import type {Keys, Where} from '../aws/client.js';
import {ACCESS_KEY_ID_PATTERN} from '../aws/credentials.js';
import {createAccessKey, iamUserName, listAccessKeys, retireAccessKey, type AccessKey} from '../aws/iam.js';
import {callerIdentity} from '../aws/sts.js';
import {AwsmfaError, ConfigError} from '../errors.js';
import {nextCode, obtainSession} from '../session/obtain.js';
import {obtainCode} from '../session/mfa-code.js';
import {carryNewKey, findKeyHome, forgetOldSecret, lockRotation, otherHolders, readJournal, removeJournal, writeJournal, writeKeyBack, type Journal, type KeyHome} from '../session/rotation.js';
import {namesOf, type Holder} from '../keys/holders.js';
import {unlockSource} from '../keys/stores.js';
import {isoSeconds} from '../aws/credentials.js';
import {sessionKey} from '../cache/session-cache.js';
import {valueOf, cacheOptions} from './base-command.js';
import {SessionCommand} from './session-command.js';
import {formatLocal} from '../time.js';

/** How long a new key may take to work at STS: IAM is eventually consistent, a new key usually works within seconds. */
const PROPAGATION_MS = 60_000;

/** The steps a test may crash awsmfa after (AWSMFA_TEST_CRASH_AT), to prove each one leaves a working key on disk. */
type Step = `started` | `created` | `written` | `deactivated`;

export class RotateCommand extends SessionCommand {
  static override paths = [[`rotate`]];

  static override usage = Command.Usage({
    description: `replace the profile's access key with a new one, under an MFA policy`,
    details: `
      Rotates the long-term access key of the profile (of its source, for a role profile): with your MFA session (the cached one, else a new one with a code), IAM creates a new key; awsmfa proves it works (STS GetCallerIdentity signed by it, retried while IAM spreads it), writes it where the old key was (that file and section; only the two key lines change, under the file's lock, atomically), then deactivates and deletes the old key.

      Signed by the MFA session: IAM ListAccessKeys, CreateAccessKey, UpdateAccessKey and DeleteAccessKey, which the usual "force MFA" policies allow only with MFA; so one code covers the whole rotation (none while a cached MFA session lasts). Signed by the keys themselves: GetCallerIdentity (who the old key belongs to, and the proof that the new one works), which needs no permission.

      IAM allows two keys per user. When your user has a second key already, awsmfa names it and stops; \`--delete KEY\` deletes that one first (never the key in your file, never a guess).

      A rotation interrupted at any step (a crash, Ctrl+C, the network) leaves a working key in the file, and the next \`awsmfa rotate\` says what is left and finishes it: the old key still to delete, or a new key whose secret was never saved. It keeps a small note of key ids (no secret) in awsmfa's cache folder until then.
    `,
    examples: [
      [`Rotate the key of the default profile`, `awsmfa rotate`],
      [`Rotate profile work's key with a code`, `awsmfa rotate --profile work --code 123456`],
      [`Delete the user's other key first, then rotate`, `awsmfa rotate --delete AKIAIOSFODNN7EXAMPLE`],
    ],
  });

  delete = Option.String(`--delete`, {description: `The user's other access key, to delete before rotating (IAM allows two)`, validator: valueOf({what: `an access key id like AKIAIOSFODNN7EXAMPLE`, test: value => ACCESS_KEY_ID_PATTERN.test(value)})});

  /** Each step on stderr, quiet or not: a rotation interrupted must have said how far it got. */
  private say(message: string): void {
    this.context.warn(message);
  }

  /** Under test only: dies here as a crash would (SIGKILL: no handler, no finally). */
  private crashPoint(step: Step): void {
    if (envValue(this.context.env, `AWSMFA_TEST_CRASH_AT`) === step)
      process.kill(process.pid, `SIGKILL`);
  }

  async run() {
    this.givenCode();
    // Options every session command shares that mean nothing here: refused rather than silently ignored.
    const meaningless = [[`--role-arn`, this.roleArn !== undefined], [`--role-session-name`, this.roleSessionName !== undefined], [`--direct`, this.direct], [`--no-region`, this.noRegion]] as const;
    const given = meaningless.find(([, set]) => set);
    if (given !== undefined)
      throw new ConfigError(`rotate takes no ${given[0]}: it rotates the long-term key of the profile (of its source, for a role profile), with a plain MFA session`);
    const {env} = this.context;
    const files = this.loadFiles();
    const request = await this.resolveWithDevice(files);
    if (!isKeysRequest(request))
      throw new ConfigError(`profile '${request.profile}' takes its session from ${sourceOrigin(request.source)}: it has no long-term key to rotate`);
    if (request.source.fromEnvironment)
      throw new ConfigError(`your long-term keys are only in AWS_ACCESS_KEY_ID of this shell, where awsmfa cannot write a new one: save them with aws configure --profile ${request.profile} first, or rotate them by hand`);
    const home = findKeyHome(files, request.profile);
    const release = lockRotation(env, home);
    try {
      await this.rotate(files, request, home);
    } finally {
      release();
    }
  }

  /** The rotation itself, while this run holds the key's rotation lock. */
  private async rotate(files: ReturnType<RotateCommand[`loadFiles`]>, request: KeysRequest, home: KeyHome) {
    const {env} = this.context;
    const updates = {env, warn: (message: string) => this.say(message)};
    // Before a code is spent: the file must take the new key.
    checkUpdatable(home.file, updates);
    const timeoutMs = this.timeoutMs();
    const current = request.source.accessKeyId;
    // A key in a store: its secret is read once, here (GetCallerIdentity and a new MFA session need it).
    const source = await unlockSource(request.source, this.context, this.log);
    const old: Keys = {accessKeyId: current, secretAccessKey: source.secretAccessKey};
    // Every other profile that names this key gets the new one too (or the rotation is refused here, before any
    // code or key): the old key is deleted at the end, and none may be left holding it.
    const sharers = otherHolders(files, home, current, source.secretAccessKey, updates);
    const stsWhere: Where = request;
    const iamWhere: Where = {region: request.region, ...resolveEndpoint(files, request.profile, undefined, env, `iam`)};

    // Who the key belongs to: GetCallerIdentity needs no permission, and no MFA.
    const identity = await callerIdentity(old, stsWhere, timeoutMs);
    const userName = iamUserName(identity.arn);
    if (userName === undefined)
      throw new ConfigError(`the key ${current} belongs to ${identity.arn}, not an IAM user: only an IAM user's access keys can be rotated`);

    const journal = readJournal(env, home);
    // Finishing a rotation whose new key is saved: the MFA session of the old key, cached by the first run, still
    // signs (no second code); only without one is a code asked for, with the new key.
    const minRemainingMs = cacheOptions.parseMinRemaining(this.minRemaining);
    const cache = this.sessionCache();
    const leftover = journal?.newKeyId === current ? cache.session(sessionKey(mfaSessionRequest({...request, source: {...request.source, accessKeyId: journal.oldKeyId}})), minRemainingMs) : undefined;
    const obtain = async (base: SessionRequest) => {
      const read = this.cache && !this.force && this.givenCode() === undefined;
      const options = {read, write: this.cache, minRemainingMs, stamps: undefined, plain: false};
      return (await cache.retrieve({profile: base.profile, key: sessionKey(base), configuredRegion: base.configuredRegion}, options, async () => {
        // The code is taken here (not inside obtainSession) so that a second session in this run never reuses it.
        const code = usedCode === undefined ? await obtainCode(base, this.givenCode(), this.context) : await nextCode(base, usedCode, this.context);
        usedCode = code;
        return obtainSession(base, {code, force: true, cache: this.cache ? cache : undefined, minRemainingMs, timeoutMs}, this.context);
      })).credentials;
    };
    let usedCode: string | undefined;
    const useLeftover = leftover !== undefined && this.givenCode() === undefined && !this.force;
    const session = useLeftover ? leftover : await obtain(mfaSessionRequest(request));
    // The key the MFA session in hand was obtained with.
    let sessionOf = useLeftover ? journal!.oldKeyId : request.source.accessKeyId;
    let signer: Keys = {accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken};
    // The keys in the file now: what signs a new MFA session should the one in hand end with the old key.
    let fileKeys: SourceKeys = source;
    let renewed = false;
    const signed = async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        if (renewed || fileKeys.accessKeyId === sessionOf || !(error instanceof AwsmfaError) || !/does not accept the keys/.test(error.message))
          throw error;
        renewed = true;
        this.say(`the MFA session ended with the old key: a new one, of the key in the file (${fileKeys.accessKeyId}), is needed`);
        const fresh = await obtain(mfaSessionRequest({...request, source: fileKeys}));
        signer = {accessKeyId: fresh.accessKeyId, secretAccessKey: fresh.secretAccessKey, sessionToken: fresh.sessionToken};
        sessionOf = fileKeys.accessKeyId;
        return await call();
      }
    };
    const retire = async (id: string, why: string) => {
      await signed(() => retireAccessKey(signer, iamWhere, timeoutMs, userName, id, `deactivate`));
      this.say(`deactivated ${why} ${id}`);
      this.crashPoint(`deactivated`);
      await signed(() => retireAccessKey(signer, iamWhere, timeoutMs, userName, id, `delete`));
      this.say(`deleted ${why} ${id}`);
    };

    let keys = await listAccessKeys(signer, iamWhere, timeoutMs, userName);
    if (journal !== undefined) {
      // A run stopped after the new key was saved: the profiles that still name the old key get the new one first.
      const carry = async () => {
        const left = otherHolders(files, home, journal.oldKeyId, undefined, updates);
        await carryNewKey(left, {accessKeyId: current, secretAccessKey: source.secretAccessKey}, {...updates, platform: this.context.platform});
        return left;
      };
      const finished = await this.finishInterrupted(journal, current, keys, home, retire, carry);
      if (finished)
        return;
      keys = await listAccessKeys(signer, iamWhere, timeoutMs, userName);
    }

    if (!keys.some(key => key.id === current))
      throw new AwsmfaError(`IAM lists no key ${current} for user ${userName}, whose key it is: it was deleted meanwhile; nothing was changed`);
    const others = keys.filter(key => key.id !== current);
    if (this.delete !== undefined) {
      if (this.delete === current)
        throw new ConfigError(`--delete ${this.delete} names the key in ${home.file} [${home.section}], which the rotation replaces by itself; --delete takes the user's other key`);
      if (!others.some(key => key.id === this.delete))
        throw new ConfigError(`--delete ${this.delete}: user ${userName} has no such key (${describeKeys(keys)})`);
      await retire(this.delete, `the other key`);
    } else if (others.length > 0) {
      throw new ConfigError(`user ${userName} has two access keys, AWS's limit: ${current} (in ${home.file} [${home.section}]) and ${describeKeys(others)}; if nothing uses ${others[0]!.id} any more, run again with --delete ${others[0]!.id} (awsmfa never guesses which key is unused)`);
    }

    const startedAt = isoSeconds(this.context.now());
    const note: Journal = {version: 1, file: home.file, section: home.section, userName, oldKeyId: current, newKeyId: null, startedAt};
    writeJournal(env, home, note);
    this.crashPoint(`started`);
    const created = await createAccessKey(signer, iamWhere, timeoutMs, userName);
    writeJournal(env, home, {...note, newKeyId: created.accessKeyId});
    this.say(`created the new key ${created.accessKeyId}`);
    this.crashPoint(`created`);

    try {
      await this.proveWorks(created, identity.arn, stsWhere, timeoutMs);
    } catch (error) {
      // Never written anywhere: of no use to anyone. The old key stays as it was.
      await retireAccessKey(signer, iamWhere, timeoutMs, userName, created.accessKeyId, `delete`).catch(() => {});
      removeJournal(env, home);
      throw error;
    }
    await writeKeyBack(home, created, {...updates, platform: this.context.platform});
    fileKeys = {...created, origin: `the new key in ${home.file} [${home.section}]`};
    this.say(home.store === undefined ? `wrote ${created.accessKeyId} into [${home.section}] of ${home.file}` : `wrote ${created.accessKeyId} into the ${home.store} store, and its id into [${home.section}] of ${home.file}`);
    this.crashPoint(`written`);
    if (sharers.length > 0) {
      await carryNewKey(sharers, created, {...updates, platform: this.context.platform});
      this.say(`wrote ${created.accessKeyId} for ${namesOf(sharers)} too, which named the same key`);
    }
    try {
      await retire(current, `the old key`);
    } catch (error) {
      throw new AwsmfaError(`the new key ${created.accessKeyId} is saved and works, but the old key ${current} is not deleted yet (${(error as Error).message}); run awsmfa rotate${request.profile === `default` ? `` : ` --profile ${request.profile}`} again to finish`, 1, {cause: error});
    }
    await forgetOldSecret(home, current, this.context, sharers);
    removeJournal(env, home);
    this.say(`rotated: profile '${home.profile}' now uses ${created.accessKeyId}; the next mfa asks for a code (sessions are cached per key)`);
  }

  /**
   * What an interrupted rotation left, told apart by the key the file holds now. Returns true when that finished the
   * job (the new key was saved: only the old one was left to delete).
   */
  private async finishInterrupted(journal: Journal, current: string, keys: AccessKey[], home: KeyHome, retire: (id: string, why: string) => Promise<void>, carry: () => Promise<Holder[]>): Promise<boolean> {
    const {env} = this.context;
    const listed = (id: string | null) => id !== null && keys.some(key => key.id === id);
    if (journal.newKeyId === current) {
      this.say(`an earlier rotation (started ${journal.startedAt}) saved the new key ${current} but did not delete the old key ${journal.oldKeyId}: finishing it`);
      const others = await carry();
      if (others.length > 0)
        this.say(`wrote ${current} for ${namesOf(others)} too, which still named the old key`);
      if (listed(journal.oldKeyId))
        await retire(journal.oldKeyId, `the old key`);
      await forgetOldSecret(home, journal.oldKeyId, this.context, others);
      removeJournal(env, home);
      this.say(`rotated: profile '${home.profile}' uses ${current}; ${journal.oldKeyId} is gone`);
      return true;
    }
    if (journal.oldKeyId !== current) {
      this.say(`note: a note of an earlier rotation names keys the file no longer holds (${journal.oldKeyId}, ${journal.newKeyId ?? `none`}); it is dropped, nothing is deleted for it`);
      removeJournal(env, home);
      return false;
    }
    if (journal.newKeyId !== null && listed(journal.newKeyId)) {
      this.say(`an earlier rotation (started ${journal.startedAt}) created ${journal.newKeyId} but never saved its secret, so nothing can use it: deleting it`);
      await retire(journal.newKeyId, `the unsaved key`);
    } else if (journal.newKeyId === null) {
      const later = keys.filter(key => key.id !== current && key.created !== undefined && key.created >= journal.startedAt);
      if (later.length > 0)
        throw new ConfigError(`an earlier rotation (started ${journal.startedAt}) was interrupted while IAM created a key, whose id it never learned; ${describeKeys(later)} was created since: if that is it, run again with --delete ${later[0]!.id}`);
    }
    removeJournal(env, home);
    return false;
  }

  /** GetCallerIdentity signed by the new key, until it answers as the same user (IAM takes a few seconds to spread a key). */
  private async proveWorks(key: Keys, arn: string, where: Where, timeoutMs: number): Promise<void> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const identity = await callerIdentity(key, where, timeoutMs);
        if (identity.arn !== arn)
          throw new AwsmfaError(`the new key ${key.accessKeyId} belongs to ${identity.arn}, not ${arn}: it is deleted again, and the old key stays`);
        this.say(`the new key ${key.accessKeyId} works`);
        return;
      } catch (error) {
        const notYet = error instanceof AwsmfaError && /does not accept the keys/.test(error.message);
        if (!notYet || Date.now() - started > PROPAGATION_MS)
          throw new AwsmfaError(`the new key ${key.accessKeyId} did not work within ${PROPAGATION_MS / 1000} s (${(error as Error).message}); it is deleted again, and the old key stays`, 1, {cause: error});
        if (attempt === 1)
          this.say(`waiting for IAM to spread the new key ${key.accessKeyId}`);
        await new Promise(resolve => setTimeout(resolve, Math.min(4000, 500 * attempt)));
      }
    }
  }
}

function describeKeys(keys: readonly AccessKey[]): string {
  const now = new Date();
  return keys.map(key => `${key.id} (${key.status}${key.created === undefined ? `` : `, created ${formatLocal(new Date(key.created), now)} local`})`).join(`, `);
}
