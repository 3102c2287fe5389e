/**
 * A minimal single-channel float32 TIFF writer and reader, the format MVTec AD's evaluation script reads
 * anomaly maps from. sharp cannot write one: it converts every image to 8-bit sRGB before saving.
 *
 * Written: little-endian baseline TIFF, one uncompressed strip, SampleFormat 3 (IEEE float), BlackIsZero.
 * Read: what this writer writes and what other writers commonly produce for the same data (either byte order,
 * several strips, rows per strip); anything else (compression, tiles, several samples) is refused by name.
 */

const TAG = {
  imageWidth: 256,
  imageLength: 257,
  bitsPerSample: 258,
  compression: 259,
  photometric: 262,
  stripOffsets: 273,
  samplesPerPixel: 277,
  rowsPerStrip: 278,
  stripByteCounts: 279,
  planarConfiguration: 284,
  tileWidth: 322,
  sampleFormat: 339,
} as const;

const TYPE_SHORT = 3;
const TYPE_LONG = 4;
const SAMPLE_FORMAT_FLOAT = 3;

export interface FloatImage {
  width: number;
  height: number;
  /** Row-major, `data[y * width + x]`. */
  data: Float32Array;
}

export function encodeFloatTiff(image: FloatImage): Buffer {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0)
    throw new RangeError(`TIFF size must be positive integers, got ${width} x ${height}`);
  if (data.length !== width * height)
    throw new RangeError(`TIFF data holds ${data.length} values, ${width} x ${height} needs ${width * height}`);

  const entries: [tag: number, type: number, value: number][] = [
    [TAG.imageWidth, TYPE_LONG, width],
    [TAG.imageLength, TYPE_LONG, height],
    [TAG.bitsPerSample, TYPE_SHORT, 32],
    [TAG.compression, TYPE_SHORT, 1],
    [TAG.photometric, TYPE_SHORT, 1],
    [TAG.stripOffsets, TYPE_LONG, 0], // patched below, once the layout is known
    [TAG.samplesPerPixel, TYPE_SHORT, 1],
    [TAG.rowsPerStrip, TYPE_LONG, height],
    [TAG.stripByteCounts, TYPE_LONG, data.length * 4],
    [TAG.planarConfiguration, TYPE_SHORT, 1],
    [TAG.sampleFormat, TYPE_SHORT, SAMPLE_FORMAT_FLOAT],
  ];
  const ifdOffset = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  const pixelOffset = ifdOffset + ifdSize;
  const buffer = Buffer.alloc(pixelOffset + data.length * 4);
  buffer.write('II', 0, 'latin1');
  buffer.writeUInt16LE(42, 2);
  buffer.writeUInt32LE(ifdOffset, 4);
  buffer.writeUInt16LE(entries.length, ifdOffset);
  entries.forEach(([tag, type, value], i) => {
    const at = ifdOffset + 2 + i * 12;
    buffer.writeUInt16LE(tag, at);
    buffer.writeUInt16LE(type, at + 2);
    buffer.writeUInt32LE(1, at + 4);
    const stored = tag === TAG.stripOffsets ? pixelOffset : value;
    if (type === TYPE_SHORT) buffer.writeUInt16LE(stored, at + 8);
    else buffer.writeUInt32LE(stored, at + 8);
  });
  buffer.writeUInt32LE(0, ifdOffset + 2 + entries.length * 12); // no next IFD
  const pixels = new DataView(buffer.buffer, buffer.byteOffset + pixelOffset, data.length * 4);
  for (let i = 0; i < data.length; i++) pixels.setFloat32(i * 4, data[i]!, true);
  return buffer;
}

export class TiffError extends Error {
  constructor(message: string, name?: string) {
    super(name === undefined ? message : `${name}: ${message}`);
    this.name = 'TiffError';
  }
}

/** Reads a single-channel float32 TIFF; `name` (a path) goes into error messages. */
export function decodeFloatTiff(bytes: Uint8Array, name?: string): FloatImage {
  const fail = (message: string): never => {
    throw new TiffError(message, name);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) fail('too short for a TIFF header');
  const order = String.fromCharCode(bytes[0]!, bytes[1]!);
  if (order !== 'II' && order !== 'MM') fail('not a TIFF file (no II/MM byte-order mark)');
  const little = order === 'II';
  const u16 = (at: number): number => {
    if (at + 2 > bytes.length) fail(`truncated: offset ${at} is past the end`);
    return view.getUint16(at, little);
  };
  const u32 = (at: number): number => {
    if (at + 4 > bytes.length) fail(`truncated: offset ${at} is past the end`);
    return view.getUint32(at, little);
  };
  if (u16(2) !== 42) fail('not a classic TIFF (magic number is not 42; BigTIFF is not read)');

  const ifd = u32(4);
  const count = u16(ifd);
  const tags = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    const tag = u16(at);
    const type = u16(at + 2);
    const n = u32(at + 4);
    if (type !== TYPE_SHORT && type !== TYPE_LONG) continue; // no tag this reader needs has another type
    const size = type === TYPE_SHORT ? 2 : 4;
    const valuesAt = n * size <= 4 ? at + 8 : u32(at + 8);
    const values: number[] = [];
    for (let k = 0; k < n; k++) values.push(type === TYPE_SHORT ? u16(valuesAt + k * 2) : u32(valuesAt + k * 4));
    tags.set(tag, values);
  }
  const one = (tag: number, label: string, fallback?: number): number => {
    const value = tags.get(tag)?.[0] ?? fallback;
    if (value === undefined) fail(`missing tag ${label} (${tag})`);
    return value as number;
  };

  const width = one(TAG.imageWidth, 'ImageWidth');
  const height = one(TAG.imageLength, 'ImageLength');
  if (one(TAG.compression, 'Compression', 1) !== 1) fail('compressed TIFF: only uncompressed float maps are read');
  if (tags.has(TAG.tileWidth)) fail('tiled TIFF: only strips are read');
  const samples = one(TAG.samplesPerPixel, 'SamplesPerPixel', 1);
  if (samples !== 1) fail(`${samples} samples per pixel: an anomaly map has one`);
  const bits = one(TAG.bitsPerSample, 'BitsPerSample', 1);
  const format = one(TAG.sampleFormat, 'SampleFormat', 1);
  if (bits !== 32 || format !== SAMPLE_FORMAT_FLOAT)
    fail(`${bits}-bit samples of format ${format}: expected 32-bit IEEE float (SampleFormat 3)`);

  const offsets = tags.get(TAG.stripOffsets) ?? fail('missing tag StripOffsets (273)');
  const counts = tags.get(TAG.stripByteCounts) ?? fail('missing tag StripByteCounts (279)');
  if (offsets.length !== counts.length) fail('StripOffsets and StripByteCounts differ in length');
  const data = new Float32Array(width * height);
  let filled = 0;
  offsets.forEach((offset, strip) => {
    const values = Math.min(counts[strip]! / 4, data.length - filled);
    if (offset + values * 4 > bytes.length) fail(`truncated: strip ${strip} runs past the end`);
    for (let k = 0; k < values; k++) data[filled + k] = view.getFloat32(offset + k * 4, little);
    filled += values;
  });
  if (filled !== data.length) fail(`strips hold ${filled} values, ${width} x ${height} needs ${data.length}`);
  return { width, height, data };
}
