// The segmentation head: its map, its training (which must leave the U-Net's untouched), its errors, its
// checkpoints (old ones without it included), and a check that it localizes synthetic defects planted in
// held-back normal images.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import {
  AnomalyModel,
  pixelAuroc,
  synthesizeDefects,
  type ModelConfig,
  type TrainOptions,
  type TrainProgress,
} from '../lib';
import { smoothTextures, textures } from './support';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vad-segmentation-'));
after(() => fs.rmSync(folder, { recursive: true, force: true }));

const size = 32;
const plane = size * size;
const tiny: ModelConfig = { channels: 1, imageSize: size, depth: 3, baseChannels: 4, seed: 3 };
const data = textures(16, size, 12);
const synthetic: TrainOptions = { epochs: 2, batchSize: 8, seed: 2, syntheticDefects: { probability: 0.5 } };

async function trainWith(config: ModelConfig, options: TrainOptions): Promise<TrainProgress[]> {
  const seen: TrainProgress[] = [];
  await new AnomalyModel(config).train(data, { ...options, onProgress: (p) => seen.push(p) });
  return seen;
}

function inUnitRange(map: Float32Array): boolean {
  return map.every((v) => Number.isFinite(v) && v >= 0 && v <= 1);
}

describe('segmentation head', () => {
  it("makes a map of the image's size with probabilities in [0, 1], before and after training", async () => {
    const model = new AnomalyModel({ ...tiny, segmentationHead: true });
    const held = textures(3, size, 5);
    for (const stage of ['untrained', 'trained']) {
      if (stage === 'trained') await model.train(data, synthetic);
      const results = await model.explain(held, { maps: ['segmentation', 'residual'], scoreMap: 'segmentation' });
      for (const result of results) {
        const map = result.maps.segmentation!;
        assert.equal(map.length, plane, stage);
        assert.ok(inUnitRange(map), stage);
        assert.ok(result.score >= 0 && result.score <= 1, stage);
      }
    }
  });

  it("trains on the synthetic masks without changing the U-Net's training in any bit", async () => {
    const plain = await trainWith(tiny, synthetic);
    const headed = await trainWith({ ...tiny, segmentationHead: true }, synthetic);
    assert.equal(headed.length, plain.length);
    for (const [i, p] of headed.entries()) {
      // The head reads the detached reconstruction and its weights are drawn after the U-Net's: the U-Net's
      // loss and gradient are those of the model without a head, step for step.
      assert.equal(p.loss, plain[i]!.loss, `loss at step ${i}`);
      assert.equal(p.gradientNorm, plain[i]!.gradientNorm, `gradient norm at step ${i}`);
      assert.ok(Number.isFinite(p.segmentationLoss) && p.segmentationLoss > 0, `segmentation loss at step ${i}`);
      assert.equal(plain[i]!.segmentationLoss, 0);
    }
  });

  it('needs synthetic defects to train, and a head for its map', async () => {
    const headed = new AnomalyModel({ ...tiny, segmentationHead: true });
    for (const options of [{ epochs: 1 }, { epochs: 1, syntheticDefects: { probability: 0 } }]) {
      await assert.rejects(headed.train(data, options), {
        name: 'RangeError',
        message: /segmentationHead needs syntheticDefects with a probability above 0/,
      });
    }
    const plain = new AnomalyModel(tiny);
    for (const options of [
      { maps: ['segmentation' as const] },
      { maps: ['residual' as const], scoreMap: 'segmentation' as const },
    ]) {
      await assert.rejects(plain.explain(data, options), {
        name: 'RangeError',
        message: /map 'segmentation' needs a segmentation head: build the model with segmentationHead: true/,
      });
    }
    assert.throws(
      () => new AnomalyModel({ ...tiny, segmentationHead: 'yes' as unknown as boolean }),
      /config.segmentationHead must be a boolean/,
    );
  });

  it('saves and loads the head with its config; checkpoints written before it load without one', async () => {
    const model = new AnomalyModel({ ...tiny, segmentationHead: true });
    await model.train(data, synthetic);
    const first = path.join(folder, 'headed.ckpt');
    model.save(first);
    const loaded = AnomalyModel.load(first);
    assert.equal(loaded.config.segmentationHead, true);
    assert.equal(loaded.parameterCount, model.parameterCount);
    const options = { maps: ['segmentation', 'residual'] as const };
    assert.deepEqual(
      await loaded.explain(data, { maps: [...options.maps] }),
      await model.explain(data, { maps: [...options.maps] }),
    );
    fs.mkdirSync(path.join(folder, 'again'));
    const second = path.join(folder, 'again', 'headed.ckpt');
    loaded.save(second);
    assert.ok(fs.readFileSync(first).equals(fs.readFileSync(second)), 'saving a loaded model changed the file');
    // Resuming trains the head on: its state is in the checkpoint.
    const resumed = await loaded.train(data, { ...synthetic, epochs: 3, resume: true });
    assert.equal(resumed.state.epochsCompleted, 3);

    // Written by the engine before the head existed (depth 3, base 2, seed 5; one epoch on textures(8, 32, 3),
    // batch 4, seed 1), with the residual maps that build computed for textures(2, 32, 4).
    const old = AnomalyModel.load(path.join(__dirname, 'fixtures', 'pre-segmentation-head.ckpt'));
    assert.equal(old.config.segmentationHead, false);
    assert.deepEqual(old.trainState, { epochsCompleted: 1, stepInEpoch: 0, seed: 1, batchSize: 4, finished: true });
    const sums = (await old.explain(textures(2, size, 4), { maps: ['residual'] })).map((r) =>
      r.maps.residual!.reduce((sum, v) => sum + v, 0),
    );
    for (const [i, expected] of [180.45437344908714, 181.16359546780586].entries()) {
      assert.ok(Math.abs(sums[i]! - expected) < 1e-3, `residual sum ${sums[i]} of image ${i}, written ${expected}`);
    }
    await assert.rejects(old.explain(data, { maps: ['segmentation'] }), /segmentationHead/);
  });

  it('learns to find defects planted in held-back normal images', async (t) => {
    // A smooth texture, where a small model learns in seconds (as the supervision's check): the head's loss must
    // fall, and its map must find opaque flat defects planted in images it never saw. Ground truth: the planted
    // pixels 16 or more grey levels off the image (a flat colour can land close to the texture under it).
    const model = new AnomalyModel({
      channels: 1,
      imageSize: size,
      depth: 3,
      baseChannels: 8,
      seed: 1,
      segmentationHead: true,
    });
    const losses: number[] = [];
    const epochs = 40;
    await model.train(smoothTextures(64, size, 11), {
      epochs,
      batchSize: 8,
      seed: 1,
      syntheticDefects: { probability: 0.5 },
      onProgress: (p) => losses.push(p.segmentationLoss),
    });
    const perEpoch = losses.length / epochs;
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const first = mean(losses.slice(0, 5 * perEpoch));
    const last = mean(losses.slice(-5 * perEpoch));
    t.diagnostic(`segmentation loss, first 5 epochs ${first.toFixed(3)}, last 5 ${last.toFixed(3)}`);
    assert.ok(last < 0.9 * first, `segmentation loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);

    const held = smoothTextures(32, size, 99);
    const planted = synthesizeDefects(held, { probability: 1, sources: ['flat'], minOpacity: 1 }, 5);
    const truth = planted.masks.map((m, i) => (m && Math.abs(planted.images.data[i]! - held.data[i]!) >= 16 ? 1 : 0));
    const results = await model.explain(planted.images, { maps: ['segmentation'] });
    const { auroc } = await pixelAuroc(
      results.map((r) => ({ data: r.maps.segmentation!, width: size, height: size })),
      results.map((_, i) => ({ data: truth.subarray(i * plane, (i + 1) * plane), width: size, height: size })),
    );
    t.diagnostic(`segmentation pixel AUROC ${auroc.toFixed(3)}`);
    assert.ok(auroc > 0.85, `segmentation pixel AUROC ${auroc.toFixed(3)}`);
  });
});
