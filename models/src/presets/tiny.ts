import type { Preset } from './types';

/** For tests: a model that trains in seconds on 32 px images. Its maps mean little. */
export const tinyPreset: Preset = {
  name: 'tiny',
  description: 'tests only: 32 px, base width 8, depth 3, 2 epochs (seconds on a CPU)',
  model: {
    imageSize: 32,
    depth: 3,
    baseChannels: 8,
    batchNorm: true,
    skips: true,
    dropTopSkips: 0,
    skipNoiseStd: 0,
    loss: 'mse',
    ssimWeight: 0.5,
  },
  train: {
    epochs: 2,
    batchSize: 8,
    validationShare: 0.1,
    learningRate: 1e-3,
    attentionWeight: 0,
    attentionLayer: 'enc1',
    attentionSign: 'abs',
    syntheticDefects: 0,
    defectSources: ['patch', 'perlin', 'flat'],
    supervisionWeight: 0,
    supervisionWarmup: 0.2,
    patience: 0,
    minutes: 0,
    flipHorizontal: false,
    flipVertical: false,
  },
  explain: {
    layer: 'enc1',
    sign: 'abs',
    weighting: 'channel',
    attentionTargets: ['loss'],
    smoothing: 0,
    score: 'top1',
    batchSize: 16,
  },
};
