import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import sharp from 'sharp';

import { decodeImage } from './image-io';
import { decodeGroundTruth } from './preprocess';
import type { Dataset, DatasetSample } from './types';

/**
 * Writes a dataset as PNG files in the MVTec AD layout (`train/good`, `test/<defect>`,
 * `ground_truth/<defect>/<name>_mask.png` with 0/255 masks), so that datasets made in memory (corrupted
 * Fashion-MNIST) can be imported where a folder is expected. Returns the number of images written.
 */
export async function writeMvtecFolder(dataset: Dataset, folder: string): Promise<number> {
  for (const sample of dataset.samples) {
    const image = await decodeImage(sample.source);
    const file = path.join(folder, sample.split, sample.defectType, `${baseName(sample)}.png`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, await toPng(image.data, image.width, image.height, image.channels));
    if (sample.label !== 'anomalous') continue;
    const mask = await decodeGroundTruth(sample);
    if (!mask) continue;
    const maskFile = path.join(folder, 'ground_truth', sample.defectType, `${baseName(sample)}_mask.png`);
    await mkdir(path.dirname(maskFile), { recursive: true });
    const bytes = Uint8Array.from(mask.data, (value) => (value ? 255 : 0));
    await writeFile(maskFile, await toPng(bytes, mask.width, mask.height, 1));
  }
  return dataset.samples.length;
}

function baseName(sample: DatasetSample): string {
  return path.basename(sample.id);
}

function toPng(data: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Buffer> {
  const image = sharp(data, { raw: { width, height, channels } });
  // Without it sharp stores one-channel data as RGB, and the folder would read back as colour.
  return (channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer();
}
