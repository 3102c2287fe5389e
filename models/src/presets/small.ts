import type { Preset } from './types';

/**
 * For CPUs: magnetic tile (300 training images, 216 steps) trains, explains and evaluates in under 15 minutes on
 * 2 cores even while other jobs share them, Fashion-MNIST (6000 images at 32 px, one epoch) in about a minute;
 * see models/README.md.
 */
export const smallPreset: Preset = {
  name: 'small',
  description: 'CPU: 128 px, base width 16, depth 3, 12 epochs capped at 240 steps',
  model: {
    imageSize: 128,
    depth: 3,
    baseChannels: 16,
    batchNorm: true,
    skips: true,
    dropTopSkips: 0,
    // Noise on the skip features while training, so the decoder cannot simply copy them (a defect included):
    // with smoothing, the second sweep's winner (models/EXPERIMENTS.md).
    skipNoiseStd: 1,
    loss: 'mse',
    ssimWeight: 0.5,
  },
  train: {
    // 216 steps on magnetic tile (18 per epoch); one epoch (the minimum) of Fashion-MNIST's 6000 images.
    epochs: 12,
    maxSteps: 240,
    batchSize: 16,
    validationShare: 0.1,
    learningRate: 1e-3,
    // The training-time attention term hurt both the reconstruction and the map in the first measurement
    // (models/experiments/attention-first-pick.md), and triples the cost of a step.
    attentionWeight: 0,
    attentionLayer: 'enc1',
    attentionSign: 'abs',
    flipHorizontal: false,
    flipVertical: false,
  },
  // Grad-CAM of the loss at enc1 with abs, smoothed with sigma = 1/32 of the side (4 px at 128 px): the second
  // sweep's winner on the selection halves of magnetic tile and Fashion-MNIST (models/EXPERIMENTS.md).
  explain: {
    layer: 'enc1',
    sign: 'abs',
    attentionTargets: ['loss'],
    smoothing: 1 / 32,
    score: 'top1',
    batchSize: 16,
  },
};
