/** Edit distance between two short strings (names, keys), for "did you mean" hints. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The candidate closest to `word`, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(1, Math.floor(word.length / 3));
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance && d <= limit) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `did you mean 'x'?` when a close candidate exists, otherwise `use one of: a, b, c`. */
export function suggestion(word: string, candidates: readonly string[], what = 'one of'): string {
  const near = closest(word, candidates);
  if (near !== undefined) return `did you mean '${near}'?`;
  const shown = candidates.slice(0, 12).join(', ');
  return candidates.length > 12 ? `use ${what}: ${shown}, ...` : `use ${what}: ${shown}`;
}
