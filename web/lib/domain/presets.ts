import type { LossKind, RunPreset } from '../graphql/generated';

/**
 * What each preset trains, for the launch form's defaults and its layer list. The API has no query for presets
 * yet, so this mirrors models/src/presets; test/domain/presets.test.ts fails when the two disagree.
 */
export interface PresetDefaults {
  preset: RunPreset;
  description: string;
  imageSize: number;
  depth: number;
  epochs: number;
  batchSize: number;
  loss: LossKind;
  attentionWeight: number;
  layer: string;
}

export const PRESETS: readonly PresetDefaults[] = [
  {
    preset: 'SMALL',
    description: 'CPU: 128 px, base width 16, depth 3, 12 epochs capped at 240 steps',
    imageSize: 128,
    depth: 3,
    epochs: 12,
    batchSize: 16,
    loss: 'MSE',
    attentionWeight: 0,
    layer: 'enc1',
  },
  {
    preset: 'BASE',
    description: 'GPU: 256 px, base width 32, depth 4, 100 epochs capped at 20000 steps',
    imageSize: 256,
    depth: 4,
    epochs: 100,
    batchSize: 16,
    loss: 'MSE',
    attentionWeight: 0,
    layer: 'enc1',
  },
  {
    preset: 'TINY',
    description: 'tests only: 32 px, base width 8, depth 3, 2 epochs (seconds on a CPU)',
    imageSize: 32,
    depth: 3,
    epochs: 2,
    batchSize: 8,
    loss: 'MSE',
    attentionWeight: 0,
    layer: 'enc1',
  },
];

export function presetDefaults(preset: RunPreset): PresetDefaults {
  const found = PRESETS.find((entry) => entry.preset === preset);
  if (!found) throw new RangeError(`unknown preset ${preset}`);
  return found;
}

/** The encoder layers a U-Net of this depth offers Grad-CAM, shallow to deep (the model's own names). */
export function layersOf(depth: number): string[] {
  return [...Array.from({ length: depth }, (_, index) => `enc${index + 1}`), 'bottleneck'];
}
