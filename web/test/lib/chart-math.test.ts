import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { extent, histogram, niceTicks } from '../../lib/chart-math';

describe('niceTicks', () => {
  it('picks round steps that cover the whole range', () => {
    assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    const ticks = niceTicks(0.0043, 0.0125, 5);
    assert.ok(ticks[0]! <= 0.0043 && ticks.at(-1)! >= 0.0125, JSON.stringify(ticks));
    assert.deepEqual(niceTicks(1, 6, 6), [1, 2, 3, 4, 5, 6]);
  });
});

describe('histogram', () => {
  it('counts values in equal bins, the maximum in the last one', () => {
    assert.deepEqual(histogram([0, 0.1, 0.5, 0.99, 1, Number.NaN], 0, 1, 4), [2, 0, 1, 2]);
    assert.deepEqual(histogram([3, 3], 3, 3, 2), [2, 0]);
  });
});

describe('extent', () => {
  it('spans the finite values, or the fallback without any', () => {
    assert.deepEqual(extent([3, Number.NaN, 1, 2], [0, 1]), [1, 3]);
    assert.deepEqual(extent([Number.NaN], [0, 1]), [0, 1]);
  });

  it("puts one value in a band on its own scale, not below zero (a one-epoch run's loss)", () => {
    const [low, high] = extent([0.003], [0, 1]);
    assert.ok(low >= 0 && low < 0.003 && high > 0.003 && high < 0.004, `${low}..${high}`);
    assert.deepEqual(extent([-2], [0, 1]), [-2.2, -1.8]);
    assert.deepEqual(extent([0], [0, 1]), [0, 1]);
  });
});
