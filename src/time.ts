import {spanText} from './contract.js';

/** Time left as every line of awsmfa shows it (the contract's SPAN_FORMAT): `11h 42m`, `0h 05m`; 0 when negative. */
export function formatSpan(ms: number): string {
  return spanText(ms / 1000);
}

const pad = (n: number) => String(n).padStart(2, `0`);

/** The local date, `2026-11-24`. */
export function localDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `HH:MM` in local time, with the date when it is not today (`2026-11-24 03:12`). */
export function formatLocal(date: Date, now: Date): string {
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return date.toDateString() === now.toDateString() ? time : `${localDate(date)} ${time}`;
}

/** Time left before `expiration` (a session's), in milliseconds (negative once expired). */
export function remainingMs(credentials: {readonly expiration: string}, now: Date): number {
  return Date.parse(credentials.expiration) - now.getTime();
}

/** `valid for 11h 42m, until 03:12 local` or `expired at 03:12 local`. */
export function describeExpiry(expiration: string, now: Date): string {
  const end = new Date(expiration);
  const left = end.getTime() - now.getTime();
  return left > 0
    ? `valid for ${formatSpan(left)}, until ${formatLocal(end, now)} local`
    : `expired at ${formatLocal(end, now)} local`;
}

/**
 * What `env` (full CLI and fast path alike) says of a session it served from the cache. The profile name passed
 * RULES.profile, so it needs no sanitizing.
 */
export function cachedSessionLine(profile: string, expiration: string, now: Date): string {
  return `cached session of profile '${profile}', ${describeExpiry(expiration, now)} (--force asks STS for a new one)`;
}

/** A span of time as the options take it: `300`, `300s`, `5m`, `1h`; nothing around it, no space inside. */
export const SPAN_PATTERN = /^(\d+)([smh]?)$/;

/** `300`, `300s`, `5m`, `1h` to milliseconds; undefined when it is none of those (` 300` and `5 m` included). */
export function parseSpan(text: string): number | undefined {
  const match = SPAN_PATTERN.exec(text);
  if (!match)
    return undefined;
  return Number(match[1]) * {'': 1, s: 1, m: 60, h: 3600}[match[2] as `` | `s` | `m` | `h`] * 1000;
}
