import { basePreset } from './base';
import { smallPreset } from './small';
import { tinyPreset } from './tiny';
import type { Preset, PresetName } from './types';

export * from './types';
export { basePreset, smallPreset, tinyPreset };

export const PRESETS: Readonly<Record<PresetName, Preset>> = { tiny: tinyPreset, small: smallPreset, base: basePreset };
export const PRESET_NAMES: readonly PresetName[] = ['tiny', 'small', 'base'];

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

export function getPreset(name: string): Preset {
  if (!isPresetName(name)) throw new RangeError(`unknown preset "${name}": expected one of ${PRESET_NAMES.join(', ')}`);
  return PRESETS[name];
}

/** `base` needs a GPU to finish in reasonable time; `small` is what a CPU can train. */
export function defaultPresetName(gpuAvailable: boolean): PresetName {
  return gpuAvailable ? 'base' : 'small';
}
