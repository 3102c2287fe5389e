/** Smoothing of a map (one H x W plane, row-major): the sweep found it sharpens localisation of every map type. */

/** A normalised 1-D Gaussian kernel of radius ceil(3 sigma). */
export function gaussianKernel(sigma: number): Float32Array {
  if (!(sigma > 0)) throw new RangeError(`gaussianKernel: sigma must be > 0, got ${sigma}`);
  const radius = Math.ceil(3 * sigma);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const value = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + radius] = value;
    sum += value;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  return kernel;
}

/** Separable Gaussian blur; the border is extended (replicated) so edges are not darkened. sigma 0 = copy. */
export function gaussianSmooth(map: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (map.length !== width * height)
    throw new RangeError(`gaussianSmooth: map of ${map.length} pixels is not ${width} x ${height}`);
  if (sigma === 0) return Float32Array.from(map);
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const clamp = (value: number, max: number): number => Math.min(max, Math.max(0, value));
  const rows = new Float32Array(map.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += kernel[k + radius]! * map[y * width + clamp(x + k, width - 1)]!;
      rows[y * width + x] = sum;
    }
  }
  const out = new Float32Array(map.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += kernel[k + radius]! * rows[clamp(y + k, height - 1) * width + x]!;
      out[y * width + x] = sum;
    }
  }
  return out;
}
