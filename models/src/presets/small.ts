import type { Preset } from './types';

/**
 * For CPUs: magnetic-tile (300 training images, 360 steps) trains, explains and evaluates in well under
 * 15 minutes on 2 cores, Fashion-MNIST (6000 images at 32 px, one epoch) in a few; see models/README.md.
 */
export const smallPreset: Preset = {
  name: 'small',
  description: 'CPU: 128 px, base width 16, depth 3, 20 epochs capped at 400 steps',
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
    epochs: 20,
    maxSteps: 400,
    batchSize: 16,
    learningRate: 1e-3,
    attentionWeight: 0,
    attentionLayer: 'enc1',
    attentionSign: 'abs',
    flipHorizontal: false,
    flipVertical: false,
  },
  explain: {
    layer: 'enc1',
    sign: 'abs',
    attentionTargets: ['loss'],
    score: 'top1',
    batchSize: 16,
  },
};
