/** Which shell awsmfa writes for when --shell is not given. */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {describe, test} from 'node:test';
import {detectShell, shellFromName} from '../src/dialects/detect.js';

/** A process whose name we know: `bash -c 'sleep 5; :'` stays bash (the trailing `:` keeps it from exec'ing sleep). */
async function withBash<T>(use: (pid: number) => Promise<T>): Promise<T> {
  const child = spawn(`bash`, [`-c`, `sleep 5; :`], {stdio: `ignore`});
  try {
    await new Promise(resolve => setTimeout(resolve, 100));
    return await use(child.pid!);
  } finally {
    child.kill();
  }
}

describe(`shell detection`, () => {
  test(`process names and paths as /proc and ps give them`, () => {
    assert.equal(shellFromName(`bash\n`), `bash`);
    assert.equal(shellFromName(`-zsh`), `zsh`);
    assert.equal(shellFromName(`/usr/local/bin/fish`), `fish`);
    assert.equal(shellFromName(`pwsh.exe`), `pwsh`);
    assert.equal(shellFromName(`csh`), `tcsh`);
    assert.equal(shellFromName(`dash`), `sh`);
    assert.equal(shellFromName(`node`), undefined);
    assert.equal(shellFromName(`json`), undefined, `a format is no shell`);
  });

  test(`Linux: the parent's /proc/PID/comm, before $SHELL`, async () => {
    await withBash(async pid => {
      assert.deepEqual(await detectShell({SHELL: `/usr/bin/fish`}, pid, `linux`), {shell: `bash`, how: `the parent process (bash)`});
    });
  });

  test(`macOS and the BSDs: ps -o comm= (procps answers the same way here)`, async () => {
    await withBash(async pid => {
      assert.equal((await detectShell({SHELL: `/usr/bin/fish`}, pid, `darwin`)).shell, `bash`);
    });
  });

  test(`a parent that is no shell: $SHELL; neither: POSIX sh, or PowerShell on Windows`, async () => {
    assert.deepEqual(await detectShell({SHELL: `/bin/zsh`}, process.pid, `linux`), {shell: `zsh`, how: `$SHELL (/bin/zsh)`});
    assert.equal((await detectShell({}, process.pid, `linux`)).shell, `sh`);
    assert.equal((await detectShell({SHELL: `/usr/bin/nu`}, process.pid, `linux`)).shell, `sh`);
    assert.equal((await detectShell({}, process.pid, `win32`)).shell, `pwsh`);
  });
});
