/**
 * Who decides what a signal does. A listener that only holds a signal for a moment (a token refresh being saved:
 * src/sources/token-file.ts) and delivers it again afterwards does not decide; the listeners that do (the code
 * prompt, serve, exec, the failure statement of src/cli/main.ts) leave a signal to another decider, and act on one
 * only held.
 */
const holders = new WeakSet<(...args: never[]) => unknown>();

/** Marks a listener as one that holds a signal and delivers it again, deciding nothing. */
export function holdingListener<T extends (signal: NodeJS.Signals) => void>(listener: T): T {
  holders.add(listener);
  return listener;
}

/** How many listeners of the signal decide what it does (holders left out). */
export function signalDeciders(signal: NodeJS.Signals): number {
  return process.listeners(signal).filter(listener => !holders.has(listener as never)).length;
}
