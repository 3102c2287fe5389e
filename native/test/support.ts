// Shared test data: seeded synthetic textures with planted defects, and a rank AUROC.
import type { ImageArray, MapKind } from '../lib';

/**
 * Every map the engine makes for a model without a segmentation head (`segmentation` needs one: its tests are in
 * model-segmentation.test.ts), for the tests and the benchmark that run them all.
 */
export const ALL_MAPS: readonly MapKind[] = [
  'gradcam_loss',
  'gradcam_latent',
  'gradcam_residual',
  'layercam_loss',
  'layercam_latent',
  'layercam_residual',
  'residual',
  'ssim',
  'msgms',
];

/** mulberry32: a small seeded generator, so every test image is the same on every run. */
export function randomGenerator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform noise images, for shape and error tests. */
export function noiseImages(n: number, channels: number, size: number, seed = 1): ImageArray {
  const next = randomGenerator(seed);
  const data = new Uint8Array(n * channels * size * size);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(next() * 256);
  return { data, shape: [n, channels, size, size] };
}

/** Oblique stripes with a random phase per image and mild pixel noise: a regular texture. */
export function textures(n: number, size: number, seed: number): ImageArray {
  const next = randomGenerator(seed);
  const data = new Uint8Array(n * size * size);
  const angle = Math.PI / 6;
  const period = 6;
  for (let i = 0; i < n; i++) {
    const phase = next() * 2 * Math.PI;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const u = (x * Math.cos(angle) + y * Math.sin(angle)) / period;
        const value = 128 + 70 * Math.sin(2 * Math.PI * u + phase) + (next() - 0.5) * 20;
        data[i * size * size + y * size + x] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }
  return { data, shape: [n, 1, size, size] };
}

/** A smooth texture: one long wave (half a period across the image) in a random direction and phase. */
export function smoothTextures(n: number, size: number, seed: number): ImageArray {
  const next = randomGenerator(seed);
  const data = new Uint8Array(n * size * size);
  for (let i = 0; i < n; i++) {
    const angle = next() * 2 * Math.PI;
    const phase = next() * 2 * Math.PI;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const u = (x * Math.cos(angle) + y * Math.sin(angle)) / (2 * size);
        data[i * size * size + y * size + x] = Math.round(128 + 60 * Math.sin(2 * Math.PI * u + phase));
      }
    }
  }
  return { data, shape: [n, 1, size, size] };
}

/** Plants one flat square (the texture's mean level) in each image; returns the pixel masks. */
export function plantDefects(images: ImageArray, defectSize: number, seed: number): Uint8Array {
  const [n, , size] = images.shape;
  const next = randomGenerator(seed);
  const masks = new Uint8Array(n * size * size);
  for (let i = 0; i < n; i++) {
    const top = 2 + Math.floor(next() * (size - defectSize - 4));
    const left = 2 + Math.floor(next() * (size - defectSize - 4));
    for (let y = top; y < top + defectSize; y++) {
      for (let x = left; x < left + defectSize; x++) {
        images.data[i * size * size + y * size + x] = 128;
        masks[i * size * size + y * size + x] = 1;
      }
    }
  }
  return masks;
}

/** Area under the ROC curve by ranks (Mann-Whitney U), ties counted half. */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPositive = 0;
  let positives = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const meanRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]!]) {
        rankSumPositive += meanRank;
        positives++;
      }
    }
    start = end + 1;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) throw new Error('AUROC needs both classes');
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}
