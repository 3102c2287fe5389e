// Synthetic defects: deterministic for a seed, in the image's own range, marked by their masks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AnomalyModel, synthesizeDefects, type ImageArray, type SyntheticDefectOptions } from '../lib';
import { noiseImages, textures } from './support';

const size = 32;
const plane = size * size;

/** Per image and channel, the smallest and largest pixel. */
function ranges(images: ImageArray): Array<[number, number]> {
  const [n, channels] = images.shape;
  return Array.from({ length: n * channels }, (_, k) => {
    const values = images.data.subarray(k * plane, (k + 1) * plane);
    return [Math.min(...values), Math.max(...values)];
  });
}

function defectPixels(masks: Uint8Array, image: number): number {
  return masks.subarray(image * plane, (image + 1) * plane).reduce((sum, m) => sum + m, 0);
}

describe('synthetic defects', () => {
  const clean = textures(32, size, 3);

  it('are the same for a seed and differ across seeds', () => {
    const a = synthesizeDefects(clean, { probability: 1 }, 7);
    const b = synthesizeDefects(clean, { probability: 1 }, 7);
    const c = synthesizeDefects(clean, { probability: 1 }, 8);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.masks, c.masks);
    assert.notDeepEqual(a.images.data, c.images.data);
  });

  it('mark the pixels they change, and keep them in the image range', () => {
    for (const channels of [1, 3]) {
      const images = channels === 1 ? clean : noiseImages(16, 3, size, 5);
      const planted = synthesizeDefects(images, { probability: 1 }, 1);
      assert.equal(planted.masks.length, images.shape[0] * plane);
      assert.ok(planted.masks.every((m) => m === 0 || m === 1));
      // A mask leaves out changes of 2 % of the range or less (5 grey levels, one more for rounding).
      const largestChange = new Uint8Array(planted.masks.length);
      for (let i = 0; i < images.data.length; i++) {
        const at = Math.floor(i / (channels * plane)) * plane + (i % plane);
        const change = Math.abs(planted.images.data[i]! - images.data[i]!);
        largestChange[at] = Math.max(largestChange[at]!, change);
      }
      largestChange.forEach((change, at) => {
        assert.ok(planted.masks[at] ? change >= 4 : change <= 6, `pixel ${at}: mask ${planted.masks[at]}, ${change}`);
      });
      const before = ranges(images);
      ranges(planted.images).forEach(([low, high], k) => {
        // Rounding to bytes may step one level past the original range.
        assert.ok(low >= before[k]![0] - 1 && high <= before[k]![1] + 1, `image/channel ${k}: ${low}-${high}`);
      });
    }
  });

  it('plant a blob in most images at probability 1 and none at probability 0', () => {
    const planted = synthesizeDefects(clean, { probability: 1 }, 2);
    const sizes = Array.from({ length: 32 }, (_, i) => defectPixels(planted.masks, i));
    const withDefect = sizes.filter((s) => s > 0).length;
    // Thresholded noise can miss an image now and then; most get a defect, none covers the image.
    assert.ok(withDefect >= 24, `${withDefect} of 32 images have a defect`);
    assert.ok(Math.max(...sizes) < 0.75 * plane, `largest defect ${Math.max(...sizes)} px`);
    const none = synthesizeDefects(clean, { probability: 0 }, 2);
    assert.ok(none.masks.every((m) => m === 0));
    assert.deepEqual(none.images.data, clean.data);
  });

  it('take one flat colour per defect with the flat source at full opacity', () => {
    const planted = synthesizeDefects(clean, { probability: 1, sources: ['flat'], minOpacity: 1 }, 4);
    let checked = 0;
    for (let i = 0; i < 32; i++) {
      const values = new Set<number>();
      for (let p = 0; p < plane; p++) if (planted.masks[i * plane + p]) values.add(planted.images.data[i * plane + p]!);
      assert.ok(values.size <= 1, `image ${i}: ${values.size} values inside its defect`);
      checked += values.size;
    }
    assert.ok(checked > 16);
  });

  it('reject bad options with a TypeError or RangeError naming them', () => {
    const cases: Array<[SyntheticDefectOptions, string, RegExp]> = [
      [{ probability: 2 }, 'RangeError', /probability/],
      [{ minOpacity: -0.1 }, 'RangeError', /minOpacity/],
      [{ sources: [] }, 'RangeError', /sources/],
      [{ sources: ['glitter' as 'flat'] }, 'TypeError', /defect source 'glitter'/],
      [{ probabilty: 0.5 } as SyntheticDefectOptions, 'TypeError', /unknown options key 'probabilty'/],
    ];
    for (const [options, name, message] of cases) {
      assert.throws(() => synthesizeDefects(clean, options, 0), { name, message }, JSON.stringify(options));
    }
  });

  it('train reproducibly, and differently from training without them', async () => {
    const train = async (syntheticDefects?: SyntheticDefectOptions): Promise<number[]> => {
      const model = new AnomalyModel({ channels: 1, imageSize: size, depth: 3, baseChannels: 4, seed: 2 });
      const options = { epochs: 2, batchSize: 8, seed: 3 };
      const result = await model.train(clean, syntheticDefects ? { ...options, syntheticDefects } : options);
      return result.epochLosses;
    };
    const [a, b, plain] = await Promise.all([train({ probability: 0.5 }), train({ probability: 0.5 }), train()]);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, plain);
    await assert.rejects(train({ sources: ['flat', 'nope' as 'flat'] }), TypeError);
  });
});
