import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import sharp from 'sharp';

/** A small grayscale PNG with a seeded pattern, so different images have different bytes. */
export async function grayPng(size: number, seed: number, spot?: { x: number; y: number; r: number }): Promise<Buffer> {
  const pixels = Buffer.alloc(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let value = 100 + ((x * 7 + y * 13 + seed * 31) % 40);
      if (spot && (x - spot.x) ** 2 + (y - spot.y) ** 2 <= spot.r ** 2) value = 250;
      pixels[y * size + x] = value;
    }
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 1 } })
    .png()
    .toBuffer();
}

/** A 0/255 mask PNG with one filled disc. */
export async function maskPng(size: number, spot: { x: number; y: number; r: number }, width = size): Promise<Buffer> {
  const pixels = Buffer.alloc(width * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < width; x++)
      if ((x - spot.x) ** 2 + (y - spot.y) ** 2 <= spot.r ** 2) pixels[y * width + x] = 255;
  }
  return sharp(pixels, { raw: { width, height: size, channels: 1 } })
    .png()
    .toBuffer();
}

function write(file: string, bytes: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
}

export interface MvtecShape {
  size?: number;
  train?: number;
  testGood?: number;
  /** Defect name -> number of anomalous test images (each with a mask). */
  defects?: Record<string, number>;
}

/** An MVTec AD category folder: train/good, test/good, test/<defect>, ground_truth/<defect>/<n>_mask.png. */
export async function makeMvtecFolder(root: string, shape: MvtecShape = {}): Promise<string> {
  const size = shape.size ?? 32;
  const name = (i: number) => String(i).padStart(3, '0');
  let seed = 0;
  for (let i = 0; i < (shape.train ?? 6); i++)
    write(path.join(root, 'train', 'good', `${name(i)}.png`), await grayPng(size, seed++));
  for (let i = 0; i < (shape.testGood ?? 2); i++)
    write(path.join(root, 'test', 'good', `${name(i)}.png`), await grayPng(size, seed++));
  for (const [defect, count] of Object.entries(shape.defects ?? { crack: 2, hole: 1 })) {
    for (let i = 0; i < count; i++) {
      const spot = { x: 8 + i, y: 10, r: 3 };
      write(path.join(root, 'test', defect, `${name(i)}.png`), await grayPng(size, seed++, spot));
      write(path.join(root, 'ground_truth', defect, `${name(i)}_mask.png`), await maskPng(size, spot));
    }
  }
  return root;
}

/** A flat folder of images (imported as unlabeled). */
export async function makeFlatFolder(root: string, count: number, size = 24): Promise<string> {
  for (let i = 0; i < count; i++) write(path.join(root, `img-${i}.png`), await grayPng(size, 100 + i));
  return root;
}
