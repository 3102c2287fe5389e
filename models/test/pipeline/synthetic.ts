import { join } from 'node:path';

import { makeImage, maskImage, writeImage } from '../datasets/fixtures';
import { mulberry32 } from '../../src/datasets';
import type { RawImage } from '../../src';

/** Oblique stripes with a random phase and mild noise: a regular texture a small U-Net learns quickly. */
function texture(width: number, height: number, seed: number): RawImage {
  const next = mulberry32(seed);
  const phase = next() * 2 * Math.PI;
  return makeImage(width, height, 1, (x, y) => {
    const u = (x * Math.cos(Math.PI / 6) + y * Math.sin(Math.PI / 6)) / 6;
    return Math.max(0, Math.min(255, Math.round(128 + 60 * Math.sin(2 * Math.PI * u + phase) + (next() - 0.5) * 16)));
  });
}

export interface SyntheticDatasetOptions {
  trainCount?: number;
  testGoodCount?: number;
  /** Anomalous test images per defect type. */
  defectCount?: number;
}

/**
 * An MVTec AD layout category of textures with planted defects and their masks: train/good, test/good, and two
 * defect types (a bright `scratch` line and a flat `spot`) at a size that is not the model's, so evaluation
 * at the original resolution is exercised.
 */
export async function writeSyntheticMvtec(root: string, options: SyntheticDatasetOptions = {}): Promise<void> {
  const width = 48;
  const height = 40;
  const trainCount = options.trainCount ?? 24;
  const testGoodCount = options.testGoodCount ?? 6;
  const defectCount = options.defectCount ?? 4;
  const name = (i: number): string => i.toString().padStart(3, '0');
  for (let i = 0; i < trainCount; i++)
    await writeImage(join(root, 'train/good', `${name(i)}.png`), texture(width, height, i + 1));
  for (let i = 0; i < testGoodCount; i++)
    await writeImage(join(root, 'test/good', `${name(i)}.png`), texture(width, height, 1000 + i));
  for (let i = 0; i < defectCount; i++) {
    const next = mulberry32(2000 + i);
    const image = texture(width, height, 2000 + i);
    const row = 8 + Math.floor(next() * (height - 16));
    const inScratch = (x: number, y: number): boolean => Math.abs(y - row) <= 1 && x >= 8 && x < width - 8;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) if (inScratch(x, y)) image.data[y * width + x] = 255;
    await writeImage(join(root, 'test/scratch', `${name(i)}.png`), image);
    await writeImage(join(root, 'ground_truth/scratch', `${name(i)}_mask.png`), maskImage(width, height, inScratch));
  }
  for (let i = 0; i < defectCount; i++) {
    const next = mulberry32(3000 + i);
    const image = texture(width, height, 3000 + i);
    const cx = 10 + Math.floor(next() * (width - 20));
    const cy = 10 + Math.floor(next() * (height - 20));
    const inSpot = (x: number, y: number): boolean => (x - cx) ** 2 + (y - cy) ** 2 <= 25;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (inSpot(x, y)) image.data[y * width + x] = 20;
    await writeImage(join(root, 'test/spot', `${name(i)}.png`), image);
    await writeImage(join(root, 'ground_truth/spot', `${name(i)}_mask.png`), maskImage(width, height, inSpot));
  }
}
