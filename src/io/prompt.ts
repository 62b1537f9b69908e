import {closeSync, constants, openSync, readSync, writeSync} from 'node:fs';
import type {Env} from '../env.js';
import {codeOf, variableValue} from '../rules.js';
import {AwsmfaError, ConfigError} from '../errors.js';
import {terminalText} from '../terminal.js';
import {parseSpan} from '../time.js';
import {inForeground, jobLeader} from './job.js';

/**
 * The one way awsmfa asks the person anything (the MFA code, a device, a profile name, a first run's keys): on the
 * controlling terminal, never on stdin/stderr. stdout is `eval`'s pipe, and the AWS CLI, boto3 and the JS SDK
 * capture a credential_process's stderr, so a question there is a blank screen that waits forever. Every question
 * has a time limit, and a hidden one (a secret key) is read with echo off from before it shows until every way
 * out, Ctrl+C and SIGTERM included.
 */

/** An MFA code: six ASCII digits (full-width digits and the like are not codes STS takes). */
export const CODE_PATTERN = /^[0-9]{6}$/;

/** How long a question waits for its answer, by default. */
export const DEFAULT_PROMPT_TIMEOUT = `120s`;

/** How often a question looks for typed bytes: under what a person notices after Enter; about 1% of a core while it waits. */
const POLL_MS = 50;

/**
 * The longest answer kept: a line mode terminal stops at 4095 bytes itself; a hidden answer (raw mode) would
 * otherwise grow with whatever is pasted or piped into the terminal.
 */
const MAX_ANSWER = 4096;

/** What a prompt needs from the context: where it runs, and AWSMFA_PROMPT_TIMEOUT. */
export interface PromptContext {
  platform: NodeJS.Platform;
  env: Env;
}

/** No code was given and there is no terminal to ask for one on (cron, CI, a credential_process without one). */
export class NoTerminalError extends ConfigError {}

/** Nobody answered within AWSMFA_PROMPT_TIMEOUT. Exit 2, as for any other thing to do differently. */
export class PromptTimeoutError extends ConfigError {}

/**
 * The person pressed Ctrl+C (or a signal came) during a question: exit 128 + the signal's number, as shells do; and
 * once the message is out, awsmfa dies of that signal (see diedOf), so a script or loop that ran it stops as it
 * would for any command killed by Ctrl+C.
 */
export class CancelledError extends AwsmfaError {
  constructor(message: string, readonly signal: keyof typeof SIGNALS) {
    super(message, 128 + SIGNALS[signal]);
  }
}

// Every signal whose default ends the process and that a person or the system may send while a question is open:
// caught for the length of the question only, so the terminal's echo and line mode are put back first.
export const SIGNALS = {SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGUSR2: 12, SIGALRM: 14, SIGTERM: 15} as const;

/** The signal a question was cancelled by, for the entry to die of once everything is written. */
export let cancelledBy: keyof typeof SIGNALS | undefined;

