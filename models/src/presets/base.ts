import { smallPreset } from './small';
import type { Preset } from './types';

/**
 * For GPUs: the resolution small defects need, a wider and deeper net, and longer training; otherwise the small
 * preset's measured choices. Not yet measured (no GPU was available when it was written).
 */
export const basePreset: Preset = {
  name: 'base',
  description: 'GPU: 256 px, base width 32, depth 4, synthetic defects, up to 60 minutes of training',
  model: { ...smallPreset.model, imageSize: 256, depth: 4, baseChannels: 32 },
  train: { ...smallPreset.train, epochs: 1000, minutes: 60 },
  explain: { ...smallPreset.explain, batchSize: 32 },
};
