import type {Writable} from 'node:stream';
import {terminalControl, terminalText} from '../terminal.js';

/** How long a request may take before the person is told it is waiting on the network. */
export const PROGRESS_DELAY_MS = 1_000;

/**
 * `work`, with one line "awsmfa: asking STS for …" on stderr should it take longer than PROGRESS_DELAY_MS, erased
 * when the answer (or the error) comes, so that a slow endpoint is not mistaken for a hung awsmfa. Only on a
 * terminal: a captured stderr (a script, credential_process's log) gets no line, and no escape codes. The text is
 * sanitized like every message (terminal.ts); only the erasing CR and EL are awsmfa's own control sequence.
 */
export async function withProgress<T>(stderr: Writable, text: string, show: boolean, work: Promise<T>): Promise<T> {
  const terminal = show ? terminalControl(stderr) : undefined;
  if (terminal === undefined)
    return work;
  let shown = false;
  const timer = setTimeout(() => {
    shown = true;
    terminal.write(`awsmfa: ${terminalText(text)} (Ctrl+C to stop)`);
  }, PROGRESS_DELAY_MS);
  // A Ctrl+C while the line shows: end it, so that the shell's prompt does not land behind it, then die of the
  // signal as without this listener (a listener alone would keep Node alive).
  const onSignal = () => {
    if (shown)
      terminal.write(`\n`);
    process.kill(process.pid, `SIGINT`);
  };
  process.once(`SIGINT`, onSignal);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
    process.removeListener(`SIGINT`, onSignal);
    if (shown)
      terminal.write(`\r\x1b[K`);
  }
}
