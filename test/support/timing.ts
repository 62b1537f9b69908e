/**
 * Timing assertions that hold on a loaded machine. A test bounds what awsmfa controls (its budget, its "at once"),
 * and allows for what it does not (starting processes, a scheduler that has other work) an allowance scaled by how
 * long `node -e 0` takes on this machine right now: on a quiet machine that is about what a bound always allowed,
 * with both cores busy it is several times more. Each allowance has a ceiling below the time a bug would take (a
 * wait for a prompt, a budget ignored, a run killed), so a test that bounds time can still fail.
 */
import {spawnSync} from 'node:child_process';

/** `node -e 0` on a quiet machine here (about 50 ms, 80 with NODE_EXTRA_CA_CERTS): what the bounds were written for. */
const QUIET_NODE_START_MS = 100;

let measured: {at: number, ms: number} | undefined;

/** How long `node -e 0` takes now (the median of three, measured at most every 20 s). */
export function nodeStartMs(): number {
  if (measured === undefined || Date.now() - measured.at > 20_000) {
    const times = [0, 1, 2].map(() => {
      const started = process.hrtime.bigint();
      spawnSync(process.execPath, [`-e`, `0`], {stdio: `ignore`});
      return Number(process.hrtime.bigint() - started) / 1e6;
    }).sort((a, b) => a - b);
    measured = {at: Date.now(), ms: times[1]!};
  }
  return measured.ms;
}

/** How much slower than a quiet machine this one is now: 1 at least. */
export function loadFactor(): number {
  return Math.max(1, nodeStartMs() / QUIET_NODE_START_MS);
}

/**
 * `ms`, a bound written for a quiet machine, scaled by the load now; never more than `atMost` (set it below what a
 * bug would take, so that the bound still catches one).
 */
export function scaled(ms: number, atMost: number): number {
  return Math.min(Math.round(ms * loadFactor()), atMost);
}
