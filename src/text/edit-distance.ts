// Levenshtein distance, cut off at a bound: the suggestions of the offline commands need only "is it a
// near miss". Only the band of width 2·limit+1 around the diagonal can stay within the limit, so only
// those cells are computed, and a row that is all over the limit ends the comparison early.

/** The edit distance between `a` and `b` when it is at most `limit`, else undefined. */
export function editDistanceAtMost(a: string, b: string, limit: number): number | undefined {
  if (Math.abs(a.length - b.length) > limit) return undefined;
  const outside = limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => (j <= limit ? j : outside));
  for (let i = 1; i <= a.length; i += 1) {
    const current = new Array<number>(b.length + 1).fill(outside);
    current[0] = i <= limit ? i : outside;
    const from = Math.max(1, i - limit);
    const to = Math.min(b.length, i + limit);
    let rowBest = current[0];
    for (let j = from; j <= to; j += 1) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const deletion = (previous[j] as number) + 1;
      const insertion = (current[j - 1] as number) + 1;
      current[j] = Math.min(substitution, deletion, insertion, outside);
      rowBest = Math.min(rowBest, current[j] as number);
    }
    if (rowBest > limit) return undefined;
    previous = current;
  }
  const distance = previous[b.length] as number;
  return distance <= limit ? distance : undefined;
}

/**
 * The candidate nearest to `word` within `limit` edits (the first of equals), or undefined. Words longer
 * than `maxLength` are not compared: a suggestion for a long random string helps nobody, and the cost stays
 * bounded for hostile input.
 */
export function nearestWord(
  word: string,
  candidates: readonly string[],
  limit: number,
  maxLength: number,
): string | undefined {
  if (word.length > maxLength) return undefined;
  let best: { word: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistanceAtMost(word, candidate, limit);
    if (distance !== undefined && (best === undefined || distance < best.distance)) {
      best = { word: candidate, distance };
    }
  }
  return best?.word;
}
