import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { gaussianKernel, gaussianSmooth } from '../../src/maps/smooth';

const close = (actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-5): void => {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++)
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance, `[${i}] ${actual[i]} != ${expected[i]}`);
};

describe('Gaussian smoothing', () => {
  it('has a normalised, symmetric kernel of radius 3 sigma', () => {
    const kernel = gaussianKernel(1);
    assert.equal(kernel.length, 7);
    close([kernel.reduce((a, b) => a + b, 0)], [1]);
    close([kernel[0]!, kernel[1]!, kernel[2]!], [kernel[6]!, kernel[5]!, kernel[4]!]);
  });

  it('spreads an impulse symmetrically, keeps its mass away from the border, and keeps a constant map', () => {
    const impulse = new Float32Array(11 * 11);
    impulse[5 * 11 + 5] = 1;
    const out = gaussianSmooth(impulse, 11, 11, 1);
    close([out.reduce((a, b) => a + b, 0)], [1]);
    assert.ok(out[5 * 11 + 5]! < 1 && out[5 * 11 + 5]! > out[5 * 11 + 6]!);
    close([out[5 * 11 + 4]!, out[4 * 11 + 5]!], [out[5 * 11 + 6]!, out[6 * 11 + 5]!]);
    close(gaussianSmooth(new Float32Array(12).fill(3), 4, 3, 2), new Array<number>(12).fill(3));
  });

  it('copies the map for sigma 0 and rejects a wrong size', () => {
    close(gaussianSmooth(Float32Array.of(1, 2, 3, 4), 2, 2, 0), [1, 2, 3, 4]);
    assert.throws(() => gaussianSmooth(new Float32Array(5), 2, 2, 1), /not 2 x 2/);
  });
});
