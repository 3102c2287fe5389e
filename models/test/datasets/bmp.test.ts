import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decodeBmp, isBmp, readBmpHeader } from '../../src';
import { encodeBmp, gradient, makeImage } from './fixtures';

describe('decodeBmp', () => {
  it('reads an 8-bit gray-palette BMP, bottom-up, with row padding (odd width), as 1 channel', () => {
    const image = gradient(5, 3, 1);
    const decoded = decodeBmp(encodeBmp(image));
    assert.equal(decoded.channels, 1);
    assert.deepEqual([decoded.width, decoded.height], [5, 3]);
    assert.deepEqual(decoded.data, image.data);
  });

  it('reads top-down rows (negative height)', () => {
    const image = gradient(6, 4, 1);
    assert.deepEqual(decodeBmp(encodeBmp(image, { topDown: true })).data, image.data);
  });

  it('applies a colour palette and reports 3 channels', () => {
    const indices = makeImage(3, 2, 1, (x, y) => x * 40 + y * 100);
    const decoded = decodeBmp(encodeBmp(indices, { palette: 'colour' }));
    assert.equal(decoded.channels, 3);
    for (let p = 0; p < 6; p++) {
      const i = indices.data[p]!;
      assert.deepEqual([...decoded.data.subarray(p * 3, p * 3 + 3)], [i >> 1, 255 - i, i], `pixel ${p}`);
    }
  });

  it('reads 24-bit and 32-bit RGB in R, G, B order', () => {
    const image = gradient(7, 5, 3);
    assert.deepEqual(decodeBmp(encodeBmp(image, { bitsPerPixel: 24 })).data, image.data);
    const decoded32 = decodeBmp(encodeBmp(image, { bitsPerPixel: 32, topDown: true }));
    assert.equal(decoded32.channels, 3, 'the fourth byte is not kept');
    assert.deepEqual(decoded32.data, image.data);
  });

  it('reads 32-bit BI_BITFIELDS with non-default masks', () => {
    // One row of 2 pixels, masks R = 0x000000ff, G = 0x0000ff00, B = 0x00ff0000 (the reverse of the default order).
    const buffer = Buffer.alloc(14 + 40 + 12 + 8);
    buffer.write('BM', 0, 'latin1');
    buffer.writeUInt32LE(buffer.length, 2);
    buffer.writeUInt32LE(14 + 40 + 12, 10);
    buffer.writeUInt32LE(40, 14);
    buffer.writeInt32LE(2, 18);
    buffer.writeInt32LE(1, 22);
    buffer.writeUInt16LE(1, 26);
    buffer.writeUInt16LE(32, 28);
    buffer.writeUInt32LE(3, 30);
    buffer.writeUInt32LE(0x000000ff, 54);
    buffer.writeUInt32LE(0x0000ff00, 58);
    buffer.writeUInt32LE(0x00ff0000, 62);
    buffer.set([10, 20, 30, 0, 40, 50, 60, 0], 66);
    const decoded = decodeBmp(buffer);
    assert.deepEqual([...decoded.data], [10, 20, 30, 40, 50, 60]);
  });

  it('refuses truncated files, other bit depths, compression and non-BMP bytes with a clear message', () => {
    const full = encodeBmp(gradient(8, 8, 3), { bitsPerPixel: 24 });
    assert.throws(() => decodeBmp(full.subarray(0, full.length - 10)), /truncated BMP/);
    assert.throws(() => decodeBmp(full.subarray(0, 30)), /truncated BMP/);

    const sixteen = Buffer.from(full);
    sixteen.writeUInt16LE(16, 28);
    assert.throws(() => decodeBmp(sixteen), /unsupported BMP bit depth 16/);

    const rle = encodeBmp(gradient(4, 4, 1));
    rle.writeUInt32LE(1, 30);
    assert.throws(() => decodeBmp(rle), /unsupported BMP compression 1/);

    assert.throws(() => decodeBmp(Buffer.from('PNG not a bitmap at all, just text')), /not a BMP/);
    assert.equal(isBmp(Buffer.from('BM')), true);
    assert.equal(isBmp(Buffer.from('\x89PNG')), false);
  });

  it('reads the header without the pixels: size, orientation and colour', () => {
    const header = readBmpHeader(encodeBmp(gradient(9, 4, 1), { topDown: true }));
    assert.deepEqual(
      [header.width, header.height, header.topDown, header.bitsPerPixel, header.channels],
      [9, 4, true, 8, 1],
    );
    assert.equal(header.rowStride, 12);
  });
});
