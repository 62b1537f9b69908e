import {closeSync, openSync, readSync} from 'node:fs';
import {ConfigError} from './errors.js';

/** An MFA code: six ASCII digits (full-width digits and the like are not codes STS takes). */
export const CODE_PATTERN = /^[0-9]{6}$/;

/**
 * The controlling terminal, for questions: not stdin/stdout, which are `eval`'s pipe. Undefined when there is
 * none (cron, CI, a pipe), so callers fail at once instead of waiting for input that never comes.
 */
export function openTerminal(platform: NodeJS.Platform): number | undefined {
  try {
    return openSync(platform === `win32` ? `CONIN$` : `/dev/tty`, `r`);
  } catch {
    return undefined;
  }
}

/** Reads one line from the fd, byte by byte so nothing past the line is consumed (or left pending). */
function readLine(fd: number, hidden: boolean): string | undefined {
  const bytes: number[] = [];
  const one = Buffer.alloc(1);
  for (;;) {
    const read = readSync(fd, one, 0, 1, null);
    if (read === 0)
      return bytes.length === 0 ? undefined : Buffer.from(bytes).toString(`utf8`);
    const byte = one[0]!;
    if (byte === 0x0a || (hidden && byte === 0x0d))
      return Buffer.from(bytes).toString(`utf8`).replace(/\r$/, ``);
    if (hidden && byte === 0x03)
      throw new ConfigError(`cancelled`);
    if (hidden && (byte === 0x7f || byte === 0x08))
      bytes.pop();
    else
      bytes.push(byte);
  }
}

/**
 * Asks one question on the terminal; the question goes to stderr. A hidden answer (a secret key) is read with
 * the terminal's echo off, so it never shows on the screen or in a scrollback.
 */
export async function ask(fd: number, question: string, stderr: NodeJS.WritableStream, options: {hidden?: boolean} = {}): Promise<string | undefined> {
  if (!options.hidden) {
    stderr.write(question);
    return readLine(fd, false);
  }
  // Raw mode is a setting of the terminal, made here through a second descriptor that libuv owns; the blocking
  // reads stay on `fd`. It is set before the question shows, so not even a quick answer is echoed.
  const {ReadStream} = await import(`node:tty`);
  const control = openSync(process.platform === `win32` ? `CONIN$` : `/dev/tty`, `r`);
  const stream = new ReadStream(control);
  stream.setRawMode(true);
  stderr.write(question);
  try {
    return readLine(fd, true);
  } finally {
    stream.setRawMode(false);
    stream.destroy();
    stderr.write(`\n`);
  }
}

/** No code was given and there is no terminal to ask for one on (cron, CI, a credential_process). */
export class NoTerminalError extends ConfigError {}

/** Asks for the MFA code, up to three times. */
export async function promptCode(question: string, stderr: NodeJS.WritableStream, platform: NodeJS.Platform): Promise<string> {
  const fd = openTerminal(platform);
  if (fd === undefined)
    throw new NoTerminalError(`no MFA code given and no terminal to ask on: pass the code as an argument or with --code 123456`);
  try {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const line = await ask(fd, question, stderr);
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
