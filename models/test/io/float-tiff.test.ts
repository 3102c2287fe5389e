import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import sharp from 'sharp';

import { decodeFloatTiff, encodeFloatTiff, TiffError } from '../../src';

function ramp(width: number, height: number): Float32Array {
  return Float32Array.from({ length: width * height }, (_, i) => (i % 7) * 0.37 - 1.25 + i * 1e-3);
}

/** A big-endian float TIFF in two strips, written by hand the way other writers may lay one out. */
function bigEndianTwoStrips(width: number, height: number, data: Float32Array): Buffer {
  const rowsPerStrip = Math.ceil(height / 2);
  const stripBytes = [rowsPerStrip * width * 4, (height - rowsPerStrip) * width * 4];
  const entries: [number, number, number[]][] = [
    [256, 4, [width]],
    [257, 4, [height]],
    [258, 3, [32]],
    [259, 3, [1]],
    [262, 3, [1]],
    [273, 4, [0, 0]],
    [277, 3, [1]],
    [278, 4, [rowsPerStrip]],
    [279, 4, stripBytes],
    [339, 3, [3]],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const arraysAt = 8 + ifdSize;
  const pixelsAt = arraysAt + 16;
  const buffer = Buffer.alloc(pixelsAt + data.length * 4);
  buffer.write('MM', 0, 'latin1');
  buffer.writeUInt16BE(42, 2);
  buffer.writeUInt32BE(8, 4);
  buffer.writeUInt16BE(entries.length, 8);
  entries.forEach(([tag, type, values], i) => {
    const at = 10 + i * 12;
    buffer.writeUInt16BE(tag, at);
    buffer.writeUInt16BE(type, at + 2);
    buffer.writeUInt32BE(values.length, at + 4);
    if (values.length === 1) {
      if (type === 3) buffer.writeUInt16BE(values[0]!, at + 8);
      else buffer.writeUInt32BE(values[0]!, at + 8);
      return;
    }
    const arrayAt = arraysAt + (tag === 273 ? 0 : 8);
    buffer.writeUInt32BE(arrayAt, at + 8);
    const stored = tag === 273 ? [pixelsAt, pixelsAt + stripBytes[0]!] : values;
    stored.forEach((value, k) => buffer.writeUInt32BE(value, arrayAt + k * 4));
  });
  data.forEach((value, i) => buffer.writeFloatBE(value, pixelsAt + i * 4));
  return buffer;
}

describe('float TIFF', () => {
  it('reads back exactly what it wrote, negative values and fractions included', () => {
    const data = ramp(13, 7);
    const decoded = decodeFloatTiff(encodeFloatTiff({ width: 13, height: 7, data }));
    assert.equal(decoded.width, 13);
    assert.equal(decoded.height, 7);
    assert.deepEqual(decoded.data, data);
  });

  it('writes a file libvips (through sharp) recognises as a one-band 32-bit float image', async () => {
    const metadata = await sharp(encodeFloatTiff({ width: 9, height: 5, data: ramp(9, 5) })).metadata();
    assert.equal(metadata.format, 'tiff');
    assert.equal(metadata.width, 9);
    assert.equal(metadata.height, 5);
    assert.equal(metadata.channels, 1);
    assert.equal(metadata.depth, 'float');
  });

  it('reads big-endian files with several strips', () => {
    const data = ramp(6, 5);
    assert.deepEqual(decodeFloatTiff(bigEndianTwoStrips(6, 5, data)).data, data);
  });

  it('refuses what it cannot read, naming the file and the problem', () => {
    assert.throws(() => decodeFloatTiff(Buffer.from('not a tiff at all'), 'x.tiff'), /x\.tiff: not a TIFF file/);
    const good = encodeFloatTiff({ width: 4, height: 4, data: new Float32Array(16) });
    assert.throws(() => decodeFloatTiff(good.subarray(0, good.length - 8), 'cut.tiff'), /cut\.tiff: truncated/);
    const compressed = Buffer.from(good);
    // Compression is the fourth IFD entry; its value sits 8 bytes into the entry.
    compressed.writeUInt16LE(8, 8 + 2 + 3 * 12 + 8);
    assert.throws(() => decodeFloatTiff(compressed), TiffError);
    assert.throws(() => decodeFloatTiff(compressed), /compressed TIFF/);
  });

  it('rejects a size that does not match the data', () => {
    assert.throws(
      () => encodeFloatTiff({ width: 3, height: 3, data: new Float32Array(8) }),
      /holds 8 values, 3 x 3 needs 9/,
    );
    assert.throws(() => encodeFloatTiff({ width: 0, height: 3, data: new Float32Array(0) }), RangeError);
  });
});
