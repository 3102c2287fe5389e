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
    skipNoiseStd: 0,
    loss: 'mse',
    ssimWeight: 0.5,
  },
  train: {
    // 216 steps on magnetic tile (18 per epoch); one epoch (the minimum) of Fashion-MNIST's 6000 images.
    epochs: 12,
    maxSteps: 240,
    batchSize: 16,
    learningRate: 1e-3,
    // The training-time attention term hurt both the reconstruction and the map in the first measurement
    // (models/experiments/attention-first-pick.md), and triples the cost of a step.
    attentionWeight: 0,
    attentionLayer: 'enc1',
    attentionSign: 'abs',
    flipHorizontal: false,
    flipVertical: false,
  },
  // Grad-CAM of the loss at enc1 with abs: the best loss map with abs at 64 and 128 px in the first measurement.
  explain: {
    layer: 'enc1',
    sign: 'abs',
    attentionTargets: ['loss'],
    smoothing: 0,
    score: 'top1',
    batchSize: 16,
  },
};
