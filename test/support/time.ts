/**
 * Times as a person reads them in awsmfa's lines, computed here on their own (Intl, not awsmfa's code): the local
 * time of a zone, with the date when it is not today there, and the time left in whole hours and minutes.
 */

/** `HH:MM` in `timeZone`, preceded by `YYYY-MM-DD ` when that day is not today in that zone. */
export function localText(date: Date, timeZone: string, now = new Date()): string {
  const parts = (when: Date) => Object.fromEntries(new Intl.DateTimeFormat(`en-GB`, {timeZone, year: `numeric`, month: `2-digit`, day: `2-digit`, hour: `2-digit`, minute: `2-digit`, hourCycle: `h23`}).formatToParts(when).map(part => [part.type, part.value]));
  const end = parts(date);
  const today = parts(now);
  const day = `${end.year}-${end.month}-${end.day}`;
  return `${day === `${today.year}-${today.month}-${today.day}` ? `` : `${day} `}${end.hour}:${end.minute}`;
}

/** The time left of a session ending at `end` as awsmfa may show it between `fromMs` and `toMs`: a regex alternation. */
export function spanBetween(end: Date, fromMs: number, toMs: number): string {
  // Seconds as the shells count them (the end's second less the clock's whole second), then whole minutes.
  const text = (ms: number) => {
    const minutes = Math.max(0, Math.floor(Math.ceil((end.getTime() - ms) / 1000) / 60));
    return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, `0`)}m`;
  };
  return `(${[...new Set([text(toMs), text(fromMs)])].join(`|`)})`;
}
