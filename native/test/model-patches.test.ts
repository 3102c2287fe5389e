// Patch training: random crops while training, whole images at validation and explain.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AnomalyModel, type ModelConfig, type TrainOptions } from '../lib';
import { textures } from './support';

const size = 64;
const config: ModelConfig = { channels: 1, imageSize: size, depth: 3, baseChannels: 4, seed: 3 };
const data = textures(24, size, 11);
const validation = textures(4, size, 12);
const patched: TrainOptions = { epochs: 2, batchSize: 8, seed: 5, patchSize: 32, validation };

/** The model's reconstructions and LayerCAM maps of whole images, bit for bit. */
async function fingerprint(model: AnomalyModel): Promise<Float32Array[]> {
  const results = await model.explain(textures(2, size, 99), { maps: ['layercam_loss'] });
  return results.flatMap((r) => [r.reconstruction, r.maps.layercam_loss!]);
}

describe('patch training', () => {
  it('lowers the loss on patches and explains whole images at imageSize', async () => {
    const model = new AnomalyModel(config);
    const result = await model.train(data, { ...patched, epochs: 5 });
    const losses = result.epochLosses;
    assert.ok(losses.at(-1)! < losses[0]!, `losses ${losses.join(', ')}`);
    // The held-back images are scored whole, so their loss is comparable with a whole-image training's.
    assert.equal(result.validationLosses.length, 5);
    assert.ok(result.validationLosses.every(Number.isFinite));
    assert.ok(result.validationLosses.at(-1)! < result.validationLosses[0]!, `${result.validationLosses.join(', ')}`);
    const [explained] = await model.explain(textures(1, size, 99), { maps: ['layercam_loss', 'residual'] });
    assert.equal(explained!.reconstruction.length, size * size);
    assert.equal(explained!.maps.layercam_loss!.length, size * size);
    assert.equal(explained!.maps.residual!.length, size * size);
  });

  it('is reproducible for a seed, with synthetic defects planted in the crops', async () => {
    const options: TrainOptions = { ...patched, flipHorizontal: true, syntheticDefects: { probability: 0.5 } };
    const runs = await Promise.all(
      [5, 5, 6].map(async (seed) => {
        const model = new AnomalyModel({ ...config, skipNoiseStd: 0.05 });
        const result = await model.train(data, { ...options, seed });
        return { losses: result.epochLosses, fingerprint: await fingerprint(model) };
      }),
    );
    assert.ok(runs[0]!.losses.every(Number.isFinite));
    assert.deepEqual(runs[0], runs[1]);
    assert.notDeepEqual(runs[0]!.fingerprint, runs[2]!.fingerprint);
  });

  it('trains on other pixels than whole images do, and a patch of the whole image is the whole image', async () => {
    const train = async (patchSize: number) => {
      const model = new AnomalyModel(config);
      const result = await model.train(data, { ...patched, patchSize });
      return { losses: result.epochLosses, fingerprint: await fingerprint(model) };
    };
    const whole = await train(0);
    assert.deepEqual(await train(size), whole);
    assert.notDeepEqual((await train(32)).fingerprint, whole.fingerprint);
  });

  it('rejects a patch size that is not a multiple of 2^depth up to imageSize, naming both', async () => {
    const model = new AnomalyModel(config);
    for (const patchSize of [12, 72, 128]) {
      await assert.rejects(model.train(data, { epochs: 1, patchSize }), {
        name: 'RangeError',
        message: new RegExp(
          `patchSize must be 0 \\(whole images\\) or a multiple of 2\\^depth = 8 up to imageSize 64, got ${patchSize}`,
        ),
      });
    }
    await assert.rejects(model.train(data, { epochs: 1, patchSize: -8 }), {
      name: 'RangeError',
      message: /patchSize must be >= 0/,
    });
    await assert.rejects(model.train(data, { epochs: 1, patchSize: 16.5 }), {
      name: 'TypeError',
      message: /options.patchSize must be an integer/,
    });
    assert.equal(model.trainState, null);
  });
});
