import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { defaultHintThreshold, maskFromHint } from '../../../lib/mask/hint';

describe('maskFromHint', () => {
  it('marks the pixels at or above the threshold', () => {
    const levels = Uint8Array.from([0, 10, 99, 100, 101, 255]);
    assert.deepEqual([...maskFromHint(levels, 100)], [0, 0, 0, 1, 1, 1]);
    assert.deepEqual([...maskFromHint(levels, 1)], [0, 1, 1, 1, 1, 1], 'level 0 is never defective');
    assert.deepEqual([...maskFromHint(levels, 255)], [0, 0, 0, 0, 0, 1]);
  });

  it('refuses a threshold that is not a level from 1 to 255, naming it', () => {
    for (const bad of [0, 256, 12.5, Number.NaN]) {
      assert.throws(() => maskFromHint(new Uint8Array(4), bad), new RegExp(`level from 1 to 255, not ${bad}`));
    }
  });
});

describe('defaultHintThreshold', () => {
  it('splits a hot spot from its background (Otsu)', () => {
    const levels = new Uint8Array(100).fill(20);
    levels.fill(200, 0, 10);
    const threshold = defaultHintThreshold(levels);
    assert.ok(threshold > 20 && threshold <= 200, `between the two groups, got ${threshold}`);
    assert.equal(
      maskFromHint(levels, threshold).reduce((a, b) => a + b, 0),
      10,
      'the hot spot exactly',
    );
  });

  it('gives a usable level for a flat or empty map', () => {
    assert.equal(defaultHintThreshold(new Uint8Array(16).fill(7)), 128);
    assert.equal(defaultHintThreshold(new Uint8Array(0)), 128);
  });
});
