/** Explain-time map transforms measured by the sweep; every map is one H x W plane, row-major. */

/** Per-pixel mean and standard deviation of one map type over a set of (held-back normal) maps. */
export interface PixelStats {
  mean: Float32Array;
  std: Float32Array;
}

export function pixelStats(maps: readonly Float32Array[]): PixelStats {
  if (maps.length === 0) throw new RangeError('pixelStats: no maps');
  const plane = maps[0]!.length;
  const mean = new Float64Array(plane);
  const square = new Float64Array(plane);
  for (const map of maps) {
    if (map.length !== plane) throw new RangeError(`pixelStats: maps of ${plane} and ${map.length} pixels`);
    for (let p = 0; p < plane; p++) {
      mean[p]! += map[p]!;
      square[p]! += map[p]! * map[p]!;
    }
  }
  const stats: PixelStats = { mean: new Float32Array(plane), std: new Float32Array(plane) };
  for (let p = 0; p < plane; p++) {
    const m = mean[p]! / maps.length;
    stats.mean[p] = m;
    stats.std[p] = Math.sqrt(Math.max(0, square[p]! / maps.length - m * m));
  }
  return stats;
}

/**
 * The same statistics pooled over every pixel (one mean, one spread): puts maps of different kinds on one
 * scale without removing where they respond, for combinations of maps that are not normalised per pixel.
 */
export function globalStats(maps: readonly Float32Array[]): PixelStats {
  const perPixel = pixelStats(maps);
  const plane = perPixel.mean.length;
  let mean = 0;
  for (const value of perPixel.mean) mean += value;
  mean /= plane;
  // Total variance = mean within-pixel variance + variance of the per-pixel means.
  let variance = 0;
  for (let p = 0; p < plane; p++) variance += perPixel.std[p]! ** 2 + (perPixel.mean[p]! - mean) ** 2;
  const std = Math.sqrt(variance / plane);
  return { mean: new Float32Array(plane).fill(mean), std: new Float32Array(plane).fill(std) };
}

/**
 * (map - mean) / spread per pixel. The spread has a floor (a share of its mean over the map) so that pixels
 * where normal maps never vary (a constant border) do not blow up into the largest scores.
 */
export function normalizeMap(map: Float32Array, stats: PixelStats, floorShare = 0.1): Float32Array {
  if (map.length !== stats.mean.length)
    throw new RangeError(`normalizeMap: map of ${map.length} pixels, statistics of ${stats.mean.length}`);
  let meanStd = 0;
  for (const value of stats.std) meanStd += value;
  meanStd /= stats.std.length;
  const floor = Math.max(floorShare * meanStd, 1e-12);
  const out = new Float32Array(map.length);
  for (let p = 0; p < map.length; p++) out[p] = (map[p]! - stats.mean[p]!) / Math.max(stats.std[p]!, floor);
  return out;
}

export type Combination = 'sum' | 'product';

/**
 * Attention with the residual, both already standardised ((map - mean) / spread over held-back normal maps):
 * `sum` adds the standardised maps; `product` multiplies their positive parts plus one, so a pixel scores high
 * only where both maps are above their normal level, and one map at its normal level leaves the other's order.
 */
export function combineMaps(attention: Float32Array, residual: Float32Array, how: Combination): Float32Array {
  if (attention.length !== residual.length)
    throw new RangeError(`combineMaps: maps of ${attention.length} and ${residual.length} pixels`);
  const out = new Float32Array(attention.length);
  for (let p = 0; p < out.length; p++) {
    out[p] =
      how === 'sum' ? attention[p]! + residual[p]! : (1 + Math.max(0, attention[p]!)) * (1 + Math.max(0, residual[p]!));
  }
  return out;
}
