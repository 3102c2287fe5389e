import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfigError, resolveConfig, resolveImageSize, validationCount, withExplainOptions } from '../../src';
import type { Dataset, DatasetSample } from '../../src';

/** A dataset of in-memory samples: only sizes and counts matter to the config. */
function fakeDataset(options: { train: number; size: number; channels?: 1 | 3 }): Dataset {
  const sample = (split: 'train' | 'test', i: number): DatasetSample => ({
    id: `${split}/good/${i}`,
    split,
    label: 'normal',
    defectType: 'good',
    source: { kind: 'file', path: `/nowhere/${split}/${i}.png` },
    width: options.size,
    height: Math.round(options.size * 0.75),
    channels: options.channels ?? 1,
  });
  return {
    name: 'fake',
    layout: 'mvtec',
    category: 'fake',
    root: '/nowhere',
    samples: [...Array.from({ length: options.train }, (_, i) => sample('train', i)), sample('test', 0)],
    defectTypes: [],
    channels: options.channels ?? 1,
    warnings: [],
  };
}

const cpu = { gpuAvailable: false };
const gpu = { gpuAvailable: true };

describe('resolveConfig', () => {
  it('uses small without a GPU, base with one, and small again when the CPU is asked for', () => {
    const dataset = fakeDataset({ train: 300, size: 400 });
    assert.equal(resolveConfig('d', dataset, {}, cpu).preset, 'small');
    assert.equal(resolveConfig('d', dataset, {}, gpu).preset, 'base');
    assert.equal(resolveConfig('d', dataset, { device: 'cpu' }, gpu).preset, 'small');
    assert.equal(resolveConfig('d', dataset, { preset: 'tiny' }, gpu).preset, 'tiny');
  });

  it('writes every hyperparameter out, with the data deciding channels', () => {
    const config = resolveConfig('d', fakeDataset({ train: 300, size: 400, channels: 3 }), { seed: 5 }, cpu);
    assert.equal(config.model.channels, 3);
    assert.equal(config.model.seed, 5);
    assert.equal(config.train.seed, 5);
    for (const section of [config.model, config.train, config.explain])
      for (const [key, value] of Object.entries(section)) assert.notEqual(value, undefined, key);
  });

  it("takes the preset's epochs as a limit, whatever the training set's size: patience and the budget stop it", () => {
    for (const train of [300, 6000]) {
      const config = resolveConfig('d', fakeDataset({ train, size: 400 }), {}, cpu);
      assert.equal(config.train.epochs, 500);
      assert.equal(config.train.patience, 10);
      assert.equal(config.train.minutes, 15);
    }
    assert.equal(resolveConfig('d', fakeDataset({ train: 300, size: 28 }), { epochs: 7 }, cpu).train.epochs, 7);
  });

  it('brings small images only up to the next size the U-Net takes', () => {
    assert.equal(resolveImageSize(128, 3, fakeDataset({ train: 2, size: 28 })), 32);
    assert.equal(resolveImageSize(128, 3, fakeDataset({ train: 2, size: 100 })), 104);
    assert.equal(resolveImageSize(128, 3, fakeDataset({ train: 2, size: 600 })), 128);
    assert.equal(resolveConfig('d', fakeDataset({ train: 10, size: 28 }), {}, cpu).model.imageSize, 32);
  });

  it('trains on whole images unless a patch size is given', () => {
    const dataset = fakeDataset({ train: 10, size: 400 });
    assert.equal(resolveConfig('d', dataset, {}, cpu).train.patchSize, 0);
    assert.equal(resolveConfig('d', dataset, { imageSize: 256, patchSize: 64 }, cpu).train.patchSize, 64);
  });

  it('gives the model a segmentation head when asked, only with synthetic defects to learn from', () => {
    const dataset = fakeDataset({ train: 10, size: 64 });
    assert.equal(resolveConfig('d', dataset, {}, cpu).model.segmentationHead, false);
    assert.equal(resolveConfig('d', dataset, { preset: 'tiny' }, cpu).model.segmentationHead, false);
    const headed = resolveConfig('d', dataset, { segmentationHead: true }, cpu);
    assert.equal(headed.model.segmentationHead, true);
    assert.equal(headed.train.syntheticDefects, 0.5, "the small preset's");
    const fails = (options: object): void => {
      assert.throws(
        () => resolveConfig('d', dataset, options, cpu),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.option === 'segmentationHead' &&
          /needs synthetic defects \(syntheticDefects above 0\)/.test(error.message),
      );
    };
    fails({ segmentationHead: true, syntheticDefects: 0 });
    fails({ preset: 'tiny', segmentationHead: true });
    assert.equal(
      resolveConfig('d', dataset, { preset: 'tiny', segmentationHead: true, syntheticDefects: 0.5 }, cpu).model
        .segmentationHead,
      true,
    );
  });

  it('sets the training term and the explained map apart', () => {
    const dataset = fakeDataset({ train: 10, size: 64 });
    const config = resolveConfig('d', dataset, { attentionLayer: 'enc3', mapSign: 'relu' }, cpu);
    assert.equal(config.train.attentionLayer, 'enc3');
    assert.equal(config.explain.layer, 'enc2');
    assert.equal(config.explain.sign, 'relu');
    assert.equal(config.train.attentionSign, 'abs');
    assert.equal(resolveConfig('d', dataset, { mapLayer: 'enc3' }, cpu).train.attentionLayer, 'enc1');
  });

  it('names the option at fault', () => {
    const dataset = fakeDataset({ train: 10, size: 64 });
    const fails = (overrides: object, option: string, message: RegExp): void => {
      assert.throws(
        () => resolveConfig('d', dataset, overrides, cpu),
        (error: unknown) => error instanceof ConfigError && error.option === option && message.test(error.message),
      );
    };
    fails({ imageSize: 100 }, 'imageSize', /multiple of 8/);
    fails({ imageSize: 16 }, 'imageSize', /integer in 32\.\.1024/);
    fails({ patchSize: 12 }, 'patchSize', /0 \(whole images\) or a multiple of 8 \(2\^depth\) up to the image size 64/);
    fails({ imageSize: 64, patchSize: 72 }, 'patchSize', /up to the image size 64, got 72/);
    fails({ patchSize: 2000 }, 'patchSize', /integer in 0\.\.1024/);
    fails({ mapLayer: 'enc9' }, 'mapLayer', /enc1, enc2, enc3, bottleneck/);
    fails({ attentionLayer: 'enc4' }, 'attentionLayer', /enc1, enc2, enc3, bottleneck/);
    fails({ attentionLayer: 'decoder' }, 'attentionLayer', /encoder layer/);
    fails({ epochs: 0 }, 'epochs', /integer in 1\.\.10000/);
    fails({ batchSize: 1 }, 'batchSize', /integer in 2\.\.1024/);
    fails({ attentionWeight: -1 }, 'attentionWeight', /number in 0\.\.10000000/);
    fails({ mapTargets: ['loss', 'loss'] }, 'mapTargets', /twice/);
    fails({ mapTargets: ['residual'] }, 'mapTargets', /loss, latent, reencoded/);
    fails({ smoothing: 0.5 }, 'smoothing', /number in 0\.\.0\.25/);
    fails({ smoothing: -0.01 }, 'smoothing', /number in 0\.\.0\.25/);
    fails({ device: 'cuda' }, 'device', /no CUDA GPU/);
    fails({ segmentationHead: 'yes' }, 'segmentationHead', /must be true or false, got "yes"/);
  });
});

describe('withExplainOptions', () => {
  it('changes only how the model is explained', () => {
    const config = resolveConfig('d', fakeDataset({ train: 10, size: 64 }), {}, cpu);
    const changed = withExplainOptions(config, {
      mapLayer: 'bottleneck',
      mapTargets: ['reencoded', 'loss'],
      attentionLayer: 'enc3',
      epochs: 99,
    });
    assert.equal(changed.explain.layer, 'bottleneck');
    assert.deepEqual(changed.explain.attentionTargets, ['reencoded', 'loss']);
    assert.equal(withExplainOptions(config, { smoothing: 1 / 32 }).explain.smoothing, 1 / 32);
    assert.deepEqual(changed.model, config.model);
    assert.deepEqual(changed.train, config.train);
    assert.throws(() => withExplainOptions(config, { mapLayer: 'enc7' }), /mapLayer: must be one of/);
  });
});

describe('validationCount', () => {
  it('holds back a share of a training set of 10 or more, at least 2, and none of a smaller one', () => {
    assert.equal(validationCount(300, 0.1), 30);
    assert.equal(validationCount(12, 0.1), 2);
    assert.equal(validationCount(9, 0.1), 0);
    assert.equal(validationCount(300, 0), 0);
  });
});
