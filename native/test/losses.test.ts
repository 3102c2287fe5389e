// SSIM, as the 'ssim' and 'ssim_mse' losses compute it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { meanSsim } from '../lib';
import { noiseImages, textures } from './support';

describe('meanSsim', () => {
  it('is 1 for an image with itself', () => {
    for (const images of [noiseImages(3, 1, 32), noiseImages(2, 3, 48), textures(2, 32, 5)]) {
      for (const value of meanSsim(images, images)) assert.ok(Math.abs(value - 1) < 1e-6, `SSIM ${value}`);
    }
  });

  it('is below 1 for different images and decreases with the distortion', () => {
    const clean = textures(1, 32, 3);
    const slightly = { data: clean.data.map((v, i) => Math.min(255, v + (i % 7))), shape: clean.shape };
    const heavily = noiseImages(1, 1, 32, 9);
    const [slight] = meanSsim(clean, slightly);
    const [heavy] = meanSsim(clean, heavily);
    assert.ok(slight! < 1 && slight! > 0.8, `slight distortion: ${slight}`);
    assert.ok(heavy! < 0.2, `unrelated noise: ${heavy}`);
  });

  it('rejects image sets of different shapes', () => {
    assert.throws(() => meanSsim(noiseImages(1, 1, 32), noiseImages(2, 1, 32)), RangeError);
  });
});
