import type { Preset } from './types';

/**
 * For CPUs: magnetic-tile (300 training images) trains, explains and evaluates in about 10 minutes on 2 cores.
 * Values are backed by the measurements in models/README.md.
 */
export const smallPreset: Preset = {
  name: 'small',
  description: 'CPU: 128 px, base width 16, depth 3, 40 epochs capped at 800 steps (about 10 min on 2 cores)',
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
    epochs: 40,
    maxSteps: 800,
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
