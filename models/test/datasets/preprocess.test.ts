import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import {
  decodeGroundTruth,
  preprocessSamples,
  resizeMapBilinear,
  resizeMaskNearest,
  upsampleMapToSample,
} from '../../src';
import type { DatasetSample, RawImage } from '../../src';
import { gradient, makeImage, maskImage, suiteTempDir, writeImage } from './fixtures';

function memorySample(id: string, image: RawImage, mask?: RawImage): DatasetSample {
  return {
    id,
    split: 'test',
    label: mask === undefined ? 'normal' : 'anomalous',
    defectType: mask === undefined ? 'good' : 'spot',
    source: { kind: 'memory', name: id, image },
    ...(mask === undefined ? {} : { mask: { kind: 'memory' as const, name: `${id} mask`, image: mask } }),
    width: image.width,
    height: image.height,
    channels: image.channels,
  };
}

describe('preprocessSamples', () => {
  const tmp = suiteTempDir('preprocess');

  it('lays colour images out as (N, C, H, W) planes', async () => {
    const rgb = makeImage(4, 4, 3, (_x, _y, c) => [10, 20, 30][c]!);
    const batch = await preprocessSamples([memorySample('a', rgb), memorySample('b', rgb)], {
      width: 4,
      height: 4,
      channels: 3,
    });
    assert.deepEqual([batch.count, batch.channels, batch.height, batch.width], [2, 3, 4, 4]);
    assert.equal(batch.images.length, 2 * 3 * 16);
    for (let n = 0; n < 2; n++) {
      for (let c = 0; c < 3; c++) {
        const plane = batch.images.subarray((n * 3 + c) * 16, (n * 3 + c + 1) * 16);
        assert.ok(
          plane.every((value) => value === [10, 20, 30][c]),
          `image ${n} channel ${c}`,
        );
      }
    }
    assert.equal(batch.converted, 0);
    assert.deepEqual(batch.ids, ['a', 'b']);
  });

  it('resizes images of different sizes to the model size, converting channels as the model wants', async () => {
    const samples = [memorySample('gray', gradient(30, 20, 1)), memorySample('rgb', gradient(12, 40, 3))];
    const asGray = await preprocessSamples(samples, { width: 16, height: 8, channels: 1, masks: false });
    assert.deepEqual(
      [asGray.count, asGray.channels, asGray.height, asGray.width, asGray.images.length],
      [2, 1, 8, 16, 2 * 128],
    );
    assert.equal(asGray.masks, null);
    assert.equal(asGray.converted, 1);

    const asRgb = await preprocessSamples(samples, { width: 16, height: 8, channels: 3 });
    assert.equal(asRgb.images.length, 2 * 3 * 128);
    const planes = [0, 1, 2].map((c) => asRgb.images.subarray(c * 128, (c + 1) * 128));
    assert.deepEqual(planes[0], planes[1], 'a gray image becomes three equal planes');
    assert.deepEqual(planes[0], planes[2]);
    assert.deepEqual(planes[0], asGray.images.subarray(0, 128), 'and each plane is what the gray model sees');
  });

  it('treats an in-memory image exactly like a file holding the same pixels', async () => {
    const image = gradient(23, 17, 1);
    const path = join(tmp.path, 'same.png');
    await writeImage(path, image);
    const fromFile: DatasetSample = { ...memorySample('f', image), source: { kind: 'file', path } };
    const options = { width: 9, height: 11, channels: 1 as const };
    const a = await preprocessSamples([fromFile], options);
    const b = await preprocessSamples([memorySample('m', image)], options);
    assert.deepEqual(a.images, b.images);
  });

  it('resizes masks with nearest neighbour: binary, and blocks map to blocks', async () => {
    // A 4 x 4 mask of 2 x 2 blocks (top-right block on) doubled to 8 x 8 and halved to 2 x 2.
    const mask = maskImage(4, 4, (x, y) => x >= 2 && y < 2);
    const sample = memorySample('m', gradient(4, 4, 1), mask);
    const normal = memorySample('n', gradient(4, 4, 1));
    const up = await preprocessSamples([sample, normal], { width: 8, height: 8, channels: 1 });
    const expectedUp = maskImage(8, 8, (x, y) => x >= 4 && y < 4).data.map((value) => value / 255);
    assert.deepEqual(up.masks!.subarray(0, 64), expectedUp);
    assert.ok(
      up.masks!.subarray(64).every((value) => value === 0),
      'a normal sample has an all-zero mask',
    );
    assert.deepEqual(up.hasMask, [true, true]);

    const down = await preprocessSamples([sample], { width: 2, height: 2, channels: 1 });
    assert.deepEqual([...down.masks!], [0, 1, 0, 0]);
  });

  it('keeps no mask for an anomalous sample without one, and says so', async () => {
    const sample: DatasetSample = { ...memorySample('x', gradient(4, 4)), label: 'anomalous', defectType: 'spot' };
    const batch = await preprocessSamples([sample], { width: 4, height: 4, channels: 1 });
    assert.deepEqual(batch.hasMask, [false]);
    assert.equal(await decodeGroundTruth(sample), null);
  });

  it('rejects a mask whose decoded size differs from its image, naming the mask', async () => {
    const sample = memorySample(
      'odd',
      gradient(6, 6),
      maskImage(6, 5, () => true),
    );
    await assert.rejects(
      preprocessSamples([sample], { width: 4, height: 4, channels: 1 }),
      /odd mask: mask is 6 x 5 but its image odd is 6 x 6/,
    );
    await assert.rejects(
      preprocessSamples([sample], { width: 0, height: 4, channels: 1 }),
      /width must be a positive integer/,
    );
  });
});

describe('resizeMaskNearest', () => {
  it('samples pixel centres', () => {
    const mask = { width: 3, height: 1, data: Uint8Array.from([1, 0, 1]) };
    assert.deepEqual([...resizeMaskNearest(mask, 6, 1).data], [1, 1, 0, 0, 1, 1]);
    assert.deepEqual([...resizeMaskNearest(mask, 1, 1).data], [0], 'the centre pixel wins');
  });
});

describe('resizeMapBilinear', () => {
  it('matches half-pixel bilinear interpolation (align_corners=False) on hand-computed values', () => {
    // 2 -> 4 along x: source positions -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    const out = resizeMapBilinear(Float32Array.from([0, 8]), 2, 1, 4, 1);
    assert.deepEqual([...out], [0, 2, 6, 8]);
    // 2 x 2 -> 3 x 3: the centre is the mean of the four corners.
    const square = resizeMapBilinear(Float32Array.from([0, 4, 8, 12]), 2, 2, 3, 3);
    assert.equal(square[4], 6);
    assert.deepEqual([square[0], square[2], square[6], square[8]], [0, 4, 8, 12], 'corners stay put');
  });

  it('keeps a constant map constant and checks its input size', () => {
    const out = resizeMapBilinear(new Float32Array(12).fill(0.25), 4, 3, 17, 9);
    assert.ok(out.every((value) => Math.abs(value - 0.25) < 1e-7));
    assert.throws(() => resizeMapBilinear(new Float32Array(5), 2, 2, 4, 4), /map holds 5 values, 2 x 2 needs 4/);
  });

  it('upsamples a model-size map to the sample original resolution', () => {
    const sample = { width: 37, height: 23 };
    const out = upsampleMapToSample(new Float32Array(16 * 16), 16, 16, sample);
    assert.equal(out.length, 37 * 23);
  });
});
