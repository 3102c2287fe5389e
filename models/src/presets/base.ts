import { smallPreset } from './small';
import type { Preset } from './types';

/**
 * For GPUs: the resolution small defects need, a wider and deeper net, and longer training; otherwise the small
 * preset's measured choices. Not yet measured (no GPU was available when it was written). The segmentation head
 * is on: about 4 % of this U-Net's arithmetic, so the reference map costs little on a GPU (an estimate; on the CPU
 * it cost the small preset's model 1.14x per step, which is why small leaves it off: native/README.md).
 */
export const basePreset: Preset = {
  name: 'base',
  description:
    'GPU: 256 px, base width 32, depth 4, synthetic defects, a segmentation head as reference, up to 60 minutes of ' +
    'training',
  model: { ...smallPreset.model, imageSize: 256, depth: 4, baseChannels: 32, segmentationHead: true },
  train: { ...smallPreset.train, epochs: 1000, minutes: 60 },
  explain: { ...smallPreset.explain, batchSize: 32 },
};
