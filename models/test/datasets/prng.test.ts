import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { deriveSeed, mulberry32, randomInt, shuffled } from '../../src';

describe('seeded randomness', () => {
  it('repeats for a seed, differs between seeds, stays in [0, 1)', () => {
    const draw = (seed: number) => Array.from({ length: 1000 }, mulberry32(seed));
    assert.deepEqual(draw(42), draw(42));
    assert.notDeepEqual(draw(42), draw(43));
    const values = draw(1);
    assert.ok(values.every((value) => value >= 0 && value < 1));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
  });

  it('draws integers over the whole closed range', () => {
    const random = mulberry32(5);
    const seen = new Set(Array.from({ length: 500 }, () => randomInt(random, 3, 8)));
    assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7, 8]);
  });

  it('shuffles into a permutation without touching the input', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const out = shuffled(items, mulberry32(9));
    assert.notDeepEqual(out, items);
    assert.deepEqual(
      [...out].sort((a, b) => a - b),
      items,
    );
    assert.deepEqual(
      items,
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it('derives distinct seeds from distinct parts', () => {
    const seeds = new Set<number>();
    for (let a = 0; a < 20; a++) for (let b = 0; b < 20; b++) seeds.add(deriveSeed(a, b));
    assert.equal(seeds.size, 400);
    assert.notEqual(deriveSeed(1, 2), deriveSeed(2, 1));
  });
});
