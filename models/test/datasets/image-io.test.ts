import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import sharp from 'sharp';

import { DatasetError, decodeImage, decodeMask, readImageInfo } from '../../src';
import type { ImageSource } from '../../src';
import { gradient, makeImage, maskImage, suiteTempDir, writeImage } from './fixtures';

const file = (path: string): ImageSource => ({ kind: 'file', path });

describe('image decoding', () => {
  const dir = suiteTempDir('image-io');

  it('reads size and colour from PNG, JPEG, TIFF and BMP headers', async () => {
    const cases = [
      ['gray.png', gradient(10, 6, 1), 'png', 1],
      ['rgb.png', gradient(10, 6, 3), 'png', 3],
      ['gray.jpg', gradient(12, 8, 1), 'jpeg', 1],
      ['rgb.jpeg', gradient(12, 8, 3), 'jpeg', 3],
      ['gray.tif', gradient(7, 9, 1), 'tiff', 1],
      ['rgb.tiff', gradient(7, 9, 3), 'tiff', 3],
      ['gray.bmp', gradient(5, 5, 1), 'bmp', 1],
      ['rgb.bmp', gradient(5, 5, 3), 'bmp', 3],
    ] as const;
    for (const [name, image, format, channels] of cases) {
      const path = join(dir.path, name);
      await writeImage(path, image, format);
      assert.deepEqual(await readImageInfo(file(path)), { width: image.width, height: image.height, channels }, name);
    }
  });

  it('drops alpha: gray + alpha counts as gray, RGBA as RGB', async () => {
    const grayAlpha = await sharp(Buffer.alloc(4 * 4 * 2, 200), { raw: { width: 4, height: 4, channels: 2 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const rgba = await sharp(Buffer.alloc(4 * 4 * 4, 200), { raw: { width: 4, height: 4, channels: 4 } })
      .png()
      .toBuffer();
    await writeFile(join(dir.path, 'ga.png'), grayAlpha);
    await writeFile(join(dir.path, 'rgba.png'), rgba);
    assert.equal((await readImageInfo(file(join(dir.path, 'ga.png')))).channels, 1);
    assert.equal((await readImageInfo(file(join(dir.path, 'rgba.png')))).channels, 3);
    const decoded = await decodeImage(file(join(dir.path, 'rgba.png')));
    assert.equal(decoded.channels, 3);
    assert.equal(decoded.data.length, 4 * 4 * 3);
  });

  it('decodes lossless files to their exact pixels, in every format', async () => {
    const image = gradient(9, 7, 3);
    for (const format of ['png', 'tiff', 'bmp'] as const) {
      const path = join(dir.path, `exact.${format}`);
      await writeImage(path, image, format);
      assert.deepEqual((await decodeImage(file(path))).data, image.data, format);
    }
  });

  it('converts channels on request: gray is replicated to RGB, RGB is reduced to luminance', async () => {
    const gray = gradient(6, 4, 1);
    const asRgb = await decodeImage({ kind: 'memory', name: 'gray', image: gray }, { channels: 3 });
    assert.equal(asRgb.channels, 3);
    for (let p = 0; p < 24; p++)
      assert.deepEqual([...asRgb.data.subarray(p * 3, p * 3 + 3)], [gray.data[p], gray.data[p], gray.data[p]]);

    const uniform = makeImage(4, 4, 3, (_x, _y, c) => [200, 100, 50][c]!);
    const asGray = await decodeImage({ kind: 'memory', name: 'rgb', image: uniform }, { channels: 1 });
    assert.equal(asGray.channels, 1);
    // Luminance of (200, 100, 50) lies strictly between its darkest and brightest channel.
    assert.ok(asGray.data.every((value) => value > 50 && value < 200 && value === asGray.data[0]));
  });

  it('resizes with fit fill to the requested size', async () => {
    const decoded = await decodeImage(
      { kind: 'memory', name: 'g', image: gradient(30, 10, 1) },
      { width: 8, height: 12, channels: 1 },
    );
    assert.deepEqual([decoded.width, decoded.height, decoded.data.length], [8, 12, 96]);
  });

  it('names the file when an image is missing, not an image, or truncated', async () => {
    await assert.rejects(readImageInfo(file(join(dir.path, 'absent.png'))), (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.match(error.message, /absent\.png: cannot read image file \(ENOENT\)/);
      return true;
    });

    const garbage = join(dir.path, 'garbage.png');
    await writeFile(garbage, 'this is not an image');
    await assert.rejects(readImageInfo(file(garbage)), /garbage\.png: cannot decode image/);

    for (const format of ['png', 'jpeg'] as const) {
      const whole = join(dir.path, `whole.${format}`);
      await writeImage(whole, gradient(64, 64, 3), format);
      const bytes = await readFile(whole);
      const cut = join(dir.path, `cut.${format}`);
      await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      await assert.rejects(decodeImage(file(cut)), new RegExp(`cut\\.${format}: cannot decode image`), format);
    }

    const bmp = join(dir.path, 'cut.bmp');
    await writeImage(bmp, gradient(16, 16, 3), 'bmp');
    await writeFile(bmp, (await readFile(bmp)).subarray(0, 300));
    await assert.rejects(readImageInfo(file(bmp)), /cut\.bmp: truncated BMP/);
  });

  it('refuses an in-memory image whose byte count does not match its size, naming it', async () => {
    const broken = { width: 4, height: 4, channels: 1 as const, data: new Uint8Array(10) };
    await assert.rejects(
      decodeImage({ kind: 'memory', name: 'sample 7', image: broken }),
      /sample 7: 4 x 4 x 1 image holds 10 bytes/,
    );
  });
});

describe('decodeMask', () => {
  const memory = (image: ReturnType<typeof makeImage>): ImageSource => ({ kind: 'memory', name: 'mask', image });

  it('binarises 0/255 masks at 128', async () => {
    const mask = await decodeMask(memory(makeImage(4, 1, 1, (x) => [0, 127, 128, 255][x]!)));
    assert.deepEqual([...mask.data], [0, 0, 1, 1]);
  });

  it('recognises 0/1 label masks', async () => {
    const mask = await decodeMask(memory(makeImage(3, 1, 1, (x) => [0, 1, 0][x]!)));
    assert.deepEqual([...mask.data], [0, 1, 0]);
  });

  it('uses the brightest channel, so a pure red mask counts', async () => {
    const mask = await decodeMask(memory(makeImage(2, 1, 3, (x, _y, c) => (x === 1 && c === 0 ? 255 : 0))));
    assert.deepEqual([...mask.data], [0, 1]);
  });

  it('accepts an empty mask', async () => {
    const mask = await decodeMask(memory(maskImage(5, 5, () => false)));
    assert.equal(mask.data.length, 25);
    assert.ok(mask.data.every((value) => value === 0));
  });
});
