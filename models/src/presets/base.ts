import type { Preset } from './types';

/**
 * For GPUs: the resolution small defects need, a wider and deeper net, and longer training. Not yet measured
 * (no GPU was available when it was written); its attention settings follow the small preset's measurement.
 */
export const basePreset: Preset = {
  name: 'base',
  description: 'GPU: 256 px, base width 32, depth 4, synthetic defects, up to 60 minutes of training',
  model: {
    imageSize: 256,
    depth: 4,
    baseChannels: 32,
    batchNorm: true,
    skips: true,
    dropTopSkips: 0,
    // Noise on the skip features while training, so the decoder cannot simply copy them (a defect included):
    // with smoothing, the second sweep's winner (models/EXPERIMENTS.md).
    skipNoiseStd: 1,
    loss: 'ssim_mse',
    ssimWeight: 0.5,
  },
  train: {
    epochs: 1000,
    batchSize: 16,
    validationShare: 0.1,
    learningRate: 1e-3,
    attentionWeight: 0,
    attentionLayer: 'enc1',
    attentionSign: 'abs',
    syntheticDefects: 0.5,
    defectSources: ['patch', 'perlin', 'flat'],
    supervisionWeight: 0,
    supervisionWarmup: 0.2,
    patience: 10,
    minutes: 60,
    flipHorizontal: false,
    flipVertical: false,
  },
  // The second sweep's winner, measured with `small` on the CPU (models/EXPERIMENTS.md); not yet run at 256 px.
  explain: {
    layer: 'enc1',
    sign: 'abs',
    weighting: 'element',
    attentionTargets: ['loss'],
    smoothing: 1 / 32,
    score: 'top1',
    batchSize: 32,
  },
};
