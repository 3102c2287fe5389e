import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import sharp from 'sharp';

import { colourTable, type ColourMapName } from './colour-maps';
import type { ScoreMapData } from './score-map';
import { writeAtomically, type FileStore } from './store';

/** The value range a map is coloured on: the run's, so that maps of one run compare by colour. */
export type ValueRange = readonly [min: number, max: number];

export function rangeOf(data: Float32Array): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (const value of data) {
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return Number.isFinite(min) ? [min, max] : [0, 0];
}

/** Map values to 0-255 on `range` (clamped); a flat range gives all zeros. */
function normalise(map: ScoreMapData, range: ValueRange): Uint8Array {
  const [min, max] = range;
  const span = max - min;
  const out = new Uint8Array(map.data.length);
  if (!(span > 0)) return out;
  for (let i = 0; i < map.data.length; i++) {
    const value = (map.data[i]! - min) / span;
    out[i] = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0)));
  }
  return out;
}

/**
 * The map as a PNG at the map's own resolution, in a colour map; in `gray` it is one grey channel whose value is
 * the level itself, for clients that colour maps themselves.
 */
export async function heatmapPng(map: ScoreMapData, range: ValueRange, colourMap: ColourMapName): Promise<Buffer> {
  const levels = normalise(map, range);
  if (colourMap === 'gray') {
    return sharp(Buffer.from(levels), { raw: { width: map.width, height: map.height, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
  }
  const table = colourTable(colourMap);
  const rgb = Buffer.alloc(levels.length * 3);
  for (let i = 0; i < levels.length; i++) {
    const at = levels[i]! * 3;
    rgb[i * 3] = table[at]!;
    rgb[i * 3 + 1] = table[at + 1]!;
    rgb[i * 3 + 2] = table[at + 2]!;
  }
  return sharp(rgb, { raw: { width: map.width, height: map.height, channels: 3 } })
    .png()
    .toBuffer();
}

/**
 * The coloured map over the image at the image's resolution: the map is resized to the image (bilinear), and
 * its colour is blended in proportion to the score, so normal regions show the image and hot ones the colour.
 */
export async function overlayPng(
  image: Buffer,
  map: ScoreMapData,
  range: ValueRange,
  colourMap: ColourMapName,
): Promise<Buffer> {
  const base = sharp(image, { failOn: 'truncated' });
  const { width, height } = await base.metadata();
  const levels = normalise(map, range);
  const table = colourTable(colourMap);
  const rgba = Buffer.alloc(levels.length * 4);
  for (let i = 0; i < levels.length; i++) {
    const at = levels[i]! * 3;
    rgba[i * 4] = table[at]!;
    rgba[i * 4 + 1] = table[at + 1]!;
    rgba[i * 4 + 2] = table[at + 2]!;
    rgba[i * 4 + 3] = Math.round(levels[i]! * 0.75);
  }
  const layer = await sharp(rgba, { raw: { width: map.width, height: map.height, channels: 4 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .png()
    .toBuffer();
  return base
    .toColourspace('srgb')
    .removeAlpha()
    .composite([{ input: layer }])
    .png()
    .toBuffer();
}

/** Thumbnails come in a few sizes only, so that the cache stays small and shared between clients. */
export const THUMBNAIL_SIZES = [64, 128, 256, 512] as const;

/** An image scaled to fit a `size` x `size` box (never enlarged), as PNG. */
export function thumbnailPng(image: Buffer, size: number): Promise<Buffer> {
  return sharp(image, { failOn: 'truncated' })
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer();
}

/** A binary mask as a single-channel 0/255 PNG: the one form every stored mask has. */
export async function binaryMaskPng(
  width: number,
  height: number,
  data: Uint8Array,
): Promise<{ png: Buffer; defectPixels: number }> {
  const pixels = Buffer.alloc(width * height);
  let defectPixels = 0;
  for (let i = 0; i < pixels.length; i++) {
    if (data[i]) {
      pixels[i] = 255;
      defectPixels++;
    }
  }
  // sharp writes sRGB unless told otherwise: a mask is one grey channel.
  const png = await sharp(pixels, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 9 })
    .toBuffer();
  return { png, defectPixels };
}

/**
 * Derived images are made on first request and kept in the cache folder under a name that says everything they
 * depend on (content keys, size, range), so a stale entry can never be served.
 */
export async function cached(store: FileStore, name: string, make: () => Promise<Buffer>): Promise<Buffer> {
  const file = path.join(store.cacheDir, name.slice(0, 2), name);
  if (existsSync(file)) return readFile(file);
  const bytes = await make();
  await writeAtomically(file, bytes);
  return bytes;
}
