/** Percentiles, medians and the "median [min–max] over runs" form every figure in the report takes. */

/** The p-th percentile (0–100) of `values`, linearly interpolated; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** One figure over the runs: its median and its spread. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(runs: readonly number[]): Spread {
  const finite = runs.filter((v) => Number.isFinite(v));
  return {
    median: median(finite),
    min: Math.min(...finite),
    max: Math.max(...finite),
    runs: [...runs],
  };
}

/** Per-run ratios project / baseline, summarised. */
export function ratios(project: readonly number[], baseline: readonly number[]): Spread {
  return spread(project.map((value, i) => value / baseline[i]!));
}

/** `1.23` style, with a fixed number of decimals chosen by magnitude. */
export function fmt(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const d =
    decimals ??
    (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3);
  return value.toFixed(d);
}

/** `1.23 [1.20–1.31]` */
export function fmtSpread(s: Spread, decimals?: number): string {
  return `${fmt(s.median, decimals)} [${fmt(s.min, decimals)}–${fmt(s.max, decimals)}]`;
}
