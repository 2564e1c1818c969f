/** Order statistics over samples (milliseconds, seconds, bytes: whatever one case measures). */

export interface Summary {
  n: number;
  median: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** The q-quantile (0..1) by the nearest-rank method: always a value that was observed. */
export function quantile(samples: readonly number[], q: number): number {
  return quantileOfSorted(sortedCopy(samples), q);
}

function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const n = samples.length;
  // Spread into Math.min/max, a few hundred thousand samples would overflow the stack.
  const sorted = sortedCopy(samples);
  return {
    n,
    median: quantileOfSorted(sorted, 0.5),
    p99: quantileOfSorted(sorted, 0.99),
    min: n ? (sorted[0] as number) : Number.NaN,
    max: n ? (sorted[n - 1] as number) : Number.NaN,
    mean: n ? samples.reduce((a, b) => a + b, 0) / n : Number.NaN,
  };
}

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;

function sortedCopy(samples: readonly number[]): number[] {
  return [...samples].sort((a, b) => a - b);
}
