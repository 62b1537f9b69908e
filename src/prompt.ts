import {closeSync, openSync, readSync} from 'node:fs';
import {ConfigError} from './errors.js';

export const CODE_PATTERN = /^\d{6}$/;

/** Reads one line from the fd, byte by byte so nothing past the line is consumed (or left pending). */
function readLine(fd: number): string | undefined {
  const bytes: number[] = [];
  const one = Buffer.alloc(1);
  for (;;) {
    const read = readSync(fd, one, 0, 1, null);
    if (read === 0)
      return bytes.length === 0 ? undefined : Buffer.from(bytes).toString(`utf8`);
    if (one[0] === 0x0a)
      return Buffer.from(bytes).toString(`utf8`).replace(/\r$/, ``);
    bytes.push(one[0]!);
  }
}

/**
 * Asks for the MFA code on the controlling terminal, not on stdin/stdout: those are `eval`'s pipe. The question
 * goes to stderr. With no terminal (cron, CI, a pipe) it fails at once instead of waiting for input never coming.
 */
export function promptCode(question: string, stderr: NodeJS.WritableStream, platform: NodeJS.Platform): string {
  let fd: number;
  try {
    fd = openSync(platform === `win32` ? `CONIN$` : `/dev/tty`, `r`);
  } catch {
    throw new ConfigError(`no MFA code given and no terminal to ask on: pass the code as an argument or with --code 123456`);
  }
  try {
    for (let attempt = 1; attempt <= 3; attempt++) {
      stderr.write(question);
      const line = readLine(fd);
      if (line === undefined)
        break;
      const code = line.trim();
      if (CODE_PATTERN.test(code))
        return code;
      stderr.write(`awsmfa: an MFA code is 6 digits\n`);
    }
  } finally {
    closeSync(fd);
  }
  throw new ConfigError(`no valid MFA code entered: pass it with --code 123456`);
}

