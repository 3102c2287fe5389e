// A tiny MVTec AD category made on the spot: 32 px woven textures, with scratches and stains whose masks are
// exact, so a tiny run trains in seconds and its metrics mean something.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import sharp from 'sharp';

import { mulberry32 } from '../../../models/src/datasets/prng';

const SIZE = 32;

type Defect = 'scratch' | 'stain';

function texture(seed: number): Uint8Array {
  const next = mulberry32(seed);
  const pixels = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const weave = 30 * Math.sin((x + y) * 0.9) * Math.sin((x - y) * 0.9);
      pixels[y * SIZE + x] = Math.round(120 + weave + (next() - 0.5) * 16);
    }
  }
  return pixels;
}

/** Marks the defect on the texture and returns its mask (255 where defective). */
function addDefect(pixels: Uint8Array, defect: Defect, index: number): Uint8Array {
  const mask = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const inside =
        defect === 'scratch'
          ? Math.abs(y - (6 + index * 5) - 0.6 * (x - 4)) <= 1 && x >= 4 && x <= 26
          : (x - (10 + index * 6)) ** 2 + (y - (20 - index * 3)) ** 2 <= 16;
      if (!inside) continue;
      pixels[y * SIZE + x] = defect === 'scratch' ? 245 : 15;
      mask[y * SIZE + x] = 255;
    }
  }
  return mask;
}

async function writePng(file: string, pixels: Uint8Array): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    await sharp(Buffer.from(pixels), { raw: { width: SIZE, height: SIZE, channels: 1 } })
      .png()
      .toBuffer(),
  );
}

export interface TextureDataset {
  root: string;
  /** Paths of its files, relative to root (for zipping). */
  files: string[];
  counts: { train: number; testGood: number; anomalous: number };
}

export async function makeTextureDataset(
  root: string,
  shape = { train: 16, testGood: 4, perDefect: 3 },
): Promise<TextureDataset> {
  const files: string[] = [];
  const name = (i: number) => String(i).padStart(3, '0');
  const write = async (relative: string, pixels: Uint8Array) => {
    await writePng(path.join(root, relative), pixels);
    files.push(relative);
  };
  let seed = 1;
  for (let i = 0; i < shape.train; i++) await write(`train/good/${name(i)}.png`, texture(seed++));
  for (let i = 0; i < shape.testGood; i++) await write(`test/good/${name(i)}.png`, texture(seed++));
  for (const defect of ['scratch', 'stain'] as const) {
    for (let i = 0; i < shape.perDefect; i++) {
      const pixels = texture(seed++);
      const mask = addDefect(pixels, defect, i);
      await write(`test/${defect}/${name(i)}.png`, pixels);
      await write(`ground_truth/${defect}/${name(i)}_mask.png`, mask);
    }
  }
  return {
    root,
    files,
    counts: { train: shape.train, testGood: shape.testGood, anomalous: 2 * shape.perDefect },
  };
}
