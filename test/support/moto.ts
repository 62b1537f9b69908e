/** moto (a real STS written by others, from PyPI) on a loopback port, when it is installed. */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {after, before, beforeEach} from 'node:test';
import {CreateAccessKeyCommand, CreateUserCommand, IAMClient} from '@aws-sdk/client-iam';
import {createServer} from 'node:net';

export function motoMissing(): string | false {
  if (spawnSync(`python3`, [`-c`, `import moto.server`]).status === 0)
    return false;
  if (process.env.CI)
    throw new Error(`moto is not installed, and CI must test against it (see .ci/run)`);
  return `moto is not installed here (pip install "moto[server]"; CI installs it)`;
}

async function freePort(): Promise<number> {
  return new Promise(resolve => {
    const server = createServer().listen(0, `127.0.0.1`, () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    });
  });
}

export async function startMoto(): Promise<{url: string, process: ChildProcess, stop: () => void}> {
  const port = await freePort();
  const child = spawn(`python3`, [`-m`, `moto.server`, `-H`, `127.0.0.1`, `-p`, String(port)], {stdio: `ignore`});
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      await fetch(`${url}/moto-api/`);
      return {url, process: child, stop: () => child.kill()};
    } catch {
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
  child.kill();
  throw new Error(`moto did not start on ${url}`);
}

/** The admin moto takes for any key (it checks no signature's owner). */
export const MOTO_ADMIN = {accessKeyId: `AKIAMOTOADMIN0000001`, secretAccessKey: `admin-secret`};

/**
 * Inside a describe: moto started once, and before each test reset to one IAM user, alice, with one access key of
 * hers (`key`, the one a test writes into the AWS files). `iam` is moto's IAM as an admin sees it.
 */
export function motoWithAlice(): {readonly url: string, readonly iam: IAMClient, readonly key: {id: string, secret: string}} {
  const state = {} as {url: string, iam: IAMClient, key: {id: string, secret: string}, stop: () => void};
  before(async () => {
    const moto = await startMoto();
    Object.assign(state, {url: moto.url, stop: moto.stop, iam: new IAMClient({region: `us-east-1`, endpoint: moto.url, credentials: MOTO_ADMIN})});
  });
  after(() => {
    state.iam.destroy();
    state.stop();
  });
  beforeEach(async () => {
    await fetch(`${state.url}/moto-api/reset`, {method: `POST`});
    await state.iam.send(new CreateUserCommand({UserName: `alice`}));
    const created = (await state.iam.send(new CreateAccessKeyCommand({UserName: `alice`}))).AccessKey!;
    state.key = {id: created.AccessKeyId!, secret: created.SecretAccessKey!};
  });
  return state;
}
