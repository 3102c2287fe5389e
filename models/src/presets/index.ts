import { basePreset } from './base';
import { smallPreset } from './small';
import { tinyPreset } from './tiny';
import { isPresetName } from '../options';
import type { PresetName, RunOptions } from '../options';
import type { Preset } from './types';

export * from './types';
export { basePreset, smallPreset, tinyPreset };

export const PRESETS: Readonly<Record<PresetName, Preset>> = { tiny: tinyPreset, small: smallPreset, base: basePreset };

export function getPreset(name: string): Preset {
  if (!isPresetName(name))
    throw new RangeError(`unknown preset "${name}": expected one of ${Object.keys(PRESETS).join(', ')}`);
  return PRESETS[name];
}

/** The preset's value of every option it decides: what a run uses for an option left out. */
export type PresetOptionValues = Required<Omit<RunOptions, 'preset' | 'device' | 'seed'>>;

export function presetOptionValues(preset: Preset): PresetOptionValues {
  return {
    imageSize: preset.model.imageSize,
    epochs: preset.train.epochs,
    batchSize: preset.train.batchSize,
    patchSize: preset.train.patchSize,
    loss: preset.model.loss,
    attentionLayer: preset.train.attentionLayer,
    attentionWeight: preset.train.attentionWeight,
    attentionSign: preset.train.attentionSign,
    mapLayer: preset.explain.layer,
    syntheticDefects: preset.train.syntheticDefects,
    defectSources: [...preset.train.defectSources],
    supervisionWeight: preset.train.supervisionWeight,
    supervisionWarmup: preset.train.supervisionWarmup,
    segmentationHead: preset.model.segmentationHead,
    patience: preset.train.patience,
    minutes: preset.train.minutes,
    mapSign: preset.explain.sign,
    mapWeighting: preset.explain.weighting,
    mapTargets: [...preset.explain.attentionTargets],
    smoothing: preset.explain.smoothing,
    score: preset.explain.score,
  };
}

/** `base` needs a GPU to finish in reasonable time; `small` is what a CPU can train. */
export function defaultPresetName(gpuAvailable: boolean): PresetName {
  return gpuAvailable ? 'base' : 'small';
}
