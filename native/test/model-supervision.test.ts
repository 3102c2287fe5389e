// Supervision of the attention map with the synthetic masks: its gradient, its warm-up, its errors, and a sanity
// check that a supervised model's LayerCAM map finds defects planted in images it never trained on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  AnomalyModel,
  pixelAuroc,
  synthesizeDefects,
  type ModelConfig,
  type TrainOptions,
  type TrainProgress,
} from '../lib';
import { smoothTextures, textures } from './support';

const size = 32;
const tiny: ModelConfig = { channels: 1, imageSize: size, depth: 3, baseChannels: 4, seed: 3 };
const data = textures(16, size, 12);
const supervised: TrainOptions = {
  epochs: 1,
  batchSize: 8,
  seed: 2,
  syntheticDefects: { probability: 0.5 },
  supervisionWarmup: 0,
};

async function trainOnce(
  config: ModelConfig,
  options: TrainOptions,
): Promise<{ seen: TrainProgress[]; model: AnomalyModel }> {
  const model = new AnomalyModel(config);
  const seen: TrainProgress[] = [];
  await model.train(data, { ...options, onProgress: (p) => seen.push(p) });
  return { seen, model };
}

async function reconstructions(model: AnomalyModel): Promise<Float32Array[]> {
  return (await model.explain(textures(2, size, 99), { maps: [] })).map((r) => r.reconstruction);
}

describe('attention supervision', () => {
  it('gives finite gradients and changes the update, for every loss and layer', async () => {
    for (const loss of ['mse', 'ssim_mse'] as const) {
      for (const supervisionLayer of ['enc1', 'enc3']) {
        const name = `${loss} ${supervisionLayer}`;
        const config = { ...tiny, loss };
        const plain = await trainOnce(config, { ...supervised, supervisionWeight: 0 });
        const guided = await trainOnce(config, { ...supervised, supervisionWeight: 1, supervisionLayer });
        for (const p of guided.seen) {
          assert.ok(Number.isFinite(p.gradientNorm) && p.gradientNorm > 0, `${name} gradient`);
          assert.ok(Number.isFinite(p.supervisionLoss) && p.supervisionLoss > 0, `${name} supervision`);
        }
        assert.ok(plain.seen.every((p) => p.supervisionLoss === 0));
        // Same weights, batch and defects at the first step: only the supervision can change the update.
        assert.equal(guided.seen[0]!.loss, plain.seen[0]!.loss, name);
        assert.notEqual(guided.seen[0]!.gradientNorm, plain.seen[0]!.gradientNorm, name);
        assert.notDeepEqual(await reconstructions(guided.model), await reconstructions(plain.model), name);
      }
    }
  });

  it('starts after its warm-up share of the run', async () => {
    const { seen } = await trainOnce(tiny, { ...supervised, epochs: 5, supervisionWeight: 1, supervisionWarmup: 0.5 });
    // 10 steps: the first five end at or before half of the run, the term rises over the next one.
    assert.deepEqual(
      seen.map((p) => p.supervisionLoss > 0),
      [false, false, false, false, false, true, true, true, true, true],
    );
  });

  it('counts its warm-up in the time budget when the budget ends the run before its epochs', async () => {
    // 10,000 planned epochs that the 2 s budget never lets happen: a warm-up counted in steps would never end.
    const { seen } = await trainOnce(tiny, {
      ...supervised,
      epochs: 10_000,
      maxSeconds: 2,
      supervisionWeight: 1,
      supervisionWarmup: 0.3,
    });
    assert.equal(seen[0]!.supervisionLoss, 0);
    assert.ok(seen.at(-1)!.supervisionLoss > 0, `supervised by the end of ${seen.length} steps`);
  });

  it('needs synthetic defects, a known layer and a sane warm-up', async () => {
    const model = new AnomalyModel(tiny);
    await assert.rejects(model.train(data, { epochs: 1, supervisionWeight: 1 }), {
      name: 'RangeError',
      message: /syntheticDefects/,
    });
    await assert.rejects(
      model.train(data, { ...supervised, supervisionWeight: 1, supervisionLayer: 'dec1' }),
      TypeError,
    );
    await assert.rejects(model.train(data, { ...supervised, supervisionWarmup: 1.5 }), RangeError);
    await assert.rejects(model.train(data, { ...supervised, supervisionWeight: -1 }), RangeError);
  });

  it('makes a LayerCAM map that finds defects planted in held-back normal images', async () => {
    // The wiring check of the whole chain (defects, supervision, explain's map): a smooth texture, where a
    // tiny model learns in seconds, and opaque flat defects in images it never saw. Ground truth: the planted
    // pixels 16 or more grey levels off the image (a flat colour can land close to the texture under it).
    const model = new AnomalyModel({ channels: 1, imageSize: size, depth: 3, baseChannels: 8, seed: 1 });
    await model.train(smoothTextures(64, size, 11), {
      epochs: 80,
      batchSize: 8,
      seed: 1,
      syntheticDefects: { probability: 0.5 },
      supervisionWeight: 1,
    });
    const held = smoothTextures(32, size, 99);
    const planted = synthesizeDefects(held, { probability: 1, sources: ['flat'], minOpacity: 1 }, 5);
    const truth = planted.masks.map((m, i) => (m && Math.abs(planted.images.data[i]! - held.data[i]!) >= 16 ? 1 : 0));
    const results = await model.explain(planted.images, { maps: ['layercam_loss'] });
    const plane = size * size;
    const { auroc } = await pixelAuroc(
      results.map((r) => ({ data: r.maps.layercam_loss!, width: size, height: size })),
      results.map((_, i) => ({ data: truth.subarray(i * plane, (i + 1) * plane), width: size, height: size })),
    );
    assert.ok(auroc > 0.9, `LayerCAM pixel AUROC ${auroc.toFixed(3)}`);
  });
});
