// Construction and shapes across configurations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AnomalyModel, type ModelConfig } from '../lib';
import { noiseImages } from './support';

const size = 32;

describe('AnomalyModel construction', () => {
  it('names its encoder layers enc1..enc<depth>, bottleneck', () => {
    for (const depth of [3, 4, 5]) {
      const model = new AnomalyModel({ channels: 1, imageSize: size, depth, baseChannels: 4 });
      const expected = [...Array.from({ length: depth }, (_, i) => `enc${i + 1}`), 'bottleneck'];
      assert.deepEqual(model.layers, expected);
    }
  });

  it('fills in defaults and reports its resolved config', () => {
    const model = new AnomalyModel({ channels: 3, imageSize: 64 });
    assert.deepEqual(model.config, {
      channels: 3,
      imageSize: 64,
      depth: 4,
      baseChannels: 16,
      batchNorm: true,
      skips: true,
      dropTopSkips: 0,
      skipNoiseStd: 0,
      loss: 'mse',
      ssimWeight: 0.5,
      seed: 0,
      segmentationHead: false,
    });
    assert.equal(model.trainState, null);
  });

  it('has fewer decoder weights without skips, and the same seed gives the same weights', async () => {
    const base: ModelConfig = { channels: 1, imageSize: size, depth: 3, baseChannels: 4 };
    const withSkips = new AnomalyModel(base);
    const withoutSkips = new AnomalyModel({ ...base, skips: false });
    const topDropped = new AnomalyModel({ ...base, dropTopSkips: 1 });
    assert.ok(withoutSkips.parameterCount < topDropped.parameterCount);
    assert.ok(topDropped.parameterCount < withSkips.parameterCount);

    const images = noiseImages(2, 1, size);
    const [a, b, c] = await Promise.all(
      [1, 1, 2].map((seed) => new AnomalyModel({ ...base, seed }).explain(images, { maps: [] })),
    );
    assert.deepEqual(a![0]!.reconstruction, b![0]!.reconstruction);
    assert.notDeepEqual(a![0]!.reconstruction, c![0]!.reconstruction);
  });
});

describe('shapes for every configuration', () => {
  const skipVariants: Array<Pick<ModelConfig, 'skips' | 'dropTopSkips' | 'skipNoiseStd'>> = [
    { skips: true },
    { skips: false },
    { skips: true, dropTopSkips: 2 },
    { skips: true, skipNoiseStd: 0.1 },
  ];
  for (const channels of [1, 3] as const) {
    for (const depth of [3, 4, 5]) {
      it(`channels ${channels}, depth ${depth}: every skip variant, batch norm on and off`, async () => {
        const images = noiseImages(2, channels, size, depth);
        for (const variant of skipVariants) {
          for (const batchNorm of [true, false]) {
            const model = new AnomalyModel({
              channels,
              imageSize: size,
              depth,
              baseChannels: 4,
              batchNorm,
              ...variant,
            });
            // One training step exercises the training-only paths (batch statistics, skip noise).
            const trained = await model.train(images, { epochs: 1, batchSize: 2 });
            assert.equal(trained.steps, 1);
            const results = await model.explain(images, { maps: ['residual', 'gradcam_loss'], layer: 'bottleneck' });
            assert.equal(results.length, 2);
            for (const result of results) {
              assert.equal(result.reconstruction.length, channels * size * size);
              assert.equal(result.maps.residual?.length, size * size);
              assert.equal(result.maps.gradcam_loss?.length, size * size);
              // Sigmoid output.
              assert.ok(result.reconstruction.every((v) => v >= 0 && v <= 1));
              assert.ok(Number.isFinite(result.score) && Number.isFinite(result.loss));
            }
          }
        }
      });
    }
  }

  it('takes a Grad-CAM map from every layer, upsampled to the input size', async () => {
    const model = new AnomalyModel({ channels: 1, imageSize: size, depth: 4, baseChannels: 4 });
    const images = noiseImages(3, 1, size);
    for (const layer of model.layers) {
      const results = await model.explain(images, {
        maps: ['gradcam_loss', 'gradcam_latent', 'gradcam_residual'],
        layer,
      });
      for (const result of results) {
        for (const kind of ['gradcam_loss', 'gradcam_latent', 'gradcam_residual'] as const) {
          const map = result.maps[kind];
          assert.equal(map?.length, size * size, `${layer} ${kind}`);
          assert.ok(map!.every(Number.isFinite), `${layer} ${kind} finite`);
        }
      }
    }
  });
});
