// Axis ticks and histogram bins for the SVG charts.

/** Round tick values (1, 2 or 5 times a power of ten) covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= raw) ?? 10) * power;
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  const ticks: number[] = [];
  for (let index = first; index <= last; index++) ticks.push(Number((index * step).toPrecision(12)));
  return ticks;
}

/** Counts of `values` in `bins` equal bins over [low, high]; the last bin includes `high`. */
export function histogram(values: readonly number[], low: number, high: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const span = high - low;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    const bin = span > 0 ? Math.floor(((value - low) / span) * bins) : 0;
    counts[Math.min(bins - 1, Math.max(0, bin))]! += 1;
  }
  return counts;
}

/** The range of the finite `values` (`fallback` without any). */
export function extent(values: number[], fallback: [number, number]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return fallback;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  if (min !== max) return [min, max];
  // One value (a one-epoch run's loss): a band around it on its own scale, not below zero for a non-negative one.
  const pad = Math.abs(min) * 0.1 || 1;
  return [min >= 0 ? Math.max(0, min - pad) : min - pad, max + pad];
}
