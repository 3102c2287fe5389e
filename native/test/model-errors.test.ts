// Bad input gets a TypeError / RangeError / Error naming the problem, with the caller's stack; never an abort.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AnomalyModel, runtimeInfo, type ImageArray, type ModelConfig } from '../lib';
import { noiseImages } from './support';

const size = 32;
const config: ModelConfig = { channels: 1, imageSize: size, depth: 3, baseChannels: 4 };

function expectError(kind: ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor, message: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    assert.equal((error as Error).name, kind.name);
    assert.match((error as Error).message, message);
    return true;
  };
}

describe('model config errors', () => {
  const cases: Array<[Partial<ModelConfig>, ErrorConstructor, RegExp]> = [
    [{ imageSize: 40, depth: 4 }, RangeError, /imageSize 40 is not a multiple of 2\^depth = 16/],
    [{ imageSize: 16 }, RangeError, /imageSize must be between 32 and 1024/],
    [{ depth: 6 }, RangeError, /depth must be between 3 and 5/],
    [{ channels: 2 as 1 }, RangeError, /channels must be 1 or 3/],
    [{ dropTopSkips: 4 }, RangeError, /dropTopSkips/],
    [{ skipNoiseStd: -1 }, RangeError, /skipNoiseStd/],
    [{ loss: 'huber' as 'mse' }, TypeError, /unknown loss 'huber'.*'mse', 'l1', 'ssim', 'ssim_mse'/],
    [{ depth: 3.5 }, TypeError, /config.depth must be an integer/],
    [{ batchNorm: 'yes' as unknown as boolean }, TypeError, /config.batchNorm must be a boolean/],
    [{ imageSize: undefined as unknown as number }, TypeError, /config.imageSize is required/],
    [{ imagesize: 32 } as Partial<ModelConfig>, TypeError, /unknown config key 'imagesize'/],
  ];
  for (const [change, kind, message] of cases) {
    it(`${JSON.stringify(change)} -> ${kind.name}`, () => {
      assert.throws(() => new AnomalyModel({ ...config, ...change } as ModelConfig), expectError(kind, message));
    });
  }
});

describe('image and option errors', () => {
  const model = new AnomalyModel(config);
  const good = noiseImages(2, 1, size);

  const imageCases: Array<[string, unknown, ErrorConstructor, RegExp]> = [
    [
      'wrong dtype',
      { data: new Float32Array(2 * size * size), shape: [2, 1, size, size] },
      TypeError,
      /Uint8Array.*got a Float32Array/,
    ],
    ['not an object', 'pixels', TypeError, /images must be an object/],
    ['shape of rank 3', { data: good.data, shape: [2, size, size] }, TypeError, /\[N, C, H, W\] \(4 numbers\)/],
    [
      'length mismatch',
      { data: good.data.subarray(1), shape: [2, 1, size, size] },
      RangeError,
      /holds 2047 bytes.*needs 2048/,
    ],
    ['wrong size', noiseImages(2, 1, 64), RangeError, /images are 64x64.*built for 32x32/],
    ['wrong channels', noiseImages(2, 3, size), RangeError, /images have 3 channels, the model takes 1/],
    [
      'an absurd shape',
      { data: good.data, shape: [2 ** 31, 2 ** 31, 2 ** 31, 2 ** 31] },
      RangeError,
      /needs more than 2\^64/,
    ],
    ['zero images', { data: new Uint8Array(0), shape: [0, 1, size, size] }, RangeError, /size below 1/],
  ];
  for (const [name, images, kind, message] of imageCases) {
    it(`explain and train reject ${name}`, async () => {
      await assert.rejects(model.explain(images as ImageArray), expectError(kind, message));
      await assert.rejects(model.train(images as ImageArray, { epochs: 1 }), expectError(kind, message));
    });
  }

  it('rejects an unknown layer, naming the known ones', async () => {
    const known = /unknown layer 'enc9': this model's layers are enc1, enc2, enc3, bottleneck/;
    await assert.rejects(model.explain(good, { layer: 'enc9' }), expectError(TypeError, known));
    await assert.rejects(model.train(good, { epochs: 1, attentionLayer: 'enc9' }), expectError(TypeError, known));
  });

  it('rejects bad options', async () => {
    await assert.rejects(
      model.explain(good, { maps: ['heat' as 'ssim'] }),
      expectError(TypeError, /unknown map 'heat'/),
    );
    await assert.rejects(
      model.explain(good, { sign: 'pos' as 'abs' }),
      expectError(TypeError, /unknown Grad-CAM sign/),
    );
    await assert.rejects(model.explain(good, { batchSize: 0 }), expectError(RangeError, /batchSize/));
    await assert.rejects(model.train(good, { epochs: 0 }), expectError(RangeError, /epochs must be between 1/));
    await assert.rejects(model.train(good, { epochs: 1, learningRate: -1 }), expectError(RangeError, /learningRate/));
    await assert.rejects(
      model.train(good, { epochs: 1, attentionWeight: -1 }),
      expectError(RangeError, /attentionWeight/),
    );
    await assert.rejects(
      model.train(good, { epochs: 1, epoch: 3 } as unknown as { epochs: number }),
      expectError(TypeError, /unknown options key 'epoch'/),
    );
    await assert.rejects(
      model.train(good, { epochs: 1, device: 'tpu' as 'cpu' }),
      expectError(TypeError, /unknown device 'tpu'/),
    );
    if (runtimeInfo().includes('no CUDA')) {
      await assert.rejects(model.train(good, { epochs: 1, device: 'cuda' }), expectError(RangeError, /no CUDA GPU/));
    }
  });

  it('refuses a checkpoint path it cannot write before training starts', async () => {
    const progress: number[] = [];
    await assert.rejects(
      model.train(good, {
        epochs: 1,
        checkpointPath: '/nonexistent-folder/model.ckpt',
        onProgress: (p) => progress.push(p.step),
      }),
      expectError(Error, /cannot write checkpoint '\/nonexistent-folder\/model.ckpt'/),
    );
    assert.deepEqual(progress, []);
  });

  it('attaches the caller stack to errors raised in a worker thread', async () => {
    // A batch of one cannot train batch norm at a 1x1 bottleneck: LibTorch raises in the worker.
    const deep = new AnomalyModel({ ...config, depth: 5 });
    const error = await deep.train(noiseImages(1, 1, size), { epochs: 1 }).then(
      () => assert.fail('training a batch of one at a 1x1 bottleneck should fail'),
      (e: unknown) => e as Error,
    );
    assert.equal(error.name, 'Error');
    assert.match(error.message, /Expected more than 1 value per channel/);
    assert.doesNotMatch(error.message, /Exception raised from|frame #/, 'no C++ backtrace in the message');
    assert.match(error.stack ?? '', /model-errors\.test\.ts/);
  });
});
