import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { DatasetError } from './types';
import type { RawImage, Split } from './types';

/** Where Debian's `dataset-fashion-mnist` package puts the IDX files (gzipped). */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** An IDX array of unsigned bytes (the only element type MNIST-style files use). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const IDX_UNSIGNED_BYTE = 0x08;

/** Parses an IDX file's bytes, gunzipping first when they carry the gzip signature. */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  let buffer = bytes;
  if (buffer.length >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) {
    try {
      buffer = gunzipSync(buffer);
    } catch (error) {
      throw new DatasetError(`cannot gunzip IDX file: ${(error as Error).message}`, name);
    }
  }
  if (buffer.length < 4 || buffer[0] !== 0 || buffer[1] !== 0)
    throw new DatasetError('not an IDX file (bad magic number)', name);
  if (buffer[2] !== IDX_UNSIGNED_BYTE) {
    throw new DatasetError(`IDX element type 0x${buffer[2]!.toString(16)} is not unsigned byte (0x08)`, name);
  }
  const rank = buffer[3]!;
  const headerSize = 4 + 4 * rank;
  if (rank === 0 || buffer.length < headerSize) throw new DatasetError('truncated IDX header', name);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (buffer.length !== headerSize + size) {
    throw new DatasetError(
      `IDX data holds ${buffer.length - headerSize} bytes, dimensions ${dims.join(' x ')} need ${size}`,
      name,
    );
  }
  // A plain Uint8Array view (not a Buffer), like every other pixel array in the readers.
  return { dims, data: new Uint8Array(buffer.buffer, buffer.byteOffset + headerSize, size) };
}

export async function readIdxFile(path: string): Promise<IdxArray> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new DatasetError(`cannot read IDX file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, path);
  }
  return parseIdx(bytes, path);
}

export interface FashionMnistSet {
  split: Split;
  count: number;
  width: number;
  height: number;
  /** count x height x width bytes, image after image. */
  images: Uint8Array;
  /** Class index 0-9 of each image (see FASHION_MNIST_CLASSES). */
  labels: Uint8Array;
}

/** Finds `<prefix>-<kind>-idx?-ubyte`, gzipped or not (Debian ships them gzipped). */
async function readFirstExisting(dir: string, names: readonly string[]): Promise<IdxArray & { path: string }> {
  for (const name of names) {
    const path = join(dir, name);
    try {
      return { ...parseIdx(await readFile(path), path), path };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new DatasetError(
    `Fashion-MNIST file not found (looked for ${names.join(', ')}); install it with \`apt-get install -y dataset-fashion-mnist\``,
    dir,
  );
}

export async function readFashionMnist(split: Split, dir: string = FASHION_MNIST_DIR): Promise<FashionMnistSet> {
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = await readFirstExisting(dir, [`${prefix}-images-idx3-ubyte.gz`, `${prefix}-images-idx3-ubyte`]);
  const labels = await readFirstExisting(dir, [`${prefix}-labels-idx1-ubyte.gz`, `${prefix}-labels-idx1-ubyte`]);
  const [count, height, width] = images.dims;
  if (images.dims.length !== 3 || count === undefined || height === undefined || width === undefined) {
    throw new DatasetError(`image file has dimensions ${images.dims.join(' x ')}, expected N x H x W`, images.path);
  }
  if (labels.dims.length !== 1 || labels.dims[0] !== count) {
    throw new DatasetError(`label file has dimensions ${labels.dims.join(' x ')}, expected ${count}`, labels.path);
  }
  return { split, count, width, height, images: images.data, labels: labels.data };
}

/** One image of a set as a grayscale RawImage (a view into the set's buffer, not a copy). */
export function fashionMnistImage(set: FashionMnistSet, index: number): RawImage {
  if (!Number.isInteger(index) || index < 0 || index >= set.count) {
    throw new RangeError(`Fashion-MNIST ${set.split} index ${index} outside 0..${set.count - 1}`);
  }
  const size = set.width * set.height;
  return {
    width: set.width,
    height: set.height,
    channels: 1,
    data: set.images.subarray(index * size, (index + 1) * size),
  };
}
