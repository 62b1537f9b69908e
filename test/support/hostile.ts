/**
 * Seeded hostile values for the property-based round trips: every shell's metacharacters, quotes of all kinds,
 * control characters, invisible and right-to-left marks, emoji, and payloads that would touch a canary file if
 * anything ever ran them. The seed and the count come from AWSMFA_SEED and AWSMFA_HOSTILE_CASES, so a failure
 * seen once can be replayed.
 */

export const SEED = Number(process.env.AWSMFA_SEED ?? 20261124);
export const CASES = Number(process.env.AWSMFA_HOSTILE_CASES ?? 2000);

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6D2B79F5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Single characters: plain ones, every metacharacter of the shells and of cmd, controls, quotes, marks. */
export const ALPHABET = [
  ...`aZ09_-./+=,@:`,
  ...` '"\`$\\!%^&|;<>(){}[]*?~#`,
  `\t`, `\n`, `\r`, `\0`, `\x1b`, `\x7f`, `\u0085`, `\u009b`,
  `\u2018`, `\u2019`, `\u201a`, `\u201b`, `\u201c`, `\u201d`,
  `\u200e`, `\u200f`, `\u202e`, `\u2066`, `\ufeff`,
  `ü`, `漢`, `😀`, `👩‍💻`,
];

/** Payloads: each would create the canary (or expand something) if a dialect let it through as code. */
export function payloads(canary: string, canaryWindows: string): string[] {
  return [
    `$(touch ${canary})`, `\`touch ${canary}\``, `'; touch ${canary}; '`, `"; touch ${canary}; "`,
    `'$(touch ${canary})'`, `\\'; touch ${canary} #`, `(touch ${canary})`, `; touch ${canary} ;`,
    `& echo x > ${canaryWindows} &`, `" & echo x > ${canaryWindows} & "`, `^& echo x > ${canaryWindows}`,
    `%PATH%`, `!PATH!`, `$HOME`, `\${HOME}`, `$env:PATH`, `''`, `\\'`, `\\\\`, `$@`, `\\!*`, `!!`, `!-1`,
    `{a,b}`, `~root`, `*`, `$(`, `)`, `\`echo`, `'\\''`,
  ];
}

/** The printable ASCII part of the alphabet: what STS itself could send, and what every dialect must carry. */
export const PRINTABLE = ALPHABET.filter(char => /^[\x20-\x7e]$/.test(char));

/**
 * `count` values from the seed, each 0 to 24 picks of a character or (one in five) a payload. Every other value
 * keeps to printable ASCII (payloads included), so that the dialects that refuse more (tcsh, cmd) still carry
 * hundreds of hostile values exactly; the rest draw from the whole alphabet.
 */
export function hostileValues(seed: number, count: number, canary: string, canaryWindows: string): string[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const loud = payloads(canary, canaryWindows);
  const values: string[] = [];
  for (let index = 0; index < count; index++) {
    const alphabet = index % 2 === 0 ? PRINTABLE : ALPHABET;
    let value = ``;
    const length = Math.floor(next() * 25);
    for (let part = 0; part < length; part++)
      value += next() < 0.2 ? pick(loud) : pick(alphabet);
    values.push(value);
  }
  return values;
}
