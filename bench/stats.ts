// Order statistics for timings. Medians, not means: a single GC pause or a scheduler hiccup on a
// 2-core machine moves a mean a lot and a median hardly at all.

/** The q-quantile (0 ≤ q ≤ 1) by the nearest-rank method; NaN for no samples. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

export function maximum(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : Math.max(...samples);
}
