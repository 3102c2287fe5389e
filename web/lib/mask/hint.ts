// "Start from hint": the attention map's levels (0-255, at the image's size) thresholded into a starting mask,
// which the usual tools then edit. Pure, tested in Node.

/** The level a hint is first thresholded at: Otsu's split of its levels, the one that best separates two groups. */
export function defaultHintThreshold(levels: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (let i = 0; i < levels.length; i++) histogram[levels[i]!]! += 1;
  const total = levels.length;
  let sum = 0;
  for (let level = 0; level < 256; level++) sum += level * histogram[level]!;
  let below = 0;
  let sumBelow = 0;
  let best = -1;
  let threshold = 128;
  // Between-class variance for a split "below t | t and above", t = 1..255.
  for (let t = 1; t < 256; t++) {
    below += histogram[t - 1]!;
    sumBelow += (t - 1) * histogram[t - 1]!;
    const above = total - below;
    if (below === 0 || above === 0) continue;
    const meanBelow = sumBelow / below;
    const meanAbove = (sum - sumBelow) / above;
    const variance = below * above * (meanBelow - meanAbove) ** 2;
    if (variance > best) {
      best = variance;
      threshold = t;
    }
  }
  return threshold;
}

/** 1 where the hint's level is at least `threshold` (1-255): a mask the annotator starts from. */
export function maskFromHint(levels: Uint8Array, threshold: number): Uint8Array {
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 255) {
    throw new RangeError(`a hint threshold is a level from 1 to 255, not ${threshold}`);
  }
  const mask = new Uint8Array(levels.length);
  for (let i = 0; i < levels.length; i++) mask[i] = levels[i]! >= threshold ? 1 : 0;
  return mask;
}
