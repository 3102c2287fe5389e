import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { combineMaps, globalStats, normalizeMap, pixelStats } from '../../src/sweep/transforms';

const close = (actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-5): void => {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++)
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `[${i}] ${actual[i]} != ${expected[i]}`);
};

describe('per-pixel normalisation', () => {
  // Three 2 x 2 "normal" maps: pixel 0 always bright (a fixed-pattern response), pixel 3 noisy.
  const normals = [Float32Array.of(10, 1, 0, 0), Float32Array.of(10, 1, 0, 2), Float32Array.of(10, 1, 0, 4)];

  it('computes each pixel mean and standard deviation', () => {
    const stats = pixelStats(normals);
    close(stats.mean, [10, 1, 0, 2]);
    close(stats.std, [0, 0, 0, Math.sqrt(8 / 3)]);
  });

  it('removes the fixed pattern: the constant bright pixel scores 0, a deviation scores high', () => {
    const stats = pixelStats(normals);
    // Spread floor: 0.1 x mean spread = 0.1 x sqrt(8/3) / 4.
    const floor = (0.1 * Math.sqrt(8 / 3)) / 4;
    const out = normalizeMap(Float32Array.of(10, 1 + floor, 0, 2 + Math.sqrt(8 / 3)), stats);
    close(out, [0, 1, 0, 1]);
    // Raw, the fixed bright pixel would rank first; normalised, it ranks last.
    assert.ok(out[0]! < out[1]!);
  });

  it('pools every pixel into one mean and spread for globalStats', () => {
    const stats = globalStats([Float32Array.of(0, 2), Float32Array.of(0, 2)]);
    close(stats.mean, [1, 1]);
    close(stats.std, [1, 1]);
  });

  it('rejects maps of another size', () => {
    assert.throws(() => normalizeMap(new Float32Array(3), pixelStats(normals)), /map of 3 pixels/);
  });
});

describe('combining attention and residual', () => {
  it('adds standardised maps, or multiplies their positive parts plus one', () => {
    close(combineMaps(Float32Array.of(1, -1, 2), Float32Array.of(2, 3, -5), 'sum'), [3, 2, -3]);
    close(combineMaps(Float32Array.of(1, -1, 2), Float32Array.of(2, 3, -5), 'product'), [6, 4, 3]);
  });
});
