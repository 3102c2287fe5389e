import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { evaluatePixelsOrNull, imageAurocOrNull, imageScore } from '../../src';

describe('imageScore', () => {
  it('takes the maximum, or the mean of the top 1 % of pixels', () => {
    const map = Float32Array.from({ length: 200 }, (_, i) => i);
    assert.equal(imageScore(map, 'max'), 199);
    // 1 % of 200 pixels = the top 2: (199 + 198) / 2.
    assert.equal(imageScore(map, 'top1'), 198.5);
    assert.equal(imageScore(Float32Array.of(-3, -1, -2), 'top1'), -1);
    assert.throws(() => imageScore(new Float32Array(0), 'max'), /empty map/);
  });
});

describe('metric wrappers', () => {
  it('give null where the metric is undefined instead of failing the whole evaluation', async () => {
    assert.equal(await imageAurocOrNull(Float32Array.of(1, 2), Uint8Array.of(0, 0)), null);
    assert.equal((await imageAurocOrNull(Float32Array.of(1, 2), Uint8Array.of(0, 1)))?.auroc, 1);
    const map = { width: 2, height: 1, data: Float32Array.of(0.1, 0.9) };
    assert.equal(await evaluatePixelsOrNull([map], [{ width: 2, height: 1, data: Uint8Array.of(0, 0) }]), null);
    const result = await evaluatePixelsOrNull([map], [{ width: 2, height: 1, data: Uint8Array.of(0, 1) }]);
    assert.equal(result?.auroc.auroc, 1);
    assert.equal(result?.bestIou.iou, 1);
  });
});
