/** moto (a real STS written by others, from PyPI) on a loopback port, when it is installed. */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
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
