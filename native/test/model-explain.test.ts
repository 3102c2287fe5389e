// Explaining: maps, scores, sign conventions, batching, and localization of a planted defect.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { AnomalyModel, type ExplainResult, type MapKind } from '../lib';
import { ALL_MAPS, auroc, noiseImages, plantDefects, textures } from './support';

const size = 32;

function pooled(results: ExplainResult[], kind: MapKind): Float32Array {
  const all = new Float32Array(results.length * size * size);
  results.forEach((r, i) => all.set(r.maps[kind]!, i * size * size));
  return all;
}

describe('explain', () => {
  const model = new AnomalyModel({ channels: 1, imageSize: size, depth: 3, baseChannels: 4, seed: 1 });
  const images = noiseImages(5, 1, size, 21);
  before(async () => {
    await model.train(textures(16, size, 1), { epochs: 1, batchSize: 8 });
  });

  for (const kind of ['gradcam_loss', 'layercam_loss'] as const) {
    it(`relu and neg_relu split the ${kind} map that abs measures`, async () => {
      const bySign = await Promise.all(
        (['relu', 'neg_relu', 'abs'] as const).map(async (sign) => {
          const results = await model.explain(images, { maps: [kind], layer: 'enc1', sign });
          return pooled(results, kind);
        }),
      );
      const [relu, negRelu, abs] = bySign as [Float32Array, Float32Array, Float32Array];
      let positive = 0;
      let negative = 0;
      for (let i = 0; i < abs.length; i++) {
        assert.ok(relu[i]! >= 0 && negRelu[i]! >= 0);
        assert.ok(Math.abs(relu[i]! + negRelu[i]! - abs[i]!) <= 1e-6 * Math.max(1e-12, abs[i]!) + 1e-12);
        if (relu[i]! > 0) positive++;
        if (negRelu[i]! > 0) negative++;
      }
      assert.ok(positive > 0 && negative > 0, `positive ${positive}, negative ${negative} pixels`);
    });
  }

  it('gives raw maps, not normalised per image', async () => {
    const results = await model.explain(images, { maps: ['gradcam_loss', 'residual'] });
    const maxima = results.map((r) => Math.max(...r.maps.gradcam_loss!));
    assert.ok(new Set(maxima).size > 1, 'every image has the same maximum');
    assert.ok(maxima.every((m) => m !== 1));
  });

  it('does not depend on the batch size', async () => {
    const maps = ALL_MAPS;
    const one = await model.explain(images, { maps, batchSize: 1 });
    const all = await model.explain(images, { maps, batchSize: 16 });
    for (let i = 0; i < images.shape[0]; i++) {
      for (const kind of maps) {
        const a = one[i]!.maps[kind]!;
        const b = all[i]!.maps[kind]!;
        const scale = Math.max(...a.map(Math.abs), 1e-30);
        for (let p = 0; p < a.length; p++) assert.ok(Math.abs(a[p]! - b[p]!) <= 1e-4 * scale, `${kind} pixel ${p}`);
      }
      assert.ok(Math.abs(one[i]!.loss - all[i]!.loss) < 1e-6);
    }
  });

  it('scores by max, top 1 % or loss, from the chosen map (computed even if not listed)', async () => {
    const byMax = await model.explain(images, { maps: ['residual'], score: 'max' });
    const byTop = await model.explain(images, { maps: ['residual'], score: 'top1' });
    const byLoss = await model.explain(images, { maps: [], score: 'loss' });
    const fromSsim = await model.explain(images, { maps: ['residual'], score: 'max', scoreMap: 'ssim' });
    for (let i = 0; i < images.shape[0]; i++) {
      const residual = byMax[i]!.maps.residual!;
      assert.equal(byMax[i]!.score, Math.max(...residual));
      const top = Array.from(residual)
        .sort((a, b) => b - a)
        .slice(0, Math.ceil(0.01 * residual.length));
      const topMean = top.reduce((s, v) => s + v, 0) / top.length;
      assert.ok(Math.abs(byTop[i]!.score - topMean) < 1e-6);
      assert.ok(byTop[i]!.score <= byMax[i]!.score);
      assert.equal(byLoss[i]!.score, byLoss[i]!.loss);
      assert.deepEqual(Object.keys(byLoss[i]!.maps), []);
      assert.deepEqual(Object.keys(fromSsim[i]!.maps).sort(), ['residual', 'ssim']);
      assert.equal(fromSsim[i]!.score, Math.max(...fromSsim[i]!.maps.ssim!));
    }
  });

  it('reports the loss the model trains with (MSE here)', async () => {
    const [first] = await model.explain(images, { maps: [] });
    let sum = 0;
    for (let p = 0; p < size * size; p++) sum += (images.data[p]! / 255 - first!.reconstruction[p]!) ** 2;
    assert.ok(Math.abs(sum / (size * size) - first!.loss) < 1e-5);
  });
});

describe('localization of a planted defect', () => {
  it('a briefly trained tiny model finds flat patches in a striped texture', async (t) => {
    const model = new AnomalyModel({ channels: 1, imageSize: size, depth: 3, baseChannels: 8, skips: false, seed: 1 });
    await model.train(textures(64, size, 1), { epochs: 10, batchSize: 8, learningRate: 3e-3 });
    const test = textures(16, size, 2);
    const masks = plantDefects(test, 6, 3);
    const maps: MapKind[] = [
      'residual',
      'ssim',
      'msgms',
      'gradcam_loss',
      'layercam_loss',
      'gradcam_residual',
      'layercam_residual',
    ];
    const results = await model.explain(test, { maps, layer: 'enc2' });
    const scores = Object.fromEntries(maps.map((kind) => [kind, auroc(pooled(results, kind), masks)]));
    t.diagnostic(`pixel AUROC: ${JSON.stringify(scores)}`);
    assert.ok(scores.residual! > 0.8, `residual pixel AUROC ${scores.residual}`);
    assert.ok(scores.ssim! > 0.8, `SSIM map pixel AUROC ${scores.ssim}`);
    assert.ok(scores.msgms! > 0.8, `MSGMS map pixel AUROC ${scores.msgms}`);
  });
});
