import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { gzipSync } from 'node:zlib';

import sharp from 'sharp';

import { DatasetError } from '../../src';
import type { ChannelCount, RawImage } from '../../src';

/** Shared helpers that write small image fixtures; not a test file itself. */

export async function makeTempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `vad-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A temporary folder for the tests of one describe block: made before them, removed after them. */
export function suiteTempDir(prefix: string): { readonly path: string } {
  let dir: { path: string; remove: () => Promise<void> } | undefined;
  before(async () => {
    dir = await makeTempDir(prefix);
  });
  after(() => dir?.remove());
  return {
    get path(): string {
      if (dir === undefined) throw new Error('suiteTempDir: the folder exists only while the suite runs');
      return dir.path;
    },
  };
}

/** Asserts that `loading` fails with a DatasetError that names `file` and says `message`. */
export async function rejectsNamingFile(loading: Promise<unknown>, file: string, message: RegExp): Promise<void> {
  await assert.rejects(loading, (error: unknown) => {
    assert.ok(error instanceof DatasetError, String(error));
    assert.equal(error.file, file);
    assert.match(error.message, message);
    return true;
  });
}

/** An image whose pixel values follow `value(x, y, c)`, so tests can check exactly where pixels went. */
export function makeImage(
  width: number,
  height: number,
  channels: ChannelCount,
  value: (x: number, y: number, c: number) => number,
): RawImage {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = value(x, y, c);
    }
  }
  return { width, height, channels, data };
}

export function gradient(width: number, height: number, channels: ChannelCount = 1): RawImage {
  return makeImage(width, height, channels, (x, y, c) => (x * 7 + y * 13 + c * 50) % 256);
}

export type FixtureFormat = 'png' | 'jpeg' | 'tiff' | 'bmp';

/** Writes with sharp (PNG, JPEG, TIFF) or by hand (BMP), creating folders as needed. */
export async function writeImage(path: string, image: RawImage, format: FixtureFormat = 'png'): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if (format === 'bmp') {
    await writeFile(path, encodeBmp(image));
    return;
  }
  // Named colour space: sharp would otherwise store a gray image as RGB.
  const pipeline = sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  }).toColourspace(image.channels === 1 ? 'b-w' : 'srgb');
  const encoded =
    format === 'png'
      ? pipeline.png()
      : format === 'jpeg'
        ? pipeline.jpeg({ quality: 95 })
        : pipeline.tiff({ compression: 'lzw' }); // sharp's default TIFF compression is lossy JPEG
  await writeFile(path, await encoded.toBuffer());
}

/** A 0/255 mask image with the given pixels (x, y) set. */
export function maskImage(width: number, height: number, on: (x: number, y: number) => boolean): RawImage {
  return makeImage(width, height, 1, (x, y) => (on(x, y) ? 255 : 0));
}

/**
 * A minimal uncompressed BMP writer (8-bit gray palette, 24-bit or 32-bit), written independently of the
 * decoder under test: rows padded to 4 bytes, bottom-up unless topDown.
 */
export function encodeBmp(
  image: RawImage,
  options: { topDown?: boolean; bitsPerPixel?: 8 | 24 | 32; palette?: 'gray' | 'colour' } = {},
): Buffer {
  const bitsPerPixel = options.bitsPerPixel ?? (image.channels === 1 ? 8 : 24);
  if (bitsPerPixel === 8 && image.channels !== 1) throw new Error('8-bit BMP output needs a grayscale image');
  const { width, height } = image;
  const rowStride = Math.ceil((width * bitsPerPixel) / 32) * 4;
  const paletteSize = bitsPerPixel === 8 ? 256 * 4 : 0;
  const pixelOffset = 14 + 40 + paletteSize;
  const buffer = Buffer.alloc(pixelOffset + rowStride * height);
  buffer.write('BM', 0, 'latin1');
  buffer.writeUInt32LE(buffer.length, 2);
  buffer.writeUInt32LE(pixelOffset, 10);
  buffer.writeUInt32LE(40, 14);
  buffer.writeInt32LE(width, 18);
  buffer.writeInt32LE(options.topDown === true ? -height : height, 22);
  buffer.writeUInt16LE(1, 26);
  buffer.writeUInt16LE(bitsPerPixel, 28);
  buffer.writeUInt32LE(0, 30);
  buffer.writeUInt32LE(rowStride * height, 34);
  for (let i = 0; i < paletteSize / 4; i++) {
    // A 'colour' palette maps index i to (B, G, R) = (i, 255 - i, i / 2) to prove the palette is applied.
    const entry = options.palette === 'colour' ? [i, 255 - i, i >> 1] : [i, i, i];
    buffer.set(entry, 14 + 40 + i * 4);
  }
  for (let y = 0; y < height; y++) {
    const storedRow = options.topDown === true ? y : height - 1 - y;
    const rowStart = pixelOffset + storedRow * rowStride;
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * image.channels;
      if (bitsPerPixel === 8) {
        buffer[rowStart + x] = image.data[src]!;
        continue;
      }
      const r = image.data[src]!;
      const g = image.data[image.channels === 1 ? src : src + 1]!;
      const b = image.data[image.channels === 1 ? src : src + 2]!;
      const at = rowStart + x * (bitsPerPixel / 8);
      buffer[at] = b;
      buffer[at + 1] = g;
      buffer[at + 2] = r;
      if (bitsPerPixel === 32) buffer[at + 3] = 255;
    }
  }
  return buffer;
}

/** IDX file bytes (unsigned byte elements), gzipped on request like Debian's copies. */
export function encodeIdx(dims: number[], data: Uint8Array, gzip = false): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((dim, i) => header.writeUInt32BE(dim, 4 + 4 * i));
  const bytes = Buffer.concat([header, Buffer.from(data)]);
  return gzip ? gzipSync(bytes) : bytes;
}

/**
 * A Fashion-MNIST stand-in: 28 x 28 "garments" (a textured block on black, placed per image) for `classes`
 * classes, written as IDX files the way Debian ships them. Lets the protocol tests run in milliseconds.
 */
export async function writeFakeFashionMnist(
  dir: string,
  options: { classes: number; trainPerClass: number; testPerClass: number; gzip: boolean },
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [prefix, perClass] of [
    ['train', options.trainPerClass],
    ['t10k', options.testPerClass],
  ] as const) {
    const count = options.classes * perClass;
    const images = new Uint8Array(count * 28 * 28);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      labels[i] = i % options.classes;
      const left = 4 + (i % 5);
      const top = 3 + (i % 7);
      for (let y = top; y < top + 16; y++) {
        for (let x = left; x < left + 14; x++) images[i * 784 + y * 28 + x] = 60 + ((x * 31 + y * 17 + i * 7) % 150);
      }
    }
    const suffix = options.gzip ? '.gz' : '';
    await writeFile(
      join(dir, `${prefix}-images-idx3-ubyte${suffix}`),
      encodeIdx([count, 28, 28], images, options.gzip),
    );
    await writeFile(join(dir, `${prefix}-labels-idx1-ubyte${suffix}`), encodeIdx([count], labels, options.gzip));
  }
}
