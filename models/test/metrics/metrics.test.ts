import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { evaluatePixelsOrNull, imageAurocOrNull, imageF1MaxOrNull, imageScore } from '../../src';

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

  it('give the image score threshold where image F1 peaks', async () => {
    assert.equal(await imageF1MaxOrNull(Float32Array.of(1, 2), Uint8Array.of(1, 1)), null);
    // Anomalous at 0.6 and 0.9, a normal image at 0.7 between them: calling all three anomalous (threshold 0.6)
    // gives F1 0.8, beating 0.9 alone (0.667).
    const best = await imageF1MaxOrNull(Float32Array.of(0.1, 0.6, 0.7, 0.9), Uint8Array.of(0, 1, 0, 1));
    assert.ok(best);
    assert.ok(Math.abs(best.f1 - 0.8) < 1e-9, String(best.f1));
    assert.ok(Math.abs(best.threshold - 0.6) < 1e-6, String(best.threshold));
  });
});
