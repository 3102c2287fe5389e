import type { ImageScore } from '../options';

/** Share of a map's pixels whose mean makes the 'top1' score. */
export const TOP_SHARE = 0.01;

/**
 * One anomaly score per image from its map: the maximum, or the mean of the top 1 % of pixels (a maximum that
 * one hot pixel cannot decide alone). The engine computes the same two scores the same way.
 */
export function imageScore(map: Float32Array, kind: ImageScore): number {
  if (map.length === 0) throw new RangeError('imageScore: empty map');
  if (kind === 'max') {
    let max = -Infinity;
    for (const value of map) if (value > max) max = value;
    return max;
  }
  const k = Math.max(1, Math.ceil(TOP_SHARE * map.length));
  const sorted = Float32Array.from(map).sort();
  let sum = 0;
  for (let i = sorted.length - k; i < sorted.length; i++) sum += sorted[i]!;
  return sum / k;
}
