// The engine's U-Net against PyTorch's own modules (bench/reference.py on Debian's python3-torch): with
// the same weights it must give the same Grad-CAM scores and losses, and the same training steps. This
// pins down what the engine computes its own way on the CPU for speed: the 2x2 transposed convolutions as
// a 1x1 convolution and a pixel shuffle, and tensor memory reused through its caching allocator.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { PythonReference } from '../bench/python-reference';
import { AnomalyModel } from '../lib';
import { noiseImages } from './support';

function assertClose(actual: number[], expected: number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: lengths`);
  actual.forEach((value, i) => {
    const scale = Math.max(Math.abs(value), Math.abs(expected[i]!), 1e-12);
    assert.ok(
      Math.abs(value - expected[i]!) <= tolerance * scale,
      `${what} ${i}: engine ${value}, PyTorch ${expected[i]}`,
    );
  });
}

describe('the U-Net against PyTorch', () => {
  it('gives the same Grad-CAM scores, losses and training steps from the same weights', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vad-pytorch-'));
    const model = new AnomalyModel({ channels: 1, imageSize: 32, depth: 3, baseChannels: 4, seed: 3 });
    const images = noiseImages(8, 1, 32, 5);
    const reference = new PythonReference();
    try {
      await reference.load(model, images, scratch);
      for (const batchSize of [8, 3, 1]) {
        const engine = await model.explain(images, { maps: ['gradcam_loss'], batchSize });
        const pytorch = await reference.gradcam(batchSize, images.shape[0]);
        assertClose(
          engine.map((r) => r.loss),
          pytorch.losses,
          1e-5,
          `batch ${batchSize} loss`,
        );
        assertClose(
          engine.map((r) => r.score),
          pytorch.scores,
          1e-4,
          `batch ${batchSize} Grad-CAM score`,
        );
      }
      // Two steps in the same batch order: the second loss depends on the first step's gradients and Adam update.
      const losses: number[] = [];
      await model.train(images, { epochs: 1, batchSize: 4, seed: 7, onProgress: (p) => losses.push(p.loss) });
      const pytorch = await reference.train(4, 7, 1e-3);
      assert.equal(losses.length, 2);
      assertClose(losses, pytorch.losses, 1e-5, 'training step loss');
    } finally {
      reference.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
