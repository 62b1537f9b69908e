// What a slip of the keyboard was meant to be: commands, options, profile names.

/**
 * Edits between two words, a swap of neighbours counting as one (optimal string alignment): `evn` is one from
 * `env`, `--profle` one from `--profile`.
 */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => i === 0 ? j : j === 0 ? i : 0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/** The one of `names` that `typed` is a slip of (one edit for words of up to 3 letters, two for longer), if any. */
export function didYouMean(typed: string, names: readonly string[]): string | undefined {
  const letters = typed.replace(/^-+/, ``).length;
  // Any one-letter option is one edit from any other: no guess there.
  if (letters <= 1)
    return undefined;
  const limit = letters <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of names) {
    // More letters apart than the limit is farther than it, whatever the letters (10,000 profiles cost little).
    if (Math.abs(name.length - typed.length) > limit)
      continue;
    const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}