/** The time limit of a question: AWSMFA_PROMPT_TIMEOUT (checked like --timeout), else 120 s. */
export function promptTimeoutMs(env: Env): number {
  return parseSpan(variableValue(env, `AWSMFA_PROMPT_TIMEOUT`) ?? DEFAULT_PROMPT_TIMEOUT)!;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * The controlling terminal, opened for one conversation. On Unix one descriptor of /dev/tty of our own, opened
 * O_NONBLOCK: the flag belongs to this open file description alone, so the shell's stdin (the same terminal) stays
 * as it was, and a read that finds nothing returns at once, so the wait can end at the time limit. Bytes are read
 * one at a time, so the answer's line is consumed and nothing typed after it is: what follows stays for the shell.
 * On Windows the console's \\.\CONIN$ and \\.\CONOUT$, read through node:tty (the Windows lane runs it, in Wine).
 */
/** Ctrl+Z typed at a hidden question, which raw mode delivers as a byte instead of stopping the job. */
class CtrlZ extends Error {}

export class Terminal {
  private constructor(
    private readonly input: number,
    private readonly output: number,
    private readonly platform: NodeJS.Platform,
    readonly timeoutMs: number,
  ) {}

  /**
   * Opens the terminal, or undefined when there is none (cron, CI, a detached process: /dev/tty then fails with
   * ENXIO at once), so that callers fail or fall back at once instead of waiting for input that never comes.
   */
  static open(context: PromptContext): Terminal | undefined {
    const timeoutMs = promptTimeoutMs(context.env);
    try {
      if (context.platform === `win32`) {
        // In the device namespace: Node resolves a bare `CONIN$` against the current folder (C:\work\CONIN$, ENOENT,
        // so no question was ever asked on Windows), and a bare `CONOUT$` opened for writing became a file there.
        const input = openSync(`\\\\.\\CONIN$`, `r`);
        try {
          return new Terminal(input, openSync(`\\\\.\\CONOUT$`, `w`), context.platform, timeoutMs);
        } catch (error) {
          closeSync(input);
          throw error;
        }
      }
      const fd = openSync(`/dev/tty`, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
      // A terminal whose foreground is another job is no one's to ask on: reading it would stop awsmfa.
      if (!inForeground(context.platform)) {
        closeSync(fd);
        return undefined;
      }
      return new Terminal(fd, fd, context.platform, timeoutMs);
    } catch {
      return undefined;
    }
  }

  close(): void {
    if (this.console !== undefined) {
      this.console.destroy();
      this.console = undefined;
    }
    for (const fd of new Set([this.input, this.output])) {
      try {
        closeSync(fd);
      } catch {}
    }
  }

  /** Says something to the person (a list to choose from, why an answer was not taken); controls made visible. */
  say(text: string): void {
    this.write(terminalText(text));
  }

  /**
   * Asks one question; the answer's line without its line break, or undefined at end of input (Ctrl+D). Values
   * from outside in `question` should be passed through visible() by the caller; its control characters are made
   * visible here too. After the time limit: a PromptTimeoutError whose message ends with `instead`.
   */
  async ask(question: string, options: {hidden?: boolean, instead?: string} = {}): Promise<string | undefined> {
    let deadline = Date.now() + this.timeoutMs;
    const cancel: {signal?: keyof typeof SIGNALS} = {};
    const onSignal = (signal: keyof typeof SIGNALS) => {
      cancel.signal = signal;
    };
    // Caught for the length of the question only: the default (end at once) would skip putting echo back on.
    for (const signal of Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>)
      process.on(signal, onSignal);
    let restore: (() => void) | undefined;
    let ended = false;
    try {
      for (;;) {
        if (options.hidden)
          restore = await this.hideInput();
        this.write(terminalText(question));
        try {
          const line = this.platform === `win32`
            ? await this.readLineFromConsole(options.hidden ?? false, deadline, cancel)
            : await this.readLine(options.hidden ?? false, deadline, cancel);
          ended = line !== undefined && !options.hidden;
          return line;
        } catch (error) {
          if (!(error instanceof CtrlZ))
            throw error;
          restore?.();
          deadline = this.ctrlZ(deadline);
        }
      }
    } catch (error) {
      if (error instanceof PromptTimeoutError) {
        const seconds = Math.round(this.timeoutMs / 1000);
        throw new PromptTimeoutError(`no answer on the terminal within ${seconds} s${options.instead === undefined ? `` : `: ${options.instead}`}; AWSMFA_PROMPT_TIMEOUT gives longer`);
      }
      throw error;
    } finally {
      restore?.();
      for (const signal of Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>)
        process.off(signal, onSignal);
      // The line the person ended with Enter is ended on the screen already; a hidden one echoed no Enter.
      if (!ended)
        this.write(`\n`);
    }
  }

  /**
   * Echo off (raw mode, which also delivers Ctrl+C as a byte rather than a signal), set before the question shows
   * so not even a quick answer is echoed. Set through a node:tty stream over a second descriptor: only libuv can
   * set the mode, and it remembers the terminal's own settings to put back. Returns the function that puts them
   * back; it is called on every way out of ask().
   */
  private async hideInput(): Promise<() => void> {
    const stream = this.platform === `win32` ? await this.consoleStream() : new (await import(`node:tty`)).ReadStream(openSync(`/dev/tty`, constants.O_RDWR | constants.O_NOCTTY));
    stream.setRawMode(true);
    let restored = false;
    return () => {
      if (restored)
        return;
      restored = true;
      stream.setRawMode(false);
      if (this.platform !== `win32`)
        stream.destroy();
    };
  }

  /**
   * Ctrl+Z at a hidden question is never part of the answer: awsmfa stops as the key would have stopped it, with
   * the terminal's settings put back, when it is a job of its own (its process group's leader: a shell's fg
   * continues it, and the question is asked again, with its full time); inside another command (`$(…)`, whose
   * shell would wait on it forever) it says so and asks again. Returns the question's deadline.
   */
  private ctrlZ(deadline: number): number {
    this.write(`\n`);
    if (!jobLeader(this.platform)) {
      this.write(`(Ctrl+Z cannot stop awsmfa here, inside another command; Ctrl+C cancels)\n`);
      return deadline;
    }
    process.kill(0, `SIGTSTP`);
    return Date.now() + this.timeoutMs;
  }

  /** Windows: one node:tty stream over CONIN$ for the whole conversation, paused between questions. */
  private console: import('node:tty').ReadStream | undefined;

  private async consoleStream(): Promise<import('node:tty').ReadStream> {
    this.console ??= new (await import(`node:tty`)).ReadStream(this.input);
    return this.console;
  }

  /**
   * `work`, with a line on the terminal that says what awsmfa is doing meanwhile (`awsmfa: unlocking keys.age…`),
   * so that a wait of a second is not taken for a hang; overwritten with blanks when it ends (no escape sequence:
   * any console takes it). A Ctrl+C meanwhile clears the line first, then awsmfa dies of it as it would without.
   */
  async during<T>(text: string, work: () => Promise<T>): Promise<T> {
    const shown = terminalText(text);
    const clear = `\r${` `.repeat(shown.length)}\r`;
    const onSignal = () => {
      this.write(clear);
      process.kill(process.pid, `SIGINT`);
    };
    process.once(`SIGINT`, onSignal);
    this.write(shown);
    try {
      return await work();
    } finally {
      process.removeListener(`SIGINT`, onSignal);
      this.write(clear);
    }
  }

  /** Writes all of `text`; a terminal that takes nothing for a second (stopped with Ctrl+S) is given up on. */
  private write(text: string): void {
    // From the background a write stops awsmfa too when the terminal has `stty tostop`.
    if (!inForeground(this.platform))
      return;
    const bytes = Buffer.from(text, `utf8`);
    const waitUntil = Date.now() + 1000;
    for (let offset = 0; offset < bytes.length;) {
      try {
        offset += writeSync(this.output, bytes, offset, bytes.length - offset);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== `EAGAIN` || Date.now() > waitUntil)
          return;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      }
    }
  }

  /** One line, read a byte at a time from the non-blocking descriptor until Enter, the deadline, or a signal. */
  private async readLine(hidden: boolean, deadline: number, cancel: {signal?: keyof typeof SIGNALS}): Promise<string | undefined> {
    const bytes: number[] = [];
    const one = Buffer.alloc(1);
    for (;;) {
      if (cancel.signal !== undefined)
        throw cancelled(cancel.signal);
      let read: number;
      try {
        // Put in the background meanwhile (Ctrl+Z and bg): not read, which would stop awsmfa, until it is back.
        if (!inForeground(this.platform))
          throw Object.assign(new Error(`in the background`), {code: `EAGAIN`});
        read = readSync(this.input, one, 0, 1, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // EIO: the terminal hung up (its window closed); nobody is left to answer.
        if (code === `EIO`)
          return undefined;
        if (code !== `EAGAIN` && code !== `EWOULDBLOCK`)
          throw error;
        const left = deadline - Date.now();
        if (left <= 0)
          throw new PromptTimeoutError(`timed out`);
        await sleep(Math.min(POLL_MS, left));
        continue;
      }
      if (read === 0)
        return bytes.length === 0 ? undefined : Buffer.from(bytes).toString(`utf8`);
      const done = answerByte(bytes, one[0]!, hidden);
      if (done !== undefined)
        return done;
    }
  }

  /** Windows: the console's input through node:tty, which reads it without blocking the event loop. */
  private async readLineFromConsole(hidden: boolean, deadline: number, cancel: {signal?: keyof typeof SIGNALS}): Promise<string | undefined> {
    const stream = await this.consoleStream();
    const bytes: number[] = [];
    let onData: (chunk: Buffer) => void = () => {};
    let onEnd: () => void = () => {};
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<string | undefined>((resolve, reject) => {
        timer = setInterval(() => {
          if (cancel.signal !== undefined)
            reject(cancelled(cancel.signal));
          else if (Date.now() >= deadline)
            reject(new PromptTimeoutError(`timed out`));
        }, POLL_MS);
        onEnd = () => resolve(bytes.length === 0 ? undefined : Buffer.from(bytes).toString(`utf8`));
        onData = chunk => {
          try {
            for (const byte of chunk) {
              const done = answerByte(bytes, byte, hidden);
              if (done !== undefined)
                return resolve(done);
            }
          } catch (error) {
            reject(error);
          }
        };
        stream.on(`end`, onEnd);
        stream.on(`data`, onData);
      });
    } finally {
      clearInterval(timer);
      stream.off(`data`, onData);
      stream.off(`end`, onEnd);
      stream.pause();
    }
  }
}

function cancelled(signal: keyof typeof SIGNALS): CancelledError {
  cancelledBy = signal;
  return new CancelledError(signal === `SIGINT` ? `cancelled (Ctrl+C)` : `cancelled (${signal})`, signal);
}

/**
 * Takes one typed byte into `bytes`; the line when it ends one. A hidden answer is read in raw mode, so the
 * terminal's own line editing is off: Enter comes as CR, Ctrl+C as a byte, and erasing is done here.
 */
function answerByte(bytes: number[], byte: number, hidden: boolean): string | undefined {
  if (byte === 0x0a || (hidden && byte === 0x0d))
    return Buffer.from(bytes).toString(`utf8`).replace(/\r$/, ``);
  if (hidden && (byte === 0x03 || byte === 0x1c))
    throw cancelled(byte === 0x03 ? `SIGINT` : `SIGQUIT`);
  if (hidden && byte === 0x1a)
    throw new CtrlZ();
  if (hidden && (byte === 0x7f || byte === 0x08))
    bytes.pop();
  else if (hidden && byte === 0x15)
    bytes.length = 0;
  else if (bytes.length < MAX_ANSWER)
    bytes.push(byte);
  return undefined;
}

/** Opens the terminal for questions (see Terminal.open); undefined when there is none. */
export function openTerminal(context: PromptContext): Terminal | undefined {
  return Terminal.open(context);
}

/** What to do instead of typing the code, for the messages of a code question that cannot be answered. */
const CODE_INSTEAD = `pass the code as an argument or with --code 123456, or let mfa_process (or --code-command) print it`;

/** Asks for the MFA code, up to three times. `question` should hold outside values through visible() already. */
export async function promptCode(question: string, context: {platform: NodeJS.Platform, env: Env}): Promise<string> {
  const terminal = openTerminal(context);
  if (terminal === undefined)
    throw new NoTerminalError(`no MFA code given and no terminal to ask on: ${CODE_INSTEAD}, or run awsmfa env in a terminal first`);
  try {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const line = await terminal.ask(question, {instead: CODE_INSTEAD});
      if (line === undefined)
        break;
      // As the app shows it (`123 456`) or typed whole.
      const code = codeOf(line.trim());
      if (code !== undefined)
        return code;
      terminal.say(`awsmfa: an MFA code is 6 digits\n`);
    }
  } finally {
    terminal.close();
  }
  throw new ConfigError(`no valid MFA code entered: ${CODE_INSTEAD}`);
}
